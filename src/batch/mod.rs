//! Bulk revocation: thousands of certificates from a CSV or JSON Lines file, with a
//! journal that lets an interrupted run resume without losing or repeating a row.
//!
//! A batch goes through three steps:
//!
//! 1. **Plan.** [`Batch::open`] reads every row, validates it through
//!    [`RevocationBuilder`](crate::RevocationBuilder), drops duplicates (the same
//!    certificate spelt twice, such as a serial number with and without its leading
//!    `00` byte) and stores the plan in a SQLite journal. Nothing is sent.
//!    [`Batch::plan_summary`] and [`Batch::problems`] say what the plan holds, for a
//!    front door to show before it asks to go ahead. [`Batch::dry_run`] plans into a
//!    temporary journal and stops there.
//! 2. **Run.** [`Batch::run`] sends the planned rows with a number of worker threads
//!    sharing one [`Client`], an optional rate limit, a shared pause on -42 or HTTP 429,
//!    and a journal entry committed before and after each request.
//! 3. **Report.** [`Batch::write_report`] writes one line per row, and
//!    [`RunSummary::status`] says whether every row reached success or a final state.
//!
//! Opening a journal that already holds a complete plan resumes it: the input must be
//! the same (its SHA-256 is compared) and so must the plan options. Rows with a final
//! result are never sent again. Rows that were in flight when the previous run died
//! become `unknown` and are sent again only with [`RunOptions::retry_unknown`]; a
//! repeat then answers "already revoked", which counts as done.
//!
//! ```no_run
//! use sectigo_revoke::batch::{Batch, BatchStatus, Input, PlanOptions, RunOptions};
//! use sectigo_revoke::{Client, Credentials, Reason};
//!
//! let credentials = Credentials::new("api-user", std::env::var("SECTIGO_LOGIN_PASSWORD").unwrap())?;
//! let client = Client::builder(credentials).build()?;
//!
//! let plan = PlanOptions::new().reason(Reason::Superseded);
//! let batch = Batch::open(Input::file("incident.csv"), "incident.journal", &plan)?;
//! println!("{} rows to send, {} invalid", batch.plan_summary().to_send, batch.plan_summary().invalid);
//!
//! let summary = batch.run(&client, &RunOptions::new().concurrency(8).rate(20.0))?;
//! batch.write_report("incident-report.csv", None)?;
//! if summary.status() != BatchStatus::Succeeded {
//!     eprintln!("not every row succeeded: {}", summary.counts);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod executor;
mod input;
mod journal;
mod plan;
mod rate;
mod report;

use std::io::Write;
use std::path::{Path, PathBuf};

pub use error::BatchError;
pub use executor::{Progress, ProgressCallback, RunOptions, RunSummary, MAX_CONCURRENCY};
pub use input::{Column, Input, InputFormat, RowProblem, COLUMNS, MAX_RECORD_BYTES, MAX_VALUE_BYTES};
pub use journal::{ResultKind, RowReport, RowStatus, JOURNAL_FORMAT_VERSION};
pub use plan::{PlanOptions, PlanSummary};
pub use report::{write_rows_report, write_rows_report_to, BatchStatus, Counts, ReportFormat, REPORT_COLUMNS};

use crate::client::Client;
use journal::{utc_timestamp, Journal};

/// A planned batch, backed by its journal.
///
/// The journal file stays locked while the `Batch` exists, so no other process can
/// run it at the same time.
pub struct Batch {
    journal: Journal,
    options: PlanOptions,
    summary: PlanSummary,
}

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch").field("journal", &self.journal.label()).field("summary", &self.summary).finish()
    }
}

impl Batch {
    /// Plans the input into a new journal at `journal`, or resumes the journal there.
    ///
    /// A new journal is planned from the input. An existing journal with a complete
    /// plan is resumed once the input's SHA-256 and the plan options match what it
    /// recorded. Rows it shows in flight then become `unknown`. A journal
    /// whose planning was cut off is planned again, since nothing was sent from it.
    pub fn open(input: Input, journal: impl AsRef<Path>, options: &PlanOptions) -> Result<Batch, BatchError> {
        let journal = Journal::open(journal.as_ref())?;
        let resumed = journal.meta("plan_complete")?.is_some();
        if resumed {
            check_same_plan(&journal, input, options)?;
            let recovered = journal.recover_interrupted()?;
            if recovered > 0 {
                log::warn!(
                    "journal {}: {recovered} rows were in flight when the last run stopped; their outcome is unknown",
                    journal.label()
                );
            }
        } else {
            plan_into(&journal, input, options)?;
        }
        Batch::new(journal, options, resumed)
    }

    /// Plans the input into a temporary journal, which is deleted when the batch is
    /// dropped. Nothing can be sent from it: [`Batch::run`] returns
    /// [`BatchError::DryRun`].
    pub fn dry_run(input: Input, options: &PlanOptions) -> Result<Batch, BatchError> {
        let journal = Journal::temporary()?;
        plan_into(&journal, input, options)?;
        Batch::new(journal, options, false)
    }

    fn new(journal: Journal, options: &PlanOptions, resumed: bool) -> Result<Batch, BatchError> {
        let counts = journal.counts()?;
        let summary = PlanSummary {
            rows: counts.rows,
            to_send: counts.to_send(),
            invalid: counts.invalid,
            duplicates: counts.duplicate,
            per_reason: journal.reason_counts()?,
            per_identifier: journal.identifier_counts()?,
            test_mode: options.is_test_mode(),
            resumed,
            already_final: counts.done() + counts.failed,
            unknown: counts.unknown,
        };
        Ok(Batch { journal, options: options.clone(), summary })
    }

    /// Returns what the plan holds.
    pub fn plan_summary(&self) -> &PlanSummary {
        &self.summary
    }

    /// Returns the path of the journal, or `None` for a dry run.
    pub fn journal_path(&self) -> Option<PathBuf> {
        (!self.journal.is_temporary()).then(|| PathBuf::from(self.journal.label()))
    }

    /// Returns the first `limit` invalid and duplicate rows, in line order, with the
    /// column and the problem.
    pub fn problems(&self, limit: usize) -> Result<Vec<RowProblem>, BatchError> {
        let mut problems = Vec::new();
        if limit == 0 {
            return Ok(problems);
        }
        self.journal.for_each_problem(|row| {
            if problems.len() < limit {
                let message = row.message.clone().unwrap_or_default();
                problems.push(RowProblem::new(row.line, row.column.as_deref(), message));
            }
            Ok(())
        })?;
        Ok(problems)
    }

    /// Calls `visit` for every row in line order, for callers that hand the results
    /// on instead of writing a report. The journal is held for the duration, so
    /// `visit` must not call back into this batch.
    pub fn for_each_row(&self, mut visit: impl FnMut(&RowReport)) -> Result<(), BatchError> {
        self.journal.for_each_row(|row| {
            visit(row);
            Ok(())
        })
    }

    /// Returns how many rows are in each state now.
    pub fn counts(&self) -> Result<Counts, BatchError> {
        self.journal.counts()
    }

    /// Sends every pending row and returns when all are handled, the cancellation
    /// flag is set, or an error that concerns every row stops the run.
    ///
    /// Rows are pending when planned, left retryable by an earlier run, or (with
    /// [`RunOptions::retry_unknown`]) unknown. The client should have no retry policy
    /// of its own ([`RetryPolicy::none`](crate::RetryPolicy::none), its default): the
    /// run repeats requests itself so that each attempt is journalled and a rate limit
    /// pauses every worker.
    pub fn run(&self, client: &Client, options: &RunOptions) -> Result<RunSummary, BatchError> {
        if self.journal.is_temporary() {
            return Err(BatchError::DryRun);
        }
        executor::run(&self.journal, client, options, self.options.is_test_mode())
    }

    /// Writes the report to a file, in `format` or else the format the file name's
    /// extension names, and returns the counts it reflects.
    pub fn write_report(&self, path: impl AsRef<Path>, format: Option<ReportFormat>) -> Result<Counts, BatchError> {
        report::write_report_file(&self.journal, path.as_ref(), format)?;
        self.counts()
    }

    /// Writes the report to `output` and returns the counts it reflects.
    pub fn write_report_to(&self, output: impl Write, format: ReportFormat) -> Result<Counts, BatchError> {
        report::write_report(&self.journal, output, format, "output")?;
        self.counts()
    }
}

/// Plans a file and sends it in one call, resuming the journal if it exists, for front
/// doors that need no confirmation step in between.
pub fn revoke_file(
    client: &Client,
    input: impl Into<PathBuf>,
    journal: impl AsRef<Path>,
    plan: &PlanOptions,
    run: &RunOptions,
) -> Result<RunSummary, BatchError> {
    Batch::open(Input::file(input), journal, plan)?.run(client, run)
}

/// Plans the input into an empty journal and marks the plan complete.
fn plan_into(journal: &Journal, input: Input, options: &PlanOptions) -> Result<(), BatchError> {
    let origin = input.describe();
    let format = input.format_name().unwrap_or_default();
    let reader = input.open()?;
    journal.clear_plan()?;

    let mut settings: Vec<(&str, String)> = vec![("input_origin", origin.clone()), ("input_format", format.to_owned())];
    settings.extend(options.recorded());
    journal.set_meta(&settings)?;

    log::info!("planning {origin} into journal {}", journal.label());
    let (digest, rows) = plan::plan_rows(reader, journal, options)?;
    journal.set_meta(&[
        ("input_sha256", digest),
        ("rows_read", rows.to_string()),
        ("planned_at", utc_timestamp()),
        ("plan_complete", "1".to_owned()),
    ])
}

/// Rejects a resume whose input or plan options differ from the journal's.
fn check_same_plan(journal: &Journal, input: Input, options: &PlanOptions) -> Result<(), BatchError> {
    let label = journal.label().to_owned();
    let mut expected: Vec<(&'static str, String)> = options.recorded().to_vec();
    expected.push(("input_format", input.format_name().unwrap_or_default().to_owned()));
    for (setting, given) in expected {
        let recorded = journal.meta(setting)?.unwrap_or_default();
        if recorded != given {
            return Err(BatchError::SettingChanged {
                journal: label,
                setting,
                recorded: quoted(&recorded),
                given: quoted(&given),
            });
        }
    }

    let origin = input.describe();
    let found = input.digest()?;
    let recorded = journal.meta("input_sha256")?.unwrap_or_default();
    if recorded != found {
        return Err(BatchError::InputChanged {
            journal: label,
            recorded_origin: journal.meta("input_origin")?.unwrap_or_default(),
            recorded,
            origin,
            found,
        });
    }
    Ok(())
}

fn quoted(value: &str) -> String {
    format!("{value:?}")
}
