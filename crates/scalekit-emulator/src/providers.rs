//! Custom connected-app providers ("bring your own connector"): create, update, delete.
//! The identifier is a slug of the display name, fixed at creation.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::parse_body;
use crate::state::{without_nulls, AppState};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct ProviderBody {
    auth_patterns: Option<Vec<Map<String, Value>>>,
    description: Option<String>,
    display_name: Option<String>,
    icon_src: Option<String>,
    metadata: Option<Map<String, Value>>,
    proxy_enabled: Option<bool>,
    proxy_url: Option<String>,
}

/// `Google Workspace!` → `google-workspace`.
fn slug(display_name: &str) -> String {
    let mut slug = String::new();
    for c in display_name.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

/// Checks the fields given; returns them as REST JSON (only those given).
fn fields(request: ProviderBody) -> ApiResult<Map<String, Value>> {
    let mut out = Map::new();
    if let Some(name) = request.display_name {
        if name.trim().is_empty() {
            return Err(ApiError::field("display_name", "value is required", "required"));
        }
        out.insert("display_name".into(), json!(name.trim()));
    }
    if let Some(url) = request.proxy_url.filter(|u| !u.is_empty()) {
        if !url.starts_with("https://") || crate::parse_url(&url).is_err() {
            return Err(ApiError::field("proxy_url", "value must be an https:// URL", "string.prefix"));
        }
        out.insert("proxy_url".into(), json!(url));
    }
    if let Some(metadata) = &request.metadata {
        if metadata.len() > 20 {
            return Err(ApiError::field("metadata", "value must have at most 20 entries", "map.max_pairs"));
        }
        for (key, value) in metadata {
            if !(3..=25).contains(&key.chars().count()) {
                return Err(ApiError::field("metadata", "keys must be 3 to 25 characters", "map.keys"));
            }
            if !value.as_str().is_some_and(|v| (1..=256).contains(&v.chars().count())) {
                return Err(ApiError::field("metadata", "values must be strings of 1 to 256 characters", "map.values"));
            }
        }
    }
    let rest = without_nulls(json!({
        "description": request.description, "icon_src": request.icon_src, "proxy_enabled": request.proxy_enabled,
        "metadata": request.metadata, "auth_patterns": request.auth_patterns,
    }));
    out.extend(rest.as_object().cloned().unwrap_or_default());
    Ok(out)
}

pub async fn create(State(state): State<Arc<AppState>>, body: Bytes) -> ApiResult<(StatusCode, Json<Value>)> {
    let request: ProviderBody = parse_body(&body)?;
    if request.display_name.as_deref().is_none_or(|n| n.trim().is_empty()) {
        return Err(ApiError::field("display_name", "value is required", "required"));
    }
    let given = fields(request)?;
    let identifier = slug(given["display_name"].as_str().unwrap_or_default());
    if identifier.is_empty() {
        return Err(ApiError::field("display_name", "value must contain a letter or digit", "string.pattern"));
    }
    let mut store = state.store.lock().unwrap();
    if store.providers.iter().any(|p| p["identifier"] == identifier) {
        return Err(ApiError::conflict(format!("a provider with identifier {identifier} already exists")));
    }
    let mut provider = json!({ "id": state.new_id("prov"), "identifier": identifier, "is_custom": true, "is_custom_mcp": false, "metadata": {} });
    provider.as_object_mut().expect("an object").extend(given);
    store.providers.push(provider.clone());
    Ok((StatusCode::CREATED, Json(json!({ "provider": provider }))))
}

pub async fn update(State(state): State<Arc<AppState>>, Path(identifier): Path<String>, body: Bytes) -> ApiResult<Json<Value>> {
    let request: ProviderBody = parse_body(&body)?;
    let given = fields(request)?;
    let mut store = state.store.lock().unwrap();
    let provider = store.providers.iter_mut().find(|p| p["identifier"] == identifier).ok_or_else(|| ApiError::not_found(format!("provider {identifier} not found")))?;
    provider.as_object_mut().expect("an object").extend(given);
    Ok(Json(json!({ "provider": provider })))
}

pub async fn delete(State(state): State<Arc<AppState>>, Path(identifier): Path<String>) -> ApiResult<Json<Value>> {
    let mut store = state.store.lock().unwrap();
    let i = store.providers.iter().position(|p| p["identifier"] == identifier).ok_or_else(|| ApiError::not_found(format!("provider {identifier} not found")))?;
    store.providers.remove(i);
    Ok(Json(json!({})))
}

#[cfg(test)]
mod tests {
    #[test]
    fn slugs() {
        assert_eq!(super::slug("Google Workspace!"), "google-workspace");
        assert_eq!(super::slug("  My  CRM v2 "), "my-crm-v2");
    }
}
