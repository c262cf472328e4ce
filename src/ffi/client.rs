//! The client handle: sends revocations, or renders them without sending.

use std::ffi::c_char;

use super::boundary::{guard, guard_or};
use super::client_options::sectigo_revoke_client_options;
use super::outcome::sectigo_revoke_outcome;
use super::pointer::to_c_string;
use super::request::sectigo_revoke_request;
use super::result::sectigo_revoke_result;
use crate::client::Client;
use crate::error::Error;

/// A client: one endpoint, one set of credentials, and one HTTPS connection pool that
/// consecutive requests reuse.
///
/// Thread safety: thread-safe. Any number of threads may call
/// `sectigo_revoke_client_revoke` and `sectigo_revoke_client_dry_run` on one client at
/// the same time, each with its own outcome. Free the client only after every such call
/// has returned.
pub struct sectigo_revoke_client {
    pub(crate) client: Client,
}

impl sectigo_revoke_client {
    /// Validates the options and builds a client. Opens no connection.
    ///
    /// On success `*client_out` receives the client. On failure, `outcome` records why:
    /// `SECTIGO_REVOKE_RESULT_INVALID_REQUEST` with the field at fault as the error item
    /// ("loginName", "endpoint", "CA bundle", "proxy", "timeout", "retry policy") and a
    /// description of the problem and its fix. A CA bundle file is read here.
    ///
    /// Ownership: the caller owns the new client and must release it with
    /// `sectigo_revoke_client_free`. The client copies what it needs from `options`.
    /// Thread safety: needs exclusive access to `outcome`. `options` is only read.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_client_new(
        options: *const sectigo_revoke_client_options,
        outcome: *mut sectigo_revoke_outcome,
        client_out: *mut *mut sectigo_revoke_client,
    ) -> sectigo_revoke_result {
        guard(|| {
            let options = try_ref!(options);
            let outcome = try_mut!(outcome);
            let out = try_out!(client_out);

            match options.build_client() {
                Ok(client) => {
                    let result = outcome.record_ok(&format!("client for {} built", client.endpoint()));
                    out.write(Box::into_raw(Box::new(sectigo_revoke_client { client })));
                    result
                }
                Err(error) => outcome.record_error(&error),
            }
        })
    }

    /// Frees a client and closes its connections. Does nothing when `client` is NULL.
    ///
    /// `client` must come from `sectigo_revoke_client_new` and must not be used
    /// afterwards.
    ///
    /// Thread safety: every call on `client` in other threads must have returned.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_client_free(client: *mut sectigo_revoke_client) {
        guard_or((), || {
            if !client.is_null() {
                // SAFETY: the header requires a pointer from sectigo_revoke_client_new
                // that is freed only once, after every call on it returned.
                drop(unsafe { Box::from_raw(client) });
            }
        })
    }

    /// Validates a request, sends it and waits for the response, repeating it as the
    /// client's retry settings allow. Blocks for up to the overall timeout per attempt.
    ///
    /// Returns `SECTIGO_REVOKE_RESULT_OK` when the certificate is no longer usable:
    /// `sectigo_revoke_outcome_get_kind` distinguishes accepted from already revoked,
    /// already rejected and expired. Every other result is a failure, recorded in `outcome`
    /// with the API code, the server's message, the error item, the HTTP status and the
    /// retry-after time as far as they are known. After
    /// `SECTIGO_REVOKE_RESULT_INVALID_REQUEST` nothing was sent.
    ///
    /// Ownership: `client` and `request` are only borrowed for the call.
    /// Thread safety: `client` may be shared between threads and `request` may be sent
    /// by several threads at once, but `outcome` needs exclusive access.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_client_revoke(
        client: *const sectigo_revoke_client,
        request: *const sectigo_revoke_request,
        outcome: *mut sectigo_revoke_outcome,
    ) -> sectigo_revoke_result {
        guard(|| {
            let client = try_ref!(client);
            let request = try_ref!(request);
            let outcome = try_mut!(outcome);

            let result =
                request.to_revocation().map_err(Error::from).and_then(|revocation| client.client.revoke(&revocation));
            outcome.record_revocation(&result)
        })
    }

    /// Renders the exact HTTP request `sectigo_revoke_client_revoke` would send, with the
    /// password replaced by `********`, and sends nothing: the request line, the headers,
    /// a blank line and the form-encoded body.
    ///
    /// On success `*text_out` receives the rendering. On
    /// `SECTIGO_REVOKE_RESULT_INVALID_REQUEST`, `outcome` names the field at fault.
    ///
    /// Ownership: the caller owns `*text_out`, a NUL-terminated UTF-8 string, and must
    /// release it with `sectigo_revoke_string_free`.
    /// Thread safety: as for `sectigo_revoke_client_revoke`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_client_dry_run(
        client: *const sectigo_revoke_client,
        request: *const sectigo_revoke_request,
        outcome: *mut sectigo_revoke_outcome,
        text_out: *mut *mut c_char,
    ) -> sectigo_revoke_result {
        guard(|| {
            let client = try_ref!(client);
            let request = try_ref!(request);
            let outcome = try_mut!(outcome);
            let out = try_out!(text_out);

            match request.to_revocation() {
                Ok(revocation) => {
                    let dry_run = client.client.dry_run(&revocation);
                    let result = outcome.record_ok(&format!("dry run of {}", revocation.identifier()));
                    out.write(to_c_string(&dry_run.to_string()).into_raw());
                    result
                }
                Err(invalid) => outcome.record_error(&Error::from(invalid)),
            }
        })
    }
}
