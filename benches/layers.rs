//! Per-call cost of the C ABI over the Rust core, without network, run with
//! `cargo bench --bench layers`.
//!
//! Each operation runs through the Rust API and through the `extern "C"` functions a C
//! caller uses, in this process. The figure is the fastest of several rounds, in
//! nanoseconds per call, and the C layer's overhead is the difference:
//!
//! - validate, rejected: a request with an invalid serial number fails validation.
//!   Rust: `RevocationBuilder::build`. C: `sectigo_revoke_request_new`, the setters,
//!   `sectigo_revoke_client_dry_run` (which validates first, then records the error in
//!   the outcome) and `sectigo_revoke_request_free`.
//! - validate and encode: a valid request by serial number, with a reason and a
//!   comment, rendered as its dry run. Rust: `build` and `Client::dry_run` formatted as
//!   text. C: the same calls as above, plus `sectigo_revoke_string_free`.
//! - parse: `ApiResponse::parse` of a URL-encoded error response. The C ABI and the
//!   Python module have no parse function, because they parse inside a revocation, so
//!   this figure is the core's alone.
//!
//! With `-- --rust-only`, only the Rust figures are printed, as `rust_ns name=value`
//! lines that benches/layers.py reads to compute the Python layer's overhead.

use std::ffi::{c_char, c_void, CStr};
use std::hint::black_box;
use std::time::Instant;

use sectigo_revoke::{ApiResponse, Client, Credentials, ProxySetting, Reason, Revocation};

const SERIAL: &str = "00:d9:b7:5b:1c:2e:0f:11:22:33:44:55:66:77:88:9a:a1";
const SERIAL_C: &CStr = c"00:d9:b7:5b:1c:2e:0f:11:22:33:44:55:66:77:88:9a:a1";
const INVALID_SERIAL: &str = "00:d9:zz";
const INVALID_SERIAL_C: &CStr = c"00:d9:zz";
const COMMENT: &str = "key left on a shared host";
const COMMENT_C: &CStr = c"key left on a shared host";
const RESPONSE: &str = "errorCode=-21&errorMessage=The+certificate+has+already+been+revoked.";
const ENDPOINT: &str = "https://127.0.0.1:9/products/!AutoRevokeCertificate";
const ROUNDS: usize = 7;
const CALLS_PER_ROUND: u32 = 20_000;

// The C ABI, declared as a C caller sees it; the handles are opaque. The symbols come
// from this crate's library, which the benchmark links.
extern "C" {
    fn sectigo_revoke_client_options_new(options_out: *mut *mut c_void) -> u32;
    fn sectigo_revoke_client_options_free(options: *mut c_void);
    fn sectigo_revoke_client_options_set_credentials(
        options: *mut c_void,
        login_name: *const c_char,
        password: *const c_char,
    ) -> u32;
    fn sectigo_revoke_client_options_set_endpoint(options: *mut c_void, endpoint: *const c_char) -> u32;
    fn sectigo_revoke_client_options_set_no_proxy(options: *mut c_void) -> u32;
    fn sectigo_revoke_client_new(options: *const c_void, outcome: *mut c_void, client_out: *mut *mut c_void) -> u32;
    fn sectigo_revoke_client_free(client: *mut c_void);
    fn sectigo_revoke_client_dry_run(
        client: *const c_void,
        request: *const c_void,
        outcome: *mut c_void,
        text_out: *mut *mut c_char,
    ) -> u32;
    fn sectigo_revoke_outcome_new(outcome_out: *mut *mut c_void) -> u32;
    fn sectigo_revoke_outcome_free(outcome: *mut c_void);
    fn sectigo_revoke_request_new(request_out: *mut *mut c_void) -> u32;
    fn sectigo_revoke_request_free(request: *mut c_void);
    fn sectigo_revoke_request_set_serial_number(request: *mut c_void, serial_number: *const c_char) -> u32;
    fn sectigo_revoke_request_set_reason_code(request: *mut c_void, reason_code: i32) -> u32;
    fn sectigo_revoke_request_set_comment(request: *mut c_void, comment: *const c_char) -> u32;
    fn sectigo_revoke_string_free(text: *mut c_char);
}

const RESULT_OK: u32 = 0;
const RESULT_INVALID_REQUEST: u32 = 200;

fn main() {
    let rust_only = std::env::args().any(|argument| argument == "--rust-only");
    let client = Client::builder(Credentials::new("bench-user", "bench-password").unwrap())
        .endpoint(ENDPOINT)
        .proxy(ProxySetting::None)
        .build()
        .unwrap();

    let rust_rejected = nanoseconds_per_call(|| rust_validate(INVALID_SERIAL).is_err());
    let rust_encoded = nanoseconds_per_call(|| rust_validate_and_encode(&client).len());
    let rust_parse = nanoseconds_per_call(|| ApiResponse::parse(black_box(RESPONSE)).is_ok());
    if rust_only {
        println!("rust_ns validate_rejected={rust_rejected:.1}");
        println!("rust_ns validate_and_encode={rust_encoded:.1}");
        println!("rust_ns parse={rust_parse:.1}");
        return;
    }

    let c = CLayer::new();
    let c_rejected = nanoseconds_per_call(|| c.dry_run(INVALID_SERIAL_C) == RESULT_INVALID_REQUEST);
    let c_encoded = nanoseconds_per_call(|| c.dry_run(SERIAL_C) == RESULT_OK);

    println!("{:<22} {:>10} {:>10} {:>12}", "operation", "Rust ns", "C ns", "C overhead");
    for (name, rust, c) in
        [("validate, rejected", rust_rejected, c_rejected), ("validate and encode", rust_encoded, c_encoded)]
    {
        println!("{name:<22} {rust:>10.0} {c:>10.0} {:>9.0} ns", c - rust);
    }
    println!("{:<22} {rust_parse:>10.0} {:>10} {:>12}", "parse", "-", "no C call");
}

fn rust_validate(serial_number: &str) -> Result<Revocation, sectigo_revoke::InvalidRequest> {
    Revocation::builder()
        .serial_number(black_box(serial_number))
        .reason(Reason::KeyCompromise)
        .comment(black_box(COMMENT))
        .build()
}

fn rust_validate_and_encode(client: &Client) -> String {
    let revocation = rust_validate(SERIAL).unwrap();
    client.dry_run(&revocation).to_string()
}

/// Runs `call` in rounds and returns the fastest round's time per call, in
/// nanoseconds. The fastest round is the one least disturbed by other processes.
fn nanoseconds_per_call<T>(mut call: impl FnMut() -> T) -> f64 {
    for _ in 0..CALLS_PER_ROUND / 10 {
        black_box(call());
    }
    let mut best = f64::INFINITY;
    for _ in 0..ROUNDS {
        let started = Instant::now();
        for _ in 0..CALLS_PER_ROUND {
            black_box(call());
        }
        best = best.min(started.elapsed().as_nanos() as f64 / f64::from(CALLS_PER_ROUND));
    }
    best
}

/// A client and an outcome built through the C ABI, freed on drop.
struct CLayer {
    client: *mut c_void,
    outcome: *mut c_void,
}

impl CLayer {
    fn new() -> Self {
        let mut options = std::ptr::null_mut();
        let mut outcome = std::ptr::null_mut();
        let mut client = std::ptr::null_mut();
        // SAFETY: every pointer passed is valid for the call, the strings are
        // NUL-terminated, and each handle is freed once, by its own free function.
        unsafe {
            assert_eq!(sectigo_revoke_client_options_new(&mut options), RESULT_OK);
            assert_eq!(sectigo_revoke_outcome_new(&mut outcome), RESULT_OK);
            assert_eq!(
                sectigo_revoke_client_options_set_credentials(
                    options,
                    c"bench-user".as_ptr(),
                    c"bench-password".as_ptr()
                ),
                RESULT_OK
            );
            let endpoint = std::ffi::CString::new(ENDPOINT).unwrap();
            assert_eq!(sectigo_revoke_client_options_set_endpoint(options, endpoint.as_ptr()), RESULT_OK);
            assert_eq!(sectigo_revoke_client_options_set_no_proxy(options), RESULT_OK);
            assert_eq!(sectigo_revoke_client_new(options, outcome, &mut client), RESULT_OK);
            sectigo_revoke_client_options_free(options);
        }
        CLayer { client, outcome }
    }

    /// Builds a request as a C caller does, renders its dry run, frees both, and
    /// returns the dry run's result code.
    fn dry_run(&self, serial_number: &CStr) -> u32 {
        let mut request = std::ptr::null_mut();
        let mut text = std::ptr::null_mut();
        // SAFETY: as in `new`; `text` is written only on success and freed once.
        unsafe {
            sectigo_revoke_request_new(&mut request);
            sectigo_revoke_request_set_serial_number(request, black_box(serial_number).as_ptr());
            sectigo_revoke_request_set_reason_code(request, 1);
            sectigo_revoke_request_set_comment(request, black_box(COMMENT_C).as_ptr());
            let result = sectigo_revoke_client_dry_run(self.client, request, self.outcome, &mut text);
            sectigo_revoke_string_free(text);
            sectigo_revoke_request_free(request);
            result
        }
    }
}

impl Drop for CLayer {
    fn drop(&mut self) {
        // SAFETY: both handles came from their `_new` functions and are freed once.
        unsafe {
            sectigo_revoke_client_free(self.client);
            sectigo_revoke_outcome_free(self.outcome);
        }
    }
}
