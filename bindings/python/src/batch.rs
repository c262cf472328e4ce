//! Bulk revocation: `Client.revoke_many` runs the core's batch engine with the
//! interpreter detached and returns an immutable report of where every row ended.
//!
//! The report is a snapshot taken when the call returns. The batch, and with it the
//! lock on the journal, is closed by then, so the next call on the same journal can
//! resume it while the report is still in use.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyInt, PyMapping, PyString, PyTuple, PyType};

use sectigo_revoke::batch::{
    Batch, BatchError, Column, Counts, Input, PlanOptions, Progress, ReportFormat, RunOptions, MAX_CONCURRENCY,
};
use sectigo_revoke::Reason;

use crate::errors::{Error, Result};

/// How often the calling thread checks for a signal such as Ctrl-C while a batch runs.
const SIGNAL_CHECK_INTERVAL: Duration = Duration::from_millis(50);

/// The source of a batch's rows.
pub(crate) enum BatchInput {
    /// A CSV or JSON Lines file, its format named by the extension.
    File(PathBuf),
    /// Rows converted from Python mappings, as (column, value) pairs.
    Rows(Vec<Vec<(String, String)>>),
}

/// The Python arguments of `revoke_many` other than the client, converted.
pub(crate) struct BatchJob {
    pub(crate) input: BatchInput,
    pub(crate) journal: Option<PathBuf>,
    pub(crate) plan: PlanOptions,
    pub(crate) run: RunOptions,
    pub(crate) dry_run: bool,
}

impl BatchJob {
    /// Converts and checks the arguments that the core's option types cannot hold.
    /// Their ranges are checked by the core when the batch runs.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        input: BatchInput,
        journal: Option<PathBuf>,
        concurrency: i64,
        rate: Option<f64>,
        retry_unknown: bool,
        reason: Option<i64>,
        comment: Option<String>,
        test_mode: bool,
        dry_run: bool,
    ) -> Result<Self> {
        if journal.is_none() && !dry_run {
            return Err(Error::Type("revoke_many() needs a journal path unless dry_run=True".into()));
        }
        let concurrency = usize::try_from(concurrency).map_err(|_| BatchError::InvalidOption {
            option: "concurrency",
            problem: format!("{concurrency} is outside 1 to {MAX_CONCURRENCY}"),
        })?;

        let mut plan = PlanOptions::new().test_mode(test_mode);
        if let Some(code) = reason {
            plan = plan.reason(Reason::from_code(code)?);
        }
        if let Some(comment) = comment {
            plan = plan.comment(comment);
        }
        let mut run = RunOptions::new().concurrency(concurrency).retry_unknown(retry_unknown);
        if let Some(rate) = rate {
            run = run.rate(rate);
        }
        Ok(BatchJob { input, journal, plan, run, dry_run })
    }
}

/// Plans and runs a batch, or only plans it for a dry run, and returns the report.
///
/// The interpreter is detached for the whole batch. A progress callback attaches to
/// it for each call. An exception raised by the callback, or by a signal handler such
/// as Ctrl-C's, cancels the run: no new rows are taken, the requests in flight finish
/// and are journalled, and then the exception is raised. A callback that returns
/// `False` cancels the run the same way, and the report is returned.
pub(crate) fn revoke_many(
    py: Python<'_>,
    client: &sectigo_revoke::Client,
    job: BatchJob,
    on_progress: Option<Py<PyAny>>,
) -> Result<BatchReport> {
    let cancel = Arc::new(AtomicBool::new(false));
    let callback_error: Arc<Mutex<Option<PyErr>>> = Arc::default();
    let mut run = job.run.cancel_on(Arc::clone(&cancel));
    if let Some(callback) = on_progress {
        run = run.on_progress(forward_progress(callback, Arc::clone(&cancel), Arc::clone(&callback_error)));
    }

    let BatchJob { input, journal, plan, dry_run, .. } = job;
    let mut interrupt = None;
    let outcome = py.detach(|| {
        run_interruptibly(|| execute(client, input, journal, &plan, &run, dry_run), &cancel, &mut interrupt)
    });
    // Dropped here, with the interpreter attached, so the callback's reference is
    // released at once.
    drop(run);

    if let Some(error) = lock(&callback_error).take() {
        return Err(Error::Python(error));
    }
    if let Some(error) = interrupt {
        return Err(Error::Python(error));
    }
    Ok(outcome??)
}

/// Returns the progress function the engine calls after each row. It calls the
/// Python callback with a `BatchProgress`, and cancels the run when the callback
/// returns `False`. When the callback raises, it stores the exception, cancels the
/// run, and calls the callback no more.
fn forward_progress(
    callback: Py<PyAny>,
    cancel: Arc<AtomicBool>,
    failure: Arc<Mutex<Option<PyErr>>>,
) -> impl Fn(&Progress) + Send + Sync + 'static {
    move |progress| {
        if lock(&failure).is_some() {
            return;
        }
        let called = Python::attach(|py| {
            let progress = Bound::new(py, BatchProgress::new(progress))?;
            let returned = callback.bind(py).call1((progress,))?;
            Ok::<_, PyErr>(returned.cast::<PyBool>().is_ok_and(|returned| !returned.is_true()))
        });
        match called {
            Ok(false) => {}
            Ok(true) => cancel.store(true, Ordering::SeqCst),
            Err(error) => {
                lock(&failure).get_or_insert(error);
                cancel.store(true, Ordering::SeqCst);
            }
        }
    }
}

/// Runs `work` on a thread of its own and, until it ends, checks for signals every
/// 50 ms on the calling thread. Python runs signal handlers on its main thread only,
/// so a `KeyboardInterrupt` reaches a batch started there. The first exception a
/// handler raises is stored in `interrupt` and sets `cancel`, and `work` ends cleanly.
fn run_interruptibly<T: Send>(
    work: impl FnOnce() -> T + Send,
    cancel: &AtomicBool,
    interrupt: &mut Option<PyErr>,
) -> Result<T> {
    std::thread::scope(|scope| {
        // The sender is dropped when `work` returns or panics, which ends the wait.
        let (finished, wait) = mpsc::channel::<()>();
        let worker = std::thread::Builder::new()
            .name("revoke_many".into())
            .spawn_scoped(scope, move || {
                let _finished = finished;
                work()
            })
            .map_err(|error| Error::Python(PyOSError::new_err(format!("cannot start the batch thread: {error}"))))?;

        while let Err(RecvTimeoutError::Timeout) = wait.recv_timeout(SIGNAL_CHECK_INTERVAL) {
            if interrupt.is_some() {
                continue;
            }
            if let Err(error) = Python::attach(|py| py.check_signals()) {
                *interrupt = Some(error);
                cancel.store(true, Ordering::SeqCst);
            }
        }
        Ok(worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    })
}

fn execute(
    client: &sectigo_revoke::Client,
    input: BatchInput,
    journal: Option<PathBuf>,
    plan: &PlanOptions,
    run: &RunOptions,
    dry_run: bool,
) -> std::result::Result<BatchReport, BatchError> {
    let input = match input {
        BatchInput::File(path) => Input::file(path),
        BatchInput::Rows(rows) => Input::rows(rows),
    };
    match journal {
        Some(journal) if !dry_run => {
            let batch = Batch::open(input, journal, plan)?;
            let summary = batch.run(client, run)?;
            BatchReport::collect(&batch, Some(summary))
        }
        _ => BatchReport::collect(&Batch::dry_run(input, plan)?, None),
    }
}

/// Converts an iterable of mappings into rows of (column, value) pairs.
///
/// A value may be a `str`, an `int` in a numeric column, or `None` for absent. An
/// `int` is rejected in the other columns because it would be read as text: a serial
/// number given as an `int` would lose its leading zeros and be read as hex.
pub(crate) fn collect_rows(rows: &Bound<'_, PyAny>) -> Result<Vec<Vec<(String, String)>>> {
    let iterator = rows.try_iter().map_err(|_| {
        Error::Type(format!(
            "rows must be an iterable of mappings, or the path of a CSV or JSON Lines file, not {}",
            type_name(rows)
        ))
    })?;
    let mut collected = Vec::new();
    for (index, row) in iterator.enumerate() {
        collected.push(row_pairs(index as u64 + 1, &row?)?);
    }
    Ok(collected)
}

fn row_pairs(number: u64, row: &Bound<'_, PyAny>) -> Result<Vec<(String, String)>> {
    let mapping = row.cast::<PyMapping>().map_err(|_| {
        Error::Type(format!("row {number} must be a mapping of column names to values, not {}", type_name(row)))
    })?;
    let mut pairs = Vec::new();
    for item in mapping.items()?.iter() {
        let (key, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
        let column = key.cast::<PyString>().map_err(|_| {
            Error::Type(format!("row {number}: column names must be str, not {} ({key})", type_name(&key)))
        })?;
        let column = column.to_str()?.to_owned();
        if value.is_none() {
            continue;
        }
        let text = value_text(number, &column, &value)?;
        pairs.push((column, text));
    }
    Ok(pairs)
}

fn value_text(number: u64, column: &str, value: &Bound<'_, PyAny>) -> Result<String> {
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(text.to_str()?.to_owned());
    }
    let numeric = matches!(
        Column::from_name(column),
        Some(Column::OrderNumber | Column::CertificateId | Column::Reason | Column::AccountId | Column::Product)
    );
    if value.is_instance_of::<PyInt>() && !value.is_instance_of::<PyBool>() {
        if numeric {
            // int.__repr__ gives the digits also for an IntEnum such as
            // Reason.SUPERSEDED, whose own str() and repr() name the member.
            return Ok(value.py().get_type::<PyInt>().call_method1("__repr__", (value,))?.extract()?);
        }
        return Err(Error::Type(format!(
            "row {number}, column {column:?}: an int is not accepted here; give the value as a str"
        )));
    }
    let expected = if numeric { "a str, an int or None" } else { "a str or None" };
    Err(Error::Type(format!("row {number}, column {column:?}: the value must be {expected}, not {}", type_name(value))))
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value.get_type().name().map(|name| name.to_string()).unwrap_or_else(|_| "an unknown type".into())
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Looks up the member of an enum in `sectigo_revoke._types` by its value.
fn python_enum<'py>(
    py: Python<'py>,
    class: &'static PyOnceLock<Py<PyType>>,
    name: &str,
    value: &str,
) -> PyResult<Bound<'py, PyAny>> {
    class.import(py, "sectigo_revoke._types", name)?.call1((value,))
}

fn batch_status<'py>(py: Python<'py>, counts: &Counts) -> PyResult<Bound<'py, PyAny>> {
    static BATCH_STATUS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    python_enum(py, &BATCH_STATUS, "BatchStatus", counts.status().name())
}

/// The report `revoke_many` returns: the plan, the counts, and every row's result,
/// as they were when the call returned.
///
/// NOTE: every row is kept in memory, an estimated 300 bytes each from the field
/// sizes, so a batch of a million rows keeps about 300 MB until the report is dropped.
#[pyclass(frozen, module = "sectigo_revoke._native", name = "BatchReport")]
pub(crate) struct BatchReport {
    plan: sectigo_revoke::batch::PlanSummary,
    counts: Counts,
    requests: u64,
    elapsed: Duration,
    cancelled: bool,
    stopped: Option<String>,
    dry_run: bool,
    journal: Option<String>,
    problems: Vec<sectigo_revoke::batch::RowProblem>,
    rows: Vec<sectigo_revoke::batch::RowReport>,
    row_objects: PyOnceLock<Py<PyTuple>>,
}

impl BatchReport {
    /// Reads the rows and problems out of the journal. The caller closes the batch
    /// afterwards, which releases the journal.
    fn collect(
        batch: &Batch,
        summary: Option<sectigo_revoke::batch::RunSummary>,
    ) -> std::result::Result<BatchReport, BatchError> {
        let mut rows = Vec::new();
        batch.for_each_row(|row| rows.push(row.clone()))?;
        let dry_run = summary.is_none();
        let (counts, requests, elapsed, cancelled, stopped) = match summary {
            Some(summary) => (summary.counts, summary.requests, summary.elapsed, summary.cancelled, summary.stopped),
            None => (batch.counts()?, 0, Duration::ZERO, false, None),
        };
        Ok(BatchReport {
            plan: batch.plan_summary().clone(),
            counts,
            requests,
            elapsed,
            cancelled,
            stopped,
            dry_run,
            journal: batch.journal_path().map(|path| path.display().to_string()),
            problems: batch.problems(usize::MAX)?,
            rows,
            row_objects: PyOnceLock::new(),
        })
    }
}

#[pymethods]
impl BatchReport {
    #[getter]
    fn plan(&self) -> PlanSummary {
        PlanSummary { inner: self.plan.clone() }
    }

    #[getter]
    fn counts(&self) -> BatchCounts {
        BatchCounts { inner: self.counts }
    }

    #[getter]
    fn status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        batch_status(py, &self.counts)
    }

    #[getter]
    fn succeeded(&self) -> bool {
        self.counts.status() == sectigo_revoke::batch::BatchStatus::Succeeded
    }

    #[getter]
    fn requests(&self) -> u64 {
        self.requests
    }

    #[getter]
    fn elapsed(&self) -> f64 {
        self.elapsed.as_secs_f64()
    }

    #[getter]
    fn cancelled(&self) -> bool {
        self.cancelled
    }

    #[getter]
    fn stopped(&self) -> Option<&str> {
        self.stopped.as_deref()
    }

    #[getter]
    fn dry_run(&self) -> bool {
        self.dry_run
    }

    #[getter]
    fn journal(&self) -> Option<&str> {
        self.journal.as_deref()
    }

    #[getter]
    fn problems<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let problems = self.problems.iter().map(|problem| RowProblem { inner: problem.clone() });
        PyTuple::new(py, problems)
    }

    /// Builds the row objects on first use and returns the same tuple afterwards.
    #[getter]
    fn rows<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let rows = self.row_objects.get_or_try_init(py, || {
            let objects = self.rows.iter().map(|row| RowReport { inner: row.clone() });
            PyTuple::new(py, objects).map(Bound::unbind)
        })?;
        Ok(rows.bind(py).clone())
    }

    #[pyo3(signature = (path, format=None))]
    fn write(&self, py: Python<'_>, path: PathBuf, format: Option<&str>) -> Result<()> {
        let format = match format {
            None => None,
            Some("csv") => Some(ReportFormat::Csv),
            Some("jsonl") => Some(ReportFormat::JsonLines),
            Some(other) => {
                return Err(Error::Python(PyValueError::new_err(format!(
                "invalid format {other:?}; give \"csv\" or \"jsonl\", or leave it out to choose by the file extension"
            ))))
            }
        };
        let rows = &self.rows;
        py.detach(|| sectigo_revoke::batch::write_rows_report(rows, &path, format))?;
        Ok(())
    }

    fn __len__(&self) -> usize {
        self.rows.len()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let journal = match &self.journal {
            Some(path) => PyString::new(py, path).repr()?.to_string(),
            None => "None".to_owned(),
        };
        Ok(format!(
            "BatchReport(status=BatchStatus.{}, rows={}, requests={}, journal={journal})",
            batch_status(py, &self.counts)?.getattr("name")?,
            self.counts.rows,
            self.requests
        ))
    }
}

/// How many rows are in each state.
#[pyclass(frozen, eq, module = "sectigo_revoke._native", name = "BatchCounts")]
#[derive(PartialEq)]
pub(crate) struct BatchCounts {
    inner: Counts,
}

#[pymethods]
impl BatchCounts {
    #[getter]
    fn rows(&self) -> u64 {
        self.inner.rows
    }

    #[getter]
    fn planned(&self) -> u64 {
        self.inner.planned
    }

    #[getter]
    fn sending(&self) -> u64 {
        self.inner.sending
    }

    #[getter]
    fn retryable(&self) -> u64 {
        self.inner.retryable
    }

    #[getter]
    fn unknown(&self) -> u64 {
        self.inner.unknown
    }

    #[getter]
    fn accepted(&self) -> u64 {
        self.inner.accepted
    }

    #[getter]
    fn already_revoked(&self) -> u64 {
        self.inner.already_revoked
    }

    #[getter]
    fn already_rejected(&self) -> u64 {
        self.inner.already_rejected
    }

    #[getter]
    fn expired(&self) -> u64 {
        self.inner.expired
    }

    #[getter]
    fn failed(&self) -> u64 {
        self.inner.failed
    }

    #[getter]
    fn invalid(&self) -> u64 {
        self.inner.invalid
    }

    #[getter]
    fn duplicate(&self) -> u64 {
        self.inner.duplicate
    }

    #[getter]
    fn done(&self) -> u64 {
        self.inner.done()
    }

    #[getter]
    fn outstanding(&self) -> u64 {
        self.inner.outstanding()
    }

    #[getter]
    fn status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        batch_status(py, &self.inner)
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        let counts = &self.inner;
        format!(
            "BatchCounts(rows={}, planned={}, sending={}, retryable={}, unknown={}, accepted={}, already_revoked={}, \
             already_rejected={}, expired={}, failed={}, invalid={}, duplicate={})",
            counts.rows,
            counts.planned,
            counts.sending,
            counts.retryable,
            counts.unknown,
            counts.accepted,
            counts.already_revoked,
            counts.already_rejected,
            counts.expired,
            counts.failed,
            counts.invalid,
            counts.duplicate
        )
    }
}

/// How far a run has come, passed to the progress callback.
#[pyclass(frozen, module = "sectigo_revoke._native", name = "BatchProgress")]
pub(crate) struct BatchProgress {
    inner: Progress,
}

impl BatchProgress {
    fn new(progress: &Progress) -> Self {
        BatchProgress { inner: progress.clone() }
    }
}

#[pymethods]
impl BatchProgress {
    #[getter]
    fn done(&self) -> u64 {
        self.inner.done
    }

    #[getter]
    fn total(&self) -> u64 {
        self.inner.total
    }

    #[getter]
    fn counts(&self) -> BatchCounts {
        BatchCounts { inner: self.inner.counts }
    }

    #[getter]
    fn requests(&self) -> u64 {
        self.inner.requests
    }

    #[getter]
    fn elapsed(&self) -> f64 {
        self.inner.elapsed.as_secs_f64()
    }

    #[getter]
    fn requests_per_second(&self) -> f64 {
        self.inner.requests_per_second
    }

    fn __repr__(&self) -> String {
        format!(
            "BatchProgress(done={}, total={}, requests={}, elapsed={:.3})",
            self.inner.done,
            self.inner.total,
            self.inner.requests,
            self.inner.elapsed.as_secs_f64()
        )
    }
}

/// The content of a plan: rows to send, rows rejected, and the split by reason code
/// and identifier.
#[pyclass(frozen, module = "sectigo_revoke._native", name = "PlanSummary")]
pub(crate) struct PlanSummary {
    inner: sectigo_revoke::batch::PlanSummary,
}

#[pymethods]
impl PlanSummary {
    #[getter]
    fn rows(&self) -> u64 {
        self.inner.rows
    }

    #[getter]
    fn to_send(&self) -> u64 {
        self.inner.to_send
    }

    #[getter]
    fn invalid(&self) -> u64 {
        self.inner.invalid
    }

    #[getter]
    fn duplicates(&self) -> u64 {
        self.inner.duplicates
    }

    #[getter]
    fn per_reason<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        static REASON: PyOnceLock<Py<PyType>> = PyOnceLock::new();

        let reason = REASON.import(py, "sectigo_revoke._types", "Reason")?;
        let counts = PyDict::new(py);
        for (code, count) in &self.inner.per_reason {
            counts.set_item(reason.call1((code.code(),))?, count)?;
        }
        Ok(counts)
    }

    #[getter]
    fn per_identifier<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let counts = PyDict::new(py);
        for (name, count) in &self.inner.per_identifier {
            counts.set_item(name, count)?;
        }
        Ok(counts)
    }

    #[getter]
    fn test_mode(&self) -> bool {
        self.inner.test_mode
    }

    #[getter]
    fn resumed(&self) -> bool {
        self.inner.resumed
    }

    #[getter]
    fn already_final(&self) -> u64 {
        self.inner.already_final
    }

    #[getter]
    fn unknown(&self) -> u64 {
        self.inner.unknown
    }

    fn __repr__(&self) -> String {
        let plan = &self.inner;
        format!(
            "PlanSummary(rows={}, to_send={}, invalid={}, duplicates={}, test_mode={}, resumed={})",
            plan.rows,
            plan.to_send,
            plan.invalid,
            plan.duplicates,
            python_bool(plan.test_mode),
            python_bool(plan.resumed)
        )
    }
}

/// A row that failed validation or repeats an earlier row, so it is never sent.
#[pyclass(frozen, eq, module = "sectigo_revoke._native", name = "RowProblem")]
#[derive(PartialEq)]
pub(crate) struct RowProblem {
    inner: sectigo_revoke::batch::RowProblem,
}

#[pymethods]
impl RowProblem {
    #[getter]
    fn line(&self) -> u64 {
        self.inner.line
    }

    #[getter]
    fn column(&self) -> Option<&str> {
        self.inner.column.as_deref()
    }

    #[getter]
    fn problem(&self) -> &str {
        &self.inner.problem
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let column = match &self.inner.column {
            Some(column) => PyString::new(py, column).repr()?.to_string(),
            None => "None".to_owned(),
        };
        let problem = PyString::new(py, &self.inner.problem).repr()?;
        Ok(format!("RowProblem(line={}, column={column}, problem={problem})", self.inner.line))
    }
}

/// One row of a batch: its identifier, its state and the result of its last request.
#[pyclass(frozen, eq, module = "sectigo_revoke._native", name = "RowReport")]
#[derive(PartialEq)]
pub(crate) struct RowReport {
    inner: sectigo_revoke::batch::RowReport,
}

#[pymethods]
impl RowReport {
    #[getter]
    fn line(&self) -> u64 {
        self.inner.line
    }

    #[getter]
    fn identifier(&self) -> Option<&str> {
        self.inner.identifier.as_deref()
    }

    #[getter]
    fn status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        static ROW_STATUS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
        python_enum(py, &ROW_STATUS, "RowStatus", self.inner.status.name())
    }

    #[getter]
    fn result<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        static RESULT_KIND: PyOnceLock<Py<PyType>> = PyOnceLock::new();
        self.inner.result.map(|result| python_enum(py, &RESULT_KIND, "ResultKind", result.name())).transpose()
    }

    #[getter]
    fn code(&self) -> Option<i32> {
        self.inner.code
    }

    #[getter]
    fn message(&self) -> Option<&str> {
        self.inner.message.as_deref()
    }

    #[getter]
    fn column(&self) -> Option<&str> {
        self.inner.column.as_deref()
    }

    #[getter]
    fn duplicate_of(&self) -> Option<u64> {
        self.inner.duplicate_of
    }

    #[getter]
    fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    #[getter]
    fn updated_at(&self) -> &str {
        &self.inner.updated_at
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let identifier = match &self.inner.identifier {
            Some(identifier) => PyString::new(py, identifier).repr()?.to_string(),
            None => "None".to_owned(),
        };
        let result = match self.inner.result {
            Some(result) => format!("ResultKind.{}", result.name().to_ascii_uppercase()),
            None => "None".to_owned(),
        };
        let code = self.inner.code.map_or_else(|| "None".to_owned(), |code| code.to_string());
        Ok(format!(
            "RowReport(line={}, identifier={identifier}, status=RowStatus.{}, result={result}, code={code}, attempts={})",
            self.inner.line,
            self.inner.status.name().to_ascii_uppercase(),
            self.inner.attempts
        ))
    }
}

fn python_bool(value: bool) -> &'static str {
    if value {
        "True"
    } else {
        "False"
    }
}
