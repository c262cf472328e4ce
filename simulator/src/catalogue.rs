//! The certificates in the simulator, and their states.

use std::path::Path;

use serde::{Deserialize, Serialize};

use sectigo_revoke::SerialNumber;

use crate::fault::Fault;

/// Largest catalogue file read, in bytes.
pub const MAX_CATALOGUE_BYTES: u64 = 64 * 1024 * 1024;

/// The state of a simulated certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateState {
    /// Issued and valid: a revocation gets 0 and revokes it.
    Issued,
    /// Ordered, not issued yet: a revocation gets 0 and rejects the order.
    Pending,
    /// Being issued right now: a revocation gets -26.
    Issuing,
    /// Marked replaced by an earlier call with `includeInCRL=N`; a call with
    /// `includeInCRL=Y` revokes it.
    Replaced,
    /// Revoked: a revocation gets -21.
    Revoked,
    /// Rejected: a revocation gets -20.
    Rejected,
    /// Expired: a revocation gets -35.
    Expired,
}

/// One simulated certificate. Any of the three identifiers finds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueEntry {
    /// The order the certificate belongs to.
    pub order_number: u64,
    /// Sectigo's certificate ID.
    pub certificate_id: u64,
    /// The serial number in hex; any spelling the client library accepts.
    pub serial_number: String,
    /// The current state.
    pub state: CertificateState,
    /// A fault applied to every request for this certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<Fault>,
}

/// The set of simulated certificates.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    /// The certificates.
    pub certificates: Vec<CatalogueEntry>,
    /// When true, an identifier not in the catalogue is taken as an issued certificate
    /// and added on first use, so that bulk tests need not list every certificate.
    #[serde(default)]
    pub accept_unknown: bool,
}

/// Which identifier a request used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Lookup {
    OrderNumber(u64),
    CertificateId(u64),
    SerialNumber(SerialNumber),
}

impl Catalogue {
    /// The built-in catalogue: one certificate in each state, and the certificates
    /// shipped in the repository's `examples/certs/` folder.
    pub fn builtin() -> Self {
        let entry = |order_number, certificate_id, serial_number: &str, state| CatalogueEntry {
            order_number,
            certificate_id,
            serial_number: serial_number.to_owned(),
            state,
            fault: None,
        };

        Catalogue {
            certificates: vec![
                entry(1000001, 2000001, "00D9B75B1C2E0F11223344556677889AA1", CertificateState::Issued),
                entry(1000002, 2000002, "4E1F9A2B3C4D5E6F708192A3B4C5D6E7", CertificateState::Issued),
                entry(1000003, 2000003, "0012AB34CD56EF7890123456789ABCDEF0", CertificateState::Pending),
                entry(1000004, 2000004, "7A11000000000000000000000000000004", CertificateState::Issuing),
                entry(1000005, 2000005, "5B22000000000000000000000000000005", CertificateState::Revoked),
                entry(1000006, 2000006, "6C33000000000000000000000000000006", CertificateState::Rejected),
                entry(1000007, 2000007, "7D44000000000000000000000000000007", CertificateState::Expired),
                entry(1000011, 2000011, crate::SHIPPED_SERIAL_TOP_BIT, CertificateState::Issued),
                entry(1000012, 2000012, crate::SHIPPED_SERIAL_LEADING_ZERO, CertificateState::Issued),
                entry(1000013, 2000013, crate::SHIPPED_SERIAL_PLAIN, CertificateState::Issued),
            ],
            accept_unknown: false,
        }
    }

    /// Reads a catalogue from a JSON file of the same shape as [`Catalogue`].
    pub fn from_json_file(path: &Path) -> Result<Self, String> {
        use std::io::Read;

        let file = std::fs::File::open(path).map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        let mut text = String::new();
        file.take(MAX_CATALOGUE_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        if text.len() as u64 > MAX_CATALOGUE_BYTES {
            return Err(format!("{} is larger than {MAX_CATALOGUE_BYTES} bytes", path.display()));
        }

        let catalogue: Catalogue = serde_json::from_str(&text)
            .map_err(|error| format!("{} is not a valid catalogue: {error}", path.display()))?;
        for entry in &catalogue.certificates {
            entry
                .serial_number
                .parse::<SerialNumber>()
                .map_err(|error| format!("{}: certificate {}: {error}", path.display(), entry.certificate_id))?;
        }
        Ok(catalogue)
    }

    pub(crate) fn find_mut(&mut self, lookup: &Lookup) -> Option<&mut CatalogueEntry> {
        self.certificates.iter_mut().find(|entry| matches(entry, lookup))
    }

    /// Adds an issued certificate for an identifier not in the catalogue.
    pub(crate) fn add_unknown(&mut self, lookup: &Lookup) -> &mut CatalogueEntry {
        let next = self.certificates.len() as u64 + 9_000_000;
        let entry = match lookup {
            Lookup::OrderNumber(number) => CatalogueEntry {
                order_number: *number,
                certificate_id: next,
                serial_number: format!("{next:X}"),
                state: CertificateState::Issued,
                fault: None,
            },
            Lookup::CertificateId(id) => CatalogueEntry {
                order_number: next,
                certificate_id: *id,
                serial_number: format!("{next:X}"),
                state: CertificateState::Issued,
                fault: None,
            },
            Lookup::SerialNumber(serial) => CatalogueEntry {
                order_number: next,
                certificate_id: next,
                serial_number: serial.as_str().to_owned(),
                state: CertificateState::Issued,
                fault: None,
            },
        };
        self.certificates.push(entry);
        self.certificates.last_mut().expect("an entry was just pushed")
    }
}

/// Matches serials with or without leading `00` bytes.
///
/// NOTE: whether Sectigo matches the serial with the DER sign byte, without it or
/// both is unconfirmed; the simulator accepts both spellings.
fn matches(entry: &CatalogueEntry, lookup: &Lookup) -> bool {
    match lookup {
        Lookup::OrderNumber(number) => entry.order_number == *number,
        Lookup::CertificateId(id) => entry.certificate_id == *id,
        Lookup::SerialNumber(serial) => entry
            .serial_number
            .parse::<SerialNumber>()
            .is_ok_and(|own| own.without_leading_zero_bytes() == serial.without_leading_zero_bytes()),
    }
}
