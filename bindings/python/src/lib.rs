//! `sectigo_revoke._native`: the native half of the `sectigo_revoke` Python package.
//!
//! This module only translates. Validation, encoding, sending and interpreting live
//! in the `sectigo-revoke` crate. The public Python API, the exception classes and the
//! enums live in the pure-Python modules beside this one, which call in here.

mod batch;
mod client;
mod errors;
mod outcome;
mod simulator;

use log::LevelFilter;
use pyo3::prelude::*;

#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    install_logger(module.py())?;

    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    module.add("DEFAULT_ENDPOINT", sectigo_revoke::DEFAULT_ENDPOINT)?;
    module.add("DEFAULT_TIMEOUT", sectigo_revoke::DEFAULT_TIMEOUT.as_secs_f64())?;
    module.add("DEFAULT_CONNECT_TIMEOUT", sectigo_revoke::DEFAULT_CONNECT_TIMEOUT.as_secs_f64())?;
    module.add("MAX_RETRIES", client::MAX_RETRIES)?;
    module.add("REDACTED", sectigo_revoke::REDACTED)?;

    module.add_class::<client::Client>()?;
    module.add_class::<client::Revocation>()?;
    module.add_class::<outcome::Outcome>()?;
    module.add_class::<outcome::DryRun>()?;
    module.add_class::<simulator::Simulator>()?;
    module.add_class::<batch::BatchReport>()?;
    module.add_class::<batch::BatchCounts>()?;
    module.add_class::<batch::BatchProgress>()?;
    module.add_class::<batch::PlanSummary>()?;
    module.add_class::<batch::RowProblem>()?;
    module.add_class::<batch::RowReport>()?;
    module.add_function(wrap_pyfunction!(client::parse_reason, module)?)?;
    Ok(())
}

/// Forwards `log` records to Python's `logging`, the target `sectigo_revoke::client`
/// becoming the logger `sectigo_revoke.client`.
///
/// Records of this project's crates pass at every level, and Python's logger levels
/// decide which are kept. Other crates (ureq, rustls) pass from warn level up, so
/// their debug output about connections stays out. Loggers are cached but levels are
/// not, so a level changed after the first record, as pytest's `caplog` does, applies.
fn install_logger(py: Python<'_>) -> PyResult<()> {
    let logger = pyo3_log::Logger::new(py, pyo3_log::Caching::Loggers)?
        .filter(LevelFilter::Warn)
        .filter_target("sectigo_revoke".to_owned(), LevelFilter::Trace)
        .filter_target("sectigo_revoke_simulator".to_owned(), LevelFilter::Trace);

    // Installing fails only when this module's copy of `log` already has a logger.
    // Nothing else in this library sets one, and PyO3 initialises a module once.
    let _ = logger.install();
    Ok(())
}
