//! Certificate serial numbers, normalised without ever becoming integers.

use std::fmt;
use std::str::FromStr;

use crate::error::InvalidRequest;
use crate::field::Field;

/// Maximum number of hex digits in `serialNumber`: 17 bytes, a 16-byte random serial
/// plus the `00` byte DER adds when the top bit is set.
pub const MAX_SERIAL_DIGITS: usize = 34;

/// A certificate serial number as upper-case hex digits, leading zeros kept.
///
/// Parsing accepts the spellings people paste: `openssl x509 -serial` output
/// (`serial=00D9B7…`), `openssl x509 -text` output (`00:d9:b7:…`), a `0x` prefix,
/// spaces, and either case. It never converts the value to an integer, because that
/// drops leading zeros and Sectigo matches serials as text.
///
/// ```
/// use sectigo_revoke::SerialNumber;
///
/// let serial: SerialNumber = "serial=00:d9:b7:01".parse()?;
/// assert_eq!(serial.as_str(), "00D9B701");
/// let same: SerialNumber = "0x00D9B701".parse()?;
/// assert_eq!(serial, same);
/// # Ok::<(), sectigo_revoke::InvalidRequest>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SerialNumber(String);

impl SerialNumber {
    /// Returns the normalised digits, as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Returns the digits without leading `00` bytes, for comparing a serial written
    /// with the DER sign byte against one written without it.
    ///
    /// The wire value stays as given: whether Sectigo matches one form, the other or
    /// both is not documented.
    pub fn without_leading_zero_bytes(&self) -> &str {
        let mut digits = self.0.as_str();
        while digits.len() > 2 && digits.starts_with("00") {
            digits = &digits[2..];
        }
        digits
    }

    /// Builds a serial number from the big-endian bytes of a DER INTEGER, keeping any
    /// leading zero byte.
    pub fn from_der_bytes(bytes: &[u8]) -> Result<Self, InvalidRequest> {
        let digits: String = bytes.iter().map(|byte| format!("{byte:02X}")).collect();
        digits.parse()
    }
}

impl FromStr for SerialNumber {
    type Err = InvalidRequest;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (offset, rest) = strip_prefixes(text);

        let mut digits = String::with_capacity(rest.len());
        for (index, character) in rest.char_indices() {
            match character {
                ':' | ' ' | '\t' | '\r' | '\n' => continue,
                c if c.is_ascii_hexdigit() => digits.push(c.to_ascii_uppercase()),
                c => {
                    // Positions count characters of the text as given, prefix included.
                    let position = text[..offset + index].chars().count() + 1;
                    return Err(InvalidRequest::new(
                        Field::SerialNumber,
                        format!(
                            "{c:?} at position {position} is not a hex digit; give the serial in hex, as `openssl x509 -noout -serial` prints it"
                        ),
                    ));
                }
            }
        }

        if digits.is_empty() {
            return Err(InvalidRequest::new(
                Field::SerialNumber,
                "missing; give the serial in hex, as `openssl x509 -noout -serial` prints it",
            ));
        }
        if rest.contains(':') {
            check_colon_groups(rest)?;
        }
        if digits.len() > MAX_SERIAL_DIGITS {
            return Err(InvalidRequest::new(
                Field::SerialNumber,
                format!(
                    "{} hex digits is more than the {MAX_SERIAL_DIGITS} allowed; check that the value is one serial number",
                    digits.len()
                ),
            ));
        }

        Ok(SerialNumber(digits))
    }
}

/// Returns the byte offset where the digits start and the text from there on, after
/// surrounding whitespace, a `serial=` prefix and a `0x` prefix.
fn strip_prefixes(text: &str) -> (usize, &str) {
    let mut rest = text.trim_start();
    if let Some(after) = strip_prefix_ignore_case(rest, "serial=") {
        rest = after.trim_start();
    }
    if let Some(after) = strip_prefix_ignore_case(rest, "0x") {
        rest = after;
    }
    (text.len() - rest.len(), rest.trim_end())
}

/// Checks that a colon-separated serial, as `openssl x509 -text` prints it, has exactly
/// two digits in every byte, so that a truncated copy (`…:15:f`) or a doubled colon is
/// caught instead of silently sending a different serial.
fn check_colon_groups(rest: &str) -> Result<(), InvalidRequest> {
    let compact: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
    for (index, group) in compact.split(':').enumerate() {
        if group.len() != 2 {
            return Err(InvalidRequest::new(
                Field::SerialNumber,
                format!(
                    "byte {} is {group:?}; with colons, give every byte as two hex digits, as `openssl x509 -text` prints them",
                    index + 1
                ),
            ));
        }
    }
    Ok(())
}

/// Strips an ASCII prefix in any case. Uses `get` so that a multi-byte character where
/// the prefix would end makes the prefix absent instead of panicking.
fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

impl fmt::Display for SerialNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> String {
        text.parse::<SerialNumber>().unwrap().as_str().to_owned()
    }

    #[test]
    fn common_spellings_normalised() {
        assert_eq!(parse("serial=00D9B7AA"), "00D9B7AA");
        assert_eq!(parse("SERIAL=00d9b7aa"), "00D9B7AA");
        assert_eq!(parse("00:d9:b7:aa"), "00D9B7AA");
        assert_eq!(parse("0x00d9b7aa"), "00D9B7AA");
        assert_eq!(parse("0X00D9B7AA"), "00D9B7AA");
        assert_eq!(parse("00 d9 b7 aa"), "00D9B7AA");
        assert_eq!(parse("  00D9\tB7AA \n"), "00D9B7AA");
    }

    #[test]
    fn leading_zeros_kept() {
        assert_eq!(parse("0000000000000001"), "0000000000000001");
        assert_eq!(parse("00"), "00");
        assert_eq!(parse("0"), "0");
    }

    #[test]
    fn thirty_four_digits_allowed() {
        let serial = format!("00{}", "F".repeat(32));
        assert_eq!(parse(&serial), serial);
        let with_colons =
            serial.as_bytes().chunks(2).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join(":");
        assert_eq!(parse(&with_colons), serial);
    }

    #[test]
    fn too_long_rejected() {
        let error = "A".repeat(35).parse::<SerialNumber>().unwrap_err();
        assert_eq!(error.field(), Field::SerialNumber);
        assert!(error.problem().starts_with("35 hex digits is more than the 34 allowed"), "{}", error.problem());
    }

    #[test]
    fn non_hex_rejected() {
        let error = "00:G1".parse::<SerialNumber>().unwrap_err();
        assert!(error.problem().starts_with("'G' at position 4 is not a hex digit"), "{}", error.problem());
        assert!("12-34".parse::<SerialNumber>().is_err());
        assert!("".parse::<SerialNumber>().unwrap_err().problem().starts_with("missing"));
        assert!("serial=".parse::<SerialNumber>().is_err());
        assert!("0x".parse::<SerialNumber>().is_err());
        assert!("::".parse::<SerialNumber>().is_err());
    }

    #[test]
    fn colon_groups_must_be_bytes() {
        let error = "e3:a1:15:f".parse::<SerialNumber>().unwrap_err();
        assert_eq!(
            error.problem(),
            "byte 4 is \"f\"; with colons, give every byte as two hex digits, as `openssl x509 -text` prints them"
        );
        let error = "e3::a1".parse::<SerialNumber>().unwrap_err();
        assert!(error.problem().starts_with("byte 2 is \"\""), "{}", error.problem());
        let error = "e3:a1:".parse::<SerialNumber>().unwrap_err();
        assert!(error.problem().starts_with("byte 3 is \"\""), "{}", error.problem());
        assert_eq!(parse("e3:a1:\n    5c:7d"), "E3A15C7D");
    }

    #[test]
    fn error_position_counts_prefix() {
        let error = "serial=00E3G15C".parse::<SerialNumber>().unwrap_err();
        assert!(error.problem().starts_with("'G' at position 12 is not a hex digit"), "{}", error.problem());
        let error = "  0x1Z".parse::<SerialNumber>().unwrap_err();
        assert!(error.problem().starts_with("'Z' at position 6 is not a hex digit"), "{}", error.problem());
    }

    #[test]
    fn multibyte_text_near_prefix_rejected() {
        // Found by the property test: slicing the first 7 bytes of "ab¡cdefg" split a
        // character and panicked.
        for text in ["ab¡cdefg", "0¡", "seria¡=00", "é"] {
            let error = text.parse::<SerialNumber>().unwrap_err();
            assert_eq!(error.field(), Field::SerialNumber, "{text}");
        }
    }

    #[test]
    fn der_bytes_keep_sign_byte() {
        let serial = SerialNumber::from_der_bytes(&[0x00, 0xD9, 0x0A]).unwrap();
        assert_eq!(serial.as_str(), "00D90A");
        assert_eq!(serial.without_leading_zero_bytes(), "D90A");
    }

    #[test]
    fn zero_bytes_stripped_only_for_comparison() {
        let serial: SerialNumber = "0000AB".parse().unwrap();
        assert_eq!(serial.without_leading_zero_bytes(), "AB");
        assert_eq!(serial.as_str(), "0000AB");
        let zero: SerialNumber = "0000".parse().unwrap();
        assert_eq!(zero.without_leading_zero_bytes(), "00");
    }
}
