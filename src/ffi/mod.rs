//! The C ABI: opaque handles, one result enum, and the `extern "C"` functions that
//! cbindgen turns into `include/sectigo_revoke.h`.
//!
//! Every function follows the same rules, so the header states them once:
//!
//! - A fallible function returns a `sectigo_revoke_result`. Out-parameters (names ending
//!   in `_out`) are written only when it returns `SECTIGO_REVOKE_RESULT_OK`.
//! - Every pointer argument is checked: NULL gives `SECTIGO_REVOKE_RESULT_NULL_PARAMETER`
//!   and changes nothing. Every `const char *` must be NUL-terminated UTF-8, or the call
//!   returns `SECTIGO_REVOKE_RESULT_INVALID_UTF8` and changes nothing.
//! - No Rust panic crosses into C: a panic becomes `SECTIGO_REVOKE_RESULT_PANIC`.
//! - Request and client settings are stored by the setters and validated by the Rust core
//!   when the client is built or the request is sent, so each rule lives in one place.
//!   The outcome object given to that call then names the field, the problem and the fix.

#![allow(non_camel_case_types)]

#[macro_use]
mod pointer;

mod batch;
mod batch_options;
mod batch_summary;
mod boundary;
mod client;
mod client_options;
mod outcome;
mod request;
mod result;
mod string;
