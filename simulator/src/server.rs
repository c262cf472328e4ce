//! The loopback HTTPS server: accepts connections, applies latency, call limits and
//! faults, and records every request.

use std::collections::VecDeque;
use std::io::{BufReader, BufWriter, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rustls::{ServerConnection, StreamOwned};
use serde::Serialize;

use sectigo_revoke::{ApiResponse, ResponseFormat, REDACTED};

use crate::catalogue::Catalogue;
use crate::endpoint::Endpoint;
use crate::fault::Fault;
use crate::http::{read_request, write_response, HttpRequest, HttpResponse, ReadError};
use crate::SimulatorConfig;

/// How long an idle keep-alive connection stays open.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// The paths the simulator serves. Sectigo's pages spell the path both ways.
///
/// NOTE: whether the real endpoint's path is case-sensitive is unconfirmed.
const PATHS: [&str; 2] = ["/products/!AutoRevokeCertificate", "/products/!autoRevokeCertificate"];

/// One request as the simulator received it, with the password redacted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LoggedRequest {
    /// Position in the order of arrival, from 1.
    pub sequence: u64,
    /// Milliseconds since the Unix epoch.
    pub time_ms: u64,
    /// The HTTP method.
    pub method: String,
    /// The request path, without the query.
    pub path: String,
    /// The decoded parameters, `loginPassword` replaced by `********`.
    pub parameters: Vec<(String, String)>,
    /// The certificate identifier as `name=value`, when the request named a valid one.
    pub identifier: Option<String>,
    /// The API code of the response, when it carried one.
    pub code: Option<i32>,
    /// The fault applied, if any.
    pub fault: Option<String>,
    /// True when the request carried `test=Y`.
    pub test_mode: bool,
    /// The `User-Agent` header, when the request carried one.
    pub user_agent: Option<String>,
}

pub(crate) struct Shared {
    pub(crate) config: SimulatorConfig,
    pub(crate) state: Mutex<State>,
    pub(crate) stopping: AtomicBool,
    pub(crate) connections: AtomicU64,
}

pub(crate) struct State {
    pub(crate) catalogue: Catalogue,
    pub(crate) injected: VecDeque<Fault>,
    pub(crate) log: Vec<LoggedRequest>,
    calls: VecDeque<Instant>,
    log_file: Option<BufWriter<std::fs::File>>,
}

impl State {
    pub(crate) fn new(catalogue: Catalogue, log_file: Option<std::fs::File>) -> Self {
        State {
            catalogue,
            injected: VecDeque::new(),
            log: Vec::new(),
            calls: VecDeque::new(),
            log_file: log_file.map(BufWriter::new),
        }
    }
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A panic in one connection thread must not stop the others from responding.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

enum Reply {
    Http { response: HttpResponse, close: bool },
    Reset,
}

pub(crate) fn accept_loop(listener: TcpListener, shared: Arc<Shared>, tls: Arc<rustls::ServerConfig>) {
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        shared.connections.fetch_add(1, Ordering::SeqCst);
        let shared = Arc::clone(&shared);
        let tls = Arc::clone(&tls);
        std::thread::spawn(move || serve_connection(stream, &shared, tls));
    }
}

fn serve_connection(stream: TcpStream, shared: &Shared, tls: Arc<rustls::ServerConfig>) {
    let _ = stream.set_read_timeout(Some(IDLE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let Ok(connection) = ServerConnection::new(tls) else { return };
    let mut reader = BufReader::new(StreamOwned::new(connection, stream));

    loop {
        let request = match read_request(&mut reader) {
            Ok(request) => request,
            Err(ReadError::Malformed(problem)) => {
                let response = HttpResponse::new(400, "text/plain", format!("bad request: {problem}\n"));
                let _ = write_response(reader.get_mut(), &response, true);
                break;
            }
            Err(ReadError::Closed) => break,
            Err(ReadError::Io(error)) => {
                log::debug!("simulator connection ended: {error}");
                break;
            }
        };
        if shared.stopping.load(Ordering::SeqCst) {
            break;
        }

        let (reply, delay) = respond(shared, &request);
        std::thread::sleep(shared.config.latency + delay);
        match reply {
            Reply::Reset => {
                reset(&reader.get_ref().sock);
                return;
            }
            Reply::Http { response, close } => {
                let close = close || request.wants_close();
                if write_response(reader.get_mut(), &response, close).is_err() || close {
                    break;
                }
            }
        }
    }

    let stream = reader.get_mut();
    stream.conn.send_close_notify();
    let _ = stream.flush();
}

/// Closes the connection with a TCP reset: linger on with a zero timeout makes the
/// kernel send RST instead of FIN.
fn reset(socket: &TcpStream) {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        let linger = libc::linger { l_onoff: 1, l_linger: 0 };
        // SAFETY: the descriptor is open for the lifetime of `socket`, and the option
        // value points to a correctly sized `linger` struct.
        unsafe {
            libc::setsockopt(
                socket.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_LINGER,
                (&linger as *const libc::linger).cast(),
                std::mem::size_of::<libc::linger>() as libc::socklen_t,
            );
        }
    }
    let _ = socket.shutdown(Shutdown::Both);
}

fn respond(shared: &Shared, request: &HttpRequest) -> (Reply, Duration) {
    if !PATHS.iter().any(|path| request.path() == *path) {
        let body = "<html><body><h1>404 Not Found</h1></body></html>";
        return (Reply::Http { response: HttpResponse::new(404, "text/html", body), close: false }, Duration::ZERO);
    }

    let parameters = parameters_of(request);
    let format = match parameters.iter().find(|(name, _)| name == "responseFormat") {
        Some((_, value)) if value == "1" => ResponseFormat::UrlEncoded,
        _ => ResponseFormat::Text,
    };
    let mut entry = LoggedRequest {
        sequence: 0,
        time_ms: SystemTime::now().duration_since(UNIX_EPOCH).map(|time| time.as_millis() as u64).unwrap_or_default(),
        method: request.method.clone(),
        path: request.path().to_owned(),
        parameters: redacted(&parameters),
        identifier: None,
        code: None,
        fault: None,
        test_mode: parameters.iter().any(|(name, value)| name == "test" && value == "Y"),
        user_agent: request.header("user-agent").map(str::to_owned),
    };

    let mut state = shared.lock();
    let mut fault = state.injected.pop_front().or_else(|| shared.config.fault.clone());
    let answer = match &fault {
        Some(early) if !early.processes_request() => None,
        _ if over_call_limit(shared, &mut state) => {
            Some(ApiResponse::new(format, -42, Some("Call limit reached. Please try again later."), None))
        }
        _ => {
            let State { catalogue, .. } = &mut *state;
            let mut endpoint =
                Endpoint { login_name: &shared.config.login_name, password: &shared.config.password, catalogue };
            let decision = endpoint.handle(&request.method, &parameters);
            entry.identifier = decision.identifier;
            fault = fault.or(decision.fault);
            match &fault {
                Some(early) if !early.processes_request() => None,
                _ => Some(decision.response),
            }
        }
    };

    entry.code = match (&fault, &answer) {
        (Some(Fault::CallLimit), _) => Some(-42),
        (Some(Fault::UnknownError), _) => Some(-14),
        (_, Some(answer)) => Some(answer.code()),
        _ => None,
    };
    entry.fault = fault.as_ref().map(ToString::to_string);
    record(&mut state, entry);
    drop(state);

    let delay = fault.as_ref().and_then(Fault::delay).unwrap_or_default();
    let reply = match fault {
        Some(fault) => fault_reply(&fault, format, answer),
        None => api_reply(&answer.expect("no fault means an answer")),
    };
    (reply, delay)
}

fn over_call_limit(shared: &Shared, state: &mut State) -> bool {
    let Some(limit) = &shared.config.call_limit else { return false };
    let now = Instant::now();
    while state.calls.front().is_some_and(|call| now.duration_since(*call) >= limit.window) {
        state.calls.pop_front();
    }
    if state.calls.len() >= limit.max_calls as usize {
        return true;
    }
    state.calls.push_back(now);
    false
}

fn record(state: &mut State, mut entry: LoggedRequest) {
    entry.sequence = state.log.len() as u64 + 1;
    if let Some(file) = &mut state.log_file {
        if let Ok(line) = serde_json::to_string(&entry) {
            let written = writeln!(file, "{line}").and_then(|()| file.flush());
            if let Err(error) = written {
                log::error!("cannot write the request log: {error}");
            }
        }
    }
    state.log.push(entry);
}

fn parameters_of(request: &HttpRequest) -> Vec<(String, String)> {
    let is_form = request
        .header("content-type")
        .is_some_and(|value| value.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
    let encoded = if request.method.eq_ignore_ascii_case("POST") {
        if is_form {
            String::from_utf8_lossy(&request.body).into_owned()
        } else {
            String::new()
        }
    } else {
        request.query().to_owned()
    };
    serde_urlencoded::from_str(&encoded).unwrap_or_default()
}

fn redacted(parameters: &[(String, String)]) -> Vec<(String, String)> {
    parameters
        .iter()
        .map(|(name, value)| {
            let value = if name == "loginPassword" { REDACTED.to_owned() } else { value.clone() };
            (name.clone(), value)
        })
        .collect()
}

fn api_reply(answer: &ApiResponse) -> Reply {
    let response = HttpResponse::new(200, "text/plain; charset=utf-8", answer.to_body());
    Reply::Http { response, close: false }
}

fn html(status: u16, title: &str) -> HttpResponse {
    let body =
        format!("<!DOCTYPE html>\n<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>\n");
    HttpResponse::new(status, "text/html; charset=utf-8", body)
}

fn fault_reply(fault: &Fault, format: ResponseFormat, answer: Option<ApiResponse>) -> Reply {
    let http = |response| Reply::Http { response, close: false };
    match fault {
        Fault::SlowReply { .. } => api_reply(&answer.expect("slow replies carry an answer")),
        Fault::Reset => Reply::Reset,
        Fault::EmptyBody => http(HttpResponse::new(200, "text/plain", "")),
        Fault::HtmlBody => http(html(200, "Service Notice")),
        Fault::TruncatedBody => {
            let body = answer.map(|answer| answer.to_body()).unwrap_or_default();
            let mut response = HttpResponse::new(200, "text/plain", body.clone());
            response.announced_length = Some(body.len() + 64);
            Reply::Http { response, close: true }
        }
        Fault::OversizedBody { bytes } => {
            let mut body = answer.map(|answer| answer.to_body()).unwrap_or_default().into_bytes();
            body.resize((*bytes).max(body.len()), b' ');
            http(HttpResponse::new(200, "text/plain", body))
        }
        Fault::ServerErrorHtml => http(html(500, "500 Internal Server Error")),
        Fault::ServiceUnavailableHtml => http(html(503, "503 Service Unavailable")),
        Fault::TooManyRequests { retry_after_secs } => {
            http(html(429, "429 Too Many Requests").header("Retry-After", retry_after_secs.to_string()))
        }
        Fault::CallLimit => {
            api_reply(&ApiResponse::new(format, -42, Some("Call limit reached. Please try again later."), None))
        }
        Fault::UnknownError => api_reply(&ApiResponse::new(format, -14, Some("An unknown error occurred."), None)),
        Fault::Redirect { status, location } => {
            http(HttpResponse::new(*status, "text/html", "").header("Location", location.clone()))
        }
    }
}
