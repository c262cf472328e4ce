//! The binding's error type, and its one conversion into the exception classes that
//! the pure-Python module `sectigo_revoke._errors` defines.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};

use sectigo_revoke::{ApiErrorKind, Field, NotSentCause, UnknownCause};

/// The result of every fallible binding function.
pub(crate) type Result<T> = std::result::Result<T, Error>;

/// Everything a binding function can fail with.
pub(crate) enum Error {
    /// An error from the core library.
    Core(sectigo_revoke::Error),
    /// A value of the right Python type that the core's types cannot hold, such as a
    /// negative account ID.
    Argument {
        /// The field, as the core names it in its own validation errors.
        field: Field,
        /// The Python argument that carried the value.
        argument: &'static str,
        /// The problem with the value, and what to give instead.
        problem: String,
    },
    /// A value of the wrong Python type.
    Type(String),
    /// An exception raised by Python code that the binding called.
    Python(PyErr),
    /// An error that stopped a batch as a whole.
    Batch(sectigo_revoke::batch::BatchError),
}

impl From<sectigo_revoke::batch::BatchError> for Error {
    fn from(error: sectigo_revoke::batch::BatchError) -> Self {
        Error::Batch(error)
    }
}

impl From<sectigo_revoke::Error> for Error {
    fn from(error: sectigo_revoke::Error) -> Self {
        Error::Core(error)
    }
}

impl From<sectigo_revoke::InvalidRequest> for Error {
    fn from(invalid: sectigo_revoke::InvalidRequest) -> Self {
        Error::Core(sectigo_revoke::Error::InvalidRequest(invalid))
    }
}

impl From<PyErr> for Error {
    fn from(error: PyErr) -> Self {
        Error::Python(error)
    }
}

impl From<Error> for PyErr {
    fn from(error: Error) -> PyErr {
        Python::attach(|py| match error {
            Error::Core(core) => core_exception(py, &core),
            Error::Argument { field, argument, problem } => invalid_request(py, field, Some(argument), &problem),
            Error::Type(message) => PyTypeError::new_err(message),
            Error::Python(error) => error,
            Error::Batch(batch) => batch_exception(py, &batch),
        })
    }
}

/// Builds the exception for a variant of the core error. Variants added to the core
/// later arrive as the base class, `SectigoError`, with the core's message.
fn core_exception(py: Python<'_>, error: &sectigo_revoke::Error) -> PyErr {
    use sectigo_revoke::Error as Core;

    let text = error.to_string();
    match error {
        Core::InvalidRequest(invalid) => {
            invalid_request(py, invalid.field(), argument_for(invalid.field()), invalid.problem())
        }
        Core::Api(api) => {
            let class = match api.kind() {
                ApiErrorKind::Authentication | ApiErrorKind::PermissionDenied => "AuthenticationError",
                _ => "ApiError",
            };
            exception(py, class, &text, |attributes| {
                attributes.set_item("code", api.code())?;
                attributes.set_item("message", api.message())?;
                attributes.set_item("item", api.item())?;
                attributes.set_item("http_status", api.http_status())
            })
        }
        Core::RateLimited { api_code, http_status, retry_after } => {
            exception(py, "RateLimitedError", &text, |attributes| {
                attributes.set_item("code", *api_code)?;
                attributes.set_item("http_status", *http_status)?;
                attributes.set_item("retry_after", retry_after.map(|pause| pause.as_secs_f64()))
            })
        }
        Core::NotSent { endpoint, cause } => {
            let (name, detail) = not_sent_cause(cause);
            exception(py, "TransportError", &text, |attributes| {
                attributes.set_item("endpoint", endpoint)?;
                attributes.set_item("cause", name)?;
                attributes.set_item("detail", detail)
            })
        }
        Core::Redirected { status, location } => exception(py, "RedirectError", &text, |attributes| {
            attributes.set_item("http_status", *status)?;
            attributes.set_item("location", location)
        }),
        Core::OutcomeUnknown { cause, http_status } => {
            let (name, detail) = unknown_cause(cause);
            exception(py, "OutcomeUnknownError", &text, |attributes| {
                attributes.set_item("cause", name)?;
                attributes.set_item("detail", detail)?;
                attributes.set_item("http_status", *http_status)
            })
        }
        _ => exception(py, "SectigoError", &text, |_| Ok(())),
    }
}

/// Builds the exception for an error that stopped a batch. Variants added to the core
/// later arrive as the base class, `BatchError`, with the core's message.
fn batch_exception(py: Python<'_>, error: &sectigo_revoke::batch::BatchError) -> PyErr {
    use sectigo_revoke::batch::BatchError as Batch;

    let text = error.to_string();
    match error {
        Batch::Input { origin, line, problem } => exception(py, "BatchInputError", &text, |attributes| {
            attributes.set_item("origin", origin)?;
            attributes.set_item("line", (*line > 0).then_some(*line))?;
            attributes.set_item("problem", problem)
        }),
        Batch::Journal { path, .. } => {
            exception(py, "JournalError", &text, |attributes| attributes.set_item("path", path))
        }
        Batch::JournalInUse { path } => {
            exception(py, "JournalInUseError", &text, |attributes| attributes.set_item("path", path))
        }
        Batch::InputChanged { journal, recorded, found, .. } => {
            exception(py, "JournalMismatchError", &text, |attributes| {
                attributes.set_item("path", journal)?;
                attributes.set_item("setting", "input_sha256")?;
                attributes.set_item("recorded", recorded)?;
                attributes.set_item("given", found)
            })
        }
        Batch::SettingChanged { journal, setting, recorded, given } => {
            exception(py, "JournalMismatchError", &text, |attributes| {
                attributes.set_item("path", journal)?;
                attributes.set_item("setting", setting)?;
                attributes.set_item("recorded", unquoted(recorded))?;
                attributes.set_item("given", unquoted(given))
            })
        }
        Batch::InvalidOption { option, problem } => {
            let text = format!("invalid {option}: {problem}");
            exception(py, "InvalidRequestError", &text, |attributes| {
                attributes.set_item("field", option)?;
                attributes.set_item("problem", problem)?;
                // Only these two run options are arguments of revoke_many.
                attributes.set_item("argument", matches!(*option, "concurrency" | "rate").then_some(*option))
            })
        }
        Batch::Report { path, .. } => {
            exception(py, "ReportError", &text, |attributes| attributes.set_item("path", path))
        }
        _ => exception(py, "BatchError", &text, |_| Ok(())),
    }
}

/// Removes the quotes the core puts around a setting's value in its message.
fn unquoted(value: &str) -> String {
    serde_json::from_str::<String>(value).unwrap_or_else(|_| value.to_owned())
}

/// Builds `InvalidRequestError`. The message names the Python argument too when its
/// name differs from the field's, so that `comment=` is found from `revocationReason`.
fn invalid_request(py: Python<'_>, field: Field, argument: Option<&str>, problem: &str) -> PyErr {
    let text = match argument {
        Some(argument) if argument != field.name() => {
            format!("invalid {} (argument {argument}): {problem}", field.name())
        }
        _ => format!("invalid {}: {problem}", field.name()),
    };
    exception(py, "InvalidRequestError", &text, |attributes| {
        attributes.set_item("field", field.name())?;
        attributes.set_item("problem", problem)?;
        attributes.set_item("argument", argument)
    })
}

/// Returns the Python argument that carries a field, or `None` when no single argument
/// does.
fn argument_for(field: Field) -> Option<&'static str> {
    let argument = match field {
        Field::LoginName => "login_name",
        Field::LoginPassword => "login_password",
        Field::OrderNumber => "order_number",
        Field::CertificateId => "certificate_id",
        Field::SerialNumber => "serial_number",
        Field::AccountId => "account_id",
        Field::Comment => "comment",
        Field::Reason => "reason",
        Field::ProductCode => "product_code",
        Field::Product => "product",
        Field::Endpoint => "endpoint",
        Field::CaBundle => "ca_bundle",
        Field::Proxy => "proxy",
        Field::Retry => "retries",
        // The timeout rules compare both timeouts, so either argument may be at fault.
        _ => return None,
    };
    Some(argument)
}

fn not_sent_cause(cause: &NotSentCause) -> (&'static str, String) {
    match cause {
        NotSentCause::Resolve(detail) => ("resolve", detail.clone()),
        NotSentCause::Connect(detail) => ("connect", detail.clone()),
        NotSentCause::Tls(detail) => ("tls", detail.clone()),
        NotSentCause::Proxy(detail) => ("proxy", detail.clone()),
        other => ("other", other.to_string()),
    }
}

fn unknown_cause(cause: &UnknownCause) -> (&'static str, String) {
    let name = match cause {
        UnknownCause::Timeout => "timeout",
        UnknownCause::Connection(_) => "connection",
        UnknownCause::EmptyBody => "empty_body",
        UnknownCause::ForeignBody(_) => "foreign_body",
        UnknownCause::BodyTooLarge(_) => "body_too_large",
        _ => "other",
    };
    (name, cause.to_string())
}

/// Instantiates the exception class `class` of `sectigo_revoke._errors` with the
/// message and the keyword arguments that `set_attributes` adds.
fn exception(
    py: Python<'_>,
    class: &str,
    text: &str,
    set_attributes: impl FnOnce(&Bound<'_, PyDict>) -> PyResult<()>,
) -> PyErr {
    static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

    let instance = (|| {
        let module = ERRORS.get_or_try_init(py, || py.import("sectigo_revoke._errors").map(Bound::unbind))?;
        let attributes = PyDict::new(py);
        set_attributes(&attributes)?;
        module.bind(py).getattr(class)?.call((text,), Some(&attributes))
    })();

    // Failing to build the exception is a bug in the binding; raising that failure
    // instead keeps it visible.
    match instance {
        Ok(instance) => PyErr::from_value(instance),
        Err(error) => error,
    }
}
