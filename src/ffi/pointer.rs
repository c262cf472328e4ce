//! Checks on pointer arguments, each failure turned into its result code.
//!
//! The macros return from the enclosing function body, which is always the closure run
//! inside the panic boundary, so they may only be used where a `sectigo_revoke_result`
//! is returned.

use std::ffi::{c_char, CStr, CString};

use super::result::sectigo_revoke_result;

/// Borrows the value behind a `*const T` argument, or returns
/// `SECTIGO_REVOKE_RESULT_NULL_PARAMETER`.
macro_rules! try_ref {
    ($pointer:expr) => {
        // SAFETY: the header requires every pointer argument to be NULL or valid for
        // the duration of the call.
        match unsafe { $pointer.as_ref() } {
            Some(value) => value,
            None => return $crate::ffi::result::sectigo_revoke_result::NullParameter,
        }
    };
}

/// Borrows the value behind a `*mut T` argument mutably, or returns
/// `SECTIGO_REVOKE_RESULT_NULL_PARAMETER`.
macro_rules! try_mut {
    ($pointer:expr) => {
        // SAFETY: as for `try_ref`; the header also forbids concurrent use of the
        // handles that functions take as `*mut`.
        match unsafe { $pointer.as_mut() } {
            Some(value) => value,
            None => return $crate::ffi::result::sectigo_revoke_result::NullParameter,
        }
    };
}

/// Checks that an out-parameter is not NULL and returns it, still unwritten, or returns
/// `SECTIGO_REVOKE_RESULT_NULL_PARAMETER`.
macro_rules! try_out {
    ($pointer:expr) => {{
        let pointer = $pointer;
        if pointer.is_null() {
            return $crate::ffi::result::sectigo_revoke_result::NullParameter;
        }
        $crate::ffi::pointer::OutPointer(pointer)
    }};
}

/// Borrows a `const char *` argument as UTF-8 text, or returns
/// `SECTIGO_REVOKE_RESULT_NULL_PARAMETER` or `SECTIGO_REVOKE_RESULT_INVALID_UTF8`.
macro_rules! try_str {
    ($pointer:expr) => {
        // SAFETY: the header requires every `const char *` argument to be NULL or a
        // NUL-terminated string that stays valid for the duration of the call.
        match unsafe { $crate::ffi::pointer::borrow_str($pointer) } {
            Ok(text) => text,
            Err(result) => return result,
        }
    };
}

/// An out-parameter already checked for NULL.
pub(crate) struct OutPointer<T>(pub(crate) *mut T);

impl<T> OutPointer<T> {
    /// Writes the output without reading or dropping what the caller's memory held.
    pub(crate) fn write(self, value: T) {
        // SAFETY: the pointer is not NULL (checked by `try_out`), and the header requires
        // out-parameters to point to writable memory of the right type.
        unsafe { self.0.write(value) }
    }
}

/// Borrows a NUL-terminated C string as UTF-8.
///
/// # Safety
///
/// `pointer` must be NULL or point to a NUL-terminated string that stays valid and
/// unchanged for the lifetime `'a`.
pub(crate) unsafe fn borrow_str<'a>(pointer: *const c_char) -> Result<&'a str, sectigo_revoke_result> {
    if pointer.is_null() {
        return Err(sectigo_revoke_result::NullParameter);
    }
    // SAFETY: not NULL, and NUL-terminated and valid as the caller guarantees.
    let text = unsafe { CStr::from_ptr(pointer) };
    text.to_str().map_err(|_| sectigo_revoke_result::InvalidUtf8)
}

/// Copies text into a C string. A NUL byte, which C cannot hold inside a string, becomes
/// U+FFFD. Only text from the server can contain one.
pub(crate) fn to_c_string(text: &str) -> CString {
    let cleaned = text.replace('\0', "\u{FFFD}");
    CString::new(cleaned).expect("NUL bytes were replaced")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_from_server_text_replaced() {
        assert_eq!(to_c_string("bad\0byte").to_str().unwrap(), "bad\u{FFFD}byte");
    }

    #[test]
    fn invalid_utf8_and_null_rejected() {
        let invalid = c"\xC3(";
        // SAFETY: both pointers are NULL or static NUL-terminated strings.
        unsafe {
            assert_eq!(borrow_str(invalid.as_ptr()), Err(sectigo_revoke_result::InvalidUtf8));
            assert_eq!(borrow_str(std::ptr::null()), Err(sectigo_revoke_result::NullParameter));
            assert_eq!(borrow_str(c"serial".as_ptr()), Ok("serial"));
        }
    }
}
