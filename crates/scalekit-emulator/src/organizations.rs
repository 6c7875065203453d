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
use crate::pagination::paginate;
use crate::state::{now_rfc3339, AppState};
use crate::{parse_body, query_u32};

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

pub async fn list(State(state): State<Arc<AppState>>, Query(query): Query<HashMap<String, String>>) -> ApiResult<Json<Value>> {
    let page_size = query_u32(&query, "page_size")?;
    let page_token = query.get("page_token").map(String::as_str).unwrap_or("");
    let external_id = query.get("external_id").filter(|s| !s.is_empty());
    let max_page_size = state.config.lock().unwrap().max_page_size;
    let store = state.store.lock().unwrap();
    let matching: Vec<&Value> = store
        .organizations
        .iter()
        .filter(|o| external_id.is_none_or(|e| o["external_id"] == **e))
        .collect();
    let page = paginate(matching.len(), page_size, page_token, 10, max_page_size, 10)?;
    Ok(Json(json!({
        "organizations": &matching[page.start..page.end],
        "next_page_token": page.next_page_token,
        "prev_page_token": page.prev_page_token,
        "total_size": matching.len(),
    })))
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
pub fn insert(state: &AppState, request: CreateOrganization) -> ApiResult<Value> {
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
    let organization = json!({
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
    });
    store.organizations.push(organization.clone());
    Ok(organization)
}
