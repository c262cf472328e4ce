//! Login credentials, with the password kept out of every printed form.

use std::fmt;

use zeroize::Zeroizing;

use crate::error::InvalidRequest;
use crate::field::Field;
use crate::text::check_required_text;

/// Maximum length of `loginName`, in characters.
pub const MAX_LOGIN_NAME_CHARS: usize = 64;

/// Maximum length of `loginPassword`, in characters.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// The text printed in place of the password by `Debug`, `Display` and dry runs.
pub const REDACTED: &str = "********";

/// A password that prints as a placeholder and is zeroed in memory when dropped.
///
/// ```
/// use sectigo_revoke::Password;
///
/// let password = Password::new("s3cret+&=");
/// assert_eq!(format!("{password}"), "********");
/// assert_eq!(format!("{password:?}"), "Password(********)");
/// ```
#[derive(Clone)]
pub struct Password(Zeroizing<String>);

impl Password {
    /// Wraps a password. Validation happens when the [`Credentials`] are built.
    pub fn new(password: impl Into<String>) -> Self {
        Password(Zeroizing::new(password.into()))
    }

    /// Returns the password itself. Every call site of this function sends or compares
    /// the password and never prints it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Password({REDACTED})")
    }
}

impl fmt::Display for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl From<String> for Password {
    fn from(password: String) -> Self {
        Password::new(password)
    }
}

impl From<&str> for Password {
    fn from(password: &str) -> Self {
        Password::new(password)
    }
}

/// The `loginName` and `loginPassword` of a Sectigo account, validated.
///
/// ```
/// use sectigo_revoke::Credentials;
///
/// let credentials = Credentials::new("api-user", "p@ss word+&")?;
/// assert_eq!(credentials.login_name(), "api-user");
/// assert!(!format!("{credentials:?}").contains("p@ss"));
/// # Ok::<(), sectigo_revoke::InvalidRequest>(())
/// ```
#[derive(Clone)]
pub struct Credentials {
    login_name: String,
    password: Password,
}

impl Credentials {
    /// Validates and stores a login name and password.
    ///
    /// Both are required, at most 64 and 128 characters long, and free of control
    /// characters. Both are case-sensitive and sent exactly as given.
    pub fn new(login_name: impl Into<String>, password: impl Into<Password>) -> Result<Self, InvalidRequest> {
        let login_name = login_name.into();
        let password = password.into();

        check_required_text(Field::LoginName, &login_name, MAX_LOGIN_NAME_CHARS)?;
        check_required_text(Field::LoginPassword, password.expose(), MAX_PASSWORD_CHARS)?;

        Ok(Credentials { login_name, password })
    }

    /// Returns the login name.
    pub fn login_name(&self) -> &str {
        &self.login_name
    }

    /// Returns the password.
    pub fn password(&self) -> &Password {
        &self.password
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials").field("login_name", &self.login_name).field("password", &self.password).finish()
    }
}
