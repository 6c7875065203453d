//! `/oauth/token` and the bearer check of `/api/v1/*`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use base64::Engine;
use rand::RngCore;
use serde_json::json;

use crate::error::{oauth_error, ApiError};
use crate::state::AppState;

pub async fn token(State(state): State<Arc<AppState>>, Form(form): Form<HashMap<String, String>>) -> Response {
    let config = state.config();
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    match field("grant_type") {
        "client_credentials" => {}
        "" => return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "grant_type is required"),
        other => return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", &format!("grant_type {other} is not supported")),
    }
    if field("client_id") != config.client_id || field("client_secret") != config.client_secret {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "client authentication failed");
    }
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    let access_token = format!("skat_{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes));
    state.store.lock().unwrap().tokens.insert(access_token.clone(), Instant::now() + config.token_ttl);
    Json(json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": config.token_ttl.as_secs_f64().ceil() as u64,
        "scope": "",
    }))
    .into_response()
}

/// Rejects API calls without a live bearer token, as Scalekit does (gRPC code 16).
pub async fn require_bearer(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(token) = bearer.filter(|t| !t.is_empty()) else {
        return ApiError::unauthenticated("Token empty").into_response();
    };
    let expiry = state.store.lock().unwrap().tokens.get(token).copied();
    match expiry {
        Some(expiry) if expiry > Instant::now() => next.run(request).await,
        Some(_) => ApiError::unauthenticated("token expired").into_response(),
        None => ApiError::unauthenticated("invalid token").into_response(),
    }
}
