//! The client and the revocation request, as the Python package's `Client` wrapper
//! calls them.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt, PyString};

use sectigo_revoke::{
    CertificateIdentifier, Credentials, Field, ProxySetting, Reason, RetryPolicy, RootStore, MAX_ATTEMPTS,
};

use crate::batch::{self, BatchInput, BatchJob, BatchReport};
use crate::errors::{Error, Result};
use crate::outcome::{DryRun, Outcome};

/// The highest `retries` value: every attempt but the first is a retry.
pub(crate) const MAX_RETRIES: u32 = MAX_ATTEMPTS - 1;

/// A client with its settings validated and its trust roots loaded.
#[pyclass(frozen, module = "sectigo_revoke._native", name = "Client")]
pub(crate) struct Client {
    inner: sectigo_revoke::Client,
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (
        login_name, login_password, *, endpoint, timeout, connect_timeout, ca_bundle, use_system_roots,
        proxy_url, proxy_from_environment, retries
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        login_name: &Bound<'_, PyAny>,
        login_password: &Bound<'_, PyAny>,
        endpoint: &Bound<'_, PyAny>,
        timeout: &Bound<'_, PyAny>,
        connect_timeout: &Bound<'_, PyAny>,
        ca_bundle: Option<&Bound<'_, PyAny>>,
        use_system_roots: &Bound<'_, PyAny>,
        proxy_url: Option<String>,
        proxy_from_environment: bool,
        retries: &Bound<'_, PyAny>,
    ) -> Result<Self> {
        let login_name: String = argument("login_name", login_name)?;
        let login_password: String = argument("login_password", login_password)?;
        let credentials = Credentials::new(login_name, login_password)?;
        let ca_bundle: Option<PathBuf> = ca_bundle.map(|path| argument("ca_bundle", path)).transpose()?;
        let root_store = root_store(ca_bundle, argument("use_system_roots", use_system_roots)?)?;
        let proxy = match (proxy_url, proxy_from_environment) {
            (Some(url), _) => ProxySetting::Url(url),
            (None, true) => ProxySetting::Environment,
            (None, false) => ProxySetting::None,
        };

        let builder = sectigo_revoke::Client::builder(credentials)
            .endpoint(argument::<String>("endpoint", endpoint)?)
            .timeout(seconds("timeout", argument("timeout", timeout)?)?)
            .connect_timeout(seconds("connect_timeout", argument("connect_timeout", connect_timeout)?)?)
            .root_store(root_store)
            .proxy(proxy)
            .retry(retry_policy(argument("retries", retries)?)?);

        // Building reads the CA bundle or the system trust store from disk.
        let inner = py.detach(|| builder.build())?;
        Ok(Client { inner })
    }

    #[getter]
    fn login_name(&self) -> &str {
        self.inner.login_name()
    }

    #[getter]
    fn endpoint(&self) -> &str {
        self.inner.endpoint()
    }

    /// Sends the revocation with the interpreter detached, so other Python threads run
    /// while this one waits for the network.
    fn revoke(&self, py: Python<'_>, revocation: &Revocation) -> Result<Outcome> {
        let outcome = py.detach(|| self.inner.revoke(&revocation.inner))?;
        Ok(Outcome::new(outcome))
    }

    fn dry_run(&self, revocation: &Revocation) -> DryRun {
        DryRun::new(self.inner.dry_run(&revocation.inner))
    }

    /// Plans the rows or the file and sends them with the interpreter detached; see
    /// `crate::batch::revoke_many`.
    #[pyo3(signature = (
        *, path, rows, journal, concurrency, rate, retry_unknown, reason, comment, test_mode, on_progress, dry_run
    ))]
    #[allow(clippy::too_many_arguments)]
    fn revoke_many(
        &self,
        py: Python<'_>,
        path: Option<PathBuf>,
        rows: Option<&Bound<'_, PyAny>>,
        journal: Option<PathBuf>,
        concurrency: i64,
        rate: Option<f64>,
        retry_unknown: bool,
        reason: Option<i64>,
        comment: Option<String>,
        test_mode: bool,
        on_progress: Option<Py<PyAny>>,
        dry_run: bool,
    ) -> Result<BatchReport> {
        let input = match (path, rows) {
            (Some(path), None) => BatchInput::File(path),
            (None, Some(rows)) => BatchInput::Rows(batch::collect_rows(rows)?),
            _ => return Err(Error::Type("give exactly one of path and rows".into())),
        };
        let job = BatchJob::new(input, journal, concurrency, rate, retry_unknown, reason, comment, test_mode, dry_run)?;
        batch::revoke_many(py, &self.inner, job, on_progress)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let login_name = PyString::new(py, self.inner.login_name()).repr()?;
        let endpoint = PyString::new(py, self.inner.endpoint()).repr()?;
        Ok(format!("Client(login_name={login_name}, endpoint={endpoint})"))
    }
}

fn root_store(ca_bundle: Option<PathBuf>, use_system_roots: bool) -> Result<RootStore> {
    match (ca_bundle, use_system_roots) {
        (Some(_), true) => Err(Error::Argument {
            field: Field::CaBundle,
            argument: "ca_bundle",
            problem: "given together with use_system_roots=True; choose one of the two".into(),
        }),
        (Some(path), false) => Ok(RootStore::CaBundle(path)),
        (None, true) => Ok(RootStore::System),
        (None, false) => Ok(RootStore::Mozilla),
    }
}

fn seconds(argument: &'static str, value: f64) -> Result<Duration> {
    Duration::try_from_secs_f64(value).map_err(|_| Error::Argument {
        field: Field::Timeout,
        argument,
        problem: format!("{value:?} is not a number of seconds; give a positive number such as 10"),
    })
}

fn retry_policy(retries: i64) -> Result<RetryPolicy> {
    let attempts = u32::try_from(retries).ok().filter(|retries| *retries <= MAX_RETRIES).map(|retries| retries + 1);
    match attempts {
        Some(1) => Ok(RetryPolicy::none()),
        Some(attempts) => Ok(RetryPolicy::new(attempts)?),
        None => Err(Error::Argument {
            field: Field::Retry,
            argument: "retries",
            problem: format!("{retries} is outside 0 to {MAX_RETRIES}; use 0 for no retries"),
        }),
    }
}

/// A validated revocation request: everything but the credentials.
#[pyclass(frozen, module = "sectigo_revoke._native", name = "Revocation")]
pub(crate) struct Revocation {
    inner: sectigo_revoke::Revocation,
}

#[pymethods]
impl Revocation {
    #[new]
    #[pyo3(signature = (
        *, order_number, certificate_id, serial_number, reason, comment, account_id, product_code, product,
        test_mode, include_in_crl
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        order_number: Option<&Bound<'_, PyAny>>,
        certificate_id: Option<&Bound<'_, PyAny>>,
        serial_number: Option<&Bound<'_, PyAny>>,
        reason: i64,
        comment: Option<&Bound<'_, PyAny>>,
        account_id: Option<&Bound<'_, PyAny>>,
        product_code: Option<&Bound<'_, PyAny>>,
        product: Option<&Bound<'_, PyAny>>,
        test_mode: &Bound<'_, PyAny>,
        include_in_crl: &Bound<'_, PyAny>,
    ) -> Result<Self> {
        let mut builder = sectigo_revoke::Revocation::builder()
            .reason(Reason::from_code(reason)?)
            .test_mode(argument("test_mode", test_mode)?)
            .include_in_crl(argument("include_in_crl", include_in_crl)?);

        if let Some(value) = order_number {
            let text = decimal_text("order_number", value)?;
            if let CertificateIdentifier::OrderNumber(number) = CertificateIdentifier::parse_order_number(&text)? {
                builder = builder.order_number(number);
            }
        }
        if let Some(value) = certificate_id {
            let text = decimal_text("certificate_id", value)?;
            if let CertificateIdentifier::CertificateId(id) = CertificateIdentifier::parse_certificate_id(&text)? {
                builder = builder.certificate_id(id);
            }
        }
        if let Some(value) = serial_number {
            let text = value.cast::<PyString>().map_err(|_| {
                Error::Type(format!("serial_number must be a str of hex digits, not {}", type_name(value)))
            })?;
            builder = builder.serial_number(text.to_str()?);
        }
        if let Some(value) = comment {
            builder = builder.comment(argument::<String>("comment", value)?);
        }
        if let Some(value) = account_id {
            builder = builder.account_id(unsigned(Field::AccountId, "account_id", value)?);
        }
        if let Some(value) = product_code {
            builder = builder.product_code(argument::<String>("product_code", value)?);
        }
        if let Some(value) = product {
            builder = builder.product(unsigned(Field::Product, "product", value)?);
        }

        Ok(Revocation { inner: builder.build()? })
    }

    fn __repr__(&self) -> String {
        format!("Revocation({}, reason={})", self.inner.identifier(), self.inner.reason())
    }
}

/// Extracts an argument, naming it in the `TypeError`: PyO3 names the argument only in
/// a note, which `str(error)` leaves out.
fn argument<'a, 'py, T>(name: &str, value: &'a Bound<'py, PyAny>) -> Result<T>
where
    T: FromPyObject<'a, 'py>,
{
    value.extract::<T>().map_err(|error| {
        let error: PyErr = error.into();
        Error::Type(format!("{name}: {}", error.value(value.py())))
    })
}

/// Returns the decimal text of an `int` or a `str` argument, for the core's parsers.
/// `bool` is rejected although it is an `int` in Python, because `True` would read as 1.
fn decimal_text(argument: &str, value: &Bound<'_, PyAny>) -> Result<String> {
    if value.is_instance_of::<PyInt>() && !value.is_instance_of::<PyBool>() {
        return Ok(value.str()?.to_str()?.to_owned());
    }
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(text.to_str()?.to_owned());
    }
    Err(Error::Type(format!("{argument} must be an int or a str of decimal digits, not {}", type_name(value))))
}

/// Returns an `int` argument that the API takes as an unsigned integer.
fn unsigned(field: Field, argument: &'static str, value: &Bound<'_, PyAny>) -> Result<u64> {
    if !value.is_instance_of::<PyInt>() || value.is_instance_of::<PyBool>() {
        return Err(Error::Type(format!("{argument} must be an int, not {}", type_name(value))));
    }
    value.extract::<u64>().map_err(|_| Error::Argument {
        field,
        argument,
        problem: format!("{value} is not between 0 and {}; give the number from the Sectigo account", u64::MAX),
    })
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value.get_type().name().map(|name| name.to_string()).unwrap_or_else(|_| "an unknown type".into())
}

/// Parses a reason code or name with the core's rules, for `Reason._missing_`.
#[pyfunction]
pub(crate) fn parse_reason(text: &str) -> Result<u8> {
    Ok(Reason::from_str(text)?.code())
}
