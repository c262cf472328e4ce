//! Helpers shared by the command-line tests: the built binary run as a child process
//! with a clean environment, a simulator per test, and temporary folders.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use sectigo_revoke_simulator::{Simulator, SimulatorConfig};

/// A password with characters that naive form encoding gets wrong. Every run checks
/// that it appears in neither standard output nor standard error, and
/// scripts/check-canary searches everything the test suite wrote for it. Every test
/// suite of the project uses this same password.
pub const CANARY_PASSWORD: &str = "canary+&=%/ pässwörd-7f3a";
pub const LOGIN_NAME: &str = "cli-user";

/// Variables that would send the child's requests through a proxy, or give it a
/// login or endpoint from the developer's environment.
const CLEARED_VARIABLES: [&str; 11] = [
    "http_proxy",
    "HTTP_PROXY",
    "https_proxy",
    "HTTPS_PROXY",
    "all_proxy",
    "ALL_PROXY",
    "no_proxy",
    "NO_PROXY",
    "SECTIGO_LOGIN_NAME",
    "SECTIGO_LOGIN_PASSWORD",
    "SECTIGO_ENDPOINT",
];

/// Returns the repository's root folder.
pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the CLI crate sits in the workspace root").to_path_buf()
}

/// Returns the path of a shipped test certificate, such as `top-bit.pem`.
pub fn shipped_certificate(name: &str) -> PathBuf {
    repository_root().join("examples/certs").join(name)
}

/// Returns a command for the binary under test, with the proxy, login and endpoint
/// variables removed from its environment.
pub fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sectigo-revoke"));
    for variable in CLEARED_VARIABLES {
        command.env_remove(variable);
    }
    command
}

/// Returns a command that runs `command_line` with `sh -c`, with the same variables
/// removed as for [`binary`]; for running a command line the binary printed.
pub fn shell(command_line: &str) -> Command {
    let mut command = Command::new("sh");
    command.arg("-c").arg(command_line);
    for variable in CLEARED_VARIABLES {
        command.env_remove(variable);
    }
    command
}

/// What one run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.stdout.trim())
            .unwrap_or_else(|error| panic!("stdout is not one JSON object ({error}): {}", self.stdout))
    }
}

/// Turns a finished process into a [`Run`], checking that the password is absent from
/// both outputs.
pub fn finished(output: Output) -> Run {
    let run = Run {
        status: output.status.code().expect("the process exited, not killed by a signal"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    };
    assert_no_password(&run.stdout, "stdout");
    assert_no_password(&run.stderr, "stderr");
    run
}

pub fn assert_no_password(text: &str, name: &str) {
    assert!(!text.contains(CANARY_PASSWORD), "{name} contains the password: {text}");
    assert!(!text.contains("canary+"), "{name} contains the start of the password: {text}");
    assert!(!text.contains("p%C3%A4ssw"), "{name} contains the encoded password: {text}");
}

/// Runs the command with standard input closed.
pub fn run(command: &mut Command) -> Run {
    finished(command.stdin(Stdio::null()).output().expect("the binary starts"))
}

/// Runs the command with `input` on standard input.
pub fn run_with_stdin(command: &mut Command, input: &str) -> Run {
    let mut child =
        command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("the binary starts");
    child.stdin.take().expect("stdin is piped").write_all(input.as_bytes()).expect("stdin accepts the input");
    finished(child.wait_with_output().expect("the binary finishes"))
}

/// The variable naming a folder where tests leave what they write; scripts/test sets
/// it so that scripts/check-canary can search the files for the password.
pub const OUTPUT_DIR_VARIABLE: &str = "SECTIGO_TEST_OUTPUT_DIR";

/// A folder for one test's files. A folder from [`TempDir::new`] lies under
/// `SECTIGO_TEST_OUTPUT_DIR` and is kept when that variable is set. Otherwise, and for
/// [`TempDir::private`], it lies under the system's temporary folder and is removed
/// when dropped.
pub struct TempDir {
    path: PathBuf,
    keep: bool,
}

impl TempDir {
    /// Creates a folder for what a test writes and reads back: outputs, reports, logs.
    pub fn new(label: &str) -> Self {
        let kept_root = std::env::var_os(OUTPUT_DIR_VARIABLE).filter(|root| !root.is_empty()).map(PathBuf::from);
        let keep = kept_root.is_some();
        TempDir::create(&kept_root.unwrap_or_else(std::env::temp_dir), label, keep)
    }

    /// Creates a folder that is always removed, for inputs that contain the password,
    /// which the search of the kept outputs would otherwise report.
    pub fn private(label: &str) -> Self {
        TempDir::create(&std::env::temp_dir(), label, false)
    }

    fn create(root: &Path, label: &str, keep: bool) -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let number = COUNTER.fetch_add(1, Ordering::SeqCst);
        let path = root.join(format!("sectigo-revoke-cli-{}-{number}-{label}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("the temporary folder can be created");
        TempDir { path, keep }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// A simulator accepting the canary login, and a file with its CA certificate.
pub struct Endpoint {
    pub simulator: Simulator,
    pub folder: TempDir,
    pub ca_file: PathBuf,
}

impl Endpoint {
    pub fn start() -> Self {
        Endpoint::start_with(config())
    }

    pub fn start_with(config: SimulatorConfig) -> Self {
        let simulator = Simulator::start(config).expect("the simulator starts on loopback");
        let folder = TempDir::new("endpoint");
        let ca_file = folder.join("ca.pem");
        simulator.write_ca_pem(&ca_file).expect("the CA file can be written");
        Endpoint { simulator, folder, ca_file }
    }

    /// `sectigo-revoke revoke` aimed at this simulator, with the canary login in the
    /// environment and proxies off.
    pub fn revoke(&self) -> Command {
        let mut command = self.revoke_without_login();
        command.env("SECTIGO_LOGIN_NAME", LOGIN_NAME).env("SECTIGO_LOGIN_PASSWORD", CANARY_PASSWORD);
        command
    }

    /// `sectigo-revoke revoke` aimed at this simulator, with no login set.
    pub fn revoke_without_login(&self) -> Command {
        let mut command = binary();
        command.arg("revoke").arg("--endpoint").arg(self.simulator.endpoint()).arg("--ca-bundle").arg(&self.ca_file);
        command.arg("--no-proxy");
        command
    }
}

pub fn config() -> SimulatorConfig {
    SimulatorConfig::new(LOGIN_NAME, CANARY_PASSWORD)
}

/// Returns a port on 127.0.0.1 where nothing listens.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port exists");
    listener.local_addr().expect("the listener has an address").port()
}
