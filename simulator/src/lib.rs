//! A faithful stand-in for Sectigo's `!AutoRevokeCertificate` endpoint, served over
//! HTTPS on a loopback port, for running the whole revocation flow and its tests
//! without a Sectigo account.
//!
//! The simulator generates a CA and a server certificate at start-up; point the client
//! at [`Simulator::endpoint`] and trust [`Simulator::ca_pem`]. It checks parameters the
//! way the API documents them (-2 unknown argument, -3 missing, -4 invalid, with
//! `errorItem` in the URL-encoded format), checks the credentials (-16), rejects a GET
//! with -17, and keeps a [`Catalogue`] of certificates whose states change as they are
//! revoked. Latency, a call limit (-42) and [`Fault`]s make it misbehave on purpose.
//!
//! ```
//! use sectigo_revoke::{Client, Credentials, OutcomeKind, ProxySetting, RootStore, Revocation};
//! use sectigo_revoke_simulator::{Simulator, SimulatorConfig};
//!
//! let simulator = Simulator::start(SimulatorConfig::new("api-user", "pw+&1"))?;
//! let client = Client::builder(Credentials::new("api-user", "pw+&1")?)
//!     .endpoint(simulator.endpoint())
//!     .root_store(RootStore::CaBundlePem(simulator.ca_pem().as_bytes().to_vec()))
//!     .proxy(ProxySetting::None)
//!     .build()?;
//! let revocation = Revocation::builder().certificate_id(2000001).build()?;
//! assert_eq!(client.revoke(&revocation)?.kind(), OutcomeKind::Accepted);
//! assert_eq!(client.revoke(&revocation)?.kind(), OutcomeKind::AlreadyRevoked);
//! assert_eq!(simulator.requests().len(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![deny(missing_docs)]

mod catalogue;
mod endpoint;
mod fault;
mod http;
mod server;
mod tls;

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

pub use catalogue::{Catalogue, CatalogueEntry, CertificateState, MAX_CATALOGUE_BYTES};
pub use fault::Fault;
pub use server::LoggedRequest;
pub use tls::ServerCertificate;

/// Serial of the shipped certificate whose top bit is set, so DER adds a `00` byte.
pub const SHIPPED_SERIAL_TOP_BIT: &str = "00E3A15C7D902B4F61880CD237A94E15F6";
/// Serial of the shipped certificate whose 16 random bytes start with a zero byte.
pub const SHIPPED_SERIAL_LEADING_ZERO: &str = "004D2C6E1F0A9B8C7D6E5F4031223344";
/// Serial of the shipped certificate with neither property.
pub const SHIPPED_SERIAL_PLAIN: &str = "3C5A7E9102B4D6F8193A5C7E90B2D4F6";

/// The login name the simulator accepts unless configured otherwise.
pub const DEFAULT_LOGIN_NAME: &str = "demo";
/// The password the simulator accepts unless configured otherwise.
pub const DEFAULT_PASSWORD: &str = "demo-password";

/// A limit on calls per time window; calls over it get -42.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallLimit {
    /// Calls allowed per window.
    pub max_calls: u32,
    /// The sliding window.
    pub window: Duration,
}

/// How a [`Simulator`] behaves.
#[derive(Clone, Debug)]
pub struct SimulatorConfig {
    /// The accepted `loginName`.
    pub login_name: String,
    /// The accepted `loginPassword`.
    pub password: String,
    /// The certificates and their states. Defaults to [`Catalogue::builtin`].
    pub catalogue: Catalogue,
    /// Added before every response. Defaults to zero.
    pub latency: Duration,
    /// Defaults to none.
    pub call_limit: Option<CallLimit>,
    /// A fault applied to every request. Defaults to none.
    pub fault: Option<Fault>,
    /// Defaults to [`ServerCertificate::Valid`].
    pub server_certificate: ServerCertificate,
    /// The address to listen on; it must be a loopback address. Defaults to
    /// `127.0.0.1:0`, a free port.
    pub bind: SocketAddr,
    /// A file that receives every request as one JSON line, password redacted.
    pub log_file: Option<PathBuf>,
}

impl SimulatorConfig {
    /// A configuration that accepts these credentials, with the built-in catalogue.
    pub fn new(login_name: impl Into<String>, password: impl Into<String>) -> Self {
        SimulatorConfig {
            login_name: login_name.into(),
            password: password.into(),
            catalogue: Catalogue::builtin(),
            latency: Duration::ZERO,
            call_limit: None,
            fault: None,
            server_certificate: ServerCertificate::Valid,
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            log_file: None,
        }
    }
}

impl Default for SimulatorConfig {
    fn default() -> Self {
        SimulatorConfig::new(DEFAULT_LOGIN_NAME, DEFAULT_PASSWORD)
    }
}

/// A running simulated endpoint. Stops when dropped.
pub struct Simulator {
    address: SocketAddr,
    ca_pem: String,
    shared: Arc<server::Shared>,
    accept_thread: Option<JoinHandle<()>>,
}

impl Simulator {
    /// Generates the certificates, binds the address and starts responding.
    pub fn start(config: SimulatorConfig) -> io::Result<Simulator> {
        if !config.bind.ip().is_loopback() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{} is not a loopback address; the simulator listens on 127.0.0.1 or ::1 only",
                    config.bind.ip()
                ),
            ));
        }

        let identity = tls::Identity::generate(config.server_certificate).map_err(io::Error::other)?;
        let log_file = match &config.log_file {
            Some(path) => Some(std::fs::File::create(path).map_err(|error| {
                io::Error::new(error.kind(), format!("cannot create the request log {}: {error}", path.display()))
            })?),
            None => None,
        };
        let listener = TcpListener::bind(config.bind)?;
        let address = listener.local_addr()?;

        let state = server::State::new(config.catalogue.clone(), log_file);
        let shared = Arc::new(server::Shared {
            config,
            state: Mutex::new(state),
            stopping: Default::default(),
            connections: Default::default(),
        });
        let accept_shared = Arc::clone(&shared);
        let tls_config = identity.server_config;
        let accept_thread = std::thread::Builder::new()
            .name("simulator-accept".into())
            .spawn(move || server::accept_loop(listener, accept_shared, tls_config))?;

        log::info!("simulator listening on {address}");
        Ok(Simulator { address, ca_pem: identity.ca_pem, shared, accept_thread: Some(accept_thread) })
    }

    /// Returns the socket address the simulator listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Returns the endpoint URL, such as
    /// `https://127.0.0.1:40123/products/!AutoRevokeCertificate`.
    pub fn endpoint(&self) -> String {
        format!("{}/products/!AutoRevokeCertificate", self.base_url())
    }

    /// Returns `https://` and the address, without a path.
    pub fn base_url(&self) -> String {
        match self.address {
            SocketAddr::V4(address) => format!("https://{address}"),
            SocketAddr::V6(address) => format!("https://[{}]:{}", address.ip(), address.port()),
        }
    }

    /// Returns the generated CA certificate in PEM, for the client's CA bundle.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// Writes the CA certificate to a PEM file.
    pub fn write_ca_pem(&self, path: &Path) -> io::Result<()> {
        std::fs::write(path, &self.ca_pem)
    }

    /// Returns every request received so far, in order.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared.lock().log.clone()
    }

    /// Returns how many TCP connections the simulator has accepted.
    pub fn connection_count(&self) -> u64 {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// Applies `fault` to each of the next `count` requests, before any fault set in
    /// the configuration or the catalogue.
    pub fn inject_fault(&self, fault: Fault, count: usize) {
        let mut state = self.shared.lock();
        for _ in 0..count {
            state.injected.push_back(fault.clone());
        }
    }

    /// Returns a copy of the catalogue with the current states.
    pub fn catalogue(&self) -> Catalogue {
        self.shared.lock().catalogue.clone()
    }

    /// Returns the state of the certificate with this certificate ID.
    pub fn state_of_certificate_id(&self, certificate_id: u64) -> Option<CertificateState> {
        let state = self.shared.lock();
        state
            .catalogue
            .certificates
            .iter()
            .find(|entry| entry.certificate_id == certificate_id)
            .map(|entry| entry.state)
    }

    /// Stops accepting connections and waits for the accept thread to end.
    /// Connections already open end at their next request.
    pub fn stop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Wakes the accept loop, which checks the flag after each connection.
        let _ = TcpStream::connect_timeout(&self.address, Duration::from_secs(1));
        if let Some(thread) = self.accept_thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.stop();
    }
}
