//! The simulator's generated certificate authority and server certificate.

use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// Which server certificate the simulator presents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerCertificate {
    /// Valid now, for `localhost`, `127.0.0.1` and `::1`, signed by the generated CA.
    #[default]
    Valid,
    /// Signed by the generated CA for the right names, but expired in 2021.
    Expired,
    /// Signed by the generated CA, valid, but only for `wrong-host.invalid`.
    WrongHost,
}

/// A generated CA and the server identity it signed.
pub(crate) struct Identity {
    pub(crate) ca_pem: String,
    pub(crate) server_config: Arc<rustls::ServerConfig>,
}

impl Identity {
    pub(crate) fn generate(kind: ServerCertificate) -> Result<Self, String> {
        let failed = |error: rcgen::Error| format!("cannot generate the simulator's certificates: {error}");

        let ca_key = KeyPair::generate().map_err(failed)?;
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(failed)?;
        ca_params.distinguished_name.push(DnType::CommonName, "sectigo-revoke simulator CA");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_certificate = ca_params.self_signed(&ca_key).map_err(failed)?;
        let issuer = Issuer::new(ca_params, ca_key);

        let names: Vec<String> = match kind {
            ServerCertificate::WrongHost => vec!["wrong-host.invalid".into()],
            _ => vec!["localhost".into(), "127.0.0.1".into(), "::1".into()],
        };
        let server_key = KeyPair::generate().map_err(failed)?;
        let mut server_params = CertificateParams::new(names).map_err(failed)?;
        server_params.distinguished_name.push(DnType::CommonName, "sectigo-revoke simulator");
        if kind == ServerCertificate::Expired {
            server_params.not_before = rcgen::date_time_ymd(2020, 1, 1);
            server_params.not_after = rcgen::date_time_ymd(2021, 1, 1);
        }
        let server_certificate = server_params.signed_by(&server_key, &issuer).map_err(failed)?;

        let chain: Vec<CertificateDer<'static>> = vec![server_certificate.der().clone()];
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let server_config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|error| format!("cannot configure TLS: {error}"))?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|error| format!("cannot configure TLS: {error}"))?;

        Ok(Identity { ca_pem: ca_certificate.pem(), server_config: Arc::new(server_config) })
    }
}
