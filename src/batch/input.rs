//! Input readers: CSV with a header row, JSON Lines, or rows handed over in memory,
//! read one row at a time with every line and field bounded in size.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use sha2::{Digest, Sha256};

use crate::batch::error::BatchError;

/// Largest CSV record or JSON Lines line read, in bytes. A valid row is a few hundred
/// bytes; the comment, the longest value, is at most 1024 characters.
pub const MAX_RECORD_BYTES: usize = 64 * 1024;

/// Largest single value read, in bytes: 1024 characters of four-byte UTF-8, which
/// covers the longest comment the API accepts.
pub const MAX_VALUE_BYTES: usize = 4 * 1024;

/// Capacity of the CSV reader's buffer, which the record bound allows for because the
/// reader fetches this much ahead of the record it parses.
const CSV_BUFFER_BYTES: usize = 8 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// A column of the input, named like the command-line `revoke` options.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// `order_number`: the order whose current certificate is revoked.
    OrderNumber,
    /// `certificate_id`: Sectigo's certificate ID.
    CertificateId,
    /// `serial_number`: the serial number in hex, in any spelling the core accepts.
    SerialNumber,
    /// `cert`: the path of a PEM or DER certificate file, relative to the input file's
    /// folder; its serial number identifies the certificate.
    Cert,
    /// `reason`: the reason code, as a code or a name.
    Reason,
    /// `comment`: the free-text comment sent as `revocationReason`.
    Comment,
    /// `account_id`: the reseller account ID.
    AccountId,
    /// `product_code`: the product code.
    ProductCode,
    /// `product`: the numeric product.
    Product,
}

/// Every column, in the order used in messages.
pub const COLUMNS: [Column; 9] = [
    Column::OrderNumber,
    Column::CertificateId,
    Column::SerialNumber,
    Column::Cert,
    Column::Reason,
    Column::Comment,
    Column::AccountId,
    Column::ProductCode,
    Column::Product,
];

impl Column {
    /// Returns the column name, such as `serial_number`.
    pub fn name(self) -> &'static str {
        match self {
            Column::OrderNumber => "order_number",
            Column::CertificateId => "certificate_id",
            Column::SerialNumber => "serial_number",
            Column::Cert => "cert",
            Column::Reason => "reason",
            Column::Comment => "comment",
            Column::AccountId => "account_id",
            Column::ProductCode => "product_code",
            Column::Product => "product",
        }
    }

    /// Returns the column for a name. Case and `-` in place of `_` are accepted, so
    /// `Serial-Number` names the same column as `serial_number`.
    pub fn from_name(name: &str) -> Option<Column> {
        let folded = name.trim().to_ascii_lowercase().replace('-', "_");
        COLUMNS.into_iter().find(|column| column.name() == folded)
    }

    fn index(self) -> usize {
        COLUMNS.iter().position(|column| *column == self).expect("every column is listed")
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

fn known_columns() -> String {
    COLUMNS.iter().map(|column| column.name()).collect::<Vec<_>>().join(", ")
}

fn unknown_column(name: &str) -> String {
    format!("unknown column {name:?}; known columns: {}", known_columns())
}

/// The format of an input file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// Comma-separated values with a header row naming the columns.
    Csv,
    /// One JSON object per line, with the column names as keys.
    JsonLines,
}

impl InputFormat {
    /// Returns the format for a file name's extension: `.csv` for CSV, `.jsonl`,
    /// `.ndjson` or `.json` for JSON Lines, in any case.
    pub fn from_path(path: impl AsRef<Path>) -> Option<Self> {
        let extension = path.as_ref().extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(InputFormat::Csv),
            "jsonl" | "ndjson" | "json" => Some(InputFormat::JsonLines),
            _ => None,
        }
    }

    /// Returns `csv` or `jsonl`.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Csv => "csv",
            InputFormat::JsonLines => "jsonl",
        }
    }
}

/// Where the rows of a batch come from.
///
/// ```
/// use sectigo_revoke::batch::{Input, InputFormat};
///
/// let from_file = Input::file("incident-42.csv");
/// let forced = Input::file("export.txt").format(InputFormat::JsonLines);
/// let in_memory = Input::rows(vec![vec![("serial_number".to_owned(), "00D9B711".to_owned())]]);
/// # let _ = (from_file, forced, in_memory);
/// ```
pub struct Input {
    source: Source,
}

enum Source {
    File { path: PathBuf, format: Option<InputFormat> },
    Rows(Box<dyn Iterator<Item = Vec<(String, String)>>>),
}

impl Input {
    /// Reads rows from a file, in the format its extension names unless
    /// [`Input::format`] says otherwise.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Input { source: Source::File { path: path.into(), format: None } }
    }

    /// Sets the format of a file input, whatever its extension. Has no effect on rows
    /// given in memory.
    pub fn format(mut self, format: InputFormat) -> Self {
        if let Source::File { format: slot, .. } = &mut self.source {
            *slot = Some(format);
        }
        self
    }

    /// Takes rows from memory, each a list of (column, value) pairs, for callers such
    /// as the Python binding that already hold the rows. Row N is reported as line N,
    /// and a `cert` path is resolved against the current directory.
    pub fn rows<I>(rows: I) -> Self
    where
        I: IntoIterator<Item = Vec<(String, String)>>,
        I::IntoIter: 'static,
    {
        Input { source: Source::Rows(Box::new(rows.into_iter())) }
    }

    /// Returns the file path, or `rows` for rows given in memory.
    pub fn describe(&self) -> String {
        match &self.source {
            Source::File { path, .. } => path.display().to_string(),
            Source::Rows(_) => "rows".to_owned(),
        }
    }

    /// Returns the format name the journal records: `csv`, `jsonl`, or `rows` for
    /// rows given in memory; `None` when a file's format cannot be told.
    pub(crate) fn format_name(&self) -> Option<&'static str> {
        match &self.source {
            Source::File { path, format } => format.or_else(|| InputFormat::from_path(path)).map(InputFormat::name),
            Source::Rows(_) => Some("rows"),
        }
    }

    /// Returns the SHA-256 of the input in lowercase hex without validating it, to
    /// check that a journal belongs to it.
    pub(crate) fn digest(self) -> Result<String, BatchError> {
        match self.source {
            Source::File { path, .. } => file_digest(&path, &path.display().to_string()),
            Source::Rows(rows) => {
                let mut hash = Sha256::new();
                for pairs in rows {
                    hash_row(&mut hash, &pairs);
                }
                Ok(hex(&hash.finalize()))
            }
        }
    }

    /// Opens the reader. For a file, resolves the format and the folder `cert` paths
    /// are relative to.
    pub(crate) fn open(self) -> Result<RowReader, BatchError> {
        match self.source {
            Source::File { path, format } => {
                let origin = path.display().to_string();
                let format =
                    match format.or_else(|| InputFormat::from_path(&path)) {
                        Some(format) => format,
                        None => return Err(BatchError::input(
                            &origin,
                            0,
                            "cannot tell the format from the file name; name it .csv or .jsonl, or choose the format",
                        )),
                    };
                let file = File::open(&path)
                    .map_err(|error| BatchError::input(&origin, 0, format!("cannot open the input file: {error}")))?;
                let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                let hashing = HashingReader::new(file);
                let reader = match format {
                    InputFormat::Csv => Reader::Csv(CsvRows::new(hashing, &origin)?),
                    InputFormat::JsonLines => Reader::JsonLines(JsonLines::new(hashing)),
                };
                Ok(RowReader { origin, base_dir, reader, rows_hash: Sha256::new() })
            }
            Source::Rows(rows) => Ok(RowReader {
                origin: "rows".to_owned(),
                base_dir: PathBuf::new(),
                reader: Reader::Rows { rows, position: 0 },
                rows_hash: Sha256::new(),
            }),
        }
    }
}

/// The values of one input row, before validation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct RawRow {
    pub(crate) line: u64,
    values: [Option<String>; COLUMNS.len()],
}

impl RawRow {
    pub(crate) fn new(line: u64) -> Self {
        RawRow { line, values: Default::default() }
    }

    /// Stores a value; an empty or blank value counts as absent.
    pub(crate) fn set(&mut self, column: Column, value: &str) {
        let trimmed = value.trim();
        self.values[column.index()] = (!trimmed.is_empty()).then(|| trimmed.to_owned());
    }

    pub(crate) fn get(&self, column: Column) -> Option<&str> {
        self.values[column.index()].as_deref()
    }
}

/// A row that cannot be read or validated: where it is, which column, and what is
/// wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    /// The line the row starts on, from 1; for rows given in memory, the row's position.
    pub line: u64,
    /// The column at fault, or `None` when the row as a whole is at fault.
    pub column: Option<String>,
    /// What is wrong and how to fix it.
    pub problem: String,
}

impl RowProblem {
    pub(crate) fn new(line: u64, column: Option<&str>, problem: impl Into<String>) -> Self {
        RowProblem { line, column: column.map(str::to_owned), problem: problem.into() }
    }
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(f, "line {}, {column}: {}", self.line, self.problem),
            None => write!(f, "line {}: {}", self.line, self.problem),
        }
    }
}

/// One item read from the input.
pub(crate) enum ReadItem {
    Row(RawRow),
    Invalid(RowProblem),
}

/// Reads rows one at a time and computes the input's SHA-256 on the way, so that a
/// journal can recognise its input when a run is resumed.
pub(crate) struct RowReader {
    pub(crate) origin: String,
    pub(crate) base_dir: PathBuf,
    reader: Reader,
    rows_hash: Sha256,
}

enum Reader {
    Csv(CsvRows),
    JsonLines(JsonLines),
    Rows { rows: Box<dyn Iterator<Item = Vec<(String, String)>>>, position: u64 },
}

impl RowReader {
    /// Returns the next row, a row-level problem, or `None` at the end. An error ends
    /// the reading: the input cannot be read past it.
    pub(crate) fn next_item(&mut self) -> Result<Option<ReadItem>, BatchError> {
        match &mut self.reader {
            Reader::Csv(csv) => csv.next_item(&self.origin),
            Reader::JsonLines(lines) => lines.next_item(&self.origin),
            Reader::Rows { rows, position } => {
                let Some(pairs) = rows.next() else { return Ok(None) };
                *position += 1;
                hash_row(&mut self.rows_hash, &pairs);
                row_from_pairs(*position, &pairs, &self.origin).map(Some)
            }
        }
    }

    /// Reads what is left without parsing it and returns the SHA-256 of the whole
    /// input, in lowercase hex.
    pub(crate) fn finish_digest(self) -> Result<String, BatchError> {
        let origin = self.origin;
        let digest = match self.reader {
            Reader::Csv(csv) => csv.into_hashing().finish(&origin)?,
            Reader::JsonLines(lines) => lines.reader.into_inner().finish(&origin)?,
            Reader::Rows { rows, .. } => {
                let mut hash = self.rows_hash;
                for pairs in rows {
                    hash_row(&mut hash, &pairs);
                }
                hash.finalize().to_vec()
            }
        };
        Ok(hex(&digest))
    }
}

/// Feeds one in-memory row to the hash, each part prefixed with its length so that
/// different rows cannot produce the same byte stream.
fn hash_row(hash: &mut Sha256, pairs: &[(String, String)]) {
    hash.update((pairs.len() as u64).to_le_bytes());
    for (name, value) in pairs {
        for part in [name, value] {
            hash.update((part.len() as u64).to_le_bytes());
            hash.update(part.as_bytes());
        }
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Builds a row from (column, value) pairs. An unknown column name is an error for the
/// whole input, because a misspelt key would otherwise make every row invalid.
fn row_from_pairs(line: u64, pairs: &[(String, String)], origin: &str) -> Result<ReadItem, BatchError> {
    let mut row = RawRow::new(line);
    let mut seen = [false; COLUMNS.len()];
    for (name, value) in pairs {
        let Some(column) = Column::from_name(name) else {
            return Err(BatchError::input(origin, line, unknown_column(name)));
        };
        if std::mem::replace(&mut seen[column.index()], true) {
            return Ok(ReadItem::Invalid(RowProblem::new(line, Some(column.name()), "given twice in the row")));
        }
        if value.len() > MAX_VALUE_BYTES {
            return Ok(ReadItem::Invalid(value_too_long(line, column, value.len())));
        }
        row.set(column, value);
    }
    Ok(ReadItem::Row(row))
}

fn value_too_long(line: u64, column: Column, bytes: usize) -> RowProblem {
    RowProblem::new(
        line,
        Some(column.name()),
        format!("{bytes} bytes is more than the {MAX_VALUE_BYTES} a value may have; shorten the value"),
    )
}

/// Passes bytes through while computing their SHA-256.
struct HashingReader {
    file: File,
    hash: Sha256,
}

impl HashingReader {
    fn new(file: File) -> Self {
        HashingReader { file, hash: Sha256::new() }
    }

    /// Hashes the unread rest of the file and returns the digest of all of it.
    fn finish(mut self, origin: &str) -> Result<Vec<u8>, BatchError> {
        io::copy(&mut self, &mut io::sink())
            .map_err(|error| BatchError::input(origin, 0, format!("cannot read the input file: {error}")))?;
        Ok(self.hash.finalize().to_vec())
    }
}

impl Read for HashingReader {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let count = self.file.read(buffer)?;
        self.hash.update(&buffer[..count]);
        Ok(count)
    }
}

/// Returns the SHA-256 of a file in lowercase hex, reading it in constant memory.
pub(crate) fn file_digest(path: &Path, origin: &str) -> Result<String, BatchError> {
    let file = File::open(path)
        .map_err(|error| BatchError::input(origin, 0, format!("cannot open the input file: {error}")))?;
    let digest = HashingReader::new(file).finish(origin)?;
    Ok(hex(&digest))
}

/// The error a [`BoundedReader`] returns for a record over [`MAX_RECORD_BYTES`].
#[derive(Debug)]
struct RecordTooLong;

impl fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "record longer than {MAX_RECORD_BYTES} bytes")
    }
}

impl std::error::Error for RecordTooLong {}

/// What the CSV reader has passed to the parser, shared with [`CsvRows`]: how far the
/// last record ended, and where each non-blank line starts.
///
/// The parser reports a record's start as the end of the previous record, which is
/// before any blank lines it skipped; the line index maps that offset to the first
/// non-blank line at or after it, which is the line the record starts on.
#[derive(Default)]
struct StreamTracker {
    consumed: u64,
    record_end: u64,
    line: u64,
    line_start: u64,
    line_has_content: bool,
    content_lines: VecDeque<(u64, u64)>,
}

impl StreamTracker {
    fn new() -> Self {
        StreamTracker { line: 1, ..StreamTracker::default() }
    }

    fn scan(&mut self, bytes: &[u8]) {
        for byte in bytes {
            match byte {
                b'\n' => {
                    self.line += 1;
                    self.line_start = self.consumed + 1;
                    self.line_has_content = false;
                }
                b'\r' => {}
                _ if !self.line_has_content => {
                    self.line_has_content = true;
                    self.content_lines.push_back((self.line_start, self.line));
                }
                _ => {}
            }
            self.consumed += 1;
        }
    }

    /// Returns the line of the first non-blank line starting at or after `offset`,
    /// and forgets the lines before it.
    fn line_at(&mut self, offset: u64) -> u64 {
        while self.content_lines.front().is_some_and(|(start, _)| *start < offset) {
            self.content_lines.pop_front();
        }
        self.content_lines.front().map_or(self.line, |(_, line)| *line)
    }
}

/// Feeds the CSV parser, dropping a leading UTF-8 byte order mark (which spreadsheet
/// programs write) and failing once the bytes read since the end of the last record
/// exceed the record limit plus the parser's read-ahead, so that an unclosed quote or
/// a file that is not CSV cannot make the parser buffer without bound.
struct BoundedReader {
    inner: HashingReader,
    tracker: Rc<RefCell<StreamTracker>>,
    at_start: bool,
}

impl Read for BoundedReader {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        {
            let tracker = self.tracker.borrow();
            if tracker.consumed.saturating_sub(tracker.record_end) > (MAX_RECORD_BYTES + CSV_BUFFER_BYTES) as u64 {
                return Err(io::Error::new(io::ErrorKind::InvalidData, RecordTooLong));
            }
        }

        let mut count = self.inner.read(buffer)?;
        if std::mem::take(&mut self.at_start) {
            count = self.drop_byte_order_mark(buffer, count)?;
        }
        self.tracker.borrow_mut().scan(&buffer[..count]);
        Ok(count)
    }
}

impl BoundedReader {
    /// Removes a byte order mark from the first bytes read, reading on until three
    /// bytes are in or the input ends. Returns the number of bytes left in `buffer`.
    fn drop_byte_order_mark(&mut self, buffer: &mut [u8], mut count: usize) -> io::Result<usize> {
        let wanted = UTF8_BOM.len().min(buffer.len());
        while count < wanted {
            let more = self.inner.read(&mut buffer[count..])?;
            if more == 0 {
                break;
            }
            count += more;
        }
        if !buffer[..count].starts_with(UTF8_BOM) {
            return Ok(count);
        }
        buffer.copy_within(UTF8_BOM.len()..count, 0);
        count -= UTF8_BOM.len();
        if count == 0 {
            // Only the mark was read: read on so that 0 still means the end.
            count = self.inner.read(buffer)?;
        }
        Ok(count)
    }
}

/// CSV rows, read through the `csv` crate.
struct CsvRows {
    reader: csv::Reader<BoundedReader>,
    tracker: Rc<RefCell<StreamTracker>>,
    columns: Vec<Column>,
    record: csv::ByteRecord,
}

impl CsvRows {
    fn new(hashing: HashingReader, origin: &str) -> Result<Self, BatchError> {
        let tracker = Rc::new(RefCell::new(StreamTracker::new()));
        let bounded = BoundedReader { inner: hashing, tracker: Rc::clone(&tracker), at_start: true };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .buffer_capacity(CSV_BUFFER_BYTES)
            .from_reader(bounded);

        let header = match reader.byte_headers() {
            Ok(header) => header.clone(),
            Err(error) => return Err(csv_error(origin, 1, &error)),
        };
        tracker.borrow_mut().record_end = reader.position().byte();
        let columns = header_columns(&header, origin)?;
        Ok(CsvRows { reader, tracker, columns, record: csv::ByteRecord::new() })
    }

    fn next_item(&mut self, origin: &str) -> Result<Option<ReadItem>, BatchError> {
        loop {
            let start = self.reader.position().byte();
            let read = self.reader.read_byte_record(&mut self.record);
            let line = self.tracker.borrow_mut().line_at(start);
            match read {
                Ok(false) => return Ok(None),
                Ok(true) => {}
                Err(error) => return Err(csv_error(origin, line, &error)),
            }
            self.tracker.borrow_mut().record_end = self.reader.position().byte();

            if self.record.len() == 1 && self.record[0].iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Ok(Some(self.row(line)));
        }
    }

    fn row(&self, line: u64) -> ReadItem {
        if self.record.as_slice().len() > MAX_RECORD_BYTES {
            return ReadItem::Invalid(RowProblem::new(
                line,
                None,
                format!("the row is longer than {MAX_RECORD_BYTES} bytes; check for a missing line break"),
            ));
        }
        if self.record.len() != self.columns.len() {
            return ReadItem::Invalid(RowProblem::new(
                line,
                None,
                format!(
                    "{} fields, but the header names {} columns; quote values that contain commas",
                    self.record.len(),
                    self.columns.len()
                ),
            ));
        }

        let mut row = RawRow::new(line);
        for (column, bytes) in self.columns.iter().zip(self.record.iter()) {
            if bytes.len() > MAX_VALUE_BYTES {
                return ReadItem::Invalid(value_too_long(line, *column, bytes.len()));
            }
            let Ok(value) = std::str::from_utf8(bytes) else {
                return ReadItem::Invalid(RowProblem::new(
                    line,
                    Some(column.name()),
                    "not valid UTF-8; save the file as UTF-8",
                ));
            };
            row.set(*column, value);
        }
        ReadItem::Row(row)
    }

    fn into_hashing(self) -> HashingReader {
        self.reader.into_inner().inner
    }
}

fn header_columns(header: &csv::ByteRecord, origin: &str) -> Result<Vec<Column>, BatchError> {
    if header.is_empty() || (header.len() == 1 && header[0].is_empty()) {
        return Err(BatchError::input(
            origin,
            1,
            format!("the header row is missing; the first line names the columns, from: {}", known_columns()),
        ));
    }

    let mut columns = Vec::with_capacity(header.len());
    for name in header.iter() {
        let name = String::from_utf8_lossy(name);
        let Some(column) = Column::from_name(&name) else {
            return Err(BatchError::input(origin, 1, unknown_column(&name)));
        };
        if columns.contains(&column) {
            return Err(BatchError::input(origin, 1, format!("column {column} is named twice in the header")));
        }
        columns.push(column);
    }

    let identifiers = [Column::OrderNumber, Column::CertificateId, Column::SerialNumber, Column::Cert];
    if !columns.iter().any(|column| identifiers.contains(column)) {
        return Err(BatchError::input(
            origin,
            1,
            "the header names no identifier column; add one of order_number, certificate_id, serial_number or cert",
        ));
    }
    Ok(columns)
}

fn csv_error(origin: &str, line: u64, error: &csv::Error) -> BatchError {
    if let csv::ErrorKind::Io(io) = error.kind() {
        if io.get_ref().is_some_and(|inner| inner.is::<RecordTooLong>()) {
            return BatchError::input(
                origin,
                line,
                format!(
                    "a record longer than {MAX_RECORD_BYTES} bytes starts here; check for an unclosed quote, or that the file is CSV"
                ),
            );
        }
        return BatchError::input(origin, line, format!("cannot read the input file: {io}"));
    }
    BatchError::input(origin, line, format!("not valid CSV: {error}"))
}

/// JSON Lines rows: one object per line, blank lines skipped.
struct JsonLines {
    reader: BufReader<HashingReader>,
    line: u64,
    buffer: Vec<u8>,
}

impl JsonLines {
    fn new(hashing: HashingReader) -> Self {
        JsonLines { reader: BufReader::new(hashing), line: 0, buffer: Vec::new() }
    }

    fn next_item(&mut self, origin: &str) -> Result<Option<ReadItem>, BatchError> {
        loop {
            self.line += 1;
            let line = self.line;
            let complete = read_bounded_line(&mut self.reader, &mut self.buffer, MAX_RECORD_BYTES)
                .map_err(|error| BatchError::input(origin, line, format!("cannot read the input file: {error}")))?;
            let Some(complete) = complete else { return Ok(None) };
            if !complete {
                return Ok(Some(ReadItem::Invalid(RowProblem::new(
                    line,
                    None,
                    format!("the line is longer than {MAX_RECORD_BYTES} bytes; put one object on each line"),
                ))));
            }

            let mut bytes = self.buffer.as_slice();
            if line == 1 {
                bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
            }
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return json_row(line, bytes, origin).map(Some);
        }
    }
}

/// Reads one line into `buffer` without its line ending, keeping at most `limit`
/// bytes. Returns `None` at the end of the input, `Some(false)` when the line was
/// longer than the limit (the rest of it is skipped), `Some(true)` otherwise.
fn read_bounded_line(reader: &mut impl BufRead, buffer: &mut Vec<u8>, limit: usize) -> io::Result<Option<bool>> {
    buffer.clear();
    let mut read_any = false;
    let mut too_long = false;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            break;
        }
        read_any = true;
        let (chunk, found_end) = match available.iter().position(|byte| *byte == b'\n') {
            Some(end) => (&available[..end], true),
            None => (available, false),
        };
        if !too_long {
            if buffer.len() + chunk.len() > limit {
                too_long = true;
                buffer.clear();
            } else {
                buffer.extend_from_slice(chunk);
            }
        }
        let consumed = chunk.len() + usize::from(found_end);
        reader.consume(consumed);
        if found_end {
            break;
        }
    }

    if !read_any {
        return Ok(None);
    }
    if buffer.last() == Some(&b'\r') {
        buffer.pop();
    }
    Ok(Some(!too_long))
}

fn json_row(line: u64, bytes: &[u8], origin: &str) -> Result<ReadItem, BatchError> {
    let object: serde_json::Map<String, serde_json::Value> = match serde_json::from_slice(bytes) {
        Ok(object) => object,
        Err(error) => {
            return Ok(ReadItem::Invalid(RowProblem::new(
                line,
                None,
                format!(
                    "not a JSON object ({error}); write one object per line, such as {{\"serial_number\": \"00D9B7\"}}"
                ),
            )))
        }
    };

    let mut pairs = Vec::with_capacity(object.len());
    for (key, value) in object {
        let text = match value {
            serde_json::Value::String(text) => text,
            serde_json::Value::Number(number) => number.to_string(),
            serde_json::Value::Null => String::new(),
            other => {
                let column = Column::from_name(&key).map_or(key.clone(), |column| column.name().to_owned());
                let kind = match other {
                    serde_json::Value::Bool(_) => "a boolean",
                    serde_json::Value::Array(_) => "an array",
                    _ => "an object",
                };
                if Column::from_name(&key).is_none() {
                    return Err(BatchError::input(origin, line, unknown_column(&key)));
                }
                return Ok(ReadItem::Invalid(RowProblem::new(
                    line,
                    Some(&column),
                    format!("{kind} is not a valid value; give a string or a number"),
                )));
            }
        };
        pairs.push((key, text));
    }
    row_from_pairs(line, &pairs, origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, content: &[u8]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        (dir, path)
    }

    fn read_all(path: &Path) -> Result<Vec<Result<RawRow, RowProblem>>, BatchError> {
        let mut reader = Input::file(path).open()?;
        let mut items = Vec::new();
        while let Some(item) = reader.next_item()? {
            items.push(match item {
                ReadItem::Row(row) => Ok(row),
                ReadItem::Invalid(problem) => Err(problem),
            });
        }
        Ok(items)
    }

    fn input_error(error: BatchError) -> (u64, String) {
        match error {
            BatchError::Input { line, problem, .. } => (line, problem),
            other => panic!("expected an input error, got {other:?}"),
        }
    }

    #[test]
    fn csv_columns_and_line_numbers() {
        let (_dir, path) = write("in.csv", b"Serial-Number,reason,comment\n00:AB,4,\" moved \"\n\n01AB,,\n");
        let rows = read_all(&path).unwrap();
        assert_eq!(rows.len(), 2);
        let first = rows[0].as_ref().unwrap();
        assert_eq!(first.line, 2);
        assert_eq!(first.get(Column::SerialNumber), Some("00:AB"));
        assert_eq!(first.get(Column::Reason), Some("4"));
        assert_eq!(first.get(Column::Comment), Some("moved"));
        let second = rows[1].as_ref().unwrap();
        assert_eq!(second.line, 4);
        assert_eq!(second.get(Column::Reason), None);
    }

    #[test]
    fn csv_line_numbers_survive_crlf_blank_lines_and_quotes() {
        let content = b"certificate_id,comment\r\n1,a\r\n\r\n\r\n2,\"two\r\nlines\"\r\n3,c";
        let (_dir, path) = write("in.csv", content);
        let rows = read_all(&path).unwrap();
        let lines: Vec<u64> = rows.iter().map(|row| row.as_ref().unwrap().line).collect();
        assert_eq!(lines, [2, 5, 7]);
        assert_eq!(rows[1].as_ref().unwrap().get(Column::Comment), Some("two\r\nlines"));
    }

    #[test]
    fn csv_byte_order_mark_dropped() {
        let (_dir, path) = write("in.csv", b"\xEF\xBB\xBFcertificate_id\n17\n");
        let rows = read_all(&path).unwrap();
        assert_eq!(rows[0].as_ref().unwrap().get(Column::CertificateId), Some("17"));
    }

    #[test]
    fn unknown_column_lists_known_ones() {
        let (_dir, path) = write("in.csv", b"serial_number,serial\n01,02\n");
        let (line, problem) = input_error(read_all(&path).unwrap_err());
        assert_eq!(line, 1);
        assert_eq!(
            problem,
            "unknown column \"serial\"; known columns: order_number, certificate_id, serial_number, cert, reason, comment, account_id, product_code, product"
        );
    }

    #[test]
    fn header_without_identifier_rejected() {
        let (_dir, path) = write("in.csv", b"reason,comment\n4,x\n");
        let (_, problem) = input_error(read_all(&path).unwrap_err());
        assert!(problem.starts_with("the header names no identifier column"), "{problem}");
    }

    #[test]
    fn csv_field_count_checked_per_row() {
        let (_dir, path) = write("in.csv", b"certificate_id,comment\n1,a,b\n2,c\n");
        let rows = read_all(&path).unwrap();
        let problem = rows[0].as_ref().unwrap_err();
        assert_eq!(problem.line, 2);
        assert!(problem.problem.starts_with("3 fields, but the header names 2 columns"), "{}", problem.problem);
        assert_eq!(rows[1].as_ref().unwrap().get(Column::CertificateId), Some("2"));
    }

    #[test]
    fn csv_long_value_rejected_by_column() {
        let mut content = b"certificate_id,comment\n1,".to_vec();
        content.extend(std::iter::repeat_n(b'x', MAX_VALUE_BYTES + 1));
        content.extend(b"\n2,ok\n");
        let (_dir, path) = write("in.csv", &content);
        let rows = read_all(&path).unwrap();
        let problem = rows[0].as_ref().unwrap_err();
        assert_eq!(problem.column.as_deref(), Some("comment"));
        assert!(problem.problem.starts_with("4097 bytes is more than the 4096"), "{}", problem.problem);
        assert!(rows[1].is_ok());
    }

    #[test]
    fn csv_unclosed_quote_stops_with_line() {
        let mut content = b"certificate_id,comment\n1,ok\n2,\"never closed\n".to_vec();
        for _ in 0..20_000 {
            content.extend(b"more text\n");
        }
        let (_dir, path) = write("in.csv", &content);
        let (line, problem) = input_error(read_all(&path).unwrap_err());
        assert_eq!(line, 3);
        assert!(problem.starts_with("a record longer than 65536 bytes starts here"), "{problem}");
    }

    #[test]
    fn json_lines_values_and_types() {
        let content = b"{\"order_number\": 123, \"reason\": \"superseded\"}\r\n\n{\"serial_number\": \"00ab\", \"comment\": null}\n{\"certificate_id\": true}\nnot json\n";
        let (_dir, path) = write("in.jsonl", content);
        let rows = read_all(&path).unwrap();
        assert_eq!(rows.len(), 4);
        let first = rows[0].as_ref().unwrap();
        assert_eq!(first.get(Column::OrderNumber), Some("123"));
        assert_eq!(first.get(Column::Reason), Some("superseded"));
        let second = rows[1].as_ref().unwrap();
        assert_eq!(second.line, 3);
        assert_eq!(second.get(Column::Comment), None);
        let third = rows[2].as_ref().unwrap_err();
        assert_eq!(third.line, 4);
        assert_eq!(third.column.as_deref(), Some("certificate_id"));
        assert_eq!(third.problem, "a boolean is not a valid value; give a string or a number");
        let fourth = rows[3].as_ref().unwrap_err();
        assert!(fourth.problem.starts_with("not a JSON object"), "{}", fourth.problem);
    }

    #[test]
    fn json_lines_long_line_skipped() {
        let mut content = b"{\"comment\": \"".to_vec();
        content.extend(std::iter::repeat_n(b'x', MAX_RECORD_BYTES));
        content.extend(b"\"}\n{\"certificate_id\": 5}\n");
        let (_dir, path) = write("in.jsonl", &content);
        let rows = read_all(&path).unwrap();
        assert!(rows[0].as_ref().unwrap_err().problem.starts_with("the line is longer than 65536 bytes"));
        assert_eq!(rows[1].as_ref().unwrap().line, 2);
    }

    #[test]
    fn json_lines_unknown_key_stops() {
        let (_dir, path) = write("in.jsonl", b"{\"certificate_id\": 5}\n{\"serial\": \"01\"}\n");
        let (line, problem) = input_error(read_all(&path).unwrap_err());
        assert_eq!(line, 2);
        assert!(problem.starts_with("unknown column \"serial\""), "{problem}");
    }

    #[test]
    fn unknown_extension_needs_format() {
        let (_dir, path) = write("in.txt", b"certificate_id\n1\n");
        let (_, problem) = input_error(Input::file(&path).open().err().unwrap());
        assert!(problem.starts_with("cannot tell the format"), "{problem}");
        assert!(Input::file(&path).format(InputFormat::Csv).open().is_ok());
    }

    #[test]
    fn digest_covers_whole_file() {
        let (_dir, path) = write("in.csv", b"certificate_id\n1\n2\n");
        let mut reader = Input::file(&path).open().unwrap();
        reader.next_item().unwrap();
        let digest = reader.finish_digest().unwrap();
        assert_eq!(digest, file_digest(&path, "in.csv").unwrap());
        assert_eq!(digest.len(), 64);
    }

    #[test]
    fn rows_digest_depends_on_content() {
        let rows = |value: &str| vec![vec![("certificate_id".to_owned(), value.to_owned())]];
        let digest = |value: &str| Input::rows(rows(value)).open().unwrap().finish_digest().unwrap();
        assert_eq!(digest("1"), digest("1"));
        assert_ne!(digest("1"), digest("2"));
    }
}
