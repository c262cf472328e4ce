//! The bulk revocation engine against the simulator on loopback: real HTTPS, a real
//! SQLite journal on disk, and (for crash recovery) a real child process killed with
//! SIGKILL.

mod common;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sectigo_revoke::batch::{
    Batch, BatchError, BatchStatus, Input, PlanOptions, Progress, ReportFormat, ResultKind, RowStatus, RunOptions,
};
use sectigo_revoke::{Client, Credentials, ProxySetting, Reason, RootStore};
use sectigo_revoke_simulator::{Fault, Simulator};

use common::{builder_for, client_for, config, start, CANARY_PASSWORD, LOGIN_NAME};

/// Set in the environment of the child process that runs a batch until it is killed.
const CHILD_ENV: &str = "SECTIGO_REVOKE_BATCH_CHILD";

fn bulk_simulator(latency: Duration) -> Simulator {
    let mut config = config();
    config.catalogue.accept_unknown = true;
    config.latency = latency;
    start(config)
}

/// Writes a CSV of `count` certificate IDs starting at 5,000,001; row N is on line
/// N + 1.
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

/// Counts the requests the simulator processed for each identifier. Requests stopped
/// before processing (a -42 or 429 fault, a rejected login) name no identifier.
fn processed(simulator: &Simulator) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for request in simulator.requests() {
        if let Some(identifier) = request.identifier {
            *counts.entry(identifier).or_insert(0) += 1;
        }
    }
    counts
}

fn open_journal(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

fn lines_with_event(journal: &Path, status: &str) -> HashSet<u64> {
    let connection = open_journal(journal);
    let mut statement = connection.prepare("SELECT DISTINCT line FROM events WHERE status = ?1").unwrap();
    statement.query_map([status], |row| row.get::<_, i64>(0)).unwrap().map(|line| line.unwrap() as u64).collect()
}

fn fast_backoff() -> RunOptions {
    RunOptions::new().initial_backoff(Duration::from_millis(20)).max_backoff(Duration::from_secs(5))
}

#[test]
fn ten_thousand_rows_sent_once() {
    let simulator = bulk_simulator(Duration::from_millis(2));
    let dir = tempfile::tempdir().unwrap();
    let input = write_id_csv(dir.path(), 10_000);
    let journal = dir.path().join("incident.journal");

    let batch = Batch::open(Input::file(&input), &journal, &PlanOptions::new()).unwrap();
    assert_eq!(batch.plan_summary().to_send, 10_000);
    assert_eq!(batch.plan_summary().per_reason, [(Reason::Superseded, 10_000)]);
    let last = Arc::new(Mutex::new(None::<Progress>));
    let seen = Arc::clone(&last);
    let options = RunOptions::new().concurrency(8).on_progress(move |progress| {
        *seen.lock().unwrap() = Some(progress.clone());
    });
    let summary = batch.run(&client_for(&simulator), &options).unwrap();

    assert_eq!(summary.status(), BatchStatus::Succeeded);
    assert_eq!(summary.counts.accepted, 10_000);
    assert_eq!(summary.requests, 10_000);
    let counts = processed(&simulator);
    assert_eq!(counts.len(), 10_000);
    assert!(counts.values().all(|count| *count == 1), "some row was sent more than once");
    for index in [0, 4_999, 9_999] {
        assert_eq!(counts.get(&format!("certificateID={}", certificate_id(index))), Some(&1));
    }
    let last = last.lock().unwrap().clone().unwrap();
    assert_eq!((last.done, last.total), (10_000, 10_000));
    assert_eq!(last.counts.accepted, 10_000);
}

/// Runs a batch in this test binary as a child process, which the parent kills. Does
/// nothing unless the child's environment variable is set.
#[test]
fn child_batch_run() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return;
    }
    let variable = |name: &str| std::env::var(name).unwrap();
    let client = Client::builder(Credentials::new(LOGIN_NAME, CANARY_PASSWORD).unwrap())
        .endpoint(variable("BATCH_ENDPOINT"))
        .root_store(RootStore::CaBundle(variable("BATCH_CA").into()))
        .proxy(ProxySetting::None)
        .build()
        .unwrap();
    let batch =
        Batch::open(Input::file(variable("BATCH_INPUT")), variable("BATCH_JOURNAL"), &PlanOptions::new()).unwrap();
    batch.run(&client, &RunOptions::new().concurrency(8)).unwrap();
}

#[test]
fn killed_runs_resume_without_repeats() {
    let simulator = bulk_simulator(Duration::from_millis(3));
    let dir = tempfile::tempdir().unwrap();
    let input = write_id_csv(dir.path(), 10_000);
    let journal = dir.path().join("incident.journal");
    let ca = dir.path().join("ca.pem");
    simulator.write_ca_pem(&ca).unwrap();

    for kill_after in [1_500, 4_000, 7_000] {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["child_batch_run", "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, "1")
            .env("BATCH_ENDPOINT", simulator.endpoint())
            .env("BATCH_CA", &ca)
            .env("BATCH_INPUT", &input)
            .env("BATCH_JOURNAL", &journal)
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(300);
        while simulator.requests().len() < kill_after {
            assert!(child.try_wait().unwrap().is_none(), "the child ended before {kill_after} requests");
            assert!(Instant::now() < deadline, "the child sent too slowly");
            std::thread::sleep(Duration::from_millis(20));
        }
        child.kill().unwrap();
        child.wait().unwrap();
    }

    let batch = Batch::open(Input::file(&input), &journal, &PlanOptions::new()).unwrap();
    assert!(batch.plan_summary().resumed);
    assert!(batch.plan_summary().already_final >= 7_000 - 3 * 8, "{:?}", batch.plan_summary());
    let summary = batch.run(&client_for(&simulator), &RunOptions::new().concurrency(8).retry_unknown(true)).unwrap();
    assert_eq!(summary.status(), BatchStatus::Succeeded);
    assert_eq!(summary.counts.done(), 10_000);
    drop(batch);

    // Every row went out once, except rows the journal shows as cut off mid-request.
    // Each kill leaves the requests in flight at that moment in that state.
    let unknown = lines_with_event(&journal, "unknown");
    assert!(!unknown.is_empty(), "no kill landed while a request was in flight");
    let counts = processed(&simulator);
    assert_eq!(counts.len(), 10_000);
    for index in 0..10_000 {
        let line = index + 2;
        let sent = counts[&format!("certificateID={}", certificate_id(index))];
        if unknown.contains(&line) {
            assert!((1..=2).contains(&sent), "line {line} with an unknown outcome was sent {sent} times");
        } else {
            assert_eq!(sent, 1, "line {line} was sent {sent} times without an unknown outcome");
        }
    }
}

#[test]
fn call_limit_midway_absorbed() {
    let simulator = Arc::new(bulk_simulator(Duration::ZERO));
    let dir = tempfile::tempdir().unwrap();
    let input = write_id_csv(dir.path(), 600);
    let journal = dir.path().join("incident.journal");

    let injector = Arc::clone(&simulator);
    let injected = AtomicBool::new(false);
    let options = fast_backoff().concurrency(4).on_progress(move |progress| {
        if progress.done >= 200 && !injected.swap(true, Ordering::SeqCst) {
            injector.inject_fault(Fault::CallLimit, 3);
        }
    });
    let batch = Batch::open(Input::file(&input), &journal, &PlanOptions::new()).unwrap();
    let summary = batch.run(&client_for(&simulator), &options).unwrap();

    assert_eq!(summary.status(), BatchStatus::Succeeded);
    assert_eq!(summary.counts.accepted, 600);
    assert_eq!(summary.requests, 603);
    let limited = simulator.requests().iter().filter(|request| request.code == Some(-42)).count();
    assert_eq!(limited, 3);
    let counts = processed(&simulator);
    assert_eq!(counts.len(), 600);
    assert!(counts.values().all(|count| *count == 1));
    drop(batch);
    let connection = open_journal(&journal);
    let events: i64 = connection
        .query_row("SELECT count(*) FROM events WHERE result = 'rate_limited' AND code = -42", [], |row| row.get(0))
        .unwrap();
    assert_eq!(events, 3);
    let repeated: i64 =
        connection.query_row("SELECT count(*) FROM rows WHERE attempts > 1", [], |row| row.get(0)).unwrap();
    assert!((1..=3).contains(&repeated), "{repeated} rows took more than one attempt");
}

#[test]
fn retry_after_pauses_every_worker() {
    let simulator = Arc::new(bulk_simulator(Duration::from_millis(5)));
    let dir = tempfile::tempdir().unwrap();
    let input = write_id_csv(dir.path(), 200);
    let journal = dir.path().join("incident.journal");

    let injector = Arc::clone(&simulator);
    let injected = AtomicBool::new(false);
    let options = fast_backoff().concurrency(4).on_progress(move |progress| {
        if progress.done >= 50 && !injected.swap(true, Ordering::SeqCst) {
            injector.inject_fault(Fault::TooManyRequests { retry_after_secs: 1 }, 1);
        }
    });
    let batch = Batch::open(Input::file(&input), &journal, &PlanOptions::new()).unwrap();
    let summary = batch.run(&client_for(&simulator), &options).unwrap();
    assert_eq!(summary.status(), BatchStatus::Succeeded);

    let requests = simulator.requests();
    let limited =
        requests.iter().find(|request| request.fault.as_deref().is_some_and(|f| f.starts_with("too_many"))).unwrap();
    // Requests already in flight when the 429 arrived may land just after it; none may
    // start during the rest of the one-second pause.
    let quiet = (limited.time_ms + 300)..(limited.time_ms + 990);
    let during_pause: Vec<u64> =
        requests.iter().map(|request| request.time_ms).filter(|time| quiet.contains(time)).collect();
    assert!(during_pause.is_empty(), "requests at {during_pause:?} during the pause after {}", limited.time_ms);
    assert_eq!(processed(&simulator).len(), 200);
}

#[test]
fn bad_and_duplicate_rows_reported_not_sent() {
    let simulator = start(config());
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("mixed.csv");
    std::fs::write(
        &input,
        "serial_number,reason,comment\n\
         00:D9:B7:5B:1C:2E:0F:11:22:33:44:55:66:77:88:9A:A1,superseded,\n\
         D9B75B1C2E0F11223344556677889AA1,key-compromise,\n\
         XYZ,,\n\
         4E1F9A2B3C4D5E6F708192A3B4C5D6E7,6,\n\
         4e1f9a2b3c4d5e6f708192a3b4c5d6e7,4,host retired\n\
         0x4E1F9A2B3C4D5E6F708192A3B4C5D6E7,4,\n\
         7A11,4,a,b\n",
    )
    .unwrap();
    let journal = dir.path().join("mixed.journal");

    let batch = Batch::open(Input::file(&input), &journal, &PlanOptions::new()).unwrap();
    let plan = batch.plan_summary().clone();
    assert_eq!((plan.rows, plan.to_send, plan.invalid, plan.duplicates), (7, 2, 3, 2));
    assert_eq!(plan.per_reason, [(Reason::Superseded, 2)]);
    assert_eq!(plan.per_identifier, [("serialNumber".to_owned(), 2)]);

    let problems = batch.problems(10).unwrap();
    let summary: Vec<(u64, Option<&str>)> =
        problems.iter().map(|problem| (problem.line, problem.column.as_deref())).collect();
    assert_eq!(summary, [(3, None), (4, Some("serial_number")), (5, Some("reason")), (7, None), (8, None)]);
    assert!(problems[0].problem.starts_with("names the same certificate as line 2"), "{}", problems[0]);
    assert!(problems[0].problem.contains("its reason superseded differs from this row's keyCompromise"));
    assert!(problems[1].problem.starts_with("'X' at position 1 is not a hex digit"), "{}", problems[1]);
    assert!(problems[2].problem.starts_with("6 (certificateHold) may not be requested"), "{}", problems[2]);
    assert!(problems[3].problem.starts_with("names the same certificate as line 6"), "{}", problems[3]);
    assert!(problems[4].problem.starts_with("4 fields, but the header names 3 columns"), "{}", problems[4]);
    assert_eq!(batch.problems(2).unwrap().len(), 2);

    let summary = batch.run(&client_for(&simulator), &RunOptions::new()).unwrap();
    assert_eq!(summary.status(), BatchStatus::FinishedWithFailures);
    assert_eq!(summary.counts.accepted, 2);
    let mut sent: Vec<String> = simulator.requests().into_iter().filter_map(|request| request.identifier).collect();
    sent.sort();
    assert_eq!(
        sent,
        ["serialNumber=00D9B75B1C2E0F11223344556677889AA1", "serialNumber=4E1F9A2B3C4D5E6F708192A3B4C5D6E7"]
    );

    let report = dir.path().join("report.csv");
    batch.write_report(&report, None).unwrap();
    let mut reader = csv::Reader::from_path(&report).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 7);
    let status_of = |line: &str| {
        let row = rows.iter().find(|row| &row[0] == line).unwrap();
        (row[2].to_owned(), row[3].to_owned())
    };
    assert_eq!(status_of("2"), ("done".to_owned(), "accepted".to_owned()));
    assert_eq!(status_of("3"), ("duplicate".to_owned(), "duplicate".to_owned()));
    assert_eq!(status_of("4"), ("invalid".to_owned(), "invalid".to_owned()));
    assert_eq!(&rows[1][7], "2", "duplicate_of");
}

#[test]
fn unknown_column_stops_before_planning() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("typo.csv");
    std::fs::write(&input, "serial,reason\n01,4\n").unwrap();
    let error = Batch::open(Input::file(&input), dir.path().join("typo.journal"), &PlanOptions::new()).unwrap_err();
    let text = error.to_string();
    assert!(text.ends_with("typo.csv line 1: unknown column \"serial\"; known columns: order_number, certificate_id, serial_number, cert, reason, comment, account_id, product_code, product"), "{text}");
}

#[test]
fn cancellation_leaves_resumable_journal() {
    let simulator = bulk_simulator(Duration::from_millis(5));
    let dir = tempfile::tempdir().unwrap();
    let input = write_id_csv(dir.path(), 400);
    let journal = dir.path().join("incident.journal");

    let options = RunOptions::new().concurrency(4);
    let cancel = options.cancel_flag();
    let options = options.on_progress(move |progress| {
        if progress.done >= 100 {
            cancel.store(true, Ordering::SeqCst);
        }
    });
    let batch = Batch::open(Input::file(&input), &journal, &PlanOptions::new()).unwrap();
    let first = batch.run(&client_for(&simulator), &options).unwrap();
    assert!(first.cancelled);
    assert_eq!(first.status(), BatchStatus::Incomplete);
    assert_eq!(first.counts.sending, 0);
    assert_eq!(first.counts.unknown, 0);
    assert!((100..400).contains(&first.counts.accepted), "{}", first.counts);
    assert_eq!(first.counts.accepted + first.counts.planned, 400);
    assert_eq!(processed(&simulator).len() as u64, first.counts.accepted);
    drop(batch);

    let batch = Batch::open(Input::file(&input), &journal, &PlanOptions::new()).unwrap();
    assert!(batch.plan_summary().resumed);
    assert_eq!(batch.plan_summary().unknown, 0);
    let second = batch.run(&client_for(&simulator), &RunOptions::new().concurrency(4)).unwrap();
    assert_eq!(second.status(), BatchStatus::Succeeded);
    assert_eq!(second.requests, 400 - first.counts.accepted);
    let counts = processed(&simulator);
    assert_eq!(counts.len(), 400);
    assert!(counts.values().all(|count| *count == 1));
}

#[test]
fn unknown_rows_resent_only_when_asked() {
    let simulator = bulk_simulator(Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let input = write_id_csv(dir.path(), 20);
    let journal = dir.path().join("incident.journal");
    simulator.inject_fault(Fault::Reset, 2);

    let batch = Batch::open(Input::file(&input), &journal, &PlanOptions::new()).unwrap();
    let client = client_for(&simulator);
    let first = batch.run(&client, &RunOptions::new().concurrency(1)).unwrap();
    assert_eq!(first.status(), BatchStatus::Incomplete);
    assert_eq!((first.counts.unknown, first.counts.accepted), (2, 18));

    let second = batch.run(&client, &RunOptions::new().concurrency(1)).unwrap();
    assert_eq!(second.requests, 0);
    assert_eq!(second.counts.unknown, 2);

    let third = batch.run(&client, &RunOptions::new().concurrency(1).retry_unknown(true)).unwrap();
    assert_eq!(third.requests, 2);
    assert_eq!(third.status(), BatchStatus::Succeeded);
    assert_eq!(third.counts.already_revoked, 2);
    let mut report = Vec::new();
    batch.write_report_to(&mut report, ReportFormat::JsonLines).unwrap();
    let lines: Vec<serde_json::Value> =
        String::from_utf8(report).unwrap().lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(lines.len(), 20);
    let resent: Vec<&serde_json::Value> = lines.iter().filter(|line| line["result"] == "already_revoked").collect();
    assert_eq!(resent.len(), 2);
    assert_eq!(resent[0]["attempts"], 2);
    assert_eq!(resent[0]["code"], -21);
    assert_eq!(resent[0]["status"], "done");

    // With one worker the two reset requests were the first two rows.
    let mut revoked_before = Vec::new();
    batch
        .for_each_row(|row| {
            if row.result == Some(ResultKind::AlreadyRevoked) {
                revoked_before.push((row.line, row.identifier.clone().unwrap(), row.status));
            }
        })
        .unwrap();
    let expected = |line: u64| (line, format!("certificateID={}", certificate_id(line - 2)), RowStatus::Done);
    assert_eq!(revoked_before, [expected(2), expected(3)]);
}

#[test]
fn batch_types_shareable_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Batch>();
    assert_send_sync::<RunOptions>();
    assert_send_sync::<BatchError>();
}

#[test]
fn rejected_login_stops_run() {
    let simulator = bulk_simulator(Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let input = write_id_csv(dir.path(), 50);
    let journal = dir.path().join("incident.journal");
    let client = Client::builder(Credentials::new(LOGIN_NAME, "wrong-password").unwrap())
        .endpoint(simulator.endpoint())
        .root_store(RootStore::CaBundlePem(simulator.ca_pem().as_bytes().to_vec()))
        .proxy(ProxySetting::None)
        .build()
        .unwrap();

    let batch = Batch::open(Input::file(&input), &journal, &PlanOptions::new()).unwrap();
    let summary = batch.run(&client, &RunOptions::new().concurrency(2)).unwrap();
    let reason = summary.stopped.clone().unwrap();
    assert!(reason.starts_with("API error -16 (authentication failed)"), "{reason}");
    assert!(summary.requests <= 2, "{} requests after a rejected login", summary.requests);
    assert_eq!(summary.counts.failed, 0);
    assert_eq!(summary.counts.retryable, summary.requests);
    assert_eq!(summary.counts.retryable + summary.counts.planned, 50);

    let good = batch.run(&client_for(&simulator), &RunOptions::new().concurrency(2)).unwrap();
    assert_eq!(good.status(), BatchStatus::Succeeded);
    assert_eq!(good.counts.accepted, 50);
}

#[test]
fn canary_password_absent_from_journal_and_reports() {
    let simulator = bulk_simulator(Duration::ZERO);
    let dir = common::OutputDir::new("canary-journal");
    let input = write_id_csv(dir.path(), 30);
    let journal = dir.path().join("incident.journal");
    simulator.inject_fault(Fault::HtmlBody, 1);

    let batch = Batch::open(Input::file(&input), &journal, &PlanOptions::new().comment("canary check")).unwrap();
    batch.run(&client_for(&simulator), &RunOptions::new().concurrency(2)).unwrap();
    let csv_report = dir.path().join("report.csv");
    let json_report = dir.path().join("report.jsonl");
    batch.write_report(&csv_report, None).unwrap();
    batch.write_report(&json_report, None).unwrap();

    let mut files = vec![journal.clone(), csv_report, json_report];
    let wal = dir.path().join("incident.journal-wal");
    if wal.exists() {
        files.push(wal);
    }
    let encoded = serde_urlencoded::to_string([("p", CANARY_PASSWORD)]).unwrap();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(CANARY_PASSWORD), "{} contains the password", path.display());
        assert!(!text.contains(&encoded[2..]), "{} contains the encoded password", path.display());
    }
    drop(batch);

    let login_names: i64 = open_journal(&journal)
        .query_row("SELECT count(*) FROM events WHERE login_name = ?1", [LOGIN_NAME], |row| row.get(0))
        .unwrap();
    assert!(login_names >= 60, "{login_names} events name the login");
}

#[test]
fn changed_input_or_setting_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_id_csv(dir.path(), 5);
    let journal = dir.path().join("incident.journal");
    drop(Batch::open(Input::file(&input), &journal, &PlanOptions::new()).unwrap());

    let error = Batch::open(Input::file(&input), &journal, &PlanOptions::new().test_mode(true)).unwrap_err();
    match error {
        BatchError::SettingChanged { setting, recorded, given, .. } => {
            assert_eq!((setting, recorded.as_str(), given.as_str()), ("test_mode", "\"false\"", "\"true\""));
        }
        other => panic!("expected a changed setting, got {other}"),
    }

    let mut text = std::fs::read_to_string(&input).unwrap();
    text.push_str("5999999,superseded\n");
    std::fs::write(&input, text).unwrap();
    let error = Batch::open(Input::file(&input), &journal, &PlanOptions::new()).unwrap_err();
    assert!(matches!(error, BatchError::InputChanged { .. }), "{error}");
    assert!(error.to_string().contains("resume with the original input"), "{error}");
}

#[test]
fn unfinished_plan_planned_again() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_id_csv(dir.path(), 5);
    let journal = dir.path().join("incident.journal");
    drop(Batch::open(Input::file(&input), &journal, &PlanOptions::new()).unwrap());

    // A plan cut off part-way: no completion mark, and a row the input does not have.
    let connection = open_journal(&journal);
    connection.execute("DELETE FROM meta WHERE key = 'plan_complete'", []).unwrap();
    connection.execute("DELETE FROM rows WHERE line > 3", []).unwrap();
    connection.execute("INSERT INTO rows(line, status, updated_at) VALUES (99, 'planned', 'x')", []).unwrap();
    drop(connection);

    let batch = Batch::open(Input::file(&input), &journal, &PlanOptions::new()).unwrap();
    assert!(!batch.plan_summary().resumed);
    assert_eq!(batch.plan_summary().to_send, 5);
    let mut lines = Vec::new();
    batch.for_each_row(|row| lines.push(row.line)).unwrap();
    assert_eq!(lines, [2, 3, 4, 5, 6]);
}

#[test]
fn second_open_of_journal_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_id_csv(dir.path(), 5);
    let journal = dir.path().join("incident.journal");
    let _first = Batch::open(Input::file(&input), &journal, &PlanOptions::new()).unwrap();
    let error = Batch::open(Input::file(&input), &journal, &PlanOptions::new()).unwrap_err();
    assert!(matches!(error, BatchError::JournalInUse { .. }), "{error}");
}

#[test]
fn dry_run_plans_and_sends_nothing() {
    let simulator = start(config());
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("plan.csv");
    std::fs::write(&input, "order_number,reason\n1000001,key-compromise\n1000002,\n1000003,\n").unwrap();

    let plan = PlanOptions::new().reason(Reason::CessationOfOperation).test_mode(true);
    let batch = Batch::dry_run(Input::file(&input), &plan).unwrap();
    let summary = batch.plan_summary();
    assert!(summary.test_mode);
    assert_eq!(summary.to_send, 3);
    assert_eq!(summary.per_reason, [(Reason::KeyCompromise, 1), (Reason::CessationOfOperation, 2)]);
    assert_eq!(batch.journal_path(), None);
    assert!(matches!(batch.run(&client_for(&simulator), &RunOptions::new()), Err(BatchError::DryRun)));
    assert!(simulator.requests().is_empty());
}

#[test]
fn test_mode_rows_revoke_nothing() {
    let simulator = start(config());
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("plan.csv");
    std::fs::write(&input, "certificate_id\n2000001\n").unwrap();

    let batch = Batch::open(Input::file(&input), dir.path().join("j"), &PlanOptions::new().test_mode(true)).unwrap();
    let summary = batch.run(&client_for(&simulator), &RunOptions::new()).unwrap();
    assert_eq!(summary.counts.accepted, 1);
    assert!(simulator.requests()[0].test_mode);
    assert_eq!(simulator.state_of_certificate_id(2000001), Some(sectigo_revoke_simulator::CertificateState::Issued));
    let mut report = Vec::new();
    batch.write_report_to(&mut report, ReportFormat::JsonLines).unwrap();
    assert!(String::from_utf8(report).unwrap().contains("test mode, nothing was revoked"));
}

#[test]
fn json_lines_with_certificate_files() {
    let simulator = start(config());
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("certs")).unwrap();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/certs/top-bit.pem");
    std::fs::copy(shipped, dir.path().join("certs/top-bit.pem")).unwrap();
    let input = dir.path().join("rows.jsonl");
    std::fs::write(
        &input,
        "{\"cert\": \"certs/top-bit.pem\", \"reason\": \"superseded\"}\n\
         {\"serial_number\": \"E3A15C7D902B4F61880CD237A94E15F6\"}\n\
         {\"certificate_id\": 2000002, \"account_id\": \"\"}\n",
    )
    .unwrap();

    let batch = Batch::open(Input::file(&input), dir.path().join("rows.journal"), &PlanOptions::new()).unwrap();
    assert_eq!((batch.plan_summary().to_send, batch.plan_summary().duplicates), (2, 1));
    let summary = batch.run(&client_for(&simulator), &RunOptions::new()).unwrap();
    assert_eq!(summary.status(), BatchStatus::Succeeded);
    let mut sent: Vec<String> = simulator.requests().into_iter().filter_map(|request| request.identifier).collect();
    sent.sort();
    assert_eq!(sent, ["certificateID=2000002", "serialNumber=00E3A15C7D902B4F61880CD237A94E15F6"]);
}

#[test]
fn rows_in_memory_resume_by_content() {
    let simulator = start(config());
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("rows.journal");
    let rows = |ids: &[&str]| -> Vec<Vec<(String, String)>> {
        ids.iter().map(|id| vec![("certificate_id".to_owned(), (*id).to_owned())]).collect()
    };

    let batch = Batch::open(Input::rows(rows(&["2000001", "2000002"])), &journal, &PlanOptions::new()).unwrap();
    let summary = batch.run(&client_for(&simulator), &RunOptions::new()).unwrap();
    assert_eq!(summary.counts.accepted, 2);
    drop(batch);

    let batch = Batch::open(Input::rows(rows(&["2000001", "2000002"])), &journal, &PlanOptions::new()).unwrap();
    assert!(batch.plan_summary().resumed);
    assert_eq!(batch.run(&client_for(&simulator), &RunOptions::new()).unwrap().requests, 0);
    drop(batch);

    let error = Batch::open(Input::rows(rows(&["2000001"])), &journal, &PlanOptions::new()).unwrap_err();
    assert!(matches!(error, BatchError::InputChanged { .. }), "{error}");
}

#[test]
fn rate_limit_spaces_requests() {
    let simulator = bulk_simulator(Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let input = write_id_csv(dir.path(), 21);
    let batch = Batch::open(Input::file(&input), dir.path().join("j"), &PlanOptions::new()).unwrap();
    let started_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
    batch.run(&client_for(&simulator), &RunOptions::new().concurrency(4).rate(40.0)).unwrap();

    // Slots are 25 ms apart at 40 per second from the start of the run, and no request
    // leaves before its slot, so the 21st slot lies at least 500 ms after the start.
    // This bound holds however slowly a loaded machine runs; arrival times are whole
    // milliseconds, hence the 1 ms allowance.
    let times: Vec<u64> = simulator.requests().iter().map(|request| request.time_ms).collect();
    assert_eq!(times.len(), 21);
    let last = times.iter().max().unwrap() - started_ms;
    assert!(last + 1 >= 20 * 25, "the last of 21 requests arrived {last} ms after the start");
}

#[test]
fn invalid_run_options_rejected() {
    let simulator = start(config());
    let dir = tempfile::tempdir().unwrap();
    let input = write_id_csv(dir.path(), 1);
    let batch = Batch::open(Input::file(&input), dir.path().join("j"), &PlanOptions::new()).unwrap();
    let client = builder_for(&simulator).build().unwrap();
    let cases = [
        (RunOptions::new().concurrency(0), "concurrency"),
        (RunOptions::new().rate(0.0), "rate"),
        (RunOptions::new().rate(f64::NAN), "rate"),
        (RunOptions::new().max_attempts(0), "max_attempts"),
        (RunOptions::new().initial_backoff(Duration::from_secs(120)), "initial_backoff"),
    ];
    for (options, expected) in cases {
        match batch.run(&client, &options) {
            Err(BatchError::InvalidOption { option, .. }) => assert_eq!(option, expected),
            other => panic!("expected {expected} to be rejected, got {other:?}"),
        }
    }
    assert!(simulator.requests().is_empty());
    assert_eq!(batch.counts().unwrap().planned, 1);
}

#[test]
fn collected_rows_report_matches_journal_report() {
    let simulator = start(config());
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("mixed.csv");
    std::fs::write(
        &input,
        "certificate_id,reason,comment\n2000001,superseded,\"moved, rekeyed\"\n2000001,,\nXYZ,,\n2999999,,\n",
    )
    .unwrap();
    let batch = Batch::open(Input::file(&input), dir.path().join("mixed.journal"), &PlanOptions::new()).unwrap();
    batch.run(&client_for(&simulator), &RunOptions::new()).unwrap();
    let mut rows = Vec::new();
    batch.for_each_row(|row| rows.push(row.clone())).unwrap();
    assert_eq!(rows.len(), 4);

    for format in [ReportFormat::Csv, ReportFormat::JsonLines] {
        let mut from_journal = Vec::new();
        batch.write_report_to(&mut from_journal, format).unwrap();
        let mut from_rows = Vec::new();
        sectigo_revoke::batch::write_rows_report_to(&rows, &mut from_rows, format).unwrap();
        assert_eq!(String::from_utf8(from_rows).unwrap(), String::from_utf8(from_journal).unwrap(), "{format:?}");
    }

    let path = dir.path().join("collected.jsonl");
    sectigo_revoke::batch::write_rows_report(&rows, &path, None).unwrap();
    let lines: Vec<serde_json::Value> =
        std::fs::read_to_string(&path).unwrap().lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    let statuses: Vec<&str> = lines.iter().map(|line| line["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["done", "duplicate", "invalid", "failed"]);
    assert_eq!(lines[3]["code"], -4);

    let error = sectigo_revoke::batch::write_rows_report(&rows, dir.path().join("report.txt"), None).unwrap_err();
    assert!(matches!(error, BatchError::Report { .. }), "{error}");
}
