//! Reading the serial number, subject and issuer from a certificate file, so that a
//! user can revoke "this certificate" without copying its serial by hand.

use std::path::Path;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;

use crate::error::InvalidRequest;
use crate::field::Field;
use crate::serial::SerialNumber;

/// Largest certificate file read, in bytes. Real certificates are a few KiB.
pub const MAX_CERTIFICATE_FILE_BYTES: u64 = 1024 * 1024;

/// What a certificate file says about the certificate to be revoked.
///
/// ```
/// use sectigo_revoke::CertificateInfo;
///
/// let info = CertificateInfo::read_file(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/certs/top-bit.pem"))?;
/// assert_eq!(info.serial_number().as_str(), "00E3A15C7D902B4F61880CD237A94E15F6");
/// assert!(info.subject().contains("CN="));
/// # Ok::<(), sectigo_revoke::InvalidRequest>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateInfo {
    serial_number: SerialNumber,
    subject: String,
    issuer: String,
    not_after: String,
}

impl CertificateInfo {
    /// Reads a certificate from a PEM or DER file holding exactly one certificate.
    pub fn read_file(path: impl AsRef<Path>) -> Result<Self, InvalidRequest> {
        use std::io::Read;

        let path = path.as_ref();
        let unreadable = |error: std::io::Error| {
            InvalidRequest::new(Field::Certificate, format!("cannot read {}: {error}", path.display()))
        };
        let file = std::fs::File::open(path).map_err(unreadable)?;
        let mut bytes = Vec::new();
        file.take(MAX_CERTIFICATE_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(unreadable)?;
        if bytes.len() as u64 > MAX_CERTIFICATE_FILE_BYTES {
            return Err(InvalidRequest::new(
                Field::Certificate,
                format!(
                    "{} is larger than {MAX_CERTIFICATE_FILE_BYTES} bytes; give a single PEM or DER certificate",
                    path.display()
                ),
            ));
        }

        Self::from_bytes(&bytes).map_err(|error| {
            InvalidRequest::new(Field::Certificate, format!("{}: {}", path.display(), error.problem()))
        })
    }

    /// Parses one certificate in PEM or DER form.
    ///
    /// A PEM file with more than one certificate (a chain) is rejected: revoking the
    /// wrong one of them is the failure this check prevents.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, InvalidRequest> {
        let pem_blocks: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(bytes)
            .collect::<Result<_, _>>()
            .map_err(|error| InvalidRequest::new(Field::Certificate, format!("not a valid PEM file ({error})")))?;

        match pem_blocks.as_slice() {
            [] if looks_like_pem(bytes) => Err(InvalidRequest::new(
                Field::Certificate,
                "the PEM file holds no CERTIFICATE block; give the certificate, not a key or request",
            )),
            [] => Self::from_der(bytes),
            [single] => Self::from_der(single.as_ref()),
            several => Err(InvalidRequest::new(
                Field::Certificate,
                format!(
                    "the file holds {} certificates; give a file with only the certificate to revoke",
                    several.len()
                ),
            )),
        }
    }

    fn from_der(der: &[u8]) -> Result<Self, InvalidRequest> {
        let (rest, certificate) = x509_parser::parse_x509_certificate(der).map_err(|error| {
            InvalidRequest::new(Field::Certificate, format!("not an X.509 certificate in PEM or DER form ({error})"))
        })?;
        if !rest.is_empty() {
            return Err(InvalidRequest::new(Field::Certificate, "trailing bytes after the DER certificate"));
        }

        let serial_number = SerialNumber::from_der_bytes(certificate.raw_serial())?;
        Ok(CertificateInfo {
            serial_number,
            subject: certificate.subject().to_string(),
            issuer: certificate.issuer().to_string(),
            not_after: certificate.validity().not_after.to_string(),
        })
    }

    /// Returns the serial number exactly as the DER INTEGER holds it, including the
    /// `00` byte that DER adds when the top bit is set.
    pub fn serial_number(&self) -> &SerialNumber {
        &self.serial_number
    }

    /// Returns the subject, such as `CN=www.example.com, O=Example`.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// Returns the issuer, such as `CN=Sectigo RSA Domain Validation Secure Server CA`.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Returns the end of the validity period, as text.
    pub fn not_after(&self) -> &str {
        &self.not_after
    }
}

fn looks_like_pem(bytes: &[u8]) -> bool {
    bytes.windows(11).any(|window| window == b"-----BEGIN ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped(name: &str) -> String {
        format!("{}/examples/certs/{name}", env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn pem_and_der_give_same_serial() {
        let cases = [
            ("top-bit", "00E3A15C7D902B4F61880CD237A94E15F6"),
            ("leading-zero", "4D2C6E1F0A9B8C7D6E5F4031223344"),
            ("plain", "3C5A7E9102B4D6F8193A5C7E90B2D4F6"),
        ];
        for (name, serial) in cases {
            let pem = CertificateInfo::read_file(shipped(&format!("{name}.pem"))).unwrap();
            let der = CertificateInfo::read_file(shipped(&format!("{name}.der"))).unwrap();
            assert_eq!(pem.serial_number().as_str(), serial, "{name}");
            assert_eq!(pem, der, "{name}");
        }
    }

    #[test]
    fn subject_and_issuer_read() {
        let info = CertificateInfo::read_file(shipped("top-bit.pem")).unwrap();
        assert_eq!(info.subject(), "C=GB, O=Example Ltd, CN=www.example.com");
        assert_eq!(info.issuer(), "C=GB, O=sectigo-revoke test, CN=sectigo-revoke Test Issuing CA");
        assert!(!info.not_after().is_empty());
    }

    #[test]
    fn chain_rejected() {
        let mut chain = std::fs::read(shipped("top-bit.pem")).unwrap();
        chain.extend(std::fs::read(shipped("issuing-ca.pem")).unwrap());
        let error = CertificateInfo::from_bytes(&chain).unwrap_err();
        assert_eq!(error.field(), Field::Certificate);
        assert!(error.problem().starts_with("the file holds 2 certificates"), "{}", error.problem());
    }

    #[test]
    fn non_certificates_rejected() {
        let key = b"-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n";
        let error = CertificateInfo::from_bytes(key).unwrap_err();
        assert!(error.problem().contains("no CERTIFICATE block"), "{}", error.problem());
        let error = CertificateInfo::from_bytes(b"hello").unwrap_err();
        assert!(error.problem().starts_with("not an X.509 certificate"), "{}", error.problem());
        let error = CertificateInfo::read_file("/nonexistent/cert.pem").unwrap_err();
        assert!(error.problem().starts_with("cannot read /nonexistent/cert.pem"), "{}", error.problem());
    }

    #[test]
    fn truncated_der_rejected() {
        let der = std::fs::read(shipped("plain.der")).unwrap();
        let error = CertificateInfo::from_bytes(&der[..der.len() / 2]).unwrap_err();
        assert!(error.problem().starts_with("not an X.509 certificate"), "{}", error.problem());
    }
}
