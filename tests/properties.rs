//! Property tests for the parsers and validators that see untrusted input: response
//! bodies from the network, certificate files, serial numbers and request values from
//! users, and the batch input readers.
//!
//! The default run (256 cases per property) is part of the test command. docs/fuzzing.md
//! describes longer runs, and the cargo-fuzz targets under `fuzz/` for the same inputs.

use std::path::Path;

use proptest::prelude::*;

use sectigo_revoke::batch::{Batch, Input, InputFormat, PlanOptions, RowReport, RowStatus};
use sectigo_revoke::{
    ApiResponse, CertificateIdentifier, CertificateInfo, Credentials, Field, ParseError, Reason, ResponseFormat,
    Revocation, SerialNumber,
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

// --- response bodies -------------------------------------------------------------------

/// Generates a body in the URL-encoded response format with any code, message and item.
fn url_encoded_body() -> impl Strategy<Value = (i32, String)> {
    (-200i32..200, "[^\\r\\n]{0,40}", "[A-Za-z]{0,12}").prop_map(|(code, message, item)| {
        let message = Some(message.trim()).filter(|text| !text.is_empty());
        let item = Some(item.as_str()).filter(|text| !text.is_empty());
        (code, ApiResponse::new(ResponseFormat::UrlEncoded, code, message, item).to_body())
    })
}

/// Applies the line-ending, byte-order-mark and blank-line variations a server or
/// proxy may add to a text-format body.
fn reframe(body: &str, crlf: bool, bom: bool, leading_blank_lines: usize, trailing: &str) -> String {
    let mut framed = String::new();
    if bom {
        framed.push('\u{feff}');
    }
    framed.push_str(&"\n".repeat(leading_blank_lines));
    framed.push_str(body);
    framed.push_str(trailing);
    if crlf {
        framed = framed.replace('\n', "\r\n");
    }
    framed
}

proptest! {
    #[test]
    fn markup_around_api_body_is_foreign(
        (_code, body) in url_encoded_body(),
        before in "[a-z =\"/.?]{0,20}",
        after in "[a-z =\"/.]{0,20}",
    ) {
        // An HTML page from a proxy or load balancer that happens to contain the API's
        // key names, for example in a link, is not the API's response.
        let page = format!("<html><body><a href=\"{before}&{body}&{after}\">retry</a></body></html>");
        prop_assert!(matches!(ApiResponse::parse(&page), Err(ParseError::Foreign(_))), "{:?}", ApiResponse::parse(&page));
    }

    #[test]
    fn conflicting_error_codes_are_foreign(first in -100i32..100, second in -100i32..100, message in "[a-z]{0,10}") {
        prop_assume!(first != second);
        let body = format!("errorCode={first}&errorMessage={message}&errorCode={second}");
        prop_assert!(matches!(ApiResponse::parse(&body), Err(ParseError::Foreign(_))), "{body}");
    }

    #[test]
    fn framing_does_not_change_text_responses(
        code in -1000i32..1000,
        message in "[^\\r\\n\\u{feff}]{0,60}",
        crlf in any::<bool>(),
        bom in any::<bool>(),
        leading_blank_lines in 0usize..3,
        trailing in "[ \\t\\n]{0,4}",
    ) {
        let message = message.trim().to_owned();
        let message = Some(message.as_str()).filter(|text| !text.is_empty());
        let plain = ApiResponse::new(ResponseFormat::Text, code, message, None).to_body();
        let framed = reframe(&plain, crlf, bom, leading_blank_lines, &trailing);

        let parsed = ApiResponse::parse(&framed).unwrap();
        prop_assert_eq!(parsed.code(), code);
        prop_assert_eq!(parsed.message(), message);
    }

    #[test]
    fn framing_does_not_change_url_encoded_responses(
        (code, body) in url_encoded_body(),
        crlf in any::<bool>(),
        bom in any::<bool>(),
        trailing in "[ \\t\\n]{0,4}",
    ) {
        let framed = reframe(&body, crlf, bom, 0, &trailing);
        let parsed = ApiResponse::parse(&framed).unwrap();
        prop_assert_eq!(parsed.code(), code);
        prop_assert_eq!(parsed, ApiResponse::parse(&body).unwrap());
    }

    #[test]
    fn unknown_keys_kept_in_order(
        code in -100i32..100,
        extra in prop::collection::vec(("x[A-Za-z]{0,8}", "[^\\r\\n]{0,12}"), 0..5),
    ) {
        let mut pairs = vec![("errorCode".to_owned(), code.to_string())];
        pairs.extend(extra.iter().cloned());
        let body = serde_urlencoded::to_string(&pairs).unwrap();

        let parsed = ApiResponse::parse(&body).unwrap();
        prop_assert_eq!(parsed.code(), code);
        prop_assert_eq!(parsed.fields(), extra.as_slice());
    }

    #[test]
    fn foreign_excerpt_is_short_and_printable(body in prop::collection::vec(any::<u8>(), 0..2048)) {
        let text = String::from_utf8_lossy(&body);
        if let Err(ParseError::Foreign(start)) = ApiResponse::parse(&text) {
            prop_assert!(start.chars().count() <= 80, "{start:?}");
            prop_assert!(!start.chars().any(char::is_control), "{start:?}");
        }
    }
}

#[test]
fn html_page_with_error_code_link_is_foreign() {
    // Found by markup_around_api_body_is_foreign: the URL-encoded reader split the
    // page on '&' and read the link's `errorCode=0` as an accepted revocation.
    let page = "<html><body><a href=\"/retry?a=1&errorCode=0&b=2\">retry</a></body></html>";
    assert!(matches!(ApiResponse::parse(page), Err(ParseError::Foreign(_))), "{:?}", ApiResponse::parse(page));
}

#[test]
fn second_error_code_is_not_ignored() {
    // Found by conflicting_error_codes_are_foreign: the first errorCode won, so
    // `errorCode=0&errorCode=-16` read as accepted.
    for body in ["errorCode=0&errorCode=-16", "errorCode=-16&errorCode=0"] {
        assert!(matches!(ApiResponse::parse(body), Err(ParseError::Foreign(_))), "{body}");
    }
}

// --- certificate files -----------------------------------------------------------------

proptest! {
    #[test]
    fn certificate_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
        if let Err(error) = CertificateInfo::from_bytes(&bytes) {
            prop_assert_eq!(error.field(), Field::Certificate);
        }
    }

    #[test]
    fn pem_wrapped_bytes_never_panic(
        label in prop::sample::select(vec!["CERTIFICATE", "PRIVATE KEY", "X509 CRL", "CERTIFICATE REQUEST"]),
        bytes in prop::collection::vec(any::<u8>(), 0..600),
        copies in 1usize..3,
    ) {
        use std::fmt::Write;

        let encoded = base64_encode(&bytes);
        let mut pem = String::new();
        for _ in 0..copies {
            let _ = writeln!(pem, "-----BEGIN {label}-----\n{encoded}\n-----END {label}-----");
        }
        if let Err(error) = CertificateInfo::from_bytes(pem.as_bytes()) {
            prop_assert_eq!(error.field(), Field::Certificate);
        }
    }

    #[test]
    fn shipped_certificate_survives_truncation(cut in 0usize..2000) {
        let pem = include_bytes!("../examples/certs/top-bit.pem");
        let cut = cut.min(pem.len());
        match CertificateInfo::from_bytes(&pem[..cut]) {
            Ok(info) => prop_assert_eq!(info.serial_number().as_str(), "00E3A15C7D902B4F61880CD237A94E15F6"),
            Err(error) => prop_assert_eq!(error.field(), Field::Certificate),
        }
    }
}

/// Standard base64 with padding, wrapped at 64 characters as PEM files are.
fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut encoded = String::new();
    for chunk in bytes.chunks(3) {
        let value =
            chunk.iter().enumerate().fold(0u32, |value, (index, byte)| value | u32::from(*byte) << (16 - 8 * index));
        for index in 0..4 {
            if index <= chunk.len() {
                encoded.push(ALPHABET[(value >> (18 - 6 * index) & 63) as usize] as char);
            } else {
                encoded.push('=');
            }
        }
    }
    let lines: Vec<&str> = encoded.as_bytes().chunks(64).map(|line| std::str::from_utf8(line).unwrap()).collect();
    lines.join("\n")
}

// --- serial numbers and request validation ---------------------------------------------

proptest! {
    #[test]
    fn serial_normalisation_is_idempotent(text in "(serial=|0x|)[0-9A-Fa-f: ]{0,50}") {
        if let Ok(serial) = text.parse::<SerialNumber>() {
            let again: SerialNumber = serial.as_str().parse().unwrap();
            prop_assert_eq!(again, serial);
        }
    }

    #[test]
    fn serial_parse_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..80)) {
        let text = String::from_utf8_lossy(&bytes);
        if let Err(error) = text.parse::<SerialNumber>() {
            prop_assert_eq!(error.field(), Field::SerialNumber);
        }
    }

    #[test]
    fn forbidden_reason_codes_rejected(code in any::<i64>()) {
        match Reason::from_code(code) {
            Ok(reason) => prop_assert!([0, 1, 3, 4, 5].contains(&reason.code()), "{}", code),
            Err(error) => {
                prop_assert!(![0, 1, 3, 4, 5].contains(&code));
                prop_assert_eq!(error.field(), Field::Reason);
            }
        }
    }

    #[test]
    fn comment_limit_is_exact(length in 1000usize..1050, filler in "[^\\p{Cc}]") {
        let comment = filler.repeat(length);
        match Revocation::builder().order_number(1).comment(comment).build() {
            Ok(_) => prop_assert!(length <= 1024),
            Err(error) => {
                prop_assert!(length > 1024);
                prop_assert_eq!(error.field(), Field::Comment);
            }
        }
    }

    #[test]
    fn valid_requests_encode_losslessly(
        certificate_id in 1u64..=9_999_999_999_999_999,
        reason in prop::sample::select(vec![0i64, 1, 3, 4, 5]),
        comment in "[^\\p{Cc}]{1,60}",
        product_code in "[^\\p{Cc}]{1,50}",
        account_id in 1u64..,
        product in any::<u64>(),
        test_mode in any::<bool>(),
        include_in_crl in any::<bool>(),
    ) {
        let credentials = Credentials::new("api-user", "pw").unwrap();
        let client = sectigo_revoke::Client::builder(credentials)
            .proxy(sectigo_revoke::ProxySetting::None)
            .build()
            .unwrap();
        let revocation = Revocation::builder()
            .certificate_id(certificate_id)
            .reason(Reason::from_code(reason).unwrap())
            .comment(comment.clone())
            .product_code(product_code.clone())
            .account_id(account_id)
            .product(product)
            .test_mode(test_mode)
            .include_in_crl(include_in_crl)
            .build()
            .unwrap();

        let parameters = client.dry_run(&revocation).parameters();
        let value = |name: &str| parameters.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone());
        prop_assert_eq!(value("certificateID"), Some(certificate_id.to_string()));
        prop_assert_eq!(value("codeReason"), Some(reason.to_string()));
        prop_assert_eq!(value("revocationReason"), Some(comment));
        prop_assert_eq!(value("productCode"), Some(product_code));
        prop_assert_eq!(value("accountID"), Some(account_id.to_string()));
        prop_assert_eq!(value("product"), Some(product.to_string()));
        prop_assert_eq!(value("loginPassword"), Some("********".to_owned()));
        prop_assert_eq!(value("test"), test_mode.then(|| "Y".to_owned()));
        prop_assert_eq!(value("includeInCRL"), (!include_in_crl).then(|| "N".to_owned()));
    }
}

// --- batch input readers ---------------------------------------------------------------

/// Plans `content` as a dry run from a file named `name`, and returns every row the
/// plan holds, in line order, or the error that stopped the reading.
fn plan_file(name: &str, content: &[u8], format: InputFormat) -> Result<Vec<RowReport>, String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    let batch =
        Batch::dry_run(Input::file(&path).format(format), &PlanOptions::new()).map_err(|error| error.to_string())?;
    let mut rows = Vec::new();
    batch.for_each_row(|row| rows.push(row.clone())).unwrap();
    Ok(rows)
}

/// Checks what every plan must satisfy, whatever the input: lines increase and lie
/// within the file, and every planned row's identifier validates again as sent.
fn check_plan(rows: &[RowReport], content: &[u8]) -> Result<(), TestCaseError> {
    let physical_lines = content.iter().filter(|byte| **byte == b'\n').count() as u64 + 1;
    for pair in rows.windows(2) {
        prop_assert!(pair[0].line < pair[1].line, "lines out of order: {} then {}", pair[0].line, pair[1].line);
    }
    for row in rows {
        prop_assert!(row.line >= 1 && row.line <= physical_lines, "line {} of {physical_lines}", row.line);
        if row.status == RowStatus::Planned {
            let identifier = row.identifier.as_deref().unwrap_or_default();
            let (name, value) = identifier.split_once('=').unwrap_or_default();
            let parsed = match name {
                "orderNumber" => CertificateIdentifier::parse_order_number(value),
                "certificateID" => CertificateIdentifier::parse_certificate_id(value),
                "serialNumber" => CertificateIdentifier::parse_serial_number(value),
                other => panic!("planned row with identifier {other:?}"),
            };
            let parsed = parsed.map_err(|error| TestCaseError::fail(format!("{identifier}: {error}")))?;
            prop_assert_eq!(parsed.to_string(), identifier);
            prop_assert!(Revocation::builder().identifier(parsed).build().is_ok());
        }
    }
    Ok(())
}

/// Generates a CSV header of known columns, so that the rows get read.
fn csv_header() -> impl Strategy<Value = String> {
    prop::sample::subsequence(
        vec!["order_number", "certificate_id", "serial_number", "reason", "comment", "product"],
        1..=6,
    )
    .prop_map(|columns| columns.join(","))
}

/// One row of a generated file, and whether the batch must accept it.
#[derive(Clone, Debug)]
struct GeneratedRow {
    certificate_id: u64,
    comment: String,
    blank_lines_before: usize,
}

impl GeneratedRow {
    /// Returns true when the batch must plan the row. The readers trim every value,
    /// so a comment of only line breaks is absent, and one with a line break inside
    /// fails validation.
    fn is_valid(&self) -> bool {
        !self.comment.trim().chars().any(char::is_control)
    }
}

fn generated_rows() -> impl Strategy<Value = Vec<GeneratedRow>> {
    prop::collection::vec(("[a-z,\"\\n\\r ]{0,12}", 0usize..3), 1..12).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(index, (comment, blank_lines_before))| GeneratedRow {
                certificate_id: 7_000_001 + index as u64,
                comment,
                blank_lines_before,
            })
            .collect()
    })
}

/// Checks that the plan contains one row per generated row, on the line where it starts,
/// planned when valid and invalid in the comment column otherwise.
fn check_generated(rows: &[RowReport], generated: &[GeneratedRow], lines: &[u64]) -> Result<(), TestCaseError> {
    prop_assert_eq!(rows.len(), generated.len());
    for ((row, expected), line) in rows.iter().zip(generated).zip(lines) {
        prop_assert_eq!(row.line, *line, "row for certificate {}", expected.certificate_id);
        if expected.is_valid() {
            prop_assert_eq!(row.status, RowStatus::Planned, "{:?}", row);
            prop_assert_eq!(row.identifier.clone(), Some(format!("certificateID={}", expected.certificate_id)));
        } else {
            prop_assert_eq!(row.status, RowStatus::Invalid, "{:?}", row);
            prop_assert_eq!(row.column.as_deref(), Some("comment"));
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn csv_bytes_never_panic(header in csv_header(), body in prop::collection::vec(any::<u8>(), 0..1024)) {
        let mut content = format!("{header}\n").into_bytes();
        content.extend(body);
        if let Ok(rows) = plan_file("input.csv", &content, InputFormat::Csv) {
            check_plan(&rows, &content)?;
        }
    }

    #[test]
    fn csv_text_never_panics(body in "[0-9a-fA-F:,\"\\r\\n x=-]{0,400}") {
        let content = format!("serial_number,certificate_id,comment\n{body}").into_bytes();
        if let Ok(rows) = plan_file("input.csv", &content, InputFormat::Csv) {
            check_plan(&rows, &content)?;
        }
    }

    #[test]
    fn json_lines_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..1024)) {
        if let Ok(rows) = plan_file("input.jsonl", &body, InputFormat::JsonLines) {
            check_plan(&rows, &body)?;
        }
    }

    #[test]
    fn json_lines_objects_never_panic(
        objects in prop::collection::vec(
            prop::collection::vec((prop::sample::select(vec!["certificate_id", "serial_number", "order_number", "comment", "reason"]), "[0-9a-fA-F:x ]{0,20}"), 0..4),
            0..10,
        ),
    ) {
        let mut content = String::new();
        for pairs in objects {
            let object: serde_json::Map<String, serde_json::Value> =
                pairs.into_iter().map(|(key, value)| (key.to_owned(), serde_json::Value::String(value))).collect();
            content.push_str(&serde_json::to_string(&object).unwrap());
            content.push('\n');
        }
        if let Ok(rows) = plan_file("input.jsonl", content.as_bytes(), InputFormat::JsonLines) {
            check_plan(&rows, content.as_bytes())?;
        }
    }

    #[test]
    fn csv_line_numbers_are_right(rows in generated_rows(), crlf in any::<bool>(), bom in any::<bool>()) {
        let newline = if crlf { "\r\n" } else { "\n" };
        let mut content = String::new();
        if bom {
            content.push('\u{feff}');
        }
        content.push_str("certificate_id,comment");
        content.push_str(newline);
        let mut line = 2;
        let mut lines = Vec::new();
        for row in &rows {
            content.push_str(&newline.repeat(row.blank_lines_before));
            line += row.blank_lines_before as u64;
            lines.push(line);
            let quoted = format!("\"{}\"", row.comment.replace('"', "\"\""));
            content.push_str(&format!("{},{quoted}{newline}", row.certificate_id));
            line += 1 + quoted.matches('\n').count() as u64;
        }

        let planned = plan_file("input.csv", content.as_bytes(), InputFormat::Csv).map_err(TestCaseError::fail)?;
        check_generated(&planned, &rows, &lines)?;
        check_plan(&planned, content.as_bytes())?;
    }

    #[test]
    fn json_lines_line_numbers_are_right(rows in generated_rows(), crlf in any::<bool>(), bom in any::<bool>()) {
        let newline = if crlf { "\r\n" } else { "\n" };
        let mut content = String::new();
        if bom {
            content.push('\u{feff}');
        }
        let mut line = 1;
        let mut lines = Vec::new();
        for row in &rows {
            content.push_str(&newline.repeat(row.blank_lines_before));
            line += row.blank_lines_before as u64;
            lines.push(line);
            let object = serde_json::json!({"certificate_id": row.certificate_id, "comment": row.comment});
            content.push_str(&format!("{object}{newline}"));
            line += 1;
        }

        let planned =
            plan_file("input.jsonl", content.as_bytes(), InputFormat::JsonLines).map_err(TestCaseError::fail)?;
        check_generated(&planned, &rows, &lines)?;
        check_plan(&planned, content.as_bytes())?;
    }
}

#[test]
fn plan_file_reads_a_known_file() {
    // Guards the helpers above: a file with one valid and one invalid row.
    let rows = plan_file("known.csv", b"certificate_id,comment\n5,ok\n\n6,\"a\nb\"\n", InputFormat::Csv).unwrap();
    let lines: Vec<u64> = rows.iter().map(|row| row.line).collect();
    assert_eq!(lines, [2, 4]);
    assert_eq!(rows[0].status, RowStatus::Planned);
    assert_eq!(rows[1].status, RowStatus::Invalid);
    assert!(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/certs/top-bit.pem").exists());
}
