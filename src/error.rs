//! The error type of every fallible call, and the categories callers branch on.

use std::fmt;
use std::time::Duration;

use crate::field::Field;
use crate::response::ApiResponse;

/// Errors from building, sending or interpreting a revocation.
///
/// Each variant is one way a revocation can end other than with the certificate in a
/// final state. Branch on the variant (or on [`Error::kind`]), never on the message text.
///
/// ```
/// use sectigo_revoke::{Error, ErrorKind, Revocation};
///
/// let error: Error = Revocation::builder().serial_number("00:zz").build().unwrap_err().into();
/// assert_eq!(error.kind(), ErrorKind::InvalidRequest);
/// assert!(!error.is_safe_to_retry());
/// assert_eq!(error.to_string(), "invalid serialNumber: 'z' at position 4 is not a hex digit; \
///     give the serial in hex, as `openssl x509 -noout -serial` prints it");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A request parameter or client setting failed validation. Nothing was sent.
    #[error(transparent)]
    InvalidRequest(#[from] InvalidRequest),

    /// The API returned a negative code other than the final states
    /// (-20, -21, -35) and the call limit (-42).
    ///
    /// A positive code, which this endpoint is not documented to send, also ends up
    /// here with [`ApiErrorKind::Unexpected`].
    #[error(transparent)]
    Api(#[from] ApiError),

    /// The API returned code -42 (call limit reached), or the server answered
    /// HTTP 429. The request was not carried out and may be repeated after a pause.
    #[error("rate limited: {}", rate_limit_text(*.api_code, *.http_status, *.retry_after))]
    RateLimited {
        /// The API code (-42), when the body carried one.
        api_code: Option<i32>,
        /// The HTTP status of the response.
        http_status: u16,
        /// The pause the server asked for in `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
    },

    /// The request never reached the server: the name did not resolve, the connection
    /// or proxy tunnel could not be opened, or the TLS handshake failed.
    ///
    /// Repeating the request is safe.
    #[error("request not sent to {endpoint}: {cause}")]
    NotSent {
        /// The endpoint URL the request was for.
        endpoint: String,
        /// What stopped the request.
        cause: NotSentCause,
    },

    /// The server responded with a redirect. Redirects are never followed, because a
    /// followed redirect turns the POST into a GET and would send the credentials to
    /// another address.
    #[error("endpoint answered with redirect {status} to {location}; set the endpoint to the final URL")]
    Redirected {
        /// The HTTP status (301, 302, 303, 307 or 308).
        status: u16,
        /// The `Location` header, or `(none)` when the server sent none.
        location: String,
    },

    /// The request was sent, but no response in the API's format came back: a timeout
    /// after sending, a reset connection, or a body that is empty, truncated, too large
    /// or not from the API (an HTML error page).
    ///
    /// The certificate may or may not have been revoked. Check its status before
    /// repeating, or repeat knowing that a repeat then gets "already revoked".
    #[error("outcome unknown: {cause}{}; the certificate may or may not be revoked", status_text(*.http_status))]
    OutcomeUnknown {
        /// Why no response could be read.
        cause: UnknownCause,
        /// The HTTP status, when a status line was received.
        http_status: Option<u16>,
    },
}

/// The category of an [`Error`], for callers that only need to branch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// [`Error::InvalidRequest`].
    InvalidRequest,
    /// [`Error::Api`].
    Api,
    /// [`Error::RateLimited`].
    RateLimited,
    /// [`Error::NotSent`].
    NotSent,
    /// [`Error::Redirected`].
    Redirected,
    /// [`Error::OutcomeUnknown`].
    OutcomeUnknown,
}

impl Error {
    /// Returns the category of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidRequest(_) => ErrorKind::InvalidRequest,
            Error::Api(_) => ErrorKind::Api,
            Error::RateLimited { .. } => ErrorKind::RateLimited,
            Error::NotSent { .. } => ErrorKind::NotSent,
            Error::Redirected { .. } => ErrorKind::Redirected,
            Error::OutcomeUnknown { .. } => ErrorKind::OutcomeUnknown,
        }
    }

    /// Returns the API's numeric code, when the server answered in the API's format.
    pub fn api_code(&self) -> Option<i32> {
        match self {
            Error::Api(api) => Some(api.code()),
            Error::RateLimited { api_code, .. } => *api_code,
            _ => None,
        }
    }

    /// Returns the HTTP status of the response, when one was received.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.http_status()),
            Error::RateLimited { http_status, .. } => Some(*http_status),
            Error::Redirected { status, .. } => Some(*status),
            Error::OutcomeUnknown { http_status, .. } => *http_status,
            _ => None,
        }
    }

    /// Returns the pause the server asked for with `Retry-After`, when it sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Returns true when repeating the same request cannot revoke a certificate twice
    /// or act on a request the server already processed: the request never reached the
    /// server, or the server rate-limited it.
    pub fn is_safe_to_retry(&self) -> bool {
        matches!(self, Error::NotSent { .. } | Error::RateLimited { .. })
    }
}

fn status_text(http_status: Option<u16>) -> String {
    http_status.map(|status| format!(" (HTTP {status})")).unwrap_or_default()
}

fn rate_limit_text(api_code: Option<i32>, http_status: u16, retry_after: Option<Duration>) -> String {
    let mut text = match api_code {
        Some(code) => format!("API code {code}, call limit reached"),
        None => format!("HTTP {http_status}"),
    };
    if let Some(pause) = retry_after {
        text.push_str(&format!(", retry after {} s", pause.as_secs()));
    }
    text
}

/// A request parameter or client setting that failed validation.
///
/// The message names the field, what is wrong with the value and the limit or the
/// accepted forms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidRequest {
    field: Field,
    problem: String,
}

impl InvalidRequest {
    pub(crate) fn new(field: Field, problem: impl Into<String>) -> Self {
        InvalidRequest { field, problem: problem.into() }
    }

    /// Returns the field that failed validation.
    pub fn field(&self) -> Field {
        self.field
    }

    /// Returns what is wrong with the value, and the limit or the accepted forms.
    pub fn problem(&self) -> &str {
        &self.problem
    }
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.field.name(), self.problem)
    }
}

impl std::error::Error for InvalidRequest {}

/// A response from the API that rejects the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    kind: ApiErrorKind,
    response: ApiResponse,
    http_status: u16,
}

impl ApiError {
    pub(crate) fn new(response: ApiResponse, http_status: u16) -> Self {
        ApiError { kind: ApiErrorKind::from_code(response.code()), response, http_status }
    }

    /// Returns what the code means for the caller.
    pub fn kind(&self) -> ApiErrorKind {
        self.kind
    }

    /// Returns the API's numeric code.
    pub fn code(&self) -> i32 {
        self.response.code()
    }

    /// Returns the server's error message, when it sent one.
    pub fn message(&self) -> Option<&str> {
        self.response.message()
    }

    /// Returns the name of the parameter the server found fault with (`errorItem`),
    /// when it named one.
    pub fn item(&self) -> Option<&str> {
        self.response.item()
    }

    /// Returns the whole parsed response, unknown keys included.
    pub fn response(&self) -> &ApiResponse {
        &self.response
    }

    /// Returns the HTTP status of the response.
    pub fn http_status(&self) -> u16 {
        self.http_status
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "API error {} ({})", self.code(), self.kind.description())?;
        if let Some(message) = self.message() {
            write!(f, ": {message}")?;
        }
        if let Some(item) = self.item() {
            write!(f, " [item: {item}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// What an API error code means for the caller.
///
/// The table is specific to the revocation endpoint: Sectigo reuses numbers with other
/// meanings on other endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// -1: the request did not arrive over HTTPS.
    NotHttps,
    /// -2: the server does not recognise a parameter; `item` names it.
    UnrecognisedArgument,
    /// -3: a required parameter is missing.
    MissingArgument,
    /// -4: a parameter value is invalid. An unknown order number or serial number most
    /// likely gets this code too.
    InvalidArgument,
    /// -14: an unknown error on Sectigo's side.
    ServerError,
    /// -16: incorrect login, locked account, expired password or blocked source address.
    /// Never retried: repeated failed logins can get the source address blocked.
    Authentication,
    /// -17: the server received a GET instead of a POST (what a followed redirect or a
    /// rewriting proxy produces).
    MethodNotPost,
    /// -26: the certificate is still being issued; try again later.
    IssuanceInProgress,
    /// -91: the login may not act on this certificate or account.
    PermissionDenied,
    /// A positive code, which this endpoint is not documented to send.
    Unexpected,
    /// Any other negative code (for example -43 or -160); the message carries the
    /// server's explanation.
    Other,
}

impl ApiErrorKind {
    /// Returns the kind for an API code.
    pub fn from_code(code: i32) -> Self {
        match code {
            -1 => ApiErrorKind::NotHttps,
            -2 => ApiErrorKind::UnrecognisedArgument,
            -3 => ApiErrorKind::MissingArgument,
            -4 => ApiErrorKind::InvalidArgument,
            -14 => ApiErrorKind::ServerError,
            -16 => ApiErrorKind::Authentication,
            -17 => ApiErrorKind::MethodNotPost,
            -26 => ApiErrorKind::IssuanceInProgress,
            -91 => ApiErrorKind::PermissionDenied,
            code if code > 0 => ApiErrorKind::Unexpected,
            _ => ApiErrorKind::Other,
        }
    }

    /// Returns a short lowercase description of the kind.
    pub fn description(self) -> &'static str {
        match self {
            ApiErrorKind::NotHttps => "request not made over HTTPS",
            ApiErrorKind::UnrecognisedArgument => "unrecognised argument",
            ApiErrorKind::MissingArgument => "argument missing",
            ApiErrorKind::InvalidArgument => "argument value invalid",
            ApiErrorKind::ServerError => "unknown error at Sectigo",
            ApiErrorKind::Authentication => "authentication failed",
            ApiErrorKind::MethodNotPost => "request arrived as GET",
            ApiErrorKind::IssuanceInProgress => "certificate is being issued",
            ApiErrorKind::PermissionDenied => "permission denied",
            ApiErrorKind::Unexpected => "unexpected positive code",
            ApiErrorKind::Other => "rejected",
        }
    }
}

/// Why a request never reached the server.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotSentCause {
    /// The host name did not resolve.
    Resolve(String),
    /// The TCP connection could not be opened, or timed out.
    Connect(String),
    /// The TLS handshake failed, for example because the server's certificate is not
    /// trusted or does not match the host name.
    Tls(String),
    /// The proxy could not be reached or refused the tunnel.
    Proxy(String),
}

impl fmt::Display for NotSentCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotSentCause::Resolve(detail) => write!(f, "host name did not resolve ({detail})"),
            NotSentCause::Connect(detail) => write!(f, "connection failed ({detail})"),
            NotSentCause::Tls(detail) => write!(f, "TLS handshake failed ({detail})"),
            NotSentCause::Proxy(detail) => write!(f, "proxy failed ({detail})"),
        }
    }
}

/// Why the response to a sent request could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnknownCause {
    /// No complete response arrived within the timeout.
    Timeout,
    /// The connection failed after the request was written (reset, closed early).
    Connection(String),
    /// The response's body was empty or only whitespace.
    EmptyBody,
    /// The body is not in the API's format, for example an HTML error page from a
    /// load balancer. Holds the start of the body, cut to a safe length.
    ForeignBody(String),
    /// The body was larger than the limit, in bytes.
    BodyTooLarge(u64),
}

impl fmt::Display for UnknownCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnknownCause::Timeout => write!(f, "timed out waiting for the answer"),
            UnknownCause::Connection(detail) => write!(f, "connection failed after sending ({detail})"),
            UnknownCause::EmptyBody => write!(f, "answer body is empty"),
            UnknownCause::ForeignBody(start) => write!(f, "answer is not in the API's format (starts with {start:?})"),
            UnknownCause::BodyTooLarge(limit) => write!(f, "answer body is larger than {limit} bytes"),
        }
    }
}
