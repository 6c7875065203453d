//! `/api/v1/organizations/{organization_id}/domains`: page-number pagination.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult};
use crate::state::{now_rfc3339, position_in_organization, without_nulls, AppState};
use crate::{parse_body, query_u32};

/// A plausible DNS name: dot-separated labels of letters, digits and hyphens.
fn is_domain_name(name: &str) -> bool {
    name.len() <= 253
        && name.contains('.')
        && name.split('.').all(|label| {
            !label.is_empty() && label.len() <= 63 && !label.starts_with('-') && !label.ends_with('-') && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

pub async fn create(State(state): State<Arc<AppState>>, Path(organization_id): Path<String>, body: Bytes) -> ApiResult<Json<Value>> {
    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields, default)]
    struct CreateDomain {
        domain: String,
        domain_type: Option<String>,
    }
    let request: CreateDomain = parse_body(&body)?;
    let name = request.domain.trim().to_lowercase();
    if !is_domain_name(&name) {
        return Err(ApiError::field("domain", "value must be a valid domain name", "string.hostname"));
    }
    let domain_type = request.domain_type.unwrap_or_else(|| "ORGANIZATION_DOMAIN".into());
    if !matches!(domain_type.as_str(), "ALLOWED_EMAIL_DOMAIN" | "ORGANIZATION_DOMAIN") {
        return Err(ApiError::field("domain_type", "value must be one of the defined enum values", "enum.defined_only"));
    }
    let mut store = state.store.lock().unwrap();
    store.organization(&organization_id).ok_or_else(|| ApiError::not_found(format!("organization {organization_id} not found")))?;
    if store.domains.iter().any(|d| d["domain"] == *name && d["domain_type"] == *domain_type) {
        return Err(ApiError::conflict(format!("domain {name} already exists")));
    }
    let now = now_rfc3339();
    let dns = domain_type == "ORGANIZATION_DOMAIN";
    let domain = without_nulls(json!({
        "txt_record_key": dns.then(|| format!("_scalekit-verification.{name}")),
        "txt_record_secret": dns.then(|| format!("scalekit-verification={}", rand::random::<u64>())),
        "id": state.new_id("dom"),
        "domain": name,
        "domain_type": domain_type,
        "organization_id": organization_id,
        "environment_id": crate::state::ENVIRONMENT_ID,
        "verification_status": if domain_type == "ALLOWED_EMAIL_DOMAIN" { "AUTO_VERIFIED" } else { "PENDING" },
        "verification_method": if domain_type == "ALLOWED_EMAIL_DOMAIN" { "NOT_APPLICABLE" } else { "DNS" },
        "create_time": now,
        "update_time": now,
    }));
    store.domains.push(domain.clone());
    drop(store);
    state.emit("organization.domain_created", "Organization", Some(&organization_id), domain.clone());
    Ok(Json(json!({ "domain": domain })))
}

pub async fn list(State(state): State<Arc<AppState>>, Path(organization_id): Path<String>, Query(query): Query<HashMap<String, String>>) -> ApiResult<Json<Value>> {
    let page_size = match query_u32(&query, "page_size")? {
        0 => 30,
        n if n <= 100 => n,
        _ => return Err(ApiError::field("page_size", "value must be less than or equal to 100", "int32.lte")),
    } as usize;
    let page_number = query_u32(&query, "page_number")? as usize;
    let domain_type = query.get("domain_type").filter(|t| !t.is_empty());
    if domain_type.is_some_and(|t| !matches!(t.as_str(), "ALLOWED_EMAIL_DOMAIN" | "ORGANIZATION_DOMAIN")) {
        return Err(ApiError::field("domain_type", "value must be one of the defined enum values", "enum.defined_only"));
    }
    let store = state.store.lock().unwrap();
    store.organization(&organization_id).ok_or_else(|| ApiError::not_found(format!("organization {organization_id} not found")))?;
    let domains: Vec<&Value> = store
        .domains
        .iter()
        .filter(|d| d["organization_id"] == *organization_id && domain_type.is_none_or(|t| d["domain_type"] == **t))
        .skip(page_number * page_size)
        .take(page_size)
        .collect();
    Ok(Json(json!({ "domains": domains, "page_size": page_size, "page_number": page_number })))
}

pub async fn get(State(state): State<Arc<AppState>>, Path((organization_id, id)): Path<(String, String)>) -> ApiResult<Json<Value>> {
    let store = state.store.lock().unwrap();
    Ok(Json(json!({ "domain": store.domains[position_in_organization(&store.domains, "domain", &organization_id, &id)?] })))
}

pub async fn delete(State(state): State<Arc<AppState>>, Path((organization_id, id)): Path<(String, String)>) -> ApiResult<Json<Value>> {
    let mut store = state.store.lock().unwrap();
    let index = position_in_organization(&store.domains, "domain", &organization_id, &id)?;
    let domain = store.domains.remove(index);
    drop(store);
    state.emit("organization.domain_deleted", "Organization", Some(&organization_id), domain);
    Ok(Json(json!({})))
}
