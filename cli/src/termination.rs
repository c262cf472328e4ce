//! Waiting for SIGINT and SIGTERM without a signal handler: both are blocked in every
//! thread and taken with `sigwait` by the thread that waits for them.

#[cfg(unix)]
mod imp {
    /// The blocked set of signals.
    #[derive(Clone, Copy)]
    pub struct Signals(libc::sigset_t);

    /// Blocks SIGINT and SIGTERM in the calling thread and in threads it starts later.
    pub fn block() -> Signals {
        // SAFETY: the set is initialised by sigemptyset before use, and the pointers
        // passed are valid for the duration of each call.
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, libc::SIGINT);
            libc::sigaddset(&mut set, libc::SIGTERM);
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
            Signals(set)
        }
    }

    /// Unblocks the signals in the calling thread, restoring their default action.
    pub fn unblock(signals: &Signals) {
        // SAFETY: the set is initialised, and the pointers are valid for the call.
        unsafe {
            libc::pthread_sigmask(libc::SIG_UNBLOCK, &signals.0, std::ptr::null_mut());
        }
    }

    /// Waits until SIGINT or SIGTERM arrives and returns its name.
    pub fn wait(signals: &Signals) -> &'static str {
        loop {
            let mut signal: libc::c_int = 0;
            // SAFETY: both pointers are valid; sigwait only writes `signal`.
            let result = unsafe { libc::sigwait(&signals.0, &mut signal) };
            if result == 0 {
                return if signal == libc::SIGINT { "SIGINT" } else { "SIGTERM" };
            }
        }
    }
}

/// Without POSIX signals, nothing is blocked and the wait never ends: the process
/// runs until it is ended.
#[cfg(not(unix))]
mod imp {
    #[derive(Clone, Copy)]
    pub struct Signals;

    pub fn block() -> Signals {
        Signals
    }

    pub fn unblock(_: &Signals) {}

    pub fn wait(_: &Signals) -> &'static str {
        loop {
            std::thread::park();
        }
    }
}

pub use imp::{block, unblock, wait};
