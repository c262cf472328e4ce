//! SIGINT (Ctrl-C) and SIGTERM during a real batch.
//!
//! Both signals are blocked in every thread and taken by one waiting thread, which acts
//! according to how far the command has come:
//!
//! - before the run begins (planning, or the confirmation prompt), nothing has been
//!   sent: a journal this command created is removed, and the process exits with
//!   status 11;
//! - during the run, the first signal sets the run's cancellation flag: no new row is
//!   taken, and the requests in flight finish and are journalled. A second signal
//!   exits at once with status 10. The rows in flight then stay `sending`, which a
//!   resume reports as unknown;
//! - after the run, while the report and summary are written, a signal exits at once
//!   with status 1, because the journal is complete by then.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::exit::Exit;
use crate::progress::eprint_line;
use crate::termination;

/// How far the command has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Preparing,
    Running,
    Finished,
}

struct Shared {
    phase: Mutex<Phase>,
    cancel: Arc<AtomicBool>,
    received: Mutex<Option<&'static str>>,
    new_journal: Option<PathBuf>,
}

/// The waiting thread's view of the command, updated by the main thread.
pub struct Watcher {
    shared: Arc<Shared>,
}

impl Watcher {
    /// Blocks SIGINT and SIGTERM and starts the thread that waits for them. Must run
    /// before any other thread starts, so that every thread inherits the blocked set.
    /// `new_journal` is the journal this command creates, removed on a signal before
    /// the run.
    pub fn start(cancel: Arc<AtomicBool>, new_journal: Option<PathBuf>) -> Watcher {
        let signals = termination::block();
        let shared =
            Arc::new(Shared { phase: Mutex::new(Phase::Preparing), cancel, received: Mutex::new(None), new_journal });

        let waiting = Arc::clone(&shared);
        let waited = signals;
        let spawned = std::thread::Builder::new().name("signal-waiter".to_owned()).spawn(move || loop {
            let signal = termination::wait(&waited);
            waiting.handle(signal);
        });
        if let Err(error) = spawned {
            // Without the waiting thread the signals keep their default action, which
            // ends the process at once: the journal stays consistent, as after a crash.
            log::warn!("cannot start the thread that waits for SIGINT and SIGTERM: {error}; Ctrl-C ends the process");
            termination::unblock(&signals);
        }
        Watcher { shared }
    }

    /// Marks the start of the run: from now on a signal cancels it instead of ending
    /// the process.
    pub fn enter_run(&self) {
        *lock(&self.shared.phase) = Phase::Running;
    }

    /// Marks the end of the run, and returns the signal that cancelled it, if any.
    pub fn leave_run(&self) -> Option<&'static str> {
        *lock(&self.shared.phase) = Phase::Finished;
        *lock(&self.shared.received)
    }
}

impl Shared {
    fn handle(&self, signal: &'static str) {
        // The lock is held until the process exits, so the main thread cannot move on
        // to the next phase meanwhile.
        let phase = lock(&self.phase);
        match *phase {
            Phase::Preparing => {
                let mut message = format!("received {signal} before the run began: nothing was sent");
                if let Some(journal) = &self.new_journal {
                    super::remove_journal(journal);
                    message.push_str(&format!("; the new journal {} was removed", journal.display()));
                }
                eprint_line(&message);
                std::process::exit(Exit::BatchNotStarted.code().into());
            }
            Phase::Running => {
                if lock(&self.received).replace(signal).is_none() {
                    self.cancel.store(true, Ordering::SeqCst);
                    eprint_line(&format!(
                        "received {signal}: no new rows are sent; waiting for the requests in flight to finish \
                         (send it again to stop at once, leaving their outcome unknown)"
                    ));
                } else {
                    eprint_line(&format!(
                        "received {signal} again: stopping at once; the rows in flight are reported as unknown \
                         when the batch is resumed"
                    ));
                    std::process::exit(Exit::BatchIncomplete.code().into());
                }
            }
            Phase::Finished => {
                eprint_line(&format!(
                    "received {signal} after the run ended: stopping before the report and summary are complete; \
                     the journal contains every row's result"
                ));
                std::process::exit(Exit::Failure.code().into());
            }
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
