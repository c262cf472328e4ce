//! The result of a revocation, printed as one line of text or as one JSON object.
//!
//! Text goes to standard output for results that leave the certificate unusable and
//! to standard error for everything else. JSON always goes to standard output, so a
//! script reads one object whatever happened.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use sectigo_revoke::{
    ApiErrorKind, CertificateIdentifier, CertificateInfo, DryRun, Error, NotSentCause, Outcome, OutcomeKind, Reason,
};

use crate::exit::Exit;
use crate::input::InputError;

/// A certificate file given with `--cert`, and the details read from it.
pub struct CertificateFile {
    /// The path as given.
    pub path: PathBuf,
    /// The serial number, subject, issuer and expiry read from it.
    pub info: CertificateInfo,
}

/// The request details that every report includes.
pub struct Context<'a> {
    pub identifier: &'a CertificateIdentifier,
    pub reason: Reason,
    pub test_mode: bool,
    /// False when `includeInCRL=N` was sent, which marks an issued certificate
    /// replaced instead of revoking it.
    pub include_in_crl: bool,
    pub endpoint: &'a str,
    pub certificate: Option<&'a CertificateFile>,
}

/// One revocation's result, in the shape of the `--json` output.
///
/// Every key is always present, `null` when it does not apply, so that scripts can
/// read the object without checking for keys.
#[derive(Debug, Serialize)]
pub struct Report {
    /// `accepted`, `already_revoked`, `already_rejected`, `expired`, `dry_run`,
    /// `invalid_request`, `api_error`, `rate_limited`, `not_sent`, `redirected` or
    /// `outcome_unknown`.
    result: &'static str,
    exit_code: u8,
    /// The result in one line, as the text output prints it.
    summary: String,
    /// The next step to take, for results other than success.
    advice: Option<String>,
    identifier: Option<IdentifierJson>,
    reason: Option<&'static str>,
    test_mode: bool,
    /// False when `includeInCRL=N` was sent; null when no request was built.
    include_in_crl: Option<bool>,
    code: Option<i32>,
    message: Option<String>,
    item: Option<String>,
    http_status: Option<u16>,
    retry_after_secs: Option<u64>,
    attempts: Option<u32>,
    field: Option<String>,
    problem: Option<String>,
    endpoint: Option<String>,
    certificate: Option<CertificateJson>,
    request: Option<RequestJson>,
    #[serde(skip)]
    exit: Exit,
}

#[derive(Debug, Serialize)]
struct IdentifierJson {
    name: &'static str,
    value: String,
}

#[derive(Debug, Serialize)]
struct CertificateJson {
    file: String,
    serial_number: String,
    subject: String,
    issuer: String,
    not_after: String,
}

#[derive(Debug, Serialize)]
struct RequestJson {
    method: &'static str,
    url: String,
    headers: Vec<(&'static str, String)>,
    body: String,
    parameters: Vec<(String, String)>,
}

impl Report {
    fn new(result: &'static str, exit: Exit, summary: String) -> Self {
        Report {
            result,
            exit_code: exit.code(),
            summary,
            advice: None,
            identifier: None,
            reason: None,
            test_mode: false,
            include_in_crl: None,
            code: None,
            message: None,
            item: None,
            http_status: None,
            retry_after_secs: None,
            attempts: None,
            field: None,
            problem: None,
            endpoint: None,
            certificate: None,
            request: None,
            exit,
        }
    }

    fn with_context(mut self, context: &Context<'_>) -> Self {
        self.identifier =
            Some(IdentifierJson { name: context.identifier.field().name(), value: context.identifier.value() });
        self.reason = Some(context.reason.name());
        self.test_mode = context.test_mode;
        self.include_in_crl = Some(context.include_in_crl);
        self.endpoint = Some(context.endpoint.to_owned());
        self.certificate = context.certificate.map(|file| CertificateJson {
            file: file.path.display().to_string(),
            serial_number: file.info.serial_number().to_string(),
            subject: file.info.subject().to_owned(),
            issuer: file.info.issuer().to_owned(),
            not_after: file.info.not_after().to_owned(),
        });
        if context.test_mode && self.result != "accepted" {
            self.summary.push_str(" (test mode: nothing was revoked)");
        }
        self
    }

    /// Describes input that failed validation before anything was sent.
    pub fn from_input_error(error: &InputError) -> Self {
        let mut report = Report::new("invalid_request", Exit::Usage, format!("{error}"));
        report.advice = Some("nothing was sent; correct the value and run the command again".to_owned());
        report.field = Some(error.field().to_owned());
        report.problem = Some(error.problem().to_owned());
        report
    }

    /// Describes a revocation that left the certificate unusable.
    pub fn from_outcome(outcome: &Outcome, context: &Context<'_>) -> Self {
        let identifier = context.identifier;
        let server = server_text(outcome.code(), outcome.message());
        let (result, exit, summary) = match outcome.kind() {
            OutcomeKind::Accepted if !context.include_in_crl => ("accepted", Exit::Success, replaced_text(context)),
            OutcomeKind::Accepted if context.test_mode => (
                "accepted",
                Exit::Success,
                format!(
                    "test mode: revocation of {identifier} accepted by the API (reason {}); nothing was revoked",
                    context.reason
                ),
            ),
            OutcomeKind::Accepted => {
                ("accepted", Exit::Success, format!("revocation accepted for {identifier} (reason {})", context.reason))
            }
            OutcomeKind::AlreadyRevoked => (
                "already_revoked",
                Exit::AlreadyFinal,
                format!("already revoked: {identifier} ({server}); nothing to do"),
            ),
            OutcomeKind::AlreadyRejected => (
                "already_rejected",
                Exit::AlreadyFinal,
                format!(
                    "already rejected: the request for {identifier} was rejected earlier ({server}); nothing to do"
                ),
            ),
            OutcomeKind::Expired => (
                "expired",
                Exit::AlreadyFinal,
                format!("expired: {identifier} cannot be revoked ({server}); nothing to do"),
            ),
            _ => ("unexpected", Exit::Failure, format!("{outcome} ({server})")),
        };

        let mut report = Report::new(result, exit, summary).with_context(context);
        report.code = Some(outcome.code());
        report.message = outcome.message().map(str::to_owned);
        report.http_status = Some(outcome.http_status());
        report.attempts = Some(outcome.attempts());
        report
    }

    /// Describes a revocation that ended in an error.
    pub fn from_error(error: &Error, context: &Context<'_>) -> Self {
        let identifier = context.identifier;
        let (result, exit, summary, advice) = match error {
            Error::InvalidRequest(invalid) => {
                return Report::from_input_error(&InputError::from(invalid.clone())).with_context(context);
            }
            Error::Api(api) => (
                "api_error",
                Exit::Rejected,
                format!("rejected by the API for {identifier}: {api}"),
                api_advice(api.kind(), api.item(), identifier),
            ),
            Error::RateLimited { retry_after, .. } => {
                let wait = match retry_after {
                    Some(pause) => format!("wait {} s", pause.as_secs()),
                    None => "wait a few minutes".to_owned(),
                };
                (
                    "rate_limited",
                    Exit::RateLimited,
                    format!("{error} for {identifier}; nothing was revoked"),
                    format!("{wait} and repeat; --retries N waits and repeats automatically"),
                )
            }
            Error::NotSent { cause, .. } => (
                "not_sent",
                Exit::NotSent,
                format!("{error}"),
                format!("{}; repeating is safe", not_sent_advice(cause)),
            ),
            Error::Redirected { .. } => (
                "redirected",
                Exit::Redirected,
                format!("{error}"),
                "redirects are never followed, because that would send the credentials to another address; \
                 set --endpoint or SECTIGO_ENDPOINT to the final URL, or check the proxy"
                    .to_owned(),
            ),
            Error::OutcomeUnknown { http_status, .. } => {
                let check = "check the certificate's status (its OCSP answer or the Sectigo account) before \
                             repeating; repeating a revocation that went through answers \"already revoked\"";
                match http_status.filter(|status| is_wrong_address_status(*status)) {
                    Some(status) => (
                        "outcome_unknown",
                        Exit::OutcomeUnknown,
                        format!("{error} ({identifier})"),
                        format!(
                            "the endpoint URL {} is probably wrong, because the server answered HTTP {status} \
                             instead of an API response: check --endpoint or SECTIGO_ENDPOINT, whose path must be \
                             {ENDPOINT_PATH} (single quotes keep the ! in a shell). Then {check}",
                            context.endpoint
                        ),
                    ),
                    None => {
                        ("outcome_unknown", Exit::OutcomeUnknown, format!("{error} ({identifier})"), check.to_owned())
                    }
                }
            }
            other => ("error", Exit::Failure, format!("{other}"), "run again with -v for details".to_owned()),
        };

        let mut report = Report::new(result, exit, summary).with_context(context);
        report.advice = Some(advice);
        report.code = error.api_code();
        report.http_status = error.http_status();
        report.retry_after_secs = error.retry_after().map(|pause| pause.as_secs());
        if let Error::Api(api) = error {
            report.message = api.message().map(str::to_owned);
            report.item = api.item().map(str::to_owned);
        }
        report
    }
}

/// Returns the summary of an accepted request that sent `includeInCRL=N`, which marks
/// an issued certificate replaced and leaves it out of the CRL.
fn replaced_text(context: &Context<'_>) -> String {
    let (identifier, reason) = (context.identifier, context.reason);
    if context.test_mode {
        format!(
            "test mode: request with includeInCRL=N for {identifier} accepted by the API (reason {reason}); nothing \
             was marked replaced or revoked"
        )
    } else {
        format!(
            "marked replaced, not revoked: {identifier} (includeInCRL=N, reason {reason}); run again without \
             --no-crl to revoke it"
        )
    }
}

/// The path of the endpoint URL, as in `sectigo_revoke::DEFAULT_ENDPOINT`.
const ENDPOINT_PATH: &str = "/products/!AutoRevokeCertificate";

/// Returns true for an HTTP status that points to a wrong endpoint URL rather than a
/// failing server: a client error other than 429, such as 404 for a mistyped path.
fn is_wrong_address_status(status: u16) -> bool {
    (400..=499).contains(&status) && status != 429
}

/// Returns `API code -21: The certificate has already been revoked.`, or the code alone.
fn server_text(code: i32, message: Option<&str>) -> String {
    match message {
        Some(message) => format!("API code {code}: {message}"),
        None => format!("API code {code}"),
    }
}

fn api_advice(kind: ApiErrorKind, item: Option<&str>, identifier: &CertificateIdentifier) -> String {
    let item = item.unwrap_or(identifier.field().name());
    match kind {
        ApiErrorKind::InvalidArgument => format!(
            "check the value of {item}; an order number, certificate ID or serial number that Sectigo does not know \
             also gets -4"
        ),
        ApiErrorKind::MissingArgument | ApiErrorKind::UnrecognisedArgument => format!(
            "the endpoint did not expect the parameters sent ({item}); check that --endpoint is the \
             !AutoRevokeCertificate URL"
        ),
        ApiErrorKind::Authentication => "check the login name and password; do not repeat with the same credentials, \
                                         because repeated failed logins can get this address blocked"
            .to_owned(),
        ApiErrorKind::NotHttps | ApiErrorKind::MethodNotPost => {
            "a proxy or redirect changed the request on its way; check --endpoint and the proxy settings".to_owned()
        }
        ApiErrorKind::IssuanceInProgress => "the certificate is still being issued; try again later".to_owned(),
        ApiErrorKind::PermissionDenied => {
            "this login may not act on the certificate; check --account-id, or use the login of the account that \
             owns it"
                .to_owned()
        }
        ApiErrorKind::ServerError => {
            "Sectigo reported an unknown error; try again later, and contact Sectigo support if it persists".to_owned()
        }
        _ => "read the server's message; contact Sectigo support if it does not say what to change".to_owned(),
    }
}

fn not_sent_advice(cause: &NotSentCause) -> &'static str {
    match cause {
        NotSentCause::Resolve(_) => "check the host name in --endpoint and the DNS settings",
        NotSentCause::Tls(_) => {
            "check that the endpoint's certificate is trusted (--ca-bundle FILE or --system-roots) and issued for its \
             host name"
        }
        NotSentCause::Proxy(_) => "check --proxy or the proxy environment variables (--no-proxy connects directly)",
        _ => "check --endpoint, the network and any firewall",
    }
}

/// Prints the certificate read with `--cert`, so that the user sees what is revoked.
pub fn print_certificate(file: &CertificateFile) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "certificate {}", file.path.display())?;
    writeln!(out, "  subject:   {}", file.info.subject())?;
    writeln!(out, "  issuer:    {}", file.info.issuer())?;
    writeln!(out, "  serial:    {}", file.info.serial_number())?;
    writeln!(out, "  not after: {}", file.info.not_after())
}

/// Prints a report and returns its exit status.
pub fn print(report: &Report, json: bool) -> Exit {
    let written = if json {
        print_json(report)
    } else if matches!(report.exit, Exit::Success | Exit::AlreadyFinal) {
        writeln!(std::io::stdout().lock(), "{}", report.summary)
    } else {
        print_error(report)
    };
    match written {
        Ok(()) => report.exit,
        Err(_) => Exit::Failure,
    }
}

fn print_error(report: &Report) -> std::io::Result<()> {
    let mut err = std::io::stderr().lock();
    writeln!(err, "error: {}", report.summary)?;
    if let Some(advice) = &report.advice {
        writeln!(err, "hint: {advice}")?;
    }
    Ok(())
}

fn print_json(report: &Report) -> std::io::Result<()> {
    let text = serde_json::to_string(report).map_err(std::io::Error::other)?;
    writeln!(std::io::stdout().lock(), "{text}")
}

/// Prints the request a dry run would send, and returns the exit status.
pub fn print_dry_run(dry_run: &DryRun, context: &Context<'_>, placeholder_login: bool, json: bool) -> Exit {
    let mut summary = format!("dry run: nothing was sent to {}", dry_run.url());
    if placeholder_login {
        summary.push_str("; no login name is set, so the request shows a placeholder");
    }

    let written = if json {
        let mut report = Report::new("dry_run", Exit::Success, summary).with_context(context);
        report.request = Some(RequestJson {
            method: dry_run.method(),
            url: dry_run.url().to_owned(),
            headers: dry_run.headers().into_iter().map(|(name, value)| (name, value.to_owned())).collect(),
            body: dry_run.body().to_owned(),
            parameters: dry_run.parameters(),
        });
        print_json(&report)
    } else {
        print_dry_run_text(dry_run, context, &summary)
    };
    match written {
        Ok(()) => Exit::Success,
        Err(_) => Exit::Failure,
    }
}

fn print_dry_run_text(dry_run: &DryRun, context: &Context<'_>, summary: &str) -> std::io::Result<()> {
    if let Some(certificate) = context.certificate {
        print_certificate(certificate)?;
    }
    writeln!(std::io::stdout().lock(), "{dry_run}")?;
    writeln!(std::io::stderr().lock(), "{summary}")
}
