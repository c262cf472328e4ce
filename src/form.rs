//! The form body sent to the endpoint, and its redacted rendering for dry runs.

use std::fmt;

use serde::Serialize;
use zeroize::Zeroizing;

use crate::credentials::{Credentials, REDACTED};
use crate::request::{CertificateIdentifier, Revocation};

/// The `Content-Type` of every request.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// The wire form. Field names are the API's, exactly; unset optionals are omitted
/// because the API rejects parameters it does not expect with code -2.
#[derive(Serialize)]
struct WireForm<'a> {
    #[serde(rename = "loginName")]
    login_name: &'a str,
    #[serde(rename = "loginPassword")]
    login_password: &'a str,
    #[serde(rename = "orderNumber", skip_serializing_if = "Option::is_none")]
    order_number: Option<u64>,
    #[serde(rename = "certificateID", skip_serializing_if = "Option::is_none")]
    certificate_id: Option<u64>,
    #[serde(rename = "serialNumber", skip_serializing_if = "Option::is_none")]
    serial_number: Option<&'a str>,
    #[serde(rename = "codeReason")]
    code_reason: u8,
    #[serde(rename = "revocationReason", skip_serializing_if = "Option::is_none")]
    comment: Option<&'a str>,
    #[serde(rename = "accountID", skip_serializing_if = "Option::is_none")]
    account_id: Option<u64>,
    #[serde(rename = "productCode", skip_serializing_if = "Option::is_none")]
    product_code: Option<&'a str>,
    #[serde(rename = "product", skip_serializing_if = "Option::is_none")]
    product: Option<u64>,
    #[serde(rename = "includeInCRL", skip_serializing_if = "Option::is_none")]
    include_in_crl: Option<&'static str>,
    #[serde(rename = "test", skip_serializing_if = "Option::is_none")]
    test: Option<&'static str>,
    #[serde(rename = "responseFormat")]
    response_format: u8,
}

impl<'a> WireForm<'a> {
    fn new(login_name: &'a str, login_password: &'a str, revocation: &'a Revocation) -> Self {
        let (order_number, certificate_id, serial_number) = match revocation.identifier() {
            CertificateIdentifier::OrderNumber(number) => (Some(*number), None, None),
            CertificateIdentifier::CertificateId(id) => (None, Some(*id), None),
            CertificateIdentifier::SerialNumber(serial) => (None, None, Some(serial.as_str())),
        };

        WireForm {
            login_name,
            login_password,
            order_number,
            certificate_id,
            serial_number,
            code_reason: revocation.reason().code(),
            comment: revocation.comment(),
            account_id: revocation.account_id(),
            product_code: revocation.product_code(),
            product: revocation.product(),
            include_in_crl: (!revocation.include_in_crl()).then_some("N"),
            test: revocation.test_mode().then_some("Y"),
            response_format: revocation.response_format().code(),
        }
    }

    fn encode(&self) -> String {
        // Serialising a struct of strings and integers cannot fail.
        serde_urlencoded::to_string(self).expect("a form of strings and integers always encodes")
    }
}

/// Encodes the form body with the real password. The buffer is zeroed when dropped.
pub(crate) fn encode(credentials: &Credentials, revocation: &Revocation) -> Zeroizing<String> {
    let form = WireForm::new(credentials.login_name(), credentials.password().expose(), revocation);
    Zeroizing::new(form.encode())
}

/// The exact request a revocation would send, with the password replaced by `********`.
///
/// ```
/// use sectigo_revoke::{Client, Credentials, Revocation};
///
/// let client = Client::builder(Credentials::new("api-user", "hunter2+&")?).build()?;
/// let revocation = Revocation::builder().order_number(1234567).build()?;
/// let request = client.dry_run(&revocation);
/// assert_eq!(
///     request.body(),
///     "loginName=api-user&loginPassword=********&orderNumber=1234567&codeReason=0&responseFormat=1"
/// );
/// assert!(!request.to_string().contains("hunter2"));
/// # Ok::<(), sectigo_revoke::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DryRun {
    url: String,
    user_agent: String,
    body: String,
}

impl DryRun {
    pub(crate) fn new(url: &str, user_agent: &str, login_name: &str, revocation: &Revocation) -> Self {
        let body = WireForm::new(login_name, REDACTED, revocation).encode();
        DryRun { url: url.to_owned(), user_agent: user_agent.to_owned(), body }
    }

    /// Returns the HTTP method, always `POST`.
    pub fn method(&self) -> &'static str {
        "POST"
    }

    /// Returns the endpoint URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Returns the form-encoded body, with the password redacted.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// Returns the body's parameters, decoded, in the order they are sent.
    pub fn parameters(&self) -> Vec<(String, String)> {
        serde_urlencoded::from_str(&self.body).unwrap_or_default()
    }

    /// Returns the request headers that the client sets.
    pub fn headers(&self) -> Vec<(&'static str, &str)> {
        vec![("Content-Type", FORM_CONTENT_TYPE), ("User-Agent", &self.user_agent)]
    }
}

impl fmt::Display for DryRun {
    /// Prints the request as it goes on the wire: request line, headers, blank line, body.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {}", self.method(), self.url)?;
        for (name, value) in self.headers() {
            writeln!(f, "{name}: {value}")?;
        }
        writeln!(f)?;
        write!(f, "{}", self.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reason::Reason;
    use crate::request::ResponseFormat;

    fn decode(body: &str) -> Vec<(String, String)> {
        serde_urlencoded::from_str(body).unwrap()
    }

    #[test]
    fn minimal_form_omits_unset_fields() {
        let credentials = Credentials::new("user", "pw").unwrap();
        let revocation = Revocation::builder().serial_number("00:ab").build().unwrap();
        let body = encode(&credentials, &revocation);
        assert_eq!(body.as_str(), "loginName=user&loginPassword=pw&serialNumber=00AB&codeReason=0&responseFormat=1");
    }

    #[test]
    fn full_form_uses_exact_names() {
        let credentials = Credentials::new("user", "pw").unwrap();
        let revocation = Revocation::builder()
            .certificate_id(42)
            .reason(Reason::CessationOfOperation)
            .comment("decommissioned host")
            .account_id(7)
            .product_code("PC-1")
            .product(24)
            .include_in_crl(false)
            .test_mode(true)
            .response_format(ResponseFormat::Text)
            .build()
            .unwrap();
        let pairs = decode(&encode(&credentials, &revocation));
        let names: Vec<&str> = pairs.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "loginName",
                "loginPassword",
                "certificateID",
                "codeReason",
                "revocationReason",
                "accountID",
                "productCode",
                "product",
                "includeInCRL",
                "test",
                "responseFormat"
            ]
        );
        let value = |name: &str| pairs.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str()).unwrap();
        assert_eq!(value("certificateID"), "42");
        assert_eq!(value("codeReason"), "5");
        assert_eq!(value("revocationReason"), "decommissioned host");
        assert_eq!(value("includeInCRL"), "N");
        assert_eq!(value("test"), "Y");
        assert_eq!(value("responseFormat"), "0");
    }

    #[test]
    fn special_characters_percent_encoded() {
        let credentials = Credentials::new("user@example.com", "a+b&c=d%e/f g").unwrap();
        let revocation = Revocation::builder().order_number(9).build().unwrap();
        let body = encode(&credentials, &revocation);
        assert!(
            body.starts_with("loginName=user%40example.com&loginPassword=a%2Bb%26c%3Dd%25e%2Ff+g&"),
            "{}",
            body.as_str()
        );
    }

    #[test]
    fn dry_run_redacts_password() {
        let revocation = Revocation::builder().order_number(9).build().unwrap();
        let dry_run = DryRun::new("https://example.test/x", "agent/1", "user", &revocation);
        assert_eq!(dry_run.body(), "loginName=user&loginPassword=********&orderNumber=9&codeReason=0&responseFormat=1");
        assert_eq!(dry_run.parameters()[1], ("loginPassword".to_owned(), "********".to_owned()));
        assert_eq!(
            dry_run.to_string(),
            "POST https://example.test/x\nContent-Type: application/x-www-form-urlencoded\nUser-Agent: agent/1\n\nloginName=user&loginPassword=********&orderNumber=9&codeReason=0&responseFormat=1"
        );
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::reason::ALLOWED_REASONS;

    /// Text without control characters, weighted towards the characters that naive form
    /// encoding gets wrong.
    fn text(max_chars: usize) -> impl Strategy<Value = String> {
        let tricky =
            prop::sample::select(vec!['+', '&', '=', '%', '/', ' ', '?', '#', 'ä', 'ß', 'é', '中', '😀', '\u{00a0}']);
        let any_char = any::<char>().prop_filter("no control characters", |c| !c.is_control());
        let character = prop_oneof![tricky, any_char];
        prop::collection::vec(character, 1..=max_chars).prop_map(|chars| chars.into_iter().collect())
    }

    fn value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
        pairs.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    proptest! {
        #[test]
        fn decoding_returns_every_value(
            login in text(64),
            password in text(128),
            comment in text(1024),
            product_code in text(50),
            serial in "[0-9a-fA-F]{1,34}",
            reason_index in 0..ALLOWED_REASONS.len(),
            account_id in 1..u64::MAX,
            test_mode in any::<bool>(),
            include_in_crl in any::<bool>(),
        ) {
            let credentials = Credentials::new(login.clone(), password.clone()).unwrap();
            let reason = ALLOWED_REASONS[reason_index];
            let revocation = Revocation::builder()
                .serial_number(&serial)
                .reason(reason)
                .comment(comment.clone())
                .product_code(product_code.clone())
                .account_id(account_id)
                .test_mode(test_mode)
                .include_in_crl(include_in_crl)
                .build()
                .unwrap();

            let body = encode(&credentials, &revocation);
            let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&body).unwrap();

            prop_assert_eq!(value(&pairs, "loginName"), Some(login.as_str()));
            prop_assert_eq!(value(&pairs, "loginPassword"), Some(password.as_str()));
            prop_assert_eq!(value(&pairs, "revocationReason"), Some(comment.as_str()));
            prop_assert_eq!(value(&pairs, "productCode"), Some(product_code.as_str()));
            let expected_serial = serial.to_ascii_uppercase();
            prop_assert_eq!(value(&pairs, "serialNumber"), Some(expected_serial.as_str()));
            let expected_reason = reason.code().to_string();
            prop_assert_eq!(value(&pairs, "codeReason"), Some(expected_reason.as_str()));
            let expected_account = account_id.to_string();
            prop_assert_eq!(value(&pairs, "accountID"), Some(expected_account.as_str()));
            prop_assert_eq!(value(&pairs, "test"), test_mode.then_some("Y"));
            prop_assert_eq!(value(&pairs, "includeInCRL"), (!include_in_crl).then_some("N"));
            prop_assert!(!body.contains('&') || body.split('&').all(|pair| pair.contains('=')));
        }
    }
}
