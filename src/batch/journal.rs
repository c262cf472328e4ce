//! The journal: a SQLite file (WAL mode) holding the plan and every state change of
//! every row, so that an interrupted run resumes without losing or repeating a row.
//!
//! Each state change is one transaction, committed with `synchronous=FULL` before the
//! request goes out and again when its result is known. The connection holds an
//! exclusive lock for as long as the journal is open, so a second process cannot run
//! the same journal at the same time. The password is never written: events carry the
//! login name only.

use std::fmt;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, ErrorCode, OptionalExtension};

use crate::batch::error::BatchError;
use crate::batch::report::Counts;
use crate::reason::Reason;
use crate::request::{CertificateIdentifier, Revocation};

/// How long opening a journal waits for another connection to release it before
/// returning [`BatchError::JournalInUse`].
const LOCK_WAIT: Duration = Duration::from_secs(1);

/// Version of the journal's tables, stored in `meta`; a journal of another version is
/// rejected instead of misread.
pub const JOURNAL_FORMAT_VERSION: &str = "1";

/// Stored in `meta` under `kind`, to tell a journal from any other SQLite file.
const JOURNAL_KIND: &str = "sectigo-revoke batch journal";

const SCHEMA: &str = "
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE rows (
    line         INTEGER PRIMARY KEY,
    status       TEXT NOT NULL,
    id_field     TEXT,
    id_value     TEXT,
    dedupe_key   TEXT UNIQUE,
    reason       INTEGER,
    comment      TEXT,
    account_id   TEXT,
    product_code TEXT,
    product      TEXT,
    duplicate_of INTEGER,
    result       TEXT,
    code         INTEGER,
    message      TEXT,
    field        TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    updated_at   TEXT NOT NULL
);
CREATE TABLE runs (
    id            INTEGER PRIMARY KEY,
    started_at    TEXT NOT NULL,
    ended_at      TEXT,
    login_name    TEXT NOT NULL,
    endpoint      TEXT NOT NULL,
    concurrency   INTEGER NOT NULL,
    rate          REAL,
    retry_unknown INTEGER NOT NULL,
    requests      INTEGER,
    end_reason    TEXT
);
CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    run        INTEGER,
    line       INTEGER NOT NULL,
    at         TEXT NOT NULL,
    status     TEXT NOT NULL,
    result     TEXT,
    identifier TEXT,
    login_name TEXT,
    code       INTEGER,
    message    TEXT,
    attempt    INTEGER
);
CREATE INDEX events_line ON events(line);
";

/// The state of a row in the journal. A run sends `planned` and `retryable` rows, and
/// `unknown` rows only when the run retries unknown outcomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RowStatus {
    /// Valid and not sent yet.
    Planned,
    /// The request is going out; a row still in this state when a journal is opened
    /// was cut off by a crash and becomes `unknown`.
    Sending,
    /// Final: the certificate is no longer usable (accepted, already revoked, already
    /// rejected, expired).
    Done,
    /// Final: the API rejected the request for this row (for example -4, invalid
    /// identifier). Never sent again.
    Failed,
    /// The request was provably not carried out: it was not sent, it was rate
    /// limited, or an error such as -16 stopped the whole run. The next run sends it
    /// again.
    Retryable,
    /// The request was sent but no response was read. Sent again only when a run is
    /// told to retry unknown outcomes.
    Unknown,
    /// The row failed validation and is never sent.
    Invalid,
    /// The row names the same certificate as an earlier row, which is sent instead.
    Duplicate,
}

impl RowStatus {
    /// Returns the name stored in the journal and written to reports.
    pub fn name(self) -> &'static str {
        match self {
            RowStatus::Planned => "planned",
            RowStatus::Sending => "sending",
            RowStatus::Done => "done",
            RowStatus::Failed => "failed",
            RowStatus::Retryable => "retryable",
            RowStatus::Unknown => "unknown",
            RowStatus::Invalid => "invalid",
            RowStatus::Duplicate => "duplicate",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Self> {
        [
            RowStatus::Planned,
            RowStatus::Sending,
            RowStatus::Done,
            RowStatus::Failed,
            RowStatus::Retryable,
            RowStatus::Unknown,
            RowStatus::Invalid,
            RowStatus::Duplicate,
        ]
        .into_iter()
        .find(|status| status.name() == name)
    }

    /// Returns true when no run will send the row again.
    pub fn is_final(self) -> bool {
        matches!(self, RowStatus::Done | RowStatus::Failed | RowStatus::Invalid | RowStatus::Duplicate)
    }
}

impl fmt::Display for RowStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The result of the last attempt on a row, or the reason it is never sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResultKind {
    /// Code 0.
    Accepted,
    /// Code -21.
    AlreadyRevoked,
    /// Code -20.
    AlreadyRejected,
    /// Code -35.
    Expired,
    /// Any other code from the API; the code and message are recorded.
    ApiError,
    /// -42 or HTTP 429.
    RateLimited,
    /// The request never reached the server.
    NotSent,
    /// The server responded with a redirect, which is not followed.
    Redirected,
    /// The request was sent, but no response was read.
    Unknown,
    /// The row failed validation.
    Invalid,
    /// The row repeats an earlier row.
    Duplicate,
}

const RESULT_KINDS: [ResultKind; 11] = [
    ResultKind::Accepted,
    ResultKind::AlreadyRevoked,
    ResultKind::AlreadyRejected,
    ResultKind::Expired,
    ResultKind::ApiError,
    ResultKind::RateLimited,
    ResultKind::NotSent,
    ResultKind::Redirected,
    ResultKind::Unknown,
    ResultKind::Invalid,
    ResultKind::Duplicate,
];

impl ResultKind {
    /// Returns the name stored in the journal and written to reports.
    pub fn name(self) -> &'static str {
        match self {
            ResultKind::Accepted => "accepted",
            ResultKind::AlreadyRevoked => "already_revoked",
            ResultKind::AlreadyRejected => "already_rejected",
            ResultKind::Expired => "expired",
            ResultKind::ApiError => "api_error",
            ResultKind::RateLimited => "rate_limited",
            ResultKind::NotSent => "not_sent",
            ResultKind::Redirected => "redirected",
            ResultKind::Unknown => "unknown",
            ResultKind::Invalid => "invalid",
            ResultKind::Duplicate => "duplicate",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Self> {
        RESULT_KINDS.into_iter().find(|kind| kind.name() == name)
    }
}

impl fmt::Display for ResultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A valid row as the plan stores it.
pub(crate) struct PlannedRow<'a> {
    pub(crate) line: u64,
    pub(crate) revocation: &'a Revocation,
    pub(crate) dedupe_key: &'a str,
}

/// What inserting a planned row did.
pub(crate) enum Inserted {
    Planned,
    /// The row repeats the row on this line, which had this reason.
    DuplicateOf {
        line: u64,
        reason: Option<Reason>,
    },
}

/// A row that is never sent, with the reason.
pub(crate) struct UnsendableRow<'a> {
    pub(crate) line: u64,
    /// The identifier, for a duplicate; an invalid row has none.
    pub(crate) identifier: Option<&'a CertificateIdentifier>,
    /// `Invalid` or `Duplicate`.
    pub(crate) status: RowStatus,
    pub(crate) column: Option<&'a str>,
    pub(crate) message: &'a str,
    pub(crate) duplicate_of: Option<u64>,
}

/// A row a run is to send.
#[derive(Clone, Debug)]
pub(crate) struct PendingRow {
    pub(crate) line: u64,
    pub(crate) status: RowStatus,
    pub(crate) identifier_text: String,
    pub(crate) revocation: Result<Revocation, String>,
    pub(crate) attempts: u32,
}

/// A state change of one row.
pub(crate) struct Transition<'a> {
    pub(crate) status: RowStatus,
    pub(crate) result: Option<ResultKind>,
    pub(crate) code: Option<i32>,
    pub(crate) message: Option<&'a str>,
    pub(crate) attempts: u32,
}

/// One row of a batch as the report shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RowReport {
    /// The line the row starts on in the input, from 1; for rows given in memory, the
    /// row's position.
    pub line: u64,
    /// The identifier as sent, such as `serialNumber=00D9B7`; `None` for an invalid
    /// row.
    pub identifier: Option<String>,
    /// Where the row is in its life.
    pub status: RowStatus,
    /// What the last attempt produced, or why the row is not sent; `None` for a row
    /// not sent yet.
    pub result: Option<ResultKind>,
    /// The API code of the last answer, when there was one.
    pub code: Option<i32>,
    /// The server's message, the error, or the validation problem.
    pub message: Option<String>,
    /// The input column at fault, for an invalid row.
    pub column: Option<String>,
    /// The line of the row this one repeats, for a duplicate.
    pub duplicate_of: Option<u64>,
    /// Requests sent for the row across all runs.
    pub attempts: u32,
    /// When the row last changed, in UTC (RFC 3339).
    pub updated_at: String,
}

/// An open journal. The connection sits behind a mutex so that worker threads share
/// it; SQLite allows one writer at a time anyway.
pub(crate) struct Journal {
    connection: Mutex<Connection>,
    label: String,
    temporary: bool,
}

impl Journal {
    /// Opens or creates the journal file and takes its exclusive lock.
    pub(crate) fn open(path: &Path) -> Result<Self, BatchError> {
        let label = path.display().to_string();
        let connection = Connection::open(path).map_err(|error| BatchError::journal(&label, error))?;
        let journal = Journal { connection: Mutex::new(connection), label, temporary: false };
        journal.configure_file()?;
        journal.ensure_schema()?;
        Ok(journal)
    }

    /// Opens a private journal that SQLite deletes when it is closed, for dry runs.
    /// It spills to a temporary file instead of growing in memory.
    pub(crate) fn temporary() -> Result<Self, BatchError> {
        let label = "(temporary)".to_owned();
        let connection = Connection::open("").map_err(|error| BatchError::journal(&label, error))?;
        connection.execute_batch("PRAGMA synchronous = OFF;").map_err(|error| BatchError::journal(&label, error))?;
        let journal = Journal { connection: Mutex::new(connection), label, temporary: true };
        journal.ensure_schema()?;
        Ok(journal)
    }

    pub(crate) fn label(&self) -> &str {
        &self.label
    }

    pub(crate) fn is_temporary(&self) -> bool {
        self.temporary
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic in a worker leaves the connection usable: every change is a whole
        // transaction, rolled back if it did not commit.
        self.connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn error(&self, error: rusqlite::Error) -> BatchError {
        if is_busy(&error) {
            return BatchError::JournalInUse { path: self.label.clone() };
        }
        if let rusqlite::Error::SqliteFailure(failure, _) = &error {
            if failure.code == ErrorCode::NotADatabase {
                return BatchError::journal(&self.label, "not a batch journal (the file is not a SQLite database)");
            }
        }
        BatchError::journal(&self.label, error)
    }

    /// Sets WAL mode, full synchronisation and the exclusive lock, which is taken by a
    /// first write and held until the connection closes.
    fn configure_file(&self) -> Result<(), BatchError> {
        let connection = self.lock();
        connection.busy_timeout(LOCK_WAIT).map_err(|error| self.error(error))?;
        connection.execute_batch("PRAGMA locking_mode = EXCLUSIVE;").map_err(|error| self.error(error))?;
        let mode: String = connection
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(|error| self.error(error))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(BatchError::journal(&self.label, format!("cannot switch to WAL mode (SQLite kept {mode})")));
        }
        connection
            .execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = OFF; BEGIN EXCLUSIVE; COMMIT;")
            .map_err(|error| self.error(error))
    }

    fn ensure_schema(&self) -> Result<(), BatchError> {
        let mut connection = self.lock();
        let tables: i64 = connection
            .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table'", [], |row| row.get(0))
            .map_err(|error| self.error(error))?;

        if tables == 0 {
            let transaction = connection.transaction().map_err(|error| self.error(error))?;
            transaction.execute_batch(SCHEMA).map_err(|error| self.error(error))?;
            let mut insert = transaction
                .prepare("INSERT INTO meta(key, value) VALUES (?1, ?2)")
                .map_err(|error| self.error(error))?;
            for (key, value) in [("kind", JOURNAL_KIND), ("format_version", JOURNAL_FORMAT_VERSION)] {
                insert.execute(params![key, value]).map_err(|error| self.error(error))?;
            }
            insert.execute(params!["created_at", utc_timestamp()]).map_err(|error| self.error(error))?;
            drop(insert);
            return transaction.commit().map_err(|error| self.error(error));
        }

        drop(connection);
        let kind = self.meta("kind").ok().flatten();
        if kind.as_deref() != Some(JOURNAL_KIND) {
            return Err(BatchError::journal(
                &self.label,
                "not a batch journal (the SQLite file has other tables); give a new file name for the journal",
            ));
        }
        let version = self.meta("format_version")?;
        if version.as_deref() != Some(JOURNAL_FORMAT_VERSION) {
            return Err(BatchError::journal(
                &self.label,
                format!(
                    "journal format {} is not the supported format {JOURNAL_FORMAT_VERSION}; use the version of sectigo-revoke that wrote it",
                    version.unwrap_or_default()
                ),
            ));
        }
        Ok(())
    }

    pub(crate) fn meta(&self, key: &str) -> Result<Option<String>, BatchError> {
        self.lock()
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| row.get(0))
            .optional()
            .map_err(|error| self.error(error))
    }

    /// Writes several meta values in one transaction.
    pub(crate) fn set_meta(&self, values: &[(&str, String)]) -> Result<(), BatchError> {
        let mut connection = self.lock();
        let transaction = connection.transaction().map_err(|error| self.error(error))?;
        {
            let mut upsert = transaction
                .prepare_cached(
                    "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
                )
                .map_err(|error| self.error(error))?;
            for (key, value) in values {
                upsert.execute(params![key, value]).map_err(|error| self.error(error))?;
            }
        }
        transaction.commit().map_err(|error| self.error(error))
    }

    /// Removes the rows of a plan that did not finish, so planning can start over.
    /// Nothing is sent before a plan is complete, so no result is lost.
    pub(crate) fn clear_plan(&self) -> Result<(), BatchError> {
        self.lock()
            .execute_batch("DELETE FROM rows; DELETE FROM meta WHERE key = 'plan_complete';")
            .map_err(|error| self.error(error))
    }

    pub(crate) fn begin(&self) -> Result<(), BatchError> {
        self.lock().execute_batch("BEGIN").map_err(|error| self.error(error))
    }

    pub(crate) fn commit(&self) -> Result<(), BatchError> {
        self.lock().execute_batch("COMMIT").map_err(|error| self.error(error))
    }

    /// Inserts a valid row, or records it as a duplicate of the row already planned
    /// with the same key. Runs inside the caller's transaction.
    pub(crate) fn insert_planned(&self, row: &PlannedRow<'_>, at: &str) -> Result<Inserted, BatchError> {
        let connection = self.lock();
        let revocation = row.revocation;
        let identifier = revocation.identifier();
        let inserted = connection
            .prepare_cached(
                "INSERT INTO rows(line, status, id_field, id_value, dedupe_key, reason, comment, account_id, product_code, product, updated_at)
                 VALUES (?1, 'planned', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT(dedupe_key) DO NOTHING",
            )
            .and_then(|mut statement| {
                statement.execute(params![
                    row.line as i64,
                    identifier.field().name(),
                    identifier.value(),
                    row.dedupe_key,
                    revocation.reason().code(),
                    revocation.comment(),
                    revocation.account_id().map(|id| id.to_string()),
                    revocation.product_code(),
                    revocation.product().map(|product| product.to_string()),
                    at,
                ])
            })
            .map_err(|error| self.error(error))?;
        if inserted == 1 {
            return Ok(Inserted::Planned);
        }

        let (first_line, first_reason): (i64, Option<i64>) = connection
            .prepare_cached("SELECT line, reason FROM rows WHERE dedupe_key = ?1")
            .and_then(|mut statement| statement.query_row([row.dedupe_key], |found| Ok((found.get(0)?, found.get(1)?))))
            .map_err(|error| self.error(error))?;
        let reason = first_reason.and_then(|code| Reason::from_code(code).ok());
        Ok(Inserted::DuplicateOf { line: first_line as u64, reason })
    }

    /// Inserts a row that is never sent: invalid, or a duplicate. Runs inside the
    /// caller's transaction.
    pub(crate) fn insert_unsendable(&self, row: &UnsendableRow<'_>, at: &str) -> Result<(), BatchError> {
        let result = match row.status {
            RowStatus::Duplicate => ResultKind::Duplicate,
            _ => ResultKind::Invalid,
        };
        self.lock()
            .prepare_cached(
                "INSERT INTO rows(line, status, id_field, id_value, result, field, message, duplicate_of, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )
            .and_then(|mut statement| {
                statement.execute(params![
                    row.line as i64,
                    row.status.name(),
                    row.identifier.map(|identifier| identifier.field().name()),
                    row.identifier.map(CertificateIdentifier::value),
                    result.name(),
                    row.column,
                    row.message,
                    row.duplicate_of.map(|line| line as i64),
                    at,
                ])
            })
            .map_err(|error| self.error(error))?;
        Ok(())
    }

    /// Turns rows left in `sending` by a run that died into `unknown`, with an event
    /// for each, in one transaction. Returns how many there were.
    pub(crate) fn recover_interrupted(&self) -> Result<u64, BatchError> {
        let mut connection = self.lock();
        let at = utc_timestamp();
        let message = "the run stopped while this request was in flight; check the certificate, or resume with retry of unknown outcomes";
        let transaction = connection.transaction().map_err(|error| self.error(error))?;
        transaction
            .execute(
                "INSERT INTO events(run, line, at, status, result, identifier, message, attempt)
                 SELECT NULL, line, ?1, 'unknown', 'unknown', id_field || '=' || id_value, ?2, attempts
                 FROM rows WHERE status = 'sending'",
                params![at, message],
            )
            .map_err(|error| self.error(error))?;
        let changed = transaction
            .execute(
                "UPDATE rows SET status = 'unknown', result = 'unknown', code = NULL, message = ?2, updated_at = ?1
                 WHERE status = 'sending'",
                params![at, message],
            )
            .map_err(|error| self.error(error))?;
        transaction.commit().map_err(|error| self.error(error))?;
        Ok(changed as u64)
    }

    pub(crate) fn start_run(
        &self,
        login_name: &str,
        endpoint: &str,
        concurrency: usize,
        rate: Option<f64>,
        retry_unknown: bool,
    ) -> Result<i64, BatchError> {
        let connection = self.lock();
        connection
            .execute(
                "INSERT INTO runs(started_at, login_name, endpoint, concurrency, rate, retry_unknown) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![utc_timestamp(), login_name, endpoint, concurrency as i64, rate, retry_unknown],
            )
            .map_err(|error| self.error(error))?;
        Ok(connection.last_insert_rowid())
    }

    pub(crate) fn end_run(&self, run: i64, requests: u64, end_reason: &str) -> Result<(), BatchError> {
        self.lock()
            .execute(
                "UPDATE runs SET ended_at = ?1, requests = ?2, end_reason = ?3 WHERE id = ?4",
                params![utc_timestamp(), requests as i64, end_reason, run],
            )
            .map_err(|error| self.error(error))?;
        Ok(())
    }

    /// Returns up to `limit` rows after `after_line` that a run sends, in line order.
    pub(crate) fn pending_rows(
        &self,
        after_line: u64,
        include_unknown: bool,
        test_mode: bool,
        limit: usize,
    ) -> Result<Vec<PendingRow>, BatchError> {
        let connection = self.lock();
        let mut statement = connection
            .prepare_cached(
                "SELECT line, id_field, id_value, reason, comment, account_id, product_code, product, attempts, status
                 FROM rows
                 WHERE line > ?1 AND (status IN ('planned', 'retryable') OR (?2 AND status = 'unknown'))
                 ORDER BY line LIMIT ?3",
            )
            .map_err(|error| self.error(error))?;
        let rows = statement
            .query_map(params![after_line as i64, include_unknown, limit as i64], |row| {
                let line: i64 = row.get(0)?;
                let field: String = row.get(1)?;
                let value: String = row.get(2)?;
                let stored = StoredRevocation {
                    field: &field,
                    value: &value,
                    reason: row.get(3)?,
                    comment: row.get(4)?,
                    account_id: row.get(5)?,
                    product_code: row.get(6)?,
                    product: row.get(7)?,
                    test_mode,
                };
                let attempts: i64 = row.get(8)?;
                let status: String = row.get(9)?;
                Ok(PendingRow {
                    line: line as u64,
                    status: RowStatus::from_name(&status).unwrap_or(RowStatus::Unknown),
                    identifier_text: format!("{field}={value}"),
                    revocation: stored.rebuild(),
                    attempts: attempts as u32,
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|error| self.error(error))?;
        Ok(rows)
    }

    /// Records a state change of one row and its event in one transaction.
    pub(crate) fn record(
        &self,
        run: i64,
        line: u64,
        identifier: &str,
        login_name: &str,
        change: &Transition<'_>,
    ) -> Result<(), BatchError> {
        let mut connection = self.lock();
        let at = utc_timestamp();
        let transaction = connection.transaction().map_err(|error| self.error(error))?;
        let result = change.result.map(ResultKind::name);
        transaction
            .prepare_cached(
                "UPDATE rows SET status = ?1, result = ?2, code = ?3, message = ?4, attempts = ?5, updated_at = ?6
                 WHERE line = ?7",
            )
            .and_then(|mut statement| {
                statement.execute(params![
                    change.status.name(),
                    result,
                    change.code,
                    change.message,
                    change.attempts,
                    at,
                    line as i64
                ])
            })
            .map_err(|error| self.error(error))?;
        transaction
            .prepare_cached(
                "INSERT INTO events(run, line, at, status, result, identifier, login_name, code, message, attempt)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )
            .and_then(|mut statement| {
                statement.execute(params![
                    run,
                    line as i64,
                    at,
                    change.status.name(),
                    result,
                    identifier,
                    login_name,
                    change.code,
                    change.message,
                    change.attempts
                ])
            })
            .map_err(|error| self.error(error))?;
        transaction.commit().map_err(|error| self.error(error))
    }

    /// Counts the rows by status and result.
    pub(crate) fn counts(&self) -> Result<Counts, BatchError> {
        let connection = self.lock();
        let mut statement = connection
            .prepare_cached("SELECT status, result, count(*) FROM rows GROUP BY status, result")
            .map_err(|error| self.error(error))?;
        let groups = statement
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, Option<String>>(1)?, row.get::<_, i64>(2)?))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|error| self.error(error))?;

        let mut counts = Counts::default();
        for (status, result, count) in groups {
            let status = RowStatus::from_name(&status).ok_or_else(|| {
                BatchError::journal(&self.label, format!("unknown row status {status:?}; the journal is damaged"))
            })?;
            counts.add(status, result.as_deref().and_then(ResultKind::from_name), count as u64);
        }
        Ok(counts)
    }

    /// Returns the number of rows to send for each reason code, in code order.
    pub(crate) fn reason_counts(&self) -> Result<Vec<(Reason, u64)>, BatchError> {
        self.grouped_counts(
            "SELECT reason, count(*) FROM rows WHERE reason IS NOT NULL GROUP BY reason ORDER BY reason",
        )
        .map(|groups| {
            groups
                .into_iter()
                .filter_map(|(code, count)| Some((Reason::from_code(code.parse().ok()?).ok()?, count)))
                .collect()
        })
    }

    /// Returns the number of rows to send for each identifier parameter, such as
    /// `serialNumber`.
    pub(crate) fn identifier_counts(&self) -> Result<Vec<(String, u64)>, BatchError> {
        self.grouped_counts(
            "SELECT id_field, count(*) FROM rows WHERE dedupe_key IS NOT NULL GROUP BY id_field ORDER BY id_field",
        )
    }

    fn grouped_counts(&self, sql: &str) -> Result<Vec<(String, u64)>, BatchError> {
        let connection = self.lock();
        let mut statement = connection.prepare(sql).map_err(|error| self.error(error))?;
        let groups = statement
            .query_map([], |row| {
                let key: rusqlite::types::Value = row.get(0)?;
                let key = match key {
                    rusqlite::types::Value::Integer(number) => number.to_string(),
                    rusqlite::types::Value::Text(text) => text,
                    _ => String::new(),
                };
                Ok((key, row.get::<_, i64>(1)? as u64))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|error| self.error(error))?;
        Ok(groups)
    }

    /// Calls `visit` for every row in line order, holding the journal for the duration.
    pub(crate) fn for_each_row(
        &self,
        mut visit: impl FnMut(&RowReport) -> Result<(), BatchError>,
    ) -> Result<(), BatchError> {
        self.visit_rows("", &mut visit)
    }

    /// Calls `visit` for every invalid or duplicate row, in line order.
    pub(crate) fn for_each_problem(
        &self,
        mut visit: impl FnMut(&RowReport) -> Result<(), BatchError>,
    ) -> Result<(), BatchError> {
        self.visit_rows("WHERE status IN ('invalid', 'duplicate')", &mut visit)
    }

    fn visit_rows(
        &self,
        filter: &str,
        visit: &mut dyn FnMut(&RowReport) -> Result<(), BatchError>,
    ) -> Result<(), BatchError> {
        let connection = self.lock();
        let sql = format!(
            "SELECT line, id_field, id_value, status, result, code, message, field, duplicate_of, attempts, updated_at
             FROM rows {filter} ORDER BY line"
        );
        let mut statement = connection.prepare(&sql).map_err(|error| self.error(error))?;
        let mut rows = statement.query([]).map_err(|error| self.error(error))?;
        while let Some(row) = rows.next().map_err(|error| self.error(error))? {
            let report_row = read_report_row(row).map_err(|error| self.error(error))?;
            visit(&report_row)?;
        }
        Ok(())
    }
}

fn read_report_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<RowReport> {
    let field: Option<String> = row.get(1)?;
    let value: Option<String> = row.get(2)?;
    let status: String = row.get(3)?;
    let result: Option<String> = row.get(4)?;
    Ok(RowReport {
        line: row.get::<_, i64>(0)? as u64,
        identifier: field.zip(value).map(|(field, value)| format!("{field}={value}")),
        status: RowStatus::from_name(&status).unwrap_or(RowStatus::Unknown),
        result: result.as_deref().and_then(ResultKind::from_name),
        code: row.get(5)?,
        message: row.get(6)?,
        column: row.get(7)?,
        duplicate_of: row.get::<_, Option<i64>>(8)?.map(|line| line as u64),
        attempts: row.get::<_, i64>(9)? as u32,
        updated_at: row.get(10)?,
    })
}

fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(failure, _)
            if matches!(failure.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// The columns a revocation is stored in.
struct StoredRevocation<'a> {
    field: &'a str,
    value: &'a str,
    reason: Option<i64>,
    comment: Option<String>,
    account_id: Option<String>,
    product_code: Option<String>,
    product: Option<String>,
    test_mode: bool,
}

impl StoredRevocation<'_> {
    /// Rebuilds the request through the same builder that validated it when planned,
    /// so a journal edited by hand cannot send a request the builder would reject.
    fn rebuild(self) -> Result<Revocation, String> {
        let identifier = match self.field {
            "orderNumber" => CertificateIdentifier::parse_order_number(self.value),
            "certificateID" => CertificateIdentifier::parse_certificate_id(self.value),
            "serialNumber" => CertificateIdentifier::parse_serial_number(self.value),
            other => return Err(format!("the journal names an unknown identifier parameter {other:?}")),
        }
        .map_err(|error| error.to_string())?;
        let reason = Reason::from_code(self.reason.unwrap_or(0)).map_err(|error| error.to_string())?;

        let mut builder = Revocation::builder().identifier(identifier).reason(reason).test_mode(self.test_mode);
        if let Some(comment) = self.comment {
            builder = builder.comment(comment);
        }
        if let Some(account_id) = self.account_id {
            builder = builder.account_id(account_id.parse().map_err(|_| "stored accountID is not a number")?);
        }
        if let Some(product_code) = self.product_code {
            builder = builder.product_code(product_code);
        }
        if let Some(product) = self.product {
            builder = builder.product(product.parse().map_err(|_| "stored product is not a number")?);
        }
        builder.build().map_err(|error| error.to_string())
    }
}

/// Returns the current time in UTC as RFC 3339 with milliseconds, such as
/// `2026-12-04T20:02:11.123Z`.
pub(crate) fn utc_timestamp() -> String {
    let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    format_utc(since_epoch.as_millis() as i64)
}

fn format_utc(millis: i64) -> String {
    let seconds = millis.div_euclid(1000);
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60,
        millis.rem_euclid(1000)
    )
}

/// Converts days since 1970-01-01 to a proleptic Gregorian date, with Howard
/// Hinnant's `civil_from_days` algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_match_known_dates() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_utc(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(format_utc(1_796_414_531_123), "2026-12-04T20:02:11.123Z");
    }

    #[test]
    fn status_and_result_names_round_trip() {
        for kind in RESULT_KINDS {
            assert_eq!(ResultKind::from_name(kind.name()), Some(kind));
        }
        for name in ["planned", "sending", "done", "failed", "retryable", "unknown", "invalid", "duplicate"] {
            assert_eq!(RowStatus::from_name(name).unwrap().name(), name);
        }
    }

    #[test]
    fn second_connection_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite");
        let _first = Journal::open(&path).unwrap();
        match Journal::open(&path) {
            Err(BatchError::JournalInUse { path: named }) => assert!(named.ends_with("journal.sqlite")),
            Err(other) => panic!("expected the journal to be in use, got {other:?}"),
            Ok(_) => panic!("expected the journal to be in use, but it opened"),
        }
    }

    #[test]
    fn foreign_files_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("input.csv");
        std::fs::write(&text, "serial_number\n01\n".repeat(100)).unwrap();
        let error = Journal::open(&text).err().unwrap();
        assert!(error.to_string().contains("not a batch journal"), "{error}");
        assert_eq!(std::fs::read_to_string(&text).unwrap(), "serial_number\n01\n".repeat(100));

        let other = dir.path().join("other.sqlite");
        Connection::open(&other).unwrap().execute_batch("CREATE TABLE t(x)").unwrap();
        let error = Journal::open(&other).err().unwrap();
        assert!(error.to_string().contains("not a batch journal"), "{error}");
    }
}
