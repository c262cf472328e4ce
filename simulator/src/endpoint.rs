//! The rules of `!AutoRevokeCertificate`: parameter checks, credentials, and what a
//! revocation does to each certificate state.

// A rejection is built at most once per request, so boxing it would only add noise.
#![allow(clippy::result_large_err)]

use sectigo_revoke::{ApiResponse, Reason, ResponseFormat, SerialNumber};

use crate::catalogue::{Catalogue, CertificateState, Lookup};
use crate::fault::Fault;

/// Every parameter the endpoint accepts; anything else gets -2.
const KNOWN_PARAMETERS: [&str; 13] = [
    "loginName",
    "loginPassword",
    "orderNumber",
    "certificateID",
    "serialNumber",
    "accountID",
    "revocationReason",
    "codeReason",
    "productCode",
    "product",
    "test",
    "responseFormat",
    "includeInCRL",
];

/// What the endpoint decided about one request.
pub(crate) struct Decision {
    pub(crate) response: ApiResponse,
    /// The identifier the request named, as `name=value`, when it was valid.
    pub(crate) identifier: Option<String>,
    /// A fault set on the certificate's catalogue entry.
    pub(crate) fault: Option<Fault>,
}

pub(crate) struct Endpoint<'a> {
    pub(crate) login_name: &'a str,
    pub(crate) password: &'a str,
    pub(crate) catalogue: &'a mut Catalogue,
}

type Parameters = [(String, String)];

impl Endpoint<'_> {
    pub(crate) fn handle(&mut self, method: &str, parameters: &Parameters) -> Decision {
        let format = match value(parameters, "responseFormat") {
            None | Some("0") => ResponseFormat::Text,
            Some("1") => ResponseFormat::UrlEncoded,
            Some(_) => {
                return reject(
                    ResponseFormat::Text,
                    -4,
                    "The value of the 'responseFormat' argument is invalid!",
                    "responseFormat",
                );
            }
        };

        if !method.eq_ignore_ascii_case("POST") {
            return reject(format, -17, "Request was not made using POST.", "");
        }
        match self.checked(format, parameters) {
            Ok(decision) | Err(decision) => decision,
        }
    }

    fn checked(&mut self, format: ResponseFormat, parameters: &Parameters) -> Result<Decision, Decision> {
        for (name, _) in parameters {
            if !KNOWN_PARAMETERS.contains(&name.as_str()) {
                return Err(reject(format, -2, &format!("The '{name}' argument is not recognised!"), name));
            }
            if parameters.iter().filter(|(other, _)| other == name).count() > 1 {
                return Err(invalid(format, name));
            }
        }

        let login_name = required(format, parameters, "loginName")?;
        let password = required(format, parameters, "loginPassword")?;
        if login_name.chars().count() > 64 {
            return Err(invalid(format, "loginName"));
        }
        if password.chars().count() > 128 {
            return Err(invalid(format, "loginPassword"));
        }
        if login_name != self.login_name || password != self.password {
            return Err(reject(
                format,
                -16,
                "The login details are incorrect, or the account is locked or blocked.",
                "",
            ));
        }

        let lookup = identifier(format, parameters)?;
        check_optional(format, parameters)?;
        let test_mode = value(parameters, "test") == Some("Y");
        let include_in_crl = value(parameters, "includeInCRL") != Some("N");

        Ok(self.apply(format, &lookup, test_mode, include_in_crl))
    }

    fn apply(&mut self, format: ResponseFormat, lookup: &Lookup, test_mode: bool, include_in_crl: bool) -> Decision {
        let identifier = Some(lookup_text(lookup));
        let accept_unknown = self.catalogue.accept_unknown;
        let entry = match self.catalogue.find_mut(lookup) {
            Some(entry) => entry,
            None if accept_unknown => self.catalogue.add_unknown(lookup),
            None => {
                let mut decision = reject(format, -4, "The certificate was not found.", lookup_field(lookup));
                decision.identifier = identifier;
                return decision;
            }
        };

        if let Some(fault) = entry.fault.clone().filter(|fault| !fault.processes_request()) {
            return Decision { response: success(format), identifier, fault: Some(fault) };
        }

        let (code, message, next_state) = transition(entry.state, include_in_crl);
        if !test_mode {
            entry.state = next_state;
        }
        let response = if code == 0 { success(format) } else { ApiResponse::new(format, code, Some(message), None) };
        Decision { response, identifier, fault: entry.fault.clone() }
    }
}

/// Returns the code, message and next state for a revocation of a certificate in `state`.
fn transition(state: CertificateState, include_in_crl: bool) -> (i32, &'static str, CertificateState) {
    match state {
        CertificateState::Issued if include_in_crl => (0, "", CertificateState::Revoked),
        CertificateState::Issued => (0, "", CertificateState::Replaced),
        CertificateState::Replaced if include_in_crl => (0, "", CertificateState::Revoked),
        CertificateState::Replaced => (0, "", CertificateState::Replaced),
        CertificateState::Pending => (0, "", CertificateState::Rejected),
        CertificateState::Issuing => (-26, "The certificate is currently being issued.", CertificateState::Issuing),
        CertificateState::Revoked => (-21, "The certificate has already been revoked.", CertificateState::Revoked),
        CertificateState::Rejected => {
            (-20, "The certificate request has already been rejected.", CertificateState::Rejected)
        }
        CertificateState::Expired => {
            (-35, "The certificate has expired and cannot be revoked.", CertificateState::Expired)
        }
    }
}

fn identifier(format: ResponseFormat, parameters: &Parameters) -> Result<Lookup, Decision> {
    let given: Vec<&str> = ["orderNumber", "certificateID", "serialNumber"]
        .into_iter()
        .filter(|name| value(parameters, name).is_some())
        .collect();
    let name = match given.as_slice() {
        [] => {
            return Err(reject(
                format,
                -3,
                "Either orderNumber, certificateID or serialNumber must be provided!",
                "orderNumber",
            ));
        }
        [name] => *name,
        // NOTE: the real endpoint's response to two identifiers is undocumented; the
        // simulator rejects the second, because guessing would revoke the wrong one.
        [_, second, ..] => return Err(invalid(format, second)),
    };

    let text = value(parameters, name).unwrap_or_default();
    let lookup = match name {
        "orderNumber" => integer(text).map(Lookup::OrderNumber),
        "certificateID" => integer(text).filter(|_| text.len() <= 16).map(Lookup::CertificateId),
        _ => strict_serial(text).map(Lookup::SerialNumber),
    };
    lookup.ok_or_else(|| invalid(format, name))
}

/// Accepts only bare hex digits, as the API documents the field; the client library
/// normalises every other spelling before sending.
fn strict_serial(text: &str) -> Option<SerialNumber> {
    let bare = !text.is_empty() && text.len() <= 34 && text.bytes().all(|b| b.is_ascii_hexdigit());
    bare.then(|| text.parse().ok()).flatten()
}

fn check_optional(format: ResponseFormat, parameters: &Parameters) -> Result<(), Decision> {
    if let Some(code) = value(parameters, "codeReason") {
        let allowed = code.parse::<i64>().ok().and_then(|code| Reason::from_code(code).ok()).is_some();
        if !allowed || code.starts_with('+') {
            return Err(invalid(format, "codeReason"));
        }
    }
    for name in ["accountID", "product"] {
        if value(parameters, name).is_some_and(|text| integer(text).is_none()) {
            return Err(invalid(format, name));
        }
    }
    if value(parameters, "revocationReason").is_some_and(|text| text.chars().count() > 1024) {
        return Err(invalid(format, "revocationReason"));
    }
    if value(parameters, "productCode").is_some_and(|text| text.chars().count() > 50) {
        return Err(invalid(format, "productCode"));
    }
    for name in ["test", "includeInCRL"] {
        if value(parameters, name).is_some_and(|flag| flag != "Y" && flag != "N") {
            return Err(invalid(format, name));
        }
    }
    Ok(())
}

fn value<'a>(parameters: &'a Parameters, name: &str) -> Option<&'a str> {
    parameters.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
}

fn required<'a>(format: ResponseFormat, parameters: &'a Parameters, name: &str) -> Result<&'a str, Decision> {
    match value(parameters, name) {
        Some(text) if !text.is_empty() => Ok(text),
        _ => Err(reject(format, -3, &format!("The '{name}' argument is missing!"), name)),
    }
}

fn integer(text: &str) -> Option<u64> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| text.parse().ok()).flatten()
}

fn lookup_field(lookup: &Lookup) -> &'static str {
    match lookup {
        Lookup::OrderNumber(_) => "orderNumber",
        Lookup::CertificateId(_) => "certificateID",
        Lookup::SerialNumber(_) => "serialNumber",
    }
}

fn lookup_text(lookup: &Lookup) -> String {
    match lookup {
        Lookup::OrderNumber(number) => format!("orderNumber={number}"),
        Lookup::CertificateId(id) => format!("certificateID={id}"),
        Lookup::SerialNumber(serial) => format!("serialNumber={serial}"),
    }
}

fn success(format: ResponseFormat) -> ApiResponse {
    ApiResponse::new(format, 0, None, None)
}

fn invalid(format: ResponseFormat, name: &str) -> Decision {
    reject(format, -4, &format!("The value of the '{name}' argument is invalid!"), name)
}

fn reject(format: ResponseFormat, code: i32, message: &str, item: &str) -> Decision {
    let item = Some(item).filter(|item| !item.is_empty() && format == ResponseFormat::UrlEncoded);
    Decision { response: ApiResponse::new(format, code, Some(message), item), identifier: None, fault: None }
}
