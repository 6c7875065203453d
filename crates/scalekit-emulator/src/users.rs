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
use crate::pagination::{page_response, Bounds, Total};
use axum::response::Response;
use crate::parse_body;
use crate::state::{now_rfc3339, without_nulls, AppState};

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
pub struct CreateMembership {
    roles: Vec<RoleRef>,
    metadata: Option<Map<String, Value>>,
    inviter_email: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RoleRef {
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
    let invite = match query.get("send_invitation_email").map(String::as_str) {
        None | Some("true") => true,
        Some("false") => false,
        Some(other) => return Err(ApiError::invalid(format!("send_invitation_email: invalid boolean {other:?}"))),
    };
    let user = insert_user(&state, &organization_id, request, invite)?;
    Ok((StatusCode::CREATED, Json(json!({ "user": user }))))
}

/// The API still sends `first_name`/`last_name`, the older names of `given_name`/`family_name`.
fn mirror_older_names(profile: &mut Value) {
    for (newer, older) in [("given_name", "first_name"), ("family_name", "last_name")] {
        let value = profile.get(newer).cloned();
        if let (Some(profile), Some(value)) = (profile.as_object_mut(), value) {
            profile.insert(older.to_owned(), value);
        }
    }
}

/// Validates and stores a user with a membership of `organization_id`; shared by the API and the seeding helpers.
pub fn insert_user(state: &Arc<AppState>, organization_id: &str, request: CreateUser, invite: bool) -> ApiResult<Value> {
    let organization_id = organization_id.to_owned();
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
    let membership = new_membership(&organization_id, request.membership.unwrap_or_default(), invite, &now);
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
    mirror_older_names(&mut profile_json);
    let user = without_nulls(json!({
        "id": state.new_id("usr"),
        "environment_id": crate::state::ENVIRONMENT_ID,
        "email": email,
        "external_id": external_id,
        "metadata": request.metadata.unwrap_or_default(),
        "user_profile": profile_json,
        "memberships": [membership],
        "create_time": now,
        "update_time": now,
    }));
    if let Some(external_id) = external_id {
        store.user_external_ids.insert(external_id);
    }
    store.memberships.insert(membership_key);
    store.users.push(user.clone());
    drop(store);
    state.emit("user.organization_membership_created", "OrgMembership", Some(&organization_id), user.clone());
    Ok(user)
}

fn roles_json(roles: &[RoleRef]) -> Vec<Value> {
    if roles.is_empty() {
        return vec![json!({ "id": "role_member", "name": "member", "display_name": "Member" })];
    }
    roles
        .iter()
        .map(|r| {
            let name = r.name.clone().or_else(|| r.id.clone()).unwrap_or_default();
            json!({ "id": r.id.clone().unwrap_or_else(|| format!("role_{name}")), "name": name, "display_name": r.display_name.clone().unwrap_or_else(|| name.clone()) })
        })
        .collect()
}

/// A membership as Scalekit returns it. `invite` leaves it pending until accepted.
fn new_membership(organization_id: &str, request: CreateMembership, invite: bool, now: &str) -> Value {
    without_nulls(json!({
        "organization_id": organization_id,
        "membership_status": if invite { "PENDING_INVITE" } else { "ACTIVE" },
        "roles": roles_json(&request.roles),
        "metadata": request.metadata.unwrap_or_default(),
        "inviter_email": request.inviter_email,
        "created_at": now,
        "join_time": now,
    }))
}

fn user_index(store: &crate::state::Store, id: &str) -> ApiResult<usize> {
    store.users.iter().position(|u| u["id"] == id).ok_or_else(|| ApiError::not_found(format!("user {id} not found")))
}

fn user_index_by_external_id(store: &crate::state::Store, external_id: &str) -> ApiResult<usize> {
    store
        .users
        .iter()
        .position(|u| u["external_id"] == external_id)
        .ok_or_else(|| ApiError::not_found(format!("user with external_id {external_id} not found")))
}

fn is_member(user: &Value, organization_id: &str) -> bool {
    user["memberships"].as_array().is_some_and(|ms| ms.iter().any(|m| m["organization_id"] == organization_id))
}

/// One page of `users` as Scalekit lists them.
fn user_page(users: Vec<&Value>, query: &HashMap<String, String>, max: u32) -> ApiResult<Response> {
    page_response("users", &users, query, Bounds { min: 1, max, default: 10 }, Total::Size)
}

fn search_needle(query: &HashMap<String, String>) -> ApiResult<String> {
    let needle = query.get("query").map(|q| q.trim().to_lowercase()).unwrap_or_default();
    if needle.len() < 3 {
        return Err(ApiError::field("query", "value length must be at least 3 characters", "string.min_len"));
    }
    Ok(needle)
}

fn user_matches(user: &Value, needle: &str) -> bool {
    ["id", "email", "external_id"].iter().any(|f| user[*f].as_str().is_some_and(|v| v.to_lowercase().contains(needle)))
        || ["name", "given_name", "family_name"].iter().any(|f| user["user_profile"][*f].as_str().is_some_and(|v| v.to_lowercase().contains(needle)))
}

pub async fn list(State(state): State<Arc<AppState>>, Query(query): Query<HashMap<String, String>>) -> ApiResult<Response> {
    let max = state.config.lock().unwrap().max_page_size;
    let store = state.store.lock().unwrap();
    user_page(store.users.iter().collect(), &query, max)
}

pub async fn search(State(state): State<Arc<AppState>>, Query(query): Query<HashMap<String, String>>) -> ApiResult<Response> {
    let needle = search_needle(&query)?;
    let max = state.config.lock().unwrap().max_page_size;
    let store = state.store.lock().unwrap();
    user_page(store.users.iter().filter(|u| user_matches(u, &needle)).collect(), &query, max)
}

pub async fn list_in_organization(
    State(state): State<Arc<AppState>>,
    Path(organization_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    let max = state.config.lock().unwrap().max_page_size;
    let store = state.store.lock().unwrap();
    store.organization(&organization_id).ok_or_else(|| ApiError::not_found(format!("organization {organization_id} not found")))?;
    user_page(store.users.iter().filter(|u| is_member(u, &organization_id)).collect(), &query, max)
}

pub async fn search_in_organization(
    State(state): State<Arc<AppState>>,
    Path(organization_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    let needle = search_needle(&query)?;
    let max = state.config.lock().unwrap().max_page_size;
    let store = state.store.lock().unwrap();
    store.organization(&organization_id).ok_or_else(|| ApiError::not_found(format!("organization {organization_id} not found")))?;
    user_page(store.users.iter().filter(|u| is_member(u, &organization_id) && user_matches(u, &needle)).collect(), &query, max)
}

pub async fn get(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let store = state.store.lock().unwrap();
    Ok(Json(json!({ "user": store.users[user_index(&store, &id)?] })))
}

pub async fn get_by_external_id(State(state): State<Arc<AppState>>, Path(external_id): Path<String>) -> ApiResult<Json<Value>> {
    let store = state.store.lock().unwrap();
    Ok(Json(json!({ "user": store.users[user_index_by_external_id(&store, &external_id)?] })))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct UpdateUser {
    external_id: Option<String>,
    metadata: Option<Map<String, Value>>,
    user_profile: Option<Map<String, Value>>,
}

const PROFILE_FIELDS: [&str; 13] = [
    "given_name", "family_name", "first_name", "last_name", "name", "locale", "phone_number", "picture", "preferred_username", "gender", "groups",
    "custom_attributes", "metadata",
];

fn update_at(state: &AppState, index: impl FnOnce(&crate::state::Store) -> ApiResult<usize>, body: &Bytes) -> ApiResult<Json<Value>> {
    let request: UpdateUser = parse_body(body)?;
    if let Some(profile) = &request.user_profile {
        if let Some(unknown) = profile.keys().find(|k| !PROFILE_FIELDS.contains(&k.as_str())) {
            return Err(ApiError::invalid(format!("invalid request body: unknown field `user_profile.{unknown}`")));
        }
    }
    let mut store = state.store.lock().unwrap();
    let index = index(&store)?;
    let user_id = store.users[index]["id"].clone();
    if let Some(external_id) = request.external_id.as_deref().filter(|e| !e.is_empty()) {
        if store.users.iter().any(|u| u["external_id"] == external_id && u["id"] != user_id) {
            return Err(ApiError::conflict(format!("user with external_id {external_id} already exists")));
        }
    }
    if let Some(old) = store.users[index]["external_id"].as_str().map(str::to_owned) {
        if request.external_id.is_some() {
            store.user_external_ids.remove(&old);
        }
    }
    let user = &mut store.users[index];
    if let Some(external_id) = request.external_id.clone() {
        if external_id.is_empty() {
            user.as_object_mut().map(|u| u.remove("external_id"));
        } else {
            user["external_id"] = json!(external_id);
        }
    }
    if let Some(metadata) = request.metadata {
        user["metadata"] = Value::Object(metadata);
    }
    if let Some(profile) = request.user_profile {
        for (key, value) in profile {
            // The update API still takes the older first_name/last_name.
            let key = match key.as_str() {
                "first_name" => "given_name".to_owned(),
                "last_name" => "family_name".to_owned(),
                _ => key,
            };
            user["user_profile"][key] = value;
        }
        mirror_older_names(&mut user["user_profile"]);
    }
    user["update_time"] = json!(now_rfc3339());
    let user = user.clone();
    if let Some(external_id) = request.external_id.filter(|e| !e.is_empty()) {
        store.user_external_ids.insert(external_id);
    }
    Ok(Json(json!({ "user": user })))
}

pub async fn update(State(state): State<Arc<AppState>>, Path(id): Path<String>, body: Bytes) -> ApiResult<Json<Value>> {
    update_at(&state, |store| user_index(store, &id), &body)
}

pub async fn update_by_external_id(State(state): State<Arc<AppState>>, Path(external_id): Path<String>, body: Bytes) -> ApiResult<Json<Value>> {
    update_at(&state, |store| user_index_by_external_id(store, &external_id), &body)
}

fn delete_at(state: &Arc<AppState>, index: impl FnOnce(&crate::state::Store) -> ApiResult<usize>) -> ApiResult<Json<Value>> {
    let mut store = state.store.lock().unwrap();
    let index = index(&store)?;
    let user = store.users.remove(index);
    if let Some(external_id) = user["external_id"].as_str() {
        store.user_external_ids.remove(external_id);
    }
    let email = user["email"].as_str().unwrap_or_default().to_lowercase();
    store.memberships.retain(|(_, e)| *e != email);
    drop(store);
    // Deleting a user ends each of its memberships.
    for organization_id in user["memberships"].as_array().into_iter().flatten().filter_map(|m| m["organization_id"].as_str()) {
        state.emit("user.organization_membership_deleted", "OrgMembership", Some(organization_id), user.clone());
    }
    Ok(Json(json!({})))
}

pub async fn delete(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    delete_at(&state, |store| user_index(store, &id))
}

pub async fn delete_by_external_id(State(state): State<Arc<AppState>>, Path(external_id): Path<String>) -> ApiResult<Json<Value>> {
    delete_at(&state, |store| user_index_by_external_id(store, &external_id))
}

fn create_membership_at(
    state: &Arc<AppState>,
    organization_id: &str,
    index: impl FnOnce(&crate::state::Store) -> ApiResult<usize>,
    query: &HashMap<String, String>,
    body: &Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let request: CreateMembership = parse_body(body)?;
    let mut store = state.store.lock().unwrap();
    store.organization(organization_id).ok_or_else(|| ApiError::not_found(format!("organization {organization_id} not found")))?;
    let index = index(&store)?;
    if is_member(&store.users[index], organization_id) {
        return Err(ApiError::conflict(format!("user is already a member of {organization_id}")));
    }
    let invite = query.get("send_invitation_email").map(String::as_str) != Some("false");
    let membership = new_membership(organization_id, request, invite, &now_rfc3339());
    let email = store.users[index]["email"].as_str().unwrap_or_default().to_lowercase();
    store.memberships.insert((organization_id.to_owned(), email));
    let user = &mut store.users[index];
    crate::state::array_field(user, "memberships").push(membership);
    user["update_time"] = json!(now_rfc3339());
    let user = user.clone();
    drop(store);
    state.emit("user.organization_membership_created", "OrgMembership", Some(organization_id), user.clone());
    Ok((StatusCode::CREATED, Json(json!({ "user": user }))))
}

pub async fn create_membership(
    State(state): State<Arc<AppState>>,
    Path((organization_id, id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    create_membership_at(&state, &organization_id, |store| user_index(store, &id), &query, &body)
}

pub async fn create_membership_by_external_id(
    State(state): State<Arc<AppState>>,
    Path((organization_id, external_id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    create_membership_at(&state, &organization_id, |store| user_index_by_external_id(store, &external_id), &query, &body)
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct UpdateMembership {
    roles: Option<Vec<RoleRef>>,
    metadata: Option<Map<String, Value>>,
}

fn membership_mut<'a>(user: &'a mut Value, organization_id: &str) -> ApiResult<&'a mut Value> {
    user["memberships"]
        .as_array_mut()
        .and_then(|ms| ms.iter_mut().find(|m| m["organization_id"] == organization_id))
        .ok_or_else(|| ApiError::not_found(format!("user is not a member of {organization_id}")))
}

fn update_membership_at(state: &Arc<AppState>, organization_id: &str, index: impl FnOnce(&crate::state::Store) -> ApiResult<usize>, body: &Bytes) -> ApiResult<Json<Value>> {
    let request: UpdateMembership = parse_body(body)?;
    let mut store = state.store.lock().unwrap();
    let index = index(&store)?;
    let user = &mut store.users[index];
    let membership = membership_mut(user, organization_id)?;
    if let Some(roles) = request.roles {
        membership["roles"] = json!(roles_json(&roles));
    }
    if let Some(metadata) = request.metadata {
        membership["metadata"] = Value::Object(metadata);
    }
    user["update_time"] = json!(now_rfc3339());
    let user = user.clone();
    drop(store);
    state.emit("user.organization_membership_updated", "OrgMembership", Some(organization_id), user.clone());
    Ok(Json(json!({ "user": user })))
}

pub async fn update_membership(State(state): State<Arc<AppState>>, Path((organization_id, id)): Path<(String, String)>, body: Bytes) -> ApiResult<Json<Value>> {
    update_membership_at(&state, &organization_id, |store| user_index(store, &id), &body)
}

pub async fn update_membership_by_external_id(
    State(state): State<Arc<AppState>>,
    Path((organization_id, external_id)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    update_membership_at(&state, &organization_id, |store| user_index_by_external_id(store, &external_id), &body)
}

fn delete_membership_at(state: &Arc<AppState>, organization_id: &str, index: impl FnOnce(&crate::state::Store) -> ApiResult<usize>) -> ApiResult<Json<Value>> {
    let mut store = state.store.lock().unwrap();
    let index = index(&store)?;
    membership_mut(&mut store.users[index], organization_id)?;
    let email = store.users[index]["email"].as_str().unwrap_or_default().to_lowercase();
    store.memberships.remove(&(organization_id.to_owned(), email));
    let user = &mut store.users[index];
    crate::state::array_field(user, "memberships").retain(|m| m["organization_id"] != organization_id);
    user["update_time"] = json!(now_rfc3339());
    let user = user.clone();
    drop(store);
    state.emit("user.organization_membership_deleted", "OrgMembership", Some(organization_id), user);
    Ok(Json(json!({})))
}

pub async fn delete_membership(State(state): State<Arc<AppState>>, Path((organization_id, id)): Path<(String, String)>) -> ApiResult<Json<Value>> {
    delete_membership_at(&state, &organization_id, |store| user_index(store, &id))
}

pub async fn delete_membership_by_external_id(
    State(state): State<Arc<AppState>>,
    Path((organization_id, external_id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    delete_membership_at(&state, &organization_id, |store| user_index_by_external_id(store, &external_id))
}

pub async fn list_roles(State(state): State<Arc<AppState>>, Path((organization_id, user_id)): Path<(String, String)>) -> ApiResult<Json<Value>> {
    let mut store = state.store.lock().unwrap();
    let index = user_index(&store, &user_id)?;
    let roles = membership_mut(&mut store.users[index], &organization_id)?["roles"].clone();
    Ok(Json(json!({ "roles": roles })))
}

/// `POST …/users/{user_id}/roles` with a bare array body `[{"role_name": …}]`: adds roles to the membership.
pub async fn assign_roles(State(state): State<Arc<AppState>>, Path((organization_id, user_id)): Path<(String, String)>, body: Bytes) -> ApiResult<Json<Value>> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Assignment {
        role_name: String,
    }
    let assignments: Vec<Assignment> = parse_body(&body)?;
    if assignments.is_empty() {
        return Err(ApiError::field("roles", "at least one role is required", "repeated.min_items"));
    }
    let mut store = state.store.lock().unwrap();
    let index = user_index(&store, &user_id)?;
    let roles = crate::state::array_field(membership_mut(&mut store.users[index], &organization_id)?, "roles");
    for assignment in assignments {
        if !roles.iter().any(|r| r["name"] == *assignment.role_name) {
            roles.extend(roles_json(&[RoleRef { name: Some(assignment.role_name), ..Default::default() }]));
        }
    }
    let roles = roles.clone();
    Ok(Json(json!({ "roles": roles })))
}

pub async fn remove_role(
    State(state): State<Arc<AppState>>,
    Path((organization_id, user_id, role_name)): Path<(String, String, String)>,
) -> ApiResult<Json<Value>> {
    let mut store = state.store.lock().unwrap();
    let index = user_index(&store, &user_id)?;
    let roles = crate::state::array_field(membership_mut(&mut store.users[index], &organization_id)?, "roles");
    let before = roles.len();
    roles.retain(|r| r["name"] != *role_name);
    if roles.len() == before {
        return Err(ApiError::not_found(format!("the user has no role {role_name} in {organization_id}")));
    }
    Ok(Json(json!({})))
}

/// The union of the effective permissions of the user's roles in the organization.
pub async fn list_permissions(State(state): State<Arc<AppState>>, Path((organization_id, user_id)): Path<(String, String)>) -> ApiResult<Json<Value>> {
    let mut store = state.store.lock().unwrap();
    let index = user_index(&store, &user_id)?;
    let roles = membership_mut(&mut store.users[index], &organization_id)?["roles"].clone();
    let mut names: Vec<String> = Vec::new();
    for role in roles.as_array().into_iter().flatten().filter_map(|r| r["name"].as_str()) {
        for p in store.effective_permissions(Some(&organization_id), role) {
            if !names.contains(&p) {
                names.push(p);
            }
        }
    }
    let permissions: Vec<Value> = names
        .iter()
        .map(|name| {
            let known = store.permissions.iter().find(|p| p["name"] == **name);
            without_nulls(json!({ "id": known.map(|p| p["id"].clone()), "name": name, "description": known.map(|p| p["description"].clone()) }))
        })
        .collect();
    Ok(Json(json!({ "permissions": permissions })))
}

pub async fn resend_invite(State(state): State<Arc<AppState>>, Path((organization_id, id)): Path<(String, String)>, body: Bytes) -> ApiResult<Json<Value>> {
    let _: Map<String, Value> = parse_body(&body)?;
    let mut store = state.store.lock().unwrap();
    let index = user_index(&store, &id)?;
    let user_id = store.users[index]["id"].clone();
    let membership = membership_mut(&mut store.users[index], &organization_id)?;
    if membership["membership_status"] != "PENDING_INVITE" && membership["membership_status"] != "INVITE_EXPIRED" {
        return Err(ApiError::field("id", "the user has no pending invitation in this organization", "invite.pending"));
    }
    membership["membership_status"] = json!("PENDING_INVITE");
    let (inviter_email, created_at) = (membership["inviter_email"].clone(), membership["created_at"].clone());
    let count = {
        let resent = store.invites_resent.entry((organization_id.clone(), id.clone())).or_default();
        *resent += 1;
        *resent
    };
    let now = time::OffsetDateTime::now_utc();
    let fmt = |t: time::OffsetDateTime| t.format(&time::format_description::well_known::Rfc3339).expect("RFC 3339");
    let invite = without_nulls(json!({
        "organization_id": organization_id,
        "user_id": user_id,
        "inviter_email": inviter_email,
        "status": "PENDING_INVITE",
        "created_at": created_at,
        "resent_at": fmt(now),
        "expires_at": fmt(now + time::Duration::days(15)),
        "resent_count": count,
    }));
    Ok(Json(json!({ "invite": invite })))
}
