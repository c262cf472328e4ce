//! Reason codes a subscriber may request (`codeReason`).

use std::fmt;
use std::str::FromStr;

use crate::error::InvalidRequest;
use crate::field::Field;

/// The RFC 5280 reason code sent as `codeReason`.
///
/// Sectigo accepts only the five codes a subscriber may request under the CA/Browser
/// Forum Baseline Requirements (section 7.2.2). The other RFC 5280 codes are rejected
/// when parsed, never turned into `Unspecified`.
///
/// Under Mozilla Root Store Policy 2.9 and later, `KeyCompromise` is meant for cases
/// where the key is shown or reasonably suspected to be compromised; Sectigo routes
/// provable key compromise to its revocation portal or its ACME endpoint.
///
/// ```
/// use sectigo_revoke::Reason;
///
/// assert_eq!("superseded".parse::<Reason>()?, Reason::Superseded);
/// assert_eq!("key-compromise".parse::<Reason>()?, Reason::KeyCompromise);
/// assert_eq!("4".parse::<Reason>()?, Reason::Superseded);
/// assert!("6".parse::<Reason>().is_err());
/// # Ok::<(), sectigo_revoke::InvalidRequest>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Reason {
    /// 0, no reason given; the default.
    #[default]
    Unspecified = 0,
    /// 1, the private key is compromised or suspected to be.
    KeyCompromise = 1,
    /// 3, the subject's name or other information changed.
    AffiliationChanged = 3,
    /// 4, the certificate was replaced by a new one.
    Superseded = 4,
    /// 5, the certificate is no longer needed.
    CessationOfOperation = 5,
}

/// Every reason a subscriber may request, in code order.
pub const ALLOWED_REASONS: [Reason; 5] = [
    Reason::Unspecified,
    Reason::KeyCompromise,
    Reason::AffiliationChanged,
    Reason::Superseded,
    Reason::CessationOfOperation,
];

const ALLOWED_TEXT: &str =
    "allowed: 0 unspecified, 1 keyCompromise, 3 affiliationChanged, 4 superseded, 5 cessationOfOperation";

impl Reason {
    /// Returns the numeric code sent on the wire.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// Returns the RFC 5280 name, such as `keyCompromise`.
    pub fn name(self) -> &'static str {
        match self {
            Reason::Unspecified => "unspecified",
            Reason::KeyCompromise => "keyCompromise",
            Reason::AffiliationChanged => "affiliationChanged",
            Reason::Superseded => "superseded",
            Reason::CessationOfOperation => "cessationOfOperation",
        }
    }

    /// Returns the reason for a numeric code, or an error naming the code and the
    /// allowed list. Codes 2, 6, 8, 9 and 10 exist in RFC 5280 but may not be requested
    /// by a subscriber; 7 is unused.
    pub fn from_code(code: i64) -> Result<Self, InvalidRequest> {
        match code {
            0 => Ok(Reason::Unspecified),
            1 => Ok(Reason::KeyCompromise),
            3 => Ok(Reason::AffiliationChanged),
            4 => Ok(Reason::Superseded),
            5 => Ok(Reason::CessationOfOperation),
            2 | 6 | 8 | 9 | 10 => Err(InvalidRequest::new(
                Field::Reason,
                format!("{code} ({}) may not be requested by a subscriber; {ALLOWED_TEXT}", rfc5280_name(code)),
            )),
            _ => Err(InvalidRequest::new(Field::Reason, format!("{code} is not a reason code; {ALLOWED_TEXT}"))),
        }
    }
}

fn rfc5280_name(code: i64) -> &'static str {
    match code {
        2 => "cACompromise",
        6 => "certificateHold",
        8 => "removeFromCRL",
        9 => "privilegeWithdrawn",
        10 => "aACompromise",
        _ => "unused",
    }
}

impl FromStr for Reason {
    type Err = InvalidRequest;

    /// Parses a code (`"4"`) or a name in any case, with or without `-` or `_`
    /// between the words (`"superseded"`, `"keyCompromise"`, `"key-compromise"`,
    /// `"KEY_COMPROMISE"`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            if let Ok(code) = trimmed.parse::<i64>() {
                return Reason::from_code(code);
            }
        }

        let folded: String =
            trimmed.chars().filter(|c| !matches!(c, '-' | '_' | ' ')).flat_map(char::to_lowercase).collect();
        let by_name = ALLOWED_REASONS.iter().find(|reason| reason.name().to_lowercase() == folded);
        if let Some(reason) = by_name {
            return Ok(*reason);
        }

        let forbidden = [2, 6, 8, 9, 10].into_iter().find(|code| rfc5280_name(*code).to_lowercase() == folded);
        match forbidden {
            Some(code) => Reason::from_code(code),
            None => Err(InvalidRequest::new(
                Field::Reason,
                format!("{trimmed:?} is not a reason name or code; {ALLOWED_TEXT}"),
            )),
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_codes_round_trip() {
        for reason in ALLOWED_REASONS {
            assert_eq!(Reason::from_code(i64::from(reason.code())).unwrap(), reason);
            assert_eq!(reason.code().to_string().parse::<Reason>().unwrap(), reason);
            assert_eq!(reason.name().parse::<Reason>().unwrap(), reason);
        }
    }

    #[test]
    fn name_spellings_accepted() {
        for text in ["key-compromise", "KEY_COMPROMISE", "keycompromise", " keyCompromise "] {
            assert_eq!(text.parse::<Reason>().unwrap(), Reason::KeyCompromise, "{text}");
        }
        assert_eq!("cessation-of-operation".parse::<Reason>().unwrap(), Reason::CessationOfOperation);
        assert_eq!("affiliation_changed".parse::<Reason>().unwrap(), Reason::AffiliationChanged);
    }

    #[test]
    fn forbidden_codes_rejected_not_coerced() {
        for code in [2, 6, 7, 8, 9, 10, -1, 11, 255] {
            let error = Reason::from_code(code).unwrap_err();
            assert_eq!(error.field(), Field::Reason);
            assert!(error.problem().contains("allowed: 0 unspecified"), "{code}: {}", error.problem());
        }
        let error = "certificateHold".parse::<Reason>().unwrap_err();
        assert!(error.problem().starts_with("6 (certificateHold) may not be requested"), "{}", error.problem());
        let error = "-1".parse::<Reason>().unwrap_err();
        assert!(error.problem().starts_with("-1 is not a reason code"), "{}", error.problem());
        assert!("bogus".parse::<Reason>().is_err());
        assert!("".parse::<Reason>().is_err());
    }
}
