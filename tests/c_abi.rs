//! The C ABI as C and C++ callers see it: programs compiled against
//! `include/sectigo_revoke.h` and the shared library this build produced, run against the
//! simulator on loopback. Also checks that the committed header matches what cbindgen
//! generates.
//!
//! The programs print `key=value` lines; the tests read them and compare values, and
//! check that the canary password appears in no output. Tests that need valgrind, make
//! or pkg-config are ignored by default; `scripts/test-c` installs those tools and runs
//! them with `--include-ignored`.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use sectigo_revoke_simulator::{Catalogue, CertificateState, Fault, LoggedRequest, Simulator, SimulatorConfig};

use common::{config, start, CANARY_PASSWORD, LOGIN_NAME};

const CRATE_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// Parts of the canary password that would show a leak in any encoding the library uses.
const CANARY_PARTS: [&str; 3] = [CANARY_PASSWORD, "pässwörd", "p%C3%A4ssw%C3%B6rd"];

/// The environment variables that would send the programs through a proxy.
const PROXY_VARIABLES: [&str; 8] =
    ["http_proxy", "https_proxy", "all_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"];

// --- building the programs -------------------------------------------------------------

/// The compiled test programs and the folder holding the library they load.
struct Programs {
    work_dir: PathBuf,
    abi_test: PathBuf,
    batch_test: PathBuf,
    wrapper_test: PathBuf,
    revoke_example: PathBuf,
}

/// Compiles the C and C++ programs once per test process.
fn programs() -> &'static Programs {
    static PROGRAMS: OnceLock<Programs> = OnceLock::new();
    PROGRAMS.get_or_init(build_programs)
}

fn build_programs() -> Programs {
    let work_dir = fresh_work_dir();
    let lib_dir = work_dir.join("lib");
    std::fs::create_dir_all(&lib_dir).unwrap();

    // The library's soname is libsectigo_revoke.so.0, so the programs look for that name
    // at run time. Both names point at the library this build produced.
    let built = built_library_dir().join("libsectigo_revoke.so");
    assert!(built.exists(), "{} not found; build the crate's cdylib first", built.display());
    for name in ["libsectigo_revoke.so", "libsectigo_revoke.so.0"] {
        std::os::unix::fs::symlink(&built, lib_dir.join(name)).unwrap();
    }

    let c_flags = ["-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-pthread"];
    let cpp_flags = ["-std=c++17", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-pthread"];
    let abi_test = compile(&compiler("CC", "cc"), &c_flags, "tests/c/abi_test.c", &work_dir, &lib_dir);
    let batch_test = compile(&compiler("CC", "cc"), &c_flags, "tests/c/batch_test.c", &work_dir, &lib_dir);
    let revoke_example = compile(&compiler("CC", "cc"), &c_flags, "examples/c/revoke.c", &work_dir, &lib_dir);
    let wrapper_test = compile(&compiler("CXX", "c++"), &cpp_flags, "tests/cpp/wrapper_test.cpp", &work_dir, &lib_dir);

    Programs { work_dir, abi_test, batch_test, wrapper_test, revoke_example }
}

/// Returns the folder holding the cdylib and static library this build produced:
/// `target/<profile>/deps`, where `cargo test` writes them, or else `target/<profile>`,
/// where only `cargo build` copies them. The copy may be left from an older build, and
/// is missing in a fresh clone.
fn built_library_dir() -> PathBuf {
    let test_binary = std::env::current_exe().unwrap();
    // The test binary is target/<profile>/deps/c_abi-<hash>.
    let deps = test_binary.parent().expect("test binary lies in target/<profile>/deps").to_owned();
    if deps.join("libsectigo_revoke.so").exists() {
        return deps;
    }
    deps.parent().expect("test binary lies in target/<profile>/deps").to_owned()
}

/// Returns an empty folder for this process, removing those left by earlier runs whose
/// process has ended.
fn fresh_work_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    if let Ok(entries) = std::fs::read_dir(tmp) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(pid) = name.strip_prefix("c_abi-") else { continue };
            if !Path::new("/proc").join(pid).exists() {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }

    let work_dir = tmp.join(format!("c_abi-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work_dir);
    std::fs::create_dir_all(&work_dir).unwrap();
    work_dir
}

fn compiler(variable: &str, default: &str) -> String {
    std::env::var(variable).unwrap_or_else(|_| default.to_owned())
}

fn compile(compiler: &str, flags: &[&str], source: &str, work_dir: &Path, lib_dir: &Path) -> PathBuf {
    let name = Path::new(source).file_stem().unwrap().to_string_lossy().into_owned();
    let output_path = work_dir.join(&name);
    let mut command = Command::new(compiler);
    command
        .args(flags)
        .arg("-I")
        .arg(Path::new(CRATE_DIR).join("include"))
        .arg("-I")
        .arg(Path::new(CRATE_DIR).join("bindings/cpp"))
        .arg(Path::new(CRATE_DIR).join(source))
        .arg("-o")
        .arg(&output_path)
        .arg(format!("-L{}", lib_dir.display()))
        .arg("-lsectigo_revoke")
        .arg(format!("-Wl,-rpath,{}", lib_dir.display()));
    let output = command.output().unwrap_or_else(|error| panic!("cannot run {compiler}: {error}"));
    assert!(output.status.success(), "{compiler} failed on {source}:\n{}", String::from_utf8_lossy(&output.stderr));
    output_path
}

// --- running the programs --------------------------------------------------------------

/// Whether a program runs directly or under valgrind's memory checker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Runner {
    Native,
    Valgrind,
}

/// What a program printed and how it exited.
struct Run {
    stdout: String,
    stderr: String,
    code: Option<i32>,
    fields: HashMap<String, String>,
}

impl Run {
    /// Returns the value printed for `key`, failing with the whole output when missing.
    fn get(&self, key: &str) -> &str {
        match self.fields.get(key) {
            Some(value) => value,
            None => panic!("no {key}= line in the output:\n{}\nstderr:\n{}", self.stdout, self.stderr),
        }
    }

    fn assert_exit(&self, expected: i32) {
        assert_eq!(self.code, Some(expected), "exit status\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
    }

    /// Checks that every CHECK in the program passed and that at least `minimum` ran.
    fn assert_checks_passed(&self, minimum: u32) {
        self.assert_exit(0);
        assert_eq!(self.get("checks.failed"), "0");
        let passed: u32 = self.get("checks.passed").parse().unwrap();
        assert!(passed >= minimum, "only {passed} checks ran, expected at least {minimum}");
    }
}

fn run(runner: Runner, program: &Path, args: &[&str]) -> Run {
    let label = program.file_name().unwrap().to_string_lossy().into_owned();
    let log_path = programs().work_dir.join(format!("valgrind-{label}-{}.log", unique_number()));
    let mut command = match runner {
        Runner::Native => Command::new(program),
        Runner::Valgrind => {
            let mut command = Command::new("valgrind");
            command.args([
                "--error-exitcode=99",
                "--leak-check=full",
                "--show-leak-kinds=definite,indirect,possible",
                "--errors-for-leak-kinds=definite,indirect,possible",
            ]);
            command
                .arg(format!("--suppressions={CRATE_DIR}/tests/c/valgrind.supp"))
                .arg(format!("--log-file={}", log_path.display()))
                .arg(program);
            command
        }
    };
    command.args(args).env("SECTIGO_LOGIN_NAME", LOGIN_NAME).env("SECTIGO_LOGIN_PASSWORD", CANARY_PASSWORD);
    for variable in PROXY_VARIABLES {
        command.env_remove(variable);
    }

    let output: Output = command.output().unwrap_or_else(|error| panic!("cannot run {label}: {error}"));
    let run = Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code(),
        fields: HashMap::new(),
    };
    for part in CANARY_PARTS {
        assert!(!run.stdout.contains(part), "{label} printed the password:\n{}", run.stdout);
        assert!(!run.stderr.contains(part), "{label} printed the password to stderr:\n{}", run.stderr);
    }
    if runner == Runner::Valgrind {
        assert_valgrind_clean(&log_path);
    }

    let fields = run
        .stdout
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect();
    Run { fields, ..run }
}

fn unique_number() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::SeqCst)
}

/// Checks valgrind's summary: no memory errors, and nothing definitely, indirectly or
/// possibly lost. Memory still reachable at exit (thread-local and static caches) is
/// not a leak.
fn assert_valgrind_clean(log_path: &Path) {
    let log = std::fs::read_to_string(log_path).unwrap_or_else(|error| panic!("no valgrind log: {error}"));
    assert!(log.contains("ERROR SUMMARY: 0 errors from 0 contexts"), "valgrind found errors:\n{log}");
    if log.contains("All heap blocks were freed") {
        return;
    }
    for kind in ["definitely lost: 0 bytes", "indirectly lost: 0 bytes", "possibly lost: 0 bytes"] {
        assert!(log.contains(kind), "valgrind found a leak ({kind} expected):\n{log}");
    }
}

/// Starts a simulator and writes its CA certificate to a PEM file for the programs.
fn simulator_with(config: SimulatorConfig) -> (Simulator, PathBuf) {
    let simulator = start(config);
    let ca_path = programs().work_dir.join(format!("ca-{}.pem", unique_number()));
    simulator.write_ca_pem(&ca_path).unwrap();
    (simulator, ca_path)
}

fn run_scenario(runner: Runner, simulator: &Simulator, ca_path: &Path, scenario: &[&str]) -> Run {
    let endpoint = simulator.endpoint();
    let mut args = vec![endpoint.as_str(), ca_path.to_str().unwrap()];
    args.extend_from_slice(scenario);
    run(runner, &programs().abi_test, &args)
}

fn parameter<'a>(request: &'a LoggedRequest, name: &str) -> Option<&'a str> {
    request.parameters.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
}

// --- scenarios -------------------------------------------------------------------------

fn check_constants(runner: Runner) {
    let (simulator, ca_path) = simulator_with(config());
    let run = run_scenario(runner, &simulator, &ca_path, &["constants"]);
    run.assert_checks_passed(3);

    // These numbers are part of the ABI, so changing one breaks every compiled caller.
    let expected = [
        ("SECTIGO_REVOKE_RESULT_OK", "0"),
        ("SECTIGO_REVOKE_RESULT_NULL_PARAMETER", "100"),
        ("SECTIGO_REVOKE_RESULT_INVALID_UTF8", "101"),
        ("SECTIGO_REVOKE_RESULT_PANIC", "102"),
        ("SECTIGO_REVOKE_RESULT_NO_VALUE", "103"),
        ("SECTIGO_REVOKE_RESULT_INVALID_REQUEST", "200"),
        ("SECTIGO_REVOKE_RESULT_API_ERROR", "300"),
        ("SECTIGO_REVOKE_RESULT_RATE_LIMITED", "301"),
        ("SECTIGO_REVOKE_RESULT_NOT_SENT", "302"),
        ("SECTIGO_REVOKE_RESULT_REDIRECTED", "303"),
        ("SECTIGO_REVOKE_RESULT_OUTCOME_UNKNOWN", "304"),
        ("SECTIGO_REVOKE_OUTCOME_KIND_ACCEPTED", "0"),
        ("SECTIGO_REVOKE_OUTCOME_KIND_ALREADY_REVOKED", "1"),
        ("SECTIGO_REVOKE_OUTCOME_KIND_ALREADY_REJECTED", "2"),
        ("SECTIGO_REVOKE_OUTCOME_KIND_EXPIRED", "3"),
        ("SECTIGO_REVOKE_REASON_UNSPECIFIED", "0"),
        ("SECTIGO_REVOKE_REASON_KEY_COMPROMISE", "1"),
        ("SECTIGO_REVOKE_REASON_AFFILIATION_CHANGED", "3"),
        ("SECTIGO_REVOKE_REASON_SUPERSEDED", "4"),
        ("SECTIGO_REVOKE_REASON_CESSATION_OF_OPERATION", "5"),
        ("SECTIGO_REVOKE_RESPONSE_FORMAT_TEXT", "0"),
        ("SECTIGO_REVOKE_RESPONSE_FORMAT_URL_ENCODED", "1"),
    ];
    for (name, value) in expected {
        assert_eq!(run.get(&format!("constant.{name}")), value, "{name}");
    }

    assert_eq!(run.get("version.library"), env!("CARGO_PKG_VERSION"));
    assert_eq!(run.get("version.header"), env!("CARGO_PKG_VERSION"));
    assert_eq!(run.get("text.0"), "success");
    assert_eq!(run.get("text.100"), "a required pointer argument is NULL");
    assert_eq!(run.get("text.1"), "unknown result code");
    assert_eq!(run.get("text.999"), "unknown result code");
    assert!(run.get("text.304").starts_with("outcome unknown"));
    for (code, safe) in [("302", "1"), ("301", "1"), ("304", "0"), ("300", "0"), ("0", "0"), ("999", "0")] {
        assert_eq!(run.get(&format!("safe_to_retry.{code}")), safe, "code {code}");
    }
}

fn check_success(runner: Runner) {
    let (simulator, ca_path) = simulator_with(config());
    let run = run_scenario(runner, &simulator, &ca_path, &["success"]);
    run.assert_checks_passed(20);

    assert_eq!(run.get("by_serial.returned"), "0");
    assert_eq!(run.get("by_serial.result"), "0");
    assert_eq!(run.get("by_serial.kind"), "0");
    assert_eq!(run.get("by_serial.api_code"), "0");
    assert_eq!(run.get("by_serial.http_status"), "200");
    assert_eq!(run.get("by_serial.message"), "-");
    assert_eq!(run.get("by_serial.error_item"), "-");
    assert_eq!(run.get("by_serial.retry_after_ms"), "-");
    assert_eq!(
        run.get("by_serial.description"),
        "serialNumber=00D9B75B1C2E0F11223344556677889AA1: revocation accepted"
    );

    assert_eq!(run.get("again.returned"), "0");
    assert_eq!(run.get("again.kind"), "1");
    assert_eq!(run.get("again.api_code"), "-21");
    assert_eq!(run.get("again.message"), "The certificate has already been revoked.");
    assert_eq!(run.get("again.description"), "certificateID=2000001: already revoked");

    assert_eq!(run.get("text_format.kind"), "0");
    assert_eq!(run.get("replaced.kind"), "0");
    assert_eq!(run.get("test_mode.kind"), "0");
    assert_eq!(
        run.get("test_mode.description"),
        "certificateID=2000012: revocation accepted (test mode, nothing was revoked)"
    );

    assert_eq!(simulator.state_of_certificate_id(2000001), Some(CertificateState::Revoked));
    assert_eq!(simulator.state_of_certificate_id(2000002), Some(CertificateState::Revoked));
    assert_eq!(simulator.state_of_certificate_id(2000011), Some(CertificateState::Replaced));
    assert_eq!(simulator.state_of_certificate_id(2000012), Some(CertificateState::Issued));

    let requests = simulator.requests();
    assert_eq!(requests.len(), 5);
    let by_serial = &requests[0];
    assert_eq!(by_serial.method, "POST");
    assert_eq!(by_serial.path, "/products/!AutoRevokeCertificate");
    assert_eq!(parameter(by_serial, "loginName"), Some(LOGIN_NAME));
    assert_eq!(parameter(by_serial, "loginPassword"), Some("********"));
    assert_eq!(parameter(by_serial, "serialNumber"), Some("00D9B75B1C2E0F11223344556677889AA1"));
    assert_eq!(parameter(by_serial, "codeReason"), Some("1"));
    assert_eq!(parameter(by_serial, "revocationReason"), Some("key left on a shared host"));

    let text_format = &requests[2];
    assert_eq!(parameter(text_format, "orderNumber"), Some("1000002"));
    assert_eq!(parameter(text_format, "responseFormat"), Some("0"));
    assert_eq!(parameter(text_format, "codeReason"), Some("4"));
    assert_eq!(parameter(text_format, "accountID"), Some("42"));
    assert_eq!(parameter(text_format, "productCode"), Some("PC-1"));
    assert_eq!(parameter(text_format, "product"), Some("7"));
    assert_eq!(parameter(&requests[3], "includeInCRL"), Some("N"));
    assert_eq!(parameter(&requests[4], "test"), Some("Y"));
}

fn check_api_error(runner: Runner) {
    let (simulator, ca_path) = simulator_with(config());
    let run = run_scenario(runner, &simulator, &ca_path, &["api-error"]);
    run.assert_checks_passed(5);

    assert_eq!(run.get("issuing.returned"), "300");
    assert_eq!(run.get("issuing.result"), "300");
    assert_eq!(run.get("issuing.kind"), "-");
    assert_eq!(run.get("issuing.api_code"), "-26");
    assert_eq!(run.get("issuing.message"), "The certificate is currently being issued.");
    assert_eq!(run.get("issuing.http_status"), "200");
    assert!(run.get("issuing.description").starts_with("API error -26"), "{}", run.get("issuing.description"));

    assert_eq!(run.get("unknown.returned"), "300");
    assert_eq!(run.get("unknown.api_code"), "-4");
    assert_eq!(run.get("unknown.message"), "The certificate was not found.");
    assert_eq!(run.get("unknown.error_item"), "certificateID");

    // The text response format carries no errorItem.
    assert_eq!(run.get("unknown_text.api_code"), "-4");
    assert_eq!(run.get("unknown_text.message"), "The certificate was not found.");
    assert_eq!(run.get("unknown_text.error_item"), "-");

    assert_eq!(simulator.state_of_certificate_id(2000004), Some(CertificateState::Issuing));
}

fn check_validation(runner: Runner) {
    let (simulator, ca_path) = simulator_with(config());
    let run = run_scenario(runner, &simulator, &ca_path, &["validation"]);
    run.assert_checks_passed(30);

    let expected_items = [
        ("bad_serial", "serialNumber"),
        ("forbidden_reason", "codeReason"),
        ("two_identifiers", "certificate identifier"),
        ("no_identifier", "certificate identifier"),
        ("long_comment", "revocationReason"),
        ("bad_format", "responseFormat"),
        ("plain_http", "endpoint"),
        ("missing_ca", "CA bundle"),
        ("no_credentials", "loginName"),
        ("short_timeout", "timeout"),
        ("no_attempts", "retry policy"),
        ("bad_proxy", "proxy"),
    ];
    for (label, item) in expected_items {
        assert_eq!(run.get(&format!("{label}.returned")), "200", "{label}");
        assert_eq!(run.get(&format!("{label}.result")), "200", "{label}");
        assert_eq!(run.get(&format!("{label}.error_item")), item, "{label}");
        assert_eq!(run.get(&format!("{label}.api_code")), "-", "{label}");
        assert_eq!(run.get(&format!("{label}.http_status")), "-", "{label}");
        let description = run.get(&format!("{label}.description"));
        assert!(description.starts_with(&format!("invalid {item}: ")), "{label}: {description}");
    }

    assert_eq!(
        run.get("forbidden_reason.description"),
        "invalid codeReason: 6 (certificateHold) may not be requested by a subscriber; allowed: 0 unspecified, \
         1 keyCompromise, 3 affiliationChanged, 4 superseded, 5 cessationOfOperation"
    );
    assert_eq!(
        run.get("long_comment.description"),
        "invalid revocationReason: 1025 characters is more than the 1024 allowed; shorten the value"
    );
    assert!(run.get("missing_ca.description").contains("cannot read /nonexistent/ca.pem"));
    assert!(run.get("plain_http.description").contains("plain HTTP"));
    assert!(run.get("no_credentials.description").contains("sectigo_revoke_client_options_set_credentials"));
    assert!(!run.get("bad_proxy.description").contains("secret"));
    assert!(simulator.requests().is_empty(), "a request that failed validation reached the server");
}

fn check_null_arguments(runner: Runner) {
    let (simulator, ca_path) = simulator_with(config());
    let run = run_scenario(runner, &simulator, &ca_path, &["null"]);
    run.assert_checks_passed(70);
    assert!(simulator.requests().is_empty());
}

fn check_invalid_utf8(runner: Runner) {
    let (simulator, ca_path) = simulator_with(config());
    let run = run_scenario(runner, &simulator, &ca_path, &["utf8"]);
    run.assert_checks_passed(20);

    assert_eq!(run.get("after_invalid.returned"), "0");
    assert_eq!(run.get("after_invalid.kind"), "0");
    let requests = simulator.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(parameter(&requests[0], "loginName"), Some(LOGIN_NAME));
    assert_eq!(parameter(&requests[0], "revocationReason"), None);
}

/// Returns the connect timeout and overall timeout given to the program and the
/// simulator's delay, in milliseconds. Memcheck slows a program down many times over,
/// so under valgrind the TLS handshake needs a longer connect timeout.
fn timeouts(runner: Runner) -> (u64, u64, u64) {
    match runner {
        Runner::Native => (3_000, 6_000, 15_000),
        Runner::Valgrind => (10_000, 20_000, 30_000),
    }
}

fn check_timeout(runner: Runner) {
    let (connect_timeout_ms, timeout_ms, delay_ms) = timeouts(runner);
    let (simulator, ca_path) = simulator_with(config());
    simulator.inject_fault(Fault::SlowReply { delay_ms }, 1);
    let run = run_scenario(
        runner,
        &simulator,
        &ca_path,
        &["timeout", &connect_timeout_ms.to_string(), &timeout_ms.to_string()],
    );
    run.assert_checks_passed(11);

    assert_eq!(run.get("slow.returned"), "304");
    assert_eq!(run.get("slow.result"), "304");
    assert_eq!(run.get("slow.http_status"), "-");
    assert_eq!(run.get("slow.api_code"), "-");
    assert_eq!(
        run.get("slow.description"),
        "outcome unknown: timed out waiting for the answer; the certificate may or may not be revoked"
    );
    // The slow reply processed the revocation: exactly the case the result warns about.
    assert_eq!(simulator.state_of_certificate_id(2000001), Some(CertificateState::Revoked));
}

fn check_threads(runner: Runner) {
    let mut config = config();
    config.catalogue = Catalogue { accept_unknown: true, ..Catalogue::builtin() };
    let (simulator, ca_path) = simulator_with(config);
    let run = run_scenario(runner, &simulator, &ca_path, &["threads"]);
    run.assert_checks_passed(50);

    for thread in 0..8u64 {
        assert_eq!(run.get(&format!("thread.{thread}.first")), "0", "thread {thread}");
        assert_eq!(run.get(&format!("thread.{thread}.first_kind")), "0", "thread {thread}");
        assert_eq!(run.get(&format!("thread.{thread}.second_kind")), "1", "thread {thread}");
        assert_eq!(run.get(&format!("thread.{thread}.second_api_code")), "-21", "thread {thread}");
        assert_eq!(simulator.state_of_certificate_id(3_000_001 + thread), Some(CertificateState::Revoked));
    }
    let requests = simulator.requests();
    assert_eq!(requests.len(), 16);
    assert!(requests.iter().all(|request| parameter(request, "loginPassword") == Some("********")));
}

fn check_rate_limit(runner: Runner) {
    let (simulator, ca_path) = simulator_with(config());
    simulator.inject_fault(Fault::TooManyRequests { retry_after_secs: 7 }, 1);
    let run = run_scenario(runner, &simulator, &ca_path, &["rate-limit"]);
    run.assert_checks_passed(3);

    assert_eq!(run.get("limited.returned"), "301");
    assert_eq!(run.get("limited.http_status"), "429");
    assert_eq!(run.get("limited.retry_after_ms"), "7000");
    assert_eq!(run.get("limited.api_code"), "-");
    assert_eq!(simulator.state_of_certificate_id(2000001), Some(CertificateState::Issued));
}

fn check_retry(runner: Runner) {
    let (simulator, ca_path) = simulator_with(config());
    simulator.inject_fault(Fault::CallLimit, 1);
    let run = run_scenario(runner, &simulator, &ca_path, &["retry"]);
    run.assert_checks_passed(3);

    assert_eq!(run.get("retried.returned"), "0");
    assert_eq!(run.get("retried.kind"), "0");
    let requests = simulator.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].code, Some(-42));
    assert_eq!(requests[1].code, Some(0));
}

fn check_dry_run(runner: Runner) {
    let (simulator, ca_path) = simulator_with(config());
    let run = run_scenario(runner, &simulator, &ca_path, &["dry-run"]);
    run.assert_checks_passed(5);

    assert_eq!(run.get("rendered.returned"), "0");
    assert_eq!(run.get("rendered.description"), "dry run of certificateID=2000001");
    let expected = format!(
        "POST {}\\nContent-Type: application/x-www-form-urlencoded\\nUser-Agent: sectigo-revoke/{}\\n\\n\
         loginName={LOGIN_NAME}&loginPassword=********&certificateID=2000001&codeReason=4\
         &revocationReason=moved+%26+rekeyed&responseFormat=1",
        simulator.endpoint(),
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(run.get("rendered.text"), expected);

    assert_eq!(run.get("invalid.returned"), "200");
    assert_eq!(run.get("invalid.error_item"), "serialNumber");
    assert!(simulator.requests().is_empty(), "a dry run reached the server");
}

fn check_not_sent(runner: Runner) {
    let (simulator, ca_path) = simulator_with(config());
    let run = run_scenario(runner, &simulator, &ca_path, &["not-sent"]);
    run.assert_checks_passed(5);

    for label in ["mozilla_roots", "system_roots"] {
        assert_eq!(run.get(&format!("{label}.returned")), "302", "{label}");
        assert_eq!(run.get(&format!("{label}.http_status")), "-", "{label}");
        let description = run.get(&format!("{label}.description"));
        assert!(description.contains("TLS handshake failed"), "{label}: {description}");
    }
    assert!(simulator.requests().is_empty());
}

fn check_redirect(runner: Runner) {
    let (simulator, ca_path) = simulator_with(config());
    let location = "https://127.0.0.1:9/products/!AutoRevokeCertificate";
    simulator.inject_fault(Fault::Redirect { status: 302, location: location.to_owned() }, 1);
    let run = run_scenario(runner, &simulator, &ca_path, &["redirect"]);
    run.assert_checks_passed(3);

    assert_eq!(run.get("redirected.returned"), "303");
    assert_eq!(run.get("redirected.http_status"), "302");
    assert!(run.get("redirected.description").contains(location), "{}", run.get("redirected.description"));
    assert_eq!(simulator.requests().len(), 1);
}

fn check_cpp_wrapper(runner: Runner) {
    let (simulator, ca_path) = simulator_with(config());
    let endpoint = simulator.endpoint();
    let run = run(runner, &programs().wrapper_test, &[&endpoint, ca_path.to_str().unwrap()]);
    run.assert_checks_passed(5);

    assert_eq!(run.get("version"), env!("CARGO_PKG_VERSION"));
    assert_eq!(run.get("accepted.kind"), "0");
    assert_eq!(run.get("accepted.http_status"), "200");
    assert_eq!(run.get("again.kind"), "1");
    assert_eq!(run.get("again.api_code"), "-21");
    assert_eq!(run.get("dry_run.has_redacted_password"), "1");

    assert_eq!(run.get("issuing.thrown"), "1");
    assert_eq!(run.get("issuing.result"), "300");
    assert_eq!(run.get("issuing.api_code"), "-26");
    assert_eq!(run.get("issuing.message"), "The certificate is currently being issued.");
    assert_eq!(run.get("issuing.http_status"), "200");

    assert_eq!(run.get("bad_serial.result"), "200");
    assert_eq!(run.get("bad_serial.error_item"), "serialNumber");
    assert!(run.get("bad_serial.what").starts_with("invalid serialNumber: "));
    assert_eq!(run.get("nul_in_comment.result"), "200");
    assert_eq!(run.get("nul_in_comment.error_item"), "revocationReason");
    assert_eq!(run.get("missing_ca.result"), "200");
    assert_eq!(run.get("missing_ca.error_item"), "CA bundle");

    assert_eq!(run.get("moved.kind"), "0");
    assert_eq!(run.get("moved_from.result"), "100");
    assert!(run.get("moved_from.what").starts_with("sectigo_revoke_client_revoke: "));
    for thread in 0..3 {
        assert_eq!(run.get(&format!("thread.{thread}.kind")), "0");
    }
    for id in [2000001, 2000002, 2000011, 2000012, 2000013] {
        assert_eq!(simulator.state_of_certificate_id(id), Some(CertificateState::Revoked), "{id}");
    }
}

fn check_example(runner: Runner) {
    let (simulator, ca_path) = simulator_with(config());
    let endpoint = simulator.endpoint();
    let ca = ca_path.to_str().unwrap();
    let example = &programs().revoke_example;

    let accepted = run(runner, example, &[&endpoint, ca, "certificateID=2000001", "4"]);
    accepted.assert_exit(0);
    assert!(accepted.stdout.starts_with("certificateID=2000001: revocation accepted\n"), "{}", accepted.stdout);
    assert!(accepted.stdout.contains("API code: 0\n"));
    assert_eq!(parameter(&simulator.requests()[0], "codeReason"), Some("4"));

    let rejected = run(runner, example, &[&endpoint, ca, "serialNumber=7A11000000000000000000000000000004"]);
    rejected.assert_exit(1);
    assert!(rejected.stdout.contains("API code: -26\n"), "{}", rejected.stdout);
    assert!(rejected.stdout.contains("API message: The certificate is currently being issued.\n"));

    let invalid = run(runner, example, &[&endpoint, ca, "serialNumber=XYZ"]);
    invalid.assert_exit(1);
    assert!(invalid.stdout.contains("invalid serialNumber: "), "{}", invalid.stdout);
    assert!(invalid.stdout.contains("field: serialNumber\n"));

    let usage = run(runner, example, &[&endpoint, ca, "fingerprint=AB"]);
    usage.assert_exit(2);
    assert!(usage.stderr.starts_with("usage: revoke"));
    assert_eq!(simulator.requests().len(), 2);
}

// --- batches ---------------------------------------------------------------------------

/// The first certificate ID of the batch input. The IDs are not in the simulator's
/// catalogue, and the batch simulator accepts unknown IDs as issued certificates.
const BATCH_FIRST_ID: u64 = 5_000_001;
/// Rows in the batch input.
const BATCH_ROWS: u64 = 300;

/// Starts a simulator that accepts unknown identifiers, for the batch scenarios.
fn batch_simulator() -> (Simulator, PathBuf) {
    let mut config = config();
    config.catalogue = Catalogue { accept_unknown: true, ..Catalogue::builtin() };
    simulator_with(config)
}

/// Returns a fresh folder holding `incident.csv`: `BATCH_ROWS` certificate IDs, the
/// row for ID `BATCH_FIRST_ID + N` on line N + 2.
fn batch_work_dir() -> PathBuf {
    let dir = programs().work_dir.join(format!("batch-{}", unique_number()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut text = String::from("certificate_id\n");
    for index in 0..BATCH_ROWS {
        text.push_str(&format!("{}\n", BATCH_FIRST_ID + index));
    }
    std::fs::write(dir.join("incident.csv"), text).unwrap();
    dir
}

fn run_batch_scenario(
    runner: Runner,
    simulator: &Simulator,
    ca_path: &Path,
    work_dir: &Path,
    scenario: &[&str],
) -> Run {
    let endpoint = simulator.endpoint();
    let mut args = vec![endpoint.as_str(), ca_path.to_str().unwrap(), scenario[0], work_dir.to_str().unwrap()];
    args.extend_from_slice(&scenario[1..]);
    run(runner, &programs().batch_test, &args)
}

/// Counts the requests the simulator processed for each identifier.
fn sent_per_identifier(simulator: &Simulator) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for request in simulator.requests() {
        if let Some(identifier) = request.identifier {
            *counts.entry(identifier).or_insert(0) += 1;
        }
    }
    counts
}

fn assert_each_row_sent_once(simulator: &Simulator) {
    let counts = sent_per_identifier(simulator);
    assert_eq!(counts.len() as u64, BATCH_ROWS);
    for index in 0..BATCH_ROWS {
        let identifier = format!("certificateID={}", BATCH_FIRST_ID + index);
        assert_eq!(counts.get(&identifier), Some(&1), "{identifier}");
    }
    assert_eq!(simulator.requests().len() as u64, BATCH_ROWS);
}

fn number(run: &Run, key: &str) -> u64 {
    run.get(key).parse().unwrap_or_else(|_| panic!("{key}={} is not a number", run.get(key)))
}

fn assert_no_canary_in_files(paths: &[PathBuf]) {
    for path in paths {
        let bytes = std::fs::read(path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
        let text = String::from_utf8_lossy(&bytes);
        for part in CANARY_PARTS {
            assert!(!text.contains(part), "{} contains the password", path.display());
        }
    }
}

fn check_batch_all(runner: Runner) {
    let (simulator, ca_path) = batch_simulator();
    let work_dir = batch_work_dir();
    let run = run_batch_scenario(runner, &simulator, &ca_path, &work_dir, &["all"]);
    run.assert_checks_passed(15);

    assert_eq!(run.get("all.returned"), "0");
    assert_eq!(run.get("all.result"), "0");
    assert_eq!(run.get("all.status"), "0");
    assert_eq!(number(&run, "all.requests"), BATCH_ROWS);
    assert_eq!(number(&run, "all.rows"), BATCH_ROWS);
    assert_eq!(number(&run, "all.accepted"), BATCH_ROWS);
    assert_eq!(number(&run, "all.planned"), 0);
    assert_eq!(number(&run, "all.unknown"), 0);
    assert_eq!(run.get("all.cancelled"), "0");
    assert_eq!(run.get("all.resumed"), "0");
    assert_eq!(run.get("all.stopped"), "-");
    assert!(number(&run, "all.elapsed_ms") > 0);
    assert!(
        run.get("all.description").starts_with("batch finished; 300 requests; 300 rows: 300 accepted, "),
        "{}",
        run.get("all.description")
    );

    // One call per row, from worker threads, never two at once.
    assert_eq!(number(&run, "all.progress.calls"), BATCH_ROWS);
    assert_eq!(number(&run, "all.progress.last_done"), BATCH_ROWS);
    assert_eq!(number(&run, "all.progress.total"), BATCH_ROWS);
    assert_eq!(number(&run, "all.progress.last_accepted"), BATCH_ROWS);
    assert_eq!(run.get("all.progress.in_order"), "1");
    assert_eq!(run.get("all.progress.on_caller_thread"), "0");

    assert_each_row_sent_once(&simulator);
    for request in simulator.requests() {
        assert_eq!(parameter(&request, "codeReason"), Some("4"));
        assert_eq!(parameter(&request, "revocationReason"), Some("incident 42"));
        assert_eq!(parameter(&request, "loginPassword"), Some("********"));
    }

    assert_eq!(run.get("csv_report.returned"), "0");
    assert_eq!(run.get("json_report.returned"), "0");
    let mut reader = csv::Reader::from_path(work_dir.join("report.csv")).unwrap();
    assert_eq!(reader.headers().unwrap(), &sectigo_revoke::batch::REPORT_COLUMNS[..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len() as u64, BATCH_ROWS);
    assert_eq!(&rows[0].iter().take(5).collect::<Vec<_>>(), &["2", "certificateID=5000001", "done", "accepted", "0"]);
    let json = std::fs::read_to_string(work_dir.join("report.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> = json.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(lines.len() as u64, BATCH_ROWS);
    assert_eq!(lines[299]["line"], 301);
    assert_eq!(lines[299]["status"], "done");
    assert_eq!(lines[299]["attempts"], 1);

    let journal = work_dir.join("incident.journal");
    let mut files = vec![journal, work_dir.join("report.csv"), work_dir.join("report.jsonl")];
    let wal = work_dir.join("incident.journal-wal");
    if wal.exists() {
        files.push(wal);
    }
    assert_no_canary_in_files(&files);
}

fn check_batch_cancel(runner: Runner) {
    let (simulator, ca_path) = batch_simulator();
    let work_dir = batch_work_dir();
    let run = run_batch_scenario(runner, &simulator, &ca_path, &work_dir, &["cancel-resume", "100"]);
    run.assert_checks_passed(15);

    assert_eq!(run.get("first.returned"), "0");
    assert_eq!(run.get("first.cancelled"), "1");
    assert_eq!(run.get("first.status"), "2");
    let accepted = number(&run, "first.accepted");
    assert!((100..BATCH_ROWS).contains(&accepted), "{accepted} rows accepted before the cancellation took effect");
    assert_eq!(accepted + number(&run, "first.planned"), BATCH_ROWS);
    assert_eq!(number(&run, "first.unknown"), 0);
    assert_eq!(number(&run, "first.requests"), accepted);
    assert!(run.get("first.description").starts_with("batch cancelled; "), "{}", run.get("first.description"));
    // The callback asked to cancel at row 100; rows in flight then still finish.
    assert_eq!(number(&run, "first.progress.calls"), accepted);

    assert_eq!(run.get("in_use.returned"), "402");
    assert_eq!(run.get("in_use.result"), "402");
    assert_eq!(run.get("in_use.summary_untouched"), "1");
    assert_eq!(number(&run, "in_use.progress.calls"), 0);
    assert!(
        run.get("in_use.description").contains("is in use by another process"),
        "{}",
        run.get("in_use.description")
    );

    assert_eq!(run.get("second.returned"), "0");
    assert_eq!(run.get("second.resumed"), "1");
    assert_eq!(run.get("second.status"), "0");
    assert_eq!(number(&run, "second.requests"), BATCH_ROWS - accepted);
    assert_eq!(number(&run, "second.progress.calls"), BATCH_ROWS - accepted);
    assert_eq!(number(&run, "second.accepted"), BATCH_ROWS);
    assert_each_row_sent_once(&simulator);
}

fn check_batch_errors(runner: Runner) {
    let (simulator, ca_path) = batch_simulator();
    let work_dir = batch_work_dir();
    let run = run_batch_scenario(runner, &simulator, &ca_path, &work_dir, &["errors"]);
    run.assert_checks_passed(20);

    let failures = [
        ("missing_input", "400", "missing.csv: cannot open the input file"),
        ("unknown_column", "400", "typo.csv line 1: unknown column \"serial\"; known columns: order_number"),
        ("no_extension", "400", "cannot tell the format from the file name"),
        ("journal_is_folder", "401", "journal "),
        ("zero_concurrency", "200", "invalid concurrency: 0 is outside 1 to 256"),
        ("big_concurrency", "200", "invalid concurrency: 257 is outside 1 to 256"),
        ("negative_rate", "200", "invalid rate: -1 requests per second is not a positive number"),
        ("forbidden_reason", "200", "invalid codeReason: 6 (certificateHold) may not be requested"),
        ("changed_test_mode", "403", "was planned with test_mode \"false\", but \"true\" is given now"),
        ("changed_input", "403", "resume with the original input, or give a new journal"),
    ];
    for (label, code, text) in failures {
        assert_eq!(run.get(&format!("{label}.returned")), code, "{label}");
        assert_eq!(run.get(&format!("{label}.result")), code, "{label}");
        assert_eq!(run.get(&format!("{label}.summary_untouched")), "1", "{label}");
        assert_eq!(number(&run, &format!("{label}.progress.calls")), 0, "{label}");
        let description = run.get(&format!("{label}.description"));
        assert!(description.contains(text), "{label}: {description}");
    }
    for (label, item) in [
        ("zero_concurrency", "concurrency"),
        ("big_concurrency", "concurrency"),
        ("negative_rate", "rate"),
        ("forbidden_reason", "codeReason"),
        ("missing_input", "-"),
    ] {
        assert_eq!(run.get(&format!("{label}.error_item")), item, "{label}");
    }

    assert_eq!(run.get("small.returned"), "0");
    assert_eq!(number(&run, "small.accepted"), 2);
    assert_eq!(run.get("small.status"), "0");
    for label in ["report_no_extension", "report_missing_folder"] {
        assert_eq!(run.get(&format!("{label}.returned")), "404", "{label}");
        assert_eq!(run.get(&format!("{label}.result")), "404", "{label}");
    }
    assert!(run.get("report_no_extension.description").contains("cannot tell the format from the file name"));

    assert_eq!(run.get("wrong_login.returned"), "0");
    assert_eq!(run.get("wrong_login.status"), "2");
    let stopped = run.get("wrong_login.stopped");
    assert!(stopped.starts_with("API error -16 (authentication failed)"), "{stopped}");
    assert!(run.get("wrong_login.description").starts_with("batch stopped: API error -16"));
    let requests = number(&run, "wrong_login.requests");
    assert!((1..=3).contains(&requests), "{requests} requests after a rejected login");
    assert_eq!(number(&run, "wrong_login.retryable"), requests);
    assert_eq!(number(&run, "wrong_login.retryable") + number(&run, "wrong_login.planned"), 3);
    assert_eq!(number(&run, "wrong_login.failed"), 0);

    assert_eq!(run.get("dry_run.returned"), "0");
    assert_eq!(number(&run, "dry_run.requests"), 0);
    assert_eq!(run.get("dry_run.status"), "2");
    assert_eq!(
        (number(&run, "dry_run.rows"), number(&run, "dry_run.planned")),
        (4, 2),
        "rows and planned rows of the dry run"
    );
    assert_eq!((number(&run, "dry_run.invalid"), number(&run, "dry_run.duplicate")), (1, 1));
    assert_eq!(number(&run, "dry_run.progress.calls"), 0);
    assert!(run.get("dry_run.description").starts_with("batch planned (dry run, nothing sent); 0 requests; 4 rows"));
    assert_eq!(run.get("dry_report.returned"), "0");
    let report = std::fs::read_to_string(work_dir.join("dry-report.jsonl")).unwrap();
    let statuses: Vec<String> = report
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap()["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(statuses, ["planned", "duplicate", "invalid", "planned"]);

    // Requests with a rejected login name no identifier in the simulator's log.
    let sent = sent_per_identifier(&simulator);
    let expected: HashMap<String, usize> =
        [("certificateID=7000001".to_owned(), 1), ("certificateID=7000002".to_owned(), 1)].into();
    assert_eq!(sent, expected);
    assert_eq!(simulator.requests().len() as u64, 2 + requests);
}

fn check_batch_null(runner: Runner) {
    let (simulator, ca_path) = batch_simulator();
    let work_dir = batch_work_dir();
    let run = run_batch_scenario(runner, &simulator, &ca_path, &work_dir, &["null"]);
    run.assert_checks_passed(45);

    assert_eq!(number(&run, "no_callback.accepted"), 1);
    assert_eq!(run.get("no_callback.status"), "0");
    let requests = simulator.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].identifier.as_deref(), Some("certificateID=7200001"));
}

fn check_batch_constants(runner: Runner) {
    let (simulator, ca_path) = batch_simulator();
    let work_dir = batch_work_dir();
    let run = run_batch_scenario(runner, &simulator, &ca_path, &work_dir, &["constants"]);
    run.assert_checks_passed(3);

    // These numbers are part of the ABI, so changing one breaks every compiled caller.
    let expected = [
        ("SECTIGO_REVOKE_RESULT_BATCH_INPUT", "400"),
        ("SECTIGO_REVOKE_RESULT_BATCH_JOURNAL", "401"),
        ("SECTIGO_REVOKE_RESULT_BATCH_JOURNAL_IN_USE", "402"),
        ("SECTIGO_REVOKE_RESULT_BATCH_JOURNAL_MISMATCH", "403"),
        ("SECTIGO_REVOKE_RESULT_BATCH_REPORT", "404"),
        ("SECTIGO_REVOKE_BATCH_STATUS_SUCCEEDED", "0"),
        ("SECTIGO_REVOKE_BATCH_STATUS_FINISHED_WITH_FAILURES", "1"),
        ("SECTIGO_REVOKE_BATCH_STATUS_INCOMPLETE", "2"),
    ];
    for (name, value) in expected {
        assert_eq!(run.get(&format!("constant.{name}")), value, "{name}");
    }
    assert_eq!(run.get("text.400"), "the batch input cannot be read");
    assert_eq!(run.get("text.402"), "the batch journal is in use by another batch");
    assert_eq!(run.get("text.404"), "the batch report cannot be written");
    assert_eq!(run.get("text.405"), "unknown result code");
    assert!(simulator.requests().is_empty());
}

macro_rules! c_tests {
    ($($native:ident, $valgrind:ident => $check:ident;)*) => {
        $(
            #[test]
            fn $native() {
                $check(Runner::Native);
            }

            #[test]
            #[ignore = "needs valgrind; scripts/test-c runs it"]
            fn $valgrind() {
                $check(Runner::Valgrind);
            }
        )*
    };
}

c_tests! {
    c_constants, c_constants_under_valgrind => check_constants;
    c_success, c_success_under_valgrind => check_success;
    c_api_error, c_api_error_under_valgrind => check_api_error;
    c_validation_error, c_validation_error_under_valgrind => check_validation;
    c_null_arguments, c_null_arguments_under_valgrind => check_null_arguments;
    c_invalid_utf8, c_invalid_utf8_under_valgrind => check_invalid_utf8;
    c_timeout_outcome_unknown, c_timeout_outcome_unknown_under_valgrind => check_timeout;
    c_client_shared_by_8_threads, c_client_shared_by_8_threads_under_valgrind => check_threads;
    c_rate_limited, c_rate_limited_under_valgrind => check_rate_limit;
    c_retry_after_call_limit, c_retry_after_call_limit_under_valgrind => check_retry;
    c_dry_run_redacts_password, c_dry_run_redacts_password_under_valgrind => check_dry_run;
    c_untrusted_server_not_sent, c_untrusted_server_not_sent_under_valgrind => check_not_sent;
    c_redirect_not_followed, c_redirect_not_followed_under_valgrind => check_redirect;
    c_example_revoke, c_example_revoke_under_valgrind => check_example;
    cpp_wrapper, cpp_wrapper_under_valgrind => check_cpp_wrapper;
    c_batch_rows_sent_once, c_batch_rows_sent_once_under_valgrind => check_batch_all;
    c_batch_cancel_then_resume, c_batch_cancel_then_resume_under_valgrind => check_batch_cancel;
    c_batch_errors, c_batch_errors_under_valgrind => check_batch_errors;
    c_batch_null_arguments, c_batch_null_arguments_under_valgrind => check_batch_null;
    c_batch_constants, c_batch_constants_under_valgrind => check_batch_constants;
}

// --- the header ------------------------------------------------------------------------

#[test]
fn header_matches_generated() {
    let generated_path = env!("SECTIGO_REVOKE_GENERATED_HEADER");
    let generated = std::fs::read_to_string(generated_path).unwrap();
    let committed_path = Path::new(CRATE_DIR).join("include/sectigo_revoke.h");
    let committed = std::fs::read_to_string(&committed_path).unwrap();

    if generated != committed {
        let difference = generated
            .lines()
            .zip(committed.lines())
            .enumerate()
            .find(|(_, (new, old))| new != old)
            .map(|(index, (new, old))| format!("line {}:\n  generated: {new}\n  committed: {old}", index + 1))
            .unwrap_or_else(|| "the files differ in length".to_owned());
        panic!(
            "include/sectigo_revoke.h differs from the header cbindgen generates from src/ffi ({generated_path}); \
             run `SECTIGO_REVOKE_UPDATE_HEADER=1 cargo build` and commit include/sectigo_revoke.h\n{difference}"
        );
    }
}

#[test]
fn header_compiles_alone_as_c_and_cpp() {
    let header = Path::new(CRATE_DIR).join("include/sectigo_revoke.h");
    let cases = [
        (compiler("CC", "cc"), vec!["-std=c11", "-x", "c"]),
        (compiler("CC", "cc"), vec!["-std=c99", "-x", "c"]),
        (compiler("CXX", "c++"), vec!["-std=c++17", "-x", "c++"]),
    ];
    for (compiler, language) in cases {
        let output = Command::new(&compiler)
            .args(&language)
            .args(["-Wall", "-Wextra", "-Wpedantic", "-Werror", "-fsyntax-only"])
            .arg(&header)
            .output()
            .unwrap();
        assert!(output.status.success(), "{compiler} {language:?}:\n{}", String::from_utf8_lossy(&output.stderr));
    }
}

#[test]
fn shared_library_has_soname() {
    let output = Command::new("readelf").arg("-d").arg(built_library_dir().join("libsectigo_revoke.so")).output();
    let output = output.expect("readelf runs");
    let dynamic = String::from_utf8_lossy(&output.stdout);
    assert!(dynamic.contains("Library soname: [libsectigo_revoke.so.0]"), "{dynamic}");
}

#[test]
fn programs_load_library_by_soname() {
    let output = Command::new("readelf").arg("-d").arg(&programs().abi_test).output().expect("readelf runs");
    let dynamic = String::from_utf8_lossy(&output.stdout);
    assert!(dynamic.contains("Shared library: [libsectigo_revoke.so.0]"), "{dynamic}");
}

// --- installing ------------------------------------------------------------------------

/// Installs the debug build into a prefix with `make install`, then builds the example
/// with pkg-config against that prefix, dynamically and statically, and runs both.
#[test]
#[ignore = "needs make and pkg-config; scripts/test-c runs it"]
fn install_and_build_with_pkg_config() {
    let prefix = programs().work_dir.join("prefix");
    let target_dir = built_library_dir().parent().unwrap().to_owned();
    let profile = built_library_dir().file_name().unwrap().to_string_lossy().into_owned();
    let make = Command::new("make")
        .current_dir(CRATE_DIR)
        .arg("install")
        .arg(format!("PREFIX={}", prefix.display()))
        .arg(format!("PROFILE={profile}"))
        .arg(format!("TARGET_DIR={}", target_dir.display()))
        .output()
        .expect("make runs");
    assert!(make.status.success(), "make install failed:\n{}", String::from_utf8_lossy(&make.stderr));

    let version = env!("CARGO_PKG_VERSION");
    let lib = prefix.join("lib");
    for file in [
        "include/sectigo_revoke.h".to_owned(),
        "include/sectigo_revoke.hpp".to_owned(),
        format!("lib/libsectigo_revoke.so.{version}"),
        "lib/libsectigo_revoke.a".to_owned(),
        "lib/pkgconfig/sectigo_revoke.pc".to_owned(),
    ] {
        assert!(prefix.join(&file).is_file(), "{file} not installed");
    }
    assert_eq!(
        std::fs::read_link(lib.join("libsectigo_revoke.so.0")).unwrap(),
        PathBuf::from(format!("libsectigo_revoke.so.{version}"))
    );
    assert_eq!(std::fs::read_link(lib.join("libsectigo_revoke.so")).unwrap(), PathBuf::from("libsectigo_revoke.so.0"));

    let pkg_config = |args: &[&str]| -> String {
        let output = Command::new("pkg-config")
            .args(args)
            .arg("sectigo_revoke")
            .env("PKG_CONFIG_PATH", lib.join("pkgconfig"))
            .output()
            .expect("pkg-config runs");
        assert!(output.status.success(), "pkg-config {args:?}:\n{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    };
    assert_eq!(pkg_config(&["--modversion"]), version);
    let flags = pkg_config(&["--cflags", "--libs"]);
    assert_eq!(flags, format!("-I{}/include -L{}/lib -lsectigo_revoke", prefix.display(), prefix.display()));

    // The documented command line, through a shell as a user would type it.
    let source = Path::new(CRATE_DIR).join("examples/c/revoke.c");
    let dynamic = programs().work_dir.join("revoke-installed");
    let build = Command::new("sh")
        .arg("-c")
        .arg(
            r#"cc -std=c11 -Wall -Wextra -Wpedantic -Werror "$0" -o "$1" $(pkg-config --cflags --libs sectigo_revoke)"#,
        )
        .arg(&source)
        .arg(&dynamic)
        .env("PKG_CONFIG_PATH", lib.join("pkgconfig"))
        .output()
        .unwrap();
    assert!(build.status.success(), "pkg-config build failed:\n{}", String::from_utf8_lossy(&build.stderr));

    // Linking the archive needs the system libraries pkg-config lists as Libs.private.
    let static_binary = programs().work_dir.join("revoke-static");
    let private_libs = pkg_config(&["--static", "--libs-only-l"]);
    let build = Command::new(compiler("CC", "cc"))
        .args(["-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror"])
        .arg(format!("-I{}", prefix.join("include").display()))
        .arg(&source)
        .arg("-o")
        .arg(&static_binary)
        .arg(lib.join("libsectigo_revoke.a"))
        .args(private_libs.split_whitespace().filter(|flag| *flag != "-lsectigo_revoke"))
        .output()
        .unwrap();
    assert!(build.status.success(), "static build failed:\n{}", String::from_utf8_lossy(&build.stderr));
    let dynamic_section = Command::new("readelf").arg("-d").arg(&static_binary).output().unwrap();
    assert!(!String::from_utf8_lossy(&dynamic_section.stdout).contains("libsectigo_revoke"));

    let (simulator, ca_path) = simulator_with(config());
    let endpoint = simulator.endpoint();
    for (binary, certificate_id) in [(&dynamic, "certificateID=2000001"), (&static_binary, "certificateID=2000002")] {
        let mut command = Command::new(binary);
        command
            .args([endpoint.as_str(), ca_path.to_str().unwrap(), certificate_id])
            .env("SECTIGO_LOGIN_NAME", LOGIN_NAME)
            .env("SECTIGO_LOGIN_PASSWORD", CANARY_PASSWORD)
            .env("LD_LIBRARY_PATH", &lib);
        for variable in PROXY_VARIABLES {
            command.env_remove(variable);
        }
        let output = command.output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{}: {stdout}", binary.display());
        assert!(stdout.starts_with(&format!("{certificate_id}: revocation accepted\n")), "{stdout}");
        assert!(!stdout.contains(CANARY_PASSWORD));
    }

    let uninstall = Command::new("make")
        .current_dir(CRATE_DIR)
        .arg("uninstall")
        .arg(format!("PREFIX={}", prefix.display()))
        .output()
        .expect("make runs");
    assert!(uninstall.status.success(), "{}", String::from_utf8_lossy(&uninstall.stderr));
    assert!(!lib.join("libsectigo_revoke.so.0").exists());
    assert!(!prefix.join("include/sectigo_revoke.h").exists());
}
