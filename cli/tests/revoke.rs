//! `sectigo-revoke revoke` run as a child process against the simulator over real
//! HTTPS on loopback: every result, its exit status, and what it prints.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Command;
use std::time::{Duration, Instant};

use sectigo_revoke_simulator::{CertificateState, Fault, SimulatorConfig};

use common::{
    binary, closed_port, config, run, run_with_stdin, shipped_certificate, Endpoint, TempDir, CANARY_PASSWORD,
    LOGIN_NAME,
};

const EXIT_SUCCESS: i32 = 0;
const EXIT_USAGE: i32 = 2;
const EXIT_ALREADY_FINAL: i32 = 3;
const EXIT_REJECTED: i32 = 4;
const EXIT_RATE_LIMITED: i32 = 5;
const EXIT_NOT_SENT: i32 = 6;
const EXIT_REDIRECTED: i32 = 7;
const EXIT_OUTCOME_UNKNOWN: i32 = 8;

/// Returns the value of a parameter in the simulator's `index`-th logged request.
fn sent_parameter(endpoint: &Endpoint, index: usize, name: &str) -> Option<String> {
    let requests = endpoint.simulator.requests();
    requests[index].parameters.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone())
}

#[test]
fn accepted_exits_zero() {
    let endpoint = Endpoint::start();
    let result = run(endpoint.revoke().args(["--certificate-id", "2000001"]));

    assert_eq!(result.status, EXIT_SUCCESS, "{result:?}");
    assert_eq!(result.stdout, "revocation accepted for certificateID=2000001 (reason unspecified)\n");
    assert_eq!(result.stderr, "");
    assert_eq!(endpoint.simulator.state_of_certificate_id(2000001), Some(CertificateState::Revoked));
}

#[test]
fn final_states_exit_three() {
    let endpoint = Endpoint::start();
    let cases = [("2000005", "already revoked: "), ("2000006", "already rejected: "), ("2000007", "expired: ")];
    for (certificate_id, start) in cases {
        let result = run(endpoint.revoke().args(["--certificate-id", certificate_id]));
        assert_eq!(result.status, EXIT_ALREADY_FINAL, "{certificate_id}: {result:?}");
        assert!(result.stdout.starts_with(start), "{certificate_id}: {}", result.stdout);
        assert!(result.stdout.trim_end().ends_with("; nothing to do"), "{}", result.stdout);
        assert_eq!(result.stdout.lines().count(), 1, "one line: {}", result.stdout);
    }
}

#[test]
fn revoking_twice_reports_already_revoked() {
    let endpoint = Endpoint::start();
    let first = run(endpoint.revoke().args(["--order-number", "1000002"]));
    let second = run(endpoint.revoke().args(["--order-number", "1000002"]));
    assert_eq!(first.status, EXIT_SUCCESS, "{first:?}");
    assert_eq!(second.status, EXIT_ALREADY_FINAL, "{second:?}");
    assert!(second.stdout.contains("API code -21"), "{}", second.stdout);
}

#[test]
fn unknown_certificate_is_api_error() {
    let endpoint = Endpoint::start();
    let result = run(endpoint.revoke().args(["--certificate-id", "42"]));

    assert_eq!(result.status, EXIT_REJECTED, "{result:?}");
    assert_eq!(result.stdout, "");
    let mut lines = result.stderr.lines();
    let error = lines.next().unwrap();
    assert!(error.starts_with("error: rejected by the API for certificateID=42: API error -4"), "{error}");
    assert!(error.contains("[item: certificateID]"), "{error}");
    let hint = lines.next().unwrap();
    assert!(hint.starts_with("hint: check the value of certificateID"), "{hint}");
}

#[test]
fn wrong_password_is_api_error_not_repeated() {
    let endpoint = Endpoint::start();
    let result = run(endpoint.revoke().env("SECTIGO_LOGIN_PASSWORD", "wrong-password-5b7e").args([
        "--certificate-id",
        "2000001",
        "--retries",
        "3",
    ]));

    assert_eq!(result.status, EXIT_REJECTED, "{result:?}");
    assert!(result.stderr.contains("API error -16 (authentication failed)"), "{}", result.stderr);
    assert!(result.stderr.contains("do not repeat with the same credentials"), "{}", result.stderr);
    assert!(!result.stderr.contains("wrong-password-5b7e"), "{}", result.stderr);
    assert_eq!(endpoint.simulator.requests().len(), 1, "-16 is never retried");
}

#[test]
fn call_limit_exits_five() {
    let endpoint = Endpoint::start();
    endpoint.simulator.inject_fault(Fault::CallLimit, 1);
    let result = run(endpoint.revoke().args(["--certificate-id", "2000001"]));

    assert_eq!(result.status, EXIT_RATE_LIMITED, "{result:?}");
    assert!(result.stderr.starts_with("error: rate limited: API code -42, call limit reached"), "{}", result.stderr);
    assert!(result.stderr.contains("nothing was revoked"), "{}", result.stderr);
    assert!(result.stderr.contains("hint: wait a few minutes and repeat"), "{}", result.stderr);
    assert_eq!(endpoint.simulator.state_of_certificate_id(2000001), Some(CertificateState::Issued));
}

#[test]
fn status_429_reports_retry_after_in_json() {
    let endpoint = Endpoint::start();
    endpoint.simulator.inject_fault(Fault::TooManyRequests { retry_after_secs: 17 }, 1);
    let result = run(endpoint.revoke().args(["--certificate-id", "2000001", "--json"]));

    assert_eq!(result.status, EXIT_RATE_LIMITED, "{result:?}");
    let json = result.json();
    assert_eq!(json["result"], "rate_limited");
    assert_eq!(json["exit_code"], EXIT_RATE_LIMITED);
    assert_eq!(json["http_status"], 429);
    assert_eq!(json["retry_after_secs"], 17);
    assert_eq!(json["code"], serde_json::Value::Null);
    assert!(json["advice"].as_str().unwrap().starts_with("wait 17 s and repeat"), "{json}");
}

#[test]
fn retries_repeat_rate_limited_request() {
    let endpoint = Endpoint::start();
    endpoint.simulator.inject_fault(Fault::CallLimit, 1);
    let result = run(endpoint.revoke().args(["--certificate-id", "2000001", "--retries", "1", "--json"]));

    assert_eq!(result.status, EXIT_SUCCESS, "{result:?}");
    assert_eq!(result.json()["attempts"], 2);
    assert_eq!(endpoint.simulator.requests().len(), 2);
    assert!(result.stderr.contains("retrying in"), "the retry is logged as a warning: {}", result.stderr);
}

#[test]
fn connection_refused_is_not_sent() {
    let url = format!("https://127.0.0.1:{}/products/!AutoRevokeCertificate", closed_port());
    let result = run(binary()
        .args(["revoke", "--no-proxy", "--certificate-id", "2000001", "--endpoint", &url])
        .env("SECTIGO_LOGIN_NAME", LOGIN_NAME)
        .env("SECTIGO_LOGIN_PASSWORD", CANARY_PASSWORD));

    assert_eq!(result.status, EXIT_NOT_SENT, "{result:?}");
    assert!(result.stderr.starts_with(&format!("error: request not sent to {url}: connection failed")), "{result:?}");
    assert!(result.stderr.contains("repeating is safe"), "{}", result.stderr);
}

#[test]
fn untrusted_server_is_not_sent() {
    let endpoint = Endpoint::start();
    let result = run(binary()
        .args(["revoke", "--no-proxy", "--certificate-id", "2000001", "--endpoint", &endpoint.simulator.endpoint()])
        .env("SECTIGO_LOGIN_NAME", LOGIN_NAME)
        .env("SECTIGO_LOGIN_PASSWORD", CANARY_PASSWORD));

    assert_eq!(result.status, EXIT_NOT_SENT, "{result:?}");
    assert!(result.stderr.contains("TLS handshake failed"), "{}", result.stderr);
    assert!(result.stderr.contains("--ca-bundle FILE or --system-roots"), "{}", result.stderr);
    assert!(endpoint.simulator.requests().is_empty());
}

#[test]
fn slow_reply_with_short_timeout_is_unknown() {
    let endpoint = Endpoint::start();
    endpoint.simulator.inject_fault(Fault::SlowReply { delay_ms: 6000 }, 1);
    let result = run(endpoint.revoke().args([
        "--certificate-id",
        "2000001",
        "--connect-timeout",
        "1",
        "--timeout",
        "2.5",
        "--retries",
        "2",
    ]));

    assert_eq!(result.status, EXIT_OUTCOME_UNKNOWN, "{result:?}");
    assert!(result.stderr.starts_with("error: outcome unknown: timed out waiting for the answer"), "{}", result.stderr);
    assert!(result.stderr.contains("may or may not be revoked"), "{}", result.stderr);
    assert!(result.stderr.contains("hint: check the certificate's status"), "{}", result.stderr);
    assert_eq!(endpoint.simulator.requests().len(), 1, "an unknown outcome is never repeated");
    // The slow reply processed the request, which is why the outcome must be reported
    // as unknown rather than failed.
    assert_eq!(endpoint.simulator.state_of_certificate_id(2000001), Some(CertificateState::Revoked));
}

#[test]
fn redirect_exits_seven_not_followed() {
    let endpoint = Endpoint::start();
    let location = "https://127.0.0.1:9/elsewhere/!AutoRevokeCertificate";
    endpoint.simulator.inject_fault(Fault::Redirect { status: 301, location: location.to_owned() }, 1);
    let result = run(endpoint.revoke().args(["--certificate-id", "2000001"]));

    assert_eq!(result.status, EXIT_REDIRECTED, "{result:?}");
    assert!(result.stderr.contains(&format!("redirect 301 to {location}")), "{}", result.stderr);
    assert!(result.stderr.contains("set --endpoint or SECTIGO_ENDPOINT to the final URL"), "{}", result.stderr);
    assert_eq!(endpoint.simulator.requests().len(), 1);
}

/// Returns the serial number openssl prints for a certificate file, without the
/// `serial=` prefix.
fn openssl_serial(path: &std::path::Path, der: bool) -> String {
    let mut command = Command::new("openssl");
    command.args(["x509", "-noout", "-serial", "-in"]).arg(path);
    if der {
        command.args(["-inform", "DER"]);
    }
    let output = command.output().expect("openssl is installed (apt-get install openssl)");
    assert!(output.status.success(), "openssl failed: {}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    text.trim().strip_prefix("serial=").expect("openssl prints serial=").to_owned()
}

/// Drops leading `00` bytes: openssl prints the integer, while the DER content keeps
/// the sign byte that the tool sends.
fn without_zero_bytes(serial: &str) -> &str {
    let mut digits = serial;
    while digits.len() > 2 && digits.starts_with("00") {
        digits = &digits[2..];
    }
    digits
}

#[test]
fn cert_file_serial_matches_openssl() {
    let endpoint = Endpoint::start();
    let mut index = 0;
    for name in ["top-bit", "leading-zero", "plain"] {
        for (extension, der) in [("pem", false), ("der", true)] {
            let path = shipped_certificate(&format!("{name}.{extension}"));
            let result = run(endpoint.revoke().arg("--cert").arg(&path).args(["--reason", "superseded"]));

            let expected_status = if der { EXIT_ALREADY_FINAL } else { EXIT_SUCCESS };
            assert_eq!(result.status, expected_status, "{name}.{extension}: {result:?}");
            let sent = sent_parameter(&endpoint, index, "serialNumber").unwrap();
            let openssl = openssl_serial(&path, der);
            assert_eq!(without_zero_bytes(&sent), without_zero_bytes(&openssl), "{name}.{extension}");
            assert!(result.stdout.contains(&format!("  serial:    {sent}\n")), "{}", result.stdout);
            index += 1;
        }
    }
    assert_eq!(sent_parameter(&endpoint, 0, "serialNumber").unwrap(), "00E3A15C7D902B4F61880CD237A94E15F6");
}

#[test]
fn cert_file_shows_subject_and_issuer() {
    let endpoint = Endpoint::start();
    let path = shipped_certificate("top-bit.pem");
    let result = run(endpoint.revoke().arg("--cert").arg(&path).args(["--reason", "key-compromise"]));

    assert_eq!(result.status, EXIT_SUCCESS, "{result:?}");
    let lines: Vec<&str> = result.stdout.lines().collect();
    assert_eq!(lines[0], format!("certificate {}", path.display()));
    assert_eq!(lines[1], "  subject:   C=GB, O=Example Ltd, CN=www.example.com");
    assert_eq!(lines[2], "  issuer:    C=GB, O=sectigo-revoke test, CN=sectigo-revoke Test Issuing CA");
    assert_eq!(lines[3], "  serial:    00E3A15C7D902B4F61880CD237A94E15F6");
    assert!(lines[4].starts_with("  not after: "), "{}", lines[4]);
    assert_eq!(
        lines[5],
        "revocation accepted for serialNumber=00E3A15C7D902B4F61880CD237A94E15F6 (reason keyCompromise)"
    );
    assert_eq!(sent_parameter(&endpoint, 0, "codeReason").as_deref(), Some("1"));
}

#[test]
fn cert_file_with_chain_rejected() {
    let folder = TempDir::new("chain");
    let chain = folder.join("chain.pem");
    let mut bytes = std::fs::read(shipped_certificate("top-bit.pem")).unwrap();
    bytes.extend(std::fs::read(shipped_certificate("issuing-ca.pem")).unwrap());
    std::fs::write(&chain, bytes).unwrap();
    let endpoint = Endpoint::start();
    let result = run(endpoint.revoke().arg("--cert").arg(&chain));

    assert_eq!(result.status, EXIT_USAGE, "{result:?}");
    assert!(result.stderr.starts_with("error: invalid certificate file (--cert): "), "{}", result.stderr);
    assert!(result.stderr.contains("the file holds 2 certificates"), "{}", result.stderr);
    assert!(endpoint.simulator.requests().is_empty());
}

#[test]
fn dry_run_sends_nothing() {
    let folder = TempDir::new("dry-run");
    let log = folder.join("requests.jsonl");
    let endpoint = Endpoint::start_with(SimulatorConfig { log_file: Some(log.clone()), ..config() });
    let result = run(endpoint.revoke().args(["--certificate-id", "2000001", "--reason", "4", "--dry-run"]));

    assert_eq!(result.status, EXIT_SUCCESS, "{result:?}");
    let expected = format!(
        "POST {}\nContent-Type: application/x-www-form-urlencoded\nUser-Agent: sectigo-revoke/{}\n\n\
         loginName={LOGIN_NAME}&loginPassword=********&certificateID=2000001&codeReason=4&responseFormat=1\n",
        endpoint.simulator.endpoint(),
        env!("CARGO_PKG_VERSION"),
    );
    assert_eq!(result.stdout, expected);
    assert!(result.stderr.starts_with("dry run: nothing was sent"), "{}", result.stderr);
    assert!(endpoint.simulator.requests().is_empty());
    assert_eq!(endpoint.simulator.connection_count(), 0);
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "", "the request log stays empty");
    assert_eq!(endpoint.simulator.state_of_certificate_id(2000001), Some(CertificateState::Issued));
}

#[test]
fn dry_run_without_credentials_uses_placeholder() {
    let endpoint = Endpoint::start();
    let path = shipped_certificate("plain.der");
    let result = run(endpoint.revoke_without_login().arg("--cert").arg(&path).args(["--dry-run", "--test-mode"]));

    assert_eq!(result.status, EXIT_SUCCESS, "{result:?}");
    assert!(result.stdout.contains("  subject:   C=GB, O=Example Ltd, CN=api.example.com\n"), "{}", result.stdout);
    assert!(
        result.stdout.ends_with(
            "loginName=login-name-not-set&loginPassword=********&serialNumber=3C5A7E9102B4D6F8193A5C7E90B2D4F6\
             &codeReason=0&test=Y&responseFormat=1\n"
        ),
        "{}",
        result.stdout
    );
    assert!(result.stderr.contains("no login name is set"), "{}", result.stderr);
    assert!(endpoint.simulator.requests().is_empty());
}

#[test]
fn dry_run_json_shows_redacted_request() {
    let endpoint = Endpoint::start();
    let result = run(endpoint.revoke().args(["--serial-number", "3c:5a:7e:91:02:b4:d6:f8", "--dry-run", "--json"]));

    assert_eq!(result.status, EXIT_SUCCESS, "{result:?}");
    let json = result.json();
    assert_eq!(json["result"], "dry_run");
    assert_eq!(json["request"]["method"], "POST");
    assert_eq!(json["request"]["url"], endpoint.simulator.endpoint());
    let parameters = json["request"]["parameters"].as_array().unwrap();
    assert_eq!(parameters[1], serde_json::json!(["loginPassword", "********"]));
    assert_eq!(parameters[2], serde_json::json!(["serialNumber", "3C5A7E9102B4D6F8"]));
    assert!(endpoint.simulator.requests().is_empty());
}

#[test]
fn password_file_and_login_option() {
    let endpoint = Endpoint::start();
    let folder = TempDir::private("password-file");
    let cases = [
        ("lf", format!("{CANARY_PASSWORD}\n")),
        ("crlf", format!("{CANARY_PASSWORD}\r\n")),
        ("bare", CANARY_PASSWORD.to_owned()),
    ];
    for (index, (label, content)) in cases.iter().enumerate() {
        let file = folder.join(label);
        std::fs::write(&file, content).unwrap();
        let certificate_id = format!("{}", 2000001 + index);
        let result = run(endpoint
            .revoke_without_login()
            .args(["--login-name", LOGIN_NAME, "--certificate-id", &certificate_id, "--password-file"])
            .arg(&file));
        assert_eq!(result.status, EXIT_SUCCESS, "{label}: {result:?}");
    }
}

#[test]
fn password_file_first_line_only() {
    let endpoint = Endpoint::start();
    // Password files are deleted after the test, so the canary check does not find them.
    let folder = TempDir::private("password-first-line");
    let cases = [
        ("lf", format!("{CANARY_PASSWORD}\nsecond\n")),
        ("crlf", format!("{CANARY_PASSWORD}\r\nnotes: rotated monthly\r\n")),
        ("binary-rest", format!("{CANARY_PASSWORD}\n\u{0}\u{7}")),
    ];
    // Certificates the built-in catalogue holds as issued.
    let certificate_ids = ["2000001", "2000002", "2000011"];
    for ((label, content), certificate_id) in cases.iter().zip(certificate_ids) {
        let file = folder.join(label);
        std::fs::write(&file, content).unwrap();
        let result = run(endpoint
            .revoke_without_login()
            .args(["--login-name", LOGIN_NAME, "--certificate-id", certificate_id, "--password-file"])
            .arg(&file));
        assert_eq!(result.status, EXIT_SUCCESS, "{label}: {result:?}");
        assert_eq!(
            result.stdout,
            format!("revocation accepted for certificateID={certificate_id} (reason unspecified)\n")
        );
    }

    let result = run_with_stdin(
        endpoint.revoke_without_login().env("SECTIGO_LOGIN_NAME", LOGIN_NAME).args([
            "--certificate-id",
            "2000012",
            "--password-file",
            "-",
        ]),
        &format!("{CANARY_PASSWORD}\nsecond\n"),
    );
    assert_eq!(result.status, EXIT_SUCCESS, "{result:?}");
    assert_eq!(endpoint.simulator.requests().len(), 4);
}

#[test]
fn password_problem_names_source_used() {
    let endpoint = Endpoint::start();
    let folder = TempDir::new("password-source");
    let file = folder.join("password");
    std::fs::write(&file, "bad\tpw\nsecond\n").unwrap();
    let problem = "control character U+0009 at character 4; remove line breaks, tabs and other control characters";

    let from_file = run(endpoint.revoke().args(["--certificate-id", "2000001", "--password-file"]).arg(&file));
    assert_eq!(from_file.status, EXIT_USAGE, "{from_file:?}");
    assert_eq!(
        from_file.stderr.lines().next().unwrap(),
        format!("error: invalid loginPassword (--password-file {}): {problem}", file.display())
    );

    let from_stdin = run_with_stdin(
        endpoint.revoke_without_login().env("SECTIGO_LOGIN_NAME", LOGIN_NAME).args([
            "--certificate-id",
            "2000001",
            "--password-file",
            "-",
        ]),
        "bad\tpw\n",
    );
    assert_eq!(from_stdin.status, EXIT_USAGE, "{from_stdin:?}");
    assert_eq!(
        from_stdin.stderr.lines().next().unwrap(),
        format!("error: invalid loginPassword (--password-file -): {problem}")
    );

    let from_environment =
        run(endpoint.revoke().env("SECTIGO_LOGIN_PASSWORD", "bad\tpw").args(["--certificate-id", "2000001", "--json"]));
    assert_eq!(from_environment.status, EXIT_USAGE, "{from_environment:?}");
    let json = from_environment.json();
    assert_eq!(json["field"], "loginPassword (SECTIGO_LOGIN_PASSWORD)");
    assert_eq!(json["summary"], format!("invalid loginPassword (SECTIGO_LOGIN_PASSWORD): {problem}"));

    let dry_run = run(endpoint.revoke().arg("--password-file").arg(&file).args(["--certificate-id", "1", "--dry-run"]));
    assert_eq!(dry_run.status, EXIT_USAGE, "{dry_run:?}");
    assert!(dry_run
        .stderr
        .starts_with(&format!("error: invalid loginPassword (--password-file {}): ", file.display())));
    assert_eq!(endpoint.simulator.connection_count(), 0);
}

#[test]
fn password_from_stdin() {
    let endpoint = Endpoint::start();
    let result = run_with_stdin(
        endpoint.revoke_without_login().env("SECTIGO_LOGIN_NAME", LOGIN_NAME).args([
            "--certificate-id",
            "2000001",
            "--password-file",
            "-",
        ]),
        &format!("{CANARY_PASSWORD}\n"),
    );
    assert_eq!(result.status, EXIT_SUCCESS, "{result:?}");
    assert_eq!(endpoint.simulator.state_of_certificate_id(2000001), Some(CertificateState::Revoked));
}

#[test]
fn password_file_wins_over_environment() {
    let endpoint = Endpoint::start();
    let folder = TempDir::private("password-precedence");
    let file = folder.join("password");
    std::fs::write(&file, CANARY_PASSWORD).unwrap();
    let result = run(endpoint
        .revoke()
        .env("SECTIGO_LOGIN_PASSWORD", "stale-password")
        .args(["--certificate-id", "2000001", "--password-file"])
        .arg(&file));
    assert_eq!(result.status, EXIT_SUCCESS, "{result:?}");
}

#[test]
fn missing_password_is_clear_error() {
    let endpoint = Endpoint::start();
    let result = run(endpoint
        .revoke_without_login()
        .env("SECTIGO_LOGIN_NAME", LOGIN_NAME)
        .args(["--certificate-id", "2000001"]));

    assert_eq!(result.status, EXIT_USAGE, "{result:?}");
    assert_eq!(
        result.stderr.lines().next().unwrap(),
        "error: invalid loginPassword (SECTIGO_LOGIN_PASSWORD or --password-file): missing; set \
         SECTIGO_LOGIN_PASSWORD or give --password-file FILE (- reads standard input), because a password is never \
         accepted on the command line"
    );
    assert!(result.stderr.contains("hint: nothing was sent"), "{}", result.stderr);
    assert_eq!(endpoint.simulator.connection_count(), 0);
}

#[test]
fn missing_login_name_is_clear_error() {
    let endpoint = Endpoint::start();
    let result = run(endpoint
        .revoke_without_login()
        .env("SECTIGO_LOGIN_PASSWORD", CANARY_PASSWORD)
        .args(["--certificate-id", "2000001"]));

    assert_eq!(result.status, EXIT_USAGE, "{result:?}");
    assert!(
        result.stderr.starts_with(
            "error: invalid loginName (--login-name or SECTIGO_LOGIN_NAME): missing; set SECTIGO_LOGIN_NAME"
        ),
        "{}",
        result.stderr
    );
    assert_eq!(endpoint.simulator.connection_count(), 0);
}

#[test]
fn unreadable_password_file_is_clear_error() {
    let endpoint = Endpoint::start();
    let folder = TempDir::new("no-password-file");
    let missing = folder.join("missing");
    let result = run(endpoint
        .revoke_without_login()
        .args(["--login-name", LOGIN_NAME, "--certificate-id", "2000001", "--password-file"])
        .arg(&missing));

    assert_eq!(result.status, EXIT_USAGE, "{result:?}");
    assert!(result.stderr.contains(&format!("cannot read {}", missing.display())), "{}", result.stderr);

    let empty = folder.join("empty");
    std::fs::write(&empty, "\n").unwrap();
    let result = run(endpoint
        .revoke_without_login()
        .args(["--login-name", LOGIN_NAME, "--certificate-id", "2000001", "--password-file"])
        .arg(&empty));
    assert_eq!(result.status, EXIT_USAGE, "{result:?}");
    assert_eq!(
        result.stderr.lines().next().unwrap(),
        format!(
            "error: invalid loginPassword (--password-file {path}): the first line of {path} is empty; write the \
             password on it",
            path = empty.display()
        )
    );
    assert_eq!(endpoint.simulator.connection_count(), 0);
}

#[test]
fn password_option_rejected_without_echo() {
    let endpoint = Endpoint::start();
    for option in ["--password", "--login-password"] {
        let result = run(endpoint.revoke().args(["--certificate-id", "2000001", option, CANARY_PASSWORD]));
        assert_eq!(result.status, EXIT_USAGE, "{option}: {result:?}");
        assert!(result.stderr.contains("a password is never accepted on the command line"), "{}", result.stderr);
    }
    let result = run(endpoint.revoke().args(["--certificate-id", "2000001", &format!("--password={CANARY_PASSWORD}")]));
    assert_eq!(result.status, EXIT_USAGE, "{result:?}");
    assert_eq!(endpoint.simulator.connection_count(), 0);
}

#[test]
fn json_output_for_accepted() {
    let endpoint = Endpoint::start();
    let result =
        run(endpoint.revoke().args(["--certificate-id", "2000001", "--reason", "cessationOfOperation", "--json"]));

    assert_eq!(result.status, EXIT_SUCCESS, "{result:?}");
    assert_eq!(result.stdout.lines().count(), 1, "one JSON object on one line");
    let json = result.json();
    assert_eq!(json["result"], "accepted");
    assert_eq!(json["exit_code"], 0);
    assert_eq!(json["code"], 0);
    assert_eq!(json["http_status"], 200);
    assert_eq!(json["identifier"], serde_json::json!({"name": "certificateID", "value": "2000001"}));
    assert_eq!(json["reason"], "cessationOfOperation");
    assert_eq!(json["test_mode"], false);
    assert_eq!(json["attempts"], 1);
    assert_eq!(json["endpoint"], endpoint.simulator.endpoint());
    assert_eq!(json["summary"], "revocation accepted for certificateID=2000001 (reason cessationOfOperation)");
    assert_eq!(json["advice"], serde_json::Value::Null);
    assert_eq!(json["certificate"], serde_json::Value::Null);
}

#[test]
fn json_output_for_errors() {
    let endpoint = Endpoint::start();
    let result = run(endpoint.revoke().args(["--serial-number", "00AABB", "--json"]));
    assert_eq!(result.status, EXIT_REJECTED, "{result:?}");
    assert_eq!(result.stderr, "", "JSON mode prints errors only as JSON");
    let json = result.json();
    assert_eq!(json["result"], "api_error");
    assert_eq!(json["code"], -4);
    assert_eq!(json["item"], "serialNumber");
    assert!(json["message"].as_str().is_some_and(|message| !message.is_empty()), "{json}");
    assert_eq!(json["http_status"], 200);

    let result = run(endpoint.revoke().args(["--certificate-id", "12345678901234567", "--json"]));
    assert_eq!(result.status, EXIT_USAGE, "{result:?}");
    let json = result.json();
    assert_eq!(json["result"], "invalid_request");
    assert_eq!(json["field"], "certificateID (--certificate-id)");
    assert_eq!(json["problem"], "17 digits is more than the 16 allowed");
    assert_eq!(json["identifier"], serde_json::Value::Null);

    endpoint.simulator.inject_fault(Fault::EmptyBody, 1);
    let result = run(endpoint.revoke().arg("--cert").arg(shipped_certificate("plain.pem")).arg("--json"));
    assert_eq!(result.status, EXIT_OUTCOME_UNKNOWN, "{result:?}");
    let json = result.json();
    assert_eq!(json["result"], "outcome_unknown");
    assert_eq!(json["http_status"], 200);
    assert_eq!(json["certificate"]["subject"], "C=GB, O=Example Ltd, CN=api.example.com");
    assert_eq!(json["certificate"]["serial_number"], "3C5A7E9102B4D6F8193A5C7E90B2D4F6");
}

#[test]
fn test_mode_says_nothing_revoked() {
    let endpoint = Endpoint::start();
    let result = run(endpoint.revoke().args(["--certificate-id", "2000001", "--test-mode"]));

    assert_eq!(result.status, EXIT_SUCCESS, "{result:?}");
    assert_eq!(
        result.stdout,
        "test mode: revocation of certificateID=2000001 accepted by the API (reason unspecified); nothing was revoked\n"
    );
    assert_eq!(sent_parameter(&endpoint, 0, "test").as_deref(), Some("Y"));
    assert_eq!(endpoint.simulator.state_of_certificate_id(2000001), Some(CertificateState::Issued));

    let result = run(endpoint.revoke().args(["--certificate-id", "2000005", "--test-mode"]));
    assert_eq!(result.status, EXIT_ALREADY_FINAL, "{result:?}");
    assert!(result.stdout.trim_end().ends_with("(test mode: nothing was revoked)"), "{}", result.stdout);
}

#[test]
fn every_request_option_reaches_wire() {
    let endpoint = Endpoint::start();
    let result = run(endpoint.revoke().args([
        "--serial-number",
        "serial=00:d9:b7:5b:1c:2e:0f:11:22:33:44:55:66:77:88:9a:a1",
        "--reason",
        "AFFILIATION_CHANGED",
        "--comment",
        "moved & rekeyed",
        "--account-id",
        "7",
        "--product-code",
        "PC-1",
        "--product",
        "24",
        "--no-crl",
    ]));

    assert_eq!(result.status, EXIT_SUCCESS, "{result:?}");
    let requests = endpoint.simulator.requests();
    let parameters: Vec<(&str, &str)> =
        requests[0].parameters.iter().map(|(key, value)| (key.as_str(), value.as_str())).collect();
    assert_eq!(
        parameters,
        [
            ("loginName", LOGIN_NAME),
            ("loginPassword", "********"),
            ("serialNumber", "00D9B75B1C2E0F11223344556677889AA1"),
            ("codeReason", "3"),
            ("revocationReason", "moved & rekeyed"),
            ("accountID", "7"),
            ("productCode", "PC-1"),
            ("product", "24"),
            ("includeInCRL", "N"),
            ("responseFormat", "1"),
        ]
    );
    assert_eq!(endpoint.simulator.state_of_certificate_id(2000001), Some(CertificateState::Replaced));
}

#[test]
fn no_crl_reports_replaced_not_revoked() {
    let endpoint = Endpoint::start();
    let replaced = run(endpoint.revoke().args(["--certificate-id", "2000001", "--no-crl"]));

    assert_eq!(replaced.status, EXIT_SUCCESS, "{replaced:?}");
    assert_eq!(
        replaced.stdout,
        "marked replaced, not revoked: certificateID=2000001 (includeInCRL=N, reason unspecified); run again \
         without --no-crl to revoke it\n"
    );
    assert_eq!(replaced.stderr, "");
    assert_eq!(endpoint.simulator.state_of_certificate_id(2000001), Some(CertificateState::Replaced));

    let json = run(endpoint.revoke().args(["--certificate-id", "2000002", "--no-crl", "--json"])).json();
    assert_eq!(json["result"], "accepted");
    assert_eq!(json["include_in_crl"], false);
    assert_eq!(
        json["summary"],
        "marked replaced, not revoked: certificateID=2000002 (includeInCRL=N, reason unspecified); run again \
         without --no-crl to revoke it"
    );

    // A later revocation without --no-crl revokes the replaced certificate.
    let revoked = run(endpoint.revoke().args(["--certificate-id", "2000001", "--json"]));
    assert_eq!(revoked.status, EXIT_SUCCESS, "{revoked:?}");
    let json = revoked.json();
    assert_eq!(json["include_in_crl"], true);
    assert_eq!(json["summary"], "revocation accepted for certificateID=2000001 (reason unspecified)");
    assert_eq!(endpoint.simulator.state_of_certificate_id(2000001), Some(CertificateState::Revoked));

    let test_mode = run(endpoint.revoke().args(["--certificate-id", "2000011", "--no-crl", "--test-mode"]));
    assert_eq!(test_mode.status, EXIT_SUCCESS, "{test_mode:?}");
    assert_eq!(
        test_mode.stdout,
        "test mode: request with includeInCRL=N for certificateID=2000011 accepted by the API (reason \
         unspecified); nothing was marked replaced or revoked\n"
    );
    assert_eq!(endpoint.simulator.state_of_certificate_id(2000011), Some(CertificateState::Issued));

    let invalid = run(endpoint.revoke().args(["--certificate-id", "x", "--no-crl", "--json"])).json();
    assert_eq!(invalid["include_in_crl"], serde_json::Value::Null);
}

#[test]
fn wrong_endpoint_path_names_status() {
    let endpoint = Endpoint::start();
    let url = endpoint.simulator.endpoint().replace('!', "");
    let command = || {
        let mut command = binary();
        command
            .args(["revoke", "--no-proxy", "--certificate-id", "2000001", "--endpoint", &url, "--ca-bundle"])
            .arg(&endpoint.ca_file)
            .env("SECTIGO_LOGIN_NAME", LOGIN_NAME)
            .env("SECTIGO_LOGIN_PASSWORD", CANARY_PASSWORD);
        command
    };
    let advice = format!(
        "the endpoint URL {url} is probably wrong, because the server answered HTTP 404 instead of an API \
         response: check --endpoint or SECTIGO_ENDPOINT, whose path must be /products/!AutoRevokeCertificate \
         (single quotes keep the ! in a shell). Then check the certificate's status (its OCSP answer or the Sectigo \
         account) before repeating; repeating a revocation that went through answers \"already revoked\""
    );

    let result = run(&mut command());
    assert_eq!(result.status, EXIT_OUTCOME_UNKNOWN, "{result:?}");
    let lines: Vec<&str> = result.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", result.stderr);
    assert!(lines[0].starts_with("error: outcome unknown: "), "{}", lines[0]);
    assert!(
        lines[0].ends_with("(HTTP 404); the certificate may or may not be revoked (certificateID=2000001)"),
        "{}",
        lines[0]
    );
    assert_eq!(lines[1], format!("hint: {advice}"));

    let json = run(command().arg("--json")).json();
    assert_eq!(json["result"], "outcome_unknown");
    assert_eq!(json["exit_code"], EXIT_OUTCOME_UNKNOWN);
    assert_eq!(json["http_status"], 404);
    assert_eq!(json["advice"], advice);
    assert_eq!(endpoint.simulator.state_of_certificate_id(2000001), Some(CertificateState::Issued));
}

#[test]
fn server_error_page_keeps_plain_advice() {
    let endpoint = Endpoint::start();
    endpoint.simulator.inject_fault(Fault::ServerErrorHtml, 1);
    let json = run(endpoint.revoke().args(["--certificate-id", "2000001", "--json"])).json();

    assert_eq!(json["result"], "outcome_unknown");
    assert_eq!(json["http_status"], 500);
    assert_eq!(
        json["advice"],
        "check the certificate's status (its OCSP answer or the Sectigo account) before repeating; repeating a \
         revocation that went through answers \"already revoked\""
    );
    assert!(!json["summary"].as_str().unwrap().contains("the endpoint answered HTTP"), "{json}");
}

#[test]
fn retries_range_named_in_words() {
    let result = run(binary().args(["revoke", "--certificate-id", "1", "--retries", "100"]));
    assert_eq!(result.status, EXIT_USAGE, "{result:?}");
    assert_eq!(
        result.stderr.lines().next().unwrap(),
        "error: invalid value '100' for '--retries <N>': 100 is not a whole number from 0 to 99"
    );

    let accepted = run(binary().args(["revoke", "--certificate-id", "1", "--retries", "99", "--dry-run"]));
    assert_eq!(accepted.status, EXIT_SUCCESS, "{accepted:?}");

    let help = run(binary().args(["revoke", "--help"]));
    let words: Vec<&str> = help.stdout.split_whitespace().collect();
    assert!(words.join(" ").contains("N is from 0 to 99"), "{}", help.stdout);
    let docs = std::fs::read_to_string(common::repository_root().join("docs/cli.md")).unwrap();
    assert!(docs.contains("| `--retries N` | extra attempts (0 to 99) "), "docs/cli.md gives another range");
}

#[test]
fn invalid_values_name_the_option() {
    let endpoint = Endpoint::start();
    let cases: [(&[&str], &str); 4] = [
        (&["--serial-number", "00:G1"], "error: invalid serialNumber (--serial-number): 'G' at position 4"),
        (
            &["--certificate-id", "2000001", "--reason", "6"],
            "error: invalid codeReason (--reason): 6 (certificateHold)",
        ),
        (&["--order-number", "12a"], "error: invalid orderNumber (--order-number): 'a' is not a decimal digit"),
        (
            &["--certificate-id", "1", "--connect-timeout", "20"],
            "error: invalid timeout (--timeout or --connect-timeout)",
        ),
    ];
    for (arguments, start) in cases {
        let result = run(endpoint.revoke().args(arguments));
        assert_eq!(result.status, EXIT_USAGE, "{arguments:?}: {result:?}");
        assert!(result.stderr.starts_with(start), "{arguments:?}: {}", result.stderr);
    }
    assert_eq!(endpoint.simulator.connection_count(), 0);
}

#[test]
fn plain_http_endpoint_from_environment_rejected() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/products/!AutoRevokeCertificate", listener.local_addr().unwrap());
    let result = run(binary()
        .args(["revoke", "--certificate-id", "2000001"])
        .env("SECTIGO_ENDPOINT", &url)
        .env("SECTIGO_LOGIN_NAME", LOGIN_NAME)
        .env("SECTIGO_LOGIN_PASSWORD", CANARY_PASSWORD));

    assert_eq!(result.status, EXIT_USAGE, "{result:?}");
    let expected = format!("error: invalid endpoint (--endpoint or SECTIGO_ENDPOINT): {url} uses plain HTTP");
    assert!(result.stderr.starts_with(&expected), "{}", result.stderr);
    listener.set_nonblocking(true).unwrap();
    assert!(listener.accept().is_err(), "no connection was attempted");
}

#[test]
fn usage_errors_exit_two() {
    let endpoint = Endpoint::start();
    let cases: [&[&str]; 4] = [
        &[],
        &["--certificate-id", "1", "--order-number", "2"],
        &["--certificate-id", "1", "--timeout", "soon"],
        &["--certificate-id", "1", "--proxy", "http://127.0.0.1:9", "--no-proxy"],
    ];
    for arguments in cases {
        let result = run(endpoint.revoke().args(arguments));
        assert_eq!(result.status, EXIT_USAGE, "{arguments:?}: {result:?}");
        assert!(result.stderr.starts_with("error: "), "{arguments:?}: {}", result.stderr);
        assert!(result.stderr.contains("--help"), "clap points to the help: {}", result.stderr);
    }
    assert_eq!(endpoint.simulator.connection_count(), 0);
}

/// A loopback stand-in for an HTTP proxy. It records the first request line of one
/// connection and responds with 403, so no tunnel is opened.
struct FakeProxy {
    url: String,
    thread: std::thread::JoinHandle<Option<String>>,
}

impl FakeProxy {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let thread = std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline {
                let Ok((stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                };
                stream.set_nonblocking(false).unwrap();
                stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                let mut reader = BufReader::new(stream);
                let mut first_line = String::new();
                reader.read_line(&mut first_line).ok()?;
                let mut stream = reader.into_inner();
                let _ = stream.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                return Some(first_line.trim_end().to_owned());
            }
            None
        });
        FakeProxy { url, thread }
    }

    fn first_line(self) -> Option<String> {
        self.thread.join().unwrap()
    }
}

#[test]
fn proxy_option_used() {
    let endpoint = Endpoint::start();
    let proxy = FakeProxy::start();
    let mut command = binary();
    command
        .args(["revoke", "--certificate-id", "2000001", "--endpoint", &endpoint.simulator.endpoint(), "--ca-bundle"])
        .arg(&endpoint.ca_file)
        .args(["--proxy", &proxy.url])
        .env("SECTIGO_LOGIN_NAME", LOGIN_NAME)
        .env("SECTIGO_LOGIN_PASSWORD", CANARY_PASSWORD);
    let result = run(&mut command);

    let address = endpoint.simulator.address();
    assert_eq!(proxy.first_line().as_deref(), Some(format!("CONNECT {address} HTTP/1.1").as_str()));
    assert_eq!(result.status, EXIT_NOT_SENT, "{result:?}");
    assert!(endpoint.simulator.requests().is_empty());
}

#[test]
fn environment_proxy_used_unless_no_proxy() {
    let endpoint = Endpoint::start();
    let proxy = FakeProxy::start();
    let base = || {
        let mut command = binary();
        command
            .args(["revoke", "--endpoint", &endpoint.simulator.endpoint(), "--ca-bundle"])
            .arg(&endpoint.ca_file)
            .env("SECTIGO_LOGIN_NAME", LOGIN_NAME)
            .env("SECTIGO_LOGIN_PASSWORD", CANARY_PASSWORD)
            .env("HTTPS_PROXY", &proxy.url);
        command
    };

    let through_proxy = run(base().args(["--certificate-id", "2000001"]));
    let direct = run(base().args(["--certificate-id", "2000002", "--no-proxy"]));

    assert!(proxy.first_line().is_some_and(|line| line.starts_with("CONNECT ")));
    assert_eq!(through_proxy.status, EXIT_NOT_SENT, "{through_proxy:?}");
    assert_eq!(direct.status, EXIT_SUCCESS, "{direct:?}");
    assert_eq!(endpoint.simulator.requests().len(), 1, "only the direct request arrived");
}

#[test]
fn verbose_logs_request_without_password() {
    let endpoint = Endpoint::start();
    let result = run(endpoint.revoke().args(["-vv", "--certificate-id", "2000001"]));

    assert_eq!(result.status, EXIT_SUCCESS, "{result:?}");
    assert!(result.stderr.contains("[DEBUG sectigo_revoke::client] POST "), "{}", result.stderr);
    assert!(result.stderr.contains("certificateID=2000001: revocation accepted (code 0)"), "{}", result.stderr);
    for line in result.stderr.lines() {
        assert!(line.starts_with('['), "only log records: {line}");
        assert!(line.contains(" sectigo_revoke"), "only the product's own logs: {line}");
    }
}

#[test]
fn help_lists_exit_statuses_and_reason_policy() {
    for arguments in [&["--help"][..], &["revoke", "--help"], &["revoke", "-h"]] {
        let result = run(binary().args(arguments));
        assert_eq!(result.status, EXIT_SUCCESS, "{arguments:?}");
        for status in ["  0  revocation accepted", "  3  already in a final state", "  8  outcome unknown"] {
            assert!(result.stdout.contains(status), "{arguments:?} lacks {status:?}");
        }
    }
    let result = run(binary().args(["revoke", "-h"]));
    assert!(result.stdout.contains("Mozilla Root Store Policy 2.9"), "{}", result.stdout);
    let result = run(binary().args(["revoke", "--help"]));
    assert!(result.stdout.contains("[default: 30]"), "{}", result.stdout);
    assert!(result.stdout.contains("Limit in seconds"), "{}", result.stdout);
}
