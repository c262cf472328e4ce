//! The fault matrix shared by the Rust API, C ABI and command-line tests: reads
//! `tests/fault_matrix.json`, sets up each case's server side on loopback, and
//! compares what a front door reported with what the case expects.
//!
//! The command-line crate includes this file by path, so it uses only crates that both
//! test crates depend on: the simulator, serde and serde_json.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use serde::Deserialize;

use sectigo_revoke_simulator::{Fault, ServerCertificate, Simulator, SimulatorConfig};

/// The matrix, embedded at compile time so that every test crate reads the same file.
const MATRIX_JSON: &str = include_str!("../fault_matrix.json");

/// The placeholder in a fault's strings that becomes the decoy listener's port.
const DECOY_PORT_PLACEHOLDER: &str = "{decoy_port}";

/// The canonical result names, in the order the front doors' tables list them.
pub const RESULTS: [&str; 6] = ["accepted", "api_error", "rate_limited", "not_sent", "redirected", "outcome_unknown"];

/// The whole table.
#[derive(Debug, Deserialize)]
pub struct Matrix {
    /// The certificate every case revokes.
    pub certificate_id: u64,
    /// The words each cause's message contains.
    pub cause_texts: HashMap<String, String>,
    pub cases: Vec<Case>,
}

/// One server behaviour and the result it must produce.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub name: String,
    #[serde(default)]
    pub server: ServerSpec,
    #[serde(default)]
    pub client: ClientSpec,
    pub expect: Expect,
}

/// How the server side misbehaves.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSpec {
    /// A simulator fault in the simulator's JSON form, applied to the first request.
    pub fault: Option<serde_json::Value>,
    /// `valid`, `expired` or `wrong_host`.
    pub certificate: Option<String>,
    /// `tls_stall`: the endpoint is a listener that never completes the TLS handshake.
    pub listener: Option<String>,
    /// `reject_connect`: the client goes through a proxy that responds 403 to CONNECT.
    pub proxy: Option<String>,
}

/// The client settings of a case.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClientSpec {
    /// `simulator_ca` or `mozilla`.
    pub trust: String,
    pub connect_timeout_ms: u64,
    pub timeout_ms: u64,
}

impl Default for ClientSpec {
    fn default() -> Self {
        ClientSpec { trust: "simulator_ca".to_owned(), connect_timeout_ms: 5_000, timeout_ms: 10_000 }
    }
}

/// What every front door must report, and what the server must have seen.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub result: String,
    pub api_code: Option<i32>,
    pub http_status: Option<u16>,
    pub retry_after_secs: Option<u64>,
    pub cause: Option<String>,
    pub requests: usize,
    pub state: String,
}

/// What one front door reported for one case, in the matrix's terms.
#[derive(Debug, Default)]
pub struct Observed {
    pub result: String,
    pub api_code: Option<i32>,
    pub http_status: Option<u16>,
    pub retry_after_secs: Option<u64>,
    /// The cause, for front doors that report it as a value; `None` for those that
    /// report it only in the description.
    pub cause: Option<String>,
    /// The message the front door shows for the result.
    pub description: String,
}

impl Matrix {
    /// Parses the embedded table and checks that every name in it is known.
    pub fn load() -> Matrix {
        let matrix: Matrix = serde_json::from_str(MATRIX_JSON).expect("tests/fault_matrix.json is valid");
        for case in &matrix.cases {
            assert!(RESULTS.contains(&case.expect.result.as_str()), "{}: unknown result", case.name);
            if let Some(cause) = &case.expect.cause {
                assert!(matrix.cause_texts.contains_key(cause), "{}: cause {cause} has no text", case.name);
            }
        }
        matrix
    }

    /// Returns every difference between what a front door reported and what the case
    /// expects, each naming the front door, the case and the value.
    pub fn differences(&self, front_door: &str, case: &Case, observed: &Observed) -> Vec<String> {
        let expect = &case.expect;
        let mut differences = Vec::new();
        let mut compare = |what: &str, seen: String, wanted: String| {
            if seen != wanted {
                differences.push(format!(
                    "{front_door}, {}: {what} is {seen}, expected {wanted} ({})",
                    case.name, observed.description
                ));
            }
        };

        compare("result", observed.result.clone(), expect.result.clone());
        compare("API code", format!("{:?}", observed.api_code), format!("{:?}", expect.api_code));
        compare("HTTP status", format!("{:?}", observed.http_status), format!("{:?}", expect.http_status));
        compare("retry-after", format!("{:?}", observed.retry_after_secs), format!("{:?}", expect.retry_after_secs));
        if let (Some(seen), Some(wanted)) = (&observed.cause, &expect.cause) {
            compare("cause", seen.clone(), wanted.clone());
        }
        if let Some(cause) = &expect.cause {
            let text = &self.cause_texts[cause];
            if !observed.description.contains(text.as_str()) {
                differences.push(format!(
                    "{front_door}, {}: message does not say {text:?}: {}",
                    case.name, observed.description
                ));
            }
        }
        differences
    }
}

/// The server side of one case, running on loopback until dropped.
pub struct Scenario {
    pub simulator: Simulator,
    /// The URL the client sends to: the simulator's endpoint, or the stalling listener.
    pub endpoint: String,
    /// The simulator's CA certificate, for clients that trust it.
    pub ca_file: PathBuf,
    /// True when the client trusts `ca_file`; false when it trusts only Mozilla's roots.
    pub trust_simulator_ca: bool,
    /// The proxy the client must use, or `None` for a direct connection.
    pub proxy_url: Option<String>,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    stall: Option<TcpListener>,
    decoys: Vec<TcpListener>,
    proxy: Option<RejectingProxy>,
}

impl Scenario {
    /// Starts the simulator and whatever else the case needs, writing the CA
    /// certificate into `dir`.
    pub fn start(case: &Case, dir: &Path, login_name: &str, password: &str) -> Scenario {
        let mut config = SimulatorConfig::new(login_name, password);
        config.server_certificate = match case.server.certificate.as_deref() {
            None | Some("valid") => ServerCertificate::Valid,
            Some("expired") => ServerCertificate::Expired,
            Some("wrong_host") => ServerCertificate::WrongHost,
            Some(other) => panic!("{}: unknown server certificate {other}", case.name),
        };
        let simulator = Simulator::start(config).expect("the simulator starts on loopback");
        let ca_file = dir.join(format!("{}-ca.pem", case.name));
        simulator.write_ca_pem(&ca_file).expect("the CA file can be written");

        let decoys = decoy_listeners();
        let decoy_port = decoys[0].local_addr().expect("the decoy has an address").port();
        if let Some(fault) = &case.server.fault {
            let fault = with_decoy_port(fault.clone(), decoy_port);
            let fault: Fault = serde_json::from_value(fault).expect("the case's fault is a simulator fault");
            simulator.inject_fault(fault, 1);
        }

        let (endpoint, stall) = match case.server.listener.as_deref() {
            None => (simulator.endpoint(), None),
            Some("tls_stall") => {
                // A listening socket completes TCP handshakes in the kernel, so the
                // client connects and then waits for a ServerHello that never comes.
                let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port is free");
                let address = listener.local_addr().expect("the listener has an address");
                (format!("https://{address}/products/!AutoRevokeCertificate"), Some(listener))
            }
            Some(other) => panic!("{}: unknown listener {other}", case.name),
        };
        let proxy = match case.server.proxy.as_deref() {
            None => None,
            Some("reject_connect") => Some(RejectingProxy::start()),
            Some(other) => panic!("{}: unknown proxy {other}", case.name),
        };
        let trust_simulator_ca = match case.client.trust.as_str() {
            "simulator_ca" => true,
            "mozilla" => false,
            other => panic!("{}: unknown trust {other}", case.name),
        };

        Scenario {
            simulator,
            endpoint,
            ca_file,
            trust_simulator_ca,
            proxy_url: proxy.as_ref().map(RejectingProxy::url),
            connect_timeout: Duration::from_millis(case.client.connect_timeout_ms),
            timeout: Duration::from_millis(case.client.timeout_ms),
            stall,
            decoys,
            proxy,
        }
    }

    /// Returns every difference between what the server side saw and what the case
    /// expects: the requests the simulator logged, the certificate's state, and the
    /// connections the decoy, the stalling listener and the proxy received.
    pub fn differences(&self, front_door: &str, matrix: &Matrix, case: &Case) -> Vec<String> {
        let mut differences = Vec::new();
        let name = &case.name;

        let requests = self.simulator.requests().len();
        if requests != case.expect.requests {
            differences.push(format!(
                "{front_door}, {name}: the simulator logged {requests} requests, expected {}",
                case.expect.requests
            ));
        }
        let state = self.simulator.state_of_certificate_id(matrix.certificate_id);
        let state = state.map(|state| serde_json::to_value(state).expect("a state serialises"));
        if state.as_ref().and_then(|value| value.as_str()) != Some(case.expect.state.as_str()) {
            differences
                .push(format!("{front_door}, {name}: the certificate is {state:?}, expected {}", case.expect.state));
        }

        for decoy in &self.decoys {
            if has_pending_connection(decoy) {
                differences.push(format!("{front_door}, {name}: the redirect target received a connection"));
            }
        }
        if let Some(stall) = &self.stall {
            if !has_pending_connection(stall) {
                differences.push(format!("{front_door}, {name}: the client never connected to the stalling listener"));
            }
        }
        if let Some(proxy) = &self.proxy {
            let expected = format!("CONNECT {} HTTP/1.1", self.simulator.address());
            let lines = proxy.request_lines();
            if !lines.contains(&expected) {
                differences.push(format!("{front_door}, {name}: the proxy saw {lines:?}, expected {expected:?}"));
            }
        }
        differences
    }
}

/// Replaces the decoy placeholder in every string of a fault.
fn with_decoy_port(value: serde_json::Value, port: u16) -> serde_json::Value {
    match value {
        serde_json::Value::String(text) => {
            serde_json::Value::String(text.replace(DECOY_PORT_PLACEHOLDER, &port.to_string()))
        }
        serde_json::Value::Object(map) => {
            map.into_iter().map(|(key, value)| (key, with_decoy_port(value, port))).collect()
        }
        other => other,
    }
}

/// Binds the decoy port on 127.0.0.1 and, when the machine has IPv6, on ::1 too, so
/// that a client following a redirect to `localhost` would reach one of them.
fn decoy_listeners() -> Vec<TcpListener> {
    let first = TcpListener::bind("127.0.0.1:0").expect("a loopback port is free");
    let port = first.local_addr().expect("the decoy has an address").port();
    let mut listeners = vec![first];
    if let Ok(second) = TcpListener::bind(SocketAddr::from((Ipv6Addr::LOCALHOST, port))) {
        listeners.push(second);
    }
    listeners
}

/// Returns true when a connection waits in the listener's queue; accepts it.
fn has_pending_connection(listener: &TcpListener) -> bool {
    listener.set_nonblocking(true).expect("the listener can be made non-blocking");
    listener.accept().is_ok()
}

/// A loopback HTTP proxy that responds to every request, CONNECT included, with 403.
struct RejectingProxy {
    address: SocketAddr,
    lines: Arc<Mutex<Vec<String>>>,
    stopping: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl RejectingProxy {
    fn start() -> RejectingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port is free");
        let address = listener.local_addr().expect("the proxy has an address");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let stopping = Arc::new(AtomicBool::new(false));

        let thread_lines = Arc::clone(&lines);
        let thread_stopping = Arc::clone(&stopping);
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if thread_stopping.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    reject(stream, &thread_lines);
                }
            }
        });
        RejectingProxy { address, lines, stopping, thread: Some(thread) }
    }

    fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    fn request_lines(&self) -> Vec<String> {
        self.lines.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }
}

/// Reads one request head, records its first line and responds 403.
fn reject(stream: TcpStream, lines: &Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(&stream);
    let mut first_line = String::new();
    if reader.read_line(&mut first_line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header.trim().is_empty() => break,
            Ok(_) => {}
        }
    }
    lines.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(first_line.trim_end().to_owned());

    let mut writer = &stream;
    let _ = writer.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    let _ = writer.flush();
}

impl Drop for RejectingProxy {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wakes the accept loop, which checks the flag after each connection.
        let _ = TcpStream::connect_timeout(&self.address, Duration::from_secs(1));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
