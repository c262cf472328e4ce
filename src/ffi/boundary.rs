//! The panic boundary every exported function runs its body in, so that no panic
//! unwinds into C, where unwinding is undefined behaviour.

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::result::sectigo_revoke_result;

/// Runs a fallible function's body and turns a panic into
/// `SECTIGO_REVOKE_RESULT_PANIC`.
pub(crate) fn guard(body: impl FnOnce() -> sectigo_revoke_result) -> sectigo_revoke_result {
    guard_or(sectigo_revoke_result::Panic, body)
}

/// Runs a function's body and returns `on_panic` if it panics.
///
/// `AssertUnwindSafe` is sound here: after a panic, the handles involved still contain
/// valid Rust values, because unwinding runs destructors and breaks no invariant. The
/// header also asks callers to only free those handles.
pub(crate) fn guard_or<T>(on_panic: T, body: impl FnOnce() -> T) -> T {
    let run = AssertUnwindSafe(|| {
        #[cfg(test)]
        test_hook::panic_if_armed();
        body()
    });
    catch_unwind(run).unwrap_or(on_panic)
}

/// Makes the next exported call on the current thread panic inside its boundary, so that
/// tests can check what a panic returns. Compiled into test builds only.
#[cfg(test)]
pub(crate) mod test_hook {
    use std::cell::Cell;

    thread_local! {
        static ARMED: Cell<bool> = const { Cell::new(false) };
    }

    /// Makes the next exported call on this thread panic.
    pub(crate) fn arm_panic() {
        ARMED.with(|armed| armed.set(true));
    }

    pub(super) fn panic_if_armed() {
        if ARMED.with(|armed| armed.replace(false)) {
            panic!("panic forced by the test hook");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;

    use super::test_hook;
    use crate::ffi::outcome::sectigo_revoke_outcome;
    use crate::ffi::request::sectigo_revoke_request;
    use crate::ffi::result::{sectigo_revoke_result, sectigo_revoke_result_text};

    #[test]
    fn panic_returns_panic_code() {
        let mut request: *mut sectigo_revoke_request = std::ptr::null_mut();
        test_hook::arm_panic();
        let result = sectigo_revoke_request::sectigo_revoke_request_new(&mut request);
        assert_eq!(result, sectigo_revoke_result::Panic);
        assert!(request.is_null(), "the out-parameter was written although the call panicked");

        // The hook fires once, so the next call works.
        assert_eq!(sectigo_revoke_request::sectigo_revoke_request_new(&mut request), sectigo_revoke_result::Ok);
        assert!(!request.is_null());
        sectigo_revoke_request::sectigo_revoke_request_free(request);
    }

    #[test]
    fn panic_leaves_outcome_unrecorded() {
        let mut outcome: *mut sectigo_revoke_outcome = std::ptr::null_mut();
        assert_eq!(sectigo_revoke_outcome::sectigo_revoke_outcome_new(&mut outcome), sectigo_revoke_result::Ok);

        let mut result = sectigo_revoke_result::Ok;
        test_hook::arm_panic();
        let returned = sectigo_revoke_outcome::sectigo_revoke_outcome_get_result(outcome, &mut result);
        assert_eq!(returned, sectigo_revoke_result::Panic);
        assert_eq!(
            sectigo_revoke_outcome::sectigo_revoke_outcome_get_result(outcome, &mut result),
            sectigo_revoke_result::NoValue
        );
        sectigo_revoke_outcome::sectigo_revoke_outcome_free(outcome);
    }

    #[test]
    fn panic_in_text_function_returns_fallback() {
        test_hook::arm_panic();
        // SAFETY: the function returns a static NUL-terminated string, also after a panic.
        let text = unsafe { CStr::from_ptr(sectigo_revoke_result_text(0)) };
        assert_eq!(text.to_str().unwrap(), "unknown result code");
    }
}
