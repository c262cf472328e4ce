//! The fault matrix (`tests/fault_matrix.json`) through the Rust API and through the C
//! ABI: each case's server behaviour, set up on loopback, must produce the result the
//! table names, with the same API code, HTTP status, retry-after time and cause.
//!
//! The C side compiles `tests/c/fault_matrix.c` against `include/sectigo_revoke.h` and
//! the shared library this build produced, and runs it once per case. The command-line
//! and Python front doors read the same table in their own test suites.

mod common;
mod faults;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use sectigo_revoke::{
    Client, Credentials, Error, NotSentCause, Outcome, OutcomeKind, ProxySetting, Revocation, RootStore, UnknownCause,
};

use common::{CANARY_PASSWORD, LOGIN_NAME};
use faults::{Case, Matrix, Observed, Scenario};

/// The environment variables that would send a request through a proxy.
const PROXY_VARIABLES: [&str; 8] =
    ["http_proxy", "https_proxy", "all_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"];

/// Runs every case through one front door and fails with every difference found.
fn run_matrix(front_door: &str, revoke: impl Fn(&Matrix, &Case, &Scenario) -> Observed) {
    let matrix = Matrix::load();
    let dir = tempfile::tempdir().unwrap();
    let mut differences = Vec::new();
    for case in &matrix.cases {
        let scenario = Scenario::start(case, dir.path(), LOGIN_NAME, CANARY_PASSWORD);
        let observed = revoke(&matrix, case, &scenario);
        differences.extend(matrix.differences(front_door, case, &observed));
        differences.extend(scenario.differences(front_door, &matrix, case));
    }
    assert!(
        differences.is_empty(),
        "{} differences from the fault matrix:\n{}",
        differences.len(),
        differences.join("\n")
    );
}

// --- the Rust API ----------------------------------------------------------------------

#[test]
fn rust_api_matches_fault_matrix() {
    run_matrix("Rust API", |matrix, _case, scenario| {
        let root_store = if scenario.trust_simulator_ca {
            RootStore::CaBundle(scenario.ca_file.clone())
        } else {
            RootStore::Mozilla
        };
        let proxy = match &scenario.proxy_url {
            Some(url) => ProxySetting::Url(url.clone()),
            None => ProxySetting::None,
        };
        let client = Client::builder(Credentials::new(LOGIN_NAME, CANARY_PASSWORD).unwrap())
            .endpoint(&scenario.endpoint)
            .root_store(root_store)
            .proxy(proxy)
            .connect_timeout(scenario.connect_timeout)
            .timeout(scenario.timeout)
            .build()
            .unwrap();
        let revocation = Revocation::builder().certificate_id(matrix.certificate_id).build().unwrap();
        observe_rust(&client.revoke(&revocation))
    });
}

fn observe_rust(result: &Result<Outcome, Error>) -> Observed {
    let error = match result {
        Ok(outcome) => {
            let result = match outcome.kind() {
                OutcomeKind::Accepted => "accepted",
                OutcomeKind::AlreadyRevoked => "already_revoked",
                OutcomeKind::AlreadyRejected => "already_rejected",
                _ => "expired",
            };
            return Observed {
                result: result.to_owned(),
                api_code: Some(outcome.code()),
                http_status: Some(outcome.http_status()),
                description: outcome.to_string(),
                ..Observed::default()
            };
        }
        Err(error) => error,
    };

    let (result, cause) = match error {
        Error::InvalidRequest(_) => ("invalid_request", None),
        Error::Api(_) => ("api_error", None),
        Error::RateLimited { .. } => ("rate_limited", None),
        Error::NotSent { cause, .. } => ("not_sent", Some(not_sent_cause(cause))),
        Error::Redirected { .. } => ("redirected", None),
        Error::OutcomeUnknown { cause, .. } => ("outcome_unknown", Some(unknown_cause(cause))),
        _ => ("unexpected error variant", None),
    };
    Observed {
        result: result.to_owned(),
        api_code: error.api_code(),
        http_status: error.http_status(),
        retry_after_secs: error.retry_after().map(|pause| pause.as_secs()),
        cause: cause.map(str::to_owned),
        description: error.to_string(),
    }
}

fn not_sent_cause(cause: &NotSentCause) -> &'static str {
    match cause {
        NotSentCause::Resolve(_) => "resolve",
        NotSentCause::Connect(_) => "connect",
        NotSentCause::Tls(_) => "tls",
        NotSentCause::Proxy(_) => "proxy",
        _ => "other",
    }
}

fn unknown_cause(cause: &UnknownCause) -> &'static str {
    match cause {
        UnknownCause::Timeout => "timeout",
        UnknownCause::Connection(_) => "connection",
        UnknownCause::EmptyBody => "empty_body",
        UnknownCause::ForeignBody(_) => "foreign_body",
        UnknownCause::BodyTooLarge(_) => "body_too_large",
        _ => "other",
    }
}

// --- the C ABI -------------------------------------------------------------------------

#[test]
fn c_abi_matches_fault_matrix() {
    let program = compile_c_program();
    run_matrix("C ABI", |matrix, _case, scenario| {
        let ca_bundle = if scenario.trust_simulator_ca { scenario.ca_file.to_str().unwrap() } else { "-" };
        let mut command = Command::new(&program);
        command
            .arg(&scenario.endpoint)
            .arg(ca_bundle)
            .arg(scenario.proxy_url.as_deref().unwrap_or("-"))
            .arg(scenario.connect_timeout.as_millis().to_string())
            .arg(scenario.timeout.as_millis().to_string())
            .arg(matrix.certificate_id.to_string())
            .env("SECTIGO_LOGIN_NAME", LOGIN_NAME)
            .env("SECTIGO_LOGIN_PASSWORD", CANARY_PASSWORD);
        for variable in PROXY_VARIABLES {
            command.env_remove(variable);
        }

        let output = command.output().expect("the C program runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "fault_matrix failed:\n{stdout}\n{stderr}");
        assert!(!stdout.contains(CANARY_PASSWORD), "the C program printed the password:\n{stdout}");
        assert!(!stderr.contains(CANARY_PASSWORD), "the C program printed the password:\n{stderr}");
        observe_c(&stdout)
    });
}

/// Reads the program's `key=value` lines, where `-` means the outcome has no such value.
fn observe_c(stdout: &str) -> Observed {
    let fields: HashMap<&str, &str> = stdout.lines().filter_map(|line| line.split_once('=')).collect();
    let value = |key: &str| fields.get(key).copied().filter(|value| *value != "-");
    let result = match value("returned") {
        Some("0") => match value("kind") {
            Some("0") => "accepted",
            Some("1") => "already_revoked",
            Some("2") => "already_rejected",
            _ => "expired",
        },
        Some("200") => "invalid_request",
        Some("300") => "api_error",
        Some("301") => "rate_limited",
        Some("302") => "not_sent",
        Some("303") => "redirected",
        Some("304") => "outcome_unknown",
        other => panic!("unexpected result code {other:?}:\n{stdout}"),
    };
    let retry_after_ms: Option<u64> = value("retry_after_ms").map(|text| text.parse().unwrap());
    Observed {
        result: result.to_owned(),
        api_code: value("api_code").map(|text| text.parse().unwrap()),
        http_status: value("http_status").map(|text| text.parse().unwrap()),
        retry_after_secs: retry_after_ms.map(|milliseconds| milliseconds / 1000),
        cause: None,
        description: value("description").unwrap_or_default().to_owned(),
    }
}

/// Compiles `tests/c/fault_matrix.c` against the header and the shared library this
/// build produced, with every warning an error.
fn compile_c_program() -> PathBuf {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The test binary is target/<profile>/deps/fault_matrix-<hash>. `cargo test` writes
    // the cdylib beside it; only `cargo build` copies it to target/<profile>.
    let test_binary = std::env::current_exe().unwrap();
    let deps = test_binary.parent().unwrap().to_owned();
    let library_dir = if deps.join("libsectigo_revoke.so").exists() { deps } else { deps.parent().unwrap().to_owned() };
    let work_dir = fresh_work_dir();
    let lib_dir = work_dir.join("lib");
    std::fs::create_dir_all(&lib_dir).unwrap();

    // The programs load the library by its soname, libsectigo_revoke.so.0.
    let built = library_dir.join("libsectigo_revoke.so");
    assert!(built.exists(), "{} not found; build the crate's cdylib first", built.display());
    for name in ["libsectigo_revoke.so", "libsectigo_revoke.so.0"] {
        std::os::unix::fs::symlink(&built, lib_dir.join(name)).unwrap();
    }

    let program = work_dir.join("fault_matrix");
    let compiler = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    let output = Command::new(&compiler)
        .args(["-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror"])
        .arg("-I")
        .arg(crate_dir.join("include"))
        .arg(crate_dir.join("tests/c/fault_matrix.c"))
        .arg("-o")
        .arg(&program)
        .arg(format!("-L{}", lib_dir.display()))
        .arg("-lsectigo_revoke")
        .arg(format!("-Wl,-rpath,{}", lib_dir.display()))
        .output()
        .unwrap_or_else(|error| panic!("cannot run {compiler}: {error}"));
    assert!(output.status.success(), "{compiler} failed:\n{}", String::from_utf8_lossy(&output.stderr));
    program
}

/// Returns an empty folder for this process under cargo's temporary folder, removing
/// those left by earlier runs whose process has ended.
fn fresh_work_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    for entry in std::fs::read_dir(tmp).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("fault_matrix-") else { continue };
        if !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }

    let work_dir = tmp.join(format!("fault_matrix-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work_dir);
    std::fs::create_dir_all(&work_dir).unwrap();
    work_dir
}
