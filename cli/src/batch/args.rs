//! The options of `sectigo-revoke batch`, and the settings derived from them before
//! anything is planned or sent.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, ValueEnum};

use sectigo_revoke::batch::{InputFormat, PlanOptions, ReportFormat, RunOptions, MAX_CONCURRENCY};
use sectigo_revoke::{CertificateIdentifier, Reason, Revocation, MAX_ATTEMPTS};

use crate::exit::BATCH_EXIT_STATUS_HELP;
use crate::input::{self, InputError};
use crate::options::{ConnectionArgs, CredentialArgs};

/// Appended to the input path to name the journal when `--journal` is not given.
pub const JOURNAL_SUFFIX: &str = ".journal";

/// The first wait before a repeat, unless `--max-backoff` is shorter.
const INITIAL_BACKOFF: Duration = Duration::from_secs(1);

/// Options of `sectigo-revoke batch`.
#[derive(Args, Debug)]
#[command(after_help = BATCH_EXIT_STATUS_HELP)]
pub struct BatchArgs {
    /// The input: CSV with a header row, or JSON Lines with one object per line.
    ///
    /// Columns are CSV header names or JSON keys. Each row needs exactly one
    /// identifier: order_number, certificate_id, serial_number or cert (a PEM or DER
    /// file, relative to the input file's folder). The other columns are reason,
    /// comment, account_id, product_code and product, with the values `revoke` takes.
    /// Case does not matter, and - may stand for _.
    #[arg(value_name = "FILE")]
    pub input: PathBuf,

    /// The input format. Without it the extension decides: .csv for CSV; .jsonl,
    /// .ndjson or .json for JSON Lines.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,

    #[command(flatten)]
    pub defaults: DefaultArgs,

    #[command(flatten)]
    pub journal: JournalArgs,

    #[command(flatten)]
    pub sending: SendingArgs,

    #[command(flatten)]
    pub credentials: CredentialArgs,

    #[command(flatten)]
    pub connection: ConnectionArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// An input format, as named on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Comma-separated values with a header row naming the columns.
    Csv,
    /// One JSON object per line, with the column names as keys.
    Jsonl,
}

/// Request settings for rows that do not set their own.
#[derive(Args, Debug)]
#[command(next_help_heading = "Request defaults (for rows without their own value)")]
pub struct DefaultArgs {
    /// Reason code (codeReason) for rows without a reason, by name or number:
    /// unspecified (0), key-compromise (1), affiliation-changed (3), superseded (4) or
    /// cessation-of-operation (5). Defaults to unspecified.
    ///
    /// Codes 2, 6, 8, 9 and 10 are rejected because a subscriber may not request them.
    /// Since Mozilla Root Store Policy 2.9 (September 2023), keyCompromise is reserved
    /// for keys shown or reasonably suspected to be compromised.
    #[arg(long, value_name = "REASON")]
    pub reason: Option<String>,

    /// Comment (revocationReason) for rows without a comment, at most 1024
    /// characters; Sectigo stores it for your reference and takes no action on it.
    #[arg(long, value_name = "TEXT")]
    pub comment: Option<String>,

    /// Send test=Y with every row: Sectigo validates each request and revokes nothing.
    #[arg(long)]
    pub test_mode: bool,
}

/// The journal and resuming.
#[derive(Args, Debug)]
#[command(next_help_heading = "Journal")]
pub struct JournalArgs {
    /// The SQLite journal that records the plan and every row's state, so that an
    /// interrupted run can resume. Defaults to the input's path with .journal appended
    /// (incident.csv.journal for incident.csv).
    ///
    /// An existing journal is only used with --resume, so that a finished batch is
    /// never sent again by accident.
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,

    /// Continue the batch recorded in an existing journal, after an interruption,
    /// a crash or a stop. Rows with a final result are never sent again; rows whose
    /// outcome is unknown are sent again only with --retry-unknown. The input file,
    /// --format, --reason, --comment and --test-mode must be the same as when the
    /// batch was planned.
    #[arg(long)]
    pub resume: bool,

    /// Send again the rows whose outcome is unknown: sent without a readable answer,
    /// or cut off by a crash. A repeat of a revocation that went through gets -21
    /// (already revoked), which counts as done.
    #[arg(long)]
    pub retry_unknown: bool,
}

/// Confirmation, concurrency, rate limit and repeats of the requests.
#[derive(Args, Debug)]
#[command(next_help_heading = "Sending")]
pub struct SendingArgs {
    /// Send without asking for confirmation. Required when standard input is not a
    /// terminal, because there is no one to ask.
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Requests in flight at once, from 1 to 256.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = parse_concurrency)]
    pub concurrency: usize,

    /// Maximum requests per second across all workers, spaced evenly; fractions
    /// allowed. Without it there is no limit other than --concurrency.
    #[arg(long, value_name = "PER_SECOND", value_parser = parse_rate)]
    pub rate: Option<f64>,

    /// Requests one row may take in a run, from 1 to 100, counting repeats after a
    /// request that never reached the server or was rate limited (-42 or HTTP 429).
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = parse_max_attempts)]
    pub max_attempts: u32,

    /// Maximum wait in seconds before a repeat, and maximum pause of every worker
    /// after -42 or HTTP 429; waits start at 1 s and double. A Retry-After longer than
    /// this stops the run, which can be resumed later.
    #[arg(long, value_name = "SECONDS", default_value = "60", value_parser = input::parse_seconds)]
    pub max_backoff: Duration,
}

/// Output settings: dry run, report, JSON, problem list and progress.
#[derive(Args, Debug)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Validate every row and print the plan, then stop: nothing is sent, no journal
    /// is written, and no credentials are needed.
    #[arg(long, conflicts_with = "resume")]
    pub dry_run: bool,

    /// Write one line per input row to this file when the batch ends: CSV for .csv,
    /// JSON Lines for .jsonl, .ndjson or .json.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Print one JSON object with the plan, the counts and the status on standard
    /// output instead of text.
    #[arg(long)]
    pub json: bool,

    /// List at most N invalid or duplicate rows, and at most N failed or unknown rows,
    /// with a count of the rest; 0 lists none.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub show_problems: usize,

    /// When standard error is not a terminal, print a progress line every SECONDS
    /// seconds instead of a progress bar.
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = input::parse_seconds)]
    pub progress_interval: Duration,
}

fn parse_concurrency(text: &str) -> Result<usize, String> {
    let max = u32::try_from(MAX_CONCURRENCY).unwrap_or(u32::MAX);
    input::parse_number_in_range(text, 1, max).map(|number| number as usize)
}

fn parse_max_attempts(text: &str) -> Result<u32, String> {
    input::parse_number_in_range(text, 1, MAX_ATTEMPTS)
}

fn parse_rate(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate > 0.0 => Ok(rate),
        _ => Err(format!("{text:?} is not a positive number of requests per second; give a value such as 20 or 0.5")),
    }
}

impl BatchArgs {
    /// Returns the input format: the one given with `--format`, else the one the
    /// extension names.
    pub fn input_format(&self) -> Result<InputFormat, InputError> {
        let format = match self.format {
            Some(FormatArg::Csv) => Some(InputFormat::Csv),
            Some(FormatArg::Jsonl) => Some(InputFormat::JsonLines),
            None => InputFormat::from_path(&self.input),
        };
        format.ok_or_else(|| {
            InputError::new(
                "input file",
                format!(
                    "cannot tell the format of {} from its extension; name it .csv or .jsonl, or give --format csv \
                     or --format jsonl",
                    self.input.display()
                ),
            )
        })
    }

    /// Checks that the input file can be opened, before a journal is created for it.
    pub fn check_input_readable(&self) -> Result<(), InputError> {
        std::fs::File::open(&self.input).map(drop).map_err(|error| {
            InputError::new(
                "input file",
                format!("cannot open {}: {error}; give the path of a CSV or JSON Lines file", self.input.display()),
            )
        })
    }

    /// Returns the plan options from `--reason`, `--comment` and `--test-mode`, with
    /// each value checked once here rather than on every row.
    pub fn plan_options(&self) -> Result<PlanOptions, InputError> {
        let defaults = &self.defaults;
        let mut options = PlanOptions::new().test_mode(defaults.test_mode);
        if let Some(text) = &defaults.reason {
            options = options.reason(text.parse::<Reason>()?);
        }
        if let Some(comment) = &defaults.comment {
            // The comment rules live in the request builder, so a sample request
            // checks it.
            Revocation::builder().identifier(CertificateIdentifier::CertificateId(1)).comment(comment).build()?;
            options = options.comment(comment);
        }
        Ok(options)
    }

    /// Returns the report's path and format, checked before anything is sent so that
    /// a long run never ends without its report.
    pub fn report(&self) -> Result<Option<(PathBuf, ReportFormat)>, InputError> {
        let Some(path) = &self.output.report else { return Ok(None) };
        let Some(format) = ReportFormat::from_path(path) else {
            return Err(InputError::new(
                "--report",
                format!(
                    "cannot tell the format of {} from its extension; name it .csv for CSV, or .jsonl for JSON Lines",
                    path.display()
                ),
            ));
        };
        if same_file(path, &self.input) {
            return Err(InputError::new(
                "--report",
                format!(
                    "{} is the input file; give another path, so that the input is not overwritten",
                    path.display()
                ),
            ));
        }
        Ok(Some((path.clone(), format)))
    }

    /// Returns the journal's path: `--journal`, else the input's path with `.journal`
    /// appended.
    pub fn journal_path(&self) -> PathBuf {
        match &self.journal.journal {
            Some(path) => path.clone(),
            None => {
                let mut path = self.input.clone().into_os_string();
                path.push(JOURNAL_SUFFIX);
                PathBuf::from(path)
            }
        }
    }

    /// Checks the journal against `--resume`: a new batch needs a new journal, and a
    /// resume needs an existing one. Returns whether the journal exists.
    pub fn check_journal(&self, journal: &Path) -> Result<bool, InputError> {
        let exists = journal.exists();
        let journal_name = journal.display();
        if same_file(journal, &self.input) {
            return Err(InputError::new(
                "--journal",
                format!("{journal_name} is the input file; give another path for the journal"),
            ));
        }
        if self.output.report.as_deref().is_some_and(|report| same_file(report, journal)) {
            return Err(InputError::new(
                "--report",
                format!("{journal_name} is the journal; give another path for the report"),
            ));
        }
        if exists && !self.journal.resume {
            return Err(InputError::new(
                "--journal",
                format!(
                    "{journal_name} already exists, so this batch was started before; add --resume to continue it (rows \
                     with a final result are not sent again), or give another --journal FILE"
                ),
            ));
        }
        if !exists && self.journal.resume {
            return Err(InputError::new(
                "--resume",
                format!(
                    "the journal {journal_name} does not exist, so there is nothing to resume; give its path with --journal, \
                     or run without --resume to start the batch"
                ),
            ));
        }
        Ok(exists)
    }

    /// Returns the run options; the cancellation flag and the progress callback are
    /// added by the caller.
    pub fn run_options(&self) -> RunOptions {
        let sending = &self.sending;
        let mut options = RunOptions::new()
            .concurrency(sending.concurrency)
            .retry_unknown(self.journal.retry_unknown)
            .max_attempts(sending.max_attempts)
            .initial_backoff(INITIAL_BACKOFF.min(sending.max_backoff))
            .max_backoff(sending.max_backoff);
        if let Some(rate) = sending.rate {
            options = options.rate(rate);
        }
        options
    }
}

/// Returns true when both paths name the same file, whether or not it exists yet.
fn same_file(first: &Path, second: &Path) -> bool {
    resolved(first) == resolved(second)
}

/// Returns the path with its folder's symbolic links and `..` resolved, so that two
/// spellings of a file that does not exist yet still compare equal.
fn resolved(path: &Path) -> PathBuf {
    if let Ok(resolved) = path.canonicalize() {
        return resolved;
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    match (folder.canonicalize(), path.file_name()) {
        (Ok(folder), Some(name)) => folder.join(name),
        _ => std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Command {
        #[command(flatten)]
        batch: BatchArgs,
    }

    fn parse(arguments: &[&str]) -> BatchArgs {
        let mut all = vec!["batch"];
        all.extend_from_slice(arguments);
        Command::try_parse_from(all).expect("the arguments parse").batch
    }

    #[test]
    fn journal_defaults_to_input_with_suffix() {
        assert_eq!(parse(&["data/incident.csv"]).journal_path(), Path::new("data/incident.csv.journal"));
        assert_eq!(parse(&["in.csv", "--journal", "j.db"]).journal_path(), Path::new("j.db"));
    }

    #[test]
    fn format_from_option_or_extension() {
        assert_eq!(parse(&["a.csv"]).input_format(), Ok(InputFormat::Csv));
        assert_eq!(parse(&["a.NDJSON"]).input_format(), Ok(InputFormat::JsonLines));
        assert_eq!(parse(&["a.txt", "--format", "jsonl"]).input_format(), Ok(InputFormat::JsonLines));
        let error = parse(&["a.txt"]).input_format().unwrap_err();
        assert!(error.problem().contains("give --format csv or --format jsonl"), "{error}");
    }

    #[test]
    fn report_needs_known_extension() {
        let error = parse(&["a.csv", "--report", "out.txt"]).report().unwrap_err();
        assert_eq!(error.field(), "--report");
        assert!(error.problem().starts_with("cannot tell the format of out.txt"), "{error}");
        let (_, format) = parse(&["a.csv", "--report", "out.jsonl"]).report().unwrap().unwrap();
        assert_eq!(format, ReportFormat::JsonLines);
    }

    #[test]
    fn default_values_checked_once() {
        let error = parse(&["a.csv", "--reason", "6"]).plan_options().unwrap_err();
        assert!(error.field().contains("--reason"), "{error}");
        let long = "x".repeat(1025);
        let error = parse(&["a.csv", "--comment", &long]).plan_options().unwrap_err();
        assert!(error.field().contains("--comment"), "{error}");
        let options = parse(&["a.csv", "--test-mode", "--reason", "superseded"]).plan_options().unwrap();
        assert!(options.is_test_mode());
    }

    #[test]
    fn report_and_journal_must_differ() {
        // Unit tests run in the crate's folder, where src/ exists and x.jsonl does not.
        let arguments = parse(&["in.csv", "--journal", "src/x.jsonl", "--report", "src/../src/x.jsonl"]);
        let error = arguments.check_journal(&arguments.journal_path()).unwrap_err();
        assert_eq!(error.field(), "--report");
        assert!(error.problem().ends_with("is the journal; give another path for the report"), "{error}");
        assert!(!same_file(Path::new("a.csv"), Path::new("b.csv")));
        assert!(same_file(Path::new("a.csv"), Path::new("./a.csv")));
    }

    #[test]
    fn concurrency_and_rate_bounded() {
        let mut command = vec!["batch", "a.csv", "--concurrency", "0"];
        assert!(Command::try_parse_from(&command).is_err());
        command[3] = "257";
        assert!(Command::try_parse_from(&command).is_err());
        command[3] = "256";
        assert!(Command::try_parse_from(&command).is_ok());
        for rate in ["0", "-1", "fast", "inf"] {
            assert!(Command::try_parse_from(["batch", "a.csv", "--rate", rate]).is_err(), "{rate}");
        }
    }
}
