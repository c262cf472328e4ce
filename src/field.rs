//! Names of the request parameters and client settings that validation can reject.

use std::fmt;

/// A request parameter or client setting, as named in validation errors.
///
/// Request parameters carry their exact name on the wire (`loginName`, `serialNumber`,
/// …), so that an error can be matched against the API documentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// `loginName`.
    LoginName,
    /// `loginPassword`.
    LoginPassword,
    /// `orderNumber`.
    OrderNumber,
    /// `certificateID`.
    CertificateId,
    /// `serialNumber`.
    SerialNumber,
    /// The certificate identifier as a whole (none or more than one was given).
    Identifier,
    /// `accountID`.
    AccountId,
    /// `revocationReason`, the free-text comment.
    Comment,
    /// `codeReason`, the reason code.
    Reason,
    /// `productCode`.
    ProductCode,
    /// `product`.
    Product,
    /// `responseFormat`.
    ResponseFormat,
    /// A certificate file given to read the serial number from.
    Certificate,
    /// The client's endpoint URL.
    Endpoint,
    /// The client's CA bundle file.
    CaBundle,
    /// The client's proxy URL.
    Proxy,
    /// The client's connect or overall timeout.
    Timeout,
    /// The client's retry policy.
    Retry,
}

impl Field {
    /// Returns the name used in messages: the wire name for request parameters,
    /// the setting name for client settings.
    pub fn name(self) -> &'static str {
        match self {
            Field::LoginName => "loginName",
            Field::LoginPassword => "loginPassword",
            Field::OrderNumber => "orderNumber",
            Field::CertificateId => "certificateID",
            Field::SerialNumber => "serialNumber",
            Field::Identifier => "certificate identifier",
            Field::AccountId => "accountID",
            Field::Comment => "revocationReason",
            Field::Reason => "codeReason",
            Field::ProductCode => "productCode",
            Field::Product => "product",
            Field::ResponseFormat => "responseFormat",
            Field::Certificate => "certificate file",
            Field::Endpoint => "endpoint",
            Field::CaBundle => "CA bundle",
            Field::Proxy => "proxy",
            Field::Timeout => "timeout",
            Field::Retry => "retry policy",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
