//! The bearer check of `/api/v1/*`.

use std::sync::Arc;


use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::state::AppState;

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
        Some(expiry) if expiry > state.clock.instant() => next.run(request).await,
        Some(_) => ApiError::unauthenticated("token expired").into_response(),
        None => ApiError::unauthenticated("invalid token").into_response(),
    }
}
