//! Client settings, checked eagerly so that a bad configuration fails at
//! construction instead of at the first call.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use url::{Host, Url};

use crate::error::{Error, Result};

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);

/// A value that must never be printed: `Debug` and `Display` show a placeholder.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Per attempt: each API request and each token request.
    pub timeout: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions { timeout: DEFAULT_TIMEOUT }
    }
}

impl ClientOptions {
    /// Reads the JS-style `timeoutMs`: a finite number above zero.
    pub fn with_timeout_ms(mut self, timeout_ms: Option<f64>) -> Result<Self> {
        if let Some(ms) = timeout_ms {
            if !ms.is_finite() || ms <= 0.0 {
                return Err(Error::invalid("timeoutMs", format!("timeoutMs must be a finite number of milliseconds above 0, got {ms}")));
            }
            self.timeout = Duration::from_secs_f64(ms / 1000.0);
        }
        Ok(self)
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    /// Environment URL without a trailing slash, e.g. `https://acme.scalekit.dev`.
    pub env_url: String,
    pub client_id: String,
    pub client_secret: Secret,
    pub options: ClientOptions,
}

impl Config {
    pub fn new(env_url: &str, client_id: &str, client_secret: &str, options: ClientOptions) -> Result<Self> {
        let env_url = validate_env_url(env_url)?;
        if client_id.trim().is_empty() {
            return Err(Error::invalid("clientId", "clientId must be a non-empty string"));
        }
        if client_secret.trim().is_empty() {
            return Err(Error::invalid("clientSecret", "clientSecret must be a non-empty string"));
        }
        Ok(Config {
            env_url,
            client_id: client_id.trim().to_owned(),
            client_secret: Secret::new(client_secret),
            options,
        })
    }
}

fn validate_env_url(raw: &str) -> Result<String> {
    let invalid = |message: String| Error::invalid("envUrl", message);
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(invalid("envUrl must be the environment URL, e.g. https://acme.scalekit.dev".into()));
    }
    let url = Url::parse(trimmed).map_err(|e| invalid(format!("envUrl is not a valid URL ({e}): {trimmed:?}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("envUrl must not carry credentials; pass clientId and clientSecret instead".into()));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("envUrl must not have a query or fragment".into()));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(invalid(format!(
                "envUrl must use https: plain http would send the client secret in clear text to {} (http is allowed only for localhost)",
                url.host_str().unwrap_or("")
            )))
        }
        other => return Err(invalid(format!("envUrl must be an https URL, got scheme {other:?}"))),
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_url_error(url: &str) -> String {
        match Config::new(url, "skc_1", "secret", ClientOptions::default()) {
            Err(Error::InvalidInput { field, message }) => {
                assert_eq!(field, "envUrl");
                message
            }
            other => panic!("expected an envUrl error, got {other:?}"),
        }
    }

    #[test]
    fn accepts_https_and_loopback_http() {
        for url in ["https://acme.scalekit.dev/", "http://localhost:8080", "http://127.0.0.1:1", "http://[::1]:9"] {
            let c = Config::new(url, "skc_1", "s", ClientOptions::default()).unwrap();
            assert!(!c.env_url.ends_with('/'), "{}", c.env_url);
        }
    }

    #[test]
    fn rejects_bad_urls() {
        assert!(env_url_error("not a url").contains("not a valid URL"));
        assert!(env_url_error("http://acme.scalekit.dev").contains("clear text"));
        assert!(env_url_error("ftp://acme.scalekit.dev").contains("https"));
        assert!(env_url_error("https://u:p@acme.scalekit.dev").contains("credentials"));
        assert!(env_url_error("").contains("environment URL"));
    }

    #[test]
    fn rejects_empty_credentials_and_bad_timeouts() {
        assert!(matches!(Config::new("https://a.b", " ", "s", ClientOptions::default()), Err(Error::InvalidInput { field, .. }) if field == "clientId"));
        assert!(matches!(Config::new("https://a.b", "id", "", ClientOptions::default()), Err(Error::InvalidInput { field, .. }) if field == "clientSecret"));
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(ClientOptions::default().with_timeout_ms(Some(bad)).is_err());
        }
        assert_eq!(ClientOptions::default().with_timeout_ms(Some(1500.0)).unwrap().timeout, Duration::from_millis(1500));
    }

    #[test]
    fn secret_never_prints() {
        let c = Config::new("https://a.b", "id", "topsecret", ClientOptions::default()).unwrap();
        assert!(!format!("{c:?}").contains("topsecret"));
        assert_eq!(c.client_secret.to_string(), "[redacted]");
    }
}
