//! MCP configurations: which tools of which connections a virtual MCP server
//! exposes, the connection state of an identifier across them, and session tokens.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::connected_accounts::Selector;
use crate::error::{ApiError, ApiResult};
use crate::pagination::{page_response, Bounds, Total};
use crate::parse_body;
use crate::state::{rfc3339_after, without_nulls, AppState, Store};

const MAX_MAPPINGS: usize = 25;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct MappingBody {
    connection_name: Option<String>,
    connection_id: Option<String>,
    provider: Option<String>,
    tools: Vec<String>,
    /// Read-only in answers; accepted and ignored.
    connected_account_id: Option<String>,
    connected_account_status: Option<String>,
}

/// Checks the mappings and fills in each connection's id and provider.
fn mappings(state: &AppState, store: &mut Store, given: Vec<MappingBody>) -> ApiResult<Vec<Value>> {
    if given.len() > MAX_MAPPINGS {
        return Err(ApiError::field("connection_tool_mappings", "value must contain no more than 25 item(s)", "repeated.max_items"));
    }
    given
        .into_iter()
        .enumerate()
        .map(|(i, m)| {
            let _ = (m.connected_account_id, m.connected_account_status);
            let Some(name) = m.connection_name.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned) else {
                return Err(ApiError::field(&format!("connection_tool_mappings[{i}].connection_name"), "value is required", "required"));
            };
            let (provider, connection_id, _) = crate::connected_accounts::resolve_connector(state, store, &name)?;
            Ok(json!({
                "connection_name": name,
                "connection_id": m.connection_id.filter(|c| !c.is_empty()).unwrap_or(connection_id),
                "provider": m.provider.filter(|p| !p.is_empty()).unwrap_or(provider),
                "tools": m.tools,
            }))
        })
        .collect()
}

fn valid_name(name: &str) -> bool {
    (1..=100).contains(&name.len()) && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_'))
}

fn position(store: &Store, id: &str) -> ApiResult<usize> {
    store.mcp_configs.iter().position(|c| c["id"] == id).ok_or_else(|| ApiError::not_found(format!("MCP config {id} not found")))
}

pub async fn create(State(state): State<Arc<AppState>>, body: Bytes) -> ApiResult<(StatusCode, Json<Value>)> {
    #[derive(Debug, Default, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    struct Body {
        /// Read-only; ignored.
        id: Option<String>,
        name: Option<String>,
        description: Option<String>,
        /// Read-only; ignored.
        mcp_server_url: Option<String>,
        connection_tool_mappings: Vec<MappingBody>,
    }
    let request: Body = parse_body(&body)?;
    let _ = (request.id, request.mcp_server_url);
    let Some(name) = request.name.filter(|n| !n.is_empty()) else {
        return Err(ApiError::field("name", "value is required", "required"));
    };
    if !valid_name(&name) {
        return Err(ApiError::field("name", "value must be 1 to 100 lower-case letters, digits, hyphens or underscores", "string.pattern"));
    }
    let mut store = state.store.lock().unwrap();
    if store.mcp_configs.iter().any(|c| c["name"] == name) {
        return Err(ApiError::conflict(format!("an MCP config named {name} already exists")));
    }
    let mappings = mappings(&state, &mut store, request.connection_tool_mappings)?;
    let id = state.new_id("mcp");
    let config = without_nulls(json!({
        "id": id, "name": name, "description": request.description, "connection_tool_mappings": mappings,
        "mcp_server_url": format!("{}/mcp/{id}", state.public_url()),
    }));
    store.mcp_configs.push(config.clone());
    Ok((StatusCode::CREATED, Json(json!({ "config": config }))))
}

pub async fn list(State(state): State<Arc<AppState>>, Query(query): Query<HashMap<String, String>>) -> ApiResult<Response> {
    let get = |k: &str| query.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let (id, name, provider, url) = (get("filter.id"), get("filter.name"), get("filter.provider"), get("filter.mcp_server_url"));
    let search = get("search").map(str::to_lowercase);
    let store = state.store.lock().unwrap();
    let configs: Vec<&Value> = store
        .mcp_configs
        .iter()
        .filter(|c| id.is_none_or(|i| c["id"] == i))
        .filter(|c| name.is_none_or(|n| c["name"] == n))
        .filter(|c| url.is_none_or(|u| c["mcp_server_url"] == u))
        .filter(|c| {
            provider.is_none_or(|p| {
                c["connection_tool_mappings"].as_array().is_some_and(|ms| ms.iter().any(|m| m["provider"].as_str().is_some_and(|mp| mp.eq_ignore_ascii_case(p))))
            })
        })
        .filter(|c| {
            search.as_deref().is_none_or(|s| ["name", "description"].iter().any(|f| c[*f].as_str().is_some_and(|v| v.to_lowercase().contains(s))))
        })
        .collect();
    page_response("configs", &configs, &query, Bounds { min: 1, max: 30, default: 10 }, Total::Size)
}

pub async fn get(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let store = state.store.lock().unwrap();
    let i = position(&store, &id)?;
    Ok(Json(json!({ "config": store.mcp_configs[i] })))
}

pub async fn update(State(state): State<Arc<AppState>>, Path(id): Path<String>, body: Bytes) -> ApiResult<Json<Value>> {
    #[derive(Debug, Default, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    struct Body {
        description: Option<String>,
        connection_tool_mappings: Option<Vec<MappingBody>>,
    }
    let request: Body = parse_body(&body)?;
    let mut store = state.store.lock().unwrap();
    let i = position(&store, &id)?;
    let mappings = match request.connection_tool_mappings {
        Some(given) => Some(mappings(&state, &mut store, given)?),
        None => None,
    };
    let config = &mut store.mcp_configs[i];
    if let Some(description) = request.description {
        config["description"] = json!(description);
    }
    if let Some(mappings) = mappings {
        config["connection_tool_mappings"] = json!(mappings);
    }
    Ok(Json(json!({ "config": config })))
}

pub async fn delete(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let mut store = state.store.lock().unwrap();
    let i = position(&store, &id)?;
    store.mcp_configs.remove(i);
    store.mcp_tokens.retain(|_, t| t["mcp_config_id"] != id);
    Ok(Json(json!({})))
}

/// `POST /mcp/configs/{id}/connected_accounts`: the identifier's account on each
/// connection of the config, with a magic link for those not `ACTIVE` when asked.
pub async fn connected_accounts(State(state): State<Arc<AppState>>, Path(id): Path<String>, body: Bytes) -> ApiResult<Json<Value>> {
    #[derive(Debug, Default, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    struct Body {
        identifier: Option<String>,
        include_auth_link: bool,
    }
    let request: Body = parse_body(&body)?;
    let Some(identifier) = request.identifier.as_deref().map(str::trim).filter(|i| !i.is_empty()).map(str::to_owned) else {
        return Err(ApiError::field("identifier", "value is required", "required"));
    };
    let mappings: Vec<Value> = {
        let store = state.store.lock().unwrap();
        let i = position(&store, &id)?;
        store.mcp_configs[i]["connection_tool_mappings"].as_array().cloned().unwrap_or_default()
    };
    let mut states = Vec::new();
    for mapping in mappings {
        let connection_name = mapping["connection_name"].as_str().unwrap_or_default().to_owned();
        let selector = Selector { connector: Some(connection_name.clone()), identifier: Some(identifier.clone()), ..Default::default() };
        let mut account = {
            let store = state.store.lock().unwrap();
            selector.find(&store).ok().map(|i| store.connected_accounts[i].clone())
        };
        let mut link = None;
        if request.include_auth_link && account.as_ref().is_none_or(|a| a["status"] != "ACTIVE") {
            let (answer, linked) = crate::connected_accounts::magic_link(&state, &selector, None, None)?;
            link = answer["link"].as_str().map(str::to_owned);
            account = Some(linked);
        }
        states.push(without_nulls(json!({
            "connection_id": mapping["connection_id"], "connection_name": connection_name, "provider": mapping["provider"],
            "connected_account_id": account.as_ref().map(|a| a["id"].clone()),
            "connected_account_status": account.as_ref().map(|a| a["status"].clone()),
            "authentication_link": link,
        })));
    }
    Ok(Json(json!({ "connected_accounts": states })))
}

/// A protobuf JSON Duration: `"3600s"`, `"1.5s"`.
fn parse_duration(value: &str) -> Option<Duration> {
    let seconds: f64 = value.strip_suffix('s')?.parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds))
}

/// `POST /mcp/configs/{id}/tokens`: an opaque session token for the identifier.
pub async fn create_token(State(state): State<Arc<AppState>>, Path(id): Path<String>, body: Bytes) -> ApiResult<Json<Value>> {
    #[derive(Debug, Default, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    struct Body {
        identifier: Option<String>,
        expiry: Option<String>,
    }
    let request: Body = parse_body(&body)?;
    let identifier = request.identifier.unwrap_or_default();
    if identifier.trim().is_empty() {
        return Err(ApiError::field("identifier", "value is required", "required"));
    }
    if identifier.chars().count() > 255 {
        return Err(ApiError::field("identifier", "value length must be at most 255 characters", "string.max_len"));
    }
    let expiry = match request.expiry.as_deref().filter(|e| !e.is_empty()) {
        None => Duration::from_secs(3600),
        Some(e) => parse_duration(e).ok_or_else(|| ApiError::field("expiry", "value must be a duration such as \"3600s\"", "duration"))?,
    };
    if !(Duration::from_secs(60)..=Duration::from_secs(86_400)).contains(&expiry) {
        return Err(ApiError::field("expiry", "value must be from 60s to 24h", "duration.gte_lte"));
    }
    let mut store = state.store.lock().unwrap();
    position(&store, &id)?;
    let token = {
        use base64::Engine;
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        format!("skmcp_{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    };
    let expires_at = rfc3339_after(expiry);
    store.mcp_tokens.insert(token.clone(), json!({ "mcp_config_id": id, "identifier": identifier, "expires_at": expires_at }));
    Ok(Json(json!({ "token": token, "expires_at": expires_at })))
}

/// What an MCP session token stands for (`mcp_config_id`, `identifier`, `expires_at`), for tests.
pub fn session_token(state: &AppState, token: &str) -> Option<Value> {
    state.store.lock().unwrap().mcp_tokens.get(token).cloned()
}
