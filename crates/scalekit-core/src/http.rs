//! Authenticated JSON requests to `/api/v1/...`, with the 401 → re-auth → replay rule.

use std::sync::Arc;

use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde::Serialize;

use crate::config::Config;
use crate::error::{transport_error, Error, Result, ServerError, TransportKind};
use crate::token::TokenManager;
use crate::wire::FromWire;

pub const SDK_VERSION: &str = env!("CARGO_PKG_VERSION");
/// The API version the official SDK 2.11.0 pins.
pub const API_VERSION: &str = "20260727";

/// Characters escaped in one path segment: everything but unreserved and sub-delims.
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ').add(b'"').add(b'#').add(b'%').add(b'/').add(b'<').add(b'>').add(b'?')
    .add(b'`').add(b'{').add(b'}').add(b'\\').add(b'^').add(b'|').add(b'[').add(b']');

/// Escapes one path parameter, so that an id can never change the path.
pub fn segment(value: &str) -> String {
    utf8_percent_encode(value, PATH_SEGMENT).to_string()
}

pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-request-id", "request-id", "x-scalekit-request-id"]
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// One API call, ready to be sent (and replayed once after a 401).
pub struct ApiRequest {
    method: Method,
    path: String,
    query: Option<String>,
    body: Option<Bytes>,
}

impl ApiRequest {
    pub fn new(method: Method, path: String) -> Self {
        ApiRequest { method, path, query: None, body: None }
    }

    /// Adds query pairs; `None` values are left out.
    pub fn query<'a>(mut self, pairs: impl IntoIterator<Item = (&'a str, Option<String>)>) -> Self {
        let mut serializer = url::form_urlencoded::Serializer::new(self.query.take().unwrap_or_default());
        for (key, value) in pairs {
            if let Some(value) = value {
                serializer.append_pair(key, &value);
            }
        }
        let query = serializer.finish();
        self.query = (!query.is_empty()).then_some(query);
        self
    }

    pub fn json(mut self, body: &impl Serialize) -> Result<Self> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::invalid("body", format!("the request body cannot be encoded as JSON: {e}")))?;
        self.body = Some(Bytes::from(bytes));
        Ok(self)
    }
}

#[derive(Debug)]
pub struct ApiClient {
    http: reqwest::Client,
    env_url: String,
    tokens: TokenManager,
}

impl ApiClient {
    pub fn new(config: &Config) -> Result<Self> {
        crate::install_crypto_provider();
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert("x-sdk-version", HeaderValue::from_str(&format!("scalekit-native/{SDK_VERSION}")).expect("ascii"));
        headers.insert("x-api-version", HeaderValue::from_static(API_VERSION));
        let http = reqwest::Client::builder()
            .user_agent(format!("scalekit-native/{SDK_VERSION} (rust)"))
            .default_headers(headers)
            .timeout(config.options.timeout)
            .connect_timeout(config.options.timeout)
            .pool_idle_timeout(std::time::Duration::from_secs(60))
            .tcp_nodelay(true)
            .build()
            .map_err(|e| Error::Transport { kind: TransportKind::Other, message: format!("cannot build the HTTP client: {e}") })?;
        let tokens = TokenManager::new(http.clone(), config);
        Ok(ApiClient { http, env_url: config.env_url.clone(), tokens })
    }

    /// Sends `request` with a valid token and decodes the JSON answer of model
    /// `M` into `R` (`M` itself, or `CamelJson`). A 401 gets exactly one forced
    /// token refresh and one replay.
    pub async fn send<M, R: FromWire<M>>(&self, request: ApiRequest) -> Result<R> {
        let mut url = format!("{}{}", self.env_url, request.path);
        if let Some(query) = &request.query {
            url.push('?');
            url.push_str(query);
        }
        let mut replayed = false;
        loop {
            let token = self.tokens.get().await?;
            let mut builder = self.http.request(request.method.clone(), &url).header(AUTHORIZATION, &token.bearer);
            if let Some(body) = &request.body {
                builder = builder.header(CONTENT_TYPE, "application/json").body(body.clone());
            }
            let response = builder.send().await.map_err(|e| transport_error(&e))?;
            let status = response.status();
            if status == StatusCode::UNAUTHORIZED && !replayed {
                drop(response);
                self.tokens.invalidate(&token);
                replayed = true;
                continue;
            }
            let request_id = request_id(response.headers());
            let body = response.bytes().await.map_err(|e| transport_error(&e))?;
            if !status.is_success() {
                return Err(ServerError::from_response(status.as_u16(), &body, request_id).into());
            }
            return decode::<M, R>(&request.method, &request.path, &body);
        }
    }
}

fn decode<M, R: FromWire<M>>(method: &Method, path: &str, body: &[u8]) -> Result<R> {
    // An empty body is a valid empty message (e.g. `{}` from deletes).
    let body = if body.iter().all(|b| matches!(b, b' ' | b'\n' | b'\r' | b'\t')) { b"{}".as_slice() } else { body };
    R::from_wire(body).map_err(|e| Error::Transport {
        kind: TransportKind::Decode,
        message: format!("{method} {path}: the response is not the expected JSON: {e}"),
    })
}

/// The shared handle the sub-clients hold.
pub type Api = Arc<ApiClient>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_escapes_path_characters() {
        assert_eq!(segment("org_1"), "org_1");
        assert_eq!(segment("../x/y?z#"), "..%2Fx%2Fy%3Fz%23");
    }

    #[test]
    fn query_skips_absent_values_and_encodes() {
        let r = ApiRequest::new(Method::GET, "/p".into()).query([("a", Some("x y&z".to_owned())), ("b", None)]);
        assert_eq!(r.query.as_deref(), Some("a=x+y%26z"));
        let r = ApiRequest::new(Method::GET, "/p".into()).query([("b", None)]);
        assert_eq!(r.query, None);
    }
}
