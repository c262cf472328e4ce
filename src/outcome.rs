//! What a revocation call returns when the certificate ends in a final state, and the
//! rules that turn an HTTP response into that outcome or an error.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::{ApiError, Error, UnknownCause};
use crate::request::CertificateIdentifier;
use crate::response::{ApiResponse, ParseError};

/// API code: the certificate request was already rejected.
pub const CODE_ALREADY_REJECTED: i32 = -20;
/// API code: the certificate has already been revoked.
pub const CODE_ALREADY_REVOKED: i32 = -21;
/// API code: the certificate has expired and cannot be revoked.
pub const CODE_EXPIRED: i32 = -35;
/// API code: call limit reached.
pub const CODE_CALL_LIMIT: i32 = -42;

/// How a revocation ended, when it ended with the certificate no longer usable.
///
/// ```
/// use sectigo_revoke::OutcomeKind;
///
/// assert_eq!(OutcomeKind::AlreadyRevoked.code(), -21);
/// assert!(OutcomeKind::Expired.is_already_final());
/// assert!(!OutcomeKind::Accepted.is_already_final());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OutcomeKind {
    /// Code 0: Sectigo accepted the revocation (or, for an order not yet issued,
    /// rejected the order; the response does not say which).
    Accepted,
    /// Code -21: the certificate was already revoked.
    AlreadyRevoked,
    /// Code -20: the certificate request was already rejected.
    AlreadyRejected,
    /// Code -35: the certificate has expired and cannot be revoked.
    Expired,
}

impl OutcomeKind {
    /// Returns the API code of this outcome.
    pub fn code(self) -> i32 {
        match self {
            OutcomeKind::Accepted => 0,
            OutcomeKind::AlreadyRevoked => CODE_ALREADY_REVOKED,
            OutcomeKind::AlreadyRejected => CODE_ALREADY_REJECTED,
            OutcomeKind::Expired => CODE_EXPIRED,
        }
    }

    /// Returns true for the three outcomes where the certificate was already in a final
    /// state before this call.
    pub fn is_already_final(self) -> bool {
        self != OutcomeKind::Accepted
    }

    fn from_code(code: i32) -> Option<Self> {
        match code {
            0 => Some(OutcomeKind::Accepted),
            CODE_ALREADY_REVOKED => Some(OutcomeKind::AlreadyRevoked),
            CODE_ALREADY_REJECTED => Some(OutcomeKind::AlreadyRejected),
            CODE_EXPIRED => Some(OutcomeKind::Expired),
            _ => None,
        }
    }

    /// Returns a short lowercase description.
    pub fn description(self) -> &'static str {
        match self {
            OutcomeKind::Accepted => "revocation accepted",
            OutcomeKind::AlreadyRevoked => "already revoked",
            OutcomeKind::AlreadyRejected => "request already rejected",
            OutcomeKind::Expired => "certificate expired, cannot be revoked",
        }
    }
}

impl fmt::Display for OutcomeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// The result of a revocation that left the certificate no longer usable.
///
/// "Accepted" means the API took the request. Sectigo's CPS promises OCSP within one
/// hour and CRLs within 24 hours, so the certificate may still show as valid for a while.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    kind: OutcomeKind,
    identifier: CertificateIdentifier,
    response: ApiResponse,
    http_status: u16,
    test_mode: bool,
    include_in_crl: bool,
    attempts: u32,
}

impl Outcome {
    pub(crate) fn new(
        kind: OutcomeKind,
        identifier: CertificateIdentifier,
        response: ApiResponse,
        http_status: u16,
        test_mode: bool,
    ) -> Self {
        Outcome { kind, identifier, response, http_status, test_mode, include_in_crl: true, attempts: 1 }
    }

    pub(crate) fn with_include_in_crl(mut self, include_in_crl: bool) -> Self {
        self.include_in_crl = include_in_crl;
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// Returns how the revocation ended.
    pub fn kind(&self) -> OutcomeKind {
        self.kind
    }

    /// Returns the certificate identifier the request carried.
    pub fn identifier(&self) -> &CertificateIdentifier {
        &self.identifier
    }

    /// Returns the API code: 0, -20, -21 or -35.
    pub fn code(&self) -> i32 {
        self.response.code()
    }

    /// Returns the server's message, when it sent one.
    pub fn message(&self) -> Option<&str> {
        self.response.message()
    }

    /// Returns the whole parsed response, unknown keys included.
    pub fn response(&self) -> &ApiResponse {
        &self.response
    }

    /// Returns the HTTP status of the response.
    pub fn http_status(&self) -> u16 {
        self.http_status
    }

    /// Returns true when the request was sent with `test=Y`, so nothing was revoked.
    pub fn test_mode(&self) -> bool {
        self.test_mode
    }

    /// Returns false when the request carried `includeInCRL=N`: an accepted request then
    /// marked an issued certificate replaced, and did not revoke it.
    pub fn include_in_crl(&self) -> bool {
        self.include_in_crl
    }

    /// Returns how many requests the call sent, counting retries.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.identifier, self.kind)?;
        if !self.include_in_crl && self.kind == OutcomeKind::Accepted {
            write!(f, " (includeInCRL=N: marked replaced, not revoked)")?;
        }
        if self.test_mode {
            write!(f, " (test mode, nothing was revoked)")?;
        }
        Ok(())
    }
}

/// The parts of an HTTP response that decide the result, read from the wire.
pub(crate) struct HttpAnswer<'a> {
    pub(crate) status: u16,
    pub(crate) retry_after: Option<&'a str>,
    pub(crate) body: &'a [u8],
}

/// Turns an HTTP response into an outcome or an error.
///
/// The body decides, not the status: the API sends its errors with HTTP 200. A body in
/// the API's format is trusted whatever the status. Without one, HTTP 429 means rate
/// limited, and anything else means the request went out but its result is unknown.
pub(crate) fn interpret(
    answer: &HttpAnswer<'_>,
    identifier: &CertificateIdentifier,
    test_mode: bool,
) -> Result<Outcome, Error> {
    let retry_after = answer.retry_after.and_then(|value| parse_retry_after(value, SystemTime::now()));
    let text = String::from_utf8_lossy(answer.body);

    let response = match ApiResponse::parse(&text) {
        Ok(response) => response,
        Err(_) if answer.status == 429 => {
            return Err(Error::RateLimited { api_code: None, http_status: answer.status, retry_after });
        }
        Err(ParseError::Empty) => {
            return Err(Error::OutcomeUnknown { cause: UnknownCause::EmptyBody, http_status: Some(answer.status) });
        }
        Err(ParseError::Foreign(start)) => {
            return Err(Error::OutcomeUnknown {
                cause: UnknownCause::ForeignBody(start),
                http_status: Some(answer.status),
            });
        }
    };

    if let Some(kind) = OutcomeKind::from_code(response.code()) {
        return Ok(Outcome::new(kind, identifier.clone(), response, answer.status, test_mode));
    }
    if response.code() == CODE_CALL_LIMIT {
        return Err(Error::RateLimited { api_code: Some(response.code()), http_status: answer.status, retry_after });
    }
    Err(Error::Api(ApiError::new(response, answer.status)))
}

/// Parses `Retry-After`: delay seconds, or an HTTP date (IMF-fixdate, as RFC 9110
/// requires senders to use) turned into the time left from `now`.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse().ok().map(Duration::from_secs);
    }

    let at = parse_imf_fixdate(value)?;
    let now_seconds = now.duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(at.saturating_sub(now_seconds)))
}

/// Parses `Sun, 06 Nov 1994 08:49:37 GMT` into seconds since the Unix epoch.
fn parse_imf_fixdate(value: &str) -> Option<u64> {
    let parts: Vec<&str> = value.split_whitespace().collect();
    let [_weekday, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };

    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = MONTHS.iter().position(|name| name == month)? as u64 + 1;
    // RFC 9110 fixes the width of every number (day 2, year 4, clock 2:2:2 digits),
    // which also bounds the arithmetic below: a longer year would overflow it. A
    // one-digit day is accepted too, as senders of the older date formats write it.
    let day = fixed_width_number(day, 2).or_else(|| fixed_width_number(day, 1))?;
    let year = fixed_width_number(year, 4)?;
    let clock: Vec<u64> = time.split(':').map(|part| fixed_width_number(part, 2)).collect::<Option<_>>()?;
    let [hour, minute, second] = clock.as_slice() else {
        return None;
    };
    if !(1..=31).contains(&day) || year < 1970 || *hour > 23 || *minute > 59 || *second > 60 {
        return None;
    }

    Some(days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second)
}

/// Parses a number of exactly `width` ASCII digits.
fn fixed_width_number(text: &str, width: usize) -> Option<u64> {
    let digits = text.len() == width && text.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| text.parse().ok()).flatten()
}

/// Days from 1970-01-01 to a date in the proleptic Gregorian calendar (years from 1970).
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year / 400;
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiErrorKind;

    fn answer(status: u16, body: &str) -> Result<Outcome, Error> {
        let identifier = CertificateIdentifier::OrderNumber(1);
        interpret(&HttpAnswer { status, retry_after: None, body: body.as_bytes() }, &identifier, false)
    }

    #[test]
    fn final_states_are_outcomes() {
        assert_eq!(answer(200, "0").unwrap().kind(), OutcomeKind::Accepted);
        assert_eq!(answer(200, "-20\nrejected").unwrap().kind(), OutcomeKind::AlreadyRejected);
        assert_eq!(answer(200, "errorCode=-21&errorMessage=x").unwrap().kind(), OutcomeKind::AlreadyRevoked);
        assert_eq!(answer(200, "-35\nexpired").unwrap().kind(), OutcomeKind::Expired);
        assert!(answer(200, "-21").unwrap().kind().is_already_final());
    }

    #[test]
    fn api_errors_keep_code_and_kind() {
        let Err(Error::Api(error)) = answer(200, "errorCode=-16&errorMessage=bad+login") else { panic!() };
        assert_eq!(error.kind(), ApiErrorKind::Authentication);
        assert_eq!(error.code(), -16);
        assert_eq!(error.message(), Some("bad login"));

        let Err(Error::Api(error)) = answer(200, "7") else { panic!() };
        assert_eq!(error.kind(), ApiErrorKind::Unexpected);
        assert_eq!(error.code(), 7);

        let Err(Error::Api(error)) = answer(200, "-160\nupstream CA says no") else { panic!() };
        assert_eq!(error.kind(), ApiErrorKind::Other);
    }

    #[test]
    fn call_limit_is_rate_limited() {
        let error = answer(200, "-42\ncall limit reached").unwrap_err();
        assert!(matches!(error, Error::RateLimited { api_code: Some(-42), http_status: 200, retry_after: None }));
        assert!(error.is_safe_to_retry());
    }

    #[test]
    fn status_429_without_api_body_is_rate_limited() {
        let identifier = CertificateIdentifier::OrderNumber(1);
        let http = HttpAnswer { status: 429, retry_after: Some("7"), body: b"<html>slow down</html>" };
        let error = interpret(&http, &identifier, false).unwrap_err();
        assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
        assert_eq!(error.http_status(), Some(429));
    }

    #[test]
    fn api_body_wins_over_status() {
        assert_eq!(answer(500, "0").unwrap().kind(), OutcomeKind::Accepted);
        assert_eq!(answer(403, "-16\nlogin").unwrap_err().api_code(), Some(-16));
    }

    #[test]
    fn unparseable_bodies_are_unknown() {
        let error = answer(200, "").unwrap_err();
        assert!(matches!(error, Error::OutcomeUnknown { cause: UnknownCause::EmptyBody, http_status: Some(200) }));
        let error = answer(502, "<html>Bad Gateway</html>").unwrap_err();
        assert!(matches!(error, Error::OutcomeUnknown { cause: UnknownCause::ForeignBody(_), http_status: Some(502) }));
        assert!(!error.is_safe_to_retry());
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_770);
        assert_eq!(parse_retry_after("120", now), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
        assert_eq!(parse_retry_after("Sun, 06 Foo 1994 08:49:37 GMT", now), None);
        assert_eq!(parse_retry_after("Sun, 6 Nov 1994 08:49:37 GMT", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 8:49:37 GMT", now), None);
    }

    #[test]
    fn retry_after_long_year_rejected() {
        // Found by retry_after_dates_never_panic: a 20-digit year overflowed the day
        // count, a panic in debug builds and a wrong wait in release builds.
        let now = UNIX_EPOCH;
        assert_eq!(parse_retry_after("Sun, 06 Nov 18446744073709551615 08:49:37 GMT", now), None);
        assert_eq!(parse_retry_after("Sat, 01 Jan 12000 00:00:00 GMT", now), None);
        assert_eq!(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now), Some(Duration::from_secs(253_402_300_799)));
    }

    proptest::proptest! {
        #[test]
        fn retry_after_never_panics(value in "\\PC{0,40}", now in 0u64..4_000_000_000) {
            let _ = parse_retry_after(&value, UNIX_EPOCH + Duration::from_secs(now));
        }

        #[test]
        fn retry_after_dates_never_panic(
            weekday in "[A-Z][a-z]{2}",
            day in "[0-9]{1,3}",
            month in proptest::sample::select(vec!["Jan", "Feb", "Mar", "Nov", "Dec", "Foo"]),
            year in "[0-9]{1,22}",
            time in "[0-9]{1,3}:[0-9]{1,3}:[0-9]{1,3}",
        ) {
            let value = format!("{weekday}, {day} {month} {year} {time} GMT");
            if let Some(wait) = parse_retry_after(&value, UNIX_EPOCH) {
                proptest::prop_assert!(wait.as_secs() < 10_000 * 366 * 86_400, "{value}: {wait:?}");
            }
        }
    }

    #[test]
    fn civil_days_match_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2026, 12, 4), 20_791);
    }
}
