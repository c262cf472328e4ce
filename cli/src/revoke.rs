//! The `revoke` subcommand: builds one revocation from the options, sends it (or
//! prints it for a dry run) and reports how it ended.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use sectigo_revoke::{
    CertificateIdentifier, CertificateInfo, Client, Credentials, Password, ProxySetting, Reason, RetryPolicy,
    Revocation, RootStore, DEFAULT_ENDPOINT,
};

use crate::exit::{Exit, EXIT_STATUS_HELP};
use crate::input::{self, InputError};
use crate::report::{self, CertificateFile, Report};

/// The login name placed in a dry run's request when none is configured.
pub const PLACEHOLDER_LOGIN_NAME: &str = "login-name-not-set";

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

/// The sources of the login.
#[derive(Args, Debug)]
#[command(next_help_heading = "Credentials")]
struct CredentialArgs {
    /// Login name (loginName).
    #[arg(long, value_name = "NAME", env = input::LOGIN_NAME_ENV, hide_env_values = true)]
    login_name: Option<String>,

    /// Read the password from the first line of FILE; - reads standard input.
    ///
    /// Without it the password comes from SECTIGO_LOGIN_PASSWORD. A password is never
    /// accepted on the command line.
    #[arg(long, value_name = "FILE")]
    password_file: Option<PathBuf>,

    /// Rejected with an explanation: other users can read command lines.
    #[arg(long, value_name = "PASSWORD", hide = true, alias = "login-password")]
    password: Option<String>,
}

/// The connection to the endpoint.
#[derive(Args, Debug)]
#[command(next_help_heading = "Connection")]
struct ConnectionArgs {
    /// Endpoint URL; must use https://.
    #[arg(long, value_name = "URL", env = input::ENDPOINT_ENV, hide_env_values = true, default_value = DEFAULT_ENDPOINT)]
    endpoint: String,

    /// Trust only the CA certificates in this PEM file (a private CA, a
    /// TLS-inspecting proxy, or the simulator's --ca-file) instead of Mozilla's roots.
    #[arg(long, value_name = "FILE", conflicts_with = "system_roots")]
    ca_bundle: Option<PathBuf>,

    /// Trust the operating system's certificate store instead of Mozilla's roots.
    #[arg(long)]
    system_roots: bool,

    /// Connect through this proxy, such as http://proxy.example:3128 or
    /// socks5://127.0.0.1:1080. Without it, HTTPS_PROXY, ALL_PROXY or HTTP_PROXY is
    /// used, honouring NO_PROXY.
    #[arg(long, value_name = "URL", conflicts_with = "no_proxy")]
    proxy: Option<String>,

    /// Connect directly, ignoring the proxy environment variables.
    #[arg(long)]
    no_proxy: bool,

    /// Limit in seconds for resolving the host, connecting and the TLS handshake;
    /// fractions allowed. A failure within it means nothing was sent.
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = input::parse_seconds)]
    connect_timeout: Duration,

    /// Limit in seconds for the whole request, response included; at least twice the
    /// connect timeout. Running out after sending leaves the outcome unknown.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = input::parse_seconds)]
    timeout: Duration,

    /// Repeat a request that never reached the server or was rate limited, up to N
    /// more times. The first wait is up to 1 s and each later one up to twice as long
    /// (at most 60 s), unless the server's Retry-After sets the wait. A request whose
    /// outcome is unknown is never repeated.
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..100))]
    retries: u32,
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
    if args.credentials.password.is_some() {
        return Err(input::password_on_command_line());
    }

    let (identifier, certificate) = identifier(&args.certificate)?;
    let revocation = revocation(identifier, &args.request)?;

    let login_name = args.credentials.login_name.clone().filter(|name| !name.is_empty());
    let password = input::read_password(args.credentials.password_file.as_deref())?;
    let (credentials, placeholder_login) = match (login_name, password) {
        (Some(login_name), Some(password)) => (Credentials::new(login_name, password)?, false),
        (login_name, password) if args.output.dry_run => {
            // A dry run never sends, so a missing login is replaced by placeholders.
            let placeholder = login_name.is_none();
            let login_name = login_name.unwrap_or_else(|| PLACEHOLDER_LOGIN_NAME.to_owned());
            let password = password.unwrap_or_else(|| Password::new("unset"));
            (Credentials::new(login_name, password)?, placeholder)
        }
        (None, _) => {
            return Err(InputError::new(
                "loginName (--login-name or SECTIGO_LOGIN_NAME)",
                "missing; set SECTIGO_LOGIN_NAME or give --login-name NAME",
            ))
        }
        (Some(_), None) => {
            return Err(InputError::new(
                input::PASSWORD_FIELD,
                "missing; set SECTIGO_LOGIN_PASSWORD or give --password-file FILE (- reads standard input), \
                 because a password is never accepted on the command line",
            ))
        }
    };

    let client = client(credentials, &args.connection)?;
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

fn client(credentials: Credentials, args: &ConnectionArgs) -> Result<Client, InputError> {
    let root_store = match (&args.ca_bundle, args.system_roots) {
        (Some(path), _) => RootStore::CaBundle(path.clone()),
        (None, true) => RootStore::System,
        (None, false) => RootStore::Mozilla,
    };
    let proxy = match (&args.proxy, args.no_proxy) {
        (Some(url), _) => ProxySetting::Url(url.clone()),
        (None, true) => ProxySetting::None,
        (None, false) => ProxySetting::Environment,
    };
    let retry = RetryPolicy::new(args.retries + 1)?;

    let built = Client::builder(credentials)
        .endpoint(&args.endpoint)
        .root_store(root_store)
        .proxy(proxy)
        .connect_timeout(args.connect_timeout)
        .timeout(args.timeout)
        .retry(retry)
        .build();
    match built {
        Ok(client) => Ok(client),
        Err(sectigo_revoke::Error::InvalidRequest(invalid)) => Err(invalid.into()),
        Err(other) => Err(InputError::new("client settings", format!("{other}; check the connection options"))),
    }
}
