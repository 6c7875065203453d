//! "Bring your own auth": the customer's login page tells Scalekit who signed in
//! for a login request of a connection (`POST /connections/{id}/auth-requests/{login_request_id}/user`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::parse_body;
use crate::state::{without_nulls, AppState};
use crate::users::is_email;

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
struct LoginUser {
    sub: Option<String>,
    email: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
    email_verified: Option<bool>,
    phone_number: Option<String>,
    phone_number_verified: Option<bool>,
    name: Option<String>,
    preferred_username: Option<String>,
    picture: Option<String>,
    gender: Option<String>,
    locale: Option<String>,
    groups: Option<Vec<String>>,
    custom_attributes: Option<Map<String, Value>>,
    organization_external_id: Option<String>,
    roles: Option<Vec<String>>,
    organization_external_name: Option<String>,
    login_failed: Option<bool>,
}

pub async fn submit(State(state): State<Arc<AppState>>, Path((connection_id, login_request_id)): Path<(String, String)>, body: Bytes) -> ApiResult<Json<Value>> {
    let user: LoginUser = parse_body(&body)?;
    if user.login_failed != Some(true) {
        match user.email.as_deref().map(str::trim) {
            None | Some("") => return Err(ApiError::field("email", "value is required", "required")),
            Some(email) if !is_email(email) => return Err(ApiError::field("email", "value must be a valid email address", "string.email")),
            Some(_) => {}
        }
    }
    let mut store = state.store.lock().unwrap();
    if !store.connections.iter().any(|c| c["id"] == connection_id) {
        return Err(ApiError::not_found(format!("connection {connection_id} not found")));
    }
    let user = without_nulls(serde_json::to_value(user).expect("a login user serializes"));
    store.login_user_details.insert(login_request_id.clone(), user);
    Ok(Json(json!({ "auth_request_id": login_request_id })))
}

/// The user reported for a login request, as sent (REST JSON), for tests.
pub fn login_user_details(state: &AppState, login_request_id: &str) -> Option<Value> {
    state.store.lock().unwrap().login_user_details.get(login_request_id).cloned()
}
