//! SSO connections of an organization: create (with Scalekit's side of the OIDC or
//! SAML configuration), list (by organization or domain), get, enable, disable,
//! delete, and `configure` for tests (the IdP side, as an admin sets it).

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
use crate::parse_body;
use axum::response::Response;
use crate::state::{now_rfc3339, position_in_organization, without_nulls, AppState, Store};

const TYPES: [&str; 15] = [
    "OIDC", "SAML", "PASSWORD", "OAUTH", "PASSWORDLESS", "BASIC", "BEARER", "API_KEY", "WEBAUTHN", "OAUTH_M2M", "TRELLO_OAUTH1", "GOOGLE_DWD", "TRUSTED_IDP", "SMART_FHIR", "NO_AUTH",
];
const PROVIDERS: [&str; 16] = [
    "OKTA", "GOOGLE", "MICROSOFT_AD", "AUTH0", "ONELOGIN", "PING_IDENTITY", "JUMPCLOUD", "CUSTOM", "GITHUB", "GITLAB", "LINKEDIN", "SALESFORCE", "MICROSOFT", "IDP_SIMULATOR", "SCALEKIT", "ADFS",
];

fn list_view(store: &Store, connection: &Value) -> Value {
    let organization_id = connection["organization_id"].as_str().unwrap_or_default();
    let domains: Vec<&Value> = store.domains.iter().filter(|d| d["organization_id"] == organization_id).map(|d| &d["domain"]).collect();
    without_nulls(json!({
        "id": connection["id"], "organization_id": organization_id,
        "organization_name": store.organization(organization_id).map(|o| o["display_name"].clone()),
        "type": connection["type"], "provider": connection["provider"], "provider_key": connection["provider_key"],
        "key_id": connection["key_id"], "status": connection["status"], "enabled": connection["enabled"], "domains": domains,
    }))
}

pub async fn create(State(state): State<Arc<AppState>>, Path(organization_id): Path<String>, body: Bytes) -> ApiResult<(StatusCode, Json<Value>)> {
    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields, default)]
    struct Body {
        provider: String,
        #[serde(rename = "type")]
        connection_type: String,
        provider_key: Option<String>,
        key_id: Option<String>,
    }
    let request: Body = parse_body(&body)?;
    if !PROVIDERS.contains(&request.provider.as_str()) {
        return Err(ApiError::field("provider", "value must be one of the defined enum values", "enum.defined_only"));
    }
    if !TYPES.contains(&request.connection_type.as_str()) {
        return Err(ApiError::field("type", "value must be one of the defined enum values", "enum.defined_only"));
    }
    let mut store = state.store.lock().unwrap();
    store.organization(&organization_id).ok_or_else(|| ApiError::not_found(format!("organization {organization_id} not found")))?;
    let now = now_rfc3339();
    let id = state.new_id("conn");
    let (oidc_config, saml_config) = initial_configuration(&state.public_url(), &id, &request.connection_type);
    let connection = without_nulls(json!({
        "id": id, "organization_id": organization_id, "provider": request.provider, "type": request.connection_type,
        "provider_key": request.provider_key.unwrap_or_else(|| request.provider.to_lowercase()), "key_id": request.key_id,
        "status": "DRAFT", "enabled": false, "debug_enabled": false, "configuration_type": "MANUAL",
        "oidc_config": oidc_config, "saml_config": saml_config,
        "test_connection_uri": format!("{}/sso/v1/connections/{id}/test", state.public_url()),
        "create_time": now, "update_time": now,
    }));
    store.connections.push(connection.clone());
    drop(store);
    state.emit("organization.sso_created", "Connection", Some(&organization_id), connection.clone());
    Ok((StatusCode::CREATED, Json(json!({ "connection": connection }))))
}

/// What Scalekit sets up for a new OIDC or SAML connection: its own (service-provider)
/// side, for the customer to register at their identity provider.
fn initial_configuration(base: &str, id: &str, connection_type: &str) -> (Option<Value>, Option<Value>) {
    match connection_type {
        "OIDC" => (
            Some(json!({
                "redirect_uri": format!("{base}/sso/v1/oidc/callback"), "scopes": ["openid", "profile", "email"],
                "token_auth_type": "URL_PARAMS", "pkce_enabled": false, "idp_logout_required": false,
                "sync_user_profile_on_login": false, "jit_provisioning_with_sso_enabled": false,
            })),
            None,
        ),
        "SAML" => (
            None,
            Some(json!({
                "sp_entity_id": format!("{base}/sso/v1/saml/{id}"), "sp_assertion_url": format!("{base}/sso/v1/saml/{id}/acs"),
                "sp_metadata_url": format!("{base}/sso/v1/saml/{id}/metadata"), "sp_slo_url": format!("{base}/sso/v1/saml/{id}/slo"),
                "idp_certificates": [], "idp_name_id_format": "EMAIL", "idp_sso_request_binding": "HTTP_POST",
                "idp_slo_request_binding": "HTTP_REDIRECT", "saml_signing_option": "SAML_ONLY_RESPONSE_SIGNING",
                "want_request_signed": false, "assertion_encrypted": false, "force_authn": false, "allow_idp_initiated_login": false,
                "idp_slo_required": false, "ui_button_title": "Single sign-on",
            })),
        ),
        _ => (None, None),
    }
}

/// Sets the IdP side of a connection, as an admin does in the dashboard: the given
/// `oidc_config`/`saml_config` fields (REST JSON) are merged into the connection's,
/// and the other top-level fields (`attribute_mapping`, `key_id`, …) replace theirs.
pub fn configure(state: &Arc<AppState>, connection_id: &str, config: Value) -> Result<Value, String> {
    let Value::Object(config) = config else { return Err("the configuration must be an object".into()) };
    let mut store = state.store.lock().unwrap();
    let connection = store.connections.iter_mut().find(|c| c["id"] == connection_id).ok_or_else(|| format!("connection {connection_id} not found"))?;
    for (key, value) in config {
        match (key.as_str(), value) {
            ("id" | "organization_id" | "type" | "provider", _) => return Err(format!("{key} cannot be changed")),
            (section @ ("oidc_config" | "saml_config" | "oauth_config" | "passwordless_config" | "webauthn_config" | "static_config" | "google_dwd_config"), Value::Object(fields)) => {
                let current = connection[section].as_object().cloned().unwrap_or_default();
                connection[section] = Value::Object(current.into_iter().chain(fields).collect());
            }
            (_, value) => connection[key.as_str()] = value,
        }
    }
    connection["update_time"] = json!(now_rfc3339());
    let updated = without_nulls(connection.clone());
    *connection = updated.clone();
    Ok(updated)
}

pub async fn get(State(state): State<Arc<AppState>>, Path((organization_id, id)): Path<(String, String)>) -> ApiResult<Json<Value>> {
    let store = state.store.lock().unwrap();
    let mut connection = store.connections[position_in_organization(&store.connections, "connection", &organization_id, &id)?].clone();
    connection["domains"] = json!(store.domains.iter().filter(|d| d["organization_id"] == *organization_id).collect::<Vec<_>>());
    Ok(Json(json!({ "connection": connection })))
}

/// By `organization_id`, or by `domain` (connections of the organizations that own it).
pub async fn list(State(state): State<Arc<AppState>>, Query(query): Query<HashMap<String, String>>) -> ApiResult<Json<Value>> {
    let store = state.store.lock().unwrap();
    let organization_id = query.get("organization_id").filter(|s| !s.is_empty());
    let domain_orgs: Option<Vec<&Value>> =
        query.get("domain").filter(|s| !s.is_empty()).map(|domain| store.domains.iter().filter(|d| d["domain"] == domain.to_lowercase()).map(|d| &d["organization_id"]).collect());
    let include_all = query.get("include").is_some_and(|i| i == "all");
    let connections: Vec<Value> = store
        .connections
        .iter()
        .filter(|c| organization_id.is_none_or(|o| c["organization_id"] == **o))
        .filter(|c| domain_orgs.as_ref().is_none_or(|orgs| orgs.contains(&&c["organization_id"])))
        // As the spec says: only active (enabled) connections unless `include=all`.
        .filter(|c| include_all || c["enabled"] == true)
        .map(|c| list_view(&store, c))
        .collect();
    Ok(Json(json!({ "connections": connections })))
}

/// `GET /connections/app`: the environment's connections, paginated, optionally by provider or text.
pub async fn list_app(State(state): State<Arc<AppState>>, Query(query): Query<HashMap<String, String>>) -> ApiResult<Response> {
    let store = state.store.lock().unwrap();
    let provider = query.get("provider").filter(|p| !p.is_empty());
    let needle = query.get("query").map(|q| q.to_lowercase()).filter(|q| !q.is_empty());
    let connections: Vec<Value> = store
        .connections
        .iter()
        .filter(|c| provider.is_none_or(|p| c["provider"] == **p))
        .map(|c| list_view(&store, c))
        .filter(|c| needle.as_ref().is_none_or(|n| c.to_string().to_lowercase().contains(n)))
        .collect();
    page_response("connections", &connections, &query, Bounds { min: 1, max: 100, default: 10 }, Total::Size)
}

fn toggle(state: &Arc<AppState>, organization_id: &str, id: &str, enabled: bool) -> ApiResult<Json<Value>> {
    let mut store = state.store.lock().unwrap();
    let i = position_in_organization(&store.connections, "connection", organization_id, id)?;
    let connection = &mut store.connections[i];
    connection["enabled"] = json!(enabled);
    if enabled {
        connection["status"] = json!("COMPLETED");
    }
    connection["update_time"] = json!(now_rfc3339());
    let snapshot = connection.clone();
    drop(store);
    state.emit(if enabled { "organization.sso_enabled" } else { "organization.sso_disabled" }, "Connection", Some(organization_id), snapshot);
    Ok(Json(json!({ "enabled": enabled })))
}

/// Routes `…/connections/{id}:enable` and `…:disable` (one path segment).
pub async fn action(State(state): State<Arc<AppState>>, Path((organization_id, id_action)): Path<(String, String)>) -> ApiResult<Json<Value>> {
    match id_action.rsplit_once(':') {
        Some((id, "enable")) => toggle(&state, &organization_id, id, true),
        Some((id, "disable")) => toggle(&state, &organization_id, id, false),
        _ => Err(ApiError::not_found("Not Found")),
    }
}

pub async fn delete(State(state): State<Arc<AppState>>, Path((organization_id, id)): Path<(String, String)>) -> ApiResult<Json<Value>> {
    let mut store = state.store.lock().unwrap();
    let i = position_in_organization(&store.connections, "connection", &organization_id, &id)?;
    let connection = store.connections.remove(i);
    drop(store);
    state.emit("organization.sso_deleted", "Connection", Some(&organization_id), connection);
    Ok(Json(json!({})))
}
