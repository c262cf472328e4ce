//! The result code every fallible C function returns, and its text.

use std::ffi::{c_char, CStr};

use super::boundary::guard_or;
use crate::batch::BatchError;
use crate::error::Error;

/// The result code of a call to the library.
///
/// The numbers are part of the ABI: they never change, and a retired number is never
/// given to another result. Codes 100 to 199 report a misuse of the call itself, and 200
/// to 299 a request that failed validation before anything was sent. Codes 300 to 399
/// report what happened when a request was sent, and 400 to 499 an error that stopped a
/// batch as a whole. Branch on these codes, never on message text.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum sectigo_revoke_result {
    /// The call succeeded. For a revocation, the certificate is no longer usable, and
    /// the outcome's kind shows whether this call revoked it or it already was.
    Ok = 0,
    /// A required pointer argument was NULL. Nothing was changed.
    NullParameter = 100,
    /// A `const char *` argument was not valid UTF-8. Nothing was changed.
    InvalidUtf8 = 101,
    /// The library panicked, which is a bug in the library. Free the handles the call
    /// was given and do not use them otherwise.
    Panic = 102,
    /// The outcome contains no value of the requested kind: no call has been recorded in
    /// it yet, or the recorded result has no such value (an HTTP status when nothing was
    /// received, for example).
    NoValue = 103,
    /// A request parameter or client setting failed validation, so nothing was sent.
    /// The outcome's error item names the field, and its description states what is
    /// wrong and how to fix it.
    InvalidRequest = 200,
    /// The API rejected the request with a negative code other than the final states
    /// (-20, -21, -35) and the call limit (-42). The outcome contains the code, the
    /// server's message and any error item. Sending the same request again gets the same
    /// response.
    ApiError = 300,
    /// The API returned -42 (call limit reached) or the server responded with HTTP 429.
    /// Nothing was done. Send the request again after the outcome's retry-after time,
    /// when it has one.
    RateLimited = 301,
    /// The request never reached the server: the host name did not resolve, the
    /// connection or proxy failed, or the TLS handshake failed. Sending it again is safe.
    NotSent = 302,
    /// The server responded with a redirect, which is never followed because the
    /// credentials would go to another address. Set the endpoint to the final URL.
    Redirected = 303,
    /// The request was sent but no response in the API's format came back (a timeout,
    /// a reset connection, an empty or foreign body). The certificate may or may not be
    /// revoked. Check it, or send the request again knowing that a repeat of a
    /// revocation that went through returns "already revoked".
    OutcomeUnknown = 304,
    /// The batch's input cannot be read past some point: the file cannot be opened, its
    /// name has no known extension, its header names an unknown column, or a record is
    /// over the size limit. Nothing was sent. The outcome's description names the file,
    /// the line and the fix.
    BatchInput = 400,
    /// The batch's journal cannot be created, read or written.
    BatchJournal = 401,
    /// Another process, or another batch in this process, has the journal open. A
    /// summary keeps its journal open until it is freed.
    BatchJournalInUse = 402,
    /// The journal was planned from a different input file, or with a different default
    /// reason, default comment or test mode. Resuming it could skip or repeat rows, so
    /// give the original input and options, or a new journal.
    BatchJournalMismatch = 403,
    /// The batch report cannot be written, or its file name has no known extension.
    BatchReport = 404,
}

impl sectigo_revoke_result {
    /// Returns the result code for an error that stopped a batch. A run option out of
    /// range counts as an invalid request.
    pub(crate) fn from_batch_error(error: &BatchError) -> Self {
        match error {
            BatchError::Input { .. } => sectigo_revoke_result::BatchInput,
            BatchError::JournalInUse { .. } => sectigo_revoke_result::BatchJournalInUse,
            BatchError::InputChanged { .. } | BatchError::SettingChanged { .. } => {
                sectigo_revoke_result::BatchJournalMismatch
            }
            BatchError::Report { .. } => sectigo_revoke_result::BatchReport,
            BatchError::InvalidOption { .. } | BatchError::DryRun => sectigo_revoke_result::InvalidRequest,
            // BatchError::Journal, and variants the core may add later.
            _ => sectigo_revoke_result::BatchJournal,
        }
    }

    /// Returns the result code for a core error.
    pub(crate) fn from_error(error: &Error) -> Self {
        match error {
            Error::InvalidRequest(_) => sectigo_revoke_result::InvalidRequest,
            Error::Api(_) => sectigo_revoke_result::ApiError,
            Error::RateLimited { .. } => sectigo_revoke_result::RateLimited,
            Error::NotSent { .. } => sectigo_revoke_result::NotSent,
            Error::Redirected { .. } => sectigo_revoke_result::Redirected,
            Error::OutcomeUnknown { .. } => sectigo_revoke_result::OutcomeUnknown,
        }
    }

    fn from_code(code: u32) -> Option<Self> {
        let result = match code {
            0 => sectigo_revoke_result::Ok,
            100 => sectigo_revoke_result::NullParameter,
            101 => sectigo_revoke_result::InvalidUtf8,
            102 => sectigo_revoke_result::Panic,
            103 => sectigo_revoke_result::NoValue,
            200 => sectigo_revoke_result::InvalidRequest,
            300 => sectigo_revoke_result::ApiError,
            301 => sectigo_revoke_result::RateLimited,
            302 => sectigo_revoke_result::NotSent,
            303 => sectigo_revoke_result::Redirected,
            304 => sectigo_revoke_result::OutcomeUnknown,
            400 => sectigo_revoke_result::BatchInput,
            401 => sectigo_revoke_result::BatchJournal,
            402 => sectigo_revoke_result::BatchJournalInUse,
            403 => sectigo_revoke_result::BatchJournalMismatch,
            404 => sectigo_revoke_result::BatchReport,
            _ => return None,
        };
        Some(result)
    }

    fn text(self) -> &'static CStr {
        match self {
            sectigo_revoke_result::Ok => c"success",
            sectigo_revoke_result::NullParameter => c"a required pointer argument is NULL",
            sectigo_revoke_result::InvalidUtf8 => c"a string argument is not valid UTF-8",
            sectigo_revoke_result::Panic => c"the library panicked (a bug in sectigo-revoke)",
            sectigo_revoke_result::NoValue => c"the outcome holds no such value",
            sectigo_revoke_result::InvalidRequest => c"invalid request: a parameter or setting failed validation",
            sectigo_revoke_result::ApiError => c"the API rejected the request",
            sectigo_revoke_result::RateLimited => c"rate limited: call limit reached",
            sectigo_revoke_result::NotSent => c"request not sent: resolve, connect or TLS failure",
            sectigo_revoke_result::Redirected => c"the endpoint answered with a redirect, which is not followed",
            sectigo_revoke_result::OutcomeUnknown => {
                c"outcome unknown: sent, but no readable answer; the certificate may or may not be revoked"
            }
            sectigo_revoke_result::BatchInput => c"the batch input cannot be read",
            sectigo_revoke_result::BatchJournal => c"the batch journal cannot be created, read or written",
            sectigo_revoke_result::BatchJournalInUse => c"the batch journal is in use by another batch",
            sectigo_revoke_result::BatchJournalMismatch => {
                c"the batch journal was planned from another input or with other options"
            }
            sectigo_revoke_result::BatchReport => c"the batch report cannot be written",
        }
    }
}

/// Returns a short English text describing a result code.
///
/// Takes the code as an integer, so any value may be passed. An unknown code gives
/// "unknown result code".
///
/// Ownership and lifetime: the returned string is static. Do not free it.
/// Thread safety: may be called from any thread at any time.
#[no_mangle]
pub extern "C" fn sectigo_revoke_result_text(result: u32) -> *const c_char {
    guard_or(c"unknown result code".as_ptr(), || match sectigo_revoke_result::from_code(result) {
        Some(known) => known.text().as_ptr(),
        None => c"unknown result code".as_ptr(),
    })
}

/// Returns true when sending the same request again cannot act twice on the
/// certificate: for `SECTIGO_REVOKE_RESULT_NOT_SENT` and
/// `SECTIGO_REVOKE_RESULT_RATE_LIMITED`. Returns false for every other code, including
/// `SECTIGO_REVOKE_RESULT_OUTCOME_UNKNOWN`.
///
/// Thread safety: may be called from any thread at any time.
#[no_mangle]
pub extern "C" fn sectigo_revoke_result_is_safe_to_retry(result: u32) -> bool {
    guard_or(false, || {
        matches!(
            sectigo_revoke_result::from_code(result),
            Some(sectigo_revoke_result::NotSent | sectigo_revoke_result::RateLimited)
        )
    })
}

/// Returns the library's version, such as "0.1.0". Compare it with
/// `SECTIGO_REVOKE_VERSION` to detect a header and library mismatch.
///
/// Ownership and lifetime: the returned string is static. Do not free it.
/// Thread safety: may be called from any thread at any time.
#[no_mangle]
pub extern "C" fn sectigo_revoke_version() -> *const c_char {
    const VERSION: &CStr = match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(version) => version,
        Err(_) => panic!("the package version contains no NUL byte"),
    };
    guard_or(VERSION.as_ptr(), || VERSION.as_ptr())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips() {
        for code in [0, 100, 101, 102, 103, 200, 300, 301, 302, 303, 304, 400, 401, 402, 403, 404] {
            let result = sectigo_revoke_result::from_code(code).unwrap();
            assert_eq!(result as u32, code);
        }
        assert_eq!(sectigo_revoke_result::from_code(1), None);
        assert_eq!(sectigo_revoke_result::from_code(u32::MAX), None);
    }

    #[test]
    fn unknown_code_has_text() {
        // SAFETY: the function returns a static NUL-terminated string.
        let text = unsafe { CStr::from_ptr(sectigo_revoke_result_text(999)) };
        assert_eq!(text.to_str().unwrap(), "unknown result code");
    }

    #[test]
    fn safe_to_retry_codes() {
        assert!(sectigo_revoke_result_is_safe_to_retry(302));
        assert!(sectigo_revoke_result_is_safe_to_retry(301));
        assert!(!sectigo_revoke_result_is_safe_to_retry(304));
        assert!(!sectigo_revoke_result_is_safe_to_retry(300));
        assert!(!sectigo_revoke_result_is_safe_to_retry(7));
    }
}
