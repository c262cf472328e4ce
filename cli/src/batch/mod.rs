//! The `batch` subcommand: revokes every certificate listed in a CSV or JSON Lines
//! file through the core's bulk engine.
//!
//! A real batch checks the options, plans every row into the journal, shows the plan
//! and asks for confirmation, sends the rows with a progress display, writes the
//! report and prints a summary. A dry run stops after the plan, with a temporary
//! journal.

mod args;
mod confirm;
mod interrupt;
mod output;

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sectigo_revoke::batch::{Batch, BatchError, BatchStatus, Counts, Input, PlanOptions, ReportFormat, RunSummary};
use sectigo_revoke::RetryPolicy;

pub use args::BatchArgs;

use crate::exit::Exit;
use crate::progress::{Display, Style};
use confirm::Answer;
use interrupt::Watcher;
use output::{format_count, Failure, Summary};

/// Runs `sectigo-revoke batch` and returns the exit status.
pub fn run(args: &BatchArgs) -> Exit {
    let mut summary = Summary::new(&args.input, args.output.dry_run, args.defaults.test_mode);
    let result = if args.output.dry_run { dry_run(args, &mut summary) } else { send(args, &mut summary) };
    if let Err(failure) = result {
        summary.fail(failure);
    }
    summary.print(args.output.json)
}

/// The settings checked before anything is planned.
struct Checked {
    input: Input,
    plan: PlanOptions,
    report: Option<(PathBuf, ReportFormat)>,
}

fn check(args: &BatchArgs, summary: &mut Summary) -> Result<Checked, Failure> {
    args.credentials.check_no_password_option()?;
    let format = args.input_format()?;
    summary.set_format(format.name());
    let plan = args.plan_options()?;
    let report = args.report()?;
    args.check_input_readable()?;
    Ok(Checked { input: Input::file(&args.input).format(format), plan, report })
}

/// Plans into a temporary journal, prints the plan and writes the report if asked.
fn dry_run(args: &BatchArgs, summary: &mut Summary) -> Result<(), Failure> {
    let checked = check(args, summary)?;
    let batch = Batch::dry_run(checked.input, &checked.plan).map_err(Failure::nothing_sent)?;
    let pending = batch.plan_summary().to_send;
    summary.set_plan(&batch, pending, args.output.show_problems).map_err(Failure::nothing_sent)?;
    if !args.output.json {
        // A failed write to standard output shows again, and is reported, when the
        // summary is printed.
        let _ = summary.print_plan();
    }

    if let Some((path, format)) = &checked.report {
        batch.write_report(path, Some(*format)).map_err(Failure::nothing_sent)?;
        summary.set_report(path);
    }
    summary.finish_dry_run();
    Ok(())
}

/// Plans or resumes the journal, asks for confirmation, sends the pending rows and
/// writes the report.
fn send(args: &BatchArgs, summary: &mut Summary) -> Result<(), Failure> {
    let checked = check(args, summary)?;
    let journal = args.journal_path();
    let existed = args.check_journal(&journal)?;
    summary.set_journal(&journal);
    // A new batch always has rows to send, so it stops here, before it creates a
    // journal. A resume stops only once the journal shows rows left to send.
    let can_confirm = args.sending.yes || std::io::stdin().is_terminal();
    if !existed && !can_confirm {
        return Err(Failure::cannot_confirm());
    }
    // The run repeats requests itself, so the client has no retry policy of its own.
    let client = args.connection.client(args.credentials.credentials()?, RetryPolicy::none())?;
    let resume_command = resume_command(std::env::args_os(), false);
    summary.set_resume_command(resume_command.clone());

    let options = args.run_options();
    let watcher = Watcher::start(options.cancel_flag(), (!existed).then(|| journal.clone()));
    let batch = match Batch::open(checked.input, &journal, &checked.plan) {
        Ok(batch) => batch,
        Err(error) => {
            // Nothing was sent from a journal whose planning failed. A journal in use
            // belongs to another process that created it meanwhile, so it stays.
            if !existed && !matches!(error, BatchError::JournalInUse { .. }) {
                remove_journal(&journal);
            }
            return Err(Failure::nothing_sent(error));
        }
    };
    let pending = pending_rows(&batch, args.journal.retry_unknown).map_err(Failure::nothing_sent)?;
    summary.set_plan(&batch, pending, args.output.show_problems).map_err(Failure::nothing_sent)?;
    if !args.output.json {
        let _ = summary.print_plan();
    }

    if pending > 0 && !can_confirm {
        return Err(Failure::cannot_confirm());
    }
    if pending > 0 && !args.sending.yes {
        let answer = confirm::ask(batch.plan_summary(), pending, client.endpoint(), client.login_name());
        if !matches!(answer, Ok(Answer::Yes)) {
            drop(batch);
            let advice = if existed {
                "the journal keeps its state; resume it when ready".to_owned()
            } else {
                remove_journal(&journal);
                "the new journal was removed; run the command again when ready".to_owned()
            };
            summary.finish_not_started("the plan was not confirmed", advice, existed);
            return Ok(());
        }
    }

    let display = Arc::new(Display::new(progress_style(args)));
    let shown = Arc::clone(&display);
    let options = options.on_progress(move |progress| shown.update(progress));
    watcher.enter_run();
    let result = batch.run(&client, &options);
    display.finish();
    let signal = watcher.leave_run();
    let run = result.map_err(|error| Failure::during_run(error, &resume_command))?;

    summary.set_run(&run, signal, args.journal.retry_unknown);
    let limit = args.output.show_problems;
    summary.set_counts(&batch, &run.counts, limit).map_err(|error| Failure::during_run(error, &resume_command))?;
    if let Some((path, format)) = &checked.report {
        batch.write_report(path, Some(*format)).map_err(|error| Failure::report(error, &resume_command))?;
        summary.set_report(path);
    }
    if only_unknown_left(&run.counts) && !args.journal.retry_unknown {
        // Without --retry-unknown, a resume would send nothing and end the same way.
        summary.set_resume_command(self::resume_command(std::env::args_os(), true));
    }
    summary.finish_run(run.status(), &run.counts, advice(&run, args.journal.retry_unknown));
    Ok(())
}

/// Returns the rows the run will send: not sent yet, retryable, and with
/// `--retry-unknown` those with an unknown outcome.
fn pending_rows(batch: &Batch, retry_unknown: bool) -> Result<u64, BatchError> {
    let counts = batch.counts()?;
    let unknown = if retry_unknown { counts.unknown } else { 0 };
    Ok(counts.planned + counts.sending + counts.retryable + unknown)
}

/// Returns true when every row left to send has an unknown outcome, so that only
/// `--retry-unknown` sends anything more.
fn only_unknown_left(counts: &Counts) -> bool {
    counts.unknown > 0 && counts.planned + counts.sending + counts.retryable == 0
}

/// Returns a bar for a terminal on standard error, else a line at each interval.
fn progress_style(args: &BatchArgs) -> Style {
    if std::io::stderr().is_terminal() {
        Style::Bar
    } else {
        Style::Lines(args.output.progress_interval)
    }
}

/// Returns what to do next after a run that did not succeed.
fn advice(run: &RunSummary, retry_unknown: bool) -> Option<String> {
    let counts = &run.counts;
    let mut steps = Vec::new();
    match run.status() {
        BatchStatus::Succeeded => return None,
        BatchStatus::FinishedWithFailures => {
            let rows = match (counts.failed, counts.invalid) {
                (0, _) => "the invalid rows are",
                (_, 0) => "the rows rejected by the API are",
                _ => "the rows rejected by the API and the invalid rows are",
            };
            steps.push(format!(
                "{rows} never sent again from this journal; correct them and revoke them in a new batch"
            ));
        }
        BatchStatus::Incomplete => {
            if let Some(stopped) = &run.stopped {
                steps.push(format!("the run stopped: {stopped}."));
            } else if run.cancelled {
                steps.push("the run was stopped before every row was sent; resume to send the rest.".to_owned());
            }
            if counts.retryable > 0 && run.stopped.is_none() {
                steps.push(format!(
                    "{} retryable (not sent, rate limited, or a temporary error such as -14 or -26); resume later to \
                     send them.",
                    format_count(counts.retryable, "row is", "rows are")
                ));
            }
            if counts.unknown > 0 && !retry_unknown {
                steps.push(format!(
                    "{} an unknown outcome: the request was sent, but no answer was read. Check them, or resume with \
                     --retry-unknown, because a repeat answers \"already revoked\" if the first request went through.",
                    format_count(counts.unknown, "row has", "rows have")
                ));
            } else if counts.unknown > 0 {
                steps.push(format!(
                    "{} an unknown outcome after repeated attempts; check them before resuming again.",
                    format_count(counts.unknown, "row still has", "rows still have")
                ));
            }
            if steps.is_empty() {
                steps.push("some rows were not sent; resume to send them.".to_owned());
            }
        }
    }
    Some(steps.join(" "))
}

/// Returns the command line that resumes this batch: the arguments as given, with
/// `--resume` added, and `--retry-unknown` too when `retry_unknown` is true, quoted
/// for a POSIX shell.
fn resume_command(arguments: impl IntoIterator<Item = OsString>, retry_unknown: bool) -> String {
    let mut words: Vec<String> = arguments.into_iter().map(|word| word.to_string_lossy().into_owned()).collect();
    if !words.iter().any(|word| word == "--resume") {
        words.push("--resume".to_owned());
    }
    if retry_unknown && !words.iter().any(|word| word == "--retry-unknown") {
        words.push("--retry-unknown".to_owned());
    }
    words.iter().map(|word| shell_quote(word)).collect::<Vec<_>>().join(" ")
}

fn shell_quote(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Removes a journal and the files SQLite keeps beside it. Used only for journals
/// that this command created and sent nothing from.
fn remove_journal(journal: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut path = journal.as_os_str().to_owned();
        path.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(path));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resume_command_adds_flag_and_quotes() {
        let arguments = ["sectigo-revoke", "batch", "my file.csv", "--comment", "it's done", "--yes"];
        let command = resume_command(arguments.iter().map(OsString::from), false);
        assert_eq!(command, r"sectigo-revoke batch 'my file.csv' --comment 'it'\''s done' --yes --resume");

        let again = resume_command(["sectigo-revoke", "batch", "a.csv", "--resume"].iter().map(OsString::from), false);
        assert_eq!(again, "sectigo-revoke batch a.csv --resume");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn resume_command_adds_retry_unknown_once() {
        let fresh = resume_command(["sectigo-revoke", "batch", "a.csv", "--yes"].iter().map(OsString::from), true);
        assert_eq!(fresh, "sectigo-revoke batch a.csv --yes --resume --retry-unknown");

        let arguments = ["sectigo-revoke", "batch", "a.csv", "--retry-unknown", "--resume"];
        let given = resume_command(arguments.iter().map(OsString::from), true);
        assert_eq!(given, "sectigo-revoke batch a.csv --retry-unknown --resume");
    }
}
