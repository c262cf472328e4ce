//! Helpers shared by the integration tests: a simulator per test and a client that
//! trusts it, with environment proxies switched off.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use sectigo_revoke::{Client, ClientBuilder, Credentials, ProxySetting, RootStore};
use sectigo_revoke_simulator::{Simulator, SimulatorConfig};

/// A password with every character that naive form encoding gets wrong. Tests check
/// that it never appears in output, and scripts/check-canary searches everything the
/// test suite wrote for it. Every test suite of the project uses this same password.
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

/// The variable naming a folder where tests leave what they write; scripts/test sets
/// it so that scripts/check-canary can search the files for the password.
pub const OUTPUT_DIR_VARIABLE: &str = "SECTIGO_TEST_OUTPUT_DIR";

/// A folder for a test's outputs (journals, reports, logs). It is kept under
/// `SECTIGO_TEST_OUTPUT_DIR` when that variable is set, and otherwise is a temporary
/// folder removed when dropped.
pub struct OutputDir {
    path: PathBuf,
    _temporary: Option<tempfile::TempDir>,
}

impl OutputDir {
    pub fn new(label: &str) -> Self {
        let Some(root) = std::env::var_os(OUTPUT_DIR_VARIABLE).filter(|root| !root.is_empty()) else {
            let temporary = tempfile::tempdir().expect("a temporary folder can be created");
            return OutputDir { path: temporary.path().to_owned(), _temporary: Some(temporary) };
        };
        let path = PathBuf::from(root).join(format!("rust-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("the output folder can be created");
        OutputDir { path, _temporary: None }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}
