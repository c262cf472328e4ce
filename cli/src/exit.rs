//! The process exit statuses, one per way a command can end.

/// The end state of a command, as the process exit status.
///
/// The numbers are part of the command-line interface: scripts branch on them, so a
/// number is never reused for another meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// The revocation was accepted, the dry run was printed, or the simulator stopped
    /// on a signal. In test mode an accepted request was only validated, and with
    /// `includeInCRL=N` it marked the certificate replaced instead of revoked.
    Success = 0,
    /// A failure outside the revocation itself, such as a simulator that cannot listen
    /// on its port.
    Failure = 1,
    /// Invalid input or usage; nothing was sent.
    Usage = 2,
    /// The certificate was already revoked, already rejected or expired.
    AlreadyFinal = 3,
    /// The API rejected the request with a negative code.
    Rejected = 4,
    /// The API returned -42 (call limit), or the server responded with HTTP 429.
    RateLimited = 5,
    /// The request never reached the server (resolve, connect, proxy or TLS failure).
    NotSent = 6,
    /// The endpoint responded with a redirect, which is never followed.
    Redirected = 7,
    /// The request was sent, but no readable response came back.
    OutcomeUnknown = 8,
    /// A batch ended with every row in a final state, but some rows were rejected by
    /// the API or were invalid.
    BatchFinishedWithFailures = 9,
    /// A batch ended with rows not in a final state: not sent yet, retryable, or with
    /// an unknown outcome. Resuming the journal can finish them.
    BatchIncomplete = 10,
    /// A batch stopped before its run began: the plan was not confirmed at the prompt,
    /// or a signal arrived while planning or asking. Nothing was sent.
    BatchNotStarted = 11,
}

impl Exit {
    /// Returns the numeric exit status.
    pub fn code(self) -> u8 {
        self as u8
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit.code())
    }
}

/// The lines of the exit status table that `revoke` can end with.
macro_rules! revoke_statuses {
    () => {
        "  0  revocation accepted (in test mode: request valid, nothing revoked; with --no-crl:
     marked replaced, not revoked); dry run printed
  1  failure outside the revocation, such as a simulator that cannot listen
  2  invalid input or usage; nothing was sent
  3  already in a final state: already revoked, already rejected or expired
  4  rejected by the API (a negative code such as -4 or -16)
  5  rate limited (-42 or HTTP 429); nothing was revoked, repeat later
  6  failed before sending (resolve, connect, proxy or TLS); repeating is safe
  7  redirected: the endpoint answered 3xx, which is never followed; fix --endpoint or the proxy
  8  outcome unknown: sent without a readable answer; check the certificate before repeating"
    };
}

/// The lines of the exit status table for the statuses only `batch` ends with.
macro_rules! batch_statuses {
    () => {
        "  9  batch finished, but some rows were rejected by the API or invalid (see the report)
 10  batch incomplete: rows not sent yet, retryable or with an unknown outcome
     (interrupted or stopped during the run); resume with --resume
 11  batch not started: not confirmed at the prompt, or interrupted before the run
     began; nothing was sent"
    };
}

/// The exit status table shown after the `revoke` help text; docs/cli.md repeats it.
pub const EXIT_STATUS_HELP: &str = concat!("Exit status:\n", revoke_statuses!());

/// The exit status table shown after the top-level help text, with every status.
pub const ALL_EXIT_STATUS_HELP: &str = concat!("Exit status:\n", revoke_statuses!(), "\n", batch_statuses!());

/// The exit status table shown after the `batch` help text; docs/cli.md repeats it.
pub const BATCH_EXIT_STATUS_HELP: &str = concat!(
    "Exit status:
  0  every row is done: accepted (in test mode: valid), already revoked, already rejected
     or expired, or a duplicate of such a row; a dry run found no invalid row
  1  failure outside the revocations, such as a journal or report that cannot be written
  2  invalid input or usage, or a dry run found invalid rows; nothing was sent
",
    batch_statuses!()
);
