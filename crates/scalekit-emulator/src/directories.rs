//! SCIM directories of an organization, with directory users and groups that
//! tests seed through the JS API (`seedDirectory`).

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult};
use crate::pagination::{page_response, Bounds, Total};
use axum::response::Response;
use crate::state::{now_rfc3339, position_in_organization, without_nulls, AppState, Store};
use crate::parse_body;

#[derive(Debug, Default, Clone)]
pub struct DirectoryData {
    pub users: Vec<Value>,
    pub groups: Vec<Value>,
}

fn with_totals(store: &Store, directory: &Value) -> Value {
    let id = directory["id"].as_str().unwrap_or_default();
    let data = store.directory_data.get(id).cloned().unwrap_or_default();
    let mut directory = directory.clone();
    directory["total_users"] = json!(data.users.len());
    directory["total_groups"] = json!(data.groups.len());
    directory["stats"] = json!({ "total_users": data.users.len(), "total_groups": data.groups.len() });
    directory
}

pub async fn create(State(state): State<Arc<AppState>>, Path(organization_id): Path<String>, body: Bytes) -> ApiResult<(StatusCode, Json<Value>)> {
    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields, default)]
    struct Body {
        directory_type: String,
        directory_provider: String,
    }
    let request: Body = parse_body(&body)?;
    if !matches!(request.directory_type.as_str(), "SCIM" | "LDAP" | "POLL") {
        return Err(ApiError::field("directory_type", "value must be SCIM, LDAP or POLL", "enum.defined_only"));
    }
    if !matches!(request.directory_provider.as_str(), "OKTA" | "GOOGLE" | "MICROSOFT_AD" | "AUTH0" | "ONELOGIN" | "JUMPCLOUD" | "PING_IDENTITY") {
        return Err(ApiError::field("directory_provider", "value must be one of the defined enum values", "enum.defined_only"));
    }
    let mut store = state.store.lock().unwrap();
    store.organization(&organization_id).ok_or_else(|| ApiError::not_found(format!("organization {organization_id} not found")))?;
    let id = state.new_id("dir");
    let directory = json!({
        "id": id, "organization_id": organization_id, "name": format!("{} directory", request.directory_provider),
        "directory_type": request.directory_type, "directory_provider": request.directory_provider, "enabled": false,
        "directory_endpoint": format!("{}/api/v1/directoryservice/{id}/scim/v2", state.public_url()),
        "secrets": [], "last_synced_at": now_rfc3339(),
    });
    store.directories.push(directory.clone());
    Ok((StatusCode::CREATED, Json(json!({ "directory": with_totals(&store, &directory) }))))
}

pub async fn list(State(state): State<Arc<AppState>>, Path(organization_id): Path<String>) -> ApiResult<Json<Value>> {
    let store = state.store.lock().unwrap();
    store.organization(&organization_id).ok_or_else(|| ApiError::not_found(format!("organization {organization_id} not found")))?;
    let directories: Vec<Value> = store.directories.iter().filter(|d| d["organization_id"] == *organization_id).map(|d| with_totals(&store, d)).collect();
    Ok(Json(json!({ "directories": directories })))
}

pub async fn get(State(state): State<Arc<AppState>>, Path((organization_id, id)): Path<(String, String)>) -> ApiResult<Json<Value>> {
    let store = state.store.lock().unwrap();
    let directory = &store.directories[position_in_organization(&store.directories, "directory", &organization_id, &id)?];
    Ok(Json(json!({ "directory": with_totals(&store, directory) })))
}

/// Routes `…/directories/{id}:enable` and `…:disable` (one path segment).
pub async fn action(State(state): State<Arc<AppState>>, Path((organization_id, id_action)): Path<(String, String)>) -> ApiResult<Json<Value>> {
    let (id, enabled) = match id_action.rsplit_once(':') {
        Some((id, "enable")) => (id.to_owned(), true),
        Some((id, "disable")) => (id.to_owned(), false),
        _ => return Err(ApiError::not_found("Not Found")),
    };
    let mut store = state.store.lock().unwrap();
    let i = position_in_organization(&store.directories, "directory", &organization_id, &id)?;
    store.directories[i]["enabled"] = json!(enabled);
    let directory = store.directories[i].clone();
    drop(store);
    state.emit(if enabled { "organization.directory_enabled" } else { "organization.directory_disabled" }, "Directory", Some(&organization_id), directory);
    Ok(Json(json!({ "enabled": enabled })))
}

pub async fn delete(State(state): State<Arc<AppState>>, Path((organization_id, id)): Path<(String, String)>) -> ApiResult<Json<Value>> {
    let mut store = state.store.lock().unwrap();
    let i = position_in_organization(&store.directories, "directory", &organization_id, &id)?;
    store.directories.remove(i);
    store.directory_data.remove(&id);
    Ok(Json(json!({})))
}

fn page_of(state: &AppState, items: Vec<Value>, query: &HashMap<String, String>, key: &str) -> ApiResult<Response> {
    // The spec's bound is 30; `--max-page-size` above the default (the bench) raises it too.
    let raised = state.config.lock().unwrap().max_page_size;
    page_response(key, &items, query, Bounds { min: 1, max: if raised > 100 { raised } else { 30 }, default: 10 }, Total::Size)
}

fn updated_after(query: &HashMap<String, String>, item: &Value) -> bool {
    // RFC 3339 UTC strings of the same shape order as text.
    query.get("updated_after").filter(|s| !s.is_empty()).is_none_or(|after| item["updated_at"].as_str().is_some_and(|t| t > after.as_str()))
}

/// One page of a directory's users or groups: `updated_after` filters, and the raw
/// `*_detail` object is kept only with `include_detail=true`.
fn members(
    state: &AppState,
    (organization_id, directory_id): (String, String),
    query: &HashMap<String, String>,
    key: &str,
    select: impl Fn(&DirectoryData) -> &Vec<Value>,
    keep: impl Fn(&Value) -> bool,
) -> ApiResult<Response> {
    let store = state.store.lock().unwrap();
    position_in_organization(&store.directories, "directory", &organization_id, &directory_id)?;
    let detail_key = if key == "users" { "user_detail" } else { "group_detail" };
    let with_detail = query.get("include_detail").is_some_and(|v| v == "true");
    let empty = DirectoryData::default();
    let items: Vec<Value> = select(store.directory_data.get(&directory_id).unwrap_or(&empty))
        .iter()
        .filter(|item| keep(item) && updated_after(query, item))
        .map(|item| {
            let mut item = item.clone();
            if !with_detail {
                item.as_object_mut().map(|o| o.remove(detail_key));
            }
            item
        })
        .collect();
    drop(store);
    page_of(state, items, query, key)
}

pub async fn users(State(state): State<Arc<AppState>>, Path(ids): Path<(String, String)>, Query(query): Query<HashMap<String, String>>) -> ApiResult<Response> {
    let group = query.get("directory_group_id").filter(|g| !g.is_empty()).cloned();
    let in_group = |u: &Value| group.as_ref().is_none_or(|g| u["groups"].as_array().is_some_and(|gs| gs.iter().any(|x| x["id"] == **g)));
    members(&state, ids, &query, "users", |d| &d.users, in_group)
}

pub async fn groups(State(state): State<Arc<AppState>>, Path(ids): Path<(String, String)>, Query(query): Query<HashMap<String, String>>) -> ApiResult<Response> {
    // The emulator has no external provider: every group is already a directory group.
    if query.get("include_external_groups").is_some_and(|v| v != "true" && v != "false") {
        return Err(ApiError::field("include_external_groups", "value must be true or false", "bool"));
    }
    members(&state, ids, &query, "groups", |d| &d.groups, |_| true)
}

/// A directory user to seed; `groups` are display names.
#[derive(Default)]
pub struct DirectoryUserSeed {
    pub email: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub groups: Vec<String>,
    /// The raw SCIM resource as the provider sends it; default: a minimal one from the fields above.
    pub user_detail: Option<Value>,
}

/// Seeds directory groups and users (REST JSON shapes); users name their groups by display name.
pub fn seed(state: &Arc<AppState>, directory_id: &str, groups: Vec<String>, users: Vec<DirectoryUserSeed>) -> Result<Value, String> {
    let mut store = state.store.lock().unwrap();
    let directory = store.directories.iter().find(|d| d["id"] == directory_id).ok_or_else(|| format!("directory {directory_id} not found"))?;
    let organization_id = directory["organization_id"].as_str().map(str::to_owned);
    let now = now_rfc3339();
    let mut data = store.directory_data.get(directory_id).cloned().unwrap_or_default();
    for name in groups {
        data.groups.push(json!({ "id": state.new_id("dirgroup"), "display_name": name, "total_users": 0, "updated_at": now, "group_detail": { "displayName": name } }));
    }
    let mut created = Vec::new();
    for DirectoryUserSeed { email, given_name, family_name, groups: group_names, user_detail } in users {
        if user_detail.as_ref().is_some_and(|d| !d.is_object()) {
            return Err(format!("the SCIM resource of {email} must be an object"));
        }
        let mut member_of = Vec::new();
        for name in &group_names {
            let group = data.groups.iter_mut().find(|g| g["display_name"] == *name).ok_or_else(|| format!("no group named {name}"))?;
            group["total_users"] = json!(group["total_users"].as_u64().unwrap_or(0) + 1);
            member_of.push(json!({ "id": group["id"], "display_name": name }));
        }
        let user = without_nulls(json!({
            "id": state.new_id("diruser"), "email": email, "emails": [email], "given_name": given_name, "family_name": family_name,
            "preferred_username": email, "groups": member_of, "updated_at": now,
        }));
        let mut user = user;
        // The caller's SCIM JSON is kept exactly as given, nulls included.
        user["user_detail"] = user_detail.unwrap_or_else(|| {
            without_nulls(json!({ "userName": email, "name": { "givenName": given_name, "familyName": family_name }, "active": true }))
        });
        created.push(user["id"].clone());
        data.users.push(user);
    }
    let snapshot = json!({ "users": data.users, "groups": data.groups });
    store.directory_data.insert(directory_id.to_owned(), data);
    drop(store);
    for user in snapshot["users"].as_array().into_iter().flatten().filter(|u| created.contains(&u["id"])) {
        state.emit("organization.directory.user_created", "DirectoryUser", organization_id.as_deref(), user.clone());
    }
    Ok(snapshot)
}
