//! `scripts/demo` run as a new user runs it from the README.

mod common;

use std::process::Command;

use common::{finished, repository_root};

#[test]
fn demo_script_revokes_then_reports_already_revoked() {
    let mut command = Command::new(repository_root().join("scripts/demo"));
    for variable in ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"] {
        command.env_remove(variable);
    }
    // A user's shell lacks the variables cargo sets for this test. Passed on to the
    // script's own `cargo build`, they would change build-script fingerprints, and
    // every later build would recompile.
    for (name, _) in std::env::vars_os() {
        if is_set_by_cargo_for_tests(&name.to_string_lossy()) {
            command.env_remove(name);
        }
    }
    let result = finished(command.current_dir(repository_root()).output().expect("scripts/demo starts"));

    assert_eq!(result.status, 0, "{result:?}");
    let accepted = result
        .stdout
        .find("revocation accepted for serialNumber=00E3A15C7D902B4F61880CD237A94E15F6 (reason keyCompromise)")
        .unwrap_or_else(|| panic!("no accepted line: {}", result.stdout));
    let already = result
        .stdout
        .find("already revoked: serialNumber=00E3A15C7D902B4F61880CD237A94E15F6")
        .unwrap_or_else(|| panic!("no already-revoked line: {}", result.stdout));
    assert!(accepted < already, "accepted comes first: {}", result.stdout);
    assert!(result.stdout.contains("  subject:   C=GB, O=Example Ltd, CN=www.example.com"), "{}", result.stdout);
    assert!(result.stdout.contains("  issuer:    C=GB, O=sectigo-revoke test"), "{}", result.stdout);
    assert!(result.stdout.contains("simulator stopped after 2 requests"), "{}", result.stdout);
    assert!(!result.stdout.contains("demo-password"), "the demo password is never printed: {}", result.stdout);
}

fn is_set_by_cargo_for_tests(name: &str) -> bool {
    const NAMES: [&str; 7] = [
        "CARGO_MANIFEST_DIR",
        "CARGO_MANIFEST_PATH",
        "CARGO_CRATE_NAME",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_TARGET_TMPDIR",
        "CARGO_RUSTC_CURRENT_DIR",
        "OUT_DIR",
    ];
    NAMES.contains(&name) || name.starts_with("CARGO_PKG_") || name.starts_with("CARGO_BIN_")
}
