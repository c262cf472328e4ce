//! Helpers shared by the integration tests: a simulator per test and a client that
//! trusts it, with environment proxies switched off.

#![allow(dead_code)]

use std::time::Duration;

use sectigo_revoke::{Client, ClientBuilder, Credentials, ProxySetting, RootStore};
use sectigo_revoke_simulator::{Simulator, SimulatorConfig};

/// A password with every character that naive form encoding gets wrong; tests also
/// check that it never appears in output.
pub const CANARY_PASSWORD: &str = "canary+&=%/ pässwörd-7f3a";
pub const LOGIN_NAME: &str = "integration-user";

pub fn config() -> SimulatorConfig {
    SimulatorConfig::new(LOGIN_NAME, CANARY_PASSWORD)
}

pub fn start(config: SimulatorConfig) -> Simulator {
    Simulator::start(config).expect("simulator starts on loopback")
}

pub fn builder_for(simulator: &Simulator) -> ClientBuilder {
    Client::builder(Credentials::new(LOGIN_NAME, CANARY_PASSWORD).unwrap())
        .endpoint(simulator.endpoint())
        .root_store(RootStore::CaBundlePem(simulator.ca_pem().as_bytes().to_vec()))
        .proxy(ProxySetting::None)
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(10))
}

pub fn client_for(simulator: &Simulator) -> Client {
    builder_for(simulator).build().expect("client builds")
}
