//! The batch options handle: how `sectigo_revoke_client_revoke_file` plans and runs a
//! batch. The setters store values, and the core validates them when the batch runs.

use std::ffi::c_char;

use super::boundary::{guard, guard_or};
use super::result::sectigo_revoke_result;
use crate::batch::{PlanOptions, RunOptions};
use crate::error::InvalidRequest;
use crate::reason::Reason;

/// The default number of worker threads of a batch run, as in the core.
const DEFAULT_CONCURRENCY: u32 = 4;

/// How `sectigo_revoke_client_revoke_file` plans and runs a batch: concurrency, rate
/// limit, whether unknown outcomes are sent again, dry run, and the defaults for rows
/// without a reason or comment.
///
/// The setters store values. `sectigo_revoke_client_revoke_file` validates them, and
/// its outcome names the option at fault.
///
/// Thread safety: setters need exclusive access. `sectigo_revoke_client_revoke_file`
/// only reads the options, so several threads may run batches with the same options
/// as long as no thread changes them meanwhile.
pub struct sectigo_revoke_batch_options {
    concurrency: u32,
    rate: Option<f64>,
    retry_unknown: bool,
    dry_run: bool,
    reason_code: Option<i32>,
    comment: Option<String>,
    test_mode: bool,
}

impl sectigo_revoke_batch_options {
    /// Returns true when the batch is only planned.
    pub(crate) fn is_dry_run(&self) -> bool {
        self.dry_run
    }

    /// Returns the plan options, or the invalid default reason code.
    pub(crate) fn plan_options(&self) -> Result<PlanOptions, InvalidRequest> {
        let mut plan = PlanOptions::new().test_mode(self.test_mode);
        if let Some(code) = self.reason_code {
            plan = plan.reason(Reason::from_code(i64::from(code))?);
        }
        if let Some(comment) = &self.comment {
            plan = plan.comment(comment.clone());
        }
        Ok(plan)
    }

    /// Returns the run options without cancellation or progress, which each call adds.
    pub(crate) fn run_options(&self) -> RunOptions {
        let concurrency = usize::try_from(self.concurrency).unwrap_or(usize::MAX);
        let mut run = RunOptions::new().concurrency(concurrency).retry_unknown(self.retry_unknown);
        if let Some(rate) = self.rate {
            run = run.rate(rate);
        }
        run
    }
}

impl sectigo_revoke_batch_options {
    /// Creates options with every default: 4 workers, no rate limit, unknown outcomes
    /// not sent again, not a dry run, reason code 0 (unspecified) and no comment for
    /// rows without one, not a test.
    ///
    /// Ownership: on success `*options_out` receives new options that the caller owns
    /// and must release with `sectigo_revoke_batch_options_free`.
    ///
    /// Thread safety: may be called from any thread.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_batch_options_new(
        options_out: *mut *mut sectigo_revoke_batch_options,
    ) -> sectigo_revoke_result {
        guard(|| {
            let out = try_out!(options_out);
            let options = sectigo_revoke_batch_options {
                concurrency: DEFAULT_CONCURRENCY,
                rate: None,
                retry_unknown: false,
                dry_run: false,
                reason_code: None,
                comment: None,
                test_mode: false,
            };
            out.write(Box::into_raw(Box::new(options)));
            sectigo_revoke_result::Ok
        })
    }

    /// Frees batch options. Does nothing when `options` is NULL.
    ///
    /// `options` must come from `sectigo_revoke_batch_options_new` and must not be used
    /// afterwards.
    ///
    /// Thread safety: no other thread may use the handle during or after this call.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_batch_options_free(options: *mut sectigo_revoke_batch_options) {
        guard_or((), || {
            if !options.is_null() {
                // SAFETY: the header requires a pointer from
                // sectigo_revoke_batch_options_new that is freed only once.
                drop(unsafe { Box::from_raw(options) });
            }
        })
    }

    /// Sets the number of worker threads, which is the number of requests in flight at
    /// once: 1 to 256. The workers share the client and its connections.
    ///
    /// Defaults to 4.
    ///
    /// Thread safety: needs exclusive access to `options`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_batch_options_set_concurrency(
        options: *mut sectigo_revoke_batch_options,
        concurrency: u32,
    ) -> sectigo_revoke_result {
        guard(|| {
            let options = try_mut!(options);
            options.concurrency = concurrency;
            sectigo_revoke_result::Ok
        })
    }

    /// Sets the maximum number of requests per second across all workers, spaced
    /// evenly. 0 removes the limit. A negative or non-finite rate makes the batch fail
    /// with `SECTIGO_REVOKE_RESULT_INVALID_REQUEST`.
    ///
    /// Defaults to no limit.
    ///
    /// Thread safety: needs exclusive access to `options`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_batch_options_set_rate(
        options: *mut sectigo_revoke_batch_options,
        requests_per_second: f64,
    ) -> sectigo_revoke_result {
        guard(|| {
            let options = try_mut!(options);
            options.rate = (requests_per_second != 0.0).then_some(requests_per_second);
            sectigo_revoke_result::Ok
        })
    }

    /// Sends rows whose outcome is unknown again when true: rows an earlier run left
    /// unknown, and rows that end unknown in this one. A repeat of a revocation that
    /// went through gets "already revoked", which counts as done.
    ///
    /// Defaults to false.
    ///
    /// Thread safety: needs exclusive access to `options`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_batch_options_set_retry_unknown(
        options: *mut sectigo_revoke_batch_options,
        retry_unknown: bool,
    ) -> sectigo_revoke_result {
        guard(|| {
            let options = try_mut!(options);
            options.retry_unknown = retry_unknown;
            sectigo_revoke_result::Ok
        })
    }

    /// Only plans the batch when true: every row is read, validated and de-duplicated
    /// into a temporary journal, and nothing is sent. The journal path is then not used
    /// and may be NULL.
    ///
    /// Defaults to false.
    ///
    /// Thread safety: needs exclusive access to `options`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_batch_options_set_dry_run(
        options: *mut sectigo_revoke_batch_options,
        dry_run: bool,
    ) -> sectigo_revoke_result {
        guard(|| {
            let options = try_mut!(options);
            options.dry_run = dry_run;
            sectigo_revoke_result::Ok
        })
    }

    /// Sets the reason code for rows without a `reason` value, one of the
    /// `SECTIGO_REVOKE_REASON_*` codes. Another code makes the batch fail with
    /// `SECTIGO_REVOKE_RESULT_INVALID_REQUEST` naming "codeReason".
    ///
    /// The journal records it, and resuming with another default reason fails with
    /// `SECTIGO_REVOKE_RESULT_BATCH_JOURNAL_MISMATCH`.
    ///
    /// Defaults to `SECTIGO_REVOKE_REASON_UNSPECIFIED`.
    ///
    /// Thread safety: needs exclusive access to `options`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_batch_options_set_reason_code(
        options: *mut sectigo_revoke_batch_options,
        reason_code: i32,
    ) -> sectigo_revoke_result {
        guard(|| {
            let options = try_mut!(options);
            options.reason_code = Some(reason_code);
            sectigo_revoke_result::Ok
        })
    }

    /// Sets the comment (`revocationReason`) for rows without a `comment` value. An
    /// empty string removes it. A comment over 1024 characters makes every row that
    /// uses it invalid.
    ///
    /// The journal records it, and resuming with another default comment fails with
    /// `SECTIGO_REVOKE_RESULT_BATCH_JOURNAL_MISMATCH`.
    ///
    /// Defaults to none.
    ///
    /// Ownership: the text is copied, and the caller keeps ownership of `comment`.
    ///
    /// Thread safety: needs exclusive access to `options`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_batch_options_set_comment(
        options: *mut sectigo_revoke_batch_options,
        comment: *const c_char,
    ) -> sectigo_revoke_result {
        guard(|| {
            let options = try_mut!(options);
            let comment = try_str!(comment);
            options.comment = (!comment.is_empty()).then(|| comment.to_owned());
            sectigo_revoke_result::Ok
        })
    }

    /// Sends every row with `test=Y` when true: Sectigo validates each request and
    /// revokes nothing.
    ///
    /// The journal records it, and resuming with another setting fails with
    /// `SECTIGO_REVOKE_RESULT_BATCH_JOURNAL_MISMATCH`.
    ///
    /// Defaults to false.
    ///
    /// Thread safety: needs exclusive access to `options`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_batch_options_set_test_mode(
        options: *mut sectigo_revoke_batch_options,
        test_mode: bool,
    ) -> sectigo_revoke_result {
        guard(|| {
            let options = try_mut!(options);
            options.test_mode = test_mode;
            sectigo_revoke_result::Ok
        })
    }
}
