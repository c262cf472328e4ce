//! When a failed revocation is sent again, and how long to wait first.

use std::time::Duration;

use crate::error::{Error, InvalidRequest};
use crate::field::Field;

/// When and how often a client repeats a request.
///
/// Only failures that provably did not revoke anything are repeated: the request
/// never reached the server, or the server rate-limited it. A request whose outcome is
/// unknown is repeated only with [`RetryPolicy::retry_unknown_outcome`]; a repeat of a
/// revocation that did go through then returns [`OutcomeKind::AlreadyRevoked`].
///
/// Waits grow exponentially from the initial delay, are capped at the maximum delay,
/// and are drawn at random from the upper half of that range so that many clients do
/// not retry in step. A `Retry-After` from the server replaces the computed wait; one
/// longer than the maximum delay ends the retries and returns the error.
///
/// [`OutcomeKind::AlreadyRevoked`]: crate::OutcomeKind::AlreadyRevoked
///
/// ```
/// use std::time::Duration;
/// use sectigo_revoke::RetryPolicy;
///
/// let policy = RetryPolicy::new(4)?.initial_delay(Duration::from_millis(500));
/// assert_eq!(policy.max_attempts(), 4);
/// # Ok::<(), sectigo_revoke::InvalidRequest>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_delay: Duration,
    max_delay: Duration,
    retry_unknown_outcome: bool,
}

/// Highest number of attempts a policy accepts.
pub const MAX_ATTEMPTS: u32 = 100;

impl RetryPolicy {
    /// A policy that sends every request once.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            retry_unknown_outcome: false,
        }
    }

    /// A policy that sends a request at most `max_attempts` times in all (1 to 100),
    /// starting from a 1 s wait capped at 60 s.
    pub fn new(max_attempts: u32) -> Result<Self, InvalidRequest> {
        if !(1..=MAX_ATTEMPTS).contains(&max_attempts) {
            return Err(InvalidRequest::new(
                Field::Retry,
                format!("{max_attempts} attempts is outside 1 to {MAX_ATTEMPTS}; use 1 for no retries"),
            ));
        }
        Ok(RetryPolicy { max_attempts, ..RetryPolicy::none() })
    }

    /// Sets the wait before the first retry. Defaults to 1 s.
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// Sets the longest wait between two attempts, and the longest `Retry-After`
    /// honoured. Defaults to 60 s.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Repeats requests whose outcome is unknown when true. Defaults to false.
    pub fn retry_unknown_outcome(mut self, retry: bool) -> Self {
        self.retry_unknown_outcome = retry;
        self
    }

    /// Returns the number of attempts in all, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Returns true when requests with an unknown outcome are repeated.
    pub fn retries_unknown_outcome(&self) -> bool {
        self.retry_unknown_outcome
    }

    /// Returns the wait before the next attempt after `attempt` attempts failed with
    /// `error`, or `None` when the error is returned.
    pub fn next_delay(&self, attempt: u32, error: &Error) -> Option<Duration> {
        if attempt >= self.max_attempts || !self.is_retried(error) {
            return None;
        }

        if let Some(retry_after) = error.retry_after() {
            return (retry_after <= self.max_delay).then_some(retry_after);
        }

        let exponent = attempt.saturating_sub(1).min(31);
        let ceiling = self.initial_delay.saturating_mul(1 << exponent).min(self.max_delay);
        let floor = ceiling / 2;
        let spread = (ceiling - floor).as_nanos().min(u128::from(u64::MAX)) as u64;
        Some(floor + Duration::from_nanos(fastrand::u64(0..=spread)))
    }

    fn is_retried(&self, error: &Error) -> bool {
        match error {
            Error::NotSent { .. } | Error::RateLimited { .. } => true,
            Error::OutcomeUnknown { .. } => self.retry_unknown_outcome,
            // API errors are never repeated: -16 in particular can get the source
            // address blocked, and the others need a different request.
            _ => false,
        }
    }
}

impl Default for RetryPolicy {
    /// The same as [`RetryPolicy::none`]: retries are opt-in.
    fn default() -> Self {
        RetryPolicy::none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{NotSentCause, UnknownCause};

    fn not_sent() -> Error {
        Error::NotSent { endpoint: "https://127.0.0.1:1/".into(), cause: NotSentCause::Connect("refused".into()) }
    }

    fn unknown() -> Error {
        Error::OutcomeUnknown { cause: UnknownCause::Timeout, http_status: None }
    }

    #[test]
    fn none_never_retries() {
        assert_eq!(RetryPolicy::none().next_delay(1, &not_sent()), None);
    }

    #[test]
    fn attempts_bounded() {
        assert!(RetryPolicy::new(0).is_err());
        assert!(RetryPolicy::new(101).is_err());
        let policy = RetryPolicy::new(3).unwrap();
        assert!(policy.next_delay(1, &not_sent()).is_some());
        assert!(policy.next_delay(2, &not_sent()).is_some());
        assert_eq!(policy.next_delay(3, &not_sent()), None);
    }

    #[test]
    fn delays_grow_and_cap() {
        let policy = RetryPolicy::new(50)
            .unwrap()
            .initial_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(1000));
        for _ in 0..50 {
            let first = policy.next_delay(1, &not_sent()).unwrap();
            assert!((Duration::from_millis(50)..=Duration::from_millis(100)).contains(&first), "{first:?}");
            let third = policy.next_delay(3, &not_sent()).unwrap();
            assert!((Duration::from_millis(200)..=Duration::from_millis(400)).contains(&third), "{third:?}");
            let late = policy.next_delay(40, &not_sent()).unwrap();
            assert!((Duration::from_millis(500)..=Duration::from_millis(1000)).contains(&late), "{late:?}");
        }
    }

    #[test]
    fn unknown_outcome_only_when_asked() {
        let policy = RetryPolicy::new(3).unwrap();
        assert_eq!(policy.next_delay(1, &unknown()), None);
        assert!(policy.retry_unknown_outcome(true).next_delay(1, &unknown()).is_some());
    }

    #[test]
    fn retry_after_honoured_up_to_max_delay() {
        let policy = RetryPolicy::new(3).unwrap().max_delay(Duration::from_secs(10));
        let limited = |seconds| Error::RateLimited {
            api_code: None,
            http_status: 429,
            retry_after: Some(Duration::from_secs(seconds)),
        };
        assert_eq!(policy.next_delay(1, &limited(4)), Some(Duration::from_secs(4)));
        assert_eq!(policy.next_delay(1, &limited(11)), None);
    }
}
