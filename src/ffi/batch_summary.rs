//! The batch summary handle: the result of a call to
//! `sectigo_revoke_client_revoke_file`, the state of every row, and the per-row report.

use std::ffi::{c_char, CString};
use std::time::Duration;

use super::batch::{sectigo_revoke_batch_counts, sectigo_revoke_batch_status};
use super::boundary::{guard, guard_or};
use super::outcome::sectigo_revoke_outcome;
use super::pointer::to_c_string;
use super::result::sectigo_revoke_result;
use crate::batch::{Batch, BatchError, Counts, RunSummary};

/// The result of a call to `sectigo_revoke_client_revoke_file`: the counts by result,
/// the overall status, and a report of every row.
///
/// The summary keeps the batch's journal open and locked, so nothing else can change
/// it meanwhile and the report matches the counts. Free the summary before running the
/// same journal again. A dry run's temporary journal is deleted when the summary is
/// freed.
///
/// Thread safety: the functions that read a summary may be called from several threads
/// at once. Free it only after every such call has returned.
pub struct sectigo_revoke_batch_summary {
    batch: Batch,
    counts: Counts,
    requests: u64,
    elapsed: Duration,
    cancelled: bool,
    stopped: Option<CString>,
    dry_run: bool,
}

impl sectigo_revoke_batch_summary {
    /// Takes over the batch, with the run's summary, or none for a dry run.
    pub(crate) fn new(batch: Batch, run: Option<RunSummary>) -> Result<Self, BatchError> {
        let summary = match run {
            Some(run) => sectigo_revoke_batch_summary {
                counts: run.counts,
                requests: run.requests,
                elapsed: run.elapsed,
                cancelled: run.cancelled,
                stopped: run.stopped.as_deref().map(to_c_string),
                dry_run: false,
                batch,
            },
            None => sectigo_revoke_batch_summary {
                counts: batch.counts()?,
                requests: 0,
                elapsed: Duration::ZERO,
                cancelled: false,
                stopped: None,
                dry_run: true,
                batch,
            },
        };
        Ok(summary)
    }

    /// Returns a one-line description of the call, for the outcome.
    pub(crate) fn describe(&self) -> String {
        let ending = match &self.stopped {
            _ if self.dry_run => "planned (dry run, nothing sent)".to_owned(),
            Some(reason) => format!("stopped: {}", reason.to_string_lossy()),
            None if self.cancelled => "cancelled".to_owned(),
            None => "finished".to_owned(),
        };
        format!("batch {ending}; {} requests; {}; {}", self.requests, self.counts, self.counts.status())
    }
}

impl sectigo_revoke_batch_summary {
    /// Frees a summary and closes its journal. Does nothing when `summary` is NULL.
    ///
    /// `summary` must come from `sectigo_revoke_client_revoke_file` and must not be used
    /// afterwards.
    ///
    /// Thread safety: every call on `summary` in other threads must have returned.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_batch_summary_free(summary: *mut sectigo_revoke_batch_summary) {
        guard_or((), || {
            if !summary.is_null() {
                // SAFETY: the header requires a pointer from
                // sectigo_revoke_client_revoke_file that is freed only once, after
                // every call on it returned.
                drop(unsafe { Box::from_raw(summary) });
            }
        })
    }

    /// Gets how many rows are in each state after the call, rows from earlier runs on
    /// the same journal included.
    ///
    /// Thread safety: only reads `summary`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_batch_summary_get_counts(
        summary: *const sectigo_revoke_batch_summary,
        counts_out: *mut sectigo_revoke_batch_counts,
    ) -> sectigo_revoke_result {
        guard(|| {
            let summary = try_ref!(summary);
            let out = try_out!(counts_out);
            out.write(sectigo_revoke_batch_counts::from_core(&summary.counts));
            sectigo_revoke_result::Ok
        })
    }

    /// Gets whether every row reached success or a final state.
    ///
    /// Thread safety: only reads `summary`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_batch_summary_get_status(
        summary: *const sectigo_revoke_batch_summary,
        status_out: *mut sectigo_revoke_batch_status,
    ) -> sectigo_revoke_result {
        guard(|| {
            let summary = try_ref!(summary);
            let out = try_out!(status_out);
            out.write(sectigo_revoke_batch_status::from_core(summary.counts.status()));
            sectigo_revoke_result::Ok
        })
    }

    /// Gets the number of requests the call sent, repeats included; 0 for a dry run.
    ///
    /// Thread safety: only reads `summary`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_batch_summary_get_requests(
        summary: *const sectigo_revoke_batch_summary,
        requests_out: *mut u64,
    ) -> sectigo_revoke_result {
        guard(|| {
            let summary = try_ref!(summary);
            let out = try_out!(requests_out);
            out.write(summary.requests);
            sectigo_revoke_result::Ok
        })
    }

    /// Gets how long the run took, in milliseconds; 0 for a dry run.
    ///
    /// Thread safety: only reads `summary`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_batch_summary_get_elapsed_ms(
        summary: *const sectigo_revoke_batch_summary,
        milliseconds_out: *mut u64,
    ) -> sectigo_revoke_result {
        guard(|| {
            let summary = try_ref!(summary);
            let out = try_out!(milliseconds_out);
            out.write(u64::try_from(summary.elapsed.as_millis()).unwrap_or(u64::MAX));
            sectigo_revoke_result::Ok
        })
    }

    /// Gets whether the progress callback cancelled the run.
    ///
    /// Thread safety: only reads `summary`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_batch_summary_get_cancelled(
        summary: *const sectigo_revoke_batch_summary,
        cancelled_out: *mut bool,
    ) -> sectigo_revoke_result {
        guard(|| {
            let summary = try_ref!(summary);
            let out = try_out!(cancelled_out);
            out.write(summary.cancelled);
            sectigo_revoke_result::Ok
        })
    }

    /// Gets whether the call resumed a journal that already held a complete plan.
    ///
    /// Thread safety: only reads `summary`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_batch_summary_get_resumed(
        summary: *const sectigo_revoke_batch_summary,
        resumed_out: *mut bool,
    ) -> sectigo_revoke_result {
        guard(|| {
            let summary = try_ref!(summary);
            let out = try_out!(resumed_out);
            out.write(summary.batch.plan_summary().resumed);
            sectigo_revoke_result::Ok
        })
    }

    /// Gets why the run stopped before sending every row, when an error that concerns
    /// every row stopped it: a rejected login (API code -16), a redirect, or a
    /// `Retry-After` longer than 60 s. The rows not sent stay retryable.
    ///
    /// Returns `SECTIGO_REVOKE_RESULT_NO_VALUE` when the run was not stopped.
    ///
    /// Ownership and lifetime: `*reason_out` points to a NUL-terminated UTF-8 string
    /// owned by the summary, valid until the summary is freed. Do not free it.
    ///
    /// Thread safety: only reads `summary`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_batch_summary_get_stopped_reason(
        summary: *const sectigo_revoke_batch_summary,
        reason_out: *mut *const c_char,
    ) -> sectigo_revoke_result {
        guard(|| {
            let summary = try_ref!(summary);
            let out = try_out!(reason_out);
            match &summary.stopped {
                Some(reason) => {
                    out.write(reason.as_ptr());
                    sectigo_revoke_result::Ok
                }
                None => sectigo_revoke_result::NoValue,
            }
        })
    }

    /// Writes the report, one line per input row in line order, to a file: CSV for a
    /// name ending in `.csv`, JSON Lines for `.jsonl`, `.ndjson` or `.json`. The columns
    /// are line, identifier, status, result, code, message, column, duplicate_of,
    /// attempts and updated_at. An existing file is replaced.
    ///
    /// On failure, `outcome` records `SECTIGO_REVOKE_RESULT_BATCH_REPORT` with the path
    /// and the cause.
    ///
    /// Thread safety: only reads `summary`. `outcome` needs exclusive access.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_batch_summary_write_report(
        summary: *const sectigo_revoke_batch_summary,
        path: *const c_char,
        outcome: *mut sectigo_revoke_outcome,
    ) -> sectigo_revoke_result {
        guard(|| {
            let summary = try_ref!(summary);
            let outcome = try_mut!(outcome);
            let path = try_str!(path);

            match summary.batch.write_report(path, None) {
                Ok(counts) => outcome.record_ok(&format!("report {path} written: {counts}")),
                Err(error) => outcome.record_batch_error(&error),
            }
        })
    }
}
