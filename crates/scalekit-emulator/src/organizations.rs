//! `/api/v1/organizations`.

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
use crate::state::{now_rfc3339, without_nulls, AppState};
use crate::parse_body;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CreateOrganization {
    pub display_name: String,
    pub external_id: Option<String>,
    pub region_code: Option<String>,
    pub logo_url: Option<String>,
    pub slug: Option<String>,
    pub metadata: Option<Map<String, Value>>,
}

pub async fn list(State(state): State<Arc<AppState>>, Query(query): Query<HashMap<String, String>>) -> ApiResult<Response> {
    let external_id = query.get("external_id").filter(|s| !s.is_empty());
    let max_page_size = state.config.lock().unwrap().max_page_size;
    let store = state.store.lock().unwrap();
    let matching: Vec<&Value> = store
        .organizations
        .iter()
        .filter(|o| external_id.is_none_or(|e| o["external_id"] == **e))
        .collect();
    // The spec says 10 to 100, but the live service takes smaller pages (the official SDK's own tests list 5).
    page_response("organizations", &matching, &query, Bounds { min: 1, max: max_page_size, default: 10 }, Total::Size)
}

pub async fn get(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let store = state.store.lock().unwrap();
    let organization = store.organization(&id).ok_or_else(|| ApiError::not_found("organization not found"))?;
    Ok(Json(json!({ "organization": organization })))
}

pub async fn create(State(state): State<Arc<AppState>>, body: Bytes) -> ApiResult<(StatusCode, Json<Value>)> {
    let request: CreateOrganization = parse_body(&body)?;
    let organization = insert(&state, request)?;
    Ok((StatusCode::CREATED, Json(json!({ "organization": organization }))))
}

/// Validates and stores a new organization; shared by the API and the seeding helpers.
pub fn insert(state: &Arc<AppState>, request: CreateOrganization) -> ApiResult<Value> {
    let name = request.display_name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ApiError::field("display_name", "value length must be between 1 and 200 characters", "string.len"));
    }
    if let Some(region) = &request.region_code {
        if !matches!(region.as_str(), "US" | "EU" | "REGION_CODE_UNSPECIFIED") {
            return Err(ApiError::field("region_code", "value must be one of the defined enum values", "enum.defined_only"));
        }
    }
    if let Some(url) = &request.logo_url {
        if !url.starts_with("https://") || url.len() > 1024 {
            return Err(ApiError::field("logo_url", "value must be an https URL of at most 1024 characters", "string.pattern"));
        }
    }
    let mut store = state.store.lock().unwrap();
    if let Some(external_id) = request.external_id.as_deref().filter(|e| !e.is_empty()) {
        if store.organizations.iter().any(|o| o["external_id"] == external_id) {
            return Err(ApiError::conflict(format!("organization with external_id {external_id} already exists")));
        }
    }
    let now = now_rfc3339();
    let organization = without_nulls(json!({
        "id": state.new_id("org"),
        "display_name": name,
        "external_id": request.external_id.filter(|e| !e.is_empty()),
        "region_code": request.region_code.unwrap_or_else(|| "US".into()),
        "logo_url": request.logo_url,
        "slug": request.slug,
        "metadata": request.metadata.unwrap_or_default(),
        "settings": { "features": [ { "name": "sso", "enabled": false }, { "name": "dir_sync", "enabled": false } ] },
        "create_time": now,
        "update_time": now,
    }));
    store.organizations.push(organization.clone());
    drop(store);
    let id = organization["id"].as_str().map(str::to_owned);
    state.emit("organization.created", "Organization", id.as_deref(), organization.clone());
    Ok(organization)
}

fn find_mut<'a>(organizations: &'a mut [Value], id: &str) -> ApiResult<&'a mut Value> {
    organizations.iter_mut().find(|o| o["id"] == id).ok_or_else(|| ApiError::not_found(format!("organization {id} not found")))
}

fn require_id(id: &str) -> ApiResult<()> {
    if id.is_empty() || id.len() > 32 {
        return Err(ApiError::field("id", "value length must be between 1 and 32 characters", "string.len"));
    }
    Ok(())
}

pub async fn get_by_external_id(State(state): State<Arc<AppState>>, Path(external_id): Path<String>) -> ApiResult<Json<Value>> {
    let store = state.store.lock().unwrap();
    let organization = store
        .organizations
        .iter()
        .find(|o| o["external_id"] == *external_id)
        .ok_or_else(|| ApiError::not_found(format!("organization with external_id {external_id} not found")))?;
    Ok(Json(json!({ "organization": organization })))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UpdateOrganization {
    display_name: Option<String>,
    external_id: Option<String>,
    logo_url: Option<String>,
    slug: Option<String>,
    metadata: Option<Map<String, Value>>,
}

pub async fn update(State(state): State<Arc<AppState>>, Path(id): Path<String>, body: Bytes) -> ApiResult<Json<Value>> {
    require_id(&id)?;
    let request: UpdateOrganization = parse_body(&body)?;
    if let Some(name) = &request.display_name {
        if name.trim().is_empty() || name.chars().count() > 200 {
            return Err(ApiError::field("display_name", "value length must be between 1 and 200 characters", "string.len"));
        }
    }
    if let Some(url) = request.logo_url.as_deref().filter(|u| !u.is_empty()) {
        if !url.starts_with("https://") || url.len() > 1024 {
            return Err(ApiError::field("logo_url", "value must be an https URL of at most 1024 characters", "string.pattern"));
        }
    }
    let mut store = state.store.lock().unwrap();
    if let Some(external_id) = request.external_id.as_deref().filter(|e| !e.is_empty()) {
        if store.organizations.iter().any(|o| o["external_id"] == external_id && o["id"] != *id) {
            return Err(ApiError::conflict(format!("organization with external_id {external_id} already exists")));
        }
    }
    let organization = find_mut(&mut store.organizations, &id)?;
    if let Some(name) = request.display_name {
        organization["display_name"] = json!(name.trim());
    }
    for (field, value) in [("external_id", request.external_id), ("logo_url", request.logo_url), ("slug", request.slug)] {
        match value.as_deref() {
            Some("") => drop(organization.as_object_mut().and_then(|o| o.remove(field))),
            Some(value) => organization[field] = json!(value),
            None => {}
        }
    }
    if let Some(metadata) = request.metadata {
        organization["metadata"] = Value::Object(metadata);
    }
    organization["update_time"] = json!(now_rfc3339());
    let organization = organization.clone();
    drop(store);
    state.emit("organization.updated", "Organization", Some(&id), organization.clone());
    Ok(Json(json!({ "organization": organization })))
}

pub async fn delete(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    require_id(&id)?;
    let mut store = state.store.lock().unwrap();
    let index = store.organizations.iter().position(|o| o["id"] == *id).ok_or_else(|| ApiError::not_found(format!("organization {id} not found")))?;
    store.organizations.remove(index);
    // Its memberships go with it.
    store.memberships.retain(|(org, _)| *org != id);
    for user in store.users.iter_mut() {
        if let Some(memberships) = user["memberships"].as_array_mut() {
            memberships.retain(|m| m["organization_id"] != *id);
        }
    }
    store.organization_settings.remove(&id);
    store.domains.retain(|d| d["organization_id"] != *id);
    drop(store);
    state.emit("organization.deleted", "Organization", Some(&id), json!({ "id": id }));
    Ok(Json(json!({})))
}

pub async fn update_settings(State(state): State<Arc<AppState>>, Path(id): Path<String>, body: Bytes) -> ApiResult<Json<Value>> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Feature {
        name: String,
        enabled: bool,
    }
    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields, default)]
    struct Settings {
        features: Vec<Feature>,
    }
    let request: Settings = parse_body(&body)?;
    for feature in &request.features {
        if !matches!(feature.name.as_str(), "sso" | "dir_sync") {
            return Err(ApiError::field("features.name", "value must be one of sso, dir_sync", "string.in"));
        }
    }
    let mut store = state.store.lock().unwrap();
    let organization = find_mut(&mut store.organizations, &id)?;
    // A record added with `import_records` may have no settings, or other ones: start from none.
    let features = crate::state::array_field(&mut organization["settings"], "features");
    for requested in request.features {
        match features.iter_mut().find(|f| f["name"] == *requested.name) {
            Some(feature) => feature["enabled"] = json!(requested.enabled),
            None => features.push(json!({ "name": requested.name, "enabled": requested.enabled })),
        }
    }
    organization["update_time"] = json!(now_rfc3339());
    Ok(Json(json!({ "organization": organization })))
}

pub async fn generate_portal_link(State(state): State<Arc<AppState>>, Path(id): Path<String>, Query(query): Query<Vec<(String, String)>>) -> ApiResult<Json<Value>> {
    for (key, value) in &query {
        if key != "features" || !matches!(value.as_str(), "sso" | "dir_sync") {
            return Err(ApiError::field("features", "value must be one of sso, dir_sync", "string.in"));
        }
    }
    if state.store.lock().unwrap().organization(&id).is_none() {
        return Err(ApiError::not_found(format!("organization {id} not found")));
    }
    let link_id = state.new_id("lnk");
    let expire_time = time::OffsetDateTime::now_utc() + time::Duration::minutes(1);
    let url = state.public_url();
    Ok(Json(json!({
        "link": {
            "id": link_id,
            "location": format!("{url}/magicLink/{link_id}"),
            "expire_time": expire_time.format(&time::format_description::well_known::Rfc3339).expect("RFC 3339"),
        }
    })))
}

fn default_session_policy() -> Value {
    json!({ "policy_source": "APPLICATION" })
}

pub async fn get_session_policy(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let store = state.store.lock().unwrap();
    store.organization(&id).ok_or_else(|| ApiError::not_found(format!("organization {id} not found")))?;
    let policy = store.organization_settings.get(&id).and_then(|s| s.get("session_policy").cloned()).unwrap_or_else(default_session_policy);
    Ok(Json(json!({ "policy": policy })))
}

pub async fn update_session_policy(State(state): State<Arc<AppState>>, Path(id): Path<String>, body: Bytes) -> ApiResult<Json<Value>> {
    #[derive(Deserialize, Default, serde::Serialize)]
    #[serde(deny_unknown_fields, default)]
    struct Policy {
        policy_source: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        absolute_session_timeout: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        absolute_session_timeout_unit: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        idle_session_timeout_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        idle_session_timeout: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        idle_session_timeout_unit: Option<String>,
    }
    let policy: Policy = parse_body(&body)?;
    let unit_ok = |u: &Option<String>| u.as_deref().is_none_or(|u| matches!(u, "MINUTES" | "HOURS" | "DAYS"));
    match policy.policy_source.as_str() {
        "APPLICATION" => {}
        "CUSTOM" => {
            if policy.absolute_session_timeout.is_none_or(|t| t <= 0) {
                return Err(ApiError::field("absolute_session_timeout", "value must be greater than 0 for a CUSTOM policy", "int64.gt"));
            }
        }
        _ => return Err(ApiError::field("policy_source", "value must be APPLICATION or CUSTOM", "enum.defined_only")),
    }
    if !unit_ok(&policy.absolute_session_timeout_unit) || !unit_ok(&policy.idle_session_timeout_unit) {
        return Err(ApiError::field("absolute_session_timeout_unit", "value must be MINUTES, HOURS or DAYS", "enum.defined_only"));
    }
    let mut store = state.store.lock().unwrap();
    store.organization(&id).ok_or_else(|| ApiError::not_found(format!("organization {id} not found")))?;
    let policy = if policy.policy_source == "APPLICATION" { default_session_policy() } else { serde_json::to_value(&policy).expect("policy") };
    store.organization_settings.entry(id).or_default().insert("session_policy".into(), policy.clone());
    Ok(Json(json!({ "policy": policy })))
}

pub async fn get_user_management(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let store = state.store.lock().unwrap();
    store.organization(&id).ok_or_else(|| ApiError::not_found(format!("organization {id} not found")))?;
    let settings = store.organization_settings.get(&id).and_then(|s| s.get("user_management").cloned()).unwrap_or_else(|| json!({}));
    Ok(Json(json!({ "settings": settings })))
}

pub async fn upsert_user_management(State(state): State<Arc<AppState>>, Path(id): Path<String>, body: Bytes) -> ApiResult<Json<Value>> {
    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields, default)]
    struct Settings {
        max_allowed_users: Option<i64>,
    }
    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields, default)]
    struct Body {
        settings: Settings,
    }
    let request: Body = parse_body(&body)?;
    if request.settings.max_allowed_users.is_some_and(|n| n < 0) {
        return Err(ApiError::field("settings.max_allowed_users", "value must be greater than or equal to 0", "int32.gte"));
    }
    let mut store = state.store.lock().unwrap();
    store.organization(&id).ok_or_else(|| ApiError::not_found(format!("organization {id} not found")))?;
    let settings = match request.settings.max_allowed_users {
        Some(n) => json!({ "max_allowed_users": n }),
        None => json!({}),
    };
    store.organization_settings.entry(id).or_default().insert("user_management".into(), settings.clone());
    Ok(Json(json!({ "settings": settings })))
}

pub async fn search(State(state): State<Arc<AppState>>, Query(query): Query<HashMap<String, String>>) -> ApiResult<Response> {
    let needle = query.get("query").map(|q| q.trim().to_lowercase()).unwrap_or_default();
    if needle.len() < 3 {
        return Err(ApiError::field("query", "value length must be at least 3 characters", "string.min_len"));
    }
    let max_page_size = state.config.lock().unwrap().max_page_size;
    let store = state.store.lock().unwrap();
    let hits = |o: &&Value| {
        ["id", "display_name", "external_id"].iter().any(|f| o[*f].as_str().is_some_and(|v| v.to_lowercase().contains(&needle)))
    };
    let matching: Vec<&Value> = store.organizations.iter().filter(hits).collect();
    page_response("organizations", &matching, &query, Bounds { min: 1, max: max_page_size, default: 10 }, Total::Size)
}
