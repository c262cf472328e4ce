//! Misbehaviours the simulator can put on a response.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// One way the simulated endpoint can misbehave on a request.
///
/// Faults marked "after processing" apply the revocation first and then spoil the
/// response, which is the case that makes an unknown outcome dangerous: a client that
/// repeats the request then gets -21. The others leave the certificate untouched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Fault {
    /// After processing: waits this long before responding normally.
    SlowReply {
        /// The wait, in milliseconds.
        delay_ms: u64,
    },
    /// After processing: closes the connection with a TCP reset and no response.
    Reset,
    /// After processing: responds 200 with an empty body.
    EmptyBody,
    /// After processing: responds 200 with an HTML page.
    HtmlBody,
    /// After processing: announces a longer body than it sends, then closes.
    TruncatedBody,
    /// After processing: responds 200 with a body of this many bytes.
    OversizedBody {
        /// The body size in bytes.
        bytes: usize,
    },
    /// Responds 500 with an HTML page, as a failing load balancer does.
    ServerErrorHtml,
    /// Responds 503 with an HTML page and no API body.
    ServiceUnavailableHtml,
    /// Responds 429 with an HTML body and `Retry-After`.
    TooManyRequests {
        /// The `Retry-After` value in seconds.
        retry_after_secs: u64,
    },
    /// Responds API code -42, call limit reached.
    CallLimit,
    /// Responds API code -14, unknown error.
    UnknownError,
    /// Responds with a redirect to `location`.
    Redirect {
        /// 301, 302, 303, 307 or 308.
        status: u16,
        /// The `Location` header.
        location: String,
    },
}

impl Fault {
    /// Returns true when the revocation is applied before the response is spoiled.
    pub fn processes_request(&self) -> bool {
        matches!(
            self,
            Fault::SlowReply { .. }
                | Fault::Reset
                | Fault::EmptyBody
                | Fault::HtmlBody
                | Fault::TruncatedBody
                | Fault::OversizedBody { .. }
        )
    }

    /// Returns the wait before responding, for [`Fault::SlowReply`].
    pub(crate) fn delay(&self) -> Option<Duration> {
        match self {
            Fault::SlowReply { delay_ms } => Some(Duration::from_millis(*delay_ms)),
            _ => None,
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::SlowReply { delay_ms } => write!(f, "slow_reply({delay_ms} ms)"),
            Fault::Reset => write!(f, "reset"),
            Fault::EmptyBody => write!(f, "empty_body"),
            Fault::HtmlBody => write!(f, "html_body"),
            Fault::TruncatedBody => write!(f, "truncated_body"),
            Fault::OversizedBody { bytes } => write!(f, "oversized_body({bytes} bytes)"),
            Fault::ServerErrorHtml => write!(f, "server_error_html"),
            Fault::ServiceUnavailableHtml => write!(f, "service_unavailable_html"),
            Fault::TooManyRequests { retry_after_secs } => {
                write!(f, "too_many_requests(retry after {retry_after_secs} s)")
            }
            Fault::CallLimit => write!(f, "call_limit"),
            Fault::UnknownError => write!(f, "unknown_error"),
            Fault::Redirect { status, location } => write!(f, "redirect({status} to {location})"),
        }
    }
}
