//! The client: one reused HTTPS agent that sends revocations and interprets responses.

use std::io::ErrorKind as IoErrorKind;
use std::time::{Duration, Instant};

use ureq::tls::TlsConfig;
use ureq::Timeout;

use crate::config::{ProxySetting, RootStore};
use crate::credentials::Credentials;
use crate::error::{Error, InvalidRequest, NotSentCause, UnknownCause};
use crate::field::Field;
use crate::form::{self, DryRun, FORM_CONTENT_TYPE};
use crate::outcome::{interpret, HttpAnswer, Outcome};
use crate::request::Revocation;
use crate::retry::RetryPolicy;

/// Sectigo's documented endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://secure.trust-provider.com/products/!AutoRevokeCertificate";

/// Default limit for resolving the host, connecting and completing the TLS handshake.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Default limit for one whole request, from resolving the host to the last byte of
/// the response.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Default limit for the response's body. API responses are a few hundred bytes.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024;

/// The `User-Agent` sent with every request.
pub const USER_AGENT: &str = concat!("sectigo-revoke/", env!("CARGO_PKG_VERSION"));

/// Sends revocations to one endpoint with one set of credentials.
///
/// The client keeps one HTTPS agent, so consecutive requests reuse the connection.
/// It is `Send` and `Sync`: share one client between threads, or clone it (clones share
/// the connection pool).
///
/// ```no_run
/// use sectigo_revoke::{Client, Credentials, Error, OutcomeKind, Reason, Revocation};
///
/// let credentials = Credentials::new("api-user", std::env::var("SECTIGO_LOGIN_PASSWORD").unwrap())?;
/// let client = Client::builder(credentials).build()?;
/// let revocation = Revocation::builder()
///     .serial_number("00:d9:b7:5b:1c:2e:0f:11:22:33:44:55:66:77:88:99:aa")
///     .reason(Reason::KeyCompromise)
///     .build()?;
///
/// match client.revoke(&revocation) {
///     Ok(outcome) if outcome.kind() == OutcomeKind::Accepted => println!("revoked"),
///     Ok(outcome) => println!("nothing to do: {}", outcome.kind()),
///     Err(error @ Error::OutcomeUnknown { .. }) => eprintln!("check the certificate: {error}"),
///     Err(error) => eprintln!("failed: {error}"),
/// }
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
    credentials: Credentials,
    endpoint: String,
    retry: RetryPolicy,
    max_response_bytes: u64,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.endpoint)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts a client with the given credentials and the default settings.
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder::new(credentials)
    }

    /// Returns the endpoint URL.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Returns the login name.
    pub fn login_name(&self) -> &str {
        self.credentials.login_name()
    }

    /// Returns the exact request [`Client::revoke`] would send, with the password
    /// redacted. Sends nothing.
    pub fn dry_run(&self, revocation: &Revocation) -> DryRun {
        DryRun::new(&self.endpoint, USER_AGENT, self.credentials.login_name(), revocation)
    }

    /// Sends a revocation and waits for the response, repeating it as the retry policy
    /// allows.
    ///
    /// Returns an [`Outcome`] when the certificate is no longer usable: the revocation
    /// was accepted, or the certificate was already revoked, rejected or expired.
    /// Every other result is an [`Error`].
    pub fn revoke(&self, revocation: &Revocation) -> Result<Outcome, Error> {
        let mut attempt = 1;
        loop {
            let result = self.send_once(revocation);
            let error = match result {
                Ok(outcome) => return Ok(outcome.with_attempts(attempt)),
                Err(error) => error,
            };

            let Some(delay) = self.retry.next_delay(attempt, &error) else {
                return Err(error);
            };
            log::warn!(
                "revocation of {} failed on attempt {attempt} ({error}); retrying in {} ms",
                revocation.identifier(),
                delay.as_millis()
            );
            std::thread::sleep(delay);
            attempt += 1;
        }
    }

    /// Sends one request, without retries.
    fn send_once(&self, revocation: &Revocation) -> Result<Outcome, Error> {
        let started = Instant::now();
        let result = self.exchange(revocation);

        let elapsed_ms = started.elapsed().as_millis();
        match &result {
            Ok(outcome) => log::debug!(
                "POST {} {}: {} (code {}) in {elapsed_ms} ms",
                self.endpoint,
                revocation.identifier(),
                outcome.kind(),
                outcome.code()
            ),
            Err(error) => log::debug!("POST {} {}: {error} in {elapsed_ms} ms", self.endpoint, revocation.identifier()),
        }
        result
    }

    fn exchange(&self, revocation: &Revocation) -> Result<Outcome, Error> {
        let body = form::encode(&self.credentials, revocation);
        let sent = self.agent.post(&self.endpoint).content_type(FORM_CONTENT_TYPE).send(body.as_bytes());
        drop(body);
        let mut response = sent.map_err(|error| self.classify(error))?;

        let status = response.status().as_u16();
        if (300..400).contains(&status) {
            let location = header_text(&response, "location").unwrap_or("(none)").to_owned();
            return Err(Error::Redirected { status, location });
        }
        let retry_after = header_text(&response, "retry-after").map(str::to_owned);

        let body =
            response.body_mut().with_config().limit(self.max_response_bytes).read_to_vec().map_err(
                |error| match error {
                    ureq::Error::BodyExceedsLimit(limit) => {
                        Error::OutcomeUnknown { cause: UnknownCause::BodyTooLarge(limit), http_status: Some(status) }
                    }
                    other => match self.classify(other) {
                        Error::OutcomeUnknown { cause, .. } => {
                            Error::OutcomeUnknown { cause, http_status: Some(status) }
                        }
                        classified => classified,
                    },
                },
            )?;

        let answer = HttpAnswer { status, retry_after: retry_after.as_deref(), body: &body };
        let outcome = interpret(&answer, revocation.identifier(), revocation.test_mode())?;
        Ok(outcome.with_include_in_crl(revocation.include_in_crl()))
    }

    /// Sorts a transport error into "not sent" (safe to repeat) and "outcome unknown".
    ///
    /// NOTE: ureq does not report whether request bytes were written, so the phase is
    /// read from the error: resolve, connect, proxy and TLS handshake failures happen
    /// before the request is written; everything else is treated as unknown.
    fn classify(&self, error: ureq::Error) -> Error {
        let not_sent = |cause| Error::NotSent { endpoint: self.endpoint.clone(), cause };
        let unknown = |cause| Error::OutcomeUnknown { cause, http_status: None };

        match error {
            ureq::Error::HostNotFound => not_sent(NotSentCause::Resolve("no address found".into())),
            ureq::Error::Timeout(Timeout::Resolve) => not_sent(NotSentCause::Resolve("timed out".into())),
            ureq::Error::Timeout(Timeout::Connect) => not_sent(NotSentCause::Connect("timed out".into())),
            ureq::Error::ConnectionFailed => not_sent(NotSentCause::Connect("no connection could be opened".into())),
            ureq::Error::ConnectProxyFailed(detail) => not_sent(NotSentCause::Proxy(detail)),
            ureq::Error::Tls(detail) => not_sent(NotSentCause::Tls(detail.into())),
            ureq::Error::Rustls(tls) => not_sent(NotSentCause::Tls(tls.to_string())),
            ureq::Error::Io(io) => match handshake_error(&io) {
                Some(detail) => not_sent(NotSentCause::Tls(detail)),
                None if is_connect_failure(io.kind()) => not_sent(NotSentCause::Connect(io.to_string())),
                None if io.kind() == IoErrorKind::TimedOut => unknown(UnknownCause::Timeout),
                None => unknown(UnknownCause::Connection(io.to_string())),
            },
            ureq::Error::Timeout(_) => unknown(UnknownCause::Timeout),
            ureq::Error::BodyExceedsLimit(limit) => unknown(UnknownCause::BodyTooLarge(limit)),
            ureq::Error::Protocol(detail) => {
                unknown(UnknownCause::Connection(format!("invalid HTTP answer: {detail}")))
            }
            other => unknown(UnknownCause::Connection(other.to_string())),
        }
    }
}

fn header_text<'a>(response: &'a ureq::http::Response<ureq::Body>, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|value| value.to_str().ok())
}

fn is_connect_failure(kind: IoErrorKind) -> bool {
    matches!(
        kind,
        IoErrorKind::ConnectionRefused
            | IoErrorKind::AddrNotAvailable
            | IoErrorKind::AddrInUse
            | IoErrorKind::NetworkUnreachable
            | IoErrorKind::HostUnreachable
            | IoErrorKind::NetworkDown
    )
}

/// Returns the description of a TLS error that can only happen during the handshake.
fn handshake_error(io: &std::io::Error) -> Option<String> {
    let tls = io.get_ref()?.downcast_ref::<rustls::Error>()?;
    let during_handshake = matches!(
        tls,
        rustls::Error::InvalidCertificate(_)
            | rustls::Error::NoCertificatesPresented
            | rustls::Error::PeerIncompatible(_)
            | rustls::Error::InappropriateHandshakeMessage { .. }
            | rustls::Error::UnsupportedNameType
            | rustls::Error::AlertReceived(_)
    );
    during_handshake.then(|| tls.to_string())
}

/// Builder for a [`Client`].
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    credentials: Credentials,
    endpoint: String,
    connect_timeout: Duration,
    timeout: Duration,
    root_store: RootStore,
    proxy: ProxySetting,
    retry: RetryPolicy,
    max_response_bytes: u64,
}

impl ClientBuilder {
    fn new(credentials: Credentials) -> Self {
        ClientBuilder {
            credentials,
            endpoint: DEFAULT_ENDPOINT.to_owned(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            root_store: RootStore::default(),
            proxy: ProxySetting::default(),
            retry: RetryPolicy::none(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// Sets the endpoint URL. It must use `https://`; the path is sent byte for byte,
    /// `!` included.
    ///
    /// Defaults to [`DEFAULT_ENDPOINT`].
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into();
        self
    }

    /// Sets the limit for resolving the host, connecting and completing the TLS
    /// handshake. A request that fails within it was not sent.
    ///
    /// Defaults to 10 s ([`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the limit for one whole request, from resolving the host to the last byte
    /// of the response. A request that runs out of time after the connection was made
    /// has an unknown outcome.
    ///
    /// Defaults to 30 s ([`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets which certificate authorities are trusted.
    ///
    /// Defaults to [`RootStore::Mozilla`].
    pub fn root_store(mut self, root_store: RootStore) -> Self {
        self.root_store = root_store;
        self
    }

    /// Sets the proxy.
    ///
    /// Defaults to [`ProxySetting::Environment`].
    pub fn proxy(mut self, proxy: ProxySetting) -> Self {
        self.proxy = proxy;
        self
    }

    /// Sets when failed requests are repeated.
    ///
    /// Defaults to [`RetryPolicy::none`].
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the largest response body read, in bytes; a larger body makes the outcome
    /// unknown.
    ///
    /// Defaults to 64 KiB ([`DEFAULT_MAX_RESPONSE_BYTES`]).
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Validates the settings, loads the trust roots and builds the client.
    /// Opens no connection.
    pub fn build(self) -> Result<Client, Error> {
        validate_endpoint(&self.endpoint)?;
        validate_timeouts(self.connect_timeout, self.timeout)?;
        let root_certs = self.root_store.to_root_certs()?;
        let proxy = self.proxy.to_proxy()?;

        let tls = TlsConfig::builder().root_certs(root_certs).build();
        let config = ureq::Agent::config_builder()
            .https_only(true)
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(USER_AGENT)
            .tls_config(tls)
            .proxy(proxy)
            .timeout_resolve(Some(self.connect_timeout))
            .timeout_connect(Some(self.connect_timeout))
            .timeout_global(Some(self.timeout))
            .build();

        Ok(Client {
            agent: config.new_agent(),
            credentials: self.credentials,
            endpoint: self.endpoint,
            retry: self.retry,
            max_response_bytes: self.max_response_bytes,
        })
    }
}

fn validate_endpoint(endpoint: &str) -> Result<(), InvalidRequest> {
    let lower = endpoint.to_ascii_lowercase();
    if lower.starts_with("http://") {
        return Err(InvalidRequest::new(
            Field::Endpoint,
            format!("{endpoint} uses plain HTTP, which would send the password in clear; use https://"),
        ));
    }
    let Some(rest) = lower.strip_prefix("https://") else {
        return Err(InvalidRequest::new(
            Field::Endpoint,
            format!("{endpoint:?} is not an https:// URL; give the full URL of the endpoint"),
        ));
    };

    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') {
        return Err(InvalidRequest::new(
            Field::Endpoint,
            format!("{endpoint:?} has no host, or carries user information; give https://host[:port]/path"),
        ));
    }
    if endpoint.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(InvalidRequest::new(
            Field::Endpoint,
            format!("{endpoint:?} contains whitespace or control characters"),
        ));
    }
    if endpoint.parse::<ureq::http::Uri>().is_err() {
        return Err(InvalidRequest::new(Field::Endpoint, format!("{endpoint:?} is not a valid URL")));
    }
    Ok(())
}

fn validate_timeouts(connect_timeout: Duration, timeout: Duration) -> Result<(), InvalidRequest> {
    if connect_timeout.is_zero() || timeout.is_zero() {
        return Err(InvalidRequest::new(
            Field::Timeout,
            "a timeout of 0 would fail every request; give a positive duration",
        ));
    }
    // ureq reports an overall timeout that fires during connection set-up as a global
    // timeout, which is read as "outcome unknown". Requiring room for resolving and
    // connecting keeps set-up failures reported as "not sent".
    if timeout < connect_timeout.saturating_mul(2) {
        return Err(InvalidRequest::new(
            Field::Timeout,
            format!(
                "overall timeout {} ms is less than twice the connect timeout {} ms; raise the overall timeout or lower the connect timeout",
                timeout.as_millis(),
                connect_timeout.as_millis()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credentials() -> Credentials {
        Credentials::new("user", "pw").unwrap()
    }

    fn build_error(builder: ClientBuilder) -> InvalidRequest {
        match builder.build() {
            Err(Error::InvalidRequest(invalid)) => invalid,
            other => panic!("expected an invalid request, got {other:?}"),
        }
    }

    #[test]
    fn plain_http_rejected() {
        let error = build_error(Client::builder(credentials()).endpoint("http://127.0.0.1:9/x"));
        assert_eq!(error.field(), Field::Endpoint);
        assert!(error.problem().contains("plain HTTP"), "{}", error.problem());
        let error = build_error(Client::builder(credentials()).endpoint("HTTP://127.0.0.1:9/x"));
        assert!(error.problem().contains("plain HTTP"), "{}", error.problem());
    }

    #[test]
    fn malformed_endpoints_rejected() {
        for endpoint in ["", "ftp://x/y", "https://", "https:///path", "https://user:pw@host/x", "https://host/a b"] {
            let error = build_error(Client::builder(credentials()).endpoint(endpoint));
            assert_eq!(error.field(), Field::Endpoint, "{endpoint}");
        }
    }

    #[test]
    fn timeouts_checked() {
        let error = build_error(Client::builder(credentials()).timeout(Duration::ZERO));
        assert_eq!(error.field(), Field::Timeout);
        let error = build_error(Client::builder(credentials()).connect_timeout(Duration::from_secs(20)));
        assert!(error.problem().starts_with("overall timeout 30000 ms is less than twice"), "{}", error.problem());
    }

    #[test]
    fn debug_hides_password() {
        // The test suite's canary password, which scripts/check-canary searches for.
        let password = "canary+&=%/ pässwörd-7f3a";
        let client =
            Client::builder(Credentials::new("user", password).unwrap()).proxy(ProxySetting::None).build().unwrap();
        let printed = format!("{client:?}");
        assert!(!printed.contains(password), "{printed}");
        assert!(printed.contains("user"));
    }

    #[test]
    fn client_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Client>();
    }
}
