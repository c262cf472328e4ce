//! `sectigo-revoke`: revoke Sectigo certificates from the command line, and run a
//! local simulator of the endpoint to try it without an account.

mod batch;
mod exit;
mod input;
mod logger;
mod options;
mod progress;
mod report;
mod revoke;
mod simulate;
mod termination;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::exit::{Exit, ALL_EXIT_STATUS_HELP};

/// Revoke Sectigo certificates through the !AutoRevokeCertificate API.
///
/// Credentials come from SECTIGO_LOGIN_NAME and SECTIGO_LOGIN_PASSWORD, or from
/// --login-name with --password-file; a password is never accepted on the command line.
#[derive(Parser, Debug)]
#[command(name = "sectigo-revoke", version, after_help = ALL_EXIT_STATUS_HELP)]
struct Cli {
    /// Log to standard error: -v adds debug records, -vv trace records. Without it
    /// only warnings and errors are logged. Logs never contain the password.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Revoke one certificate, by order number, certificate ID, serial number or
    /// certificate file.
    Revoke(revoke::RevokeArgs),
    /// Revoke many certificates listed in a CSV or JSON Lines file: validate every
    /// row, confirm, send with a journal that lets an interrupted run resume, and
    /// write a report.
    ///
    /// Every row is validated and de-duplicated before anything is sent. Ctrl-C
    /// (SIGINT) or SIGTERM during the run stops taking new rows and lets the requests
    /// in flight finish. The summary then shows the command that resumes the batch. A
    /// second signal stops at once.
    Batch(batch::BatchArgs),
    /// Run a local HTTPS simulator of the endpoint until SIGINT or SIGTERM, to try the
    /// tool without a Sectigo account.
    Simulate(simulate::SimulateArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    logger::init(cli.verbose);

    let exit: Exit = match &cli.command {
        Command::Revoke(args) => revoke::run(args),
        Command::Batch(args) => batch::run(args),
        Command::Simulate(args) => simulate::run(args),
    };
    exit.into()
}
