//! The executor: worker threads sharing one [`Client`] send the planned rows. A
//! client-side rate limit spaces the requests, a rate-limited response pauses every
//! worker, requests that were provably not carried out are repeated, and the journal
//! records each row before and after every request.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::batch::error::BatchError;
use crate::batch::journal::{Journal, PendingRow, ResultKind, RowStatus, Transition};
use crate::batch::rate::{sleep_until, Pause, RateLimiter};
use crate::batch::report::{BatchStatus, Counts};
use crate::client::Client;
use crate::error::{ApiErrorKind, Error};
use crate::outcome::{Outcome, OutcomeKind};
use crate::retry::{RetryPolicy, MAX_ATTEMPTS};

/// Highest number of worker threads a run accepts.
pub const MAX_CONCURRENCY: usize = 256;

/// Rows fetched from the journal at a time; the queue to the workers holds at most
/// twice the concurrency, so memory stays constant.
const PAGE_ROWS: usize = 512;

/// A function called after each row a run finishes with, from a worker thread.
/// Calls never overlap.
pub type ProgressCallback = Arc<dyn Fn(&Progress) + Send + Sync>;

/// Settings of a run: concurrency, rate limit, repeats, cancellation and progress.
///
/// ```
/// use std::time::Duration;
/// use sectigo_revoke::batch::RunOptions;
///
/// let options = RunOptions::new().concurrency(16).rate(20.0).retry_unknown(true);
/// let cancel = options.cancel_flag();
/// // A Ctrl-C handler would call: cancel.store(true, std::sync::atomic::Ordering::SeqCst);
/// # let _ = cancel;
/// ```
#[derive(Clone)]
pub struct RunOptions {
    concurrency: usize,
    rate: Option<f64>,
    retry_unknown: bool,
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    cancel: Arc<AtomicBool>,
    progress: Option<ProgressCallback>,
}

impl fmt::Debug for RunOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunOptions")
            .field("concurrency", &self.concurrency)
            .field("rate", &self.rate)
            .field("retry_unknown", &self.retry_unknown)
            .field("max_attempts", &self.max_attempts)
            .field("initial_backoff", &self.initial_backoff)
            .field("max_backoff", &self.max_backoff)
            .field("cancelled", &self.cancel.load(Ordering::SeqCst))
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            concurrency: 4,
            rate: None,
            retry_unknown: false,
            max_attempts: 5,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            cancel: Arc::new(AtomicBool::new(false)),
            progress: None,
        }
    }
}

impl RunOptions {
    /// Returns the default options.
    pub fn new() -> Self {
        RunOptions::default()
    }

    /// Sets the number of worker threads, which is the number of requests in flight at
    /// once (1 to 256). The threads share one client and its connection pool.
    ///
    /// Defaults to 4.
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency;
        self
    }

    /// Sets the maximum number of requests sent per second, across all workers, spaced evenly.
    ///
    /// Defaults to no limit.
    pub fn rate(mut self, per_second: f64) -> Self {
        self.rate = Some(per_second);
        self
    }

    /// Sends rows whose outcome is unknown again when true, both rows left unknown by
    /// an earlier run and rows that end unknown in this one. A repeat of a revocation
    /// that went through gets "already revoked", which counts as done.
    ///
    /// Defaults to false.
    pub fn retry_unknown(mut self, retry_unknown: bool) -> Self {
        self.retry_unknown = retry_unknown;
        self
    }

    /// Sets how many requests one row may take in a run (1 to 100), counting
    /// repeats after a request was not sent, was rate-limited, or (with
    /// [`RunOptions::retry_unknown`]) had an unknown outcome.
    ///
    /// Defaults to 5.
    pub fn max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts;
        self
    }

    /// Sets the wait before the first repeat and before the first shared pause.
    /// Waits double from there, with jitter.
    ///
    /// Defaults to 1 s.
    pub fn initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = delay;
        self
    }

    /// Sets the longest wait between repeats and the longest shared pause. A
    /// `Retry-After` longer than this stops the run, which can be resumed later.
    ///
    /// Defaults to 60 s.
    pub fn max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = delay;
        self
    }

    /// Uses `flag` as the cancellation flag: once it is true, the run takes no new
    /// rows, lets the requests in flight finish, and returns.
    ///
    /// Defaults to a flag of the options' own, returned by [`RunOptions::cancel_flag`].
    pub fn cancel_on(mut self, flag: Arc<AtomicBool>) -> Self {
        self.cancel = flag;
        self
    }

    /// Returns the cancellation flag, for a Ctrl-C handler to set.
    pub fn cancel_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.cancel)
    }

    /// Sets a function called after each row the run finishes with.
    ///
    /// Defaults to none.
    pub fn on_progress(mut self, callback: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(callback));
        self
    }

    fn validate(&self) -> Result<(), BatchError> {
        if !(1..=MAX_CONCURRENCY).contains(&self.concurrency) {
            return Err(BatchError::option(
                "concurrency",
                format!("{} is outside 1 to {MAX_CONCURRENCY}", self.concurrency),
            ));
        }
        if let Some(rate) = self.rate {
            if !rate.is_finite() || rate <= 0.0 {
                return Err(BatchError::option(
                    "rate",
                    format!("{rate} requests per second is not a positive number; leave the rate unset for no limit"),
                ));
            }
        }
        if !(1..=MAX_ATTEMPTS).contains(&self.max_attempts) {
            return Err(BatchError::option(
                "max_attempts",
                format!("{} is outside 1 to {MAX_ATTEMPTS}; use 1 for no repeats", self.max_attempts),
            ));
        }
        if self.initial_backoff.is_zero() || self.initial_backoff > self.max_backoff {
            return Err(BatchError::option(
                "initial_backoff",
                format!(
                    "{} ms must be positive and at most the maximum backoff of {} ms",
                    self.initial_backoff.as_millis(),
                    self.max_backoff.as_millis()
                ),
            ));
        }
        Ok(())
    }
}

/// How far a run has come, passed to the progress callback.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Progress {
    /// Rows this run has finished with, in a final state or left for a later run.
    pub done: u64,
    /// Rows this run set out to send.
    pub total: u64,
    /// Rows in each state across the whole journal, earlier runs included.
    pub counts: Counts,
    /// Requests sent by this run so far, repeats included.
    pub requests: u64,
    /// Time since the run started.
    pub elapsed: Duration,
    /// Requests per second since the run started.
    pub requests_per_second: f64,
}

/// What a run did, and where the batch stands after it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct RunSummary {
    /// Rows in each state across the whole journal after the run.
    pub counts: Counts,
    /// Requests this run sent, repeats included.
    pub requests: u64,
    /// How long the run took.
    pub elapsed: Duration,
    /// True when the cancellation flag ended the run early.
    pub cancelled: bool,
    /// Why the run stopped before sending every row, when an error that concerns every
    /// row (such as -16, authentication failed) stopped it.
    pub stopped: Option<String>,
}

impl RunSummary {
    /// Returns whether every row reached success or a final state.
    pub fn status(&self) -> BatchStatus {
        self.counts.status()
    }
}

/// What to do with a row after one request.
enum Verdict {
    /// Record the change; the row is finished for this run.
    Finish(Change),
    /// Record the change, then wait this long and send it again.
    Repeat(Change, Duration),
    /// Record the change and stop the whole run for this reason.
    StopRun(Change, String),
}

/// A row's next state, with the result of the request that led to it.
struct Change {
    status: RowStatus,
    result: ResultKind,
    code: Option<i32>,
    message: String,
}

/// State shared by the dispatcher and the workers of one run.
struct Run<'a> {
    journal: &'a Journal,
    client: &'a Client,
    options: &'a RunOptions,
    test_mode: bool,
    id: i64,
    login_name: &'a str,
    limiter: RateLimiter,
    pause: Pause,
    row_retry: RetryPolicy,
    pause_retry: RetryPolicy,
    consecutive_limits: AtomicU32,
    requests: AtomicU64,
    halted: AtomicBool,
    stop_reason: Mutex<Option<String>>,
    fatal: Mutex<Option<BatchError>>,
    progress: Mutex<Tally>,
    started: Instant,
}

/// Counts kept during a run, behind one lock so that each progress call sees a
/// consistent snapshot.
struct Tally {
    counts: Counts,
    done: u64,
    total: u64,
}

/// Sends every row the journal has pending, and returns the counts after the run.
pub(crate) fn run(
    journal: &Journal,
    client: &Client,
    options: &RunOptions,
    test_mode: bool,
) -> Result<RunSummary, BatchError> {
    options.validate()?;
    let counts = journal.counts()?;
    let total = counts.planned + counts.retryable + if options.retry_unknown { counts.unknown } else { 0 };
    let id = journal.start_run(
        client.login_name(),
        client.endpoint(),
        options.concurrency,
        options.rate,
        options.retry_unknown,
    )?;
    log::info!(
        "batch run {id} started: {total} rows to send with {} workers, journal {}",
        options.concurrency,
        journal.label()
    );

    let run = Run::new(journal, client, options, test_mode, id, Tally { counts, done: 0, total })?;
    let (sender, receiver) = sync_channel::<PendingRow>(options.concurrency * 2);
    let receiver = Mutex::new(receiver);
    std::thread::scope(|scope| {
        for index in 0..options.concurrency {
            let spawned = std::thread::Builder::new()
                .name(format!("batch-worker-{index}"))
                .spawn_scoped(scope, || run.work(&receiver));
            if let Err(error) = spawned {
                run.fail(BatchError::option("concurrency", format!("cannot start worker thread {index}: {error}")));
                break;
            }
        }
        run.dispatch(sender);
    });

    run.finish()
}

impl<'a> Run<'a> {
    fn new(
        journal: &'a Journal,
        client: &'a Client,
        options: &'a RunOptions,
        test_mode: bool,
        id: i64,
        tally: Tally,
    ) -> Result<Self, BatchError> {
        let policy = |attempts| {
            RetryPolicy::new(attempts)
                .map(|policy| policy.initial_delay(options.initial_backoff).max_delay(options.max_backoff))
                .map_err(|error| BatchError::option("max_attempts", error.problem()))
        };
        Ok(Run {
            journal,
            client,
            options,
            test_mode,
            id,
            login_name: client.login_name(),
            limiter: RateLimiter::new(options.rate),
            pause: Pause::default(),
            row_retry: policy(options.max_attempts)?.retry_unknown_outcome(options.retry_unknown),
            pause_retry: policy(MAX_ATTEMPTS)?,
            consecutive_limits: AtomicU32::new(0),
            requests: AtomicU64::new(0),
            halted: AtomicBool::new(false),
            stop_reason: Mutex::new(None),
            fatal: Mutex::new(None),
            progress: Mutex::new(tally),
            started: Instant::now(),
        })
    }

    /// Returns true once the run takes no new requests: cancelled, stopped, or failed.
    fn is_halted(&self) -> bool {
        self.halted.load(Ordering::SeqCst) || self.options.cancel.load(Ordering::SeqCst)
    }

    fn stop(&self, reason: String) {
        log::error!("batch run {} stopped: {reason}", self.id);
        lock(&self.stop_reason).get_or_insert(reason);
        self.halted.store(true, Ordering::SeqCst);
    }

    fn fail(&self, error: BatchError) {
        log::error!("batch run {} failed: {error}", self.id);
        lock(&self.fatal).get_or_insert(error);
        self.halted.store(true, Ordering::SeqCst);
    }

    /// Feeds pending rows to the workers page by page, in line order. Each row is
    /// fetched once per run, so a row left retryable is not picked up again until the
    /// next run.
    fn dispatch(&self, sender: SyncSender<PendingRow>) {
        let mut after_line = 0;
        while !self.is_halted() {
            let page =
                match self.journal.pending_rows(after_line, self.options.retry_unknown, self.test_mode, PAGE_ROWS) {
                    Ok(page) => page,
                    Err(error) => return self.fail(error),
                };
            let Some(last) = page.last() else { return };
            after_line = last.line;
            for row in page {
                if self.is_halted() || sender.send(row).is_err() {
                    return;
                }
            }
        }
    }

    fn work(&self, receiver: &Mutex<Receiver<PendingRow>>) {
        loop {
            let next = lock(receiver).recv();
            let Ok(row) = next else { return };
            // Rows queued before a halt are drained unsent, so the dispatcher never
            // blocks on a full queue.
            if self.is_halted() {
                continue;
            }
            if let Err(error) = self.process(row) {
                self.fail(error);
            }
        }
    }

    /// Sends one row until it reaches a state this run leaves it in.
    fn process(&self, row: PendingRow) -> Result<(), BatchError> {
        let mut status = row.status;
        let mut attempts = row.attempts;
        let revocation = match &row.revocation {
            Ok(revocation) => revocation,
            Err(problem) => {
                let change = Change {
                    status: RowStatus::Failed,
                    result: ResultKind::Invalid,
                    code: None,
                    message: format!("cannot rebuild the request from the journal: {problem}"),
                };
                self.record(&row, &mut status, &change, attempts)?;
                self.row_finished();
                return Ok(());
            }
        };

        let mut tries = 0;
        loop {
            if !self.wait_for_turn() {
                return Ok(());
            }
            tries += 1;
            attempts += 1;
            let sending =
                Change { status: RowStatus::Sending, result: ResultKind::Unknown, code: None, message: String::new() };
            self.record(&row, &mut status, &sending, attempts)?;

            self.requests.fetch_add(1, Ordering::SeqCst);
            let result = self.client.revoke(revocation);
            match self.judge(&row, tries, result) {
                Verdict::Finish(change) => {
                    self.record(&row, &mut status, &change, attempts)?;
                    break;
                }
                Verdict::Repeat(change, delay) => {
                    self.record(&row, &mut status, &change, attempts)?;
                    if !sleep_until(Instant::now() + delay, &|| self.is_halted()) {
                        break;
                    }
                }
                Verdict::StopRun(change, reason) => {
                    self.record(&row, &mut status, &change, attempts)?;
                    self.stop(reason);
                    break;
                }
            }
        }
        self.row_finished();
        Ok(())
    }

    /// Waits out any shared pause and the rate limit. Returns false when the run was
    /// halted meanwhile.
    fn wait_for_turn(&self) -> bool {
        let halted = || self.is_halted();
        loop {
            if !self.pause.wait(&halted) || !self.limiter.acquire(&halted) {
                return false;
            }
            // A pause that began while this worker waited for its slot applies too.
            if !self.pause.is_active() {
                return true;
            }
        }
    }

    /// Decides what a request's result means for the row.
    fn judge(&self, row: &PendingRow, tries: u32, result: Result<Outcome, Error>) -> Verdict {
        let error = match result {
            Ok(outcome) => {
                self.consecutive_limits.store(0, Ordering::SeqCst);
                return Verdict::Finish(outcome_change(&outcome));
            }
            Err(error) => error,
        };
        let message = error.to_string();
        let code = error.api_code();
        let change = |status, result| Change { status, result, code, message: message.clone() };

        match &error {
            Error::RateLimited { .. } => {
                let pause = match self.rate_limit_pause(&error) {
                    Ok(pause) => pause,
                    Err(reason) => {
                        return Verdict::StopRun(change(RowStatus::Retryable, ResultKind::RateLimited), reason)
                    }
                };
                log::warn!(
                    "batch line {} ({}): {error}; pausing all workers for {} ms",
                    row.line,
                    row.identifier_text,
                    pause.as_millis()
                );
                self.pause.extend(pause);
                let change = change(RowStatus::Retryable, ResultKind::RateLimited);
                if tries < self.options.max_attempts {
                    Verdict::Repeat(change, Duration::ZERO)
                } else {
                    Verdict::Finish(change)
                }
            }
            Error::NotSent { .. } => {
                let change = change(RowStatus::Retryable, ResultKind::NotSent);
                self.repeat_or_finish(row, tries, &error, change)
            }
            Error::OutcomeUnknown { .. } => {
                self.consecutive_limits.store(0, Ordering::SeqCst);
                let change = change(RowStatus::Unknown, ResultKind::Unknown);
                self.repeat_or_finish(row, tries, &error, change)
            }
            Error::Redirected { .. } => Verdict::StopRun(
                change(RowStatus::Retryable, ResultKind::Redirected),
                format!("{error}; every row would get the same answer"),
            ),
            Error::Api(api) => {
                self.consecutive_limits.store(0, Ordering::SeqCst);
                match api.kind() {
                    // These concern the login or the endpoint, not the row, so every
                    // other row would fail the same way; -16 repeated can also get the
                    // source address blocked. Nothing was done, so the row stays
                    // retryable for a run with the cause fixed.
                    ApiErrorKind::Authentication
                    | ApiErrorKind::NotHttps
                    | ApiErrorKind::MethodNotPost
                    | ApiErrorKind::UnrecognisedArgument => Verdict::StopRun(
                        change(RowStatus::Retryable, ResultKind::ApiError),
                        format!("{error}; fix the cause and resume the batch"),
                    ),
                    // Temporary conditions: a later run may succeed.
                    ApiErrorKind::ServerError | ApiErrorKind::IssuanceInProgress => {
                        log::warn!("batch line {} ({}): {error}; left for a later run", row.line, row.identifier_text);
                        Verdict::Finish(change(RowStatus::Retryable, ResultKind::ApiError))
                    }
                    // A positive code is not documented, so whether anything was done
                    // is not known.
                    ApiErrorKind::Unexpected => Verdict::Finish(change(RowStatus::Unknown, ResultKind::ApiError)),
                    _ => {
                        log::warn!("batch line {} ({}): {error}", row.line, row.identifier_text);
                        Verdict::Finish(change(RowStatus::Failed, ResultKind::ApiError))
                    }
                }
            }
            Error::InvalidRequest(_) => Verdict::Finish(change(RowStatus::Failed, ResultKind::Invalid)),
        }
    }

    fn repeat_or_finish(&self, row: &PendingRow, tries: u32, error: &Error, change: Change) -> Verdict {
        match self.row_retry.next_delay(tries, error) {
            Some(delay) => {
                log::warn!(
                    "batch line {} ({}): {error}; repeating in {} ms",
                    row.line,
                    row.identifier_text,
                    delay.as_millis()
                );
                Verdict::Repeat(change, delay)
            }
            None => {
                log::warn!("batch line {} ({}): {error}", row.line, row.identifier_text);
                Verdict::Finish(change)
            }
        }
    }

    /// Returns how long every worker pauses after a rate-limited response: the server's
    /// `Retry-After`, or a backoff that grows with each rate-limited response in a row.
    /// A `Retry-After` over the maximum backoff stops the run instead.
    fn rate_limit_pause(&self, error: &Error) -> Result<Duration, String> {
        let consecutive = self.consecutive_limits.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(retry_after) = error.retry_after() {
            if retry_after > self.options.max_backoff {
                return Err(format!(
                    "the server asked to wait {} s, longer than the maximum backoff of {} s; resume the batch later",
                    retry_after.as_secs(),
                    self.options.max_backoff.as_secs()
                ));
            }
            return Ok(retry_after);
        }
        let attempt = consecutive.min(MAX_ATTEMPTS - 1);
        Ok(self.pause_retry.next_delay(attempt, error).unwrap_or(self.options.max_backoff))
    }

    /// Commits a row's state change and updates the counts.
    fn record(
        &self,
        row: &PendingRow,
        status: &mut RowStatus,
        change: &Change,
        attempts: u32,
    ) -> Result<(), BatchError> {
        let sending = change.status == RowStatus::Sending;
        let transition = Transition {
            status: change.status,
            result: (!sending).then_some(change.result),
            code: change.code,
            message: (!sending).then_some(change.message.as_str()),
            attempts,
        };
        self.journal.record(self.id, row.line, &row.identifier_text, self.login_name, &transition)?;

        let mut tally = lock(&self.progress);
        tally.counts.remove(*status, None);
        tally.counts.add(change.status, transition.result, 1);
        *status = change.status;
        Ok(())
    }

    fn row_finished(&self) {
        let mut tally = lock(&self.progress);
        tally.done += 1;
        let Some(callback) = &self.options.progress else { return };

        let elapsed = self.started.elapsed();
        let requests = self.requests.load(Ordering::SeqCst);
        let progress = Progress {
            done: tally.done,
            total: tally.total,
            counts: tally.counts,
            requests,
            elapsed,
            requests_per_second: requests as f64 / elapsed.as_secs_f64().max(f64::EPSILON),
        };
        // The lock is held during the call so that calls never overlap.
        callback(&progress);
    }

    fn finish(self) -> Result<RunSummary, BatchError> {
        let requests = self.requests.load(Ordering::SeqCst);
        let cancelled = self.options.cancel.load(Ordering::SeqCst);
        let stopped = lock(&self.stop_reason).take();
        let fatal = lock(&self.fatal).take();
        let end_reason = match (&fatal, &stopped) {
            (Some(error), _) => format!("failed: {error}"),
            (None, Some(reason)) => format!("stopped: {reason}"),
            (None, None) if cancelled => "cancelled".to_owned(),
            (None, None) => "finished".to_owned(),
        };
        let ended = self.journal.end_run(self.id, requests, &end_reason);
        if let Some(error) = fatal {
            return Err(error);
        }
        ended?;

        let counts = self.journal.counts()?;
        let elapsed = self.started.elapsed();
        log::info!(
            "batch run {} {end_reason} after {requests} requests in {} ms: {counts}",
            self.id,
            elapsed.as_millis()
        );
        Ok(RunSummary { counts, requests, elapsed, cancelled, stopped })
    }
}

fn outcome_change(outcome: &Outcome) -> Change {
    let result = match outcome.kind() {
        OutcomeKind::AlreadyRevoked => ResultKind::AlreadyRevoked,
        OutcomeKind::AlreadyRejected => ResultKind::AlreadyRejected,
        OutcomeKind::Expired => ResultKind::Expired,
        _ => ResultKind::Accepted,
    };
    let mut message = outcome.message().unwrap_or(outcome.kind().description()).to_owned();
    if outcome.test_mode() {
        message.push_str(" (test mode, nothing was revoked)");
    }
    Change { status: RowStatus::Done, result, code: Some(outcome.code()), message }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
