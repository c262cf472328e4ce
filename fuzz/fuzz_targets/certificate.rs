//! Certificate files in PEM or DER form: reading never panics, and every error names
//! the certificate file.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sectigo_revoke::{CertificateInfo, Field};

fuzz_target!(|data: &[u8]| {
    if let Err(error) = CertificateInfo::from_bytes(data) {
        assert_eq!(error.field(), Field::Certificate);
    }
});
