//! Connected accounts (Agent Auth): an end user's credentials for a third-party
//! connector, created with the credentials or authorized through a magic link
//! (`/connect/{token}` stands in for the provider's consent screen), with the
//! optional user verification step of the app.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::pagination::{page_response, Bounds, Total};
use crate::parse_body;
use crate::query::Params;
use crate::state::{now_rfc3339, parse_rfc3339, rfc3339_after, without_nulls, AppState, Store};

/// How long a magic link stays valid.
const MAGIC_LINK_LIFETIME: Duration = Duration::from_secs(600);
/// `token_expires_at` of the tokens the simulated provider issues.
const TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

const LIST_FIELDS: [&str; 10] = ["id", "connector", "identifier", "provider", "connection_id", "authorization_type", "status", "token_expires_at", "last_used_at", "updated_at"];
const DETAIL_MEMBERS: [&str; 4] = ["oauth_token", "static_auth", "google_dwd", "trusted_idp"];
/// Connection types whose credentials are static (`static_auth`).
const STATIC_TYPES: [&str; 5] = ["API_KEY", "BASIC_AUTH", "BEARER_TOKEN", "CUSTOM", "BASIC"];
const CONNECTOR_TYPES: [&str; 12] = ["OAUTH", "API_KEY", "BASIC_AUTH", "BEARER_TOKEN", "CUSTOM", "BASIC", "OAUTH_M2M", "TRELLO_OAUTH1", "GOOGLE_DWD", "TRUSTED_IDP", "SMART_FHIR", "NO_AUTH"];

/// A magic link handed out for an account, and the authorization it starts.
#[derive(Debug, Clone)]
pub struct MagicLink {
    pub token: String,
    pub auth_request_id: String,
    pub account_id: String,
    pub state: Option<String>,
    pub user_verify_url: Option<String>,
    pub expires: Instant,
    /// The user followed the link (authorized at the provider).
    pub followed: bool,
    /// The app verified the user (`user/verify`).
    pub verified: bool,
}

/// `connected_accountsConnectedAccountForList`: no credentials, no configuration.
pub fn list_view(account: &Value) -> Value {
    Value::Object(LIST_FIELDS.iter().filter_map(|f| account.get(*f).filter(|v| !v.is_null()).map(|v| ((*f).to_owned(), v.clone()))).collect())
}

/// `connected_accountsConnectedAccount`, credentials included.
pub fn full_view(account: &Value) -> Value {
    let mut view = account.clone();
    if let Some(map) = view.as_object_mut() {
        map.remove("organization_id");
        map.remove("user_id");
    }
    view
}

fn details_view(account: &Value) -> Value {
    let mut view = full_view(account);
    if let Some(map) = view.as_object_mut() {
        map.remove("authorization_details");
    }
    view
}

/// What webhook events carry (`ConnectedAccountEventData`).
fn event_data(account: &Value) -> Value {
    let mut data = Map::new();
    for f in ["id", "identifier", "connection_id", "provider", "authorization_type", "status", "token_expires_at", "last_used_at"] {
        if let Some(v) = account.get(f).filter(|v| !v.is_null()) {
            data.insert(f.to_owned(), v.clone());
        }
    }
    data.insert("connection_name".into(), account["connector"].clone());
    Value::Object(data)
}

/// Emits `connected_account.{kind}` for the account, under its organization.
pub(crate) fn emit(state: &Arc<AppState>, kind: &str, account: &Value) {
    state.emit(&format!("connected_account.{kind}"), "ConnectedAccount", account["organization_id"].as_str(), event_data(account));
}

fn emit_status_change(state: &Arc<AppState>, account: &Value, old_status: &Value) {
    if account["status"] == *old_status {
        return;
    }
    let mut data = event_data(account);
    data["old_status"] = old_status.clone();
    if let Some(map) = data.as_object_mut() {
        map.remove("token_expires_at");
        map.remove("last_used_at");
    }
    state.emit("connected_account.status_updated", "ConnectedAccount", account["organization_id"].as_str(), data);
}

/// A provider name made from a connector name: `google workspace` → `GOOGLE_WORKSPACE`.
fn provider_name(connector: &str) -> String {
    connector.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect()
}

/// An Agent Auth connection the environment has set up: what a connector name resolves to.
/// Configuration, as an admin sets it in the dashboard: `reset()` keeps it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AgentConnection {
    /// The name connected accounts and tools use (`connector`, `connectionName`), matched without case.
    pub name: String,
    pub id: String,
    pub provider: String,
    /// e.g. `OAUTH`, `API_KEY`, `BEARER_TOKEN`.
    #[serde(rename = "type")]
    pub connection_type: String,
}

/// The connectors a new emulator has set up, as an environment with Scalekit's common connectors
/// configured: (name, provider, type).
const DEFAULT_CONNECTORS: [(&str, &str, &str); 30] = [
    ("gmail", "GMAIL", "OAUTH"), ("googlecalendar", "GOOGLE_CALENDAR", "OAUTH"), ("googledrive", "GOOGLE_DRIVE", "OAUTH"),
    ("googlesheets", "GOOGLE_SHEETS", "OAUTH"), ("googledocs", "GOOGLE_DOCS", "OAUTH"), ("googlemeet", "GOOGLE_MEET", "OAUTH"),
    ("slack", "SLACK", "OAUTH"), ("notion", "NOTION", "OAUTH"), ("github", "GITHUB", "OAUTH"), ("gitlab", "GITLAB", "OAUTH"),
    ("jira", "JIRA", "OAUTH"), ("confluence", "CONFLUENCE", "OAUTH"), ("linear", "LINEAR", "OAUTH"), ("asana", "ASANA", "OAUTH"),
    ("clickup", "CLICKUP", "OAUTH"), ("monday", "MONDAY", "OAUTH"), ("hubspot", "HUBSPOT", "OAUTH"), ("salesforce", "SALESFORCE", "OAUTH"),
    ("outlook", "OUTLOOK", "OAUTH"), ("microsoftteams", "MICROSOFT_TEAMS", "OAUTH"), ("onedrive", "ONEDRIVE", "OAUTH"),
    ("sharepoint", "SHAREPOINT", "OAUTH"), ("zoom", "ZOOM", "OAUTH"), ("gong", "GONG", "OAUTH"), ("airtable", "AIRTABLE", "OAUTH"),
    ("dropbox", "DROPBOX", "OAUTH"), ("figma", "FIGMA", "OAUTH"), ("zendesk", "ZENDESK", "OAUTH"), ("intercom", "INTERCOM", "OAUTH"),
    ("discord", "DISCORD", "OAUTH"),
];

/// The default connections, with fixed ids (they take none from the emulator's id sequence).
pub fn default_connections() -> Vec<AgentConnection> {
    DEFAULT_CONNECTORS
        .iter()
        .enumerate()
        .map(|(i, (name, provider, kind))| AgentConnection { name: (*name).into(), id: format!("conn_{}", 69_615_193_906_000_000u64 + i as u64), provider: (*provider).into(), connection_type: (*kind).into() })
        .collect()
}

/// Sets up (or replaces, by name) an Agent Auth connection; `provider` defaults to the name upper-cased, `type` to OAUTH.
pub fn add_agent_connection(state: &AppState, name: &str, provider: Option<String>, connection_type: Option<String>) -> Result<AgentConnection, String> {
    let name = name.trim();
    if name.is_empty() || !valid_connector(name) {
        return Err("a connection name is 1 to 100 letters, digits, spaces, '-', '_' or ':'".into());
    }
    let connection_type = connection_type.unwrap_or_else(|| "OAUTH".into());
    if !CONNECTOR_TYPES.contains(&connection_type.as_str()) {
        return Err(format!("type must be one of {}", CONNECTOR_TYPES.join(", ")));
    }
    let mut connections = state.agent_connections.lock().unwrap();
    let id = connections.iter().find(|c| c.name.eq_ignore_ascii_case(name)).map(|c| c.id.clone()).unwrap_or_else(|| state.new_id("conn"));
    connections.retain(|c| !c.name.eq_ignore_ascii_case(name));
    let connection = AgentConnection { name: name.to_owned(), id, provider: provider.filter(|p| !p.is_empty()).unwrap_or_else(|| provider_name(name)), connection_type };
    connections.push(connection.clone());
    Ok(connection)
}

/// Removes every Agent Auth connection (the default ones too), for tests of an unconfigured environment.
pub fn clear_agent_connections(state: &AppState) {
    state.agent_connections.lock().unwrap().clear();
}

/// The connection a connector name stands for: (provider, connection id, connection type). A connection
/// whose `key_id` is the name, else an Agent Auth connection of that name; NOT_FOUND for a connector the
/// environment has not set up, as Scalekit answers.
pub(crate) fn resolve_connector(state: &AppState, store: &Store, connector: &str) -> ApiResult<(String, String, Option<String>)> {
    if let Some(c) = store.connections.iter().find(|c| c["key_id"].as_str().is_some_and(|k| k.eq_ignore_ascii_case(connector))) {
        let provider = c["provider_key"].as_str().or(c["provider"].as_str()).map(provider_name).unwrap_or_else(|| provider_name(connector));
        return Ok((provider, c["id"].as_str().unwrap_or_default().to_owned(), c["type"].as_str().map(str::to_owned)));
    }
    let connections = state.agent_connections.lock().unwrap();
    let connection = connections
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(connector.trim()))
        .ok_or_else(|| ApiError::not_found(format!("connection {connector} not found: set it up first (the emulator has Scalekit's common connectors; addAgentConnection sets up others)")))?;
    Ok((connection.provider.clone(), connection.id.clone(), Some(connection.connection_type.clone())))
}

/// Checked `authorization_details`: the value to keep, and what it means.
struct Credentials {
    details: Value,
    authorization_type: Option<String>,
    active: bool,
    token_expires_at: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct OauthToken {
    access_token: Option<String>,
    domain: Option<String>,
    refresh_token: Option<String>,
    scopes: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StaticAuth {
    details: Option<Map<String, Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct GoogleDwd {
    access_token: Option<String>,
    scopes: Option<Vec<String>>,
    subject: Option<String>,
    token_expires_at: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct TrustedIdp {
    access_key_id: Option<String>,
    db_user: Option<String>,
    expiry: Option<String>,
    secret_access_key: Option<String>,
    session_token: Option<String>,
}

fn filled(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.trim().is_empty())
}

fn member<T: serde::de::DeserializeOwned>(field: &str, value: &Value) -> ApiResult<T> {
    serde_json::from_value(value.clone()).map_err(|e| ApiError::invalid(format!("invalid request body: {field}: {e}")))
}

fn timestamp(field: &str, value: &Option<String>) -> ApiResult<Option<String>> {
    match value.as_deref().filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) if parse_rfc3339(v).is_some() => Ok(Some(v.to_owned())),
        Some(_) => Err(ApiError::field(field, "value must be a valid RFC 3339 timestamp", "timestamp")),
    }
}

/// `authorization_details` is a oneof: at most one of its members may be set.
fn check_details(field: &str, details: &Value, connection_type: Option<&str>) -> ApiResult<Credentials> {
    let Value::Object(map) = details else {
        return Err(ApiError::field(field, "value must be an object", "object"));
    };
    if let Some(unknown) = map.keys().find(|k| !DETAIL_MEMBERS.contains(&k.as_str())) {
        return Err(ApiError::invalid(format!("invalid request body: {field}: unknown field `{unknown}`, expected one of {}", DETAIL_MEMBERS.join(", "))));
    }
    let set: Vec<(&String, &Value)> = map.iter().filter(|(_, v)| !v.is_null()).collect();
    if set.len() > 1 {
        return Err(ApiError::field(field, "only one of oauth_token, static_auth, google_dwd or trusted_idp may be set", "oneof"));
    }
    let details = without_nulls(details.clone());
    let Some((name, value)) = set.first() else {
        return Ok(Credentials { details, authorization_type: None, active: false, token_expires_at: None });
    };
    let path = format!("{field}.{name}");
    let (authorization_type, active, token_expires_at) = match name.as_str() {
        "oauth_token" => {
            let token: OauthToken = member(&path, value)?;
            ("OAUTH".to_owned(), filled(&token.access_token), None)
        }
        "static_auth" => {
            let auth: StaticAuth = member(&path, value)?;
            let kind = connection_type.filter(|t| STATIC_TYPES.contains(t)).unwrap_or("API_KEY");
            (kind.to_owned(), auth.details.is_some_and(|d| !d.is_empty()), None)
        }
        "google_dwd" => {
            let dwd: GoogleDwd = member(&path, value)?;
            let expiry = timestamp(&format!("{path}.token_expires_at"), &dwd.token_expires_at)?;
            ("GOOGLE_DWD".to_owned(), filled(&dwd.access_token) || filled(&dwd.subject), expiry)
        }
        _ => {
            let idp: TrustedIdp = member(&path, value)?;
            let expiry = timestamp(&format!("{path}.expiry"), &idp.expiry)?;
            ("TRUSTED_IDP".to_owned(), (filled(&idp.access_key_id) && filled(&idp.secret_access_key)) || filled(&idp.session_token), expiry)
        }
    };
    Ok(Credentials { details, authorization_type: Some(authorization_type), active, token_expires_at })
}

fn check_api_config(field: &str, api_config: Option<Value>) -> ApiResult<Option<Value>> {
    match api_config {
        None | Some(Value::Null) => Ok(None),
        Some(v @ Value::Object(_)) => Ok(Some(v)),
        Some(_) => Err(ApiError::field(field, "value must be an object", "object")),
    }
}

fn non_empty(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
}

/// Which account a request names: `id`, or `connector` and `identifier`
/// (or, with no identifier, `organization_id[/user_id]`, as Scalekit forms it).
#[derive(Debug, Default, Clone)]
pub(crate) struct Selector {
    pub id: Option<String>,
    pub connector: Option<String>,
    pub identifier: Option<String>,
    pub organization_id: Option<String>,
    pub user_id: Option<String>,
}

impl Selector {
    pub fn new(id: &Option<String>, connector: &Option<String>, identifier: &Option<String>, organization_id: &Option<String>, user_id: &Option<String>) -> Self {
        Selector { id: non_empty(id), connector: non_empty(connector), identifier: non_empty(identifier), organization_id: non_empty(organization_id), user_id: non_empty(user_id) }
    }

    fn from_query(query: &HashMap<String, String>) -> Self {
        let get = |k: &str| query.get(k).cloned();
        Selector::new(&get("id"), &get("connector"), &get("identifier"), &get("organization_id"), &get("user_id"))
    }

    /// The identifier named, or the one formed from the organization and user.
    pub fn identifier(&self) -> Option<String> {
        self.identifier.clone().or_else(|| {
            let organization = self.organization_id.as_ref()?;
            Some(match &self.user_id {
                Some(user) => format!("{organization}/{user}"),
                None => organization.clone(),
            })
        })
    }

    pub fn require(&self) -> ApiResult<()> {
        if self.id.is_some() || (self.connector.is_some() && self.identifier().is_some()) {
            Ok(())
        } else {
            Err(ApiError::invalid("either id, or connector and identifier (or organization_id), is required"))
        }
    }

    fn matches(&self, account: &Value) -> bool {
        if let Some(id) = &self.id {
            return account["id"] == **id;
        }
        let (Some(connector), Some(identifier)) = (&self.connector, self.identifier()) else { return false };
        let scoped = self.identifier.is_some();
        account["connector"].as_str().is_some_and(|c| c.eq_ignore_ascii_case(connector))
            && account["identifier"] == *identifier
            && (!scoped || self.organization_id.as_ref().is_none_or(|o| account["organization_id"] == **o))
            && (!scoped || self.user_id.as_ref().is_none_or(|u| account["user_id"] == **u))
    }

    pub fn find(&self, store: &Store) -> ApiResult<usize> {
        self.require()?;
        store.connected_accounts.iter().position(|a| self.matches(a)).ok_or_else(|| match &self.id {
            Some(id) => ApiError::not_found(format!("connected account {id} not found")),
            None => ApiError::not_found(format!(
                "no connected account for connector {} and identifier {}",
                self.connector.as_deref().unwrap_or_default(),
                self.identifier().unwrap_or_default()
            )),
        })
    }
}

fn valid_connector(connector: &str) -> bool {
    connector.len() <= 100 && connector.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_' | ':'))
}

/// Stores a new account (no event: the caller emits once the lock is released).
fn insert(state: &AppState, store: &mut Store, selector: &Selector, credentials: Option<Credentials>, api_config: Option<Value>) -> ApiResult<Value> {
    let connector = selector.connector.clone().unwrap_or_default();
    let identifier = selector.identifier().unwrap_or_default();
    let duplicate = store.connected_accounts.iter().any(|a| {
        a["connector"].as_str().is_some_and(|c| c.eq_ignore_ascii_case(&connector))
            && a["identifier"] == *identifier
            && a["organization_id"].as_str() == selector.organization_id.as_deref()
            && a["user_id"].as_str() == selector.user_id.as_deref()
    });
    if duplicate {
        return Err(ApiError::conflict(format!("a connected account for connector {connector} and identifier {identifier} already exists")));
    }
    let (provider, connection_id, connection_type) = resolve_connector(state, store, &connector)?;
    let default_type = connection_type.filter(|t| CONNECTOR_TYPES.contains(&t.as_str())).unwrap_or_else(|| "OAUTH".into());
    let active = credentials.as_ref().is_some_and(|c| c.active);
    let (details, authorization_type, token_expires_at) = match credentials {
        Some(c) => (Some(c.details).filter(|d| d.as_object().is_some_and(|m| !m.is_empty())), c.authorization_type.unwrap_or(default_type), c.token_expires_at),
        None => (None, default_type, None),
    };
    let mut account = without_nulls(json!({
        "id": state.new_id("ca"), "connector": connector, "identifier": identifier,
        "organization_id": selector.organization_id, "user_id": selector.user_id,
        "provider": provider, "connection_id": connection_id, "authorization_type": authorization_type,
        "status": if active { "ACTIVE" } else { "PENDING_AUTH" },
        "authorization_details": details, "token_expires_at": token_expires_at, "updated_at": now_rfc3339(),
    }));
    if let Some(api_config) = api_config {
        account["api_config"] = api_config;
    }
    store.connected_accounts.push(account.clone());
    Ok(account)
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct AccountBody {
    authorization_details: Option<Value>,
    api_config: Option<Value>,
}

fn connection_type(state: &AppState, store: &Store, connector: &str) -> ApiResult<Option<String>> {
    resolve_connector(state, store, connector).map(|(_, _, kind)| kind)
}

pub async fn create(State(state): State<Arc<AppState>>, body: Bytes) -> ApiResult<(StatusCode, Json<Value>)> {
    #[derive(Debug, Default, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    struct Body {
        connector: Option<String>,
        identifier: Option<String>,
        connected_account: Option<AccountBody>,
        organization_id: Option<String>,
        user_id: Option<String>,
    }
    let request: Body = parse_body(&body)?;
    let selector = Selector::new(&None, &request.connector, &request.identifier, &request.organization_id, &request.user_id);
    let Some(connector) = selector.connector.clone() else {
        return Err(ApiError::field("connector", "value is required", "required"));
    };
    if !valid_connector(&connector) {
        return Err(ApiError::field("connector", "value may only contain letters, digits, spaces, hyphens, underscores and colons", "string.pattern"));
    }
    if selector.identifier.is_none() {
        return Err(ApiError::field("identifier", "value is required", "required"));
    }
    let account_body = request.connected_account.unwrap_or_default();
    let api_config = check_api_config("connected_account.api_config", account_body.api_config)?;
    let mut store = state.store.lock().unwrap();
    let kind = connection_type(&state, &store, &connector)?;
    let credentials = match account_body.authorization_details.filter(|d| !d.is_null()) {
        Some(details) => Some(check_details("connected_account.authorization_details", &details, kind.as_deref())?),
        None => None,
    };
    let account = insert(&state, &mut store, &selector, credentials, api_config)?;
    drop(store);
    emit(&state, "created", &account);
    Ok((StatusCode::CREATED, Json(json!({ "connected_account": full_view(&account) }))))
}

/// `GET /connected_accounts/auth`: the account with its credentials.
pub async fn get_auth(State(state): State<Arc<AppState>>, Query(query): Query<HashMap<String, String>>) -> ApiResult<Json<Value>> {
    let store = state.store.lock().unwrap();
    let i = Selector::from_query(&query).find(&store)?;
    Ok(Json(json!({ "connected_account": full_view(&store.connected_accounts[i]) })))
}

/// `GET /connected_accounts/details`: the account without its credentials.
pub async fn get_details(State(state): State<Arc<AppState>>, Query(query): Query<HashMap<String, String>>) -> ApiResult<Json<Value>> {
    let store = state.store.lock().unwrap();
    let i = Selector::from_query(&query).find(&store)?;
    Ok(Json(json!({ "connected_account": details_view(&store.connected_accounts[i]) })))
}

pub async fn update(State(state): State<Arc<AppState>>, body: Bytes) -> ApiResult<Json<Value>> {
    #[derive(Debug, Default, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    struct Body {
        connector: Option<String>,
        identifier: Option<String>,
        id: Option<String>,
        connected_account: Option<AccountBody>,
        organization_id: Option<String>,
        user_id: Option<String>,
    }
    let request: Body = parse_body(&body)?;
    let selector = Selector::new(&request.id, &request.connector, &request.identifier, &request.organization_id, &request.user_id);
    selector.require()?;
    let Some(account_body) = request.connected_account else {
        return Err(ApiError::field("connected_account", "value is required", "required"));
    };
    let api_config = check_api_config("connected_account.api_config", account_body.api_config)?;
    let mut store = state.store.lock().unwrap();
    let i = selector.find(&store)?;
    let connector = store.connected_accounts[i]["connector"].as_str().unwrap_or_default().to_owned();
    // An account outlives its connection's set-up: it is read as a plain OAuth one then.
    let kind = connection_type(&state, &store, &connector).unwrap_or(None);
    let credentials = match account_body.authorization_details.filter(|d| !d.is_null()) {
        Some(details) => Some(check_details("connected_account.authorization_details", &details, kind.as_deref())?),
        None => None,
    };
    let account = &mut store.connected_accounts[i];
    let old_status = account["status"].clone();
    if let Some(credentials) = credentials {
        let map = account.as_object_mut().expect("accounts are objects");
        if credentials.details.as_object().is_some_and(|d| d.is_empty()) {
            map.remove("authorization_details");
        } else {
            map.insert("authorization_details".into(), credentials.details);
        }
        if let Some(kind) = credentials.authorization_type {
            map.insert("authorization_type".into(), json!(kind));
        }
        match credentials.token_expires_at {
            Some(at) => map.insert("token_expires_at".into(), json!(at)),
            None => map.remove("token_expires_at"),
        };
        map.insert("status".into(), json!(if credentials.active { "ACTIVE" } else { "PENDING_AUTH" }));
    }
    if let Some(api_config) = api_config {
        account["api_config"] = api_config;
    }
    account["updated_at"] = json!(now_rfc3339());
    let account = account.clone();
    drop(store);
    emit(&state, "updated", &account);
    emit_status_change(&state, &account, &old_status);
    Ok(Json(json!({ "connected_account": full_view(&account) })))
}

pub async fn delete(State(state): State<Arc<AppState>>, body: Bytes) -> ApiResult<Json<Value>> {
    #[derive(Debug, Default, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    struct Body {
        connector: Option<String>,
        identifier: Option<String>,
        id: Option<String>,
        organization_id: Option<String>,
        user_id: Option<String>,
    }
    let request: Body = parse_body(&body)?;
    let selector = Selector::new(&request.id, &request.connector, &request.identifier, &request.organization_id, &request.user_id);
    let mut store = state.store.lock().unwrap();
    let i = selector.find(&store)?;
    let account = store.connected_accounts.remove(i);
    store.magic_links.retain(|l| account["id"] != *l.account_id);
    drop(store);
    emit(&state, "deleted", &account);
    Ok(Json(json!({})))
}

fn contains(value: &Value, needle: &str) -> bool {
    value.as_str().is_some_and(|v| v.to_lowercase().contains(needle))
}

pub async fn list(State(state): State<Arc<AppState>>, Query(query): Query<Vec<(String, String)>>) -> ApiResult<Response> {
    let params = Params(query);
    let (organization_id, user_id, connector, identifier, provider) =
        (params.get("organization_id"), params.get("user_id"), params.get("connector"), params.get("identifier"), params.get("provider"));
    let needle = params.get("query").map(str::to_lowercase);
    let connection_names = params.all("connection_names");
    let store = state.store.lock().unwrap();
    let accounts: Vec<Value> = store
        .connected_accounts
        .iter()
        .filter(|a| organization_id.is_none_or(|o| a["organization_id"] == o))
        .filter(|a| user_id.is_none_or(|u| a["user_id"] == u))
        .filter(|a| connector.is_none_or(|c| a["connector"].as_str().is_some_and(|ac| ac.eq_ignore_ascii_case(c))))
        .filter(|a| identifier.is_none_or(|i| a["identifier"] == i))
        .filter(|a| provider.is_none_or(|p| a["provider"].as_str().is_some_and(|ap| ap.eq_ignore_ascii_case(p))))
        .filter(|a| connection_names.is_empty() || connection_names.iter().any(|n| a["connector"].as_str().is_some_and(|c| c.eq_ignore_ascii_case(n))))
        .filter(|a| needle.as_deref().is_none_or(|n| ["id", "identifier", "connector", "provider"].iter().any(|f| contains(&a[*f], n))))
        .map(list_view)
        .collect();
    page_response("connected_accounts", &accounts, &params.map(), Bounds { min: 1, max: 100, default: 10 }, Total::Size)
}

/// `GET /connected_accounts:search`: identifier, provider or connector containing the query
/// (case-insensitive), or the account whose id it is.
pub async fn search(State(state): State<Arc<AppState>>, Query(query): Query<Vec<(String, String)>>) -> ApiResult<Response> {
    let params = Params(query);
    let Some(text) = params.get("query") else {
        return Err(ApiError::field("query", "value is required", "required"));
    };
    let length = text.chars().count();
    if length < 3 {
        return Err(ApiError::field("query", "value length must be at least 3 characters", "string.min_len"));
    }
    if length > 200 {
        return Err(ApiError::field("query", "value length must be at most 200 characters", "string.max_len"));
    }
    let needle = text.to_lowercase();
    let connection_id = params.get("connection_id");
    let store = state.store.lock().unwrap();
    let accounts: Vec<Value> = store
        .connected_accounts
        .iter()
        .filter(|a| connection_id.is_none_or(|c| a["connection_id"] == c))
        .filter(|a| a["id"] == text || ["identifier", "connector", "provider"].iter().any(|f| contains(&a[*f], &needle)))
        .map(list_view)
        .collect();
    page_response("connected_accounts", &accounts, &params.map(), Bounds { min: 1, max: 30, default: 10 }, Total::Size)
}

fn random_token(bytes: usize) -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut buffer = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buffer);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buffer)
}

/// A magic link for the selected account, creating a `PENDING_AUTH` one for
/// connector + identifier when there is none. Returns `{link, expiry}` and the account.
pub(crate) fn magic_link(state: &Arc<AppState>, selector: &Selector, link_state: Option<String>, user_verify_url: Option<String>) -> ApiResult<(Value, Value)> {
    selector.require()?;
    let mut store = state.store.lock().unwrap();
    let (i, created) = match selector.find(&store) {
        Ok(i) => (i, false),
        Err(e) if selector.id.is_some() => return Err(e),
        Err(_) => {
            insert(state, &mut store, selector, None, None)?;
            (store.connected_accounts.len() - 1, true)
        }
    };
    let account = store.connected_accounts[i].clone();
    let token = random_token(24);
    store.magic_links.push(MagicLink {
        token: token.clone(),
        auth_request_id: state.new_id("ar"),
        account_id: account["id"].as_str().unwrap_or_default().to_owned(),
        state: link_state,
        user_verify_url,
        expires: state.clock.instant() + MAGIC_LINK_LIFETIME,
        followed: false,
        verified: false,
    });
    drop(store);
    if created {
        emit(state, "created", &account);
    }
    emit(state, "magic_link_generated", &account);
    let answer = json!({ "link": format!("{}/connect/{token}", state.public_url()), "expiry": rfc3339_after(MAGIC_LINK_LIFETIME) });
    Ok((answer, account))
}

pub async fn magic_link_handler(State(state): State<Arc<AppState>>, body: Bytes) -> ApiResult<Json<Value>> {
    #[derive(Debug, Default, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    struct Body {
        connector: Option<String>,
        identifier: Option<String>,
        id: Option<String>,
        organization_id: Option<String>,
        user_id: Option<String>,
        state: Option<String>,
        user_verify_url: Option<String>,
    }
    let request: Body = parse_body(&body)?;
    let selector = Selector::new(&request.id, &request.connector, &request.identifier, &request.organization_id, &request.user_id);
    let user_verify_url = non_empty(&request.user_verify_url);
    if let Some(url) = &user_verify_url {
        if !crate::parse_url(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https")) {
            return Err(ApiError::field("user_verify_url", "value must be a valid URI", "string.uri"));
        }
    }
    if let Some(connector) = &selector.connector {
        if !valid_connector(connector) {
            return Err(ApiError::field("connector", "value may only contain letters, digits, spaces, hyphens, underscores and colons", "string.pattern"));
        }
    }
    let (answer, _) = magic_link(&state, &selector, request.state.filter(|s| !s.is_empty()), user_verify_url)?;
    Ok(Json(answer))
}

fn page(status: StatusCode, text: &str) -> Response {
    let html = format!("<!doctype html><title>Scalekit emulator</title><p>{text}</p>");
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

/// `GET /connect/{token}`: the user follows the magic link and authorizes at the
/// (simulated) provider, which issues OAuth tokens for the account.
pub async fn connect(State(state): State<Arc<AppState>>, Path(token): Path<String>) -> Response {
    let mut store = state.store.lock().unwrap();
    let now = state.clock.instant();
    let Some(link) = store.magic_links.iter_mut().find(|l| l.token == token && !l.followed && l.expires > now) else {
        return page(StatusCode::NOT_FOUND, "This link is invalid, has expired or was already used.");
    };
    link.followed = true;
    let link = link.clone();
    let Some(i) = store.connected_accounts.iter().position(|a| a["id"] == *link.account_id) else {
        return page(StatusCode::NOT_FOUND, "The connected account no longer exists.");
    };
    let connector = store.connected_accounts[i]["connector"].as_str().unwrap_or_default().to_owned();
    let scopes = store
        .connections
        .iter()
        .find(|c| c["key_id"].as_str().is_some_and(|k| k.eq_ignore_ascii_case(&connector)))
        .and_then(|c| c["oauth_config"]["scopes"].as_array().cloned())
        .unwrap_or_else(|| vec![json!("openid"), json!("email"), json!("profile")]);
    let account = &mut store.connected_accounts[i];
    let old_status = account["status"].clone();
    account["authorization_details"] = json!({ "oauth_token": {
        "access_token": format!("skat_{}", random_token(24)), "refresh_token": format!("skrt_{}", random_token(24)), "scopes": scopes,
    } });
    account["authorization_type"] = json!("OAUTH");
    account["token_expires_at"] = json!(rfc3339_after(TOKEN_LIFETIME));
    account["status"] = json!(if link.user_verify_url.is_some() { "PENDING_VERIFICATION" } else { "ACTIVE" });
    account["updated_at"] = json!(now_rfc3339());
    let account = account.clone();
    drop(store);
    emit_status_change(&state, &account, &old_status);
    match &link.user_verify_url {
        Some(url) => {
            let mut pairs = vec![("auth_request_id", link.auth_request_id.as_str())];
            if let Some(s) = &link.state {
                pairs.push(("state", s.as_str()));
            }
            let location = crate::oauth::with_query(url, &pairs);
            (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
        }
        None => page(StatusCode::OK, &format!("Your {connector} account is connected. You can close this window.")),
    }
}

/// Where `user/verify` sends the user at the end.
pub async fn connect_done() -> Response {
    page(StatusCode::OK, "Your account is connected and verified. You can close this window.")
}

/// `POST /connected_accounts/user/verify`: the app confirms that the user who
/// authorized is the account's (`identifier`); the account becomes `ACTIVE`.
pub async fn verify(State(state): State<Arc<AppState>>, body: Bytes) -> ApiResult<Json<Value>> {
    #[derive(Debug, Default, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    struct Body {
        auth_request_id: Option<String>,
        identifier: Option<String>,
    }
    let request: Body = parse_body(&body)?;
    let Some(auth_request_id) = non_empty(&request.auth_request_id) else {
        return Err(ApiError::field("auth_request_id", "value is required", "required"));
    };
    let Some(identifier) = non_empty(&request.identifier) else {
        return Err(ApiError::field("identifier", "value is required", "required"));
    };
    let mut store = state.store.lock().unwrap();
    let Some(l) = store.magic_links.iter().position(|l| l.auth_request_id == auth_request_id && !l.verified) else {
        return Err(ApiError::not_found("auth request not found or no longer valid"));
    };
    let link = store.magic_links[l].clone();
    let i = store
        .connected_accounts
        .iter()
        .position(|a| a["id"] == *link.account_id)
        .ok_or_else(|| ApiError::not_found(format!("connected account {} not found", link.account_id)))?;
    if store.connected_accounts[i]["identifier"] != *identifier {
        return Err(ApiError::permission_denied("the identifier does not match the connected account's"));
    }
    if link.user_verify_url.is_none() {
        return Err(ApiError::failed_precondition("this auth request has no user verification step"));
    }
    if !link.followed || store.connected_accounts[i]["status"] != "PENDING_VERIFICATION" {
        return Err(ApiError::failed_precondition("the user has not authorized this request yet"));
    }
    store.magic_links[l].verified = true;
    let account = &mut store.connected_accounts[i];
    let old_status = account["status"].clone();
    account["status"] = json!("ACTIVE");
    account["updated_at"] = json!(now_rfc3339());
    let account = account.clone();
    drop(store);
    emit_status_change(&state, &account, &old_status);
    let url = crate::oauth::with_query(&format!("{}/connect/done", state.public_url()), &[("auth_request_id", &auth_request_id)]);
    Ok(Json(json!({ "post_user_verify_redirect_url": url })))
}

/// Every connected account, with its credentials and its `organization_id`/`user_id`, for tests.
pub fn all(state: &AppState) -> Vec<Value> {
    state.store.lock().unwrap().connected_accounts.clone()
}
