//! The `revoke` subcommand: builds one revocation from the options, sends it (or
//! prints it for a dry run) and reports how it ended.

use std::path::PathBuf;

use clap::Args;

use sectigo_revoke::{CertificateIdentifier, CertificateInfo, Client, Reason, RetryPolicy, Revocation, MAX_ATTEMPTS};

use crate::exit::{Exit, EXIT_STATUS_HELP};
use crate::input::{self, InputError};
use crate::options::{ConnectionArgs, CredentialArgs};
use crate::report::{self, CertificateFile, Report};

/// Options of `sectigo-revoke revoke`.
#[derive(Args, Debug)]
#[command(after_help = EXIT_STATUS_HELP)]
pub struct RevokeArgs {
    #[command(flatten)]
    certificate: CertificateArgs,

    #[command(flatten)]
    request: RequestArgs,

    #[command(flatten)]
    credentials: CredentialArgs,

    #[command(flatten)]
    connection: ConnectionArgs,

    #[command(flatten)]
    retry: RetryArgs,

    #[command(flatten)]
    output: OutputArgs,
}

/// The certificate to revoke: exactly one identifier.
#[derive(Args, Debug)]
#[group(required = true, multiple = false)]
#[command(next_help_heading = "Certificate (give exactly one)")]
struct CertificateArgs {
    /// Revoke by order number (orderNumber).
    ///
    /// Acts on the order's current certificate, which after a reissue is the
    /// replacement, not the original. Use --serial-number, --certificate-id or --cert
    /// to revoke one specific certificate.
    #[arg(long, value_name = "NUMBER", alias = "order")]
    order_number: Option<String>,

    /// Revoke by Sectigo certificate ID (certificateID), at most 16 digits.
    #[arg(long, value_name = "ID", alias = "cert-id")]
    certificate_id: Option<String>,

    /// Revoke by serial number (serialNumber), in hex.
    ///
    /// Accepts the spellings openssl prints (serial=00D9B7…, 00:d9:b7:…), a 0x
    /// prefix, spaces and either case; at most 34 hex digits. Leading zeros are kept.
    #[arg(long, value_name = "SERIAL", alias = "serial")]
    serial_number: Option<String>,

    /// Revoke the certificate in this PEM or DER file, by its serial number.
    ///
    /// The file must hold exactly one certificate; its subject and issuer are shown
    /// so that you can see what is being revoked.
    #[arg(long, value_name = "FILE")]
    cert: Option<PathBuf>,
}

/// Request parameters other than the identifier.
#[derive(Args, Debug)]
#[command(next_help_heading = "Request")]
struct RequestArgs {
    /// Reason code (codeReason), by name or number; key-compromise is only for keys
    /// shown or reasonably suspected to be compromised (Mozilla Root Store Policy 2.9+).
    ///
    /// unspecified (0), key-compromise (1), affiliation-changed (3), superseded (4) or
    /// cessation-of-operation (5); names in any case, with or without - or _. Codes 2,
    /// 6, 8, 9 and 10 are rejected because a subscriber may not request them. Since
    /// Mozilla Root Store Policy 2.9 (September 2023), keyCompromise is reserved for
    /// keys shown or reasonably suspected to be compromised; Sectigo routes provable
    /// key compromise to its revocation portal or its ACME endpoint.
    #[arg(long, value_name = "REASON", default_value = "unspecified")]
    reason: String,

    /// Free-text comment (revocationReason), at most 1024 characters; Sectigo stores
    /// it for your reference and takes no action on it.
    #[arg(long, value_name = "TEXT")]
    comment: Option<String>,

    /// Reseller account ID (accountID); the login is then the reseller's.
    #[arg(long, value_name = "ID")]
    account_id: Option<u64>,

    /// Product code (productCode), at most 50 characters.
    #[arg(long, value_name = "CODE")]
    product_code: Option<String>,

    /// Numeric product (product).
    #[arg(long, value_name = "NUMBER")]
    product: Option<u64>,

    /// Send test=Y: Sectigo validates the request and revokes nothing.
    #[arg(long)]
    test_mode: bool,

    /// Send includeInCRL=N: mark an issued certificate as replaced instead of revoking
    /// it; a later revocation without --no-crl revokes it.
    #[arg(long)]
    no_crl: bool,
}

/// Repeats of a request that provably did not revoke anything.
#[derive(Args, Debug)]
#[command(next_help_heading = "Connection")]
struct RetryArgs {
    /// Repeat a request that never reached the server or was rate limited, up to N
    /// more times. The first wait is up to 1 s and each later one up to twice as long
    /// (at most 60 s), unless the server's Retry-After sets the wait. A request whose
    /// outcome is unknown is never repeated. N is from 0 to 99.
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = parse_retries)]
    retries: u32,
}

/// Maximum `--retries`: the core sends at most `MAX_ATTEMPTS` requests, the first one
/// included.
const MAX_RETRIES: u32 = MAX_ATTEMPTS - 1;

fn parse_retries(text: &str) -> Result<u32, String> {
    input::parse_number_in_range(text, 0, MAX_RETRIES)
}

/// The output format.
#[derive(Args, Debug)]
#[command(next_help_heading = "Output")]
struct OutputArgs {
    /// Print the exact request with the password redacted, and send nothing.
    /// Credentials may be absent; a placeholder login name is shown then.
    #[arg(long)]
    dry_run: bool,

    /// Print one JSON object on standard output instead of text.
    #[arg(long)]
    json: bool,
}

/// A revocation ready to send, with the client that sends it.
struct Prepared {
    client: Client,
    revocation: Revocation,
    certificate: Option<CertificateFile>,
    placeholder_login: bool,
}

/// Runs `sectigo-revoke revoke` and returns the exit status.
pub fn run(args: &RevokeArgs) -> Exit {
    let json = args.output.json;
    let prepared = match prepare(args) {
        Ok(prepared) => prepared,
        Err(error) => return report::print(&Report::from_input_error(&error), json),
    };

    let context = report::Context {
        identifier: prepared.revocation.identifier(),
        reason: prepared.revocation.reason(),
        test_mode: prepared.revocation.test_mode(),
        include_in_crl: prepared.revocation.include_in_crl(),
        endpoint: prepared.client.endpoint(),
        certificate: prepared.certificate.as_ref(),
    };

    if args.output.dry_run {
        let dry_run = prepared.client.dry_run(&prepared.revocation);
        return report::print_dry_run(&dry_run, &context, prepared.placeholder_login, json);
    }

    if !json {
        if let Some(certificate) = &prepared.certificate {
            if report::print_certificate(certificate).is_err() {
                return Exit::Failure;
            }
        }
    }
    let report = match prepared.client.revoke(&prepared.revocation) {
        Ok(outcome) => Report::from_outcome(&outcome, &context),
        Err(error) => Report::from_error(&error, &context),
    };
    report::print(&report, json)
}

/// Validates every option and builds the request and the client. Sends nothing.
fn prepare(args: &RevokeArgs) -> Result<Prepared, InputError> {
    args.credentials.check_no_password_option()?;

    let (identifier, certificate) = identifier(&args.certificate)?;
    let revocation = revocation(identifier, &args.request)?;

    let (credentials, placeholder_login) = if args.output.dry_run {
        args.credentials.credentials_for_dry_run()?
    } else {
        (args.credentials.credentials()?, false)
    };

    let client = args.connection.client(credentials, RetryPolicy::new(args.retry.retries + 1)?)?;
    Ok(Prepared { client, revocation, certificate, placeholder_login })
}

/// Parses the one identifier given, reading the certificate file for `--cert`.
fn identifier(args: &CertificateArgs) -> Result<(CertificateIdentifier, Option<CertificateFile>), InputError> {
    if let Some(text) = &args.order_number {
        return Ok((CertificateIdentifier::parse_order_number(text)?, None));
    }
    if let Some(text) = &args.certificate_id {
        return Ok((CertificateIdentifier::parse_certificate_id(text)?, None));
    }
    if let Some(text) = &args.serial_number {
        return Ok((CertificateIdentifier::parse_serial_number(text)?, None));
    }

    // clap requires exactly one of the four options, so the file is set here.
    let path = args.cert.as_ref().expect("clap requires one certificate option");
    let info = CertificateInfo::read_file(path)?;
    let identifier = CertificateIdentifier::SerialNumber(info.serial_number().clone());
    Ok((identifier, Some(CertificateFile { path: path.clone(), info })))
}

fn revocation(identifier: CertificateIdentifier, args: &RequestArgs) -> Result<Revocation, InputError> {
    let reason: Reason = args.reason.parse()?;
    let mut builder = Revocation::builder()
        .identifier(identifier)
        .reason(reason)
        .test_mode(args.test_mode)
        .include_in_crl(!args.no_crl);
    if let Some(comment) = &args.comment {
        builder = builder.comment(comment);
    }
    if let Some(account_id) = args.account_id {
        builder = builder.account_id(account_id);
    }
    if let Some(product_code) = &args.product_code {
        builder = builder.product_code(product_code);
    }
    if let Some(product) = args.product {
        builder = builder.product(product);
    }
    Ok(builder.build()?)
}
