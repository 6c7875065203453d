//! `/api/v1/organizations/{organization_id}/clients`: M2M organization clients and
//! their secrets. Their credentials work at `/oauth/token` (client credentials).

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use base64::Engine;
use rand::RngCore;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult};
use crate::pagination::{page_response, Bounds, Total};
use crate::state::{now_rfc3339, AppState, Store};
use crate::parse_body;
use axum::response::Response;

/// A stored client: its REST JSON and the plain secrets (kept only to check `/oauth/token`).
#[derive(Debug, Clone)]
pub struct ClientRecord {
    pub json: Value,
    pub secrets: Vec<(String, String)>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct ClientBody {
    name: Option<String>,
    description: Option<String>,
    scopes: Option<Vec<String>>,
    audience: Option<Vec<String>>,
    custom_claims: Option<Vec<Value>>,
    /// Token lifetime in seconds (int64: a JSON string or number).
    expiry: Option<Value>,
}

fn new_secret(state: &AppState) -> (Value, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let plain = format!("skm_{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes));
    let now = now_rfc3339();
    // ACTIVE is the enum's zero value, which proto3 JSON leaves out (the spec lists only INACTIVE).
    let secret = json!({
        "id": state.new_id("sec"), "secret_suffix": &plain[plain.len() - 4..],
        "create_time": now, "update_time": now,
    });
    (secret, plain)
}

fn apply(client: &mut Value, body: ClientBody) -> ApiResult<()> {
    if let Some(name) = body.name {
        if name.trim().is_empty() || name.len() > 128 {
            return Err(ApiError::field("name", "value length must be between 1 and 128 characters", "string.len"));
        }
        client["name"] = json!(name);
    }
    if let Some(v) = body.description {
        client["description"] = json!(v);
    }
    if let Some(v) = body.scopes {
        client["scopes"] = json!(v);
    }
    if let Some(v) = body.audience {
        client["audience"] = json!(v);
    }
    if let Some(claims) = body.custom_claims {
        if claims.iter().any(|c| c["key"].as_str().is_none_or(str::is_empty)) {
            return Err(ApiError::field("custom_claims.key", "value is required", "required"));
        }
        client["custom_claims"] = json!(claims);
    }
    if let Some(expiry) = body.expiry {
        let seconds = expiry.as_u64().or_else(|| expiry.as_str().and_then(|s| s.parse().ok()));
        let Some(seconds) = seconds.filter(|s| (60..=31_536_000).contains(s)) else {
            return Err(ApiError::field("expiry", "value must be from 60 to 31536000 seconds", "int64.gte_lte"));
        };
        client["expiry"] = json!(seconds.to_string());
    }
    Ok(())
}

fn org_exists(store: &Store, organization_id: &str) -> ApiResult<()> {
    store.organization(organization_id).map(|_| ()).ok_or_else(|| ApiError::not_found(format!("organization {organization_id} not found")))
}

fn client_index(store: &Store, organization_id: &str, client_id: &str) -> ApiResult<usize> {
    store
        .clients
        .iter()
        .position(|c| c.json["client_id"] == client_id && c.json["organization_id"] == organization_id)
        .ok_or_else(|| ApiError::not_found(format!("client {client_id} not found")))
}

pub async fn create(State(state): State<Arc<AppState>>, Path(organization_id): Path<String>, body: Bytes) -> ApiResult<(StatusCode, Json<Value>)> {
    let request: ClientBody = parse_body(&body)?;
    if request.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
        return Err(ApiError::field("name", "value is required", "required"));
    }
    let now = now_rfc3339();
    let mut client = json!({
        "client_id": state.new_id("m2morg"), "organization_id": organization_id, "name": "", "description": "",
        "scopes": [], "audience": [], "custom_claims": [], "expiry": "3600", "redirect_uris": [],
        "is_dcr": false, "is_cimd": false, "create_time": now, "update_time": now,
    });
    apply(&mut client, request)?;
    let (secret, plain) = new_secret(&state);
    client["secrets"] = json!([secret]);
    let mut store = state.store.lock().unwrap();
    org_exists(&store, &organization_id)?;
    let secret_id = secret["id"].as_str().unwrap_or_default().to_owned();
    store.clients.push(ClientRecord { json: client.clone(), secrets: vec![(secret_id, plain.clone())] });
    Ok((StatusCode::CREATED, Json(json!({ "client": client, "plain_secret": plain }))))
}

pub async fn list(State(state): State<Arc<AppState>>, Path(organization_id): Path<String>, Query(query): Query<HashMap<String, String>>) -> ApiResult<Response> {
    let store = state.store.lock().unwrap();
    org_exists(&store, &organization_id)?;
    let clients: Vec<&Value> = store.clients.iter().filter(|c| c.json["organization_id"] == *organization_id).map(|c| &c.json).collect();
    page_response("clients", &clients, &query, Bounds { min: 1, max: 100, default: 10 }, Total::Size)
}

pub async fn get(State(state): State<Arc<AppState>>, Path((organization_id, client_id)): Path<(String, String)>) -> ApiResult<Json<Value>> {
    let store = state.store.lock().unwrap();
    Ok(Json(json!({ "client": store.clients[client_index(&store, &organization_id, &client_id)?].json })))
}

pub async fn update(State(state): State<Arc<AppState>>, Path((organization_id, client_id)): Path<(String, String)>, body: Bytes) -> ApiResult<Json<Value>> {
    let request: ClientBody = parse_body(&body)?;
    let mut store = state.store.lock().unwrap();
    let index = client_index(&store, &organization_id, &client_id)?;
    let mut client = store.clients[index].json.clone();
    apply(&mut client, request)?;
    client["update_time"] = json!(now_rfc3339());
    store.clients[index].json = client.clone();
    Ok(Json(json!({ "client": client })))
}

pub async fn delete(State(state): State<Arc<AppState>>, Path((organization_id, client_id)): Path<(String, String)>) -> ApiResult<Json<Value>> {
    let mut store = state.store.lock().unwrap();
    let index = client_index(&store, &organization_id, &client_id)?;
    store.clients.remove(index);
    Ok(Json(json!({})))
}

pub async fn add_secret(State(state): State<Arc<AppState>>, Path((organization_id, client_id)): Path<(String, String)>) -> ApiResult<(StatusCode, Json<Value>)> {
    let (secret, plain) = new_secret(&state);
    let mut store = state.store.lock().unwrap();
    let index = client_index(&store, &organization_id, &client_id)?;
    let record = &mut store.clients[index];
    record.json["secrets"].as_array_mut().expect("secrets array").push(secret.clone());
    record.secrets.push((secret["id"].as_str().unwrap_or_default().to_owned(), plain.clone()));
    Ok((StatusCode::CREATED, Json(json!({ "secret": secret, "plain_secret": plain }))))
}

pub async fn remove_secret(
    State(state): State<Arc<AppState>>,
    Path((organization_id, client_id, secret_id)): Path<(String, String, String)>,
) -> ApiResult<Json<Value>> {
    let mut store = state.store.lock().unwrap();
    let index = client_index(&store, &organization_id, &client_id)?;
    let record = &mut store.clients[index];
    let before = record.secrets.len();
    record.secrets.retain(|(id, _)| *id != secret_id);
    if record.secrets.len() == before {
        return Err(ApiError::not_found(format!("secret {secret_id} not found")));
    }
    record.json["secrets"].as_array_mut().expect("secrets array").retain(|s| s["id"] != secret_id);
    Ok(Json(json!({})))
}

/// The client these credentials belong to, if any (for `/oauth/token`).
pub fn authenticate(store: &Store, client_id: &str, secret: &str) -> Option<Value> {
    store.clients.iter().find(|c| c.json["client_id"] == client_id && c.secrets.iter().any(|(_, plain)| plain == secret)).map(|c| c.json.clone())
}
