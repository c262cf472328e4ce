//! Pacing shared by every worker: a client-side limit on requests per second, and a
//! pause that a rate-limited answer (-42 or HTTP 429) imposes on all workers at once.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Maximum single sleep before the halt condition is checked again.
const CANCEL_CHECK_INTERVAL: Duration = Duration::from_millis(50);

/// Spaces requests evenly: each caller gets the next free slot, one interval after the
/// previous one, so there is no burst at the start or after a pause.
pub(crate) struct RateLimiter {
    interval: Option<Duration>,
    next_slot: Mutex<Instant>,
}

impl RateLimiter {
    /// Creates a limiter for `per_second` requests per second, or no limit for `None`.
    pub(crate) fn new(per_second: Option<f64>) -> Self {
        let interval = per_second.map(|rate| Duration::from_secs_f64(1.0 / rate));
        RateLimiter { interval, next_slot: Mutex::new(Instant::now()) }
    }

    /// Waits for the next slot. Returns false when `halted` turned true while waiting.
    pub(crate) fn acquire(&self, halted: &dyn Fn() -> bool) -> bool {
        let Some(interval) = self.interval else { return !halted() };
        let slot = {
            let mut next_slot = self.next_slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let slot = (*next_slot).max(Instant::now());
            *next_slot = slot + interval;
            slot
        };
        sleep_until(slot, halted)
    }
}

/// A moment before which no worker sends, set when the server asks everyone to slow
/// down.
#[derive(Default)]
pub(crate) struct Pause {
    until: Mutex<Option<Instant>>,
}

impl Pause {
    /// Moves the end of the pause to `delay` from now, unless it already ends later.
    pub(crate) fn extend(&self, delay: Duration) {
        let end = Instant::now() + delay;
        let mut until = self.until.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if until.is_none_or(|current| current < end) {
            *until = Some(end);
        }
    }

    /// Returns true while a pause is in force.
    pub(crate) fn is_active(&self) -> bool {
        self.end().is_some_and(|end| end > Instant::now())
    }

    /// Waits for the pause to end. Returns false when `halted` turned true while
    /// waiting.
    pub(crate) fn wait(&self, halted: &dyn Fn() -> bool) -> bool {
        loop {
            match self.end() {
                Some(end) if end > Instant::now() => {
                    if !sleep_until(end, halted) {
                        return false;
                    }
                }
                _ => return !halted(),
            }
        }
    }

    fn end(&self) -> Option<Instant> {
        *self.until.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Sleeps until `deadline` in short steps. Returns false as soon as `halted` returns
/// true.
pub(crate) fn sleep_until(deadline: Instant, halted: &dyn Fn() -> bool) -> bool {
    loop {
        if halted() {
            return false;
        }
        let now = Instant::now();
        if now >= deadline {
            return true;
        }
        std::thread::sleep((deadline - now).min(CANCEL_CHECK_INTERVAL));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_spaced_by_the_interval() {
        let limiter = RateLimiter::new(Some(1000.0));
        let started = Instant::now();
        for _ in 0..20 {
            assert!(limiter.acquire(&|| false));
        }
        // 20 slots at 1 ms spacing: the last one is at least 19 ms after the first.
        assert!(started.elapsed() >= Duration::from_millis(19), "{:?}", started.elapsed());
    }

    #[test]
    fn pause_only_grows() {
        let pause = Pause::default();
        assert!(!pause.is_active());
        pause.extend(Duration::from_secs(60));
        pause.extend(Duration::from_millis(1));
        assert!(pause.end().unwrap() > Instant::now() + Duration::from_secs(50));
    }

    #[test]
    fn cancel_ends_a_wait() {
        let pause = Pause::default();
        pause.extend(Duration::from_secs(60));
        assert!(!pause.wait(&|| true));
        assert!(!RateLimiter::new(Some(0.001)).acquire(&|| true));
    }
}
