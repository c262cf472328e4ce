//! The request handle: the parameters of one revocation, stored by setters and
//! validated by the core when the request is sent or rendered.

use std::ffi::c_char;

use super::boundary::{guard, guard_or};
use super::result::sectigo_revoke_result;
use crate::error::InvalidRequest;
use crate::reason::Reason;
use crate::request::{ResponseFormat, Revocation, RevocationBuilder};

/// `codeReason` 0: no reason given. The default.
pub const SECTIGO_REVOKE_REASON_UNSPECIFIED: i32 = 0;
/// `codeReason` 1: the private key is compromised or suspected to be. Under Mozilla's
/// root store policy (2.9 and later) reserved for cases with evidence of compromise.
#[allow(dead_code)] // Used by C callers, through the header.
pub const SECTIGO_REVOKE_REASON_KEY_COMPROMISE: i32 = 1;
/// `codeReason` 3: the subject's name or other information changed.
#[allow(dead_code)] // Used by C callers, through the header.
pub const SECTIGO_REVOKE_REASON_AFFILIATION_CHANGED: i32 = 3;
/// `codeReason` 4: the certificate was replaced by a new one.
#[allow(dead_code)] // Used by C callers, through the header.
pub const SECTIGO_REVOKE_REASON_SUPERSEDED: i32 = 4;
/// `codeReason` 5: the certificate is no longer needed.
#[allow(dead_code)] // Used by C callers, through the header.
pub const SECTIGO_REVOKE_REASON_CESSATION_OF_OPERATION: i32 = 5;

/// `responseFormat` 0: the server responds with the code on line 1 and the message on
/// line 2.
#[allow(dead_code)] // Used by C callers, through the header.
pub const SECTIGO_REVOKE_RESPONSE_FORMAT_TEXT: i32 = 0;
/// `responseFormat` 1: the server responds with `errorCode=...&errorMessage=...&errorItem=...`.
/// The default, because only this format names the rejected parameter.
pub const SECTIGO_REVOKE_RESPONSE_FORMAT_URL_ENCODED: i32 = 1;

/// The parameters of one revocation, without the credentials.
///
/// Exactly one certificate identifier must be set: an order number, a certificate ID or
/// a serial number. Setting one kind twice keeps the last value. Setting two different
/// kinds makes sending fail with `SECTIGO_REVOKE_RESULT_INVALID_REQUEST`, because which
/// one Sectigo would use is undocumented.
///
/// The setters store values. The limits (lengths, allowed codes, hex digits) are checked
/// when the request is sent or rendered, so the outcome of that call names the field at
/// fault.
///
/// Thread safety: setters need exclusive access. `sectigo_revoke_client_revoke` and
/// `sectigo_revoke_client_dry_run` only read the request, so several threads may send
/// the same request at once while nobody changes it.
pub struct sectigo_revoke_request {
    builder: RevocationBuilder,
    reason_code: i32,
    response_format: i32,
}

impl sectigo_revoke_request {
    /// Validates every parameter through the core and returns the revocation.
    pub(crate) fn to_revocation(&self) -> Result<Revocation, InvalidRequest> {
        let reason = Reason::from_code(i64::from(self.reason_code))?;
        let response_format = ResponseFormat::from_code(i64::from(self.response_format))?;
        self.builder.clone().reason(reason).response_format(response_format).build()
    }

    fn update(&mut self, change: impl FnOnce(RevocationBuilder) -> RevocationBuilder) {
        let builder = std::mem::take(&mut self.builder);
        self.builder = change(builder);
    }
}

impl sectigo_revoke_request {
    /// Creates an empty request: no identifier, reason code 0 (unspecified), no
    /// comment, not a test, included in the CRL, URL-encoded response format.
    ///
    /// Ownership: on success `*request_out` receives a new request that the caller owns
    /// and must release with `sectigo_revoke_request_free`.
    ///
    /// Thread safety: may be called from any thread.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_request_new(
        request_out: *mut *mut sectigo_revoke_request,
    ) -> sectigo_revoke_result {
        guard(|| {
            let out = try_out!(request_out);
            let request = sectigo_revoke_request {
                builder: Revocation::builder(),
                reason_code: SECTIGO_REVOKE_REASON_UNSPECIFIED,
                response_format: SECTIGO_REVOKE_RESPONSE_FORMAT_URL_ENCODED,
            };
            out.write(Box::into_raw(Box::new(request)));
            sectigo_revoke_result::Ok
        })
    }

    /// Frees a request. Does nothing when `request` is NULL.
    ///
    /// `request` must come from `sectigo_revoke_request_new` and must not be used
    /// afterwards.
    ///
    /// Thread safety: no other thread may use the handle during or after this call.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_request_free(request: *mut sectigo_revoke_request) {
        guard_or((), || {
            if !request.is_null() {
                // SAFETY: the header requires a pointer from sectigo_revoke_request_new
                // that is freed only once.
                drop(unsafe { Box::from_raw(request) });
            }
        })
    }

    /// Sets `orderNumber`, the order whose current certificate is revoked.
    ///
    /// After a reissue the order's current certificate is the replacement, not the
    /// original: set a serial number or certificate ID to revoke one specific
    /// certificate. 0 is rejected when the request is sent.
    ///
    /// Thread safety: needs exclusive access to `request`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_request_set_order_number(
        request: *mut sectigo_revoke_request,
        order_number: u64,
    ) -> sectigo_revoke_result {
        guard(|| {
            let request = try_mut!(request);
            request.update(|builder| builder.order_number(order_number));
            sectigo_revoke_result::Ok
        })
    }

    /// Sets `certificateID`, Sectigo's ID of the certificate: at most 16 digits, not 0.
    ///
    /// Thread safety: needs exclusive access to `request`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_request_set_certificate_id(
        request: *mut sectigo_revoke_request,
        certificate_id: u64,
    ) -> sectigo_revoke_result {
        guard(|| {
            let request = try_mut!(request);
            request.update(|builder| builder.certificate_id(certificate_id));
            sectigo_revoke_result::Ok
        })
    }

    /// Sets `serialNumber` from text: at most 34 hex digits, in any of the spellings
    /// people paste (`00:d9:b7:...`, `serial=00D9B7...`, `0x...`, spaces, either case).
    /// Leading zeros are kept.
    ///
    /// Ownership: the text is copied, and the caller keeps ownership of `serial_number`.
    ///
    /// Thread safety: needs exclusive access to `request`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_request_set_serial_number(
        request: *mut sectigo_revoke_request,
        serial_number: *const c_char,
    ) -> sectigo_revoke_result {
        guard(|| {
            let request = try_mut!(request);
            let serial_number = try_str!(serial_number);
            request.update(|builder| builder.serial_number(serial_number));
            sectigo_revoke_result::Ok
        })
    }

    /// Sets `codeReason`, one of the `SECTIGO_REVOKE_REASON_*` codes (0, 1, 3, 4, 5).
    ///
    /// The other RFC 5280 codes (2, 6, 8, 9, 10) may not be requested by a subscriber:
    /// they are rejected when the request is sent, never changed to 0.
    ///
    /// Thread safety: needs exclusive access to `request`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_request_set_reason_code(
        request: *mut sectigo_revoke_request,
        reason_code: i32,
    ) -> sectigo_revoke_result {
        guard(|| {
            let request = try_mut!(request);
            request.reason_code = reason_code;
            sectigo_revoke_result::Ok
        })
    }

    /// Sets `revocationReason`, a free-text comment of at most 1024 characters without
    /// control characters. Sectigo stores it for the customer's reference and takes no
    /// action on it. An empty comment is not sent.
    ///
    /// Ownership: the text is copied, and the caller keeps ownership of `comment`.
    ///
    /// Thread safety: needs exclusive access to `request`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_request_set_comment(
        request: *mut sectigo_revoke_request,
        comment: *const c_char,
    ) -> sectigo_revoke_result {
        guard(|| {
            let request = try_mut!(request);
            let comment = try_str!(comment);
            request.update(|builder| builder.comment(comment));
            sectigo_revoke_result::Ok
        })
    }

    /// Sets `accountID`, the reseller account the certificate belongs to. The login is
    /// then the reseller's. 0 is rejected when the request is sent.
    ///
    /// Thread safety: needs exclusive access to `request`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_request_set_account_id(
        request: *mut sectigo_revoke_request,
        account_id: u64,
    ) -> sectigo_revoke_result {
        guard(|| {
            let request = try_mut!(request);
            request.update(|builder| builder.account_id(account_id));
            sectigo_revoke_result::Ok
        })
    }

    /// Sets `productCode`, at most 50 characters, not empty.
    ///
    /// Ownership: the text is copied, and the caller keeps ownership of `product_code`.
    ///
    /// Thread safety: needs exclusive access to `request`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_request_set_product_code(
        request: *mut sectigo_revoke_request,
        product_code: *const c_char,
    ) -> sectigo_revoke_result {
        guard(|| {
            let request = try_mut!(request);
            let product_code = try_str!(product_code);
            request.update(|builder| builder.product_code(product_code));
            sectigo_revoke_result::Ok
        })
    }

    /// Sets `product`, the numeric product of the certificate.
    ///
    /// Thread safety: needs exclusive access to `request`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_request_set_product(
        request: *mut sectigo_revoke_request,
        product: u64,
    ) -> sectigo_revoke_result {
        guard(|| {
            let request = try_mut!(request);
            request.update(|builder| builder.product(product));
            sectigo_revoke_result::Ok
        })
    }

    /// Sends `test=Y` when `test_mode` is true: Sectigo validates the request and
    /// revokes nothing. Defaults to false, in which case `test` is not sent.
    ///
    /// Thread safety: needs exclusive access to `request`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_request_set_test_mode(
        request: *mut sectigo_revoke_request,
        test_mode: bool,
    ) -> sectigo_revoke_result {
        guard(|| {
            let request = try_mut!(request);
            request.update(|builder| builder.test_mode(test_mode));
            sectigo_revoke_result::Ok
        })
    }

    /// Sends `includeInCRL=N` when `include_in_crl` is false, which marks an issued
    /// certificate as replaced instead of revoking it. A later request with true revokes
    /// it. Defaults to true, in which case `includeInCRL` is not sent.
    ///
    /// Thread safety: needs exclusive access to `request`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_request_set_include_in_crl(
        request: *mut sectigo_revoke_request,
        include_in_crl: bool,
    ) -> sectigo_revoke_result {
        guard(|| {
            let request = try_mut!(request);
            request.update(|builder| builder.include_in_crl(include_in_crl));
            sectigo_revoke_result::Ok
        })
    }

    /// Sets `responseFormat` to `SECTIGO_REVOKE_RESPONSE_FORMAT_TEXT` (0) or
    /// `SECTIGO_REVOKE_RESPONSE_FORMAT_URL_ENCODED` (1, the default). Other values are
    /// rejected when the request is sent.
    ///
    /// Thread safety: needs exclusive access to `request`.
    #[no_mangle]
    pub extern "C" fn sectigo_revoke_request_set_response_format(
        request: *mut sectigo_revoke_request,
        response_format: i32,
    ) -> sectigo_revoke_result {
        guard(|| {
            let request = try_mut!(request);
            request.response_format = response_format;
            sectigo_revoke_result::Ok
        })
    }
}
