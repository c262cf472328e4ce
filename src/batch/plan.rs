//! The plan: every row validated through [`RevocationBuilder`] and de-duplicated on its
//! normalised identifier before anything is sent, streamed into the journal so that
//! memory stays constant however long the input is.
//!
//! [`RevocationBuilder`]: crate::RevocationBuilder

use std::path::Path;

use crate::batch::error::BatchError;
use crate::batch::input::{Column, RawRow, ReadItem, RowProblem, RowReader};
use crate::batch::journal::{utc_timestamp, Inserted, Journal, PlannedRow, RowStatus, UnsendableRow};
use crate::certificate::CertificateInfo;
use crate::error::InvalidRequest;
use crate::field::Field;
use crate::reason::Reason;
use crate::request::{CertificateIdentifier, Revocation};

/// Rows inserted per journal transaction while planning. Larger transactions plan
/// faster; the plan is only used once it is complete, so their size does not matter
/// for safety.
const PLAN_ROWS_PER_TRANSACTION: u64 = 10_000;

/// Settings applied to every row of a batch, recorded in the journal so that a resumed
/// run cannot change them half-way.
///
/// ```
/// use sectigo_revoke::batch::PlanOptions;
/// use sectigo_revoke::Reason;
///
/// let options = PlanOptions::new().reason(Reason::Superseded).comment("incident 42").test_mode(true);
/// assert!(options.is_test_mode());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanOptions {
    reason: Option<Reason>,
    comment: Option<String>,
    test_mode: bool,
}

impl PlanOptions {
    /// Options with no default reason or comment, and test mode off.
    pub fn new() -> Self {
        PlanOptions::default()
    }

    /// Sets the reason code for rows without a `reason` value.
    ///
    /// Defaults to [`Reason::Unspecified`].
    pub fn reason(mut self, reason: Reason) -> Self {
        self.reason = Some(reason);
        self
    }

    /// Sets the comment for rows without a `comment` value.
    ///
    /// Defaults to none.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// Sends every row with `test=Y` when true: Sectigo validates each request and
    /// revokes nothing.
    ///
    /// Defaults to false.
    pub fn test_mode(mut self, test_mode: bool) -> Self {
        self.test_mode = test_mode;
        self
    }

    /// Returns true when every row is sent with `test=Y`.
    pub fn is_test_mode(&self) -> bool {
        self.test_mode
    }

    /// Returns the settings as the journal records them: name, value.
    pub(crate) fn recorded(&self) -> [(&'static str, String); 3] {
        [
            ("test_mode", self.test_mode.to_string()),
            ("default_reason", self.reason.unwrap_or_default().name().to_owned()),
            ("default_comment", self.comment.clone().unwrap_or_default()),
        ]
    }
}

/// What the plan holds, for a front door to show before it asks to go ahead.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PlanSummary {
    /// Every row read, blank lines not counted.
    pub rows: u64,
    /// Rows to send: valid and not duplicates.
    pub to_send: u64,
    /// Rows that failed validation.
    pub invalid: u64,
    /// Rows that repeat an earlier row and are not sent.
    pub duplicates: u64,
    /// Rows to send for each reason code, in code order.
    pub per_reason: Vec<(Reason, u64)>,
    /// Rows to send for each identifier parameter (`certificateID`, `orderNumber`,
    /// `serialNumber`).
    pub per_identifier: Vec<(String, u64)>,
    /// True when every request carries `test=Y`, so nothing is revoked.
    pub test_mode: bool,
    /// True when the plan was read from an existing journal instead of made now.
    pub resumed: bool,
    /// Rows already in a final state from earlier runs.
    pub already_final: u64,
    /// Rows sent by an earlier run whose outcome is unknown, including rows the
    /// previous run was sending when it stopped.
    pub unknown: u64,
}

/// Reads every row, validates it and stores it in the journal, committing in chunks.
/// Returns the input's SHA-256 and the number of rows read.
pub(crate) fn plan_rows(
    mut reader: RowReader,
    journal: &Journal,
    options: &PlanOptions,
) -> Result<(String, u64), BatchError> {
    let base_dir = reader.base_dir.clone();
    let mut rows = 0;
    let mut at = utc_timestamp();
    journal.begin()?;

    while let Some(item) = reader.next_item()? {
        rows += 1;
        match item {
            ReadItem::Row(row) => plan_row(journal, &row, options, &base_dir, &at)?,
            ReadItem::Invalid(problem) => record_invalid(journal, &problem, &at)?,
        }
        if rows % PLAN_ROWS_PER_TRANSACTION == 0 {
            journal.commit()?;
            at = utc_timestamp();
            journal.begin()?;
        }
    }

    journal.commit()?;
    let digest = reader.finish_digest()?;
    Ok((digest, rows))
}

fn plan_row(
    journal: &Journal,
    row: &RawRow,
    options: &PlanOptions,
    base_dir: &Path,
    at: &str,
) -> Result<(), BatchError> {
    let revocation = match revocation_from_row(row, options, base_dir) {
        Ok(revocation) => revocation,
        Err(problem) => return record_invalid(journal, &problem, at),
    };

    let key = dedupe_key(revocation.identifier());
    let planned = PlannedRow { line: row.line, revocation: &revocation, dedupe_key: &key };
    match journal.insert_planned(&planned, at)? {
        Inserted::Planned => Ok(()),
        Inserted::DuplicateOf { line, reason } => {
            let mut message = format!(
                "names the same certificate as line {line} ({}), which is sent instead",
                revocation.identifier()
            );
            if reason.is_some_and(|first| first != revocation.reason()) {
                message.push_str(&format!(
                    "; its reason {} differs from this row's {}, so check which one is meant",
                    reason.unwrap_or_default(),
                    revocation.reason()
                ));
            }
            let duplicate = UnsendableRow {
                line: row.line,
                identifier: Some(revocation.identifier()),
                status: RowStatus::Duplicate,
                column: None,
                message: &message,
                duplicate_of: Some(line),
            };
            journal.insert_unsendable(&duplicate, at)
        }
    }
}

fn record_invalid(journal: &Journal, problem: &RowProblem, at: &str) -> Result<(), BatchError> {
    let invalid = UnsendableRow {
        line: problem.line,
        identifier: None,
        status: RowStatus::Invalid,
        column: problem.column.as_deref(),
        message: &problem.problem,
        duplicate_of: None,
    };
    journal.insert_unsendable(&invalid, at)
}

/// Returns the key two rows share when they name the same certificate. Serial numbers
/// are compared as numbers written in hex, so leading zeros (the DER sign byte among
/// them) do not count.
///
/// NOTE: an order number and a serial number of the same certificate cannot be
/// matched without asking Sectigo, so such rows are both sent; the second gets -21.
pub(crate) fn dedupe_key(identifier: &CertificateIdentifier) -> String {
    match identifier {
        CertificateIdentifier::OrderNumber(number) => format!("order:{number}"),
        CertificateIdentifier::CertificateId(id) => format!("certificate:{id}"),
        CertificateIdentifier::SerialNumber(serial) => {
            let significant = serial.as_str().trim_start_matches('0');
            format!("serial:{}", if significant.is_empty() { "0" } else { significant })
        }
    }
}

/// Validates a row by building its revocation, so every rule is the builder's.
fn revocation_from_row(row: &RawRow, options: &PlanOptions, base_dir: &Path) -> Result<Revocation, RowProblem> {
    let line = row.line;
    let problem = |error: InvalidRequest| RowProblem::new(line, Some(column_for(error.field())), error.problem());

    let identifier = identifier_from_row(row, base_dir)?;
    let reason = match row.get(Column::Reason) {
        Some(text) => text.parse::<Reason>().map_err(problem)?,
        None => options.reason.unwrap_or_default(),
    };

    let mut builder = Revocation::builder().identifier(identifier).reason(reason).test_mode(options.test_mode);
    if let Some(comment) = row.get(Column::Comment).or(options.comment.as_deref()) {
        builder = builder.comment(comment);
    }
    if let Some(text) = row.get(Column::AccountId) {
        builder = builder.account_id(parse_number(line, Column::AccountId, text)?);
    }
    if let Some(product_code) = row.get(Column::ProductCode) {
        builder = builder.product_code(product_code);
    }
    if let Some(text) = row.get(Column::Product) {
        builder = builder.product(parse_number(line, Column::Product, text)?);
    }
    builder.build().map_err(problem)
}

fn identifier_from_row(row: &RawRow, base_dir: &Path) -> Result<CertificateIdentifier, RowProblem> {
    let line = row.line;
    let identifier_columns = [Column::OrderNumber, Column::CertificateId, Column::SerialNumber, Column::Cert];
    let given: Vec<Column> = identifier_columns.into_iter().filter(|column| row.get(*column).is_some()).collect();
    let column = match given.as_slice() {
        [single] => *single,
        [] => {
            return Err(RowProblem::new(
                line,
                Some("identifier"),
                "missing; set one of order_number, certificate_id, serial_number or cert",
            ))
        }
        several => {
            let names: Vec<&str> = several.iter().map(|column| column.name()).collect();
            return Err(RowProblem::new(
                line,
                Some("identifier"),
                format!(
                    "{} are all set; give exactly one identifier per row, because which one Sectigo would use is undocumented",
                    names.join(" and ")
                ),
            ));
        }
    };

    let text = row.get(column).unwrap_or_default();
    let parsed = match column {
        Column::OrderNumber => CertificateIdentifier::parse_order_number(text),
        Column::CertificateId => CertificateIdentifier::parse_certificate_id(text),
        Column::SerialNumber => CertificateIdentifier::parse_serial_number(text),
        _ => {
            let path = base_dir.join(text);
            CertificateInfo::read_file(&path)
                .map(|info| CertificateIdentifier::SerialNumber(info.serial_number().clone()))
        }
    };
    parsed.map_err(|error| RowProblem::new(line, Some(column.name()), error.problem()))
}

fn parse_number(line: u64, column: Column, text: &str) -> Result<u64, RowProblem> {
    let invalid = |problem: String| RowProblem::new(line, Some(column.name()), problem);
    if let Some(bad) = text.chars().find(|c| !c.is_ascii_digit()) {
        return Err(invalid(format!("{bad:?} is not a decimal digit; give a decimal number such as 1234")));
    }
    text.parse().map_err(|_| invalid(format!("{text} is larger than {}", u64::MAX)))
}

/// Returns the input column a validation error points at.
fn column_for(field: Field) -> &'static str {
    match field {
        Field::OrderNumber => Column::OrderNumber.name(),
        Field::CertificateId => Column::CertificateId.name(),
        Field::SerialNumber => Column::SerialNumber.name(),
        Field::Certificate => Column::Cert.name(),
        Field::Reason => Column::Reason.name(),
        Field::Comment => Column::Comment.name(),
        Field::AccountId => Column::AccountId.name(),
        Field::ProductCode => Column::ProductCode.name(),
        Field::Product => Column::Product.name(),
        _ => "identifier",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(pairs: &[(Column, &str)]) -> RawRow {
        let mut row = RawRow::new(7);
        for (column, value) in pairs {
            row.set(*column, value);
        }
        row
    }

    fn problem(pairs: &[(Column, &str)]) -> RowProblem {
        revocation_from_row(&row(pairs), &PlanOptions::new(), Path::new(".")).unwrap_err()
    }

    #[test]
    fn serial_spellings_share_a_key() {
        let keys: Vec<String> = ["00:D9:B7", "d9b7", "0x00d9b7", "serial=0000D9B7"]
            .into_iter()
            .map(|text| dedupe_key(&CertificateIdentifier::parse_serial_number(text).unwrap()))
            .collect();
        assert!(keys.iter().all(|key| key == "serial:D9B7"), "{keys:?}");
        let zero = dedupe_key(&CertificateIdentifier::parse_serial_number("0000").unwrap());
        assert_eq!(zero, "serial:0");
        let order = dedupe_key(&CertificateIdentifier::OrderNumber(5));
        assert_ne!(order, dedupe_key(&CertificateIdentifier::CertificateId(5)));
    }

    #[test]
    fn defaults_apply_when_row_is_silent() {
        let options = PlanOptions::new().reason(Reason::Superseded).comment("incident").test_mode(true);
        let silent = revocation_from_row(&row(&[(Column::CertificateId, "5")]), &options, Path::new(".")).unwrap();
        assert_eq!(silent.reason(), Reason::Superseded);
        assert_eq!(silent.comment(), Some("incident"));
        assert!(silent.test_mode());

        let explicit =
            row(&[(Column::CertificateId, "5"), (Column::Reason, "key-compromise"), (Column::Comment, "own")]);
        let revocation = revocation_from_row(&explicit, &options, Path::new(".")).unwrap();
        assert_eq!(revocation.reason(), Reason::KeyCompromise);
        assert_eq!(revocation.comment(), Some("own"));
    }

    #[test]
    fn problems_name_the_column() {
        type Case<'a> = (&'a [(Column, &'a str)], &'a str, &'a str);
        let cases: [Case; 6] = [
            (&[], "identifier", "missing; set one of order_number"),
            (&[(Column::OrderNumber, "1"), (Column::Cert, "a.pem")], "identifier", "order_number and cert are all set"),
            (&[(Column::SerialNumber, "XYZ")], "serial_number", "'X' at position 1 is not a hex digit"),
            (
                &[(Column::CertificateId, "5"), (Column::Reason, "6")],
                "reason",
                "6 (certificateHold) may not be requested",
            ),
            (&[(Column::CertificateId, "5"), (Column::AccountId, "12a")], "account_id", "'a' is not a decimal digit"),
            (&[(Column::CertificateId, "5"), (Column::AccountId, "0")], "account_id", "0 is not an account ID"),
        ];
        for (pairs, column, start) in cases {
            let problem = problem(pairs);
            assert_eq!(problem.line, 7);
            assert_eq!(problem.column.as_deref(), Some(column), "{problem}");
            assert!(problem.problem.starts_with(start), "{problem}");
        }
    }

    #[test]
    fn cert_path_is_relative_to_input_folder() {
        let certs = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/certs");
        let revocation =
            revocation_from_row(&row(&[(Column::Cert, "top-bit.pem")]), &PlanOptions::new(), &certs).unwrap();
        assert_eq!(revocation.identifier().value(), "00E3A15C7D902B4F61880CD237A94E15F6");

        let missing = revocation_from_row(&row(&[(Column::Cert, "absent.pem")]), &PlanOptions::new(), &certs);
        let problem = missing.unwrap_err();
        assert_eq!(problem.column.as_deref(), Some("cert"));
        assert!(problem.problem.starts_with("cannot read "), "{}", problem.problem);
    }
}
