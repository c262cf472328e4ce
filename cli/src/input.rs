//! Problems with the command-line input, found before anything is sent, and the
//! readers for values that never appear on the command line.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sectigo_revoke::{Field, InvalidRequest, Password};

/// The environment variable with the login name.
pub const LOGIN_NAME_ENV: &str = "SECTIGO_LOGIN_NAME";
/// The environment variable with the password.
pub const PASSWORD_ENV: &str = "SECTIGO_LOGIN_PASSWORD";
/// The environment variable with the endpoint URL.
pub const ENDPOINT_ENV: &str = "SECTIGO_ENDPOINT";

/// Maximum length of the first line of a password file, in bytes. A password of 128
/// characters, at most four UTF-8 bytes each, fits many times over.
pub const MAX_PASSWORD_LINE_BYTES: u64 = 4096;

/// The field name used in messages about a password that no source sets, or where
/// the source does not matter.
pub const PASSWORD_FIELD: &str = "loginPassword (SECTIGO_LOGIN_PASSWORD or --password-file)";

/// The source a password was read from, named in messages about that password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PasswordSource {
    /// `--password-file FILE`; the path `-` is standard input.
    File(PathBuf),
    /// The `SECTIGO_LOGIN_PASSWORD` environment variable.
    Environment,
}

impl PasswordSource {
    /// Returns the field name for messages, such as
    /// `loginPassword (--password-file /run/secrets/sectigo)` or
    /// `loginPassword (SECTIGO_LOGIN_PASSWORD)`.
    pub fn field(&self) -> String {
        match self {
            PasswordSource::File(path) => format!("loginPassword (--password-file {})", path.display()),
            PasswordSource::Environment => format!("loginPassword ({PASSWORD_ENV})"),
        }
    }
}

/// An input value that failed validation, named by its field and the option or
/// environment variable that sets it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    field: String,
    problem: String,
}

impl InputError {
    /// Creates an error for `field` with what is wrong and what to do instead.
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        InputError { field: field.into(), problem: problem.into() }
    }

    /// Returns the field, such as `serialNumber (--serial-number)`.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// Returns what is wrong with the value and what to do instead.
    pub fn problem(&self) -> &str {
        &self.problem
    }
}

impl From<InvalidRequest> for InputError {
    fn from(invalid: InvalidRequest) -> Self {
        let field = match option_for(invalid.field()) {
            Some(option) => format!("{} ({option})", invalid.field().name()),
            None => invalid.field().name().to_owned(),
        };
        InputError { field, problem: invalid.problem().to_owned() }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.field, self.problem)
    }
}

/// Returns the options or environment variables that set a field of the core library.
fn option_for(field: Field) -> Option<&'static str> {
    let option = match field {
        Field::LoginName => "--login-name or SECTIGO_LOGIN_NAME",
        Field::LoginPassword => "SECTIGO_LOGIN_PASSWORD or --password-file",
        Field::OrderNumber => "--order-number",
        Field::CertificateId => "--certificate-id",
        Field::SerialNumber => "--serial-number",
        Field::Identifier => "--order-number, --certificate-id, --serial-number or --cert",
        Field::AccountId => "--account-id",
        Field::Comment => "--comment",
        Field::Reason => "--reason",
        Field::ProductCode => "--product-code",
        Field::Product => "--product",
        Field::Certificate => "--cert",
        Field::Endpoint => "--endpoint or SECTIGO_ENDPOINT",
        Field::CaBundle => "--ca-bundle or --system-roots",
        Field::Proxy => "--proxy",
        Field::Timeout => "--timeout or --connect-timeout",
        Field::Retry => "--retries",
        _ => return None,
    };
    Some(option)
}

/// Parses a positive number of seconds, fractions allowed, for clap.
pub fn parse_seconds(text: &str) -> Result<Duration, String> {
    let invalid = || format!("{text:?} is not a positive number of seconds; give a value such as 30 or 0.5");
    let seconds: f64 = text.trim().parse().map_err(|_| invalid())?;
    if !seconds.is_finite() || seconds <= 0.0 {
        return Err(invalid());
    }
    Duration::try_from_secs_f64(seconds).map_err(|_| invalid())
}

/// Parses a whole number from `min` to `max`, for clap, naming the bounds in words
/// rather than in Rust's range notation.
pub fn parse_number_in_range(text: &str, min: u32, max: u32) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(number) if (min..=max).contains(&number) => Ok(number),
        _ => Err(format!("{text} is not a whole number from {min} to {max}")),
    }
}

/// Returns the error for a password given on the command line, which is rejected
/// because other users can read it in the process list and the shell keeps it in its
/// history.
pub fn password_on_command_line() -> InputError {
    InputError::new(
        "loginPassword (--password)",
        "a password is never accepted on the command line, because other users can read it in the process list \
         and the shell history keeps it; set SECTIGO_LOGIN_PASSWORD or give --password-file FILE (- reads standard input)",
    )
}

/// Converts credentials that failed validation into an input error. A problem with
/// the password names the source it was read from, not every possible source.
pub fn credentials_error(invalid: InvalidRequest, source: Option<&PasswordSource>) -> InputError {
    match source {
        Some(source) if invalid.field() == Field::LoginPassword => InputError::new(source.field(), invalid.problem()),
        _ => invalid.into(),
    }
}

/// Reads the password from `file` (`-` is standard input) when one is given, else from
/// `SECTIGO_LOGIN_PASSWORD`. Returns the password and its source, or `None` when
/// neither is set.
pub fn read_password(file: Option<&Path>) -> Result<Option<(Password, PasswordSource)>, InputError> {
    if let Some(path) = file {
        let password = read_password_file(path)?;
        return Ok(Some((password, PasswordSource::File(path.to_path_buf()))));
    }

    match std::env::var(PASSWORD_ENV) {
        Ok(password) if password.is_empty() => Ok(None),
        Ok(password) => Ok(Some((Password::new(password), PasswordSource::Environment))),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(InputError::new(
            PasswordSource::Environment.field(),
            "SECTIGO_LOGIN_PASSWORD is not valid UTF-8; set it to the password as UTF-8 text",
        )),
    }
}

/// Reads a password from the first line of a file, or of standard input for `-`.
///
/// The line ends at the first `\n`, and a `\r` before it is removed too. The rest of
/// the input is ignored, so a file may carry notes below the password.
fn read_password_file(path: &Path) -> Result<Password, InputError> {
    let source = PasswordSource::File(path.to_path_buf());
    let name = if path == Path::new("-") { "standard input".to_owned() } else { path.display().to_string() };
    let unreadable = |error: std::io::Error| {
        InputError::new(
            source.field(),
            format!("cannot read {name}: {error}; give a file with the password on its first line"),
        )
    };

    // Capacity for the whole bounded read, so that the buffer is never reallocated
    // and no stray copy of the password is left in freed memory.
    let mut bytes = Vec::with_capacity(MAX_PASSWORD_LINE_BYTES as usize + 1);
    if path == Path::new("-") {
        std::io::stdin().lock().take(MAX_PASSWORD_LINE_BYTES + 1).read_to_end(&mut bytes).map_err(unreadable)?;
    } else {
        let file = std::fs::File::open(path).map_err(unreadable)?;
        file.take(MAX_PASSWORD_LINE_BYTES + 1).read_to_end(&mut bytes).map_err(unreadable)?;
    }
    if !keep_first_line(&mut bytes) {
        return Err(InputError::new(
            source.field(),
            format!(
                "the first line of {name} is longer than {MAX_PASSWORD_LINE_BYTES} bytes; write only the password \
                 on the first line"
            ),
        ));
    }

    let password = String::from_utf8(bytes).map_err(|_| {
        InputError::new(
            source.field(),
            format!("the first line of {name} is not UTF-8 text; save the password as UTF-8"),
        )
    })?;
    if password.is_empty() {
        return Err(InputError::new(
            source.field(),
            format!("the first line of {name} is empty; write the password on it"),
        ));
    }
    Ok(Password::new(password))
}

/// Cuts `bytes`, read with a limit of one byte more than [`MAX_PASSWORD_LINE_BYTES`],
/// to its first line without the line break. Returns false when no line break comes
/// within the limit and the input is longer than it.
fn keep_first_line(bytes: &mut Vec<u8>) -> bool {
    match bytes.iter().position(|&byte| byte == b'\n') {
        Some(end) => bytes.truncate(end),
        None if bytes.len() as u64 > MAX_PASSWORD_LINE_BYTES => return false,
        None => {}
    }
    if bytes.last() == Some(&b'\r') {
        bytes.pop();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_parsed_with_fractions() {
        assert_eq!(parse_seconds("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_seconds("0.25"), Ok(Duration::from_millis(250)));
        for bad in ["0", "-1", "abc", "", "inf", "NaN"] {
            let error = parse_seconds(bad).unwrap_err();
            assert!(error.contains("is not a positive number of seconds"), "{bad}: {error}");
        }
    }

    #[test]
    fn number_range_named_in_words() {
        assert_eq!(parse_number_in_range("0", 0, 99), Ok(0));
        assert_eq!(parse_number_in_range("99", 0, 99), Ok(99));
        assert_eq!(parse_number_in_range("100", 0, 99), Err("100 is not a whole number from 0 to 99".to_owned()));
        assert_eq!(parse_number_in_range("-1", 0, 99), Err("-1 is not a whole number from 0 to 99".to_owned()));
        assert_eq!(parse_number_in_range("2.5", 1, 9), Err("2.5 is not a whole number from 1 to 9".to_owned()));
    }

    #[test]
    fn password_line_is_first_line_only() {
        let cases: [(&[u8], &[u8]); 6] = [
            (b"pw\nsecond\n", b"pw"),
            (b"pw\r\nsecond", b"pw"),
            (b"pw", b"pw"),
            (b"pw\r", b"pw"),
            (b"\nsecond", b""),
            (b"a\rb\n", b"a\rb"),
        ];
        for (input, expected) in cases {
            let mut bytes = input.to_vec();
            assert!(keep_first_line(&mut bytes), "{input:?}");
            assert_eq!(bytes, expected, "{input:?}");
        }
    }

    #[test]
    fn password_line_over_limit_rejected() {
        let limit = MAX_PASSWORD_LINE_BYTES as usize;
        let mut long = vec![b'x'; limit + 1];
        assert!(!keep_first_line(&mut long));
        let mut at_limit = vec![b'x'; limit];
        at_limit.push(b'\n');
        assert!(keep_first_line(&mut at_limit));
        assert_eq!(at_limit.len(), limit);
    }

    #[test]
    fn password_problem_names_its_source() {
        let invalid = sectigo_revoke::Credentials::new("user", "a\tb").err().unwrap();
        let file = PasswordSource::File(PathBuf::from("/run/pw"));
        let error = credentials_error(invalid.clone(), Some(&file));
        assert_eq!(error.field(), "loginPassword (--password-file /run/pw)");
        let error = credentials_error(invalid.clone(), Some(&PasswordSource::Environment));
        assert_eq!(error.field(), "loginPassword (SECTIGO_LOGIN_PASSWORD)");
        let error = credentials_error(invalid, None);
        assert_eq!(error.field(), PASSWORD_FIELD);
    }

    #[test]
    fn core_fields_named_with_option() {
        let invalid = "XYZ".parse::<sectigo_revoke::SerialNumber>().unwrap_err();
        let error = InputError::from(invalid);
        assert_eq!(error.field(), "serialNumber (--serial-number)");
        assert!(error.to_string().starts_with("invalid serialNumber (--serial-number): 'X' at position 1"), "{error}");
    }
}
