//! Client-credentials tokens: fetched on first use, cached until shortly before
//! `expires_in`, one request in flight however many callers wait for it.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::future::{BoxFuture, FutureExt, Shared};
use serde::Deserialize;

use crate::config::Config;
use crate::error::{transport_error, Error, Result, ServerError, TransportKind};
use crate::http::{request_id, with_timeout_note};

/// An access token and the moment it stops being used.
#[derive(Debug)]
pub struct AccessToken {
    pub(crate) bearer: String,
    refresh_at: Instant,
}

type TokenFuture = Shared<BoxFuture<'static, Result<Arc<AccessToken>>>>;

enum State {
    Empty,
    Ready(Arc<AccessToken>),
    Fetching(TokenFuture),
}

pub struct TokenManager {
    http: reqwest::Client,
    token_url: String,
    /// The form body, built once; it holds the secret, so it is never printed.
    form: Arc<str>,
    timeout: Duration,
    state: Mutex<State>,
}

impl std::fmt::Debug for TokenManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenManager").field("token_url", &self.token_url).finish_non_exhaustive()
    }
}

/// How long before `expires_in` a token is replaced: a tenth of its life, at most a minute.
fn refresh_margin(lifetime: Duration) -> Duration {
    (lifetime / 10).min(Duration::from_secs(60))
}

impl TokenManager {
    pub fn new(http: reqwest::Client, config: &Config) -> Self {
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "client_credentials")
            .append_pair("client_id", &config.client_id)
            .append_pair("client_secret", config.client_secret.expose())
            .finish();
        TokenManager {
            http,
            token_url: format!("{}/oauth/token", config.env_url),
            form: form.into(),
            timeout: config.options.timeout,
            state: Mutex::new(State::Empty),
        }
    }

    /// A token that is valid now, fetching one if needed. Concurrent callers share one fetch.
    pub async fn get(&self) -> Result<Arc<AccessToken>> {
        let fetch = {
            let mut state = self.state.lock().unwrap();
            match &*state {
                State::Ready(token) if token.refresh_at > Instant::now() => return Ok(token.clone()),
                State::Fetching(fetch) => fetch.clone(),
                _ => {
                    let fetch = self.start_fetch();
                    *state = State::Fetching(fetch.clone());
                    fetch
                }
            }
        };
        let result = fetch.clone().await;
        let mut state = self.state.lock().unwrap();
        if matches!(&*state, State::Fetching(current) if current.ptr_eq(&fetch)) {
            *state = match &result {
                Ok(token) => State::Ready(token.clone()),
                // A failure is shared by the callers already waiting, then forgotten: the next call tries again.
                Err(_) => State::Empty,
            };
        }
        result
    }

    /// Drops `rejected` after the API answered 401 to it, unless a newer token already replaced it.
    pub fn invalidate(&self, rejected: &Arc<AccessToken>) {
        let mut state = self.state.lock().unwrap();
        if matches!(&*state, State::Ready(current) if Arc::ptr_eq(current, rejected)) {
            *state = State::Empty;
        }
    }

    fn start_fetch(&self) -> TokenFuture {
        let http = self.http.clone();
        let url = self.token_url.clone();
        let form = self.form.clone();
        let timeout = self.timeout;
        async move { fetch_token(&http, &url, &form, timeout).await.map(Arc::new) }.boxed().shared()
    }
}

/// The answer of `/oauth/token` to any grant.
#[derive(Debug, Deserialize)]
pub(crate) struct GrantResponse {
    pub access_token: String,
    #[serde(default)]
    pub expires_in: Option<f64>,
    #[serde(default)]
    pub id_token: Option<String>,
    #[serde(default)]
    pub refresh_token: Option<String>,
}

/// One form-encoded request to the token endpoint; its errors keep the HTTP status and the
/// server's `error`/`error_description`. The form (secrets included) never reaches a message.
pub(crate) async fn grant(http: &reqwest::Client, url: &str, form: &str, timeout: Duration) -> Result<GrantResponse> {
    let response = http
        .post(url)
        .timeout(timeout)
        .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(reqwest::header::ACCEPT, "application/json")
        .body(form.to_owned())
        .send()
        .await
        .map_err(|e| with_timeout_note(transport_error(&e), timeout))?;
    let status = response.status();
    let request_id = request_id(response.headers());
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(|e| with_timeout_note(transport_error(&e), timeout))?;
    if !status.is_success() {
        // A 429 or 503 says when to come back: callers that own the retry (a session's refresh) need to know.
        let now = std::time::SystemTime::now();
        let mut server = ServerError::from_response(status.as_u16(), &body, request_id);
        server.retry_after = crate::retry::retry_after(&headers, now).map(|d| d.as_millis() as u64);
        server.rate_limit = crate::retry::rate_limit(&headers, now);
        return Err(server.into());
    }
    let parsed: GrantResponse = serde_json::from_slice(&body).map_err(|e| {
        Error::transport(TransportKind::Decode, format!("the token endpoint answered {status} with a body that is not a token response: {e}"))
    })?;
    if parsed.access_token.is_empty() {
        return Err(Error::transport(TransportKind::Decode, "the token endpoint returned an empty access_token"));
    }
    Ok(parsed)
}

async fn fetch_token(http: &reqwest::Client, url: &str, form: &str, timeout: Duration) -> Result<AccessToken> {
    let started = Instant::now();
    let parsed = grant(http, url, form, timeout).await?;
    // Without expires_in, keep the token until the API rejects it.
    let lifetime = parsed
        .expires_in
        .filter(|s| s.is_finite() && *s > 0.0)
        .map(|s| Duration::from_secs_f64(s.min(1e9)))
        .unwrap_or(Duration::from_secs(3600 * 24 * 365));
    Ok(AccessToken { bearer: format!("Bearer {}", parsed.access_token), refresh_at: started + lifetime - refresh_margin(lifetime) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn margin_is_a_tenth_capped_at_a_minute() {
        assert_eq!(refresh_margin(Duration::from_secs(3600)), Duration::from_secs(60));
        assert_eq!(refresh_margin(Duration::from_secs(10)), Duration::from_secs(1));
    }

    #[test]
    fn debug_hides_the_form() {
        crate::install_crypto_provider();
        let config = Config::new("https://a.b", "id", "topsecret", Default::default()).unwrap();
        let manager = TokenManager::new(reqwest::Client::new(), &config);
        assert!(!format!("{manager:?}").contains("topsecret"));
    }
}
