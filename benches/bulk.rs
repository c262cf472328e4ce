//! Bulk revocation benchmark, run with `cargo bench --bench bulk`.
//!
//! 1. Throughput: 10,000 revocations against the simulator with 50 ms latency and 16
//!    workers. The ceiling is 16 / 50 ms = 320 requests per second; the benchmark
//!    prints the rate reached as a fraction of it.
//! 2. Memory: planning 1,000,000 rows in dry-run mode, in a child process so that the
//!    figure is not inflated by the first part, reported as the peak resident set
//!    (`VmHWM` in `/proc/self/status`).
//!
//! Set `BULK_ROWS` and `BULK_PLAN_ROWS` to change the sizes.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use sectigo_revoke::batch::{Batch, Input, PlanOptions, RunOptions};
use sectigo_revoke::{Client, Credentials, ProxySetting, RootStore};
use sectigo_revoke_simulator::{Simulator, SimulatorConfig};

const LOGIN_NAME: &str = "bench-user";
const PASSWORD: &str = "bench-password";
const LATENCY: Duration = Duration::from_millis(50);
const CONCURRENCY: usize = 16;
const PLAN_CHILD_FLAG: &str = "--plan-child";

fn main() {
    let arguments: Vec<String> = std::env::args().collect();
    if let Some(position) = arguments.iter().position(|argument| argument == PLAN_CHILD_FLAG) {
        plan_child(Path::new(&arguments[position + 1]));
        return;
    }

    let rows = size_from_env("BULK_ROWS", 10_000);
    let plan_rows = size_from_env("BULK_PLAN_ROWS", 1_000_000);
    let dir = tempfile::tempdir().expect("temporary folder");
    throughput(dir.path(), rows);
    planning_memory(dir.path(), plan_rows);
}

fn size_from_env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

fn throughput(dir: &Path, rows: u64) {
    let mut config = SimulatorConfig::new(LOGIN_NAME, PASSWORD);
    config.catalogue.accept_unknown = true;
    config.latency = LATENCY;
    let simulator = Simulator::start(config).expect("simulator starts on loopback");
    let client = client_for(&simulator);

    let input = dir.join("throughput.csv");
    write_certificate_ids(&input, rows);
    let batch = Batch::open(Input::file(&input), dir.join("throughput.journal"), &PlanOptions::new())
        .expect("plan the throughput batch");

    let started = Instant::now();
    let summary = batch.run(&client, &RunOptions::new().concurrency(CONCURRENCY)).expect("run the batch");
    let elapsed = started.elapsed();

    assert_eq!(summary.counts.accepted, rows, "every row should be accepted: {}", summary.counts);
    let rate = rows as f64 / elapsed.as_secs_f64();
    let ceiling = CONCURRENCY as f64 / LATENCY.as_secs_f64();
    println!(
        "throughput: {rows} revocations, {CONCURRENCY} workers, {} ms latency: {:.2} s, {rate:.1} per second, {:.3} of the {ceiling:.0} per second ceiling",
        LATENCY.as_millis(),
        elapsed.as_secs_f64(),
        rate / ceiling
    );
}

fn client_for(simulator: &Simulator) -> Client {
    Client::builder(Credentials::new(LOGIN_NAME, PASSWORD).expect("valid credentials"))
        .endpoint(simulator.endpoint())
        .root_store(RootStore::CaBundlePem(simulator.ca_pem().as_bytes().to_vec()))
        .proxy(ProxySetting::None)
        .build()
        .expect("client builds")
}

fn write_certificate_ids(path: &Path, rows: u64) {
    let mut output = BufWriter::new(std::fs::File::create(path).expect("create the input"));
    writeln!(output, "certificate_id,reason").unwrap();
    for index in 0..rows {
        writeln!(output, "{},superseded", 5_000_001 + index).unwrap();
    }
    output.flush().unwrap();
}

fn planning_memory(dir: &Path, rows: u64) {
    let input = dir.join("plan.csv");
    write_serials(&input, rows);
    let size = std::fs::metadata(&input).map(|metadata| metadata.len()).unwrap_or_default();

    let output = Command::new(std::env::current_exe().expect("benchmark path"))
        .args([PLAN_CHILD_FLAG, input.to_str().expect("UTF-8 path")])
        .output()
        .expect("start the planning child");
    assert!(output.status.success(), "planning child failed: {}", String::from_utf8_lossy(&output.stderr));
    print!(
        "dry-run plan: {rows} rows, {} MiB of CSV: {}",
        size / (1024 * 1024),
        String::from_utf8_lossy(&output.stdout)
    );
}

/// Writes 32-digit serial numbers. Every 100th row repeats an earlier serial with a
/// `00` byte in front, so de-duplication has work to do.
fn write_serials(path: &Path, rows: u64) {
    let mut output = BufWriter::new(std::fs::File::create(path).expect("create the input"));
    writeln!(output, "serial_number,reason,comment").unwrap();
    for index in 0..rows {
        let serial = if index % 100 == 99 {
            format!("00{:032X}", spread(index - 50))
        } else {
            format!("{:032X}", spread(index))
        };
        writeln!(output, "{serial},key-compromise,mass revocation row {index}").unwrap();
    }
    output.flush().unwrap();
}

/// Spreads a row index over 128 bits with the top bit set, like a random serial number
/// that DER writes with a leading `00` byte.
fn spread(index: u64) -> u128 {
    u128::from(index).wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835) | (1 << 127)
}

fn plan_child(input: &Path) {
    let before = peak_resident_kib();
    let started = Instant::now();
    let batch = Batch::dry_run(Input::file(input), &PlanOptions::new()).expect("plan the input");
    let elapsed = started.elapsed();
    let summary = batch.plan_summary();
    let peak = peak_resident_kib();
    println!(
        "{:.2} s, {} to send, {} duplicates, {} invalid; peak RSS {:.1} MiB (process start {:.1} MiB)",
        elapsed.as_secs_f64(),
        summary.to_send,
        summary.duplicates,
        summary.invalid,
        peak as f64 / 1024.0,
        before as f64 / 1024.0
    );
}

/// Returns `VmHWM` from `/proc/self/status`, the peak resident set size, in KiB.
fn peak_resident_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
