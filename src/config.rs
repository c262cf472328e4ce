//! Client settings that shape the connection: trust roots and proxy.

use std::path::PathBuf;

use ureq::tls::{Certificate, PemItem, RootCerts};

use crate::error::InvalidRequest;
use crate::field::Field;

/// Largest CA bundle file read, in bytes. Real bundles (Mozilla's has about 150
/// roots) are well under 1 MiB.
pub const MAX_CA_BUNDLE_BYTES: u64 = 4 * 1024 * 1024;

/// Which certificate authorities the client trusts for the endpoint's TLS certificate.
///
/// Every choice verifies the certificate and the host name; no setting turns
/// verification off.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum RootStore {
    /// Mozilla's root program, compiled in (the `webpki-roots` crate). The default.
    #[default]
    Mozilla,
    /// The operating system's trust store, read once when the client is built.
    System,
    /// Only the certificates in a PEM file, for a private CA, a TLS-inspecting proxy or
    /// a test server.
    CaBundle(PathBuf),
    /// Only the certificates in PEM text held in memory.
    CaBundlePem(Vec<u8>),
}

impl RootStore {
    pub(crate) fn to_root_certs(&self) -> Result<RootCerts, InvalidRequest> {
        match self {
            RootStore::Mozilla => Ok(RootCerts::WebPki),
            RootStore::System => system_roots(),
            RootStore::CaBundle(path) => {
                let pem = read_bounded(path)?;
                pem_roots(&pem, &path.display().to_string())
            }
            RootStore::CaBundlePem(pem) => pem_roots(pem, "the PEM text"),
        }
    }
}

fn read_bounded(path: &std::path::Path) -> Result<Vec<u8>, InvalidRequest> {
    use std::io::Read;

    let unreadable = |error: std::io::Error| {
        InvalidRequest::new(
            Field::CaBundle,
            format!("cannot read {}: {error}; give the path of a PEM file", path.display()),
        )
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut pem = Vec::new();
    file.take(MAX_CA_BUNDLE_BYTES + 1).read_to_end(&mut pem).map_err(unreadable)?;
    if pem.len() as u64 > MAX_CA_BUNDLE_BYTES {
        return Err(InvalidRequest::new(
            Field::CaBundle,
            format!(
                "{} is larger than {MAX_CA_BUNDLE_BYTES} bytes; give a PEM file of CA certificates",
                path.display()
            ),
        ));
    }
    Ok(pem)
}

fn pem_roots(pem: &[u8], source: &str) -> Result<RootCerts, InvalidRequest> {
    let mut certificates = Vec::new();
    for item in ureq::tls::parse_pem(pem) {
        match item {
            Ok(PemItem::Certificate(certificate)) => certificates.push(certificate),
            Ok(_) => {}
            Err(error) => {
                return Err(InvalidRequest::new(Field::CaBundle, format!("{source} is not valid PEM ({error})")));
            }
        }
    }

    if certificates.is_empty() {
        return Err(InvalidRequest::new(
            Field::CaBundle,
            format!("{source} contains no certificate; give a PEM file with -----BEGIN CERTIFICATE----- blocks"),
        ));
    }
    Ok(RootCerts::new_with_certs(&certificates))
}

fn system_roots() -> Result<RootCerts, InvalidRequest> {
    let loaded = rustls_native_certs::load_native_certs();
    for error in &loaded.errors {
        log::warn!("skipped part of the system trust store: {error}");
    }

    let certificates: Vec<Certificate<'static>> =
        loaded.certs.iter().map(|der| Certificate::from_der(der.as_ref()).to_owned()).collect();
    if certificates.is_empty() {
        return Err(InvalidRequest::new(
            Field::CaBundle,
            "the system trust store has no certificates; install the CA certificates package or give a CA bundle",
        ));
    }
    Ok(RootCerts::new_with_certs(&certificates))
}

/// Which proxy the client connects through.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProxySetting {
    /// The proxy named by `ALL_PROXY`, `HTTPS_PROXY` or `HTTP_PROXY` (either case),
    /// honouring `NO_PROXY`; a direct connection when none is set. The default.
    #[default]
    Environment,
    /// A direct connection, whatever the environment says.
    None,
    /// The proxy at this URL, such as `http://proxy.example:3128` or
    /// `socks5://127.0.0.1:1080`.
    Url(String),
}

impl ProxySetting {
    pub(crate) fn to_proxy(&self) -> Result<Option<ureq::Proxy>, InvalidRequest> {
        match self {
            ProxySetting::Environment => Ok(ureq::Proxy::try_from_env()),
            ProxySetting::None => Ok(None),
            ProxySetting::Url(url) => ureq::Proxy::new(url).map(Some).map_err(|_| {
                InvalidRequest::new(
                    Field::Proxy,
                    "not a valid proxy URL; use the form http://host:port or socks5://host:port",
                )
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_without_certificates_rejected() {
        let error = RootStore::CaBundlePem(b"just text".to_vec()).to_root_certs().unwrap_err();
        assert_eq!(error.field(), Field::CaBundle);
        assert!(error.problem().contains("contains no certificate"), "{}", error.problem());
    }

    #[test]
    fn missing_bundle_file_named() {
        let error = RootStore::CaBundle("/nonexistent/ca.pem".into()).to_root_certs().unwrap_err();
        assert!(error.problem().starts_with("cannot read /nonexistent/ca.pem"), "{}", error.problem());
    }

    #[test]
    fn invalid_proxy_url_rejected_without_echo() {
        let error = ProxySetting::Url("http://user:secret@".into()).to_proxy().unwrap_err();
        assert_eq!(error.field(), Field::Proxy);
        assert!(!error.to_string().contains("secret"));
    }
}
