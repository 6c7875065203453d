//! Opaque API tokens (`/api/v1/tokens…`, bindings from REFERENCE.md: not in the public spec).

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use base64::Engine;
use rand::RngCore;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::pagination::{page_response, Bounds, Total};
use axum::response::Response;
use crate::state::{now_rfc3339, AppState, Store};
use crate::parse_body;

#[derive(Debug, Clone)]
pub struct ApiToken {
    pub plain: String,
    pub info: Value,
    pub valid: bool,
}

fn check_claims(claims: &Map<String, Value>) -> ApiResult<()> {
    if claims.len() > 20 {
        return Err(ApiError::field("custom_claims", "at most 20 custom claims", "map.max_pairs"));
    }
    if claims.values().any(|v| !v.is_string()) {
        return Err(ApiError::field("custom_claims", "claim values must be strings", "map.values"));
    }
    Ok(())
}

pub async fn create(State(state): State<Arc<AppState>>, body: Bytes) -> ApiResult<(StatusCode, Json<Value>)> {
    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields, default)]
    struct Body {
        organization_id: String,
        user_id: Option<String>,
        custom_claims: Option<Map<String, Value>>,
        expiry: Option<String>,
        description: Option<String>,
    }
    let request: Body = parse_body(&body)?;
    let claims = request.custom_claims.unwrap_or_default();
    check_claims(&claims)?;
    if request.description.as_deref().is_some_and(|d| d.chars().count() > 255) {
        return Err(ApiError::field("description", "value length must be at most 255 characters", "string.max_len"));
    }
    if let Some(expiry) = &request.expiry {
        let parsed = time::OffsetDateTime::parse(expiry, &time::format_description::well_known::Rfc3339)
            .map_err(|_| ApiError::field("expiry", "value must be an RFC 3339 timestamp", "timestamp"))?;
        if parsed <= time::OffsetDateTime::now_utc() {
            return Err(ApiError::field("expiry", "value must be in the future", "timestamp.gt_now"));
        }
    }
    let mut store = state.store.lock().unwrap();
    store.organization(&request.organization_id).ok_or_else(|| ApiError::not_found(format!("organization {} not found", request.organization_id)))?;
    if let Some(user_id) = request.user_id.as_deref().filter(|u| !u.is_empty()) {
        if !store.users.iter().any(|u| u["id"] == user_id) {
            return Err(ApiError::not_found(format!("user {user_id} not found")));
        }
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let plain = format!("skapi_{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes));
    let info = json!({
        "token_id": state.new_id("apit"), "organization_id": request.organization_id, "user_id": request.user_id.filter(|u| !u.is_empty()),
        "custom_claims": claims, "expiry": request.expiry, "description": request.description, "created_at": now_rfc3339(),
    });
    store.api_tokens.push(ApiToken { plain: plain.clone(), info: info.clone(), valid: true });
    Ok((StatusCode::CREATED, Json(json!({ "token": plain, "token_id": info["token_id"], "token_info": info }))))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct TokenBody {
    token: String,
    custom_claims: Option<Map<String, Value>>,
    description: Option<String>,
}

/// The token named by `token` (its plaintext or its `apit_` id), live or not.
fn known<'a>(store: &'a mut Store, token: &str) -> ApiResult<&'a mut ApiToken> {
    if token.is_empty() {
        return Err(ApiError::field("token", "value is required", "required"));
    }
    store.api_tokens.iter_mut().find(|t| t.plain == token || t.info["token_id"] == token).ok_or_else(|| ApiError::not_found("token not found"))
}

/// The live token named by `token`.
fn live<'a>(store: &'a mut Store, token: &str) -> ApiResult<&'a mut ApiToken> {
    let found = known(store, token)?;
    let expired = found.info["expiry"].as_str().is_some_and(|e| e < now_rfc3339().as_str());
    if !found.valid || expired {
        return Err(ApiError::unauthenticated("token is invalid or expired"));
    }
    Ok(found)
}

pub async fn validate(State(state): State<Arc<AppState>>, body: Bytes) -> ApiResult<Json<Value>> {
    let request: TokenBody = parse_body(&body)?;
    let mut store = state.store.lock().unwrap();
    let token = live(&mut store, &request.token)?;
    token.info["last_used_at"] = json!(now_rfc3339());
    Ok(Json(json!({ "token_info": token.info })))
}

pub async fn invalidate(State(state): State<Arc<AppState>>, body: Bytes) -> ApiResult<Json<Value>> {
    let request: TokenBody = parse_body(&body)?;
    let mut store = state.store.lock().unwrap();
    // Idempotent, as the API: invalidating a token that no longer works succeeds.
    known(&mut store, &request.token)?.valid = false;
    Ok(Json(json!({})))
}

/// Merges claims; an empty value removes a claim.
pub async fn update(State(state): State<Arc<AppState>>, body: Bytes) -> ApiResult<Json<Value>> {
    let request: TokenBody = parse_body(&body)?;
    let mut store = state.store.lock().unwrap();
    let token = live(&mut store, &request.token)?;
    if let Some(claims) = request.custom_claims {
        let mut merged = token.info["custom_claims"].as_object().cloned().unwrap_or_default();
        for (key, value) in claims {
            if value.as_str() == Some("") {
                merged.remove(&key);
            } else {
                merged.insert(key, value);
            }
        }
        check_claims(&merged)?;
        token.info["custom_claims"] = Value::Object(merged);
    }
    if let Some(description) = request.description {
        token.info["description"] = json!(description);
    }
    Ok(Json(json!({ "token_info": token.info })))
}

pub async fn list(State(state): State<Arc<AppState>>, Query(query): Query<HashMap<String, String>>) -> ApiResult<Response> {
    let organization_id = query.get("organization_id").filter(|o| !o.is_empty()).ok_or_else(|| ApiError::field("organization_id", "value is required", "required"))?;
    let user_id = query.get("user_id").filter(|u| !u.is_empty());
    let store = state.store.lock().unwrap();
    let tokens: Vec<&Value> = store
        .api_tokens
        .iter()
        .filter(|t| t.valid && t.info["organization_id"] == **organization_id && user_id.is_none_or(|u| t.info["user_id"] == **u))
        .map(|t| &t.info)
        .collect();
    page_response("tokens", &tokens, &query, Bounds { min: 1, max: 30, default: 10 }, Total::Count)
}
