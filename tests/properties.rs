//! Property tests for the parsers and validators that see untrusted input: response
//! bodies from the network, serial numbers and request values from users.

use proptest::prelude::*;

use sectigo_revoke::{
    ApiResponse, CertificateIdentifier, Credentials, Field, Reason, ResponseFormat, Revocation, SerialNumber,
};

/// Spells a serial the ways people paste it: colons, spaces, a `0x` or `serial=` prefix,
/// lower or upper case.
fn spellings(bytes: &[u8]) -> Vec<String> {
    let upper: Vec<String> = bytes.iter().map(|byte| format!("{byte:02X}")).collect();
    let lower: Vec<String> = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    vec![
        upper.concat(),
        lower.join(":"),
        upper.join(" "),
        format!("0x{}", lower.concat()),
        format!("serial={}", upper.concat()),
        format!("  {}\t", lower.join(":")),
    ]
}

proptest! {
    #[test]
    fn parser_never_panics_on_bytes(body in prop::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&body);
        let _ = ApiResponse::parse(&text);
    }

    #[test]
    fn parser_never_panics_on_text(body in "\\PC{0,300}") {
        let _ = ApiResponse::parse(&body);
    }

    #[test]
    fn parsed_responses_round_trip(
        code in -1000i32..1000,
        message in "[^\\r\\n]{0,80}",
        item in "[A-Za-z]{0,20}",
        url_encoded in any::<bool>(),
    ) {
        let format = if url_encoded { ResponseFormat::UrlEncoded } else { ResponseFormat::Text };
        let message = message.trim().to_owned();
        let message = Some(message.as_str()).filter(|text| !text.is_empty());
        let item = Some(item.as_str()).filter(|text| !text.is_empty() && url_encoded);
        let response = ApiResponse::new(format, code, message, item);

        let parsed = ApiResponse::parse(&response.to_body()).unwrap();
        prop_assert_eq!(parsed.code(), code);
        prop_assert_eq!(parsed.message(), message);
        prop_assert_eq!(parsed.item(), item);
        prop_assert_eq!(parsed.format(), format);
    }

    #[test]
    fn serial_spellings_agree(bytes in prop::collection::vec(any::<u8>(), 1..=17)) {
        let expected: String = bytes.iter().map(|byte| format!("{byte:02X}")).collect();
        for spelling in spellings(&bytes) {
            let serial: SerialNumber = spelling.parse().unwrap();
            prop_assert_eq!(serial.as_str(), expected.as_str(), "spelling {:?}", spelling);
        }
    }

    #[test]
    fn serial_leading_zeros_kept(zeros in 1usize..8, rest in prop::collection::vec(1u8..=255, 1..8)) {
        let mut bytes = vec![0u8; zeros];
        bytes.extend(rest);
        let serial = SerialNumber::from_der_bytes(&bytes).unwrap();
        prop_assert!(serial.as_str().starts_with(&"00".repeat(zeros)));
        prop_assert_eq!(serial.as_str().len(), bytes.len() * 2);
    }

    #[test]
    fn serial_over_34_digits_rejected(digits in "[0-9A-F]{35,60}") {
        let error = digits.parse::<SerialNumber>().unwrap_err();
        prop_assert_eq!(error.field(), Field::SerialNumber);
    }

    #[test]
    fn serial_parse_never_panics(text in "\\PC{0,80}") {
        if let Ok(serial) = text.parse::<SerialNumber>() {
            prop_assert!(serial.as_str().bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_lowercase()));
            prop_assert!(serial.as_str().len() <= 34);
        }
    }

    #[test]
    fn identifier_parse_never_panics(text in "\\PC{0,40}") {
        let parsed = [CertificateIdentifier::parse_order_number(&text), CertificateIdentifier::parse_certificate_id(&text)];
        for identifier in parsed.into_iter().flatten() {
            prop_assert!(identifier.value().bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn reason_parse_only_allowed_codes(text in "\\PC{0,20}") {
        if let Ok(reason) = text.parse::<Reason>() {
            prop_assert!([0, 1, 3, 4, 5].contains(&reason.code()));
        }
    }

    #[test]
    fn validation_errors_name_a_field(
        login in "\\PC{0,80}",
        password in "\\PC{0,140}",
        comment in "\\PC{0,1100}",
        product_code in "\\PC{0,60}",
    ) {
        let credentials = Credentials::new(login.clone(), password.clone());
        let revocation = Revocation::builder().order_number(1).comment(comment).product_code(product_code).build();
        for message in [credentials.err().map(|e| e.to_string()), revocation.err().map(|e| e.to_string())].into_iter().flatten() {
            prop_assert!(message.starts_with("invalid "), "{}", message);
            if password.chars().count() >= 4 {
                prop_assert!(!message.contains(&password), "password in {}", message);
            }
        }
    }
}
