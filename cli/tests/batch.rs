//! `sectigo-revoke batch` run as a child process against the simulator over real
//! HTTPS on loopback, with a real SQLite journal on disk: whole batches, crashes
//! (SIGKILL) and interruptions (SIGINT) resumed, a rate limit absorbed, bad rows
//! reported, and the confirmation rules.

mod common;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sectigo_revoke_simulator::{Fault, Simulator, SimulatorConfig};

use common::{
    assert_no_password, binary, closed_port, config, finished, repository_root, run, shell, Endpoint, TempDir,
    CANARY_PASSWORD, LOGIN_NAME,
};

const EXIT_SUCCESS: i32 = 0;
const EXIT_USAGE: i32 = 2;
const EXIT_FINISHED_WITH_FAILURES: i32 = 9;
const EXIT_INCOMPLETE: i32 = 10;
const EXIT_NOT_STARTED: i32 = 11;

/// Maximum time a test waits for the child to reach a point, far above what a debug
/// build needs, so that a loaded machine does not fail the test.
const WAIT_LIMIT: Duration = Duration::from_secs(300);

/// Starts a simulator that treats any identifier as an issued certificate.
fn bulk_endpoint(latency: Duration) -> Endpoint {
    let mut config: SimulatorConfig = config();
    config.catalogue.accept_unknown = true;
    config.latency = latency;
    Endpoint::start_with(config)
}

/// `sectigo-revoke batch FILE` aimed at the simulator, with the canary login in the
/// environment and proxies off.
fn batch(endpoint: &Endpoint, input: &Path) -> Command {
    let mut command = binary();
    command
        .arg("batch")
        .arg(input)
        .arg("--endpoint")
        .arg(endpoint.simulator.endpoint())
        .arg("--ca-bundle")
        .arg(&endpoint.ca_file)
        .arg("--no-proxy")
        .env("SECTIGO_LOGIN_NAME", LOGIN_NAME)
        .env("SECTIGO_LOGIN_PASSWORD", CANARY_PASSWORD);
    command
}

/// Returns the binary for a dry run, with the endpoint set to a closed loopback port:
/// a dry run connects nowhere, and if it ever tried, it would not leave the machine.
fn dry_run_binary() -> Command {
    let mut command = binary();
    command.env("SECTIGO_ENDPOINT", format!("https://127.0.0.1:{}/products/!AutoRevokeCertificate", closed_port()));
    command
}

/// Writes a CSV of `count` certificate IDs from 5,000,001 on; row N is on line N + 1.
fn write_id_csv(dir: &Path, count: u64) -> PathBuf {
    let path = dir.join("incident.csv");
    let mut text = String::from("certificate_id,reason\n");
    for index in 0..count {
        text.push_str(&format!("{},superseded\n", certificate_id(index)));
    }
    std::fs::write(&path, text).unwrap();
    path
}

fn certificate_id(index: u64) -> u64 {
    5_000_001 + index
}

/// Returns the identifier the simulator logs for the row on `line` of `write_id_csv`.
fn identifier_on_line(line: u64) -> String {
    format!("certificateID={}", certificate_id(line - 2))
}

/// Counts the requests the simulator processed for each identifier. Requests stopped
/// before processing (a -42 fault) name no identifier.
fn processed(simulator: &Simulator) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for request in simulator.requests() {
        if let Some(identifier) = request.identifier {
            *counts.entry(identifier).or_insert(0) += 1;
        }
    }
    counts
}

/// Reads a JSON Lines report.
fn read_report(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).unwrap();
    assert_no_password(&text, "report");
    text.lines().map(|line| serde_json::from_str(line).unwrap()).collect()
}

/// Returns the lines of the report rows in `status`.
fn lines_in_status(report: &[serde_json::Value], status: &str) -> HashSet<u64> {
    report.iter().filter(|row| row["status"] == status).map(|row| row["line"].as_u64().unwrap()).collect()
}

/// Checks that the password is in none of the files beside the journal.
fn assert_no_password_in_files(journal: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut path = journal.as_os_str().to_owned();
        path.push(suffix);
        if let Ok(bytes) = std::fs::read(PathBuf::from(&path)) {
            let text = String::from_utf8_lossy(&bytes);
            assert_no_password(&text, &format!("{}", PathBuf::from(path).display()));
        }
    }
}

/// Starts the command with standard input closed and both outputs captured.
fn spawn(command: &mut Command) -> Child {
    command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("the binary starts")
}

/// Waits until the simulator has received at least `count` requests.
fn wait_for_requests(simulator: &Simulator, child: &mut Child, count: usize) {
    let deadline = Instant::now() + WAIT_LIMIT;
    while simulator.requests().len() < count {
        assert!(child.try_wait().unwrap().is_none(), "the batch ended before {count} requests");
        assert!(Instant::now() < deadline, "the batch sent fewer than {count} requests in {WAIT_LIMIT:?}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn send_signal(child: &Child, signal: libc::c_int) {
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: kill has no memory effects; the pid is the test's own child.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
}

#[test]
fn thousands_of_rows_sent_once() {
    let endpoint = bulk_endpoint(Duration::ZERO);
    let folder = TempDir::new("bulk");
    let input = write_id_csv(folder.path(), 3_000);
    let report = folder.join("report.jsonl");

    let result = run(batch(&endpoint, &input).args(["--yes", "--concurrency", "8", "--report"]).arg(&report));

    assert_eq!(result.status, EXIT_SUCCESS, "{result:?}");
    assert!(result.stdout.contains("plan: 3000 rows read from "), "{}", result.stdout);
    assert!(result.stdout.contains("  to send:     3000 (superseded 3000)\n"), "{}", result.stdout);
    assert!(result.stdout.contains("run: 3000 requests in "), "{}", result.stdout);
    assert!(result.stdout.contains("every row is done: 3000 accepted"), "{}", result.stdout);
    assert!(!result.stdout.contains("resume with"), "{}", result.stdout);

    let counts = processed(&endpoint.simulator);
    assert_eq!(counts.len(), 3_000);
    assert!(counts.values().all(|count| *count == 1), "some row was sent more than once");
    assert_eq!(endpoint.simulator.requests().len(), 3_000);

    let rows = read_report(&report);
    assert_eq!(rows.len(), 3_000);
    for (index, row) in rows.iter().enumerate() {
        let line = index as u64 + 2;
        assert_eq!(row["line"], line);
        assert_eq!(row["identifier"], identifier_on_line(line));
        assert_eq!(row["status"], "done", "line {line}");
        assert_eq!(row["result"], "accepted", "line {line}");
        assert_eq!(row["code"], 0, "line {line}");
        assert_eq!(row["attempts"], 1, "line {line}");
    }

    // Without --journal, the journal is the input's path with .journal appended.
    let journal = folder.join("incident.csv.journal");
    assert!(journal.exists(), "the default journal is {}", journal.display());
    assert_no_password_in_files(&journal);
}

#[test]
fn killed_runs_resume_without_repeats() {
    let endpoint = bulk_endpoint(Duration::from_millis(3));
    let folder = TempDir::new("killed");
    let input = write_id_csv(folder.path(), 3_000);
    let journal = folder.join("incident.journal");
    let report = folder.join("report.jsonl");
    let command = || {
        let mut command = batch(&endpoint, &input);
        command.args(["--yes", "--concurrency", "8", "--journal"]).arg(&journal).arg("--report").arg(&report);
        command
    };

    for (kill_after, resume) in [(600, false), (1_500, true)] {
        let mut first = command();
        if resume {
            first.arg("--resume");
        }
        let mut child = spawn(&mut first);
        wait_for_requests(&endpoint.simulator, &mut child, kill_after);
        child.kill().unwrap();
        let output = child.wait_with_output().unwrap();
        assert_no_password(&String::from_utf8_lossy(&output.stdout), "stdout");
        assert_no_password(&String::from_utf8_lossy(&output.stderr), "stderr");
        // A killed process leaves its write-ahead log behind, which must not hold the
        // password either.
        assert_no_password_in_files(&journal);
    }

    // Without --retry-unknown, the rows cut off by the kills stay unknown.
    let resumed = run(command().arg("--resume"));
    assert_eq!(resumed.status, EXIT_INCOMPLETE, "{resumed:?}");
    assert!(resumed.stdout.contains(" with an unknown outcome, "), "{}", resumed.stdout);
    assert!(resumed.stdout.contains("--retry-unknown"), "{}", resumed.stdout);
    assert!(resumed.stdout.contains("resume with: "), "{}", resumed.stdout);
    let rows = read_report(&report);
    let unknown = lines_in_status(&rows, "unknown");
    assert!(!unknown.is_empty(), "no kill landed while a request was in flight");
    assert_eq!(lines_in_status(&rows, "done").len() + unknown.len(), 3_000);

    let before = processed(&endpoint.simulator);
    for index in 0..3_000 {
        let line = index + 2;
        let sent = before.get(&identifier_on_line(line)).copied().unwrap_or(0);
        if unknown.contains(&line) {
            assert!(sent <= 1, "line {line} with an unknown outcome was sent {sent} times");
        } else {
            assert_eq!(sent, 1, "line {line} was sent {sent} times without an unknown outcome");
        }
    }

    let retried = run(command().args(["--resume", "--retry-unknown"]));
    assert_eq!(retried.status, EXIT_SUCCESS, "{retried:?}");
    let rows = read_report(&report);
    assert_eq!(lines_in_status(&rows, "done").len(), 3_000);
    let after = processed(&endpoint.simulator);
    assert_eq!(after.len(), 3_000);
    for row in rows.iter().filter(|row| unknown.contains(&row["line"].as_u64().unwrap())) {
        let identifier = row["identifier"].as_str().unwrap();
        // A request the simulator processed before the kill gets -21 (already revoked)
        // when repeated. One that the kill stopped before it arrived is accepted now.
        let expected = if before.get(identifier) == Some(&1) { "already_revoked" } else { "accepted" };
        assert_eq!(row["result"], expected, "{row}");
        assert_eq!(after[identifier], before.get(identifier).copied().unwrap_or(0) + 1, "{identifier}");
    }
    for (identifier, count) in &after {
        if !rows
            .iter()
            .any(|row| row["identifier"] == identifier.as_str() && unknown.contains(&row["line"].as_u64().unwrap()))
        {
            assert_eq!(*count, 1, "{identifier} was sent {count} times");
        }
    }
    assert_no_password_in_files(&journal);
}

#[test]
fn sigint_leaves_resumable_journal() {
    let endpoint = bulk_endpoint(Duration::from_millis(5));
    let folder = TempDir::new("sigint");
    let input = write_id_csv(folder.path(), 1_500);
    let report = folder.join("report.jsonl");

    let mut child = spawn(batch(&endpoint, &input).args(["--yes", "--json", "--report"]).arg(&report));
    wait_for_requests(&endpoint.simulator, &mut child, 200);
    send_signal(&child, libc::SIGINT);
    let interrupted = finished(child.wait_with_output().unwrap());

    assert_eq!(interrupted.status, EXIT_INCOMPLETE, "{interrupted:?}");
    assert!(interrupted.stderr.contains("received SIGINT: no new rows are sent"), "{}", interrupted.stderr);
    let json = interrupted.json();
    assert_eq!(json["result"], "incomplete");
    assert_eq!(json["exit_code"], EXIT_INCOMPLETE);
    assert_eq!(json["run"]["signal"], "SIGINT");
    assert_eq!(json["run"]["cancelled"], true);
    // The requests in flight finished and were journalled, so none is unknown.
    assert_eq!(json["counts"]["unknown"], 0);
    let accepted = json["counts"]["accepted"].as_u64().unwrap();
    assert!((200..1_500).contains(&accepted), "{json}");
    assert_eq!(json["counts"]["not_sent_yet"].as_u64().unwrap(), 1_500 - accepted);
    assert_eq!(processed(&endpoint.simulator).len() as u64, accepted);
    let command = json["resume_command"].as_str().unwrap();
    assert!(command.ends_with(" --resume"), "{command}");

    let rows = read_report(&report);
    assert_eq!(lines_in_status(&rows, "done").len() as u64, accepted);
    assert_eq!(lines_in_status(&rows, "planned").len() as u64, 1_500 - accepted);

    let resumed = run(batch(&endpoint, &input).args(["--yes", "--resume"]));
    assert_eq!(resumed.status, EXIT_SUCCESS, "{resumed:?}");
    assert!(resumed.stdout.contains(&format!("  resumed:     {accepted} rows already final, 0 with an unknown")));
    assert!(resumed.stdout.contains(&format!("run: {} requests in ", 1_500 - accepted)), "{}", resumed.stdout);
    let counts = processed(&endpoint.simulator);
    assert_eq!(counts.len(), 1_500);
    assert!(counts.values().all(|count| *count == 1), "a row was sent twice");
}

#[test]
fn call_limit_midway_absorbed() {
    let endpoint = bulk_endpoint(Duration::from_millis(2));
    let folder = TempDir::new("limit");
    let input = write_id_csv(folder.path(), 600);
    let report = folder.join("report.jsonl");

    let mut child = spawn(
        batch(&endpoint, &input)
            .args(["--yes", "--concurrency", "4", "--max-backoff", "2", "--progress-interval", "0.1", "--report"])
            .arg(&report),
    );
    wait_for_requests(&endpoint.simulator, &mut child, 200);
    endpoint.simulator.inject_fault(Fault::CallLimit, 2);
    let result = finished(child.wait_with_output().unwrap());

    assert_eq!(result.status, EXIT_SUCCESS, "{result:?}");
    assert!(result.stdout.contains("every row is done: 600 accepted"), "{}", result.stdout);
    assert!(result.stderr.contains("call limit"), "the pause is logged as a warning: {}", result.stderr);
    // Standard error is a pipe, so progress comes as plain lines instead of a bar.
    let progress = result.stderr.lines().find(|line| line.starts_with("progress: ")).expect("a progress line");
    assert!(progress.contains("/600 rows ("), "{progress}");
    assert!(progress.contains(" rows/s, ") && progress.contains(" left; ") && progress.contains(" accepted, "));
    assert!(!result.stderr.contains('\r'), "no bar is drawn on a pipe");
    let limited = endpoint.simulator.requests().iter().filter(|request| request.code == Some(-42)).count();
    assert_eq!(limited, 2);
    let counts = processed(&endpoint.simulator);
    assert_eq!(counts.len(), 600);
    assert!(counts.values().all(|count| *count == 1), "a row was revoked twice");
    let rows = read_report(&report);
    let repeated = rows.iter().filter(|row| row["attempts"] == 2).count();
    assert!((1..=2).contains(&repeated), "{repeated} rows took two attempts");
    assert!(rows.iter().all(|row| row["result"] == "accepted"));
}

#[test]
fn bad_and_duplicate_rows_reported_not_sent() {
    let endpoint = Endpoint::start();
    let folder = TempDir::new("bad");
    let input = folder.join("mixed.csv");
    std::fs::write(
        &input,
        "serial_number,reason,comment\n\
         00:D9:B7:5B:1C:2E:0F:11:22:33:44:55:66:77:88:9A:A1,superseded,\n\
         D9B75B1C2E0F11223344556677889AA1,superseded,\n\
         XYZ,,\n\
         4E1F9A2B3C4D5E6F708192A3B4C5D6E7,6,\n\
         4e1f9a2b3c4d5e6f708192a3b4c5d6e7,4,host retired\n\
         7A11,4,a,b\n",
    )
    .unwrap();
    let report = folder.join("report.jsonl");

    let result = run(batch(&endpoint, &input).args(["--yes", "--report"]).arg(&report));

    assert_eq!(result.status, EXIT_FINISHED_WITH_FAILURES, "{result:?}");
    let expected = [
        "invalid and duplicate rows:\n",
        "  line 3: names the same certificate as line 2 (serialNumber=D9B75B1C2E0F11223344556677889AA1), which is sent \
         instead\n",
        "  line 4, serial_number: 'X' at position 1 is not a hex digit",
        "  line 5, reason: 6 (certificateHold) may not be requested",
        "  line 7: 4 fields, but the header names 3 columns",
    ];
    for text in expected {
        assert!(result.stdout.contains(text), "missing {text:?} in {}", result.stdout);
    }
    assert!(result.stdout.contains("  invalid:     3\n"), "{}", result.stdout);
    assert!(result.stdout.contains("  duplicates:  1\n"), "{}", result.stdout);
    assert!(result.stdout.contains("finished with failures: 0 rejected by the API, 3 invalid"));

    let mut sent: Vec<String> =
        endpoint.simulator.requests().into_iter().filter_map(|request| request.identifier).collect();
    sent.sort();
    assert_eq!(
        sent,
        ["serialNumber=00D9B75B1C2E0F11223344556677889AA1", "serialNumber=4E1F9A2B3C4D5E6F708192A3B4C5D6E7"]
    );
    let rows = read_report(&report);
    assert_eq!(rows.len(), 6);
    assert_eq!(lines_in_status(&rows, "invalid"), HashSet::from([4, 5, 7]));
    assert_eq!(lines_in_status(&rows, "duplicate"), HashSet::from([3]));
    assert_eq!(rows[1]["duplicate_of"], 2);
    assert_eq!(rows[2]["column"], "serial_number");
}

#[test]
fn api_rejection_fails_row_only() {
    let endpoint = Endpoint::start();
    let folder = TempDir::new("rejected");
    let input = folder.join("mixed.csv");
    std::fs::write(&input, "certificate_id\n2000001\n42\n2000002\n").unwrap();
    let report = folder.join("report.jsonl");

    let result = run(batch(&endpoint, &input).args(["--yes", "--concurrency", "1", "--report"]).arg(&report));

    assert_eq!(result.status, EXIT_FINISHED_WITH_FAILURES, "{result:?}");
    assert!(result.stdout.contains("failed and unknown rows:\n  line 3 (certificateID=42): api_error -4: "));
    assert!(result.stdout.contains("finished with failures: 1 rejected by the API, 0 invalid"), "{}", result.stdout);
    assert!(result.stdout.contains("next: the rows rejected by the API are never sent again"), "{}", result.stdout);
    assert_eq!(endpoint.simulator.requests().len(), 3, "the rejection did not stop the run");
    let rows = read_report(&report);
    assert_eq!(lines_in_status(&rows, "done"), HashSet::from([2, 4]));
    assert_eq!(lines_in_status(&rows, "failed"), HashSet::from([3]));
    assert_eq!(rows[1]["code"], -4);
}

#[test]
fn sigterm_stops_like_sigint() {
    let endpoint = bulk_endpoint(Duration::from_millis(5));
    let folder = TempDir::new("sigterm");
    let input = write_id_csv(folder.path(), 800);

    let mut child = spawn(batch(&endpoint, &input).arg("--yes"));
    wait_for_requests(&endpoint.simulator, &mut child, 100);
    send_signal(&child, libc::SIGTERM);
    let stopped = finished(child.wait_with_output().unwrap());

    assert_eq!(stopped.status, EXIT_INCOMPLETE, "{stopped:?}");
    assert!(stopped.stderr.contains("received SIGTERM: no new rows are sent"), "{}", stopped.stderr);
    assert!(stopped.stdout.contains("; stopped early by SIGTERM\n"), "{}", stopped.stdout);
    assert!(stopped.stdout.contains(" 0 unknown, "), "requests in flight finished: {}", stopped.stdout);
    let sent = processed(&endpoint.simulator).len();
    assert!((100..800).contains(&sent), "{sent} rows were sent");
}

#[test]
fn problem_list_capped_with_count() {
    let folder = TempDir::new("capped");
    let input = folder.join("typos.csv");
    let mut text = String::from("certificate_id\n");
    for index in 0..30 {
        text.push_str(&format!("12x{index}\n"));
    }
    std::fs::write(&input, text).unwrap();

    let result = run(dry_run_binary().arg("batch").arg(&input).args(["--dry-run", "--show-problems", "5"]));

    assert_eq!(result.status, EXIT_USAGE, "a dry run with invalid rows exits 2: {result:?}");
    let listed = result.stdout.lines().filter(|line| line.starts_with("  line ")).count();
    assert_eq!(listed, 5, "{}", result.stdout);
    assert!(result.stdout.contains("  line 2, certificate_id: 'x' is not a decimal digit"), "{}", result.stdout);
    assert!(result.stdout.contains("  … and 25 more; the report (--report FILE) lists every row\n"));
}

#[test]
fn jsonl_input_by_format_option() {
    let endpoint = Endpoint::start();
    let folder = TempDir::new("jsonl");
    let input = folder.join("export.txt");
    std::fs::write(
        &input,
        "{\"certificate_id\": 2000001, \"reason\": \"superseded\"}\n{\"order_number\": \"1000002\"}\n\
         {\"certificate_id\": 2000005}\n",
    )
    .unwrap();

    let unknown_format = run(batch(&endpoint, &input).arg("--yes"));
    assert_eq!(unknown_format.status, EXIT_USAGE, "{unknown_format:?}");
    assert!(unknown_format.stderr.contains("give --format csv or --format jsonl"), "{}", unknown_format.stderr);

    let result =
        run(batch(&endpoint, &input).args(["--yes", "--format", "jsonl", "--reason", "cessation-of-operation"]));
    assert_eq!(result.status, EXIT_SUCCESS, "{result:?}");
    assert!(result.stdout.contains("(jsonl)"), "{}", result.stdout);
    assert!(result.stdout.contains("  to send:     3 (superseded 1, cessationOfOperation 2)\n"), "{}", result.stdout);
    assert!(result.stdout.contains("every row is done: 2 accepted, 1 already revoked, rejected or expired"));
    let reasons: Vec<String> = endpoint
        .simulator
        .requests()
        .iter()
        .map(|request| request.parameters.iter().find(|(name, _)| name == "codeReason").unwrap().1.clone())
        .collect();
    let mut sorted = reasons.clone();
    sorted.sort();
    assert_eq!(sorted, ["4", "5", "5"]);
}

#[test]
fn dry_run_sends_nothing() {
    let endpoint = Endpoint::start();
    let folder = TempDir::new("dry");
    let input = write_id_csv(folder.path(), 10);
    let report = folder.join("plan.csv");

    // No login in the environment: a dry run needs none.
    let mut command = binary();
    command.arg("batch").arg(&input).arg("--endpoint").arg(endpoint.simulator.endpoint()).arg("--dry-run");
    let result = run(command.args(["--test-mode", "--report"]).arg(&report));

    assert_eq!(result.status, EXIT_SUCCESS, "{result:?}");
    assert!(result.stdout.contains("  to send:     10 (superseded 10)\n"), "{}", result.stdout);
    assert!(result.stdout.contains("  test mode:   on: Sectigo validates each request and revokes nothing\n"));
    assert!(result.stdout.contains("  journal:     none (dry run)\n"), "{}", result.stdout);
    assert!(result.stdout.contains("dry run: nothing was sent; 10 rows to send, 0 invalid, 0 duplicate"));
    assert_eq!(endpoint.simulator.connection_count(), 0, "a dry run connects nowhere");
    assert!(!folder.join("incident.csv.journal").exists(), "a dry run writes no journal");
    let plan = std::fs::read_to_string(&report).unwrap();
    assert_eq!(plan.lines().count(), 11, "{plan}");
    assert!(plan.lines().nth(1).unwrap().starts_with("2,certificateID=5000001,planned,"), "{plan}");
}

#[test]
fn dry_run_json_shows_plan() {
    let folder = TempDir::new("dry-json");
    let input = write_id_csv(folder.path(), 4);
    let result = run(dry_run_binary().arg("batch").arg(&input).args(["--dry-run", "--json"]));

    assert_eq!(result.status, EXIT_SUCCESS, "{result:?}");
    let json = result.json();
    assert_eq!(json["result"], "dry_run");
    assert_eq!(json["dry_run"], true);
    assert_eq!(json["journal"], serde_json::Value::Null);
    assert_eq!(json["plan"]["to_send"], 4);
    assert_eq!(json["plan"]["per_reason"][0]["reason"], "superseded");
    assert_eq!(json["plan"]["per_reason"][0]["code"], 4);
    assert_eq!(json["plan"]["per_reason"][0]["rows"], 4);
    assert_eq!(json["plan"]["per_identifier"][0]["identifier"], "certificateID");
    assert_eq!(json["run"], serde_json::Value::Null);
    assert_eq!(result.stderr, "");
}

#[test]
fn missing_yes_without_terminal_refused() {
    let endpoint = Endpoint::start();
    let folder = TempDir::new("no-yes");
    let input = write_id_csv(folder.path(), 5);

    let result = run(&mut batch(&endpoint, &input));

    assert_eq!(result.status, EXIT_USAGE, "{result:?}");
    assert!(
        result
            .stderr
            .starts_with("error: standard input is not a terminal, so the batch cannot ask for confirmation\n"),
        "{}",
        result.stderr
    );
    assert!(result.stderr.contains("hint: nothing was sent; add --yes to send without asking"), "{}", result.stderr);
    assert_eq!(result.stdout, "");
    assert_eq!(endpoint.simulator.connection_count(), 0);
    assert!(!folder.join("incident.csv.journal").exists(), "no journal is created");
}

#[test]
fn existing_journal_needs_resume() {
    let endpoint = Endpoint::start();
    let folder = TempDir::new("exists");
    let input = folder.join("two.csv");
    std::fs::write(&input, "certificate_id\n2000001\n2000002\n").unwrap();

    let missing = run(batch(&endpoint, &input).args(["--yes", "--resume"]));
    assert_eq!(missing.status, EXIT_USAGE, "{missing:?}");
    assert!(missing.stderr.contains("does not exist, so there is nothing to resume"), "{}", missing.stderr);

    let first = run(batch(&endpoint, &input).arg("--yes"));
    assert_eq!(first.status, EXIT_SUCCESS, "{first:?}");
    let again = run(batch(&endpoint, &input).arg("--yes"));
    assert_eq!(again.status, EXIT_USAGE, "{again:?}");
    assert!(again.stderr.contains("two.csv.journal already exists, so this batch was started before; add --resume"));
    assert_eq!(endpoint.simulator.requests().len(), 2, "the second command sent nothing");

    // A resume of a finished batch sends nothing and reports success again.
    let resumed = run(batch(&endpoint, &input).args(["--yes", "--resume"]));
    assert_eq!(resumed.status, EXIT_SUCCESS, "{resumed:?}");
    assert!(resumed.stdout.contains("run: 0 requests in "), "{}", resumed.stdout);
    assert_eq!(endpoint.simulator.requests().len(), 2);

    // Resuming with another default reason could change requests half-way.
    let changed = run(batch(&endpoint, &input).args(["--yes", "--resume", "--reason", "superseded"]));
    assert_eq!(changed.status, EXIT_USAGE, "{changed:?}");
    assert!(changed.stderr.contains("was planned with default_reason \"unspecified\""), "{}", changed.stderr);
}

#[test]
fn finished_resume_needs_no_confirmation() {
    let endpoint = Endpoint::start();
    let folder = TempDir::new("finished-resume");
    let input = folder.join("two.csv");
    std::fs::write(&input, "certificate_id\n2000001\n2000002\n").unwrap();
    let report = folder.join("report.jsonl");

    let first = run(batch(&endpoint, &input).arg("--yes"));
    assert_eq!(first.status, EXIT_SUCCESS, "{first:?}");

    // Standard input is closed and --yes is absent, but nothing is left to send.
    let resumed = run(batch(&endpoint, &input).arg("--resume").arg("--report").arg(&report));
    assert_eq!(resumed.status, EXIT_SUCCESS, "{resumed:?}");
    assert_eq!(resumed.stderr, "");
    assert!(resumed.stdout.contains("  resumed:     2 rows already final, 0 with an unknown outcome, 0 to send now\n"));
    assert!(resumed.stdout.contains("\nrun: 0 requests in "), "{}", resumed.stdout);
    assert!(
        resumed.stdout.ends_with(&format!(
            "report: {}\nevery row is done: 2 accepted, 0 already revoked, rejected or expired; duplicates not sent: \
             0\n",
            report.display()
        )),
        "{}",
        resumed.stdout
    );
    assert_eq!(read_report(&report).len(), 2);
    assert_eq!(endpoint.simulator.requests().len(), 2, "the resume sent nothing");
}

#[test]
fn resume_with_rows_left_needs_yes() {
    let endpoint = Endpoint::start();
    let folder = TempDir::new("resume-needs-yes");
    let input = write_id_csv(folder.path(), 5);

    let stopped = run(batch(&endpoint, &input).env("SECTIGO_LOGIN_PASSWORD", "wrong-password-5b7e").args([
        "--yes",
        "--concurrency",
        "1",
    ]));
    assert_eq!(stopped.status, EXIT_INCOMPLETE, "{stopped:?}");

    let resumed = run(batch(&endpoint, &input).arg("--resume"));
    assert_eq!(resumed.status, EXIT_USAGE, "{resumed:?}");
    assert_eq!(
        resumed.stderr,
        "error: standard input is not a terminal, so the batch cannot ask for confirmation\n\
         hint: nothing was sent; add --yes to send without asking, or --dry-run to check the plan first\n"
    );
    assert_eq!(endpoint.simulator.requests().len(), 1, "the resume sent nothing");
}

#[test]
fn unknown_rows_resume_with_retry_unknown() {
    let endpoint = Endpoint::start();
    let folder = TempDir::new("unknown-resume");
    let input = folder.join("one.csv");
    std::fs::write(&input, "certificate_id\n2000001\n").unwrap();
    let journal = folder.join("one.journal");
    let command = || {
        let mut command = batch(&endpoint, &input);
        command.args(["--yes", "--journal"]).arg(&journal);
        command
    };

    // The simulator revokes the certificate, then delays its response until after
    // the batch is killed, so the row stays in flight in the journal.
    endpoint.simulator.inject_fault(Fault::SlowReply { delay_ms: 60_000 }, 1);
    let mut child = spawn(&mut command());
    wait_for_requests(&endpoint.simulator, &mut child, 1);
    child.kill().unwrap();
    child.wait().unwrap();

    let message = "the run stopped while this request was in flight; check the certificate, or resume with \
                   --retry-unknown";
    let resumed = run(command().arg("--resume"));
    assert_eq!(resumed.status, EXIT_INCOMPLETE, "{resumed:?}");
    assert!(
        resumed
            .stdout
            .contains(&format!("failed and unknown rows:\n  line 2 (certificateID=2000001): unknown: {message}\n")),
        "{}",
        resumed.stdout
    );
    assert!(resumed.stdout.contains("\nnext: 1 row has an unknown outcome: "), "{}", resumed.stdout);
    let resume_line = resumed.stdout.lines().last().unwrap();
    assert!(resume_line.starts_with("resume with: "), "{}", resumed.stdout);
    assert!(resume_line.ends_with(" --resume --retry-unknown"), "{resume_line}");

    let json = run(command().args(["--resume", "--json"])).json();
    assert_eq!(json["result"], "incomplete");
    assert_eq!(json["failures"][0]["message"], message);
    let resume_command = json["resume_command"].as_str().unwrap();
    assert!(resume_command.ends_with(" --resume --json --retry-unknown"), "{resume_command}");
    assert_eq!(endpoint.simulator.requests().len(), 1, "resumes without --retry-unknown sent nothing");

    // The printed command sends the row again, and the simulator returns -21.
    let command_line = resume_line.strip_prefix("resume with: ").unwrap();
    let retried =
        run(shell(command_line).env("SECTIGO_LOGIN_NAME", LOGIN_NAME).env("SECTIGO_LOGIN_PASSWORD", CANARY_PASSWORD));
    assert_eq!(retried.status, EXIT_SUCCESS, "{retried:?}");
    assert!(
        retried.stdout.contains("every row is done: 0 accepted, 1 already revoked, rejected or expired"),
        "{}",
        retried.stdout
    );
    assert_eq!(endpoint.simulator.requests().len(), 2);
}

#[test]
fn one_row_counted_in_singular() {
    let endpoint = Endpoint::start();
    let folder = TempDir::new("singular");
    let input = folder.join("one.csv");
    std::fs::write(&input, "certificate_id\n2000001\n").unwrap();

    let dry = run(dry_run_binary().arg("batch").arg(&input).arg("--dry-run"));
    assert_eq!(dry.status, EXIT_SUCCESS, "{dry:?}");
    assert!(dry.stdout.starts_with(&format!("plan: 1 row read from {} (csv)\n", input.display())), "{}", dry.stdout);
    assert!(
        dry.stdout.ends_with("dry run: nothing was sent; 1 row to send, 0 invalid, 0 duplicate\n"),
        "{}",
        dry.stdout
    );

    let sent = run(batch(&endpoint, &input).arg("--yes"));
    assert_eq!(sent.status, EXIT_SUCCESS, "{sent:?}");
    assert!(sent.stdout.contains("\nrun: 1 request in "), "{}", sent.stdout);

    let resumed = run(batch(&endpoint, &input).args(["--yes", "--resume"]));
    assert!(resumed.stdout.contains("  resumed:     1 row already final, 0 with an unknown outcome, 0 to send now\n"));
}

#[test]
fn number_ranges_named_in_words() {
    let cases = [
        ("--concurrency", "257", "257 is not a whole number from 1 to 256"),
        ("--concurrency", "0", "0 is not a whole number from 1 to 256"),
        ("--max-attempts", "101", "101 is not a whole number from 1 to 100"),
    ];
    for (option, value, problem) in cases {
        let result = run(dry_run_binary().args(["batch", "a.csv", "--dry-run", option, value]));
        assert_eq!(result.status, EXIT_USAGE, "{option} {value}: {result:?}");
        assert_eq!(
            result.stderr.lines().next().unwrap(),
            format!("error: invalid value '{value}' for '{option} <N>': {problem}")
        );
    }
}

#[test]
fn unknown_column_stops_before_journal() {
    let endpoint = Endpoint::start();
    let folder = TempDir::new("column");
    let input = folder.join("typo.csv");
    std::fs::write(&input, "serial,reason\n01,4\n").unwrap();

    let result = run(batch(&endpoint, &input).arg("--yes"));

    assert_eq!(result.status, EXIT_USAGE, "{result:?}");
    assert!(result.stderr.contains("typo.csv line 1: unknown column \"serial\"; known columns: order_number"));
    assert!(result.stderr.contains("hint: nothing was sent; correct the input file"), "{}", result.stderr);
    assert!(!folder.join("typo.csv.journal").exists(), "the journal of a failed plan is removed");
}

#[test]
fn wrong_password_stops_run_resumable() {
    let endpoint = Endpoint::start();
    let folder = TempDir::new("password");
    let input = write_id_csv(folder.path(), 20);

    let result = run(batch(&endpoint, &input).env("SECTIGO_LOGIN_PASSWORD", "wrong-password-5b7e").args([
        "--yes",
        "--concurrency",
        "1",
    ]));

    assert_eq!(result.status, EXIT_INCOMPLETE, "{result:?}");
    assert!(result.stdout.contains("stopped: API error -16 (authentication failed)"), "{}", result.stdout);
    assert!(result.stdout.contains("resume with: "), "{}", result.stdout);
    assert!(!result.stdout.contains("wrong-password-5b7e") && !result.stderr.contains("wrong-password-5b7e"));
    assert_eq!(endpoint.simulator.requests().len(), 1, "-16 is never repeated");
}

#[test]
fn example_input_plans_and_runs() {
    let root = repository_root();
    let dry = run(dry_run_binary().current_dir(&root).args(["batch", "examples/batch/incident.csv", "--dry-run"]));
    assert_eq!(dry.status, EXIT_SUCCESS, "{dry:?}");
    assert!(dry.stdout.contains("plan: 8 rows read from examples/batch/incident.csv (csv)\n"), "{}", dry.stdout);
    assert!(dry.stdout.contains("  duplicates:  1\n"), "{}", dry.stdout);

    // The built-in catalogue contains every identifier in the example.
    let endpoint = Endpoint::start();
    let folder = TempDir::new("example");
    let result = run(batch(&endpoint, &root.join("examples/batch/incident.csv"))
        .args(["--yes", "--reason", "superseded", "--journal"])
        .arg(folder.join("incident.journal")));
    assert_eq!(result.status, EXIT_SUCCESS, "{result:?}");
    assert!(
        result
            .stdout
            .contains("rows: 8 in all: 5 accepted, 1 already revoked, 0 already rejected, 1 expired, 0 failed"),
        "{}",
        result.stdout
    );
}

#[test]
fn help_lists_batch_exit_statuses() {
    let result = run(binary().args(["batch", "--help"]));
    assert_eq!(result.status, EXIT_SUCCESS);
    for text in ["  9  batch finished", " 10  batch incomplete", " 11  batch not started", "[default: 4]"] {
        assert!(result.stdout.contains(text), "batch --help lacks {text:?}");
    }
    let top = run(binary().arg("--help"));
    assert!(top.stdout.contains(" 10  batch incomplete"), "{}", top.stdout);
}

/// A pseudo-terminal for the child's standard input and standard error, so that the
/// child prompts for confirmation and draws a progress bar.
#[cfg(target_os = "linux")]
mod terminal {
    use std::fs::File;
    use std::io::{Read, Write};
    use std::os::fd::{FromRawFd, OwnedFd};
    use std::process::{Child, Command, Stdio};
    use std::sync::{Arc, Mutex};

    pub struct Terminal {
        pub child: Child,
        writer: File,
        seen: Arc<Mutex<String>>,
        reader: std::thread::JoinHandle<()>,
    }

    impl Terminal {
        pub fn spawn(command: &mut Command) -> Terminal {
            let (mut master, mut slave) = (0, 0);
            // SAFETY: openpty writes two descriptors through valid pointers; the name,
            // settings and size pointers may be null.
            let opened = unsafe {
                libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), std::ptr::null())
            };
            assert_eq!(opened, 0, "openpty failed");
            // SAFETY: both descriptors were just opened and are owned here alone.
            let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };

            let child = command
                .stdin(Stdio::from(slave.try_clone().unwrap()))
                .stderr(Stdio::from(slave))
                .stdout(Stdio::piped())
                .spawn()
                .expect("the binary starts");
            let writer = File::from(master.try_clone().unwrap());
            let seen = Arc::new(Mutex::new(String::new()));
            let collected = Arc::clone(&seen);
            let reader = std::thread::spawn(move || {
                let mut master = File::from(master);
                let mut buffer = [0u8; 4096];
                // Reading ends with an error once the child and its terminal close.
                while let Ok(count @ 1..) = master.read(&mut buffer) {
                    collected.lock().unwrap().push_str(&String::from_utf8_lossy(&buffer[..count]));
                }
            });
            Terminal { child, writer, seen, reader }
        }

        /// Waits until the terminal shows `text`.
        pub fn wait_for(&self, text: &str) {
            let deadline = std::time::Instant::now() + super::WAIT_LIMIT;
            while !self.seen.lock().unwrap().contains(text) {
                assert!(std::time::Instant::now() < deadline, "the terminal never showed {text:?}: {}", self.text());
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }

        pub fn type_line(&mut self, line: &str) {
            self.writer.write_all(format!("{line}\n").as_bytes()).unwrap();
        }

        pub fn text(&self) -> String {
            self.seen.lock().unwrap().clone()
        }

        /// Waits for the child and returns its exit status, standard output and
        /// everything the terminal showed.
        pub fn finish(self) -> (i32, String, String) {
            let Terminal { child, writer, seen, reader } = self;
            let output = child.wait_with_output().unwrap();
            drop(writer);
            let _ = reader.join();
            let text = seen.lock().unwrap().clone();
            (output.status.code().unwrap(), String::from_utf8(output.stdout).unwrap(), text)
        }
    }
}

#[cfg(target_os = "linux")]
#[test]
fn terminal_confirmation_and_progress_bar() {
    let endpoint = Endpoint::start();
    let folder = TempDir::new("terminal");
    let input = folder.join("two.csv");
    std::fs::write(&input, "certificate_id,reason\n2000001,superseded\n2000002,key-compromise\n").unwrap();

    let mut terminal = terminal::Terminal::spawn(&mut batch(&endpoint, &input));
    terminal.wait_for("send them? [y/N] ");
    let prompt = terminal.text();
    assert!(prompt.contains(&format!(
        "about to send 2 revocation requests to {} as {LOGIN_NAME}",
        endpoint.simulator.endpoint()
    )));
    assert!(prompt.contains("  reasons: keyCompromise 1, superseded 1"), "{prompt}");
    assert!(prompt.contains("test mode: off, so the certificates are revoked"), "{prompt}");
    assert_eq!(endpoint.simulator.connection_count(), 0, "nothing is sent before the answer");
    terminal.type_line("y");
    let (status, stdout, shown) = terminal.finish();

    assert_eq!(status, EXIT_SUCCESS, "{stdout}\n{shown}");
    assert!(shown.contains("] 2/2 100% "), "the progress bar reaches the end: {shown:?}");
    assert!(stdout.contains("every row is done: 2 accepted"), "{stdout}");
    assert_no_password(&stdout, "stdout");
    assert_no_password(&shown, "terminal");
    assert_eq!(endpoint.simulator.requests().len(), 2);
}

#[cfg(target_os = "linux")]
#[test]
fn terminal_answer_no_sends_nothing() {
    let endpoint = Endpoint::start();
    let folder = TempDir::new("declined");
    let input = write_id_csv(folder.path(), 3);

    let mut terminal = terminal::Terminal::spawn(batch(&endpoint, &input).arg("--test-mode"));
    terminal.wait_for("send them? [y/N] ");
    assert!(terminal.text().contains("test mode: on, so Sectigo validates each request and revokes nothing"));
    terminal.type_line("n");
    let (status, stdout, _) = terminal.finish();

    assert_eq!(status, EXIT_NOT_STARTED, "{stdout}");
    assert!(stdout.contains("not started: the plan was not confirmed; nothing was sent"), "{stdout}");
    assert!(stdout.contains("next: the new journal was removed"), "{stdout}");
    assert_eq!(endpoint.simulator.connection_count(), 0);
    assert!(!folder.join("incident.csv.journal").exists());
}

#[cfg(target_os = "linux")]
#[test]
fn sigint_at_prompt_sends_nothing() {
    let endpoint = Endpoint::start();
    let folder = TempDir::new("prompt-sigint");
    let input = write_id_csv(folder.path(), 3);

    let terminal = terminal::Terminal::spawn(&mut batch(&endpoint, &input));
    terminal.wait_for("send them? [y/N] ");
    send_signal(&terminal.child, libc::SIGINT);
    let (status, _, shown) = terminal.finish();

    assert_eq!(status, EXIT_NOT_STARTED, "{shown}");
    assert!(shown.contains("received SIGINT before the run began: nothing was sent; the new journal"), "{shown}");
    assert_eq!(endpoint.simulator.connection_count(), 0);
    assert!(!folder.join("incident.csv.journal").exists());
}
