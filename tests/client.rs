//! The client against a real HTTPS server on loopback: the simulator, reached through
//! ureq and rustls exactly as in production.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sectigo_revoke::{
    ApiErrorKind, Client, Credentials, Error, ErrorKind, NotSentCause, OutcomeKind, ProxySetting, Reason,
    ResponseFormat, RetryPolicy, Revocation, RootStore, UnknownCause,
};
use sectigo_revoke_simulator::{CertificateState, Fault, ServerCertificate, SimulatorConfig};

use common::{builder_for, client_for, config, start, CANARY_PASSWORD, LOGIN_NAME};

fn by_certificate_id(id: u64) -> Revocation {
    Revocation::builder().certificate_id(id).build().unwrap()
}

#[test]
fn accepted_in_both_formats() {
    let simulator = start(config());
    let client = client_for(&simulator);

    let encoded = Revocation::builder().certificate_id(2000001).reason(Reason::KeyCompromise).build().unwrap();
    let outcome = client.revoke(&encoded).unwrap();
    assert_eq!(outcome.kind(), OutcomeKind::Accepted);
    assert_eq!(outcome.code(), 0);
    assert_eq!(outcome.http_status(), 200);
    assert_eq!(outcome.response().format(), ResponseFormat::UrlEncoded);
    assert_eq!(simulator.state_of_certificate_id(2000001), Some(CertificateState::Revoked));

    let text = Revocation::builder().order_number(1000002).response_format(ResponseFormat::Text).build().unwrap();
    let outcome = client.revoke(&text).unwrap();
    assert_eq!(outcome.kind(), OutcomeKind::Accepted);
    assert_eq!(outcome.response().format(), ResponseFormat::Text);
    assert_eq!(simulator.state_of_certificate_id(2000002), Some(CertificateState::Revoked));
}

#[test]
fn wire_request_is_exact() {
    let simulator = start(config());
    let client = client_for(&simulator);
    let revocation = Revocation::builder()
        .serial_number("serial=00:d9:b7:5b:1c:2e:0f:11:22:33:44:55:66:77:88:9a:a1")
        .reason(Reason::Superseded)
        .comment("moved to new host & key")
        .build()
        .unwrap();

    client.revoke(&revocation).unwrap();

    let requests = simulator.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.user_agent.as_deref(), Some(concat!("sectigo-revoke/", env!("CARGO_PKG_VERSION"))));
    assert_eq!(request.path, "/products/!AutoRevokeCertificate");
    let parameters: Vec<(&str, &str)> = request.parameters.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        parameters,
        [
            ("loginName", LOGIN_NAME),
            ("loginPassword", "********"),
            ("serialNumber", "00D9B75B1C2E0F11223344556677889AA1"),
            ("codeReason", "4"),
            ("revocationReason", "moved to new host & key"),
            ("responseFormat", "1"),
        ]
    );
}

#[test]
fn password_with_special_characters_accepted() {
    // The simulator compares the decoded password with the canary, so a mis-encoded
    // '+', '&', '=', '%', '/', space or umlaut would get -16.
    let simulator = start(config());
    let outcome = client_for(&simulator).revoke(&by_certificate_id(2000001)).unwrap();
    assert_eq!(outcome.kind(), OutcomeKind::Accepted);
}

#[test]
fn final_states_are_outcomes() {
    let simulator = start(config());
    let client = client_for(&simulator);
    assert_eq!(client.revoke(&by_certificate_id(2000005)).unwrap().kind(), OutcomeKind::AlreadyRevoked);
    assert_eq!(client.revoke(&by_certificate_id(2000006)).unwrap().kind(), OutcomeKind::AlreadyRejected);
    assert_eq!(client.revoke(&by_certificate_id(2000007)).unwrap().kind(), OutcomeKind::Expired);

    let pending = client.revoke(&by_certificate_id(2000003)).unwrap();
    assert_eq!(pending.kind(), OutcomeKind::Accepted);
    assert_eq!(simulator.state_of_certificate_id(2000003), Some(CertificateState::Rejected));
    assert_eq!(client.revoke(&by_certificate_id(2000003)).unwrap().kind(), OutcomeKind::AlreadyRejected);
}

#[test]
fn test_mode_changes_nothing() {
    let simulator = start(config());
    let client = client_for(&simulator);
    let revocation = Revocation::builder().certificate_id(2000001).test_mode(true).build().unwrap();
    let outcome = client.revoke(&revocation).unwrap();
    assert_eq!(outcome.kind(), OutcomeKind::Accepted);
    assert!(outcome.test_mode());
    assert!(outcome.to_string().contains("nothing was revoked"));
    assert_eq!(simulator.state_of_certificate_id(2000001), Some(CertificateState::Issued));
}

#[test]
fn include_in_crl_false_marks_replaced() {
    let simulator = start(config());
    let client = client_for(&simulator);
    let replace = Revocation::builder().certificate_id(2000001).include_in_crl(false).build().unwrap();
    let replaced = client.revoke(&replace).unwrap();
    assert_eq!(replaced.kind(), OutcomeKind::Accepted);
    assert!(!replaced.include_in_crl());
    assert_eq!(
        replaced.to_string(),
        "certificateID=2000001: revocation accepted (includeInCRL=N: marked replaced, not revoked)"
    );
    assert_eq!(simulator.state_of_certificate_id(2000001), Some(CertificateState::Replaced));
    assert_eq!(client.revoke(&by_certificate_id(2000001)).unwrap().kind(), OutcomeKind::Accepted);
    assert_eq!(simulator.state_of_certificate_id(2000001), Some(CertificateState::Revoked));
}

#[test]
fn api_errors_by_class() {
    let simulator = start(config());
    let client = client_for(&simulator);

    let Err(Error::Api(unknown)) = client.revoke(&by_certificate_id(42)) else { panic!("expected -4") };
    assert_eq!(unknown.code(), -4);
    assert_eq!(unknown.kind(), ApiErrorKind::InvalidArgument);
    assert_eq!(unknown.item(), Some("certificateID"));
    assert_eq!(unknown.http_status(), 200);

    let Err(Error::Api(issuing)) = client.revoke(&by_certificate_id(2000004)) else { panic!("expected -26") };
    assert_eq!(issuing.kind(), ApiErrorKind::IssuanceInProgress);

    let wrong = Client::builder(Credentials::new(LOGIN_NAME, "wrong-password").unwrap())
        .endpoint(simulator.endpoint())
        .root_store(RootStore::CaBundlePem(simulator.ca_pem().as_bytes().to_vec()))
        .proxy(ProxySetting::None)
        .retry(RetryPolicy::new(5).unwrap().initial_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    let before = simulator.requests().len();
    let Err(Error::Api(login)) = wrong.revoke(&by_certificate_id(2000001)) else { panic!("expected -16") };
    assert_eq!(login.kind(), ApiErrorKind::Authentication);
    assert_eq!(simulator.requests().len(), before + 1, "-16 is never retried");
}

#[test]
fn server_error_code_is_api_error() {
    let simulator = start(config());
    simulator.inject_fault(Fault::UnknownError, 1);
    let error = client_for(&simulator).revoke(&by_certificate_id(2000001)).unwrap_err();
    assert_eq!(error.api_code(), Some(-14));
    let Error::Api(api) = error else { panic!() };
    assert_eq!(api.kind(), ApiErrorKind::ServerError);
}

#[test]
fn call_limit_is_rate_limited() {
    let mut simulator_config = config();
    simulator_config.call_limit =
        Some(sectigo_revoke_simulator::CallLimit { max_calls: 1, window: Duration::from_secs(60) });
    let simulator = start(simulator_config);
    let client = client_for(&simulator);
    client.revoke(&by_certificate_id(2000001)).unwrap();
    let error = client.revoke(&by_certificate_id(2000002)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::RateLimited);
    assert_eq!(error.api_code(), Some(-42));
    assert_eq!(simulator.state_of_certificate_id(2000002), Some(CertificateState::Issued));
}

#[test]
fn status_429_reports_retry_after() {
    let simulator = start(config());
    simulator.inject_fault(Fault::TooManyRequests { retry_after_secs: 17 }, 1);
    let error = client_for(&simulator).revoke(&by_certificate_id(2000001)).unwrap_err();
    assert!(matches!(error, Error::RateLimited { api_code: None, http_status: 429, .. }), "{error:?}");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(17)));
}

#[test]
fn rate_limit_retried_then_accepted() {
    let simulator = start(config());
    simulator.inject_fault(Fault::CallLimit, 2);
    let client = builder_for(&simulator)
        .retry(RetryPolicy::new(3).unwrap().initial_delay(Duration::from_millis(5)))
        .build()
        .unwrap();
    let outcome = client.revoke(&by_certificate_id(2000001)).unwrap();
    assert_eq!(outcome.kind(), OutcomeKind::Accepted);
    assert_eq!(outcome.attempts(), 3);
    assert_eq!(simulator.requests().len(), 3);
}

#[test]
fn retry_after_beyond_max_delay_not_waited() {
    let simulator = start(config());
    simulator.inject_fault(Fault::TooManyRequests { retry_after_secs: 3600 }, 1);
    let client = builder_for(&simulator).retry(RetryPolicy::new(3).unwrap()).build().unwrap();
    let error = client.revoke(&by_certificate_id(2000001)).unwrap_err();
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(simulator.requests().len(), 1);
}

#[test]
fn redirect_not_followed() {
    for status in [301, 302, 307, 308] {
        let simulator = start(config());
        let location = "https://127.0.0.1:9/products/!AutoRevokeCertificate".to_owned();
        simulator.inject_fault(Fault::Redirect { status, location: location.clone() }, 1);
        let error = client_for(&simulator).revoke(&by_certificate_id(2000001)).unwrap_err();
        let Error::Redirected { status: seen, location: seen_location } = &error else { panic!("{error:?}") };
        assert_eq!(*seen, status);
        assert_eq!(seen_location, &location);
        assert!(error.to_string().contains(&location));
        assert_eq!(simulator.requests().len(), 1, "the redirect target is never requested");
    }
}

#[test]
fn untrusted_certificate_refused_then_accepted_with_bundle() {
    let simulator = start(config());
    let mozilla_only = builder_for(&simulator).root_store(RootStore::Mozilla).build().unwrap();
    let error = mozilla_only.revoke(&by_certificate_id(2000001)).unwrap_err();
    assert!(matches!(error, Error::NotSent { cause: NotSentCause::Tls(_), .. }), "{error:?}");
    assert!(error.is_safe_to_retry());
    assert!(simulator.requests().is_empty());

    let directory = std::env::temp_dir().join(format!("sectigo-revoke-ca-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let bundle = directory.join("ca.pem");
    simulator.write_ca_pem(&bundle).unwrap();
    let trusting = builder_for(&simulator).root_store(RootStore::CaBundle(bundle)).build().unwrap();
    assert_eq!(trusting.revoke(&by_certificate_id(2000001)).unwrap().kind(), OutcomeKind::Accepted);
    std::fs::remove_dir_all(directory).unwrap();
}

#[test]
fn expired_and_wrong_host_certificates_refused() {
    for certificate in [ServerCertificate::Expired, ServerCertificate::WrongHost] {
        let simulator = start(SimulatorConfig { server_certificate: certificate, ..config() });
        let error = client_for(&simulator).revoke(&by_certificate_id(2000001)).unwrap_err();
        assert!(matches!(error, Error::NotSent { cause: NotSentCause::Tls(_), .. }), "{certificate:?}: {error:?}");
        assert!(simulator.requests().is_empty());
    }
}

#[test]
fn plain_http_refused_before_connecting() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}/products/!AutoRevokeCertificate", listener.local_addr().unwrap());
    let error = Client::builder(Credentials::new(LOGIN_NAME, CANARY_PASSWORD).unwrap())
        .endpoint(endpoint)
        .proxy(ProxySetting::None)
        .build()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    listener.set_nonblocking(true).unwrap();
    assert!(listener.accept().is_err(), "no connection was attempted");
}

#[test]
fn connection_refused_is_not_sent() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder(Credentials::new(LOGIN_NAME, CANARY_PASSWORD).unwrap())
        .endpoint(format!("https://127.0.0.1:{port}/products/!AutoRevokeCertificate"))
        .proxy(ProxySetting::None)
        .build()
        .unwrap();
    let error = client.revoke(&by_certificate_id(2000001)).unwrap_err();
    assert!(matches!(error, Error::NotSent { cause: NotSentCause::Connect(_), .. }), "{error:?}");
}

#[test]
fn timeout_after_sending_is_unknown() {
    let simulator = start(config());
    simulator.inject_fault(Fault::SlowReply { delay_ms: 3000 }, 1);
    let client = builder_for(&simulator)
        .connect_timeout(Duration::from_millis(300))
        .timeout(Duration::from_millis(800))
        .build()
        .unwrap();
    let error = client.revoke(&by_certificate_id(2000001)).unwrap_err();
    assert!(matches!(error, Error::OutcomeUnknown { cause: UnknownCause::Timeout, .. }), "{error:?}");
    assert!(!error.is_safe_to_retry());
    // The slow reply processed the request: the certificate is revoked although the
    // client could not know it.
    assert_eq!(simulator.state_of_certificate_id(2000001), Some(CertificateState::Revoked));
}

#[test]
fn unknown_outcome_not_retried_by_default() {
    let simulator = start(config());
    simulator.inject_fault(Fault::EmptyBody, 1);
    let client = builder_for(&simulator).retry(RetryPolicy::new(3).unwrap()).build().unwrap();
    let error = client.revoke(&by_certificate_id(2000001)).unwrap_err();
    assert!(matches!(error, Error::OutcomeUnknown { cause: UnknownCause::EmptyBody, http_status: Some(200) }));
    assert_eq!(simulator.requests().len(), 1);
}

#[test]
fn unknown_outcome_retried_on_request_reports_already_revoked() {
    let simulator = start(config());
    simulator.inject_fault(Fault::Reset, 1);
    let client = builder_for(&simulator)
        .retry(RetryPolicy::new(2).unwrap().initial_delay(Duration::from_millis(5)).retry_unknown_outcome(true))
        .build()
        .unwrap();
    let outcome = client.revoke(&by_certificate_id(2000001)).unwrap();
    assert_eq!(outcome.kind(), OutcomeKind::AlreadyRevoked);
    assert_eq!(outcome.attempts(), 2);
}

#[test]
fn foreign_bodies_are_unknown() {
    let cases =
        [(Fault::HtmlBody, Some(200)), (Fault::ServerErrorHtml, Some(500)), (Fault::ServiceUnavailableHtml, Some(503))];
    for (fault, status) in cases {
        let simulator = start(config());
        simulator.inject_fault(fault.clone(), 1);
        let error = client_for(&simulator).revoke(&by_certificate_id(2000001)).unwrap_err();
        assert!(
            matches!(&error, Error::OutcomeUnknown { cause: UnknownCause::ForeignBody(start), http_status } if start.contains("<html") && *http_status == status),
            "{fault:?}: {error:?}"
        );
        let status_text = format!("(HTTP {}); the certificate may or may not be revoked", status.unwrap());
        assert!(error.to_string().ends_with(&status_text), "{error}");
    }
}

#[test]
fn reset_and_truncation_are_unknown() {
    for fault in [Fault::Reset, Fault::TruncatedBody] {
        let simulator = start(config());
        simulator.inject_fault(fault.clone(), 1);
        let error = client_for(&simulator).revoke(&by_certificate_id(2000001)).unwrap_err();
        assert!(
            matches!(error, Error::OutcomeUnknown { cause: UnknownCause::Connection(_), .. }),
            "{fault:?}: {error:?}"
        );
    }
}

#[test]
fn oversized_body_is_unknown() {
    let simulator = start(config());
    simulator.inject_fault(Fault::OversizedBody { bytes: 200_000 }, 1);
    let error = client_for(&simulator).revoke(&by_certificate_id(2000001)).unwrap_err();
    assert!(
        matches!(error, Error::OutcomeUnknown { cause: UnknownCause::BodyTooLarge(65536), http_status: Some(200) }),
        "{error:?}"
    );
}

#[test]
fn keep_alive_connection_reused() {
    let simulator = start(config());
    let client = client_for(&simulator);
    for id in [2000001, 2000002, 2000005] {
        client.revoke(&by_certificate_id(id)).unwrap();
    }
    assert_eq!(simulator.requests().len(), 3);
    assert_eq!(simulator.connection_count(), 1);
}

#[test]
fn one_client_shared_by_threads() {
    let simulator = start(SimulatorConfig {
        catalogue: sectigo_revoke_simulator::Catalogue { certificates: vec![], accept_unknown: true },
        ..config()
    });
    let client = Arc::new(client_for(&simulator));
    let threads: Vec<_> = (0..8u64)
        .map(|thread| {
            let client = Arc::clone(&client);
            std::thread::spawn(move || {
                for index in 0..10 {
                    let outcome = client.revoke(&by_certificate_id(1 + thread * 100 + index)).unwrap();
                    assert_eq!(outcome.kind(), OutcomeKind::Accepted);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(simulator.requests().len(), 80);
}

#[test]
fn logs_never_contain_password() {
    struct Capture(Mutex<Vec<String>>);
    impl log::Log for Capture {
        fn enabled(&self, _: &log::Metadata<'_>) -> bool {
            true
        }
        fn log(&self, record: &log::Record<'_>) {
            self.0.lock().unwrap().push(format!("{} {}", record.target(), record.args()));
        }
        fn flush(&self) {}
    }
    static CAPTURE: Capture = Capture(Mutex::new(Vec::new()));
    log::set_logger(&CAPTURE).unwrap();
    log::set_max_level(log::LevelFilter::Trace);

    let simulator = start(config());
    simulator.inject_fault(Fault::CallLimit, 1);
    let client = builder_for(&simulator)
        .retry(RetryPolicy::new(2).unwrap().initial_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    client.revoke(&by_certificate_id(2000001)).unwrap();
    let _ = client.revoke(&by_certificate_id(99));

    let lines = CAPTURE.0.lock().unwrap().clone();
    let ours: Vec<&String> = lines.iter().filter(|line| line.starts_with("sectigo_revoke::")).collect();
    assert!(
        ours.iter().any(|line| line.contains("certificateID=2000001") && line.contains("revocation accepted")),
        "{ours:#?}"
    );
    assert!(ours.iter().any(|line| line.contains("retrying")), "{ours:#?}");
    for line in &lines {
        assert!(!line.contains("canary"), "password in log: {line}");
        assert!(!line.contains("p%C3%A4ssw"), "encoded password in log: {line}");
    }
}

#[test]
fn errors_and_debug_never_contain_password() {
    let simulator = start(config());
    let client = client_for(&simulator);
    let mut printed = vec![format!("{client:?}")];
    simulator.inject_fault(Fault::HtmlBody, 1);
    for revocation in [by_certificate_id(2000001), by_certificate_id(42), by_certificate_id(2000005)] {
        match client.revoke(&revocation) {
            Ok(outcome) => printed.push(format!("{outcome} {outcome:?}")),
            Err(error) => printed.push(format!("{error} {error:?}")),
        }
    }
    printed.push(client.dry_run(&by_certificate_id(1)).to_string());
    for text in printed {
        assert!(!text.contains("canary"), "{text}");
    }
}
