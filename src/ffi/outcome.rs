//! The outcome object: what the last call given it returned, with the API's code,
//! message and HTTP status, for successes and errors alike.

use std::ffi::{c_char, CString};
use std::time::Duration;

use super::boundary::guard;
use super::pointer::to_c_string;
use super::result::sectigo_revoke_result;
use crate::batch::BatchError;
use crate::error::Error;
use crate::outcome::{Outcome, OutcomeKind};

/// The end state of a successful revocation. Every kind means the certificate is no
/// longer usable. The numbers are part of the ABI and never change.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum sectigo_revoke_outcome_kind {
    /// API code 0: Sectigo accepted the revocation. For an order whose certificate was
    /// not issued yet, it rejected the order instead, and the response does not say
    /// which of the two happened.
    Accepted = 0,
    /// API code -21: the certificate was already revoked.
    AlreadyRevoked = 1,
    /// API code -20: the certificate request was already rejected.
    AlreadyRejected = 2,
    /// API code -35: the certificate has expired and cannot be revoked.
    Expired = 3,
}

impl sectigo_revoke_outcome_kind {
    fn from_core(kind: OutcomeKind) -> Self {
        match kind {
            OutcomeKind::Accepted => sectigo_revoke_outcome_kind::Accepted,
            OutcomeKind::AlreadyRevoked => sectigo_revoke_outcome_kind::AlreadyRevoked,
            OutcomeKind::AlreadyRejected => sectigo_revoke_outcome_kind::AlreadyRejected,
            OutcomeKind::Expired => sectigo_revoke_outcome_kind::Expired,
        }
    }
}

/// The record of one call: its result code and everything known about it.
///
/// `sectigo_revoke_client_new`, `sectigo_revoke_client_revoke`,
/// `sectigo_revoke_client_dry_run`, `sectigo_revoke_client_revoke_file` and
/// `sectigo_revoke_batch_summary_write_report` take an outcome and overwrite it with
/// what happened, whatever the result, unless they return
/// `SECTIGO_REVOKE_RESULT_NULL_PARAMETER`, `SECTIGO_REVOKE_RESULT_INVALID_UTF8` or
/// `SECTIGO_REVOKE_RESULT_PANIC` (then it is left unchanged). Read it with the
/// `sectigo_revoke_outcome_get_*` functions.
///
/// Thread safety: not thread-safe. Use an outcome from one thread at a time, and give
/// each thread that sends requests its own outcome.
pub struct sectigo_revoke_outcome {
    result: Option<sectigo_revoke_result>,
    kind: Option<sectigo_revoke_outcome_kind>,
    api_code: Option<i32>,
    message: Option<CString>,
    error_item: Option<CString>,
    http_status: Option<u16>,
    retry_after: Option<Duration>,
    description: Option<CString>,
}

impl sectigo_revoke_outcome {
    fn empty() -> Self {
        sectigo_revoke_outcome {
            result: None,
            kind: None,
            api_code: None,
            message: None,
            error_item: None,
            http_status: None,
            retry_after: None,
            description: None,
        }
    }

    /// Records a successful call that has no revocation outcome, such as building a
    /// client, and returns `SECTIGO_REVOKE_RESULT_OK`.
    pub(crate) fn record_ok(&mut self, description: &str) -> sectigo_revoke_result {
        *self = sectigo_revoke_outcome::empty();
        self.result = Some(sectigo_revoke_result::Ok);
        self.description = Some(to_c_string(description));
        sectigo_revoke_result::Ok
    }

    /// Records how a revocation ended and returns its result code.
    pub(crate) fn record_revocation(&mut self, result: &Result<Outcome, Error>) -> sectigo_revoke_result {
        match result {
            Ok(outcome) => self.record_outcome(outcome),
            Err(error) => self.record_error(error),
        }
    }

    fn record_outcome(&mut self, outcome: &Outcome) -> sectigo_revoke_result {
        *self = sectigo_revoke_outcome {
            result: Some(sectigo_revoke_result::Ok),
            kind: Some(sectigo_revoke_outcome_kind::from_core(outcome.kind())),
            api_code: Some(outcome.code()),
            message: outcome.message().map(to_c_string),
            error_item: None,
            http_status: Some(outcome.http_status()),
            retry_after: None,
            description: Some(to_c_string(&outcome.to_string())),
        };
        sectigo_revoke_result::Ok
    }

    /// Records an error and returns its result code.
    pub(crate) fn record_error(&mut self, error: &Error) -> sectigo_revoke_result {
        let result = sectigo_revoke_result::from_error(error);
        let (message, error_item) = match error {
            Error::Api(api) => (api.message(), api.item()),
            Error::InvalidRequest(invalid) => (None, Some(invalid.field().name())),
            _ => (None, None),
        };

        *self = sectigo_revoke_outcome {
            result: Some(result),
            kind: None,
            api_code: error.api_code(),
            message: message.map(to_c_string),
            error_item: error_item.map(to_c_string),
            http_status: error.http_status(),
            retry_after: error.retry_after(),
            description: Some(to_c_string(&error.to_string())),
        };
        result
    }
}

impl sectigo_revoke_outcome {
    /// Records an error that stopped a batch and returns its result code. For a run
    /// option out of range, the error item names the option, such as "concurrency".
    pub(crate) fn record_batch_error(&mut self, error: &BatchError) -> sectigo_revoke_result {
        let result = sectigo_revoke_result::from_batch_error(error);
        let error_item = match error {
            BatchError::InvalidOption { option, .. } => Some(to_c_string(option)),
            _ => None,
        };
        *self = sectigo_revoke_outcome::empty();
        self.result = Some(result);
        self.error_item = error_item;
        self.description = Some(to_c_string(&error.to_string()));
        result
    }
}

/// Writes `value` to `out` and returns OK, or returns NO_VALUE when there is none.
fn write_present<T>(out: super::pointer::OutPointer<T>, value: Option<T>) -> sectigo_revoke_result {
    match value {
        Some(value) => {
            out.write(value);
            sectigo_revoke_result::Ok
        }
        None => sectigo_revoke_result::NoValue,
    }
}

fn borrow_text(text: &Option<CString>) -> Option<*const c_char> {
    text.as_ref().map(|text| text.as_ptr())
}

impl sectigo_revoke_outcome {
    /// Creates an empty outcome, to pass to the calls that record into it.
    ///
    /// Ownership: on success `*outcome_out` receives a new outcome that the caller owns
    /// and must release with `sectigo_revoke_outcome_free`. One outcome may be reused
    /// for any number of calls, and each call overwrites it.
    ///
    /// Thread safety: may be called from any thread.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_outcome_new(
        outcome_out: *mut *mut sectigo_revoke_outcome,
    ) -> sectigo_revoke_result {
        guard(|| {
            let out = try_out!(outcome_out);
            out.write(Box::into_raw(Box::new(sectigo_revoke_outcome::empty())));
            sectigo_revoke_result::Ok
        })
    }

    /// Frees an outcome and every string borrowed from it. Does nothing when `outcome`
    /// is NULL.
    ///
    /// `outcome` must come from `sectigo_revoke_outcome_new` and must not be used
    /// afterwards.
    ///
    /// Thread safety: no other thread may use the handle during or after this call.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_outcome_free(outcome: *mut sectigo_revoke_outcome) {
        super::boundary::guard_or((), || {
            if !outcome.is_null() {
                // SAFETY: the header requires a pointer from sectigo_revoke_outcome_new
                // that is freed only once.
                drop(unsafe { Box::from_raw(outcome) });
            }
        })
    }

    /// Gets the result code of the last call recorded in the outcome.
    ///
    /// Returns `SECTIGO_REVOKE_RESULT_OK` and writes `*result_out`, or
    /// `SECTIGO_REVOKE_RESULT_NO_VALUE` when no call has been recorded yet.
    ///
    /// Thread safety: only reads `outcome`. No call may record into it at the same time.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_outcome_get_result(
        outcome: *const sectigo_revoke_outcome,
        result_out: *mut sectigo_revoke_result,
    ) -> sectigo_revoke_result {
        guard(|| {
            let outcome = try_ref!(outcome);
            let out = try_out!(result_out);
            write_present(out, outcome.result)
        })
    }

    /// Gets how a successful revocation ended: accepted, or already revoked, rejected or
    /// expired.
    ///
    /// Returns `SECTIGO_REVOKE_RESULT_NO_VALUE` unless the recorded call was a
    /// revocation that returned `SECTIGO_REVOKE_RESULT_OK`.
    ///
    /// Thread safety: only reads `outcome`. No call may record into it at the same time.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_outcome_get_kind(
        outcome: *const sectigo_revoke_outcome,
        kind_out: *mut sectigo_revoke_outcome_kind,
    ) -> sectigo_revoke_result {
        guard(|| {
            let outcome = try_ref!(outcome);
            let out = try_out!(kind_out);
            write_present(out, outcome.kind)
        })
    }

    /// Gets the API's numeric code: 0, -20, -21 or -35 after a successful revocation,
    /// the negative (or unexpected positive) code after `SECTIGO_REVOKE_RESULT_API_ERROR`,
    /// and -42 after a call limit.
    ///
    /// Returns `SECTIGO_REVOKE_RESULT_NO_VALUE` when no response in the API's format
    /// was received.
    ///
    /// Thread safety: only reads `outcome`. No call may record into it at the same time.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_outcome_get_api_code(
        outcome: *const sectigo_revoke_outcome,
        code_out: *mut i32,
    ) -> sectigo_revoke_result {
        guard(|| {
            let outcome = try_ref!(outcome);
            let out = try_out!(code_out);
            write_present(out, outcome.api_code)
        })
    }

    /// Gets the server's message (`errorMessage`, or line 2 of the text response
    /// format), for example "The certificate has already been revoked.".
    ///
    /// Returns `SECTIGO_REVOKE_RESULT_NO_VALUE` when the server sent no message or no
    /// response was received.
    ///
    /// Ownership and lifetime: `*message_out` points to a NUL-terminated UTF-8 string
    /// owned by the outcome. It stays valid until the outcome is passed to another call
    /// that records into it, or freed. Do not free it.
    ///
    /// Thread safety: only reads `outcome`. No call may record into it at the same time.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_outcome_get_message(
        outcome: *const sectigo_revoke_outcome,
        message_out: *mut *const c_char,
    ) -> sectigo_revoke_result {
        guard(|| {
            let outcome = try_ref!(outcome);
            let out = try_out!(message_out);
            write_present(out, borrow_text(&outcome.message))
        })
    }

    /// Gets the name of the parameter the failure is about: the server's `errorItem`
    /// after `SECTIGO_REVOKE_RESULT_API_ERROR` (sent only with the URL-encoded response
    /// format), or, after `SECTIGO_REVOKE_RESULT_INVALID_REQUEST`, the field that failed
    /// validation, such as "serialNumber", "codeReason" or "endpoint".
    ///
    /// Returns `SECTIGO_REVOKE_RESULT_NO_VALUE` when no parameter was named.
    ///
    /// Ownership and lifetime: as for `sectigo_revoke_outcome_get_message`.
    ///
    /// Thread safety: only reads `outcome`. No call may record into it at the same time.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_outcome_get_error_item(
        outcome: *const sectigo_revoke_outcome,
        item_out: *mut *const c_char,
    ) -> sectigo_revoke_result {
        guard(|| {
            let outcome = try_ref!(outcome);
            let out = try_out!(item_out);
            write_present(out, borrow_text(&outcome.error_item))
        })
    }

    /// Gets the HTTP status of the server's response, including redirects and statuses
    /// whose body was not in the API's format.
    ///
    /// Returns `SECTIGO_REVOKE_RESULT_NO_VALUE` when no status line was received.
    ///
    /// Thread safety: only reads `outcome`. No call may record into it at the same time.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_outcome_get_http_status(
        outcome: *const sectigo_revoke_outcome,
        status_out: *mut u16,
    ) -> sectigo_revoke_result {
        guard(|| {
            let outcome = try_ref!(outcome);
            let out = try_out!(status_out);
            write_present(out, outcome.http_status)
        })
    }

    /// Gets the pause the server asked for with `Retry-After`, in milliseconds, after
    /// `SECTIGO_REVOKE_RESULT_RATE_LIMITED`.
    ///
    /// Returns `SECTIGO_REVOKE_RESULT_NO_VALUE` when the server sent no usable
    /// `Retry-After`.
    ///
    /// Thread safety: only reads `outcome`. No call may record into it at the same time.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_outcome_get_retry_after_ms(
        outcome: *const sectigo_revoke_outcome,
        milliseconds_out: *mut u64,
    ) -> sectigo_revoke_result {
        guard(|| {
            let outcome = try_ref!(outcome);
            let out = try_out!(milliseconds_out);
            let milliseconds = outcome.retry_after.map(|pause| u64::try_from(pause.as_millis()).unwrap_or(u64::MAX));
            write_present(out, milliseconds)
        })
    }

    /// Gets a one-line English description of the recorded call, for logs and people:
    /// the certificate and how its revocation ended, or the error with its cause (for
    /// `SECTIGO_REVOKE_RESULT_INVALID_REQUEST`: the field, the problem and the fix).
    /// It never contains the password.
    ///
    /// Returns `SECTIGO_REVOKE_RESULT_NO_VALUE` when no call has been recorded yet.
    ///
    /// Ownership and lifetime: as for `sectigo_revoke_outcome_get_message`.
    ///
    /// Thread safety: only reads `outcome`. No call may record into it at the same time.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_outcome_get_description(
        outcome: *const sectigo_revoke_outcome,
        description_out: *mut *const c_char,
    ) -> sectigo_revoke_result {
        guard(|| {
            let outcome = try_ref!(outcome);
            let out = try_out!(description_out);
            write_present(out, borrow_text(&outcome.description))
        })
    }
}
