//! Client settings, checked eagerly so that a bad configuration fails at
//! construction instead of at the first call.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use url::{Host, Url};

use crate::error::{Error, Result};

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);
/// The official SDK's `toolTimeoutMs` default.
pub const DEFAULT_TOOL_TIMEOUT: Duration = Duration::from_secs(60);

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

/// Client-wide settings. Each per-request option overrides its client default for one call.
#[derive(Clone)]
pub struct ClientOptions {
    /// Per attempt: each API request and each token request. Default 20 s.
    pub timeout: Duration,
    /// Per attempt of the tool calls (`tools.*`, `actions.executeTool`, `actions.request`), which
    /// reach third-party APIs and may take longer. Default 60 s.
    pub tool_timeout: Duration,
    /// Retries after a retryable failure (connection failures, 408, 429, 5xx; see `retry`). Default 2.
    pub max_retries: u32,
    /// Bounds a whole call: token fetch, every attempt and every backoff. Default none.
    pub deadline: Option<Duration>,
    /// Appended to the User-Agent, e.g. `my-app/1.2.0 (+https://example.com)`.
    pub user_agent: Option<String>,
    /// Proxy for every request (`http://…`, `https://…` or `socks5://…`); otherwise
    /// `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` from the environment apply.
    pub proxy: Option<String>,
    /// Extra trusted roots (PEM), on top of the operating system's store.
    pub ca_certificates: Vec<String>,
    /// Offer HTTP/2 by ALPN on TLS connections. Default true.
    pub http2: bool,
    /// Receives one redacted event per attempt (logging and tracing hooks).
    pub observer: Option<std::sync::Arc<dyn crate::observe::Observer>>,
    /// The `iss` the environment's id tokens must name. Default: the environment's own, as its OpenID
    /// discovery document declares it, or its URL.
    pub issuer: Option<String>,
}

impl fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientOptions")
            .field("timeout", &self.timeout)
            .field("tool_timeout", &self.tool_timeout)
            .field("max_retries", &self.max_retries)
            .field("deadline", &self.deadline)
            .field("user_agent", &self.user_agent)
            .field("proxy", &self.proxy.as_ref().map(|_| "[set]"))
            .field("ca_certificates", &self.ca_certificates.len())
            .field("http2", &self.http2)
            .field("observer", &self.observer.is_some())
            .field("issuer", &self.issuer)
            .finish()
    }
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            timeout: DEFAULT_TIMEOUT,
            tool_timeout: DEFAULT_TOOL_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            deadline: None,
            user_agent: None,
            proxy: None,
            ca_certificates: Vec::new(),
            http2: true,
            observer: None,
            issuer: None,
        }
    }
}

/// Reads a JS-style millisecond count: a finite number above zero.
pub fn millis(field: &str, ms: f64) -> Result<Duration> {
    if !ms.is_finite() || ms <= 0.0 || ms > 1e12 {
        return Err(Error::invalid(field, format!("{field} must be a finite number of milliseconds above 0, got {ms}")));
    }
    Ok(Duration::from_secs_f64(ms / 1000.0))
}

/// Reads a retry count: a whole number from 0 to 10.
pub fn retries(field: &str, n: f64) -> Result<u32> {
    if n.fract() != 0.0 || !(0.0..=MAX_RETRIES as f64).contains(&n) {
        return Err(Error::invalid(field, format!("{field} must be a whole number from 0 to {MAX_RETRIES}, got {n}")));
    }
    Ok(n as u32)
}

impl ClientOptions {
    /// Reads the JS-style `timeoutMs`: a finite number above zero.
    pub fn with_timeout_ms(mut self, timeout_ms: Option<f64>) -> Result<Self> {
        if let Some(ms) = timeout_ms {
            self.timeout = millis("timeoutMs", ms)?;
        }
        Ok(self)
    }

    /// Reads the JS-style `toolTimeoutMs`.
    pub fn with_tool_timeout_ms(mut self, tool_timeout_ms: Option<f64>) -> Result<Self> {
        if let Some(ms) = tool_timeout_ms {
            self.tool_timeout = millis("toolTimeoutMs", ms)?;
        }
        Ok(self)
    }

    pub fn with_max_retries(mut self, max_retries: Option<f64>) -> Result<Self> {
        if let Some(n) = max_retries {
            self.max_retries = retries("maxRetries", n)?;
        }
        Ok(self)
    }

    pub fn with_deadline_ms(mut self, deadline_ms: Option<f64>) -> Result<Self> {
        if let Some(ms) = deadline_ms {
            self.deadline = Some(millis("deadlineMs", ms)?);
        }
        Ok(self)
    }

    /// Checks what the HTTP client would only reject later (or never): the
    /// user agent, proxy URL and PEM roots.
    pub fn validate(&self) -> Result<()> {
        if let Some(agent) = &self.user_agent {
            if agent.chars().any(|c| c.is_control()) || reqwest::header::HeaderValue::from_str(agent).is_err() {
                return Err(Error::invalid("userAgent", "userAgent must be printable ASCII without control characters"));
            }
        }
        if let Some(proxy) = &self.proxy {
            let url = Url::parse(proxy).map_err(|e| Error::invalid("proxy", format!("proxy is not a valid URL ({e})")))?;
            if !matches!(url.scheme(), "http" | "https" | "socks5" | "socks5h") {
                return Err(Error::invalid("proxy", format!("proxy must be an http, https or socks5 URL, got scheme {:?}", url.scheme())));
            }
        }
        if let Some(issuer) = &self.issuer {
            if issuer.trim().is_empty() || issuer.chars().any(char::is_control) {
                return Err(Error::invalid("issuer", "issuer must be the issuer URL your environment's tokens name, e.g. https://auth.example.com"));
            }
        }
        for (i, pem) in self.ca_certificates.iter().enumerate() {
            let certs = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
                .map_err(|e| Error::invalid(format!("caCertificates[{i}]"), format!("caCertificates[{i}] is not a PEM certificate: {e}")))?;
            if certs.is_empty() {
                return Err(Error::invalid(format!("caCertificates[{i}]"), format!("caCertificates[{i}] holds no PEM certificate")));
            }
        }
        Ok(())
    }
}

pub const DEFAULT_MAX_RETRIES: u32 = 2;
pub const MAX_RETRIES: u32 = 10;

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
        options.validate()?;
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

/// Checks an environment URL (https, or http to a loopback host; no credentials, query or fragment) and
/// gives it without a trailing slash. Errors name the field `envUrl`.
pub fn validate_env_url(raw: &str) -> Result<String> {
    let invalid = |message: String| Error::invalid("envUrl", message);
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(invalid("envUrl must be the environment URL, e.g. https://acme.scalekit.dev".into()));
    }
    let url = Url::parse(trimmed).map_err(|e| invalid(format!("envUrl is not a valid URL ({e})")))?;
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
