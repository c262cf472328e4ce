//! Revocations per second through the Rust API over one keep-alive HTTPS connection.
//!
//! `cargo bench --bench keepalive -- ENDPOINT CA_FILE REQUESTS` sends REQUESTS
//! revocations of certificate ID 2000005 (already revoked in the simulator's built-in
//! catalogue, so every response is the same `-21`) to a running simulator that accepts
//! the demo login, and prints one `rust_api requests=N seconds=S per_second=R` line.
//! benches/keepalive.py starts the simulator and compares this figure with the Python
//! API, Python `requests` and `curl` in the same run. Without arguments, the benchmark
//! starts a simulator of its own and sends 2,000 requests.

use std::time::{Duration, Instant};

use sectigo_revoke::{Client, Credentials, OutcomeKind, ProxySetting, Revocation, RootStore};
use sectigo_revoke_simulator::{Simulator, SimulatorConfig, DEFAULT_LOGIN_NAME, DEFAULT_PASSWORD};

/// A certificate the built-in catalogue lists as revoked, so repeats change nothing.
const CERTIFICATE_ID: u64 = 2_000_005;
const DEFAULT_REQUESTS: u32 = 2_000;

fn main() {
    // cargo bench passes `--bench`; everything else is ours.
    let arguments: Vec<String> = std::env::args().skip(1).filter(|argument| argument != "--bench").collect();

    let _own_simulator;
    let (endpoint, root_store, requests) = match arguments.as_slice() {
        [endpoint, ca_file, requests] => {
            let requests = requests.parse().expect("REQUESTS is a whole number");
            (endpoint.clone(), RootStore::CaBundle(ca_file.into()), requests)
        }
        [] => {
            let simulator = Simulator::start(SimulatorConfig::default()).expect("the simulator starts on loopback");
            let root_store = RootStore::CaBundlePem(simulator.ca_pem().as_bytes().to_vec());
            let endpoint = simulator.endpoint();
            _own_simulator = simulator;
            (endpoint, root_store, DEFAULT_REQUESTS)
        }
        _ => panic!("usage: cargo bench --bench keepalive [-- ENDPOINT CA_FILE REQUESTS]"),
    };

    let credentials = Credentials::new(DEFAULT_LOGIN_NAME, DEFAULT_PASSWORD).expect("the demo login is valid");
    let client = Client::builder(credentials)
        .endpoint(endpoint)
        .root_store(root_store)
        .proxy(ProxySetting::None)
        .build()
        .expect("the client builds");
    let revocation = Revocation::builder().certificate_id(CERTIFICATE_ID).build().expect("the request is valid");

    // The first request opens the connection and completes the TLS handshake.
    revoke_once(&client, &revocation);
    let started = Instant::now();
    for _ in 0..requests {
        revoke_once(&client, &revocation);
    }
    let elapsed = started.elapsed();

    println!(
        "rust_api requests={requests} seconds={:.3} per_second={:.1}",
        elapsed.as_secs_f64(),
        f64::from(requests) / elapsed.as_secs_f64().max(Duration::from_nanos(1).as_secs_f64())
    );
}

fn revoke_once(client: &Client, revocation: &Revocation) {
    let outcome = client.revoke(revocation).expect("the simulator responds");
    assert_eq!(outcome.kind(), OutcomeKind::AlreadyRevoked);
}
