//! Errors that stop a batch as a whole. Problems with single rows are not errors:
//! they are recorded in the journal and listed in the report.

/// An error that stops planning, running or reporting a batch.
///
/// Each variant leaves the journal consistent: a run stopped by any of them can be
/// resumed once the cause is fixed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    /// The input cannot be read past this point: the file cannot be opened, the header
    /// names an unknown column, or a record is over the size limit. Line 0 means the
    /// file as a whole.
    #[error("{origin}{}: {problem}", line_text(*.line))]
    Input {
        /// The input file's path, or `rows` for rows given in memory.
        origin: String,
        /// The line where reading stopped, from 1, or 0 for the file as a whole.
        line: u64,
        /// What is wrong and how to fix it.
        problem: String,
    },

    /// The journal cannot be created, read or written.
    #[error("journal {path}: {message}")]
    Journal {
        /// The journal's path.
        path: String,
        /// What failed.
        message: String,
    },

    /// Another process has the journal open. Two runs on one journal could send the
    /// same row twice, so only one may hold it.
    #[error("journal {path} is in use by another process; wait for that run to end, or give another journal")]
    JournalInUse {
        /// The journal's path.
        path: String,
    },

    /// The journal was planned from a different input. Resuming with it could skip
    /// or repeat rows.
    #[error(
        "journal {journal} was planned from {recorded_origin} with SHA-256 {recorded}, but {origin} has SHA-256 {found}; resume with the original input, or give a new journal"
    )]
    InputChanged {
        /// The journal's path.
        journal: String,
        /// The input the journal was planned from.
        recorded_origin: String,
        /// Its SHA-256, in hex.
        recorded: String,
        /// The input given now.
        origin: String,
        /// Its SHA-256, in hex.
        found: String,
    },

    /// The journal was planned with a different setting, such as test mode or the
    /// default reason, than the one given now.
    #[error(
        "journal {journal} was planned with {setting} {recorded}, but {given} is given now; use the same setting, or give a new journal"
    )]
    SettingChanged {
        /// The journal's path.
        journal: String,
        /// The setting that differs.
        setting: &'static str,
        /// The value recorded in the journal.
        recorded: String,
        /// The value given now.
        given: String,
    },

    /// The batch was planned as a dry run, which has no journal to send from.
    #[error("a dry run only plans; open the batch with a journal to send the revocations")]
    DryRun,

    /// A run or report option is out of range.
    #[error("invalid {option}: {problem}")]
    InvalidOption {
        /// The option's name.
        option: &'static str,
        /// What is wrong and the allowed range.
        problem: String,
    },

    /// The report cannot be written.
    #[error("cannot write the report {path}: {message}")]
    Report {
        /// The report's path, or `output` for a writer.
        path: String,
        /// What failed.
        message: String,
    },
}

fn line_text(line: u64) -> String {
    if line == 0 {
        String::new()
    } else {
        format!(" line {line}")
    }
}

impl BatchError {
    pub(crate) fn input(origin: &str, line: u64, problem: impl Into<String>) -> Self {
        BatchError::Input { origin: origin.to_owned(), line, problem: problem.into() }
    }

    pub(crate) fn journal(path: &str, message: impl std::fmt::Display) -> Self {
        BatchError::Journal { path: path.to_owned(), message: message.to_string() }
    }

    pub(crate) fn option(option: &'static str, problem: impl Into<String>) -> Self {
        BatchError::InvalidOption { option, problem: problem.into() }
    }
}
