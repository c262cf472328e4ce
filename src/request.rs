//! The revocation request: one certificate identifier, a reason code and the optional
//! parameters, validated before anything is sent.

use std::fmt;

use crate::error::InvalidRequest;
use crate::field::Field;
use crate::reason::Reason;
use crate::serial::SerialNumber;
use crate::text::check_text;

/// Maximum length of `revocationReason` (the comment), in characters.
pub const MAX_COMMENT_CHARS: usize = 1024;

/// Maximum length of `productCode`, in characters.
pub const MAX_PRODUCT_CODE_CHARS: usize = 50;

/// Maximum number of digits in `certificateID`.
pub const MAX_CERTIFICATE_ID_DIGITS: usize = 16;

/// The one value that tells Sectigo which certificate to revoke.
///
/// Revoking by order number acts on the order's current certificate, which after a
/// reissue is the replacement, not the original. Use a serial number or certificate ID
/// when one specific certificate must be revoked.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CertificateIdentifier {
    /// `orderNumber`.
    OrderNumber(u64),
    /// `certificateID`, at most 16 digits.
    CertificateId(u64),
    /// `serialNumber`, at most 34 hex digits.
    SerialNumber(SerialNumber),
}

impl CertificateIdentifier {
    /// Parses an order number given as decimal text.
    pub fn parse_order_number(text: &str) -> Result<Self, InvalidRequest> {
        parse_positive_integer(Field::OrderNumber, text, 20).map(CertificateIdentifier::OrderNumber)
    }

    /// Parses a certificate ID given as decimal text, at most 16 digits.
    pub fn parse_certificate_id(text: &str) -> Result<Self, InvalidRequest> {
        parse_positive_integer(Field::CertificateId, text, MAX_CERTIFICATE_ID_DIGITS)
            .map(CertificateIdentifier::CertificateId)
    }

    /// Parses a serial number in any spelling [`SerialNumber`] accepts.
    pub fn parse_serial_number(text: &str) -> Result<Self, InvalidRequest> {
        text.parse().map(CertificateIdentifier::SerialNumber)
    }

    /// Returns the wire parameter that carries this identifier.
    pub fn field(&self) -> Field {
        match self {
            CertificateIdentifier::OrderNumber(_) => Field::OrderNumber,
            CertificateIdentifier::CertificateId(_) => Field::CertificateId,
            CertificateIdentifier::SerialNumber(_) => Field::SerialNumber,
        }
    }

    /// Returns the value as sent on the wire.
    pub fn value(&self) -> String {
        match self {
            CertificateIdentifier::OrderNumber(number) | CertificateIdentifier::CertificateId(number) => {
                number.to_string()
            }
            CertificateIdentifier::SerialNumber(serial) => serial.as_str().to_owned(),
        }
    }

    fn validate(&self) -> Result<(), InvalidRequest> {
        match self {
            CertificateIdentifier::OrderNumber(0) => Err(InvalidRequest::new(
                Field::OrderNumber,
                "0 is not an order number; give the number from the order's confirmation",
            )),
            CertificateIdentifier::CertificateId(0) => Err(InvalidRequest::new(
                Field::CertificateId,
                "0 is not a certificate ID; give the ID from the certificate's record",
            )),
            CertificateIdentifier::CertificateId(id) if id.to_string().len() > MAX_CERTIFICATE_ID_DIGITS => {
                Err(InvalidRequest::new(
                    Field::CertificateId,
                    format!("{} digits is more than the {MAX_CERTIFICATE_ID_DIGITS} allowed", id.to_string().len()),
                ))
            }
            _ => Ok(()),
        }
    }
}

impl fmt::Display for CertificateIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.field().name(), self.value())
    }
}

fn parse_positive_integer(field: Field, text: &str, max_digits: usize) -> Result<u64, InvalidRequest> {
    let digits = text.trim();
    if digits.is_empty() {
        return Err(InvalidRequest::new(field, "missing; give a decimal number"));
    }
    if let Some(bad) = digits.chars().find(|c| !c.is_ascii_digit()) {
        return Err(InvalidRequest::new(
            field,
            format!("{bad:?} is not a decimal digit; give a decimal number such as 1234567"),
        ));
    }
    if digits.len() > max_digits {
        return Err(InvalidRequest::new(
            field,
            format!("{} digits is more than the {max_digits} allowed", digits.len()),
        ));
    }

    let number: u64 =
        digits.parse().map_err(|_| InvalidRequest::new(field, format!("{digits} is larger than {}", u64::MAX)))?;
    if number == 0 {
        return Err(InvalidRequest::new(field, "0 is not a valid identifier; give a positive number"));
    }
    Ok(number)
}

/// How the server formats its response (`responseFormat`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ResponseFormat {
    /// `0`: the code on line 1 and the message on line 2.
    Text,
    /// `1`: `errorCode=…&errorMessage=…&errorItem=…`. The default here, because it
    /// names the rejected parameter in `errorItem`.
    #[default]
    UrlEncoded,
}

impl ResponseFormat {
    /// Returns the digit sent on the wire.
    pub fn code(self) -> u8 {
        match self {
            ResponseFormat::Text => 0,
            ResponseFormat::UrlEncoded => 1,
        }
    }

    /// Returns the format for a wire digit (0 or 1).
    pub fn from_code(code: i64) -> Result<Self, InvalidRequest> {
        match code {
            0 => Ok(ResponseFormat::Text),
            1 => Ok(ResponseFormat::UrlEncoded),
            _ => Err(InvalidRequest::new(
                Field::ResponseFormat,
                format!("{code} is not a response format; allowed: 0 text, 1 URL-encoded"),
            )),
        }
    }
}

/// A validated revocation request, everything but the credentials.
///
/// ```
/// use sectigo_revoke::{Reason, Revocation};
///
/// let revocation = Revocation::builder()
///     .serial_number("00:d9:b7:11:22")
///     .reason(Reason::Superseded)
///     .comment("replaced after host move")
///     .build()?;
/// assert_eq!(revocation.identifier().to_string(), "serialNumber=00D9B71122");
/// # Ok::<(), sectigo_revoke::InvalidRequest>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revocation {
    identifier: CertificateIdentifier,
    reason: Reason,
    comment: Option<String>,
    account_id: Option<u64>,
    product_code: Option<String>,
    product: Option<u64>,
    test_mode: bool,
    include_in_crl: bool,
    response_format: ResponseFormat,
}

impl Revocation {
    /// Starts a request. Exactly one identifier must be set before [`RevocationBuilder::build`].
    pub fn builder() -> RevocationBuilder {
        RevocationBuilder::default()
    }

    /// Returns the certificate identifier.
    pub fn identifier(&self) -> &CertificateIdentifier {
        &self.identifier
    }

    /// Returns the reason code, sent as `codeReason`.
    pub fn reason(&self) -> Reason {
        self.reason
    }

    /// Returns the free-text comment, sent as `revocationReason`.
    pub fn comment(&self) -> Option<&str> {
        self.comment.as_deref()
    }

    /// Returns the reseller account ID, sent as `accountID`.
    pub fn account_id(&self) -> Option<u64> {
        self.account_id
    }

    /// Returns the product code, sent as `productCode`.
    pub fn product_code(&self) -> Option<&str> {
        self.product_code.as_deref()
    }

    /// Returns the numeric product, sent as `product`.
    pub fn product(&self) -> Option<u64> {
        self.product
    }

    /// Returns true when the request is a test (`test=Y`): Sectigo validates it and
    /// revokes nothing.
    pub fn test_mode(&self) -> bool {
        self.test_mode
    }

    /// Returns false when an issued certificate is to be marked replaced instead of
    /// revoked (`includeInCRL=N`).
    pub fn include_in_crl(&self) -> bool {
        self.include_in_crl
    }

    /// Returns the response format requested.
    pub fn response_format(&self) -> ResponseFormat {
        self.response_format
    }
}

/// Builder for a [`Revocation`]. Setters store values; [`RevocationBuilder::build`]
/// validates all of them.
#[derive(Clone, Debug)]
pub struct RevocationBuilder {
    order_number: Option<Result<u64, InvalidRequest>>,
    certificate_id: Option<Result<u64, InvalidRequest>>,
    serial_number: Option<Result<SerialNumber, InvalidRequest>>,
    reason: Reason,
    comment: Option<String>,
    account_id: Option<u64>,
    product_code: Option<String>,
    product: Option<u64>,
    test_mode: bool,
    include_in_crl: bool,
    response_format: ResponseFormat,
}

impl Default for RevocationBuilder {
    fn default() -> Self {
        RevocationBuilder {
            order_number: None,
            certificate_id: None,
            serial_number: None,
            reason: Reason::Unspecified,
            comment: None,
            account_id: None,
            product_code: None,
            product: None,
            test_mode: false,
            include_in_crl: true,
            response_format: ResponseFormat::default(),
        }
    }
}

impl RevocationBuilder {
    /// Sets the certificate identifier, replacing any identifier set before.
    pub fn identifier(mut self, identifier: CertificateIdentifier) -> Self {
        self.order_number = None;
        self.certificate_id = None;
        self.serial_number = None;
        match identifier {
            CertificateIdentifier::OrderNumber(number) => self.order_number = Some(Ok(number)),
            CertificateIdentifier::CertificateId(id) => self.certificate_id = Some(Ok(id)),
            CertificateIdentifier::SerialNumber(serial) => self.serial_number = Some(Ok(serial)),
        }
        self
    }

    /// Sets `orderNumber`. Acts on the order's current certificate, which after a
    /// reissue is the replacement.
    pub fn order_number(mut self, order_number: u64) -> Self {
        self.order_number = Some(Ok(order_number));
        self
    }

    /// Sets `certificateID`, at most 16 digits.
    pub fn certificate_id(mut self, certificate_id: u64) -> Self {
        self.certificate_id = Some(Ok(certificate_id));
        self
    }

    /// Sets `serialNumber` from any spelling [`SerialNumber`] accepts; a spelling it
    /// rejects makes [`RevocationBuilder::build`] fail.
    pub fn serial_number(mut self, serial_number: impl AsRef<str>) -> Self {
        self.serial_number = Some(serial_number.as_ref().parse());
        self
    }

    /// Sets the reason code. Defaults to [`Reason::Unspecified`].
    pub fn reason(mut self, reason: Reason) -> Self {
        self.reason = reason;
        self
    }

    /// Sets the free-text comment (`revocationReason`), at most 1024 characters.
    /// Sectigo stores it for the customer's reference and takes no action on it.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// Sets the reseller account ID (`accountID`); the login is then the reseller's.
    pub fn account_id(mut self, account_id: u64) -> Self {
        self.account_id = Some(account_id);
        self
    }

    /// Sets `productCode`, at most 50 characters.
    pub fn product_code(mut self, product_code: impl Into<String>) -> Self {
        self.product_code = Some(product_code.into());
        self
    }

    /// Sets the numeric `product`.
    pub fn product(mut self, product: u64) -> Self {
        self.product = Some(product);
        self
    }

    /// Sends `test=Y` when true: Sectigo validates the request and revokes nothing.
    /// Defaults to false, in which case `test` is omitted.
    pub fn test_mode(mut self, test_mode: bool) -> Self {
        self.test_mode = test_mode;
        self
    }

    /// Sends `includeInCRL=N` when false, which marks an issued certificate replaced
    /// instead of revoked. Defaults to true, in which case `includeInCRL` is omitted.
    pub fn include_in_crl(mut self, include_in_crl: bool) -> Self {
        self.include_in_crl = include_in_crl;
        self
    }

    /// Sets `responseFormat`. Defaults to [`ResponseFormat::UrlEncoded`].
    pub fn response_format(mut self, response_format: ResponseFormat) -> Self {
        self.response_format = response_format;
        self
    }

    /// Validates every value and returns the request, or the first problem found.
    pub fn build(self) -> Result<Revocation, InvalidRequest> {
        let identifier = self.single_identifier()?;
        identifier.validate()?;

        if let Some(comment) = &self.comment {
            check_text(Field::Comment, comment, MAX_COMMENT_CHARS)?;
        }
        if let Some(product_code) = &self.product_code {
            check_text(Field::ProductCode, product_code, MAX_PRODUCT_CODE_CHARS)?;
            if product_code.is_empty() {
                return Err(InvalidRequest::new(Field::ProductCode, "empty; leave it unset instead"));
            }
        }
        if self.account_id == Some(0) {
            return Err(InvalidRequest::new(
                Field::AccountId,
                "0 is not an account ID; leave it unset unless acting as a reseller",
            ));
        }

        Ok(Revocation {
            identifier,
            reason: self.reason,
            comment: self.comment.filter(|comment| !comment.is_empty()),
            account_id: self.account_id,
            product_code: self.product_code,
            product: self.product,
            test_mode: self.test_mode,
            include_in_crl: self.include_in_crl,
            response_format: self.response_format,
        })
    }

    fn single_identifier(&self) -> Result<CertificateIdentifier, InvalidRequest> {
        let given: Vec<Field> = [
            self.order_number.as_ref().map(|_| Field::OrderNumber),
            self.certificate_id.as_ref().map(|_| Field::CertificateId),
            self.serial_number.as_ref().map(|_| Field::SerialNumber),
        ]
        .into_iter()
        .flatten()
        .collect();

        match given.as_slice() {
            [] => Err(InvalidRequest::new(
                Field::Identifier,
                "missing; set one of orderNumber, certificateID or serialNumber",
            )),
            [_] => {
                if let Some(order_number) = &self.order_number {
                    return order_number.clone().map(CertificateIdentifier::OrderNumber);
                }
                if let Some(certificate_id) = &self.certificate_id {
                    return certificate_id.clone().map(CertificateIdentifier::CertificateId);
                }
                let serial = self.serial_number.clone().expect("one identifier is set");
                serial.map(CertificateIdentifier::SerialNumber)
            }
            several => {
                let names: Vec<&str> = several.iter().map(|field| field.name()).collect();
                Err(InvalidRequest::new(
                    Field::Identifier,
                    format!(
                        "{} are all set; set exactly one, because which one Sectigo would use is undocumented",
                        names.join(" and ")
                    ),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_one_identifier_required() {
        let error = Revocation::builder().build().unwrap_err();
        assert_eq!(error.field(), Field::Identifier);
        assert!(error.problem().starts_with("missing"), "{}", error.problem());

        let error = Revocation::builder().order_number(1).serial_number("AB").build().unwrap_err();
        assert_eq!(error.field(), Field::Identifier);
        assert!(error.problem().starts_with("orderNumber and serialNumber are all set"), "{}", error.problem());
    }

    #[test]
    fn identifier_replaces_previous() {
        let revocation =
            Revocation::builder().order_number(5).identifier(CertificateIdentifier::CertificateId(7)).build().unwrap();
        assert_eq!(revocation.identifier(), &CertificateIdentifier::CertificateId(7));
    }

    #[test]
    fn serial_error_surfaces_at_build() {
        let error = Revocation::builder().serial_number("XYZ").build().unwrap_err();
        assert_eq!(error.field(), Field::SerialNumber);
    }

    #[test]
    fn certificate_id_limited_to_16_digits() {
        assert!(Revocation::builder().certificate_id(9_999_999_999_999_999).build().is_ok());
        let error = Revocation::builder().certificate_id(10_000_000_000_000_000).build().unwrap_err();
        assert_eq!(error.field(), Field::CertificateId);
        assert_eq!(error.problem(), "17 digits is more than the 16 allowed");

        let error = CertificateIdentifier::parse_certificate_id("12345678901234567").unwrap_err();
        assert_eq!(error.problem(), "17 digits is more than the 16 allowed");
    }

    #[test]
    fn zero_identifiers_rejected() {
        assert_eq!(Revocation::builder().order_number(0).build().unwrap_err().field(), Field::OrderNumber);
        assert_eq!(Revocation::builder().certificate_id(0).build().unwrap_err().field(), Field::CertificateId);
        assert!(CertificateIdentifier::parse_order_number("000").is_err());
    }

    #[test]
    fn integer_text_parsed_strictly() {
        assert_eq!(
            CertificateIdentifier::parse_order_number(" 00123 ").unwrap(),
            CertificateIdentifier::OrderNumber(123)
        );
        for bad in ["-5", "+5", "1e3", "12 34", "", "0x10"] {
            let error = CertificateIdentifier::parse_order_number(bad).unwrap_err();
            assert_eq!(error.field(), Field::OrderNumber, "{bad}");
        }
        let error = CertificateIdentifier::parse_order_number("99999999999999999999").unwrap_err();
        assert!(error.problem().contains("larger than"), "{}", error.problem());
    }

    #[test]
    fn comment_limit_counts_characters() {
        let comment = "é".repeat(MAX_COMMENT_CHARS);
        assert!(Revocation::builder().order_number(1).comment(comment.clone()).build().is_ok());
        let error = Revocation::builder().order_number(1).comment(comment + "é").build().unwrap_err();
        assert_eq!(error.field(), Field::Comment);
        assert_eq!(error.problem(), "1025 characters is more than the 1024 allowed; shorten the value");
    }

    #[test]
    fn control_characters_rejected() {
        for bad in ["line\nbreak", "cr\r", "nul\0", "tab\t"] {
            let error = Revocation::builder().order_number(1).comment(bad).build().unwrap_err();
            assert_eq!(error.field(), Field::Comment, "{bad:?}");
            assert!(error.problem().starts_with("control character U+"), "{}", error.problem());
        }
        let error = Revocation::builder().order_number(1).product_code("A\nB").build().unwrap_err();
        assert_eq!(error.field(), Field::ProductCode);
    }

    #[test]
    fn product_code_limit() {
        assert!(Revocation::builder().order_number(1).product_code("P".repeat(50)).build().is_ok());
        let error = Revocation::builder().order_number(1).product_code("P".repeat(51)).build().unwrap_err();
        assert_eq!(error.field(), Field::ProductCode);
        assert_eq!(error.problem(), "51 characters is more than the 50 allowed; shorten the value");
    }

    #[test]
    fn account_id_zero_rejected() {
        let error = Revocation::builder().order_number(1).account_id(0).build().unwrap_err();
        assert_eq!(error.field(), Field::AccountId);
    }

    #[test]
    fn response_format_codes() {
        assert_eq!(ResponseFormat::from_code(0).unwrap(), ResponseFormat::Text);
        assert_eq!(ResponseFormat::from_code(1).unwrap(), ResponseFormat::UrlEncoded);
        assert_eq!(ResponseFormat::from_code(2).unwrap_err().field(), Field::ResponseFormat);
    }
}
