//! The client options handle: credentials and connection settings, stored by setters
//! and validated by the core when a client is built from them.

use std::ffi::c_char;
use std::time::Duration;

use super::boundary::{guard, guard_or};
use super::result::sectigo_revoke_result;
use crate::client::{Client, ClientBuilder};
use crate::config::{ProxySetting, RootStore};
use crate::credentials::{Credentials, Password};
use crate::error::{Error, InvalidRequest};
use crate::field::Field;
use crate::retry::RetryPolicy;

/// The settings a client is built from: credentials, endpoint, trust roots, proxy,
/// timeouts and retries.
///
/// Every setting but the credentials has a default: Sectigo's endpoint, Mozilla's root
/// certificates (compiled in), the proxy named by the environment (`HTTPS_PROXY` and
/// friends, honouring `NO_PROXY`), a 10 s connect timeout, a 30 s overall timeout and
/// no retries. The setters store values, and `sectigo_revoke_client_new` validates them.
///
/// The password is kept in memory that is zeroed when the options are freed, and never
/// appears in any output of the library.
///
/// Thread safety: not thread-safe. Use one options object from one thread at a time.
/// Building a client copies the settings, so the options may be changed or freed
/// afterwards.
pub struct sectigo_revoke_client_options {
    login_name: Option<String>,
    password: Option<Password>,
    endpoint: Option<String>,
    root_store: RootStore,
    proxy: ProxySetting,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    retry: Option<RetrySettings>,
}

#[derive(Clone, Copy)]
struct RetrySettings {
    max_attempts: u32,
    initial_delay: Duration,
    max_delay: Duration,
    retry_unknown_outcome: bool,
}

impl sectigo_revoke_client_options {
    /// Validates every setting through the core and builds the client.
    pub(crate) fn build_client(&self) -> Result<Client, Error> {
        let (Some(login_name), Some(password)) = (&self.login_name, &self.password) else {
            return Err(Error::InvalidRequest(InvalidRequest::new(
                Field::LoginName,
                "missing; set the credentials with sectigo_revoke_client_options_set_credentials",
            )));
        };
        let credentials = Credentials::new(login_name.clone(), password.clone())?;

        let mut builder: ClientBuilder =
            Client::builder(credentials).root_store(self.root_store.clone()).proxy(self.proxy.clone());
        if let Some(endpoint) = &self.endpoint {
            builder = builder.endpoint(endpoint.clone());
        }
        if let Some(connect_timeout) = self.connect_timeout {
            builder = builder.connect_timeout(connect_timeout);
        }
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(retry) = self.retry {
            let policy = RetryPolicy::new(retry.max_attempts)?
                .initial_delay(retry.initial_delay)
                .max_delay(retry.max_delay)
                .retry_unknown_outcome(retry.retry_unknown_outcome);
            builder = builder.retry(policy);
        }
        builder.build()
    }
}

impl sectigo_revoke_client_options {
    /// Creates options with every default and no credentials.
    ///
    /// Ownership: on success `*options_out` receives new options that the caller owns
    /// and must release with `sectigo_revoke_client_options_free`.
    ///
    /// Thread safety: may be called from any thread.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_client_options_new(
        options_out: *mut *mut sectigo_revoke_client_options,
    ) -> sectigo_revoke_result {
        guard(|| {
            let out = try_out!(options_out);
            let options = sectigo_revoke_client_options {
                login_name: None,
                password: None,
                endpoint: None,
                root_store: RootStore::default(),
                proxy: ProxySetting::default(),
                connect_timeout: None,
                timeout: None,
                retry: None,
            };
            out.write(Box::into_raw(Box::new(options)));
            sectigo_revoke_result::Ok
        })
    }

    /// Frees options, zeroing the stored password. Does nothing when `options` is NULL.
    ///
    /// `options` must come from `sectigo_revoke_client_options_new` and must not be used
    /// afterwards. Clients built from it are not affected.
    ///
    /// Thread safety: no other thread may use the handle during or after this call.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_client_options_free(options: *mut sectigo_revoke_client_options) {
        guard_or((), || {
            if !options.is_null() {
                // SAFETY: the header requires a pointer from
                // sectigo_revoke_client_options_new that is freed only once.
                drop(unsafe { Box::from_raw(options) });
            }
        })
    }

    /// Sets `loginName` and `loginPassword`: at most 64 and 128 characters, not empty,
    /// without control characters, both case-sensitive and sent exactly as given.
    ///
    /// Ownership: both strings are copied. The caller keeps ownership and should clear
    /// its own copy of the password when done with it.
    ///
    /// Thread safety: needs exclusive access to `options`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_client_options_set_credentials(
        options: *mut sectigo_revoke_client_options,
        login_name: *const c_char,
        password: *const c_char,
    ) -> sectigo_revoke_result {
        guard(|| {
            let options = try_mut!(options);
            let login_name = try_str!(login_name);
            let password = try_str!(password);
            options.login_name = Some(login_name.to_owned());
            options.password = Some(Password::new(password));
            sectigo_revoke_result::Ok
        })
    }

    /// Sets the endpoint URL, which must start with `https://`. The path is sent byte
    /// for byte, so `!AutoRevokeCertificate` keeps its `!`.
    ///
    /// Defaults to https://secure.trust-provider.com/products/!AutoRevokeCertificate.
    ///
    /// Ownership: the text is copied, and the caller keeps ownership of `endpoint`.
    ///
    /// Thread safety: needs exclusive access to `options`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_client_options_set_endpoint(
        options: *mut sectigo_revoke_client_options,
        endpoint: *const c_char,
    ) -> sectigo_revoke_result {
        guard(|| {
            let options = try_mut!(options);
            let endpoint = try_str!(endpoint);
            options.endpoint = Some(endpoint.to_owned());
            sectigo_revoke_result::Ok
        })
    }

    /// Trusts only the CA certificates in this PEM file (at most 4 MiB), for a private
    /// CA, a TLS-inspecting proxy or a test server. The file is read when the client is
    /// built. Replaces any earlier choice of trust roots.
    ///
    /// Defaults to Mozilla's root certificates, compiled in. No setting turns TLS
    /// certificate verification off.
    ///
    /// Ownership: the path is copied, and the caller keeps ownership of `path`.
    ///
    /// Thread safety: needs exclusive access to `options`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_client_options_set_ca_bundle_path(
        options: *mut sectigo_revoke_client_options,
        path: *const c_char,
    ) -> sectigo_revoke_result {
        guard(|| {
            let options = try_mut!(options);
            let path = try_str!(path);
            options.root_store = RootStore::CaBundle(path.into());
            sectigo_revoke_result::Ok
        })
    }

    /// Trusts the operating system's certificate store, read when the client is built.
    /// Replaces any earlier choice of trust roots.
    ///
    /// Thread safety: needs exclusive access to `options`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_client_options_set_system_roots(
        options: *mut sectigo_revoke_client_options,
    ) -> sectigo_revoke_result {
        guard(|| {
            let options = try_mut!(options);
            options.root_store = RootStore::System;
            sectigo_revoke_result::Ok
        })
    }

    /// Connects through the proxy at this URL, such as `http://proxy.example:3128` or
    /// `socks5://127.0.0.1:1080`, ignoring the environment's proxy variables.
    ///
    /// Defaults to the proxy named by the environment, if any.
    ///
    /// Ownership: the text is copied, and the caller keeps ownership of `proxy_url`.
    ///
    /// Thread safety: needs exclusive access to `options`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_client_options_set_proxy(
        options: *mut sectigo_revoke_client_options,
        proxy_url: *const c_char,
    ) -> sectigo_revoke_result {
        guard(|| {
            let options = try_mut!(options);
            let proxy_url = try_str!(proxy_url);
            options.proxy = ProxySetting::Url(proxy_url.to_owned());
            sectigo_revoke_result::Ok
        })
    }

    /// Connects directly, ignoring the environment's proxy variables.
    ///
    /// Thread safety: needs exclusive access to `options`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_client_options_set_no_proxy(
        options: *mut sectigo_revoke_client_options,
    ) -> sectigo_revoke_result {
        guard(|| {
            let options = try_mut!(options);
            options.proxy = ProxySetting::None;
            sectigo_revoke_result::Ok
        })
    }

    /// Sets the limit, in milliseconds, for resolving the host, connecting and
    /// completing the TLS handshake. A failure within it is
    /// `SECTIGO_REVOKE_RESULT_NOT_SENT`. The overall timeout must be at least twice as
    /// long.
    ///
    /// Defaults to 10000 (10 s).
    ///
    /// Thread safety: needs exclusive access to `options`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_client_options_set_connect_timeout_ms(
        options: *mut sectigo_revoke_client_options,
        milliseconds: u64,
    ) -> sectigo_revoke_result {
        guard(|| {
            let options = try_mut!(options);
            options.connect_timeout = Some(Duration::from_millis(milliseconds));
            sectigo_revoke_result::Ok
        })
    }

    /// Sets the limit, in milliseconds, for one whole request, from resolving the host
    /// to the last byte of the response. A timeout after the connection was made is
    /// `SECTIGO_REVOKE_RESULT_OUTCOME_UNKNOWN`.
    ///
    /// Defaults to 30000 (30 s).
    ///
    /// Thread safety: needs exclusive access to `options`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_client_options_set_timeout_ms(
        options: *mut sectigo_revoke_client_options,
        milliseconds: u64,
    ) -> sectigo_revoke_result {
        guard(|| {
            let options = try_mut!(options);
            options.timeout = Some(Duration::from_millis(milliseconds));
            sectigo_revoke_result::Ok
        })
    }

    /// Sets how often a failed request is sent again.
    ///
    /// `max_attempts` counts every request, the first included: 1 to 100, where 1 means
    /// no retries. Only requests that never reached the server and rate-limited requests
    /// are repeated, plus requests with an unknown outcome when `retry_unknown_outcome`
    /// is true. Waits grow exponentially from `initial_delay_ms` up to `max_delay_ms`,
    /// with random jitter. A `Retry-After` longer than `max_delay_ms` ends the retries.
    ///
    /// Defaults to 1 attempt (no retries).
    ///
    /// Thread safety: needs exclusive access to `options`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_client_options_set_retries(
        options: *mut sectigo_revoke_client_options,
        max_attempts: u32,
        initial_delay_ms: u64,
        max_delay_ms: u64,
        retry_unknown_outcome: bool,
    ) -> sectigo_revoke_result {
        guard(|| {
            let options = try_mut!(options);
            options.retry = Some(RetrySettings {
                max_attempts,
                initial_delay: Duration::from_millis(initial_delay_ms),
                max_delay: Duration::from_millis(max_delay_ms),
                retry_unknown_outcome,
            });
            sectigo_revoke_result::Ok
        })
    }
}
