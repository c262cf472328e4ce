//! The per-row report (CSV or JSON Lines), the counts by result, and the overall
//! status that front doors turn into an exit code.

use std::fmt;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use serde::Serialize;

use crate::batch::error::BatchError;
use crate::batch::journal::{Journal, ResultKind, RowReport, RowStatus};

/// How many rows are in each state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Counts {
    /// Every row read from the input, blank lines not counted.
    pub rows: u64,
    /// Valid rows not sent yet.
    pub planned: u64,
    /// Rows whose request is in flight.
    pub sending: u64,
    /// Rows that were not carried out and are sent again by the next run.
    pub retryable: u64,
    /// Rows sent without a readable response.
    pub unknown: u64,
    /// Rows whose revocation was accepted (code 0).
    pub accepted: u64,
    /// Rows whose certificate was already revoked (-21).
    pub already_revoked: u64,
    /// Rows whose certificate request was already rejected (-20).
    pub already_rejected: u64,
    /// Rows whose certificate had expired (-35).
    pub expired: u64,
    /// Rows the API rejected for good.
    pub failed: u64,
    /// Rows that failed validation.
    pub invalid: u64,
    /// Rows that repeat an earlier row.
    pub duplicate: u64,
}

impl Counts {
    pub(crate) fn add(&mut self, status: RowStatus, result: Option<ResultKind>, count: u64) {
        self.rows += count;
        let slot = match (status, result) {
            (RowStatus::Planned, _) => &mut self.planned,
            (RowStatus::Sending, _) => &mut self.sending,
            (RowStatus::Retryable, _) => &mut self.retryable,
            (RowStatus::Unknown, _) => &mut self.unknown,
            (RowStatus::Done, Some(ResultKind::AlreadyRevoked)) => &mut self.already_revoked,
            (RowStatus::Done, Some(ResultKind::AlreadyRejected)) => &mut self.already_rejected,
            (RowStatus::Done, Some(ResultKind::Expired)) => &mut self.expired,
            (RowStatus::Done, _) => &mut self.accepted,
            (RowStatus::Failed, _) => &mut self.failed,
            (RowStatus::Invalid, _) => &mut self.invalid,
            (RowStatus::Duplicate, _) => &mut self.duplicate,
        };
        *slot += count;
    }

    pub(crate) fn remove(&mut self, status: RowStatus, result: Option<ResultKind>) {
        let mut one = Counts::default();
        one.add(status, result, 1);
        self.rows = self.rows.saturating_sub(1);
        for (total, part) in self.slots_mut().into_iter().zip(one.slots()) {
            *total = total.saturating_sub(part);
        }
    }

    fn slots(&self) -> [u64; 11] {
        [
            self.planned,
            self.sending,
            self.retryable,
            self.unknown,
            self.accepted,
            self.already_revoked,
            self.already_rejected,
            self.expired,
            self.failed,
            self.invalid,
            self.duplicate,
        ]
    }

    fn slots_mut(&mut self) -> [&mut u64; 11] {
        [
            &mut self.planned,
            &mut self.sending,
            &mut self.retryable,
            &mut self.unknown,
            &mut self.accepted,
            &mut self.already_revoked,
            &mut self.already_rejected,
            &mut self.expired,
            &mut self.failed,
            &mut self.invalid,
            &mut self.duplicate,
        ]
    }

    /// Returns the rows whose certificate is no longer usable: accepted, already
    /// revoked, already rejected or expired.
    pub fn done(&self) -> u64 {
        self.accepted + self.already_revoked + self.already_rejected + self.expired
    }

    /// Returns the rows that are to be sent once: every row but the invalid ones and
    /// the duplicates.
    pub fn to_send(&self) -> u64 {
        self.rows - self.invalid - self.duplicate
    }

    /// Returns the rows that a later run may still send: planned, in flight,
    /// retryable or unknown.
    pub fn outstanding(&self) -> u64 {
        self.planned + self.sending + self.retryable + self.unknown
    }

    /// Returns the overall status.
    pub fn status(&self) -> BatchStatus {
        if self.outstanding() > 0 {
            BatchStatus::Incomplete
        } else if self.failed + self.invalid > 0 {
            BatchStatus::FinishedWithFailures
        } else {
            BatchStatus::Succeeded
        }
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} rows: {} accepted, {} already revoked, {} already rejected, {} expired, {} failed, {} invalid, {} duplicate, {} unknown, {} retryable, {} not sent yet",
            self.rows,
            self.accepted,
            self.already_revoked,
            self.already_rejected,
            self.expired,
            self.failed,
            self.invalid,
            self.duplicate,
            self.unknown,
            self.retryable,
            self.planned + self.sending
        )
    }
}

/// Whether every row reached success or a final state.
///
/// A suggested mapping to exit codes: 0 for `Succeeded`, 1 for
/// `FinishedWithFailures`, 2 for `Incomplete`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BatchStatus {
    /// Every row is done (accepted, already revoked, already rejected or expired) or
    /// a duplicate of a row that is.
    Succeeded,
    /// Every row is in a final state, but some failed or were invalid.
    FinishedWithFailures,
    /// Some rows are not in a final state: not sent yet, retryable or unknown. A
    /// resumed run can finish them.
    Incomplete,
}

impl BatchStatus {
    /// Returns `succeeded`, `finished_with_failures` or `incomplete`.
    pub fn name(self) -> &'static str {
        match self {
            BatchStatus::Succeeded => "succeeded",
            BatchStatus::FinishedWithFailures => "finished_with_failures",
            BatchStatus::Incomplete => "incomplete",
        }
    }
}

impl fmt::Display for BatchStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a report is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReportFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    JsonLines,
}

impl ReportFormat {
    /// Returns the format for a file name's extension: `.csv` for CSV, `.jsonl`,
    /// `.ndjson` or `.json` for JSON Lines, in any case.
    pub fn from_path(path: impl AsRef<Path>) -> Option<Self> {
        let extension = path.as_ref().extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(ReportFormat::Csv),
            "jsonl" | "ndjson" | "json" => Some(ReportFormat::JsonLines),
            _ => None,
        }
    }
}

/// The report's columns, in order.
pub const REPORT_COLUMNS: [&str; 10] =
    ["line", "identifier", "status", "result", "code", "message", "column", "duplicate_of", "attempts", "updated_at"];

#[derive(Serialize)]
struct ReportLine<'a> {
    line: u64,
    identifier: Option<&'a str>,
    status: &'a str,
    result: Option<&'a str>,
    code: Option<i32>,
    message: Option<&'a str>,
    column: Option<&'a str>,
    duplicate_of: Option<u64>,
    attempts: u32,
    updated_at: &'a str,
}

impl<'a> ReportLine<'a> {
    fn new(row: &'a RowReport) -> Self {
        ReportLine {
            line: row.line,
            identifier: row.identifier.as_deref(),
            status: row.status.name(),
            result: row.result.map(ResultKind::name),
            code: row.code,
            message: row.message.as_deref(),
            column: row.column.as_deref(),
            duplicate_of: row.duplicate_of,
            attempts: row.attempts,
            updated_at: &row.updated_at,
        }
    }

    fn csv_fields(&self) -> [String; 10] {
        let optional = |value: Option<String>| value.unwrap_or_default();
        [
            self.line.to_string(),
            optional(self.identifier.map(str::to_owned)),
            self.status.to_owned(),
            optional(self.result.map(str::to_owned)),
            optional(self.code.map(|code| code.to_string())),
            optional(self.message.map(str::to_owned)),
            optional(self.column.map(str::to_owned)),
            optional(self.duplicate_of.map(|line| line.to_string())),
            self.attempts.to_string(),
            self.updated_at.to_owned(),
        ]
    }
}

/// Writes one line per row, in line order, streaming from the journal.
pub(crate) fn write_report(
    journal: &Journal,
    output: impl Write,
    format: ReportFormat,
    label: &str,
) -> Result<(), BatchError> {
    write_lines(output, format, label, |visit| journal.for_each_row(visit))
}

/// Writes the report to a file, in the format given or else the one its extension
/// names.
pub(crate) fn write_report_file(
    journal: &Journal,
    path: &Path,
    format: Option<ReportFormat>,
) -> Result<(), BatchError> {
    let (file, format, label) = create_report_file(path, format)?;
    write_report(journal, file, format, &label)
}

/// Writes a report of rows collected earlier, such as by
/// [`Batch::for_each_row`](crate::batch::Batch::for_each_row), in the format
/// [`Batch::write_report_to`](crate::batch::Batch::write_report_to) uses.
///
/// Front doors that hand out a report after the batch is closed, and its journal is
/// free for the next run, keep the rows and write them with this.
pub fn write_rows_report_to<'a>(
    rows: impl IntoIterator<Item = &'a RowReport>,
    output: impl Write,
    format: ReportFormat,
) -> Result<(), BatchError> {
    write_lines(output, format, "output", |visit| rows.into_iter().try_for_each(visit))
}

/// Writes a report of rows collected earlier to a file, in `format` or else the
/// format the file name's extension names, as
/// [`Batch::write_report`](crate::batch::Batch::write_report) does.
pub fn write_rows_report<'a>(
    rows: impl IntoIterator<Item = &'a RowReport>,
    path: impl AsRef<Path>,
    format: Option<ReportFormat>,
) -> Result<(), BatchError> {
    let (file, format, label) = create_report_file(path.as_ref(), format)?;
    write_lines(file, format, &label, |visit| rows.into_iter().try_for_each(visit))
}

/// Writes one report line for every row that `for_each` hands to its visitor.
fn write_lines(
    output: impl Write,
    format: ReportFormat,
    label: &str,
    for_each: impl FnOnce(&mut dyn FnMut(&RowReport) -> Result<(), BatchError>) -> Result<(), BatchError>,
) -> Result<(), BatchError> {
    let failed = |error: &dyn fmt::Display| BatchError::Report { path: label.to_owned(), message: error.to_string() };

    match format {
        ReportFormat::Csv => {
            let mut writer = csv::Writer::from_writer(output);
            writer.write_record(REPORT_COLUMNS).map_err(|error| failed(&error))?;
            for_each(&mut |row| {
                writer.write_record(ReportLine::new(row).csv_fields()).map_err(|error| failed(&error))
            })?;
            writer.flush().map_err(|error| failed(&error))
        }
        ReportFormat::JsonLines => {
            let mut writer = BufWriter::new(output);
            for_each(&mut |row| {
                serde_json::to_writer(&mut writer, &ReportLine::new(row)).map_err(|error| failed(&error))?;
                writer.write_all(b"\n").map_err(|error| failed(&error))
            })?;
            writer.flush().map_err(|error| failed(&error))
        }
    }
}

/// Creates the report file and resolves its format; returns the file, the format and
/// the path as messages show it.
fn create_report_file(path: &Path, format: Option<ReportFormat>) -> Result<(File, ReportFormat, String), BatchError> {
    let label = path.display().to_string();
    let Some(format) = format.or_else(|| ReportFormat::from_path(path)) else {
        return Err(BatchError::Report {
            path: label,
            message: "cannot tell the format from the file name; name it .csv or .jsonl, or choose the format".into(),
        });
    };
    let file =
        File::create(path).map_err(|error| BatchError::Report { path: label.clone(), message: error.to_string() })?;
    Ok((file, format, label))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_follows_counts() {
        let mut counts = Counts::default();
        counts.add(RowStatus::Done, Some(ResultKind::Accepted), 3);
        counts.add(RowStatus::Duplicate, Some(ResultKind::Duplicate), 1);
        assert_eq!(counts.status(), BatchStatus::Succeeded);
        assert_eq!(counts.to_send(), 3);

        counts.add(RowStatus::Failed, Some(ResultKind::ApiError), 1);
        assert_eq!(counts.status(), BatchStatus::FinishedWithFailures);

        counts.add(RowStatus::Unknown, Some(ResultKind::Unknown), 1);
        assert_eq!(counts.status(), BatchStatus::Incomplete);
        assert_eq!(counts.rows, 6);
    }

    #[test]
    fn remove_undoes_add() {
        let mut counts = Counts::default();
        counts.add(RowStatus::Planned, None, 2);
        counts.add(RowStatus::Done, Some(ResultKind::AlreadyRevoked), 1);
        counts.remove(RowStatus::Planned, None);
        assert_eq!(counts.planned, 1);
        assert_eq!(counts.already_revoked, 1);
        assert_eq!(counts.rows, 2);
    }

    #[test]
    fn format_from_extension() {
        assert_eq!(ReportFormat::from_path("out.CSV"), Some(ReportFormat::Csv));
        assert_eq!(ReportFormat::from_path("out.jsonl"), Some(ReportFormat::JsonLines));
        assert_eq!(ReportFormat::from_path("out.txt"), None);
    }
}
