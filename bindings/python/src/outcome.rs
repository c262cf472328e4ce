//! The outcome a revocation returns, and the redacted request a dry run returns.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyString, PyType};

use sectigo_revoke::OutcomeKind;

/// The result of a revocation that left the certificate no longer usable.
///
/// "Accepted" means the API took the request. Sectigo's CPS promises OCSP within one
/// hour and CRLs within 24 hours, so the certificate may still show as valid for a
/// while. `str()` gives a one-line summary, and outcomes compare equal when every
/// attribute does.
#[pyclass(frozen, eq, module = "sectigo_revoke._native", name = "Outcome")]
#[derive(PartialEq)]
pub(crate) struct Outcome {
    inner: sectigo_revoke::Outcome,
}

impl Outcome {
    pub(crate) fn new(inner: sectigo_revoke::Outcome) -> Self {
        Outcome { inner }
    }
}

#[pymethods]
impl Outcome {
    /// The way the revocation ended, as an `OutcomeKind` member.
    #[getter]
    fn kind<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        static OUTCOME_KIND: PyOnceLock<Py<PyType>> = PyOnceLock::new();

        let value = match self.inner.kind() {
            OutcomeKind::Accepted => "accepted",
            OutcomeKind::AlreadyRevoked => "already_revoked",
            OutcomeKind::AlreadyRejected => "already_rejected",
            OutcomeKind::Expired => "expired",
            other => {
                return Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "outcome {other} has no OutcomeKind member; update the sectigo_revoke package"
                )));
            }
        };
        OUTCOME_KIND.import(py, "sectigo_revoke._types", "OutcomeKind")?.call1((value,))
    }

    /// The API code: 0, -20, -21 or -35.
    #[getter]
    fn code(&self) -> i32 {
        self.inner.code()
    }

    /// The server's message, when it sent one.
    #[getter]
    fn message(&self) -> Option<&str> {
        self.inner.message()
    }

    /// The parameter that carried the certificate identifier: `orderNumber`,
    /// `certificateID` or `serialNumber`.
    #[getter]
    fn identifier_name(&self) -> &'static str {
        self.inner.identifier().field().name()
    }

    /// The identifier as sent, a serial number normalised to upper-case hex digits.
    #[getter]
    fn identifier_value(&self) -> String {
        self.inner.identifier().value()
    }

    /// The HTTP status of the response.
    #[getter]
    fn http_status(&self) -> u16 {
        self.inner.http_status()
    }

    /// True when the request was sent with `test=Y`, so nothing was revoked.
    #[getter]
    fn test_mode(&self) -> bool {
        self.inner.test_mode()
    }

    /// The number of requests the call sent, counting retries.
    #[getter]
    fn attempts(&self) -> u32 {
        self.inner.attempts()
    }

    /// True when the certificate was already revoked, rejected or expired before this
    /// call.
    #[getter]
    fn already_final(&self) -> bool {
        self.inner.kind().is_already_final()
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let kind = self.kind(py)?;
        Ok(format!(
            "Outcome(kind=OutcomeKind.{}, code={}, identifier_name={}, identifier_value={}, http_status={}, test_mode={}, attempts={})",
            kind.getattr("name")?,
            self.code(),
            python_repr(py, self.identifier_name())?,
            python_repr(py, &self.identifier_value())?,
            self.http_status(),
            python_bool(self.test_mode()),
            self.attempts(),
        ))
    }
}

/// The exact request a revocation would send, with the password replaced by `********`.
///
/// `str()` gives the request as it goes on the wire.
#[pyclass(frozen, module = "sectigo_revoke._native", name = "DryRun")]
pub(crate) struct DryRun {
    inner: sectigo_revoke::DryRun,
}

impl DryRun {
    pub(crate) fn new(inner: sectigo_revoke::DryRun) -> Self {
        DryRun { inner }
    }
}

#[pymethods]
impl DryRun {
    /// The HTTP method, always `POST`.
    #[getter]
    fn method(&self) -> &'static str {
        self.inner.method()
    }

    /// The endpoint URL.
    #[getter]
    fn url(&self) -> &str {
        self.inner.url()
    }

    /// The request headers that the client sets.
    #[getter]
    fn headers(&self) -> Vec<(&'static str, String)> {
        self.inner.headers().into_iter().map(|(name, value)| (name, value.to_owned())).collect()
    }

    /// The form-encoded body, with the password redacted.
    #[getter]
    fn body(&self) -> &str {
        self.inner.body()
    }

    /// The body's parameters, decoded, in the order they are sent.
    #[getter]
    fn parameters(&self) -> Vec<(String, String)> {
        self.inner.parameters()
    }

    /// Formats the request as it goes on the wire: request line, headers, blank line,
    /// body.
    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "DryRun(method={}, url={}, body={})",
            python_repr(py, self.inner.method())?,
            python_repr(py, self.inner.url())?,
            python_repr(py, self.inner.body())?
        ))
    }
}

/// Quotes text the way Python's `repr()` does.
fn python_repr(py: Python<'_>, text: &str) -> PyResult<String> {
    Ok(PyString::new(py, text).repr()?.to_str()?.to_owned())
}

fn python_bool(value: bool) -> &'static str {
    if value {
        "True"
    } else {
        "False"
    }
}
