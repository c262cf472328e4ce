//! Bulk revocation from a file: `sectigo_revoke_client_revoke_file`, the progress
//! callback and the counts it receives.

use std::ffi::{c_char, c_int, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::batch_options::sectigo_revoke_batch_options;
use super::batch_summary::sectigo_revoke_batch_summary;
use super::boundary::guard;
use super::client::sectigo_revoke_client;
use super::outcome::sectigo_revoke_outcome;
use super::result::sectigo_revoke_result;
use crate::batch::{Batch, BatchStatus, Counts, Input, Progress, RunOptions};
use crate::error::Error;

/// How many rows of a batch are in each state.
///
/// ABI: the fields keep their order and types; a change raises the soname.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct sectigo_revoke_batch_counts {
    /// Every row read from the input, blank lines not counted.
    pub rows: u64,
    /// Valid rows not sent yet.
    pub planned: u64,
    /// Rows whose request is in flight.
    pub sending: u64,
    /// Rows that were not carried out and are sent again by the next run.
    pub retryable: u64,
    /// Rows sent without a readable response: the certificate may or may not be
    /// revoked. Sent again only with `sectigo_revoke_batch_options_set_retry_unknown`.
    pub unknown: u64,
    /// Rows whose revocation was accepted (API code 0).
    pub accepted: u64,
    /// Rows whose certificate was already revoked (-21).
    pub already_revoked: u64,
    /// Rows whose certificate request was already rejected (-20).
    pub already_rejected: u64,
    /// Rows whose certificate had expired (-35).
    pub expired: u64,
    /// Rows the API rejected for good, such as with -4.
    pub failed: u64,
    /// Rows that failed validation and are never sent.
    pub invalid: u64,
    /// Rows that repeat an earlier row and are never sent.
    pub duplicate: u64,
}

impl sectigo_revoke_batch_counts {
    pub(crate) fn from_core(counts: &Counts) -> Self {
        sectigo_revoke_batch_counts {
            rows: counts.rows,
            planned: counts.planned,
            sending: counts.sending,
            retryable: counts.retryable,
            unknown: counts.unknown,
            accepted: counts.accepted,
            already_revoked: counts.already_revoked,
            already_rejected: counts.already_rejected,
            expired: counts.expired,
            failed: counts.failed,
            invalid: counts.invalid,
            duplicate: counts.duplicate,
        }
    }
}

/// Whether every row of a batch reached success or a final state. The numbers are
/// part of the ABI and never change.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum sectigo_revoke_batch_status {
    /// Every row is done (accepted, already revoked, already rejected or expired), or is
    /// a duplicate of a row that is.
    Succeeded = 0,
    /// Every row is in a final state, but some failed or were invalid.
    FinishedWithFailures = 1,
    /// Some rows are not sent yet, retryable or unknown. Call
    /// `sectigo_revoke_client_revoke_file` again with the same journal to finish them.
    Incomplete = 2,
}

impl sectigo_revoke_batch_status {
    pub(crate) fn from_core(status: BatchStatus) -> Self {
        match status {
            BatchStatus::Succeeded => sectigo_revoke_batch_status::Succeeded,
            BatchStatus::FinishedWithFailures => sectigo_revoke_batch_status::FinishedWithFailures,
            BatchStatus::Incomplete => sectigo_revoke_batch_status::Incomplete,
        }
    }
}

/// How far a batch run has come, passed to the progress callback.
///
/// ABI: the fields keep their order and types; a change raises the soname.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct sectigo_revoke_batch_progress {
    /// Rows this run has finished with, in a final state or left for a later run.
    pub done: u64,
    /// Rows this run set out to send.
    pub total: u64,
    /// Requests this run has sent so far, repeats included.
    pub requests: u64,
    /// Milliseconds since the run started.
    pub elapsed_ms: u64,
    /// Requests per second since the run started.
    pub requests_per_second: f64,
    /// Rows in each state across the whole journal, earlier runs included.
    pub counts: sectigo_revoke_batch_counts,
}

impl sectigo_revoke_batch_progress {
    fn from_core(progress: &Progress) -> Self {
        sectigo_revoke_batch_progress {
            done: progress.done,
            total: progress.total,
            requests: progress.requests,
            elapsed_ms: u64::try_from(progress.elapsed.as_millis()).unwrap_or(u64::MAX),
            requests_per_second: progress.requests_per_second,
            counts: sectigo_revoke_batch_counts::from_core(&progress.counts),
        }
    }
}

/// The progress callback of `sectigo_revoke_client_revoke_file`: called after each row
/// the run finishes with. Return 0 to go on, or any other value to cancel the run.
///
/// `progress` points to a struct that is valid only during the call. `user_data` is
/// the pointer given to `sectigo_revoke_client_revoke_file`, passed on unchanged.
pub type sectigo_revoke_batch_progress_callback =
    Option<unsafe extern "C" fn(progress: *const sectigo_revoke_batch_progress, user_data: *mut c_void) -> c_int>;

/// The caller's progress callback and its `user_data`, moved to the run's worker
/// threads.
#[derive(Clone, Copy)]
struct ProgressTarget {
    callback: unsafe extern "C" fn(*const sectigo_revoke_batch_progress, *mut c_void) -> c_int,
    user_data: *mut c_void,
}

// SAFETY: the header documents that the callback runs on the run's worker threads
// with this `user_data`, one call at a time, and the library never dereferences
// `user_data` itself.
unsafe impl Send for ProgressTarget {}
// SAFETY: as above. The executor never makes two calls at once.
unsafe impl Sync for ProgressTarget {}

impl ProgressTarget {
    /// Calls the callback and returns true when it requests cancellation.
    fn call(&self, progress: &Progress) -> bool {
        #[cfg(test)]
        test_hook::panic_if_armed();
        let progress = sectigo_revoke_batch_progress::from_core(progress);
        // SAFETY: the header requires a callback that is safe to call with a pointer
        // valid for the call and the caller's user_data.
        unsafe { (self.callback)(&progress, self.user_data) != 0 }
    }
}

/// Returns the run options with a per-call cancellation flag and, when given, the
/// progress callback.
fn options_for_call(
    options: RunOptions,
    callback: sectigo_revoke_batch_progress_callback,
    user_data: *mut c_void,
    cancel: &Arc<AtomicBool>,
    panicked: &Arc<AtomicBool>,
) -> RunOptions {
    let options = options.cancel_on(Arc::clone(cancel));
    match callback {
        Some(callback) => {
            let target = ProgressTarget { callback, user_data };
            options.on_progress(forward_progress(target, Arc::clone(cancel), Arc::clone(panicked)))
        }
        None => options,
    }
}

/// Returns the function the engine calls after each row. It calls the C callback and
/// cancels the run when the callback returns nonzero. A panic while the callback is
/// prepared or called cancels the run and sets `panicked`, so it never unwinds through
/// the executor, and the callback is not called again.
fn forward_progress(
    target: ProgressTarget,
    cancel: Arc<AtomicBool>,
    panicked: Arc<AtomicBool>,
) -> impl Fn(&Progress) + Send + Sync + 'static {
    move |progress| {
        if panicked.load(Ordering::SeqCst) {
            return;
        }
        match catch_unwind(AssertUnwindSafe(|| target.call(progress))) {
            Ok(false) => {}
            Ok(true) => cancel.store(true, Ordering::SeqCst),
            Err(_) => {
                panicked.store(true, Ordering::SeqCst);
                cancel.store(true, Ordering::SeqCst);
            }
        }
    }
}

impl sectigo_revoke_client {
    /// Revokes every certificate a CSV or JSON Lines file lists, each once, keeping a
    /// journal so that an interrupted batch can be resumed. Blocks until every row is
    /// handled, the progress callback cancels the run, or an error that concerns every
    /// row (a rejected login, a redirect) stops it.
    ///
    /// The file's format follows its extension: `.csv`, or `.jsonl`, `.ndjson` or
    /// `.json`. Its columns are `order_number`, `certificate_id`, `serial_number`,
    /// `cert`, `reason`, `comment`, `account_id`, `product_code` and `product`, and
    /// each row needs exactly one of the first four (docs/batch.md has the details).
    /// Every row is validated and de-duplicated first. Invalid and duplicate rows are
    /// recorded in the journal and never sent, and the other rows go ahead.
    ///
    /// The journal is a SQLite file, created when missing. When it contains a complete
    /// plan, the call resumes it: the input file must be unchanged and the reason,
    /// comment and test mode options the same, or the call fails with
    /// `SECTIGO_REVOKE_RESULT_BATCH_JOURNAL_MISMATCH`. Rows with a final result are
    /// never sent again. Rows whose outcome is unknown are sent again only with
    /// `sectigo_revoke_batch_options_set_retry_unknown`. With the dry-run option,
    /// nothing is sent, `journal_path` is not used and may be NULL, and the summary
    /// shows the plan.
    ///
    /// Returns `SECTIGO_REVOKE_RESULT_OK` when the batch ran or was planned, including
    /// when it was cancelled or stopped: the summary's status tells whether every row
    /// reached a final state, and `sectigo_revoke_batch_summary_get_stopped_reason`
    /// tells why a run stopped. On failure, `outcome` records the cause: an unreadable
    /// input (`SECTIGO_REVOKE_RESULT_BATCH_INPUT`), a journal problem (401 to 403), or
    /// an invalid option (`SECTIGO_REVOKE_RESULT_INVALID_REQUEST`, with the option as
    /// error item: "concurrency", "rate" or "codeReason").
    ///
    /// Progress: `progress_callback` may be NULL. Otherwise it is called after each row
    /// the run finishes with, from one of the run's worker threads, never from the
    /// calling thread. Calls never overlap, and each starts after the previous one
    /// returned. When it returns nonzero, the run takes no new rows, lets the requests
    /// in flight finish and records them, and the call returns OK with a summary that
    /// shows the run as cancelled. To cancel on a signal, set a `volatile sig_atomic_t`
    /// in the handler and return nonzero from the callback once it is set; the next
    /// row to finish then cancels. The callback may call other functions of this
    /// library (a batch on the same journal fails with
    /// `SECTIGO_REVOKE_RESULT_BATCH_JOURNAL_IN_USE`). It must not unwind (throw a C++
    /// exception) or `longjmp` out. It is never called after this function returns.
    ///
    /// Ownership: on success `*summary_out` receives a summary that the caller owns and
    /// must release with `sectigo_revoke_batch_summary_free`. It keeps the journal open
    /// and locked until then, so free it before running the same journal again.
    /// `user_data` is passed to the callback unchanged and never dereferenced by the
    /// library; it must stay valid until this function returns.
    ///
    /// Thread safety: `client` and `options` are only read and may be shared with
    /// other threads. `outcome` needs exclusive access. The worker threads share the
    /// client and its connections.
    #[no_mangle]
    #[allow(clippy::too_many_arguments)]
    pub extern "C" fn sectigo_revoke_client_revoke_file(
        client: *const sectigo_revoke_client,
        input_path: *const c_char,
        journal_path: *const c_char,
        options: *const sectigo_revoke_batch_options,
        progress_callback: sectigo_revoke_batch_progress_callback,
        user_data: *mut c_void,
        outcome: *mut sectigo_revoke_outcome,
        summary_out: *mut *mut sectigo_revoke_batch_summary,
    ) -> sectigo_revoke_result {
        guard(|| {
            let client = try_ref!(client);
            let options = try_ref!(options);
            let outcome = try_mut!(outcome);
            let out = try_out!(summary_out);
            let input_path = try_str!(input_path);
            let journal_path =
                if journal_path.is_null() && options.is_dry_run() { None } else { Some(try_str!(journal_path)) };

            let plan = match options.plan_options() {
                Ok(plan) => plan,
                Err(invalid) => return outcome.record_error(&Error::from(invalid)),
            };
            let cancel = Arc::new(AtomicBool::new(false));
            let panicked = Arc::new(AtomicBool::new(false));
            let run = options_for_call(options.run_options(), progress_callback, user_data, &cancel, &panicked);

            let input = Input::file(input_path);
            let summary = match journal_path {
                Some(journal) if !options.is_dry_run() => Batch::open(input, journal, &plan)
                    .and_then(|batch| batch.run(&client.client, &run).map(|run| (batch, Some(run)))),
                _ => Batch::dry_run(input, &plan).map(|batch| (batch, None)),
            }
            .and_then(|(batch, run)| sectigo_revoke_batch_summary::new(batch, run));
            if panicked.load(Ordering::SeqCst) {
                return sectigo_revoke_result::Panic;
            }

            match summary {
                Ok(summary) => {
                    let result = outcome.record_ok(&summary.describe());
                    out.write(Box::into_raw(Box::new(summary)));
                    result
                }
                Err(error) => outcome.record_batch_error(&error),
            }
        })
    }
}

/// Makes the next progress callback on the current thread panic inside the library, so
/// that tests can check that the panic cancels the run instead of unwinding. Compiled
/// into test builds only.
#[cfg(test)]
pub(crate) mod test_hook {
    use std::cell::Cell;

    thread_local! {
        static ARMED: Cell<bool> = const { Cell::new(false) };
    }

    /// Makes the next progress callback on this thread panic.
    pub(crate) fn arm_panic() {
        ARMED.with(|armed| armed.set(true));
    }

    pub(super) fn panic_if_armed() {
        if ARMED.with(|armed| armed.replace(false)) {
            panic!("panic in the progress callback forced by the test hook");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::BatchError;

    #[test]
    fn invalid_option_is_invalid_request() {
        let error = BatchError::InvalidOption { option: "concurrency", problem: String::new() };
        let result = sectigo_revoke_result::from_batch_error(&error);
        assert_eq!(result, sectigo_revoke_result::InvalidRequest);
    }

    #[test]
    fn counts_copied_field_by_field() {
        let counts = Counts {
            rows: 66,
            planned: 1,
            sending: 2,
            retryable: 3,
            unknown: 4,
            accepted: 5,
            already_revoked: 6,
            already_rejected: 7,
            expired: 8,
            failed: 9,
            invalid: 10,
            duplicate: 11,
        };
        let copied = sectigo_revoke_batch_counts::from_core(&counts);
        let fields = [
            copied.planned,
            copied.sending,
            copied.retryable,
            copied.unknown,
            copied.accepted,
            copied.already_revoked,
            copied.already_rejected,
            copied.expired,
            copied.failed,
            copied.invalid,
            copied.duplicate,
        ];
        assert_eq!(copied.rows, 66);
        assert_eq!(fields, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    }

    /// Counts the progress callback's calls in the `u64` that `user_data` points to,
    /// and requests cancellation from the third call on.
    unsafe extern "C" fn count_calls(progress: *const sectigo_revoke_batch_progress, user_data: *mut c_void) -> c_int {
        // SAFETY: the tests pass a live progress struct and a pointer to a u64 that
        // outlives every call.
        let (progress, calls) = unsafe { (&*progress, &mut *user_data.cast::<u64>()) };
        assert_eq!(progress.counts.accepted, progress.done);
        *calls += 1;
        c_int::from(*calls >= 3)
    }

    fn progress(done: u64) -> Progress {
        let counts = Counts { rows: 10, planned: 10 - done, accepted: done, ..Counts::default() };
        Progress {
            done,
            total: 10,
            counts,
            requests: done,
            elapsed: std::time::Duration::from_millis(1500),
            requests_per_second: 0.5,
        }
    }

    fn forwarder(calls: &mut u64) -> (impl Fn(&Progress), Arc<AtomicBool>, Arc<AtomicBool>) {
        let target = ProgressTarget { callback: count_calls, user_data: (calls as *mut u64).cast() };
        let cancel = Arc::new(AtomicBool::new(false));
        let panicked = Arc::new(AtomicBool::new(false));
        (forward_progress(target, Arc::clone(&cancel), Arc::clone(&panicked)), cancel, panicked)
    }

    #[test]
    fn nonzero_from_callback_cancels() {
        let mut calls = 0;
        let (forward, cancel, panicked) = forwarder(&mut calls);
        forward(&progress(1));
        forward(&progress(2));
        assert!(!cancel.load(Ordering::SeqCst));
        forward(&progress(3));
        assert!(cancel.load(Ordering::SeqCst));
        assert!(!panicked.load(Ordering::SeqCst));
        drop(forward);
        assert_eq!(calls, 3);
    }

    #[test]
    fn panic_in_progress_cancels_without_unwinding() {
        let mut calls = 0;
        let (forward, cancel, panicked) = forwarder(&mut calls);
        test_hook::arm_panic();
        forward(&progress(1));
        assert!(panicked.load(Ordering::SeqCst));
        assert!(cancel.load(Ordering::SeqCst));

        // The callback is not called after a panic.
        forward(&progress(2));
        drop(forward);
        assert_eq!(calls, 0);
    }

    #[test]
    fn progress_struct_copies_values() {
        let copied = sectigo_revoke_batch_progress::from_core(&progress(4));
        assert_eq!((copied.done, copied.total, copied.requests, copied.elapsed_ms), (4, 10, 4, 1500));
        assert_eq!(copied.requests_per_second, 0.5);
        assert_eq!((copied.counts.accepted, copied.counts.planned, copied.counts.rows), (4, 6, 10));
    }
}
