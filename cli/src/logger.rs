//! A small logger that writes this product's log records to standard error.

use log::{LevelFilter, Log, Metadata, Record};

/// Writes records from this product's own crates to standard error.
///
/// Records from dependencies are dropped at every level, because the HTTP and TLS
/// libraries log request bytes at trace level and those bytes carry the password.
/// The product's own crates never log the password.
struct StderrLogger;

static LOGGER: StderrLogger = StderrLogger;

/// The prefix shared by the targets of the core library, the simulator and this tool.
const OWN_TARGET_PREFIX: &str = "sectigo_revoke";

impl Log for StderrLogger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= log::max_level() && metadata.target().starts_with(OWN_TARGET_PREFIX)
    }

    fn log(&self, record: &Record<'_>) {
        if self.enabled(record.metadata()) {
            crate::progress::eprint_line(&format!("[{} {}] {}", record.level(), record.target(), record.args()));
        }
    }

    fn flush(&self) {}
}

/// Installs the logger: warnings and errors by default, debug records with one `-v`,
/// trace records with two or more.
pub fn init(verbosity: u8) {
    let level = match verbosity {
        0 => LevelFilter::Warn,
        1 => LevelFilter::Debug,
        _ => LevelFilter::Trace,
    };
    // Fails only when a logger is already installed, which this binary never does twice.
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(level);
    }
}
