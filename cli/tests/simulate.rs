//! `sectigo-revoke simulate` run as a process, with `revoke` processes aimed at it.

mod common;

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{binary, finished, run, shipped_certificate, Run, TempDir, CANARY_PASSWORD};

/// A `simulate` process with its CA, ready and log files in a temporary folder.
struct SimulatorProcess {
    child: Option<Child>,
    folder: TempDir,
    endpoint: String,
}

impl SimulatorProcess {
    /// Starts the simulator with `arguments` and waits for its ready file.
    fn start(label: &str, arguments: &[&str], login: Option<(&str, &str)>) -> Self {
        let folder = TempDir::new(label);
        let secrets = TempDir::private(label);
        let mut command = binary();
        command
            .arg("simulate")
            .arg("--ca-file")
            .arg(folder.join("ca.pem"))
            .arg("--ready-file")
            .arg(folder.join("ready"))
            .arg("--log")
            .arg(folder.join("requests.jsonl"))
            .args(arguments)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some((login_name, password)) = login {
            let password_file = secrets.join("password");
            std::fs::write(&password_file, format!("{password}\n")).unwrap();
            command.args(["--login-name", login_name, "--password-file"]).arg(password_file);
        }
        let mut child = command.spawn().expect("the simulator starts");

        let ready = folder.join("ready");
        let deadline = Instant::now() + Duration::from_secs(30);
        while !ready.exists() {
            if let Some(status) = child.try_wait().unwrap() {
                let output = child.wait_with_output().unwrap();
                panic!("the simulator exited with {status}: {}", String::from_utf8_lossy(&output.stderr));
            }
            assert!(Instant::now() < deadline, "the simulator wrote no ready file within 30 s");
            std::thread::sleep(Duration::from_millis(20));
        }
        let endpoint = std::fs::read_to_string(&ready).unwrap().trim_end().to_owned();
        SimulatorProcess { child: Some(child), folder, endpoint }
    }

    fn revoke(&self, login_name: &str, password: &str, arguments: &[&str]) -> Run {
        run(binary()
            .args(["revoke", "--no-proxy", "--endpoint", &self.endpoint, "--ca-bundle"])
            .arg(self.folder.join("ca.pem"))
            .args(arguments)
            .env("SECTIGO_LOGIN_NAME", login_name)
            .env("SECTIGO_LOGIN_PASSWORD", password))
    }

    /// Sends `signal` and returns what the simulator printed and how it exited.
    fn stop(&mut self, signal: libc::c_int) -> Run {
        let child = self.child.take().expect("the simulator runs");
        let pid = libc::pid_t::try_from(child.id()).unwrap();
        // SAFETY: kill has no memory effects; the pid is our own child, not yet reaped.
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
        finished(child.wait_with_output().unwrap())
    }

    fn log_lines(&self) -> Vec<serde_json::Value> {
        let text = std::fs::read_to_string(self.folder.join("requests.jsonl")).unwrap();
        common::assert_no_password(&text, "request log");
        text.lines().map(|line| serde_json::from_str(line).unwrap()).collect()
    }
}

impl Drop for SimulatorProcess {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[test]
fn simulate_process_serves_revocation_and_logs_it() {
    let mut simulator = SimulatorProcess::start("simulate", &[], Some(("process-user", CANARY_PASSWORD)));
    assert!(simulator.endpoint.starts_with("https://127.0.0.1:"), "{}", simulator.endpoint);
    assert!(simulator.endpoint.ends_with("/products/!AutoRevokeCertificate"), "{}", simulator.endpoint);

    let path = shipped_certificate("top-bit.pem");
    let result = simulator.revoke("process-user", CANARY_PASSWORD, &["--cert", path.to_str().unwrap()]);
    assert_eq!(result.status, 0, "{result:?}");
    assert!(result.stdout.contains("revocation accepted for serialNumber=00E3A15C7D902B4F61880CD237A94E15F6"));

    let stopped = simulator.stop(libc::SIGTERM);
    assert_eq!(stopped.status, 0, "{stopped:?}");
    let lines: Vec<&str> = stopped.stdout.lines().collect();
    assert_eq!(lines[0], format!("simulator listening on {}", simulator.endpoint));
    assert_eq!(lines[1], format!("CA certificate: {}", simulator.folder.join("ca.pem").display()));
    assert!(lines[2].starts_with("accepted login: process-user with the password in "), "{}", lines[2]);
    assert_eq!(lines.last().copied(), Some("simulator stopped after 1 request"));
    assert!(!simulator.folder.join("ready").exists(), "the ready file is removed on stop");

    let log = simulator.log_lines();
    assert_eq!(log.len(), 1, "{log:?}");
    let parameters = log[0]["parameters"].as_array().unwrap();
    assert_eq!(parameters[0], serde_json::json!(["loginName", "process-user"]));
    assert_eq!(parameters[1], serde_json::json!(["loginPassword", "********"]));
    assert_eq!(parameters[2], serde_json::json!(["serialNumber", "00E3A15C7D902B4F61880CD237A94E15F6"]));
    assert_eq!(log[0]["code"], 0);
}

#[test]
fn simulate_demo_login_and_sigint() {
    let mut simulator = SimulatorProcess::start("demo-login", &["--latency-ms", "10"], None);
    let wrong = simulator.revoke("demo", CANARY_PASSWORD, &["--certificate-id", "2000001"]);
    let right = simulator.revoke("demo", "demo-password", &["--certificate-id", "2000001"]);
    assert_eq!(wrong.status, 4, "{wrong:?}");
    assert!(wrong.stderr.contains("API error -16"), "{}", wrong.stderr);
    assert_eq!(right.status, 0, "{right:?}");

    let stopped = simulator.stop(libc::SIGINT);
    assert_eq!(stopped.status, 0, "{stopped:?}");
    assert!(stopped.stdout.contains("accepted login: demo with the demo password"), "{}", stopped.stdout);
    assert!(stopped.stdout.ends_with("simulator stopped after 2 requests\n"), "{}", stopped.stdout);
    assert_eq!(simulator.log_lines().len(), 2);
}

#[test]
fn simulate_fault_and_call_limit_options() {
    let mut faulty =
        SimulatorProcess::start("fault", &["--fault", "call-limit", "--fault-count", "1"], Some(("u", "pw-1")));
    let first = faulty.revoke("u", "pw-1", &["--certificate-id", "2000001"]);
    let second = faulty.revoke("u", "pw-1", &["--certificate-id", "2000001"]);
    assert_eq!(first.status, 5, "{first:?}");
    assert_eq!(second.status, 0, "{second:?}");
    assert!(faulty.stop(libc::SIGTERM).stdout.contains("fault: call_limit on the next request"));

    let mut limited =
        SimulatorProcess::start("call-limit", &["--call-limit", "1", "--call-window-secs", "600"], Some(("u", "pw-2")));
    let first = limited.revoke("u", "pw-2", &["--certificate-id", "2000001"]);
    let second = limited.revoke("u", "pw-2", &["--certificate-id", "2000002"]);
    assert_eq!(first.status, 0, "{first:?}");
    assert_eq!(second.status, 5, "{second:?}");
    limited.stop(libc::SIGTERM);

    let mut redirecting = SimulatorProcess::start(
        "redirect",
        &["--fault", "redirect", "--fault-status", "308", "--fault-location", "https://127.0.0.1:9/x"],
        Some(("u", "pw-3")),
    );
    let result = redirecting.revoke("u", "pw-3", &["--certificate-id", "2000001"]);
    assert_eq!(result.status, 7, "{result:?}");
    assert!(result.stderr.contains("redirect 308 to https://127.0.0.1:9/x"), "{}", result.stderr);
    redirecting.stop(libc::SIGTERM);
}

#[test]
fn simulate_catalogue_file_and_accept_unknown() {
    let folder = TempDir::new("catalogue");
    let catalogue = folder.join("catalogue.json");
    std::fs::write(
        &catalogue,
        r#"{"certificates": [{"order_number": 5, "certificate_id": 6, "serial_number": "0A1B", "state": "expired"}]}"#,
    )
    .unwrap();
    let mut simulator = SimulatorProcess::start(
        "catalogue-process",
        &["--catalogue", catalogue.to_str().unwrap(), "--accept-unknown"],
        Some(("u", "pw")),
    );

    let expired = simulator.revoke("u", "pw", &["--serial-number", "0a:1b"]);
    let unknown = simulator.revoke("u", "pw", &["--certificate-id", "777"]);
    let builtin = simulator.revoke("u", "pw", &["--certificate-id", "2000005"]);
    assert_eq!(expired.status, 3, "{expired:?}");
    assert!(expired.stdout.starts_with("expired: serialNumber=0A1B"), "{}", expired.stdout);
    assert_eq!(unknown.status, 0, "{unknown:?}");
    assert_eq!(builtin.status, 0, "the file replaces the built-in catalogue: {builtin:?}");
    simulator.stop(libc::SIGTERM);
}

#[test]
fn simulate_rejects_bad_options() {
    let folder = TempDir::new("bad-simulate");
    let missing = folder.join("missing.json");
    let result = run(binary().arg("simulate").arg("--catalogue").arg(&missing));
    assert_eq!(result.status, 2, "{result:?}");
    assert!(result.stderr.starts_with("error: invalid --catalogue: cannot read "), "{}", result.stderr);

    let result = run(binary().args(["simulate", "--password", CANARY_PASSWORD]));
    assert_eq!(result.status, 2, "{result:?}");
    assert!(result.stderr.contains("a password is never accepted on the command line"), "{}", result.stderr);

    let result = run(binary().args(["simulate", "--fault", "redirect", "--fault-status", "200"]));
    assert_eq!(result.status, 2, "{result:?}");
    assert!(result.stderr.contains("give 301, 302, 303, 307 or 308"), "{}", result.stderr);

    let result = run(binary().args(["simulate", "--call-window-secs", "5"]));
    assert_eq!(result.status, 2, "--call-window-secs requires --call-limit: {result:?}");
}

#[test]
fn simulate_port_in_use_exits_one() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let folder = TempDir::new("port-in-use");
    let ready = folder.join("ready");
    let result = run(binary().args(["simulate", "--port", &port, "--ready-file"]).arg(&ready));
    assert_eq!(result.status, 1, "{result:?}");
    let lines: Vec<&str> = result.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", result.stderr);
    let start = format!("error: the simulator could not start: cannot listen on 127.0.0.1:{port}: ");
    assert!(lines[0].starts_with(&start), "{}", lines[0]);
    assert_eq!(
        lines[1],
        format!("hint: another process listens on port {port}; give another --port, or --port 0 to pick a free one")
    );
    assert!(!Path::new(&ready).exists());
    drop(listener);
}

#[test]
fn simulate_listens_on_ipv6_loopback() {
    // Machines without IPv6 on loopback cannot run this case.
    if std::net::TcpListener::bind("[::1]:0").is_err() {
        eprintln!("skipped: ::1 is not available on this machine");
        return;
    }
    let mut simulator = SimulatorProcess::start("ipv6", &["--ipv6"], Some(("u", "pw")));
    assert!(simulator.endpoint.starts_with("https://[::1]:"), "{}", simulator.endpoint);
    let result = simulator.revoke("u", "pw", &["--certificate-id", "2000001"]);
    assert_eq!(result.status, 0, "{result:?}");
    simulator.stop(libc::SIGTERM);
}
