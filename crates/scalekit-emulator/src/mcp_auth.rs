//! The emulator as Scalekit's authorization server for MCP servers: a registered MCP server is a
//! resource (`res_…`) whose issuer is `{url}/resources/{res_id}`. It serves RFC 8414 metadata at
//! both forms of the resource's well-known URL, registers public clients by RFC 7591 dynamic client
//! registration (`m2m_…` ids) or takes them from client ID metadata documents (given to the emulator,
//! since tests have no network), and issues resource tokens at `/oauth/token`.
//!
//! What Scalekit's live behaviour leaves undocumented is a switch per server, with a default:
//! the `iss` of its tokens (`environment`, the default, as Scalekit issues them today, or
//! `resource`), the scope claims (`both`, the default: `scope` and `scopes`), and how strictly the
//! `resource` parameter must name the server (`exact`, the default, `prefix` or `ignore`).
//!
//! Servers, client metadata documents and the consent policy are configuration: `reset()` keeps them.
//! Registered clients and authorization requests are records: it clears them.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::state::{now_rfc3339, without_nulls, AppState};

/// A boxed future (the consent policy of a test may answer later).
pub type BoxFuture<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>>;

/// Which form of issuer the tokens of a resource name in `iss`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IssuerForm {
    /// The environment URL (Scalekit's documented behaviour today).
    Environment,
    /// `{env}/resources/{res_id}`, where Scalekit is moving.
    Resource,
}

/// Which claims carry the granted scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScopeClaims {
    /// `scope` (a space-separated string) and `scopes` (an array).
    Both,
    Scope,
    Scopes,
}

/// How the `resource` parameter (RFC 8707) must name the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourcePolicy {
    /// It must be the server URL (compared as URLs: case, default port, trailing slash).
    Exact,
    /// It must be the server URL or a path below it.
    Prefix,
    /// It is recorded, not checked.
    Ignore,
}

/// An MCP server registered with the environment.
#[derive(Debug, Clone)]
pub struct McpServer {
    pub resource_id: String,
    pub name: String,
    /// The MCP server's URL (the protected resource), when registered with one.
    pub server_url: Option<String>,
    /// The scopes the server defines.
    pub scopes: Vec<String>,
    pub dcr: bool,
    pub cimd: bool,
    pub issuer_form: IssuerForm,
    pub scope_claims: ScopeClaims,
    pub resource_policy: ResourcePolicy,
    /// Lifetime of its access tokens, seconds.
    pub token_ttl: u64,
    /// A bring-your-own-auth connection whose login page signs its users in, instead of the login user.
    pub custom_auth_connection: Option<String>,
}

/// What `createServer` takes (REST JSON, snake_case, for the admin endpoint too).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct McpServerSeed {
    pub name: Option<String>,
    pub server_url: Option<String>,
    pub scopes: Option<Vec<String>>,
    pub dcr: Option<bool>,
    pub cimd: Option<bool>,
    pub issuer_form: Option<IssuerForm>,
    pub scope_claims: Option<ScopeClaims>,
    pub resource_policy: Option<ResourcePolicy>,
    pub token_ttl_seconds: Option<u64>,
    pub custom_auth_connection_id: Option<String>,
}

/// One authorization request as a consent policy sees it.
#[derive(Debug, Clone)]
pub struct ConsentRequest {
    pub resource_id: String,
    pub client_id: String,
    pub user_id: String,
    pub requested_scopes: Vec<String>,
    pub resource: Option<String>,
}

/// A policy of your own: the scopes granted, or `None` to deny.
pub type ConsentFn = Arc<dyn Fn(ConsentRequest) -> BoxFuture<Option<Vec<String>>> + Send + Sync>;

/// How the login user answers the consent screen.
#[derive(Clone, Default)]
pub enum ConsentPolicy {
    /// Everything asked for is granted (Scalekit's consent-free flow for a signed-in user).
    #[default]
    Allow,
    Deny,
    Custom(ConsentFn),
}

impl std::fmt::Debug for ConsentPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ConsentPolicy::Allow => "allow",
            ConsentPolicy::Deny => "deny",
            ConsentPolicy::Custom(_) => "custom",
        })
    }
}

/// The MCP configuration of one emulator (kept across resets).
#[derive(Debug, Default)]
pub struct McpSettings {
    pub servers: Vec<McpServer>,
    /// Client ID metadata documents by their URL (the `client_id`).
    pub metadata_documents: Vec<(String, Value)>,
    pub consent: ConsentPolicy,
}

/// A client registered by DCR.
#[derive(Debug, Clone)]
pub struct RegisteredClient {
    pub client_id: String,
    pub client_secret: Option<String>,
    pub resource_id: String,
    pub redirect_uris: Vec<String>,
    /// The registration answer (RFC 7591), secret left out.
    pub metadata: Value,
}

/// The MCP records of one emulator (cleared by a reset).
#[derive(Debug, Default)]
pub struct McpRecords {
    pub clients: Vec<RegisteredClient>,
    /// Every authorization request an MCP client made, oldest first (REST JSON).
    pub authorization_requests: Vec<Value>,
}

/// The scopes any resource accepts besides its own.
pub const STANDARD_SCOPES: [&str; 4] = ["openid", "profile", "email", "offline_access"];

impl McpServer {
    /// `{url}/resources/{res_id}`: the issuer of its authorization server metadata.
    pub fn issuer(&self, base: &str) -> String {
        format!("{base}/resources/{}", self.resource_id)
    }

    /// Every scope it lists as supported: its own, then the standard ones.
    pub fn scopes_supported(&self) -> Vec<String> {
        let mut scopes = self.scopes.clone();
        scopes.extend(STANDARD_SCOPES.iter().map(|s| (*s).to_owned()).filter(|s| !self.scopes.contains(s)));
        scopes
    }

    /// The RFC 9728 metadata its MCP server would serve (when it has a URL).
    pub fn protected_resource_metadata(&self, base: &str) -> Value {
        without_nulls(json!({
            "resource": self.server_url,
            "authorization_servers": [self.issuer(base)],
            "bearer_methods_supported": ["header"],
            "scopes_supported": self.scopes,
            "resource_name": self.name,
        }))
    }

    /// The `resource` parameter of a request, checked by the server's policy: `Err` with a description.
    pub fn check_resource(&self, resource: Option<&str>) -> Result<(), String> {
        let (Some(resource), Some(server_url)) = (resource, self.server_url.as_deref()) else { return Ok(()) };
        let given = crate::mcp_auth::normalized(resource);
        let expected = crate::mcp_auth::normalized(server_url);
        let fits = match self.resource_policy {
            ResourcePolicy::Ignore => true,
            ResourcePolicy::Exact => given == expected,
            ResourcePolicy::Prefix => given == expected || given.starts_with(&format!("{expected}/")),
        };
        if fits {
            Ok(())
        } else {
            Err(format!("resource {resource} is not this MCP server ({server_url})"))
        }
    }
}

/// A URL as compared here: scheme and host lower-cased, a default port and a trailing slash dropped.
pub fn normalized(value: &str) -> String {
    match crate::parse_url(value.trim()) {
        Ok(url) if url.has_host() => {
            let mut out = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default());
            if let Some(port) = url.port() {
                out.push_str(&format!(":{port}"));
            }
            out.push_str(url.path().trim_end_matches('/'));
            if let Some(query) = url.query() {
                out.push('?');
                out.push_str(query);
            }
            out
        }
        _ => value.trim().trim_end_matches('/').to_owned(),
    }
}

/// Registers an MCP server; returns it.
pub fn create_server(state: &AppState, seed: McpServerSeed) -> Result<McpServer, String> {
    let scopes = seed.scopes.unwrap_or_default();
    if let Some(bad) = scopes.iter().find(|s| s.is_empty() || s.chars().any(|c| c.is_whitespace() || c == '"' || c == '\\')) {
        return Err(format!("scope {bad:?} is not a valid scope token"));
    }
    if let Some(url) = &seed.server_url {
        let parsed = crate::parse_url(url).map_err(|e| format!("serverUrl is not a URL: {e}"))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.fragment().is_some() {
            return Err("serverUrl must be an http(s) URL without a fragment".into());
        }
    }
    if let Some(id) = &seed.custom_auth_connection_id {
        if !state.custom_auth.lock().unwrap().iter().any(|c| c.id == *id) {
            return Err(format!("no bring-your-own-auth connection {id}"));
        }
    }
    let server = McpServer {
        resource_id: state.new_id("res"),
        name: seed.name.unwrap_or_else(|| "MCP server".into()),
        server_url: seed.server_url,
        scopes,
        dcr: seed.dcr.unwrap_or(true),
        cimd: seed.cimd.unwrap_or(true),
        issuer_form: seed.issuer_form.unwrap_or(IssuerForm::Environment),
        scope_claims: seed.scope_claims.unwrap_or(ScopeClaims::Both),
        resource_policy: seed.resource_policy.unwrap_or(ResourcePolicy::Exact),
        token_ttl: seed.token_ttl_seconds.filter(|t| *t > 0).unwrap_or_else(|| state.config().token_ttl.as_secs().max(1)),
        custom_auth_connection: seed.custom_auth_connection_id,
    };
    state.mcp.lock().unwrap().servers.push(server.clone());
    Ok(server)
}

/// What `createServer` returns (REST JSON).
pub fn server_json(state: &AppState, server: &McpServer) -> Value {
    let base = state.public_url();
    without_nulls(json!({
        "resource_id": server.resource_id, "name": server.name, "server_url": server.server_url,
        "issuer": server.issuer(&base), "scopes": server.scopes,
        "metadata_url": format!("{base}/.well-known/oauth-authorization-server/resources/{}", server.resource_id),
        "protected_resource_metadata": server.server_url.as_ref().map(|_| server.protected_resource_metadata(&base)),
    }))
}

pub fn server(state: &AppState, resource_id: &str) -> Option<McpServer> {
    state.mcp.lock().unwrap().servers.iter().find(|s| s.resource_id == resource_id).cloned()
}

/// Adds (or replaces) a client ID metadata document, keyed by its `client_id`, which must be an https URL
/// with a path, as the CIMD draft requires.
pub fn add_metadata_document(state: &AppState, document: Value) -> Result<String, String> {
    let client_id = document["client_id"].as_str().ok_or("the document needs a client_id: the URL it is served at")?.to_owned();
    let url = crate::parse_url(&client_id).map_err(|e| format!("client_id must be the document's URL: {e}"))?;
    if url.scheme() != "https" || url.path() == "/" || url.fragment().is_some() {
        return Err("client_id must be an https URL with a path and no fragment".into());
    }
    if document["client_name"].as_str().is_none_or(str::is_empty) {
        return Err("the document needs a client_name".into());
    }
    let redirects = document["redirect_uris"].as_array().filter(|r| !r.is_empty() && r.iter().all(Value::is_string));
    if redirects.is_none() {
        return Err("the document needs redirect_uris: a non-empty list of URLs".into());
    }
    let mut settings = state.mcp.lock().unwrap();
    settings.metadata_documents.retain(|(id, _)| *id != client_id);
    settings.metadata_documents.push((client_id.clone(), document));
    Ok(client_id)
}

/// Whether `uri` is a redirect URI a client may register: https, or http on a loopback host.
fn redirect_uri_allowed(uri: &str) -> bool {
    crate::parse_url(uri).ok().is_some_and(|u| {
        u.fragment().is_none()
            && match u.scheme() {
                "https" => true,
                "http" => crate::oauth::is_loopback(&u),
                _ => false,
            }
    })
}

/// Whether `redirect_uri` is one of `registered`: exactly, or (for a loopback URI, as RFC 8252 asks) with
/// any port.
pub fn redirect_matches(registered: &[String], redirect_uri: &str, any_loopback_port: bool) -> bool {
    let without_port = |uri: &str| {
        let mut url = crate::parse_url(uri).ok().filter(crate::oauth::is_loopback)?;
        url.set_port(None).ok()?;
        Some(url)
    };
    registered.iter().any(|r| r == redirect_uri || (any_loopback_port && without_port(r).is_some_and(|r| Some(r) == without_port(redirect_uri))))
}

fn registration_error(error: &str, description: &str) -> Response {
    let mut response = (StatusCode::BAD_REQUEST, Json(json!({ "error": error, "error_description": description }))).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    response
}

/// `POST /api/v1/resources/{res_id}/clients:register`: RFC 7591 dynamic client registration. Public
/// clients (`none`, the default) get only an id; `client_secret_post`/`client_secret_basic` also a secret.
pub async fn register(State(state): State<Arc<AppState>>, Path(resource_id): Path<String>, body: Bytes) -> Response {
    let Some(server) = server(&state, &resource_id) else {
        return (StatusCode::NOT_FOUND, Json(json!({ "error": "invalid_request", "error_description": format!("no MCP server {resource_id}") }))).into_response();
    };
    if !server.dcr {
        return registration_error("invalid_client_metadata", "dynamic client registration is turned off for this MCP server");
    }
    let Ok(Value::Object(mut metadata)) = serde_json::from_slice::<Value>(&body) else {
        return registration_error("invalid_client_metadata", "the body must be a JSON object of client metadata");
    };
    let redirect_uris: Vec<String> = match metadata.get("redirect_uris") {
        Some(Value::Array(items)) if !items.is_empty() && items.iter().all(Value::is_string) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => return registration_error("invalid_redirect_uri", "redirect_uris must be a non-empty list of URLs"),
    };
    if let Some(bad) = redirect_uris.iter().find(|u| !redirect_uri_allowed(u)) {
        return registration_error("invalid_redirect_uri", &format!("redirect URI {bad} must be https, or http on localhost / 127.0.0.1 / [::1], without a fragment"));
    }
    let method = metadata.get("token_endpoint_auth_method").and_then(Value::as_str).unwrap_or("none").to_owned();
    if !matches!(method.as_str(), "none" | "client_secret_post" | "client_secret_basic") {
        return registration_error("invalid_client_metadata", "token_endpoint_auth_method must be none, client_secret_post or client_secret_basic");
    }
    for (field, allowed) in [("grant_types", &["authorization_code", "refresh_token", "client_credentials"][..]), ("response_types", &["code"][..])] {
        if let Some(values) = metadata.get(field) {
            let ok = values.as_array().is_some_and(|v| v.iter().all(|g| g.as_str().is_some_and(|g| allowed.contains(&g))));
            if !ok {
                return registration_error("invalid_client_metadata", &format!("{field} may only hold {}", allowed.join(", ")));
            }
        }
    }
    if let Some(scope) = metadata.get("scope") {
        let Some(scope) = scope.as_str() else { return registration_error("invalid_client_metadata", "scope must be a string") };
        let supported = server.scopes_supported();
        if let Some(unknown) = scope.split_whitespace().find(|s| !supported.iter().any(|k| k == s)) {
            return registration_error("invalid_client_metadata", &format!("scope {unknown} is not defined for this MCP server"));
        }
    }
    let client_id = state.new_id("m2m");
    let secret = (method != "none").then(|| crate::oauth::random_token("sks_"));
    metadata.insert("client_id".into(), json!(client_id));
    metadata.insert("client_id_issued_at".into(), json!(state.clock.unix()));
    metadata.insert("token_endpoint_auth_method".into(), json!(method));
    metadata.entry("grant_types").or_insert_with(|| json!(["authorization_code", "refresh_token"]));
    metadata.entry("response_types").or_insert_with(|| json!(["code"]));
    let record = RegisteredClient { client_id: client_id.clone(), client_secret: secret.clone(), resource_id, redirect_uris, metadata: Value::Object(metadata.clone()) };
    state.store.lock().unwrap().mcp.clients.push(record);
    if let Some(secret) = secret {
        metadata.insert("client_secret".into(), json!(secret));
        metadata.insert("client_secret_expires_at".into(), json!(0));
    }
    let mut response = (StatusCode::CREATED, Json(Value::Object(metadata))).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    response
}

/// RFC 8414 metadata of a resource's authorization server, at
/// `/.well-known/oauth-authorization-server/resources/{res_id}` and
/// `/resources/{res_id}/.well-known/oauth-authorization-server`.
pub async fn metadata(State(state): State<Arc<AppState>>, Path(resource_id): Path<String>) -> Response {
    let Some(server) = server(&state, &resource_id) else {
        return (StatusCode::NOT_FOUND, Json(json!({ "error": "not_found", "error_description": format!("no MCP server {resource_id}") }))).into_response();
    };
    let base = state.public_url();
    let issuer = server.issuer(&base);
    let mut document = json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/oauth/authorize"),
        "token_endpoint": format!("{issuer}/oauth/token"),
        "jwks_uri": format!("{base}/keys"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["none", "client_secret_post", "client_secret_basic"],
        "scopes_supported": server.scopes_supported(),
        "client_id_metadata_document_supported": server.cimd,
        "authorization_response_iss_parameter_supported": true,
    });
    if server.dcr {
        document["registration_endpoint"] = json!(format!("{base}/api/v1/resources/{resource_id}/clients:register"));
    }
    ([(header::CACHE_CONTROL, "public, max-age=60"), (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")], Json(document)).into_response()
}

/// The resource-scoped OpenID discovery: 404, as Scalekit answers.
pub async fn no_openid_configuration(Path(_resource_id): Path<String>) -> Response {
    (StatusCode::NOT_FOUND, Json(json!({ "error": "not_found", "error_description": "resource authorization servers publish OAuth metadata (/.well-known/oauth-authorization-server), not OpenID discovery" }))).into_response()
}

/// An MCP client as `/oauth/authorize` and `/oauth/token` see it.
#[derive(Debug, Clone)]
pub enum McpClient {
    Registered(RegisteredClient),
    /// A client ID metadata document's URL and the document.
    Document(String, Value),
}

impl McpClient {
    pub fn id(&self) -> &str {
        match self {
            McpClient::Registered(c) => &c.client_id,
            McpClient::Document(id, _) => id,
        }
    }

    pub fn redirect_allowed(&self, redirect_uri: &str) -> bool {
        match self {
            McpClient::Registered(c) => redirect_matches(&c.redirect_uris, redirect_uri, false),
            McpClient::Document(_, doc) => {
                let registered: Vec<String> = doc["redirect_uris"].as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect();
                // The CIMD draft: any port on a loopback redirect URI, as native apps pick one at run time.
                redirect_matches(&registered, redirect_uri, true)
            }
        }
    }

    /// The resource it registered with (DCR clients belong to one).
    pub fn resource_id(&self) -> Option<&str> {
        match self {
            McpClient::Registered(c) => Some(&c.resource_id),
            McpClient::Document(..) => None,
        }
    }

    /// Its secret, for a confidential client.
    pub fn secret(&self) -> Option<&str> {
        match self {
            McpClient::Registered(c) => c.client_secret.as_deref(),
            McpClient::Document(..) => None,
        }
    }
}

/// Why an MCP `client_id` is not usable.
pub enum ClientLookup {
    Found(McpClient),
    /// Not an MCP client at all (maybe the environment's own, or an M2M client).
    Unknown,
    /// A metadata-document URL the emulator cannot resolve or accept (`invalid_client_metadata_url`).
    BadDocument(String),
}

/// The MCP client `client_id` names: a registered one, or a client ID metadata document.
pub fn client(state: &AppState, client_id: &str) -> ClientLookup {
    if let Some(c) = state.store.lock().unwrap().mcp.clients.iter().find(|c| c.client_id == client_id) {
        return ClientLookup::Found(McpClient::Registered(c.clone()));
    }
    if !client_id.starts_with("https://") {
        return ClientLookup::Unknown;
    }
    let settings = state.mcp.lock().unwrap();
    match settings.metadata_documents.iter().find(|(id, _)| id == client_id) {
        Some((id, doc)) if doc["client_id"].as_str() == Some(id) => ClientLookup::Found(McpClient::Document(id.clone(), doc.clone())),
        Some(_) => ClientLookup::BadDocument("the client metadata document's client_id is not its URL".into()),
        None => ClientLookup::BadDocument(format!("no client metadata document at {client_id} (give it to the emulator: mcp.addClientMetadataDocument)")),
    }
}

/// The server a request is for: named by the path, or the DCR client's, or the one whose URL the
/// `resource` parameter names, or the only one.
pub fn server_for(state: &AppState, path_resource: Option<&str>, client: &McpClient, resource: Option<&str>) -> Option<McpServer> {
    let settings = state.mcp.lock().unwrap();
    let by_id = |id: &str| settings.servers.iter().find(|s| s.resource_id == id).cloned();
    if let Some(id) = path_resource.or(client.resource_id()) {
        return by_id(id);
    }
    if let Some(resource) = resource {
        let wanted = normalized(resource);
        let found = settings.servers.iter().find(|s| s.server_url.as_deref().is_some_and(|u| {
            let u = normalized(u);
            wanted == u || wanted.starts_with(&format!("{u}/"))
        }));
        if found.is_some() {
            return found.cloned();
        }
    }
    (settings.servers.len() == 1).then(|| settings.servers[0].clone())
}

/// Asks the consent policy; `None` means denied.
pub async fn consent(state: &AppState, request: ConsentRequest) -> Option<Vec<String>> {
    let policy = state.mcp.lock().unwrap().consent.clone();
    match policy {
        ConsentPolicy::Allow => Some(request.requested_scopes),
        ConsentPolicy::Deny => None,
        ConsentPolicy::Custom(decide) => decide(request).await,
    }
}

/// Appends an authorization request to the log; returns its index.
pub fn log_request(state: &AppState, entry: Value) -> usize {
    let mut store = state.store.lock().unwrap();
    store.mcp.authorization_requests.push(without_nulls(entry));
    store.mcp.authorization_requests.len() - 1
}

/// Updates the outcome of a logged authorization request.
pub fn set_outcome(state: &AppState, index: usize, outcome: &str, granted: Option<&[String]>) {
    let mut store = state.store.lock().unwrap();
    if let Some(entry) = store.mcp.authorization_requests.get_mut(index) {
        entry["outcome"] = json!(outcome);
        if let Some(granted) = granted {
            entry["granted_scopes"] = json!(granted);
        }
    }
}

/// An authorization request's log entry, before its outcome.
pub fn request_entry(resource_id: &str, client_id: &str, redirect_uri: &str, requested: &[String], resource: Option<&str>, code_challenge_method: Option<&str>) -> Value {
    json!({
        "resource_id": resource_id, "client_id": client_id, "redirect_uri": redirect_uri,
        "requested_scopes": requested, "resource": resource, "code_challenge_method": code_challenge_method,
        "outcome": "pending", "time": now_rfc3339(),
    })
}

/// Every client registered or seen (REST JSON), for tests.
pub fn clients_json(state: &AppState) -> Vec<Value> {
    let mut out: Vec<Value> = state.store.lock().unwrap().mcp.clients.iter().map(|c| {
        let mut m = c.metadata.clone();
        m["resource_id"] = json!(c.resource_id);
        m["kind"] = json!("dcr");
        m
    }).collect();
    out.extend(state.mcp.lock().unwrap().metadata_documents.iter().map(|(_, doc)| {
        let mut m = doc.clone();
        m["kind"] = json!("metadata_document");
        m
    }));
    out
}

/// A resource token for tests (`mintAccessToken`): the claims a real authorization would give, with
/// `claims` over them.
pub fn mint_resource_token(state: &AppState, resource_id: &str, scopes: Vec<String>, subject: Option<String>, client_id: Option<String>, ttl: Option<i64>, claims: Map<String, Value>) -> Result<String, String> {
    let server = server(state, resource_id).ok_or_else(|| format!("no MCP server {resource_id}"))?;
    let grant = crate::oauth::ResourceGrant {
        server: &server,
        client_id: client_id.unwrap_or_else(|| "m2m_emulator_test_client".into()),
        user_id: subject.clone(),
        organization_id: None,
        session_id: None,
        scopes,
        resource: server.server_url.clone(),
    };
    let mut token_claims = crate::oauth::resource_claims(state, &grant, ttl.unwrap_or(server.token_ttl as i64));
    if subject.is_none() {
        token_claims["sub"] = token_claims["client_id"].clone();
    }
    if let Some(object) = token_claims.as_object_mut() {
        object.extend(claims);
    }
    Ok(crate::oauth::sign(state, &token_claims))
}
