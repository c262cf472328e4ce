//! The `simulate` subcommand: runs the endpoint simulator on loopback until SIGINT or
//! SIGTERM arrives.

use std::io::Write;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, ValueEnum};

use sectigo_revoke_simulator::{
    CallLimit, Catalogue, Fault, Simulator, SimulatorConfig, DEFAULT_LOGIN_NAME, DEFAULT_PASSWORD,
};

use crate::exit::Exit;
use crate::input::{self, InputError, PasswordSource};
use crate::termination;

/// How often the request log is checked for new requests to log with `-v`.
const REQUEST_POLL_INTERVAL: Duration = Duration::from_millis(200);

/// Options of `sectigo-revoke simulate`.
#[derive(Args, Debug)]
#[command(after_help = SIMULATE_AFTER_HELP)]
pub struct SimulateArgs {
    /// TCP port to listen on; 0 picks a free port. The simulator listens on loopback
    /// only: 127.0.0.1, or ::1 with --ipv6.
    #[arg(long, value_name = "PORT", default_value_t = 0)]
    port: u16,

    /// Listen on ::1 instead of 127.0.0.1.
    #[arg(long)]
    ipv6: bool,

    /// Write the generated CA certificate (PEM) to this file, for the client's
    /// --ca-bundle. Without it, a temporary file is used and removed on stop.
    #[arg(long, value_name = "FILE")]
    ca_file: Option<PathBuf>,

    /// File to write the endpoint URL to once the simulator listens, so that scripts
    /// can wait for it. Written after the CA file, and removed on stop.
    #[arg(long, value_name = "FILE")]
    ready_file: Option<PathBuf>,

    /// Write every request as one JSON line to this file, the password redacted.
    #[arg(long, value_name = "FILE")]
    log: Option<PathBuf>,

    #[command(flatten)]
    credentials: SimulatorCredentialArgs,

    #[command(flatten)]
    behaviour: BehaviourArgs,
}

/// The login the simulator accepts.
#[derive(Args, Debug)]
#[command(next_help_heading = "Accepted login")]
struct SimulatorCredentialArgs {
    /// Login name the simulator accepts.
    #[arg(long, value_name = "NAME", env = input::LOGIN_NAME_ENV, hide_env_values = true,
          default_value = DEFAULT_LOGIN_NAME)]
    login_name: String,

    /// Read the accepted password from the first line of FILE; - reads standard
    /// input. Without it the password comes from SECTIGO_LOGIN_PASSWORD, or is the
    /// demo password "demo-password" when that is unset.
    #[arg(long, value_name = "FILE")]
    password_file: Option<PathBuf>,

    /// Rejected with an explanation: other users can read command lines.
    #[arg(long, value_name = "PASSWORD", hide = true, alias = "login-password")]
    password: Option<String>,
}

/// The simulator's responses.
#[derive(Args, Debug)]
#[command(next_help_heading = "Behaviour")]
struct BehaviourArgs {
    /// Catalogue of certificates and their states, as JSON:
    /// {"certificates": [{"order_number": 1, "certificate_id": 2, "serial_number": "0A1B", "state": "issued"}],
    /// "accept_unknown": false}. States: issued, pending, issuing, replaced, revoked, rejected, expired.
    /// Without it the built-in catalogue is used, which includes the certificates in examples/certs/.
    #[arg(long, value_name = "FILE")]
    catalogue: Option<PathBuf>,

    /// Treat an identifier missing from the catalogue as an issued certificate,
    /// instead of returning -4.
    #[arg(long)]
    accept_unknown: bool,

    /// Delay added before every response, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    latency_ms: u64,

    /// Answer -42 (call limit reached) to calls beyond N per window.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    call_limit: Option<u32>,

    /// Length of the call limit's sliding window, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, requires = "call_limit",
          value_parser = clap::value_parser!(u64).range(1..))]
    call_window_secs: u64,

    /// Misbehave on every request (or the first --fault-count requests) in this way.
    #[arg(long, value_name = "KIND", value_enum)]
    fault: Option<FaultKind>,

    /// For --fault slow-reply: the wait before answering, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 5000, requires = "fault")]
    fault_delay_ms: u64,

    /// For --fault oversized-body: the body size, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024, requires = "fault")]
    fault_bytes: usize,

    /// For --fault too-many-requests: the Retry-After value, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, requires = "fault")]
    fault_retry_after_secs: u64,

    /// For --fault redirect: the HTTP status, one of 301, 302, 303, 307 or 308.
    #[arg(long, value_name = "STATUS", default_value_t = 302, requires = "fault",
          value_parser = parse_redirect_status)]
    fault_status: u16,

    /// For --fault redirect: the Location header sent.
    #[arg(
        long,
        value_name = "URL",
        default_value = "https://127.0.0.1/moved/products/!AutoRevokeCertificate",
        requires = "fault"
    )]
    fault_location: String,

    /// Apply --fault to only this many requests, then answer normally.
    #[arg(long, value_name = "N", requires = "fault")]
    fault_count: Option<usize>,
}

const SIMULATE_AFTER_HELP: &str = "\
The simulator prints the endpoint URL and the CA file on start, and runs until SIGINT
(Ctrl-C) or SIGTERM, which stop it cleanly with exit status 0. Exit status 1 means it
could not start (for example, the port is in use); 2 means invalid options.

Point the client at it:
  sectigo-revoke revoke --endpoint URL --ca-bundle CA_FILE --no-proxy --cert FILE";

/// A way the simulator can misbehave, as named on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum FaultKind {
    /// Revoke, then wait --fault-delay-ms before answering.
    SlowReply,
    /// Revoke, then close the connection with a TCP reset.
    Reset,
    /// Revoke, then answer 200 with an empty body.
    EmptyBody,
    /// Revoke, then answer 200 with an HTML page.
    HtmlBody,
    /// Revoke, then announce a longer body than is sent.
    TruncatedBody,
    /// Revoke, then answer with a body of --fault-bytes bytes.
    OversizedBody,
    /// Answer 500 with an HTML page.
    ServerErrorHtml,
    /// Answer 503 with an HTML page.
    ServiceUnavailableHtml,
    /// Answer 429 with Retry-After: --fault-retry-after-secs.
    TooManyRequests,
    /// Answer API code -42, call limit reached.
    CallLimit,
    /// Answer API code -14, unknown error.
    UnknownError,
    /// Answer with a redirect (--fault-status to --fault-location).
    Redirect,
}

fn parse_redirect_status(text: &str) -> Result<u16, String> {
    match text.trim().parse::<u16>() {
        Ok(status @ (301 | 302 | 303 | 307 | 308)) => Ok(status),
        _ => Err(format!("{text:?} is not a redirect status; give 301, 302, 303, 307 or 308")),
    }
}

impl BehaviourArgs {
    fn fault(&self) -> Option<Fault> {
        let fault = match self.fault? {
            FaultKind::SlowReply => Fault::SlowReply { delay_ms: self.fault_delay_ms },
            FaultKind::Reset => Fault::Reset,
            FaultKind::EmptyBody => Fault::EmptyBody,
            FaultKind::HtmlBody => Fault::HtmlBody,
            FaultKind::TruncatedBody => Fault::TruncatedBody,
            FaultKind::OversizedBody => Fault::OversizedBody { bytes: self.fault_bytes },
            FaultKind::ServerErrorHtml => Fault::ServerErrorHtml,
            FaultKind::ServiceUnavailableHtml => Fault::ServiceUnavailableHtml,
            FaultKind::TooManyRequests => Fault::TooManyRequests { retry_after_secs: self.fault_retry_after_secs },
            FaultKind::CallLimit => Fault::CallLimit,
            FaultKind::UnknownError => Fault::UnknownError,
            FaultKind::Redirect => Fault::Redirect { status: self.fault_status, location: self.fault_location.clone() },
        };
        Some(fault)
    }
}

/// The source of the accepted password, for the start-up message.
enum PasswordOrigin {
    File(PathBuf),
    Environment,
    Default,
}

/// Runs `sectigo-revoke simulate` until a termination signal and returns the exit
/// status.
pub fn run(args: &SimulateArgs) -> Exit {
    // Blocked before any thread starts, so that every thread inherits the mask and
    // the signals wait for the main thread's `sigwait`.
    let signals = termination::block();

    let (config, origin) = match configure(args) {
        Ok(configured) => configured,
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!("hint: the simulator did not start; correct the option and run it again");
            return Exit::Usage;
        }
    };
    let address = config.bind;
    let simulator = match Simulator::start(config) {
        Ok(simulator) => simulator,
        Err(error) if error.kind() == std::io::ErrorKind::AddrInUse => {
            eprintln!("error: the simulator could not start: cannot listen on {address}: {error}");
            eprintln!(
                "hint: another process listens on port {}; give another --port, or --port 0 to pick a free one",
                address.port()
            );
            return Exit::Failure;
        }
        Err(error) if error.kind() == std::io::ErrorKind::AddrNotAvailable => {
            eprintln!("error: the simulator could not start: cannot listen on {address}: {error}");
            eprintln!(
                "hint: this machine does not have that loopback address; ::1 needs IPv6, and without --ipv6 the \
                 simulator uses 127.0.0.1"
            );
            return Exit::Failure;
        }
        Err(error) => {
            eprintln!("error: the simulator could not start: {error}");
            eprintln!("hint: correct the cause named in the error, then start the simulator again");
            return Exit::Failure;
        }
    };
    if let Some(count) = args.behaviour.fault_count {
        // The configured fault applies to every request, so a counted fault is
        // injected instead.
        if let Some(fault) = args.behaviour.fault() {
            simulator.inject_fault(fault, count);
        }
    }

    let ca_file = ca_file(args);
    if let Err(error) = write_files(args, &simulator, &ca_file) {
        eprintln!("error: {error}");
        eprintln!("hint: give a --ca-file or --ready-file path in a writable folder");
        remove_files(args, ca_file.temporary.then_some(&ca_file.path));
        return Exit::Failure;
    }
    if announce(args, &simulator, &ca_file, &origin).is_err() {
        remove_files(args, ca_file.temporary.then_some(&ca_file.path));
        return Exit::Failure;
    }

    let simulator = Arc::new(simulator);
    let stopping = Arc::new(AtomicBool::new(false));
    let poller = log::log_enabled!(log::Level::Info).then(|| spawn_request_logger(&simulator, &stopping));

    let signal = termination::wait(&signals);
    log::info!("simulator received {signal}, stopping");
    stopping.store(true, Ordering::SeqCst);
    if let Some(poller) = poller {
        let _ = poller.join();
    }
    let requests = simulator.requests().len();
    drop(simulator);

    remove_files(args, ca_file.temporary.then_some(&ca_file.path));
    let noun = if requests == 1 { "request" } else { "requests" };
    println!("simulator stopped after {requests} {noun}");
    Exit::Success
}

/// Builds the simulator's configuration from the options.
fn configure(args: &SimulateArgs) -> Result<(SimulatorConfig, PasswordOrigin), InputError> {
    if args.credentials.password.is_some() {
        return Err(input::password_on_command_line());
    }

    let password_file = args.credentials.password_file.as_deref();
    let (password, origin) = match input::read_password(password_file)? {
        Some((password, source)) => {
            let origin = match source {
                PasswordSource::File(path) => PasswordOrigin::File(path),
                PasswordSource::Environment => PasswordOrigin::Environment,
            };
            (password.expose().to_owned(), origin)
        }
        None => (DEFAULT_PASSWORD.to_owned(), PasswordOrigin::Default),
    };

    let mut catalogue = match &args.behaviour.catalogue {
        Some(path) => Catalogue::from_json_file(path).map_err(|problem| {
            InputError::new("--catalogue", format!("{problem}; see --help for the catalogue's JSON shape"))
        })?,
        None => Catalogue::builtin(),
    };
    if args.behaviour.accept_unknown {
        catalogue.accept_unknown = true;
    }

    let ip = if args.ipv6 { Ipv6Addr::LOCALHOST.into() } else { Ipv4Addr::LOCALHOST.into() };
    let mut config = SimulatorConfig::new(args.credentials.login_name.clone(), password);
    config.catalogue = catalogue;
    config.bind = SocketAddr::new(ip, args.port);
    config.latency = Duration::from_millis(args.behaviour.latency_ms);
    config.call_limit = args
        .behaviour
        .call_limit
        .map(|max_calls| CallLimit { max_calls, window: Duration::from_secs(args.behaviour.call_window_secs) });
    config.fault = if args.behaviour.fault_count.is_some() { None } else { args.behaviour.fault() };
    config.log_file = args.log.clone();
    Ok((config, origin))
}

/// The CA certificate file, and whether the simulator chose its path.
struct CaFile {
    path: PathBuf,
    temporary: bool,
}

/// Returns the CA file given with `--ca-file`, or a temporary one named after the
/// process.
fn ca_file(args: &SimulateArgs) -> CaFile {
    match &args.ca_file {
        Some(path) => CaFile { path: path.clone(), temporary: false },
        None => CaFile {
            path: std::env::temp_dir().join(format!("sectigo-revoke-simulator-{}-ca.pem", std::process::id())),
            temporary: true,
        },
    }
}

/// Writes the CA file, then the ready file, so that a script that finds the ready
/// file also finds the CA file complete.
fn write_files(args: &SimulateArgs, simulator: &Simulator, ca_file: &CaFile) -> Result<(), String> {
    simulator
        .write_ca_pem(&ca_file.path)
        .map_err(|error| format!("cannot write the CA file {}: {error}", ca_file.path.display()))?;

    if let Some(ready_file) = &args.ready_file {
        write_atomically(ready_file, &format!("{}\n", simulator.endpoint()))
            .map_err(|error| format!("cannot write the ready file {}: {error}", ready_file.display()))?;
    }
    Ok(())
}

/// Writes through a temporary file and a rename, so that a reader never sees a
/// partly written file.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".partial");
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, path)
}

fn remove_files(args: &SimulateArgs, temporary_ca_file: Option<&PathBuf>) {
    if let Some(ready_file) = &args.ready_file {
        let _ = std::fs::remove_file(ready_file);
    }
    if let Some(ca_file) = temporary_ca_file {
        let _ = std::fs::remove_file(ca_file);
    }
}

fn announce(
    args: &SimulateArgs,
    simulator: &Simulator,
    ca_file: &CaFile,
    origin: &PasswordOrigin,
) -> std::io::Result<()> {
    let password = match origin {
        PasswordOrigin::File(path) if path == Path::new("-") => "the password read from standard input".to_owned(),
        PasswordOrigin::File(path) => format!("the password in {}", path.display()),
        PasswordOrigin::Environment => "the password in SECTIGO_LOGIN_PASSWORD".to_owned(),
        PasswordOrigin::Default => "the demo password (see --help)".to_owned(),
    };

    let mut out = std::io::stdout().lock();
    writeln!(out, "simulator listening on {}", simulator.endpoint())?;
    writeln!(out, "CA certificate: {}", ca_file.path.display())?;
    writeln!(out, "accepted login: {} with {password}", args.credentials.login_name)?;
    if let Some(log) = &args.log {
        writeln!(out, "request log: {}", log.display())?;
    }
    if let Some(fault) = args.behaviour.fault() {
        match args.behaviour.fault_count {
            Some(1) => writeln!(out, "fault: {fault} on the next request")?,
            Some(count) => writeln!(out, "fault: {fault} on the next {count} requests")?,
            None => writeln!(out, "fault: {fault} on every request")?,
        }
    }
    writeln!(out, "stop with Ctrl-C or SIGTERM")?;
    out.flush()
}

/// Logs each new request at info level until `stopping` is set.
fn spawn_request_logger(simulator: &Arc<Simulator>, stopping: &Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    let simulator = Arc::clone(simulator);
    let stopping = Arc::clone(stopping);
    std::thread::spawn(move || {
        let mut logged = 0;
        loop {
            let stop = stopping.load(Ordering::SeqCst);
            let requests = simulator.requests();
            for request in requests.iter().skip(logged) {
                let identifier = request.identifier.as_deref().unwrap_or("no valid identifier");
                let code = request.code.map_or_else(|| "no code".to_owned(), |code| format!("code {code}"));
                let fault = request.fault.as_deref().map(|fault| format!(", fault {fault}")).unwrap_or_default();
                log::info!("request {}: {} {identifier}: {code}{fault}", request.sequence, request.method);
            }
            logged = requests.len();
            if stop {
                break;
            }
            std::thread::sleep(REQUEST_POLL_INTERVAL);
        }
    })
}
