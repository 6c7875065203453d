//! `/proxy/{*path}`: a call to the third-party API on behalf of a connected
//! account (headers `connection_name` and `identifier`), forwarded to the
//! upstream a test sets (`set_proxy_target`) with the account's credentials.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult};
use crate::state::{now_rfc3339, AppState};

/// Headers of one hop only (RFC 9110 7.6.1), never forwarded.
const HOP_BY_HOP: [&str; 9] = ["connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"];

/// Sets the base URL (`http://host:port[/prefix]`) the proxy forwards to; `None` unsets it.
pub fn set_proxy_target(state: &AppState, url: Option<String>) -> Result<(), String> {
    let url = url.map(|u| u.trim().trim_end_matches('/').to_owned()).filter(|u| !u.is_empty());
    if let Some(u) = &url {
        let parsed = crate::parse_url(u).map_err(|e| format!("invalid proxy target {u}: {e}"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(format!("the proxy target must be an http(s) URL, got {u}"));
        }
    }
    state.store.lock().unwrap().proxy_target = url;
    Ok(())
}

/// The `Authorization` header the account's credentials make, if any.
fn credential(account: &Value) -> Option<String> {
    let details = &account["authorization_details"];
    let bearer = |token: &Value| token.as_str().filter(|t| !t.is_empty()).map(|t| format!("Bearer {t}"));
    if let Some(b) = bearer(&details["oauth_token"]["access_token"]).or_else(|| bearer(&details["google_dwd"]["access_token"])) {
        return Some(b);
    }
    let fields = &details["static_auth"]["details"];
    if let Some(b) = ["api_key", "token", "access_token"].iter().find_map(|k| bearer(&fields[*k])) {
        return Some(b);
    }
    match (fields["username"].as_str(), fields["password"].as_str()) {
        (Some(user), Some(password)) => Some(format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")))),
        _ => None,
    }
}

/// Drops hop-by-hop headers, those the `Connection` header names, and `content-length`.
fn end_to_end(headers: &HeaderMap) -> HeaderMap {
    let named: Vec<String> =
        headers.get_all(header::CONNECTION).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).map(|n| n.trim().to_ascii_lowercase()).collect();
    let mut kept = HeaderMap::new();
    for (name, value) in headers {
        let n = name.as_str();
        if HOP_BY_HOP.contains(&n) || n == "content-length" || named.iter().any(|x| x == n) {
            continue;
        }
        kept.append(name.clone(), value.clone());
    }
    kept
}

fn client(state: &AppState) -> &reqwest::Client {
    state.proxy_client.get_or_init(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(60))
            .build()
            .expect("proxy HTTP client")
    })
}

pub async fn forward(State(state): State<Arc<AppState>>, request: Request) -> Response {
    match forward_request(&state, request).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

async fn forward_request(state: &Arc<AppState>, request: Request) -> ApiResult<Response> {
    let (parts, body) = request.into_parts();
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let connection_name = header("connection_name").ok_or_else(|| ApiError::invalid("the connection_name header is required"))?;
    let identifier = header("identifier").ok_or_else(|| ApiError::invalid("the identifier header is required"))?;
    let (target, authorization) = {
        let mut store = state.store.lock().unwrap();
        let i = store
            .connected_accounts
            .iter()
            .position(|a| a["connector"].as_str().is_some_and(|c| c.eq_ignore_ascii_case(&connection_name)) && a["identifier"] == *identifier)
            .ok_or_else(|| ApiError::not_found(format!("no connected account for connection {connection_name} and identifier {identifier}")))?;
        let account = &store.connected_accounts[i];
        if account["status"] != "ACTIVE" {
            return Err(ApiError::failed_precondition(format!(
                "connected account {} is {}, not ACTIVE: the user must authorize it first",
                account["id"].as_str().unwrap_or_default(),
                account["status"].as_str().unwrap_or_default()
            )));
        }
        let authorization = credential(account);
        let target = store.proxy_target.clone().ok_or_else(|| ApiError::with_status(502, "the proxy has no upstream: set one with setProxyTarget(url)"))?;
        store.connected_accounts[i]["last_used_at"] = json!(now_rfc3339());
        (target, authorization)
    };
    // Nested under /api/v1 or not, the router sees `/proxy/...`.
    let path = parts.uri.path();
    let rest = path.strip_prefix("/api/v1").unwrap_or(path);
    let rest = rest.strip_prefix("/proxy").unwrap_or(rest);
    let mut url = format!("{target}{rest}");
    if let Some(query) = parts.uri.query() {
        url.push('?');
        url.push_str(query);
    }
    let mut headers = end_to_end(&parts.headers);
    for name in ["authorization", "host", "connection_name", "identifier"] {
        headers.remove(name);
    }
    if let Some(value) = authorization.and_then(|a| HeaderValue::from_str(&a).ok()) {
        headers.insert(header::AUTHORIZATION, value);
    }
    let bytes = axum::body::to_bytes(body, usize::MAX).await.map_err(|e| ApiError::invalid(format!("cannot read the request body: {e}")))?;
    let upstream = client(state)
        .request(parts.method.clone(), &url)
        .headers(headers)
        .body(bytes)
        .send()
        .await
        .map_err(|e| ApiError::with_status(502, format!("the upstream {target} could not be reached: {e}")))?;
    let status = upstream.status();
    let response_headers = end_to_end(upstream.headers());
    let body = upstream.bytes().await.map_err(|e| ApiError::with_status(502, format!("the upstream answer could not be read: {e}")))?;
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    *response.headers_mut() = response_headers;
    Ok(response)
}
