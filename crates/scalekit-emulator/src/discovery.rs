//! The environment's OpenID discovery document and OAuth authorization server metadata
//! (`/.well-known/openid-configuration`, `/.well-known/oauth-authorization-server`), whose `issuer` is
//! the `iss` of its tokens, and `/userinfo`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::state::{without_nulls, AppState};

const SCOPES: [&str; 6] = ["openid", "profile", "email", "phone", "address", "offline_access"];
const CLAIMS: [&str; 17] = [
    "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "sid", "email", "email_verified", "name", "given_name", "family_name", "picture", "locale", "oid", "at_hash",
];

/// What both documents share (RFC 8414 and OpenID Connect Discovery 1.0 name the same fields).
fn metadata(state: &AppState) -> Value {
    let base = state.public_url();
    json!({
        "issuer": state.issuer(),
        "authorization_endpoint": format!("{base}/oauth/authorize"),
        "token_endpoint": format!("{base}/oauth/token"),
        "userinfo_endpoint": format!("{base}/userinfo"),
        "jwks_uri": format!("{base}/keys"),
        "end_session_endpoint": format!("{base}/oidc/logout"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "scopes_supported": SCOPES,
        "prompt_values_supported": ["login", "consent", "create", "none", "select_account"],
    })
}

fn document(body: Value) -> Response {
    ([(header::CACHE_CONTROL, "public, max-age=60"), (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")], Json(body)).into_response()
}

/// `GET /.well-known/openid-configuration`.
pub async fn openid_configuration(State(state): State<Arc<AppState>>) -> Response {
    let mut body = metadata(&state);
    body["subject_types_supported"] = json!(["public"]);
    body["id_token_signing_alg_values_supported"] = json!(["RS256"]);
    body["claims_supported"] = json!(CLAIMS);
    document(body)
}

/// `GET /.well-known/oauth-authorization-server`.
pub async fn authorization_server(State(state): State<Arc<AppState>>) -> Response {
    document(metadata(&state))
}

fn unauthorized(description: &str) -> Response {
    let challenge = format!("Bearer error=\"invalid_token\", error_description=\"{description}\"");
    (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, challenge)], Json(json!({ "error": "invalid_token", "error_description": description }))).into_response()
}

/// `GET` or `POST /userinfo` with a user's access token: the OpenID claims of the signed-in user.
pub async fn userinfo(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let token = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer "))).map(str::trim);
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")], Json(json!({ "error": "invalid_request", "error_description": "an access token is required" }))).into_response();
    };
    let Some(claims) = crate::oauth::verified_claims(&state, token) else {
        return unauthorized("the access token is invalid or expired");
    };
    let subject = claims["sub"].as_str().unwrap_or_default();
    let user = state.store.lock().unwrap().users.iter().find(|u| u["id"] == subject).cloned();
    let Some(user) = user else {
        return unauthorized("the access token is not a user's");
    };
    let profile = &user["user_profile"];
    let body = without_nulls(json!({
        "sub": user["id"], "email": user["email"], "email_verified": profile["email_verified"].as_bool().unwrap_or(false),
        "name": profile["name"], "given_name": profile["given_name"], "family_name": profile["family_name"],
        "preferred_username": user["email"], "picture": profile["picture"], "locale": profile["locale"],
        "phone_number": profile["phone_number"], "oid": claims["oid"], "sid": claims["sid"],
    }));
    ([(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}
