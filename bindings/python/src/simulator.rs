//! The Rust endpoint simulator, as `sectigo_revoke.testing.Simulator` calls it.
//!
//! Every method that reaches the simulator's state runs with the interpreter
//! detached: the simulator's connection threads log through Python's `logging`, and a
//! thread that holds the interpreter while it waits for the state lock would deadlock
//! with a connection thread that holds the lock while it waits for the interpreter.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use sectigo_revoke_simulator::{CallLimit, Catalogue, CertificateState, Fault, ServerCertificate, SimulatorConfig};

/// A running simulated endpoint on a loopback port.
#[pyclass(frozen, module = "sectigo_revoke._native", name = "Simulator")]
pub(crate) struct Simulator {
    inner: Mutex<sectigo_revoke_simulator::Simulator>,
    endpoint: String,
    ca_pem: String,
    port: u16,
}

#[pymethods]
impl Simulator {
    #[new]
    #[pyo3(signature = (
        *, login_name, password, latency, max_calls, call_window, accept_unknown, catalogue, server_certificate
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        login_name: String,
        password: String,
        latency: f64,
        max_calls: Option<u32>,
        call_window: f64,
        accept_unknown: bool,
        catalogue: Option<PathBuf>,
        server_certificate: &str,
    ) -> PyResult<Self> {
        let mut config = SimulatorConfig::new(login_name, password);
        config.latency = seconds("latency", latency)?;
        if let Some(max_calls) = max_calls {
            config.call_limit = Some(CallLimit { max_calls, window: seconds("call_window", call_window)? });
        }
        if let Some(path) = catalogue {
            config.catalogue = Catalogue::from_json_file(&path).map_err(PyValueError::new_err)?;
        }
        config.catalogue.accept_unknown |= accept_unknown;
        config.server_certificate = match server_certificate {
            "valid" => ServerCertificate::Valid,
            "expired" => ServerCertificate::Expired,
            "wrong_host" => ServerCertificate::WrongHost,
            other => {
                return Err(PyValueError::new_err(format!(
                    "server_certificate {other:?} is not one of \"valid\", \"expired\", \"wrong_host\""
                )));
            }
        };

        let simulator = py.detach(|| sectigo_revoke_simulator::Simulator::start(config))?;
        Ok(Simulator {
            endpoint: simulator.endpoint(),
            ca_pem: simulator.ca_pem().to_owned(),
            port: simulator.address().port(),
            inner: Mutex::new(simulator),
        })
    }

    #[getter]
    fn endpoint(&self) -> &str {
        &self.endpoint
    }

    #[getter]
    fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    #[getter]
    fn port(&self) -> u16 {
        self.port
    }

    #[getter]
    fn connection_count(&self, py: Python<'_>) -> u64 {
        py.detach(|| self.lock().connection_count())
    }

    fn write_ca_pem(&self, path: PathBuf) -> PyResult<()> {
        std::fs::write(&path, &self.ca_pem).map_err(|error| {
            pyo3::exceptions::PyOSError::new_err(format!("cannot write the CA file {}: {error}", path.display()))
        })
    }

    /// Returns the request log as JSON, which the Python wrapper turns into objects.
    fn requests_json(&self, py: Python<'_>) -> PyResult<String> {
        let requests = py.detach(|| self.lock().requests());
        serde_json::to_string(&requests).map_err(|error| PyValueError::new_err(error.to_string()))
    }

    /// Queues a fault given as JSON in the simulator's own format, such as
    /// `{"kind": "slow_reply", "delay_ms": 300}`, for the next `count` requests.
    fn inject_fault(&self, py: Python<'_>, fault_json: &str, count: usize) -> PyResult<()> {
        let fault: Fault = serde_json::from_str(fault_json)
            .map_err(|error| PyValueError::new_err(format!("invalid fault {fault_json}: {error}")))?;
        py.detach(|| self.lock().inject_fault(fault, count));
        Ok(())
    }

    fn certificate_state(&self, py: Python<'_>, certificate_id: u64) -> Option<&'static str> {
        let state = py.detach(|| self.lock().state_of_certificate_id(certificate_id))?;
        Some(match state {
            CertificateState::Issued => "issued",
            CertificateState::Pending => "pending",
            CertificateState::Issuing => "issuing",
            CertificateState::Replaced => "replaced",
            CertificateState::Revoked => "revoked",
            CertificateState::Rejected => "rejected",
            CertificateState::Expired => "expired",
        })
    }

    /// Stops accepting connections. Calling it again does nothing.
    fn stop(&self, py: Python<'_>) {
        py.detach(|| self.lock().stop());
    }
}

impl Simulator {
    fn lock(&self) -> MutexGuard<'_, sectigo_revoke_simulator::Simulator> {
        // The guarded calls do not panic halfway through a change, so a poisoned lock
        // still guards a consistent simulator.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn seconds(argument: &str, value: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(value)
        .map_err(|_| PyValueError::new_err(format!("{argument} {value:?} is not a non-negative number of seconds")))
}
