//! Options shared by the subcommands that send revocations: the login and the
//! connection to the endpoint, and the client built from them.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use sectigo_revoke::{Client, Credentials, Password, ProxySetting, RetryPolicy, RootStore, DEFAULT_ENDPOINT};

use crate::input::{self, InputError};

/// The login name placed in a dry run's request when none is configured.
pub const PLACEHOLDER_LOGIN_NAME: &str = "login-name-not-set";

/// The sources of the login.
#[derive(Args, Debug)]
#[command(next_help_heading = "Credentials")]
pub struct CredentialArgs {
    /// Login name (loginName).
    #[arg(long, value_name = "NAME", env = input::LOGIN_NAME_ENV, hide_env_values = true)]
    login_name: Option<String>,

    /// Read the password from the first line of FILE; - reads standard input.
    ///
    /// The line ends at the first \n or \r\n, and the lines after it are ignored.
    /// Without this option the password comes from SECTIGO_LOGIN_PASSWORD. A password
    /// is never accepted on the command line.
    #[arg(long, value_name = "FILE")]
    password_file: Option<PathBuf>,

    /// Rejected with an explanation: other users can read command lines.
    #[arg(long, value_name = "PASSWORD", hide = true, alias = "login-password")]
    password: Option<String>,
}

/// The connection to the endpoint.
#[derive(Args, Debug)]
#[command(next_help_heading = "Connection")]
pub struct ConnectionArgs {
    /// Endpoint URL; must use https://.
    #[arg(long, value_name = "URL", env = input::ENDPOINT_ENV, hide_env_values = true, default_value = DEFAULT_ENDPOINT)]
    endpoint: String,

    /// Trust only the CA certificates in this PEM file (a private CA, a
    /// TLS-inspecting proxy, or the simulator's --ca-file) instead of Mozilla's roots.
    #[arg(long, value_name = "FILE", conflicts_with = "system_roots")]
    ca_bundle: Option<PathBuf>,

    /// Trust the operating system's certificate store instead of Mozilla's roots.
    #[arg(long)]
    system_roots: bool,

    /// Connect through this proxy, such as http://proxy.example:3128 or
    /// socks5://127.0.0.1:1080. Without it, HTTPS_PROXY, ALL_PROXY or HTTP_PROXY is
    /// used, honouring NO_PROXY.
    #[arg(long, value_name = "URL", conflicts_with = "no_proxy")]
    proxy: Option<String>,

    /// Connect directly, ignoring the proxy environment variables.
    #[arg(long)]
    no_proxy: bool,

    /// Limit in seconds for resolving the host, connecting and the TLS handshake;
    /// fractions allowed. A failure within it means nothing was sent.
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = input::parse_seconds)]
    connect_timeout: Duration,

    /// Limit in seconds for the whole request, response included; at least twice the
    /// connect timeout. Running out after sending leaves the outcome unknown.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = input::parse_seconds)]
    timeout: Duration,
}

impl CredentialArgs {
    /// Rejects a password given on the command line.
    pub fn check_no_password_option(&self) -> Result<(), InputError> {
        match self.password {
            Some(_) => Err(input::password_on_command_line()),
            None => Ok(()),
        }
    }

    /// Reads the login name and the password, both required.
    pub fn credentials(&self) -> Result<Credentials, InputError> {
        self.check_no_password_option()?;
        match (self.login_name(), input::read_password(self.password_file.as_deref())?) {
            (Some(login_name), Some((password, source))) => Credentials::new(login_name, password)
                .map_err(|invalid| input::credentials_error(invalid, Some(&source))),
            (None, _) => Err(missing_login_name()),
            (Some(_), None) => Err(missing_password()),
        }
    }

    /// Reads the credentials for a dry run, which never sends them: a missing login
    /// name or password is replaced by a placeholder. Returns the credentials and
    /// whether the login name is the placeholder.
    pub fn credentials_for_dry_run(&self) -> Result<(Credentials, bool), InputError> {
        self.check_no_password_option()?;
        let login_name = self.login_name();
        let (password, source) = match input::read_password(self.password_file.as_deref())? {
            Some((password, source)) => (password, Some(source)),
            None => (Password::new("unset"), None),
        };
        let placeholder = login_name.is_none();
        let login_name = login_name.unwrap_or_else(|| PLACEHOLDER_LOGIN_NAME.to_owned());
        let credentials = Credentials::new(login_name, password)
            .map_err(|invalid| input::credentials_error(invalid, source.as_ref()))?;
        Ok((credentials, placeholder))
    }

    fn login_name(&self) -> Option<String> {
        self.login_name.clone().filter(|name| !name.is_empty())
    }
}

fn missing_login_name() -> InputError {
    InputError::new(
        "loginName (--login-name or SECTIGO_LOGIN_NAME)",
        "missing; set SECTIGO_LOGIN_NAME or give --login-name NAME",
    )
}

fn missing_password() -> InputError {
    InputError::new(
        input::PASSWORD_FIELD,
        "missing; set SECTIGO_LOGIN_PASSWORD or give --password-file FILE (- reads standard input), \
         because a password is never accepted on the command line",
    )
}

impl ConnectionArgs {
    /// Builds the client that sends the requests, with `retry` as its retry policy.
    pub fn client(&self, credentials: Credentials, retry: RetryPolicy) -> Result<Client, InputError> {
        let root_store = match (&self.ca_bundle, self.system_roots) {
            (Some(path), _) => RootStore::CaBundle(path.clone()),
            (None, true) => RootStore::System,
            (None, false) => RootStore::Mozilla,
        };
        let proxy = match (&self.proxy, self.no_proxy) {
            (Some(url), _) => ProxySetting::Url(url.clone()),
            (None, true) => ProxySetting::None,
            (None, false) => ProxySetting::Environment,
        };

        let built = Client::builder(credentials)
            .endpoint(&self.endpoint)
            .root_store(root_store)
            .proxy(proxy)
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .retry(retry)
            .build();
        match built {
            Ok(client) => Ok(client),
            Err(sectigo_revoke::Error::InvalidRequest(invalid)) => Err(invalid.into()),
            Err(other) => Err(InputError::new("client settings", format!("{other}; check the connection options"))),
        }
    }
}
