//! Parsers for both response formats of the endpoint.

use crate::request::ResponseFormat;

/// Longest start of a foreign body kept for error messages, in characters.
const FOREIGN_EXCERPT_CHARS: usize = 80;

/// A parsed response in either response format.
///
/// Keys other than `errorCode`, `errorMessage`, `errorItem` and `errorDetail` are kept
/// in [`ApiResponse::fields`]; in the text format, lines after the message are kept
/// there as `line3`, `line4` and so on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiResponse {
    format: ResponseFormat,
    code: i32,
    message: Option<String>,
    item: Option<String>,
    detail: Option<String>,
    fields: Vec<(String, String)>,
}

/// Why a body could not be read as an API response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// The body is empty or whitespace.
    Empty,
    /// The body has no numeric status in either format. Holds the body's start.
    Foreign(String),
}

impl ApiResponse {
    /// Parses a body in whichever format it is in.
    ///
    /// A body whose first non-blank line is an integer is the text format; a body with
    /// an `errorCode` key is the URL-encoded format. Anything else, including an HTML
    /// page, is [`ParseError::Foreign`]. Line ends may be `\n` or `\r\n`, and a UTF-8
    /// byte order mark is skipped.
    ///
    /// ```
    /// use sectigo_revoke::ApiResponse;
    ///
    /// let text = ApiResponse::parse("-21\r\nThe certificate has already been revoked.\r\n").unwrap();
    /// assert_eq!(text.code(), -21);
    /// let encoded = ApiResponse::parse("errorCode=-3&errorMessage=missing&errorItem=loginName").unwrap();
    /// assert_eq!(encoded.item(), Some("loginName"));
    /// ```
    pub fn parse(body: &str) -> Result<Self, ParseError> {
        let body = body.strip_prefix('\u{feff}').unwrap_or(body);
        if body.trim().is_empty() {
            return Err(ParseError::Empty);
        }

        let mut lines = body.lines().map(str::trim).skip_while(|line| line.is_empty());
        let first_line = lines.next().unwrap_or_default();
        if let Some(code) = parse_code(first_line) {
            return Ok(Self::from_text_lines(code, lines));
        }

        Self::parse_url_encoded(body.trim()).ok_or_else(|| ParseError::Foreign(excerpt(body)))
    }

    fn from_text_lines<'a>(code: i32, lines: impl Iterator<Item = &'a str>) -> Self {
        let mut message = None;
        let mut fields = Vec::new();
        for (index, line) in lines.enumerate() {
            if index == 0 {
                message = Some(line.to_owned()).filter(|text| !text.is_empty());
            } else if !line.is_empty() {
                fields.push((format!("line{}", index + 2), line.to_owned()));
            }
        }

        ApiResponse { format: ResponseFormat::Text, code, message, item: None, detail: None, fields }
    }

    /// Reads the URL-encoded format, or returns `None` when the body is not one.
    ///
    /// A form-encoded body carries its values percent-encoded and its keys are
    /// parameter names. So a body with markup (`<`, `>`) or with a key that is not a
    /// name is foreign, because an HTML page whose link contains `&errorCode=0` must
    /// not read as an accepted revocation. Two `errorCode` keys make the response
    /// ambiguous and foreign too.
    ///
    /// NOTE: this assumes the endpoint percent-encodes `<` and `>` in messages, as its
    /// documented example encodes `'` and `!`. A response that does not is reported as
    /// an unknown outcome, never as a result.
    fn parse_url_encoded(body: &str) -> Option<Self> {
        if body.contains(['<', '>']) {
            return None;
        }
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(body).ok()?;
        if !pairs.iter().all(|(key, _)| is_parameter_name(key)) {
            return None;
        }
        let mut codes = pairs.iter().filter(|(key, _)| key == "errorCode");
        let code = codes.next().and_then(|(_, value)| parse_code(value.trim()))?;
        if codes.next().is_some() {
            return None;
        }

        let mut response = ApiResponse {
            format: ResponseFormat::UrlEncoded,
            code,
            message: None,
            item: None,
            detail: None,
            fields: Vec::new(),
        };
        for (key, value) in pairs {
            let value = Some(value).filter(|text| !text.is_empty());
            match key.as_str() {
                "errorCode" => {}
                "errorMessage" => response.message = value,
                "errorItem" => response.item = value,
                "errorDetail" => response.detail = value,
                _ => response.fields.push((key, value.unwrap_or_default())),
            }
        }
        Some(response)
    }

    /// Builds a response from its parts, as a server or a test would send it.
    pub fn new(format: ResponseFormat, code: i32, message: Option<&str>, item: Option<&str>) -> Self {
        ApiResponse {
            format,
            code,
            message: message.map(str::to_owned),
            item: item.map(str::to_owned),
            detail: None,
            fields: Vec::new(),
        }
    }

    /// Returns the format the response came in.
    pub fn format(&self) -> ResponseFormat {
        self.format
    }

    /// Returns the status code: 0 for success, negative for an error.
    pub fn code(&self) -> i32 {
        self.code
    }

    /// Returns the error message (`errorMessage`, or line 2 of the text format).
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// Returns the name of the parameter at fault (`errorItem`).
    pub fn item(&self) -> Option<&str> {
        self.item.as_deref()
    }

    /// Returns `errorDetail`.
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    /// Returns every other key and value, in the order received.
    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }

    /// Renders the response in its own format, as the server sends it.
    pub fn to_body(&self) -> String {
        match self.format {
            ResponseFormat::Text => match &self.message {
                Some(message) => format!("{}\n{}\n", self.code, message),
                None => format!("{}\n", self.code),
            },
            ResponseFormat::UrlEncoded => {
                let mut pairs = vec![("errorCode".to_owned(), self.code.to_string())];
                let named = [("errorMessage", &self.message), ("errorItem", &self.item), ("errorDetail", &self.detail)];
                for (key, value) in named {
                    if let Some(value) = value {
                        pairs.push((key.to_owned(), value.clone()));
                    }
                }
                pairs.extend(self.fields.iter().cloned());
                serde_urlencoded::to_string(pairs).expect("string pairs always encode")
            }
        }
    }
}

/// Returns true for a key made of ASCII letters, digits, `_`, `-` and `.`, the
/// characters of the API's parameter names.
fn is_parameter_name(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// Parses a status code: an optional minus sign and one to nine digits.
fn parse_code(text: &str) -> Option<i32> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn excerpt(body: &str) -> String {
    body.trim().chars().take(FOREIGN_EXCERPT_CHARS).map(|c| if c.is_control() { ' ' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_success() {
        let response = ApiResponse::parse("0\n").unwrap();
        assert_eq!(response.code(), 0);
        assert_eq!(response.message(), None);
        assert_eq!(response.format(), ResponseFormat::Text);
        assert_eq!(ApiResponse::parse("0").unwrap().code(), 0);
    }

    #[test]
    fn text_error_with_crlf() {
        let response = ApiResponse::parse("-21\r\nThe certificate has already been revoked.\r\n").unwrap();
        assert_eq!(response.code(), -21);
        assert_eq!(response.message(), Some("The certificate has already been revoked."));
        assert!(response.fields().is_empty());
    }

    #[test]
    fn text_extra_lines_kept() {
        let response = ApiResponse::parse("\n-14\nUnknown error\nref 123\n\nmore\n").unwrap();
        assert_eq!(response.code(), -14);
        assert_eq!(response.message(), Some("Unknown error"));
        assert_eq!(
            response.fields(),
            [("line3".to_owned(), "ref 123".to_owned()), ("line5".to_owned(), "more".to_owned())]
        );
    }

    #[test]
    fn url_encoded_error() {
        let body = "errorCode=-3&errorMessage=The+%27loginName%27+argument+is+missing%21&errorItem=loginName";
        let response = ApiResponse::parse(body).unwrap();
        assert_eq!(response.code(), -3);
        assert_eq!(response.message(), Some("The 'loginName' argument is missing!"));
        assert_eq!(response.item(), Some("loginName"));
        assert_eq!(response.format(), ResponseFormat::UrlEncoded);
    }

    #[test]
    fn url_encoded_unknown_keys_kept() {
        let response = ApiResponse::parse("errorCode=0&orderNumber=55&errorDetail=d\r\n").unwrap();
        assert_eq!(response.code(), 0);
        assert_eq!(response.detail(), Some("d"));
        assert_eq!(response.fields(), [("orderNumber".to_owned(), "55".to_owned())]);
    }

    #[test]
    fn byte_order_mark_skipped() {
        assert_eq!(ApiResponse::parse("\u{feff}-4\nbad value").unwrap().code(), -4);
    }

    #[test]
    fn empty_and_foreign_rejected() {
        assert_eq!(ApiResponse::parse(""), Err(ParseError::Empty));
        assert_eq!(ApiResponse::parse(" \r\n\t"), Err(ParseError::Empty));
        assert!(matches!(ApiResponse::parse("<html><body>502 Bad Gateway</body></html>"), Err(ParseError::Foreign(_))));
        assert!(matches!(ApiResponse::parse("<html lang=\"en\">"), Err(ParseError::Foreign(_))));
        assert!(matches!(ApiResponse::parse("errorCo"), Err(ParseError::Foreign(_))));
        assert!(matches!(ApiResponse::parse("-"), Err(ParseError::Foreign(_))));
        assert!(matches!(ApiResponse::parse("errorCode=abc"), Err(ParseError::Foreign(_))));
        assert!(matches!(ApiResponse::parse("12345678901"), Err(ParseError::Foreign(_))));
        assert!(matches!(ApiResponse::parse("OK"), Err(ParseError::Foreign(_))));
    }

    #[test]
    fn foreign_excerpt_is_short() {
        let body = format!("<html>{}</html>", "x".repeat(500));
        let Err(ParseError::Foreign(start)) = ApiResponse::parse(&body) else { panic!("expected foreign") };
        assert_eq!(start.chars().count(), FOREIGN_EXCERPT_CHARS);
        assert!(start.starts_with("<html>xxx"));
    }

    #[test]
    fn to_body_round_trips() {
        let encoded = ApiResponse::new(ResponseFormat::UrlEncoded, -4, Some("bad 'x' & y"), Some("serialNumber"));
        assert_eq!(ApiResponse::parse(&encoded.to_body()).unwrap(), encoded);
        let text = ApiResponse::new(ResponseFormat::Text, -21, Some("already revoked"), None);
        assert_eq!(ApiResponse::parse(&text.to_body()).unwrap(), text);
    }
}
