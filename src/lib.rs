//! Revoke Sectigo certificates through the `!AutoRevokeCertificate` API.
//!
//! The crate builds the request, validates every parameter before anything is sent,
//! posts it over HTTPS, and turns the response into a typed result that tells apart
//! every way a revocation can end:
//!
//! | result | meaning | what to do |
//! |---|---|---|
//! | `Ok(`[`Outcome`]`)` with [`OutcomeKind::Accepted`] | code 0 | nothing |
//! | `Ok(`[`Outcome`]`)` with `AlreadyRevoked`, `AlreadyRejected`, `Expired` | -21, -20, -35 | nothing: the certificate is unusable |
//! | [`Error::InvalidRequest`] | validation failed, nothing sent | fix the named field |
//! | [`Error::Api`] | the API rejected the request | read the code and message |
//! | [`Error::RateLimited`] | -42 or HTTP 429 | wait, then repeat |
//! | [`Error::NotSent`] | resolve, connect or TLS failure | repeat: nothing reached the server |
//! | [`Error::Redirected`] | a 3xx response, not followed | fix the endpoint URL |
//! | [`Error::OutcomeUnknown`] | sent, no readable response | check the certificate, or repeat knowing a repeat gets -21 |
//!
//! # Revoking a certificate
//!
//! ```no_run
//! use sectigo_revoke::{Client, Credentials, Reason, Revocation};
//!
//! let credentials = Credentials::new("api-user", "p@ss+word&1")?;
//! let client = Client::builder(credentials).build()?;
//! let revocation = Revocation::builder()
//!     .certificate_id(1234567)
//!     .reason(Reason::Superseded)
//!     .build()?;
//! let outcome = client.revoke(&revocation)?;
//! println!("{outcome}");
//! # Ok::<(), sectigo_revoke::Error>(())
//! ```
//!
//! # Timeouts
//!
//! | setting | default | covers | a failure within it is |
//! |---|---|---|---|
//! | [`ClientBuilder::connect_timeout`] | 10 s | resolve, TCP connect, TLS handshake | [`Error::NotSent`] |
//! | [`ClientBuilder::timeout`] | 30 s | the whole request and response | [`Error::OutcomeUnknown`] once connected |
//!
//! # Trust roots and proxies
//!
//! Mozilla's roots are compiled in; [`RootStore`] selects the operating system's
//! store or a PEM bundle instead. The proxy comes from the environment unless
//! [`ProxySetting`] says otherwise. TLS certificate verification cannot be turned off.
//!
//! # Logging
//!
//! Each request is logged through the `log` facade at debug level with the endpoint,
//! the certificate identifier, the result and the duration; retries at warn level.
//! The password never appears in logs, errors, `Debug` output or dry runs.
//!
//! # Unconfirmed protocol details
//!
//! Sectigo does not document the HTTP status used on errors, whether success responses
//! carry more fields, whether the path is case-sensitive, which serial spelling (with or
//! without the DER `00` byte) it matches, or the code for an unknown identifier. The
//! crate reads the body, never the status, keeps unknown keys, sends the serial as
//! given, and reports any code it does not know with the server's message.

#![deny(missing_docs)]

pub mod batch;
mod certificate;
mod client;
mod config;
mod credentials;
mod error;
mod ffi;
mod field;
mod form;
mod outcome;
mod reason;
mod request;
mod response;
mod retry;
mod serial;
mod text;

pub use certificate::{CertificateInfo, MAX_CERTIFICATE_FILE_BYTES};
pub use client::{
    Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_ENDPOINT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT,
    USER_AGENT,
};
pub use config::{ProxySetting, RootStore, MAX_CA_BUNDLE_BYTES};
pub use credentials::{Credentials, Password, MAX_LOGIN_NAME_CHARS, MAX_PASSWORD_CHARS, REDACTED};
pub use error::{ApiError, ApiErrorKind, Error, ErrorKind, InvalidRequest, NotSentCause, UnknownCause};
pub use field::Field;
pub use form::{DryRun, FORM_CONTENT_TYPE};
pub use outcome::{Outcome, OutcomeKind, CODE_ALREADY_REJECTED, CODE_ALREADY_REVOKED, CODE_CALL_LIMIT, CODE_EXPIRED};
pub use reason::{Reason, ALLOWED_REASONS};
pub use request::{
    CertificateIdentifier, ResponseFormat, Revocation, RevocationBuilder, MAX_CERTIFICATE_ID_DIGITS, MAX_COMMENT_CHARS,
    MAX_PRODUCT_CODE_CHARS,
};
pub use response::{ApiResponse, ParseError};
pub use retry::{RetryPolicy, MAX_ATTEMPTS};
pub use serial::{SerialNumber, MAX_SERIAL_DIGITS};
