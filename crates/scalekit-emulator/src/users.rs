//! `/api/v1/organizations/{organization_id}/users`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::parse_body;
use crate::state::{now_rfc3339, AppState};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CreateUser {
    email: String,
    external_id: Option<String>,
    metadata: Option<Map<String, Value>>,
    user_profile: Option<CreateUserProfile>,
    membership: Option<CreateMembership>,
}

#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
struct CreateUserProfile {
    #[serde(skip_serializing_if = "Option::is_none")]
    given_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    family_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    locale: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    picture: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    preferred_username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gender: Option<String>,
    groups: Vec<String>,
    custom_attributes: Map<String, Value>,
    metadata: Map<String, Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct CreateMembership {
    roles: Vec<RoleRef>,
    metadata: Option<Map<String, Value>>,
    inviter_email: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RoleRef {
    id: Option<String>,
    name: Option<String>,
    display_name: Option<String>,
}

/// The same check Scalekit's protovalidate `string.email` makes, near enough for tests.
pub fn is_email(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

pub async fn create_with_membership(
    State(state): State<Arc<AppState>>,
    Path(organization_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let request: CreateUser = parse_body(&body)?;
    match query.get("send_invitation_email").map(String::as_str) {
        None | Some("true") | Some("false") => {}
        Some(other) => return Err(ApiError::invalid(format!("send_invitation_email: invalid boolean {other:?}"))),
    }
    let email = request.email.trim().to_owned();
    if email.is_empty() {
        return Err(ApiError::field("email", "value is required", "required"));
    }
    if !is_email(&email) {
        return Err(ApiError::field("email", "value must be a valid email address", "string.email"));
    }
    let mut store = state.store.lock().unwrap();
    if store.organization(&organization_id).is_none() {
        return Err(ApiError::not_found(format!("organization {organization_id} not found")));
    }
    let external_id = request.external_id.filter(|e| !e.is_empty());
    if let Some(external_id) = &external_id {
        if store.user_external_ids.contains(external_id) {
            return Err(ApiError::conflict(format!("user with external_id {external_id} already exists")));
        }
    }
    let membership_key = (organization_id.clone(), email.to_lowercase());
    if store.memberships.contains(&membership_key) {
        return Err(ApiError::conflict(format!("user with email {email} is already a member of {organization_id}")));
    }
    let now = now_rfc3339();
    let membership_request = request.membership.unwrap_or_default();
    let roles: Vec<Value> = if membership_request.roles.is_empty() {
        vec![json!({ "id": "role_member", "name": "member", "display_name": "Member" })]
    } else {
        membership_request
            .roles
            .iter()
            .map(|r| {
                let name = r.name.clone().or_else(|| r.id.clone()).unwrap_or_default();
                json!({ "id": r.id.clone().unwrap_or_else(|| format!("role_{name}")), "name": name, "display_name": r.display_name.clone().unwrap_or_else(|| name.clone()) })
            })
            .collect()
    };
    let invite = query.get("send_invitation_email").map(String::as_str) != Some("false");
    let membership = json!({
        "organization_id": organization_id,
        "membership_status": if invite { "PENDING_INVITE" } else { "ACTIVE" },
        "roles": roles,
        "metadata": membership_request.metadata.unwrap_or_default(),
        "inviter_email": membership_request.inviter_email,
        "created_at": now,
        "join_time": now,
    });
    let profile = request.user_profile.unwrap_or_default();
    let mut profile_json = serde_json::to_value(&profile).expect("profile serializes");
    profile_json["id"] = json!(state.new_id("usp"));
    profile_json["email_verified"] = json!(false);
    if profile.name.is_none() {
        let full = [profile.given_name.as_deref(), profile.family_name.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
        if !full.is_empty() {
            profile_json["name"] = json!(full);
        }
    }
    let user = json!({
        "id": state.new_id("usr"),
        "email": email,
        "external_id": external_id,
        "metadata": request.metadata.unwrap_or_default(),
        "user_profile": profile_json,
        "memberships": [membership],
        "create_time": now,
        "update_time": now,
    });
    if let Some(external_id) = external_id {
        store.user_external_ids.insert(external_id);
    }
    store.memberships.insert(membership_key);
    store.users.push(user.clone());
    Ok((StatusCode::CREATED, Json(json!({ "user": user }))))
}
