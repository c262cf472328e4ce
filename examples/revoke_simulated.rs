//! Revokes one certificate against the simulator on a loopback port and prints the
//! typed outcome. Run with `cargo run --example revoke_simulated`.

use sectigo_revoke::{Client, Credentials, OutcomeKind, ProxySetting, Reason, Revocation, RootStore};
use sectigo_revoke_simulator::{Simulator, SimulatorConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let simulator = Simulator::start(SimulatorConfig::new("api-user", "s3cret+&="))?;

    let client = Client::builder(Credentials::new("api-user", "s3cret+&=")?)
        .endpoint(simulator.endpoint())
        .root_store(RootStore::CaBundlePem(simulator.ca_pem().as_bytes().to_vec()))
        .proxy(ProxySetting::None)
        .build()?;
    let revocation = Revocation::builder()
        .serial_number("00:e3:a1:5c:7d:90:2b:4f:61:88:0c:d2:37:a9:4e:15:f6")
        .reason(Reason::KeyCompromise)
        .build()?;

    for _ in 0..2 {
        let outcome = client.revoke(&revocation)?;
        let verdict = if outcome.kind() == OutcomeKind::Accepted { "revoked now" } else { "nothing left to do" };
        println!("{outcome} (code {}): {verdict}", outcome.code());
    }
    Ok(())
}
