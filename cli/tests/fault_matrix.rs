//! The fault matrix (`tests/fault_matrix.json` at the repository root) through the
//! command line: `sectigo-revoke revoke --json` run as a process against each case's
//! server behaviour must report the result the table names, in the JSON object and in
//! the exit status.

mod common;
#[path = "../../tests/faults/mod.rs"]
mod faults;

use common::{binary, run, TempDir, CANARY_PASSWORD, LOGIN_NAME};
use faults::{Matrix, Observed, Scenario};

/// Returns the exit status the command line documents for each result of the matrix.
fn exit_status(result: &str) -> i32 {
    match result {
        "accepted" => 0,
        "api_error" => 4,
        "rate_limited" => 5,
        "not_sent" => 6,
        "redirected" => 7,
        "outcome_unknown" => 8,
        other => panic!("the matrix has no result {other}"),
    }
}

#[test]
fn command_line_matches_fault_matrix() {
    let matrix = Matrix::load();
    let dir = TempDir::new("fault-matrix");
    let mut differences = Vec::new();

    for case in &matrix.cases {
        let scenario = Scenario::start(case, dir.path(), LOGIN_NAME, CANARY_PASSWORD);
        let mut command = binary();
        command
            .args(["revoke", "--json", "--endpoint", &scenario.endpoint])
            .args(["--certificate-id", &matrix.certificate_id.to_string()])
            .args(["--connect-timeout", &scenario.connect_timeout.as_secs_f64().to_string()])
            .args(["--timeout", &scenario.timeout.as_secs_f64().to_string()])
            .env("SECTIGO_LOGIN_NAME", LOGIN_NAME)
            .env("SECTIGO_LOGIN_PASSWORD", CANARY_PASSWORD);
        if scenario.trust_simulator_ca {
            command.arg("--ca-bundle").arg(&scenario.ca_file);
        }
        match &scenario.proxy_url {
            Some(url) => command.args(["--proxy", url]),
            None => command.arg("--no-proxy"),
        };

        let finished = run(&mut command);
        let report = finished.json();
        let number = |key: &str| report[key].as_i64();
        let observed = Observed {
            result: report["result"].as_str().unwrap_or("(missing)").to_owned(),
            api_code: number("code").map(|code| code as i32),
            http_status: number("http_status").map(|status| status as u16),
            retry_after_secs: number("retry_after_secs").map(|secs| secs as u64),
            cause: None,
            description: report["summary"].as_str().unwrap_or_default().to_owned(),
        };

        differences.extend(matrix.differences("command line", case, &observed));
        differences.extend(scenario.differences("command line", &matrix, case));
        if finished.status != exit_status(&case.expect.result) {
            differences.push(format!(
                "command line, {}: exit status {}, expected {}",
                case.name,
                finished.status,
                exit_status(&case.expect.result)
            ));
        }
        if number("exit_code") != Some(i64::from(finished.status)) {
            differences
                .push(format!("command line, {}: exit_code in the JSON differs from the exit status", case.name));
        }
    }
    assert!(
        differences.is_empty(),
        "{} differences from the fault matrix:\n{}",
        differences.len(),
        differences.join("\n")
    );
}
