//! WebAuthn credentials of users; tests register them through the JS API
//! (`addWebauthnCredential`), since no browser ceremony happens here.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult};
use crate::parse_body;
use crate::state::{now_rfc3339, AppState};

const RP_ID: &str = "localhost";

/// Registers a credential for a user; returns it (REST JSON).
pub fn add(state: &AppState, user_id: &str, display_name: Option<String>) -> Result<Value, String> {
    let mut store = state.store.lock().unwrap();
    if !store.users.iter().any(|u| u["id"] == user_id) {
        return Err(format!("user {user_id} not found"));
    }
    let now = now_rfc3339();
    let id = state.new_id("cred");
    let credential = json!({
        "id": id, "credential_id": format!("{id}_raw"), "user_id": user_id,
        "display_name": display_name.unwrap_or_else(|| "Passkey".into()), "attestation_type": "none", "transports": ["internal"],
        "authenticator": { "aaguid": "00000000-0000-0000-0000-000000000000", "name": "Emulator passkey", "attachment": "platform" },
        "authenticator_flags": { "user_present": true, "user_verified": true, "backup_eligible": true, "backup_state": true },
        "created_at": now, "updated_at": now,
    });
    store.webauthn.push(credential.clone());
    Ok(credential)
}

pub async fn list(State(state): State<Arc<AppState>>, Query(query): Query<HashMap<String, String>>) -> ApiResult<Json<Value>> {
    let user_id = query.get("user_id").filter(|u| !u.is_empty()).ok_or_else(|| ApiError::field("user_id", "value is required", "required"))?;
    let store = state.store.lock().unwrap();
    let credentials: Vec<&Value> = store.webauthn.iter().filter(|c| c["user_id"] == **user_id).collect();
    let ids: Vec<&Value> = credentials.iter().map(|c| &c["credential_id"]).collect();
    Ok(Json(json!({
        "credentials": credentials,
        "all_accepted_credentials_options": { "rp_id": RP_ID, "user_id": user_id, "all_accepted_credential_ids": ids },
    })))
}

pub async fn update(State(state): State<Arc<AppState>>, Path(credential_id): Path<String>, body: Bytes) -> ApiResult<Json<Value>> {
    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields, default)]
    struct Body {
        display_name: String,
    }
    let request: Body = parse_body(&body)?;
    if request.display_name.trim().is_empty() || request.display_name.chars().count() > 120 {
        return Err(ApiError::field("display_name", "value length must be between 1 and 120 characters", "string.len"));
    }
    let mut store = state.store.lock().unwrap();
    let credential = store.webauthn.iter_mut().find(|c| c["id"] == *credential_id).ok_or_else(|| ApiError::not_found(format!("credential {credential_id} not found")))?;
    credential["display_name"] = json!(request.display_name);
    credential["updated_at"] = json!(now_rfc3339());
    Ok(Json(json!({ "credential": credential })))
}

pub async fn delete(State(state): State<Arc<AppState>>, Path(credential_id): Path<String>) -> ApiResult<Json<Value>> {
    let mut store = state.store.lock().unwrap();
    let index = store.webauthn.iter().position(|c| c["id"] == *credential_id).ok_or_else(|| ApiError::not_found(format!("credential {credential_id} not found")))?;
    let credential = store.webauthn.remove(index);
    Ok(Json(json!({ "success": true, "unknown_credential_options": { "credential_id": credential["credential_id"], "rp_id": RP_ID } })))
}
