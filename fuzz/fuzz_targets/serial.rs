//! Serial numbers as users paste them: parsing never panics, and a parsed serial is
//! upper-case hex of at most 34 digits that parses to itself.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sectigo_revoke::{SerialNumber, MAX_SERIAL_DIGITS};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(serial) = text.parse::<SerialNumber>() {
        let digits = serial.as_str();
        assert!(digits.len() <= MAX_SERIAL_DIGITS);
        assert!(digits.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)));
        assert_eq!(digits.parse::<SerialNumber>().expect("normalised digits parse"), serial);
    }
});
