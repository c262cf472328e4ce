//! What `batch` prints: the plan before anything is sent, and the summary when the
//! command ends, as text or as one JSON object.
//!
//! Text goes to standard output, except errors, which go to standard error as an
//! `error:` line and a `hint:` line. With `--json`, standard output contains one JSON
//! object whatever happened.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use sectigo_revoke::batch::{Batch, BatchError, BatchStatus, Counts, RowStatus, RunSummary};

use crate::exit::Exit;
use crate::input::InputError;
use crate::progress::format_duration;

/// An error that ended the command: invalid input, a journal that cannot be used, or
/// an error that stopped the run.
#[derive(Debug)]
pub struct Failure {
    exit: Exit,
    result: &'static str,
    message: String,
    hint: String,
    field: Option<String>,
    /// True when the journal may hold rows that a resume would send.
    resumable: bool,
}

impl Failure {
    fn new(exit: Exit, result: &'static str, message: String, hint: impl Into<String>) -> Self {
        Failure { exit, result, message, hint: hint.into(), field: None, resumable: false }
    }

    /// Describes an error found before anything was planned or sent.
    pub fn nothing_sent(error: BatchError) -> Self {
        let exit = match &error {
            BatchError::Input { .. }
            | BatchError::InputChanged { .. }
            | BatchError::SettingChanged { .. }
            | BatchError::InvalidOption { .. } => Exit::Usage,
            _ => Exit::Failure,
        };
        let result = if exit == Exit::Usage { "invalid_request" } else { "error" };
        let hint = match &error {
            BatchError::Input { .. } => "nothing was sent; correct the input file and run the command again",
            BatchError::JournalInUse { .. } => "nothing was sent by this command",
            _ => "nothing was sent; correct the cause and run the command again",
        };
        Failure::new(exit, result, error.to_string(), hint)
    }

    /// Describes an error that stopped a run, which may have sent some rows.
    pub fn during_run(error: BatchError, resume_command: &str) -> Self {
        let hint = format!(
            "rows sent before the error are recorded in the journal; once the cause is fixed, resume with: \
             {resume_command}"
        );
        let mut failure = Failure::new(Exit::Failure, "error", error.to_string(), hint);
        failure.resumable = true;
        failure
    }

    /// Describes a report that could not be written after the run.
    pub fn report(error: BatchError, resume_command: &str) -> Self {
        let hint = format!(
            "the journal contains every row's result; write the report to another path by resuming with --report \
             FILE: {resume_command}"
        );
        let mut failure = Failure::new(Exit::Failure, "error", error.to_string(), hint);
        failure.resumable = true;
        failure
    }

    /// Describes a real run that cannot ask for confirmation.
    pub fn cannot_confirm() -> Self {
        let mut failure = Failure::new(
            Exit::Usage,
            "invalid_request",
            "standard input is not a terminal, so the batch cannot ask for confirmation".to_owned(),
            "nothing was sent; add --yes to send without asking, or --dry-run to check the plan first",
        );
        failure.field = Some("--yes".to_owned());
        failure
    }
}

impl From<InputError> for Failure {
    fn from(error: InputError) -> Self {
        let mut failure = Failure::new(
            Exit::Usage,
            "invalid_request",
            error.to_string(),
            "nothing was sent; correct the value and run the command again",
        );
        failure.field = Some(error.field().to_owned());
        failure
    }
}

/// Everything the command reports, in the shape of the `--json` output. Every key is
/// always present, `null` or empty when it does not apply.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// `succeeded`, `finished_with_failures`, `incomplete`, `not_started`, `dry_run`,
    /// `invalid_request` or `error`.
    result: &'static str,
    exit_code: u8,
    summary: String,
    advice: Option<String>,
    field: Option<String>,
    input: String,
    format: Option<&'static str>,
    journal: Option<String>,
    report: Option<String>,
    dry_run: bool,
    test_mode: bool,
    resumed: bool,
    plan: Option<PlanJson>,
    problems: Vec<ProblemJson>,
    problems_not_listed: u64,
    run: Option<RunJson>,
    counts: Option<CountsJson>,
    failures: Vec<RowJson>,
    failures_not_listed: u64,
    resume_command: Option<String>,
    #[serde(skip)]
    exit: Exit,
}

#[derive(Debug, Serialize)]
struct PlanJson {
    rows: u64,
    to_send: u64,
    invalid: u64,
    duplicates: u64,
    per_reason: Vec<ReasonCount>,
    per_identifier: Vec<IdentifierCount>,
    already_final: u64,
    unknown: u64,
    pending: u64,
}

#[derive(Debug, Serialize)]
struct ReasonCount {
    reason: &'static str,
    code: u8,
    rows: u64,
}

#[derive(Debug, Serialize)]
struct IdentifierCount {
    identifier: String,
    rows: u64,
}

#[derive(Debug, Serialize)]
struct RunJson {
    requests: u64,
    elapsed_secs: f64,
    cancelled: bool,
    signal: Option<&'static str>,
    stopped: Option<String>,
    retry_unknown: bool,
}

#[derive(Debug, Serialize)]
struct CountsJson {
    rows: u64,
    accepted: u64,
    already_revoked: u64,
    already_rejected: u64,
    expired: u64,
    failed: u64,
    invalid: u64,
    duplicate: u64,
    unknown: u64,
    retryable: u64,
    not_sent_yet: u64,
}

impl From<&Counts> for CountsJson {
    fn from(counts: &Counts) -> Self {
        CountsJson {
            rows: counts.rows,
            accepted: counts.accepted,
            already_revoked: counts.already_revoked,
            already_rejected: counts.already_rejected,
            expired: counts.expired,
            failed: counts.failed,
            invalid: counts.invalid,
            duplicate: counts.duplicate,
            unknown: counts.unknown,
            retryable: counts.retryable,
            not_sent_yet: counts.planned + counts.sending,
        }
    }
}

/// An invalid or duplicate row, found while planning.
#[derive(Debug, Serialize)]
struct ProblemJson {
    line: u64,
    column: Option<String>,
    problem: String,
}

/// A row the API rejected, or whose outcome is unknown.
#[derive(Debug, Serialize)]
struct RowJson {
    line: u64,
    identifier: Option<String>,
    result: &'static str,
    code: Option<i32>,
    message: String,
}

/// A line of a list printed as text.
trait ListedRow {
    fn text(&self) -> String;
}

impl ListedRow for ProblemJson {
    fn text(&self) -> String {
        match &self.column {
            Some(column) => format!("line {}, {column}: {}", self.line, self.problem),
            None => format!("line {}: {}", self.line, self.problem),
        }
    }
}

impl ListedRow for RowJson {
    fn text(&self) -> String {
        let mut text = format!("line {}", self.line);
        if let Some(identifier) = &self.identifier {
            text.push_str(&format!(" ({identifier})"));
        }
        text.push_str(&format!(": {}", self.result));
        if let Some(code) = self.code {
            text.push_str(&format!(" {code}"));
        }
        format!("{text}: {}", self.message)
    }
}

impl Summary {
    /// Starts the summary of a batch over `input`.
    pub fn new(input: &Path, dry_run: bool, test_mode: bool) -> Self {
        Summary {
            result: "error",
            exit_code: Exit::Failure.code(),
            summary: String::new(),
            advice: None,
            field: None,
            input: input.display().to_string(),
            format: None,
            journal: None,
            report: None,
            dry_run,
            test_mode,
            resumed: false,
            plan: None,
            problems: Vec::new(),
            problems_not_listed: 0,
            run: None,
            counts: None,
            failures: Vec::new(),
            failures_not_listed: 0,
            resume_command: None,
            exit: Exit::Failure,
        }
    }

    pub fn set_format(&mut self, format: &'static str) {
        self.format = Some(format);
    }

    pub fn set_journal(&mut self, journal: &Path) {
        self.journal = Some(journal.display().to_string());
    }

    pub fn set_report(&mut self, report: &Path) {
        self.report = Some(report.display().to_string());
    }

    pub fn set_resume_command(&mut self, command: String) {
        self.resume_command = Some(command);
    }

    /// Records the plan, `pending` (the rows this run will send), and the first
    /// `limit` invalid and duplicate rows.
    pub fn set_plan(&mut self, batch: &Batch, pending: u64, limit: usize) -> Result<(), BatchError> {
        let plan = batch.plan_summary();
        self.resumed = plan.resumed;
        self.plan = Some(PlanJson {
            rows: plan.rows,
            to_send: plan.to_send,
            invalid: plan.invalid,
            duplicates: plan.duplicates,
            per_reason: plan
                .per_reason
                .iter()
                .map(|(reason, rows)| ReasonCount { reason: reason.name(), code: reason.code(), rows: *rows })
                .collect(),
            per_identifier: plan
                .per_identifier
                .iter()
                .map(|(identifier, rows)| IdentifierCount { identifier: identifier.clone(), rows: *rows })
                .collect(),
            already_final: plan.already_final,
            unknown: plan.unknown,
            pending,
        });
        self.problems = batch
            .problems(limit)?
            .into_iter()
            .map(|problem| ProblemJson { line: problem.line, column: problem.column, problem: problem.problem })
            .collect();
        self.problems_not_listed = (plan.invalid + plan.duplicates).saturating_sub(self.problems.len() as u64);
        Ok(())
    }

    /// Records what a run did.
    pub fn set_run(&mut self, run: &RunSummary, signal: Option<&'static str>, retry_unknown: bool) {
        self.run = Some(RunJson {
            requests: run.requests,
            elapsed_secs: run.elapsed.as_secs_f64(),
            cancelled: run.cancelled,
            signal,
            stopped: run.stopped.clone(),
            retry_unknown,
        });
    }

    /// Records the counts and the first `limit` failed or unknown rows.
    pub fn set_counts(&mut self, batch: &Batch, counts: &Counts, limit: usize) -> Result<(), BatchError> {
        self.counts = Some(CountsJson::from(counts));
        let mut failures = Vec::new();
        batch.for_each_row(|row| {
            if matches!(row.status, RowStatus::Failed | RowStatus::Unknown) && failures.len() < limit {
                failures.push(RowJson {
                    line: row.line,
                    identifier: row.identifier.clone(),
                    result: row.result.map_or(row.status.name(), |result| result.name()),
                    code: row.code,
                    message: row.message.as_deref().map(name_retry_option).unwrap_or_default(),
                });
            }
        })?;
        self.failures_not_listed = (counts.failed + counts.unknown).saturating_sub(failures.len() as u64);
        self.failures = failures;
        Ok(())
    }

    /// Sets the end state from a dry run's plan: exit 2 when some rows are invalid.
    pub fn finish_dry_run(&mut self) {
        let (to_send, invalid, duplicates) =
            self.plan.as_ref().map_or((0, 0, 0), |plan| (plan.to_send, plan.invalid, plan.duplicates));
        self.summary = format!(
            "dry run: nothing was sent; {} to send, {invalid} invalid, {duplicates} duplicate",
            format_count(to_send, "row", "rows")
        );
        if invalid > 0 {
            self.set_end("dry_run", Exit::Usage);
            self.advice = Some(
                "correct the invalid rows, or run without --dry-run to send the valid rows and skip the invalid ones"
                    .to_owned(),
            );
        } else {
            self.set_end("dry_run", Exit::Success);
            self.advice = None;
        }
    }

    /// Sets the end state of a batch whose run did not begin. `journal_kept` is true
    /// when the journal remains for a resume.
    pub fn finish_not_started(&mut self, reason: &str, advice: String, journal_kept: bool) {
        if !journal_kept {
            self.resume_command = None;
        }
        self.summary = format!("not started: {reason}; nothing was sent");
        self.advice = Some(advice);
        self.set_end("not_started", Exit::BatchNotStarted);
    }

    /// Sets the end state from the journal's counts after a run.
    pub fn finish_run(&mut self, status: BatchStatus, counts: &Counts, advice: Option<String>) {
        let already_final = counts.already_revoked + counts.already_rejected + counts.expired;
        let (exit, summary) = match status {
            BatchStatus::Succeeded => (
                Exit::Success,
                format!(
                    "every row is done: {} accepted, {already_final} already revoked, rejected or expired; \
                     duplicates not sent: {}",
                    counts.accepted, counts.duplicate
                ),
            ),
            BatchStatus::FinishedWithFailures => (
                Exit::BatchFinishedWithFailures,
                format!(
                    "finished with failures: {} rejected by the API, {} invalid; the other {} done",
                    counts.failed,
                    counts.invalid,
                    format_count(counts.rows - counts.failed - counts.invalid, "row is", "rows are")
                ),
            ),
            BatchStatus::Incomplete => (
                Exit::BatchIncomplete,
                format!(
                    "incomplete: {} not sent yet, {} retryable, {} with an unknown outcome",
                    counts.planned + counts.sending,
                    counts.retryable,
                    counts.unknown
                ),
            ),
        };
        if self.test_mode {
            self.summary = format!("{summary} (test mode: nothing was revoked)");
        } else {
            self.summary = summary;
        }
        self.advice = advice;
        if exit != Exit::BatchIncomplete {
            self.resume_command = None;
        }
        self.set_end(status.name(), exit);
    }

    /// Sets the end state from a failure.
    pub fn fail(&mut self, failure: Failure) {
        if !failure.resumable {
            self.resume_command = None;
        }
        self.summary = failure.message;
        self.advice = Some(failure.hint);
        self.field = failure.field;
        self.set_end(failure.result, failure.exit);
    }

    fn set_end(&mut self, result: &'static str, exit: Exit) {
        self.result = result;
        self.exit = exit;
        self.exit_code = exit.code();
    }

    /// Prints the plan and the invalid and duplicate rows, as text on standard output.
    pub fn print_plan(&self) -> std::io::Result<()> {
        let Some(plan) = &self.plan else { return Ok(()) };
        let mut out = std::io::stdout().lock();
        let rows = format_count(plan.rows, "row", "rows");
        writeln!(out, "plan: {rows} read from {} ({})", self.input, self.format.unwrap_or("unknown"))?;
        writeln!(out, "  to send:     {}{}", plan.to_send, breakdown(&plan.per_reason))?;
        if !plan.per_identifier.is_empty() {
            writeln!(out, "  identifiers: {}", list(&plan.per_identifier))?;
        }
        writeln!(out, "  invalid:     {}", plan.invalid)?;
        writeln!(out, "  duplicates:  {}", plan.duplicates)?;
        let test_mode = if self.test_mode { "on: Sectigo validates each request and revokes nothing" } else { "off" };
        writeln!(out, "  test mode:   {test_mode}")?;
        match &self.journal {
            Some(journal) => writeln!(out, "  journal:     {journal}")?,
            None => writeln!(out, "  journal:     none (dry run)")?,
        }
        if self.resumed {
            writeln!(
                out,
                "  resumed:     {} already final, {} with an unknown outcome, {} to send now",
                format_count(plan.already_final, "row", "rows"),
                plan.unknown,
                plan.pending
            )?;
        }
        print_rows(&mut out, "invalid and duplicate rows", &self.problems, self.problems_not_listed)?;
        out.flush()
    }

    /// Prints the end of the command and returns its exit status.
    pub fn print(&self, json: bool) -> Exit {
        let failed = matches!(self.result, "invalid_request" | "error");
        let written = if json {
            self.print_json()
        } else if failed && self.counts.is_none() {
            self.print_error()
        } else {
            self.print_text().and_then(|()| if failed { self.print_error() } else { Ok(()) })
        };
        match written {
            Ok(()) => self.exit,
            Err(_) => Exit::Failure,
        }
    }

    fn print_json(&self) -> std::io::Result<()> {
        let text = serde_json::to_string(self).map_err(std::io::Error::other)?;
        writeln!(std::io::stdout().lock(), "{text}")
    }

    fn print_error(&self) -> std::io::Result<()> {
        let mut err = std::io::stderr().lock();
        writeln!(err, "error: {}", self.summary)?;
        if let Some(advice) = &self.advice {
            writeln!(err, "hint: {advice}")?;
        }
        Ok(())
    }

    /// Prints the run and the counts; then, unless the command failed, the summary
    /// and the advice. A failure's message is printed by `print_error`.
    fn print_text(&self) -> std::io::Result<()> {
        let failed = matches!(self.result, "invalid_request" | "error");
        let mut out = std::io::stdout().lock();
        if let Some(run) = &self.run {
            let elapsed = if run.elapsed_secs < 60.0 {
                format!("{:.1} s", run.elapsed_secs)
            } else {
                format_duration(std::time::Duration::from_secs_f64(run.elapsed_secs))
            };
            let mut line = format!(
                "run: {} in {elapsed} ({:.1} per second)",
                format_count(run.requests, "request", "requests"),
                run.requests as f64 / run.elapsed_secs.max(0.001)
            );
            if let Some(signal) = run.signal {
                line.push_str(&format!("; stopped early by {signal}"));
            } else if run.cancelled {
                line.push_str("; stopped early");
            }
            if let Some(stopped) = &run.stopped {
                line.push_str(&format!("; stopped: {stopped}"));
            }
            writeln!(out, "{line}")?;
        }
        if let Some(counts) = &self.counts {
            writeln!(
                out,
                "rows: {} in all: {} accepted, {} already revoked, {} already rejected, {} expired, {} failed, {} \
                 invalid, {} duplicate, {} unknown, {} retryable, {} not sent yet",
                counts.rows,
                counts.accepted,
                counts.already_revoked,
                counts.already_rejected,
                counts.expired,
                counts.failed,
                counts.invalid,
                counts.duplicate,
                counts.unknown,
                counts.retryable,
                counts.not_sent_yet
            )?;
        }
        print_rows(&mut out, "failed and unknown rows", &self.failures, self.failures_not_listed)?;
        if let Some(report) = &self.report {
            writeln!(out, "report: {report}")?;
        }
        if failed {
            return out.flush();
        }
        writeln!(out, "{}", self.summary)?;
        if let Some(advice) = &self.advice {
            writeln!(out, "next: {advice}")?;
        }
        if let Some(command) = &self.resume_command {
            writeln!(out, "resume with: {command}")?;
        }
        Ok(())
    }
}

fn print_rows(out: &mut impl Write, title: &str, rows: &[impl ListedRow], not_listed: u64) -> std::io::Result<()> {
    if rows.is_empty() && not_listed == 0 {
        return Ok(());
    }
    if rows.is_empty() {
        return writeln!(out, "{title}: {not_listed}, not listed (see --show-problems); the report has every row");
    }
    writeln!(out, "{title}:")?;
    for row in rows {
        writeln!(out, "  {}", row.text())?;
    }
    if not_listed > 0 {
        writeln!(out, "  … and {not_listed} more; the report (--report FILE) lists every row")?;
    }
    Ok(())
}

/// The advice the core journals for a row cut off in flight, which names the resume
/// option by what it does rather than by its name on this command line.
const CORE_RETRY_ADVICE: &str = "resume with retry of unknown outcomes";

/// Returns a row's message with the core's wording of the resume advice replaced by
/// the option that gives it, `--retry-unknown`.
///
/// NOTE: the report file is written by the core and keeps the core's wording. A
/// message worded differently by a later core passes through unchanged.
fn name_retry_option(message: &str) -> String {
    message.replace(CORE_RETRY_ADVICE, "resume with --retry-unknown")
}

/// Returns `1 row` or `2 rows`: the count followed by the singular or plural form.
pub fn format_count(count: u64, singular: &str, plural: &str) -> String {
    let noun = if count == 1 { singular } else { plural };
    format!("{count} {noun}")
}

/// Returns ` (superseded 3, keyCompromise 1)`, or nothing for no rows.
fn breakdown(per_reason: &[ReasonCount]) -> String {
    if per_reason.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = per_reason.iter().map(|count| format!("{} {}", count.reason, count.rows)).collect();
    format!(" ({})", parts.join(", "))
}

fn list(per_identifier: &[IdentifierCount]) -> String {
    let parts: Vec<String> =
        per_identifier.iter().map(|count| format!("{} {}", count.identifier, count.rows)).collect();
    parts.join(", ")
}
