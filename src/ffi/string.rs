//! Strings the library allocates and hands over to the caller.

use std::ffi::{c_char, CString};

use super::boundary::guard_or;

/// Frees a string the library handed over to the caller, such as the rendering from
/// `sectigo_revoke_client_dry_run`. Does nothing when `text` is NULL.
///
/// Only pass strings documented as freed with this function. Strings borrowed from an
/// outcome and static strings must not be freed.
/// Thread safety: may be called from any thread, once per string.
#[no_mangle]
pub extern "C" fn sectigo_revoke_string_free(text: *mut c_char) {
    guard_or((), || {
        if !text.is_null() {
            // SAFETY: the header requires a string the library allocated with
            // CString::into_raw and handed over, freed only once.
            drop(unsafe { CString::from_raw(text) });
        }
    })
}
