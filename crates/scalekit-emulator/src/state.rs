//! In-memory state of one emulator instance.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    pub client_id: String,
    pub client_secret: String,
    /// `expires_in` of client-credentials tokens.
    pub token_ttl: Duration,
    /// Largest `page_size` list calls accept (Scalekit: 100). Benchmarks raise it.
    pub max_page_size: u32,
    /// Seeds every random choice (fault probability and jitter).
    pub seed: u64,
    /// Keep request and response bodies in the request log (for conformance checks).
    pub record_bodies: bool,
    /// `iss` of the tokens it signs; default its own URL (set it when apps reach it through a proxy).
    pub issuer: Option<String>,
    /// Redirect URIs `/oauth/authorize` accepts, exactly; when empty, any loopback URL (localhost, 127.0.0.1, [::1]).
    pub redirect_uris: Vec<String>,
    /// What a refresh token used a second time gets (Scalekit rotates them on every use).
    pub refresh_token_reuse: RefreshTokenReuse,
    /// How long a signed-in session lasts at most, and without a refresh, unless its organization's session
    /// policy says otherwise. Default 7 days and 1 day.
    pub session_absolute_timeout: Duration,
    pub session_idle_timeout: Duration,
}

/// What a refresh token used a second time gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RefreshTokenReuse {
    /// `invalid_grant` (the default: Scalekit's documented single-use rotation).
    #[default]
    Reject,
    /// `invalid_grant`, and the session is revoked (OAuth 2.1's reuse detection for public clients).
    RevokeSession,
    /// Within the window, the same answer as its first use (what a client racing itself needs).
    Grace(Duration),
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            client_id: "skc_emulator".into(),
            client_secret: "emulator_secret".into(),
            token_ttl: Duration::from_secs(3600),
            max_page_size: 100,
            seed: 0,
            record_bodies: false,
            issuer: None,
            redirect_uris: Vec::new(),
            refresh_token_reuse: RefreshTokenReuse::Reject,
            session_absolute_timeout: Duration::from_secs(7 * 86_400),
            session_idle_timeout: Duration::from_secs(86_400),
        }
    }
}

/// One request as the emulator saw it, for tests to inspect.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub status: u16,
    pub request_id: String,
    /// Whether an `Authorization` header came with it (its value is never kept).
    pub authorization: bool,
    /// The `User-Agent` header, e.g. `scalekit-native/0.1.0 (rust)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// The `Idempotency-Key` header, when the request had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// With `recordBodies`: the request body as sent (form bodies of `/oauth/token` are never kept).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_body: Option<String>,
    /// With `recordBodies`: the response body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_body: Option<String>,
}

/// Requests kept for `requests()`; older ones are dropped (the counters keep counting).
pub const REQUEST_LOG_LIMIT: usize = 10_000;

/// The id of the one environment the emulator serves.
pub const ENVIRONMENT_ID: &str = "env_emulator";

/// Counters over the emulator's whole life (or since the last reset).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EmulatorStats {
    pub requests: u32,
    pub token_requests: u32,
    pub organizations: u32,
    pub users: u32,
    /// Client connections open now.
    pub connections_open: u32,
    /// Client connections accepted since the start.
    pub connections_accepted: u32,
}

#[derive(Debug, Default)]
pub struct Store {
    /// Organizations in creation order; each a REST JSON object (snake_case).
    pub organizations: Vec<Value>,
    pub users: Vec<Value>,
    pub user_external_ids: HashSet<String>,
    /// (organization id, lower-cased email) of every membership.
    pub memberships: HashSet<(String, String)>,
    pub domains: Vec<Value>,
    pub roles: Vec<crate::roles::RoleRecord>,
    pub clients: Vec<crate::clients::ClientRecord>,
    pub connections: Vec<Value>,
    pub directories: Vec<Value>,
    /// Users and groups per directory id.
    pub directory_data: HashMap<String, crate::directories::DirectoryData>,
    pub api_tokens: Vec<crate::tokens::ApiToken>,
    pub webauthn: Vec<Value>,
    pub passwordless: Vec<crate::passwordless::AuthRequest>,
    /// Permissions (REST JSON).
    pub permissions: Vec<Value>,
    /// (default creator, default member) role names, per organization (`None`: the environment).
    pub default_roles: HashMap<Option<String>, (Option<String>, Option<String>)>,
    /// Events of mutations (the webhook envelope), oldest first.
    pub events: Vec<Value>,
    /// Sessions opened by sign-ins (REST JSON).
    pub sessions: Vec<Value>,
    pub auth: crate::oauth::AuthStore,
    /// Clients registered by MCP clients, and their authorization requests.
    pub mcp: crate::mcp_auth::McpRecords,
    /// Invitations resent, per (organization id, user id).
    pub invites_resent: HashMap<(String, String), u32>,
    /// Per organization: `session_policy` and `user_management` settings (REST JSON).
    pub organization_settings: HashMap<String, serde_json::Map<String, Value>>,
    pub tokens: HashMap<String, Instant>,
    /// Access tokens revoked by `revoke_tokens` (kept so that tests can look for leaks of any token issued).
    pub revoked_tokens: HashSet<String>,
    pub requests: VecDeque<RequestRecord>,
    /// Tools registered by tests (`register_tool`), in registration order.
    pub tools: Vec<crate::tools::ToolRecord>,
    /// Every `execute_tool` call, oldest first.
    pub tool_executions: Vec<Value>,
    /// Connected accounts (REST JSON, plus their `organization_id`/`user_id`), in creation order.
    pub connected_accounts: Vec<Value>,
    /// Magic links handed out for connected accounts.
    pub magic_links: Vec<crate::connected_accounts::MagicLink>,
    /// Upstream base URL the proxy forwards to.
    pub proxy_target: Option<String>,
    /// Custom providers (REST JSON).
    pub providers: Vec<Value>,
    pub mcp_configs: Vec<Value>,
    /// MCP session tokens: token → `{mcp_config_id, identifier, expires_at}`.
    pub mcp_tokens: HashMap<String, Value>,
    /// Authentication requests (`auditlogsAuthLogRequest`), oldest first.
    pub auth_logs: Vec<Value>,
    /// Users a customer's own login page reported, per login request id.
    pub login_user_details: HashMap<String, Value>,
    pub request_count: u32,
    pub token_request_count: u32,
}

/// Where the resource `id` of `organization_id` sits in `items` (connections,
/// directories, domains…); a 404 naming `kind` when it is not there.
pub fn position_in_organization(items: &[Value], kind: &str, organization_id: &str, id: &str) -> crate::error::ApiResult<usize> {
    items
        .iter()
        .position(|item| item["id"] == id && item["organization_id"] == organization_id)
        .ok_or_else(|| crate::error::ApiError::not_found(format!("{kind} {id} not found")))
}

impl Store {
    pub fn log(&mut self, record: RequestRecord) {
        self.request_count += 1;
        if record.path.ends_with("/oauth/token") {
            self.token_request_count += 1;
        }
        if self.requests.len() == REQUEST_LOG_LIMIT {
            self.requests.pop_front();
        }
        self.requests.push_back(record);
    }

    pub fn organization(&self, id: &str) -> Option<&Value> {
        self.organizations.iter().find(|o| o["id"] == id)
    }
}

/// The emulator's clock: the system's, plus however far a test has moved it forward (`advanceTime`). Tokens,
/// codes, sessions and their policies, login requests and passwordless codes all read it.
#[derive(Debug, Default)]
pub struct Clock {
    offset_secs: AtomicU64,
}

impl Clock {
    pub fn offset(&self) -> Duration {
        Duration::from_secs(self.offset_secs.load(Ordering::Relaxed))
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        self.offset_secs.fetch_add(by.as_secs(), Ordering::Relaxed);
    }

    pub fn instant(&self) -> Instant {
        Instant::now() + self.offset()
    }

    /// Unix seconds.
    pub fn unix(&self) -> u64 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0) + self.offset().as_secs()
    }

    pub fn datetime(&self) -> time::OffsetDateTime {
        time::OffsetDateTime::now_utc() + self.offset()
    }

    pub fn rfc3339(&self) -> String {
        self.datetime().format(&time::format_description::well_known::Rfc3339).expect("RFC 3339 formatting of the current time")
    }
}

pub struct AppState {
    /// `http://host:port` once bound.
    pub url: std::sync::OnceLock<String>,
    /// The emulator's own runtime, for background work started from any thread (webhook deliveries).
    pub runtime: std::sync::OnceLock<tokio::runtime::Handle>,
    pub config: Mutex<EmulatorConfig>,
    pub store: Mutex<Store>,
    pub faults: crate::faults::Faults,
    pub keys: crate::oauth::KeyRing,
    /// Seeded: codes and other random values tests may depend on.
    pub rng: Mutex<rand::rngs::StdRng>,
    pub webhooks: crate::webhooks::Webhooks,
    pub connections_open: std::sync::atomic::AtomicU32,
    pub connections_accepted: std::sync::atomic::AtomicU32,
    /// The proxy's HTTP client, built on first use.
    pub proxy_client: std::sync::OnceLock<reqwest::Client>,
    /// MCP servers, client metadata documents and the consent policy (configuration: a reset keeps them).
    pub mcp: Mutex<crate::mcp_auth::McpSettings>,
    /// Bring-your-own-auth connections (configuration: a reset keeps them).
    pub custom_auth: Mutex<Vec<crate::login_users::CustomAuthConnection>>,
    /// Agent Auth connections by name (configuration: a reset keeps them).
    pub agent_connections: Mutex<Vec<crate::connected_accounts::AgentConnection>>,
    /// Moved forward by tests (`advanceTime`); a reset keeps it.
    pub clock: Clock,
    next_id: AtomicU64,
    next_request: AtomicU64,
}

impl AppState {
    pub fn new(config: EmulatorConfig) -> Self {
        AppState { url: std::sync::OnceLock::new(), runtime: std::sync::OnceLock::new(), faults: crate::faults::Faults::new(config.seed), keys: Default::default(), rng: Mutex::new(rand::SeedableRng::seed_from_u64(config.seed)), webhooks: Default::default(), connections_open: Default::default(), connections_accepted: Default::default(), proxy_client: std::sync::OnceLock::new(), mcp: Default::default(), custom_auth: Default::default(), agent_connections: Mutex::new(crate::connected_accounts::default_connections()), clock: Clock::default(), config: Mutex::new(config), store: Mutex::new(Store::default()), next_id: AtomicU64::new(1), next_request: AtomicU64::new(1) }
    }

    /// A Scalekit-style id: prefix and a decimal snowflake-like number.
    pub fn new_id(&self, prefix: &str) -> String {
        format!("{prefix}_{}", 59_615_193_906_282_000u64 + self.next_id.fetch_add(1, Ordering::Relaxed))
    }

    pub fn public_url(&self) -> String {
        self.url.get().cloned().unwrap_or_default()
    }

    /// The `iss` of the tokens it signs.
    pub fn issuer(&self) -> String {
        self.config.lock().unwrap().issuer.clone().unwrap_or_else(|| self.public_url())
    }

    pub fn new_request_id(&self) -> String {
        format!("req_{}", self.next_request.fetch_add(1, Ordering::Relaxed))
    }

    pub fn config(&self) -> EmulatorConfig {
        self.config.lock().unwrap().clone()
    }

    /// Forgets every resource, token, logged request, event, webhook delivery and fault.
    pub fn reset(&self) {
        *self.store.lock().unwrap() = Store::default();
        self.faults.clear();
        self.webhooks.generation.fetch_add(1, Ordering::SeqCst);
        self.webhooks.deliveries.lock().unwrap().clear();
    }

    /// Makes every token issued so far expired, as if its lifetime had passed.
    pub fn expire_tokens(&self) {
        let now = self.clock.instant();
        for expiry in self.store.lock().unwrap().tokens.values_mut() {
            *expiry = now;
        }
    }

    /// Makes every token issued so far invalid: the next API call gets 401.
    pub fn revoke_tokens(&self) {
        let mut store = self.store.lock().unwrap();
        let revoked = std::mem::take(&mut store.tokens);
        store.revoked_tokens.extend(revoked.into_keys());
    }

    /// Every access token issued since the start (or the last reset), revoked ones included.
    pub fn issued_tokens(&self) -> Vec<String> {
        let store = self.store.lock().unwrap();
        store.tokens.keys().chain(store.revoked_tokens.iter()).cloned().collect()
    }

    pub fn requests(&self) -> Vec<RequestRecord> {
        self.store.lock().unwrap().requests.iter().cloned().collect()
    }

    pub fn stats(&self) -> EmulatorStats {
        let store = self.store.lock().unwrap();
        EmulatorStats {
            requests: store.request_count,
            token_requests: store.token_request_count,
            organizations: store.organizations.len() as u32,
            users: store.users.len() as u32,
            connections_open: self.connections_open.load(Ordering::Relaxed),
            connections_accepted: self.connections_accepted.load(Ordering::Relaxed),
        }
    }
}

/// `record[key]` as an array to change, made an empty one when the record has none (a record added with
/// `import_records` is kept exactly as given, and may lack a list the emulator's own records always have).
pub fn array_field<'a>(record: &'a mut Value, key: &str) -> &'a mut Vec<Value> {
    if !record.is_object() {
        *record = Value::Object(Default::default());
    }
    if !record[key].is_array() {
        record[key] = Value::Array(Vec::new());
    }
    record[key].as_array_mut().expect("made an array above")
}

pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .expect("RFC 3339 formatting of the current time")
}

/// RFC 3339 time `after` from now.
pub fn rfc3339_after(after: Duration) -> String {
    (time::OffsetDateTime::now_utc() + after)
        .format(&time::format_description::well_known::Rfc3339)
        .expect("RFC 3339 formatting of a time")
}

/// Parses an RFC 3339 time (any offset).
pub fn parse_rfc3339(value: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc3339).ok()
}

/// Keys whose values are the caller's own JSON (SCIM attributes, a connected account's
/// `api_config` and static credentials, a tool's input schema, a provider's auth patterns),
/// kept exactly as given, nulls included.
const FREE_FORM_KEYS: &[&str] = &["user_detail", "group_detail", "custom_attributes", "raw_attributes", "api_config", "details", "input_schema", "auth_patterns"];

/// A record as Scalekit's proto3 JSON writes it: unset fields are left out,
/// never `null` (the spec types them as plain strings, objects…). Every record
/// the emulator builds goes through this before it is stored or answered.
pub fn without_nulls(mut value: Value) -> Value {
    fn prune(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.retain(|_, v| !v.is_null());
                for (key, v) in map.iter_mut() {
                    if !FREE_FORM_KEYS.contains(&key.as_str()) {
                        prune(v);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(prune),
            _ => {}
        }
    }
    prune(&mut value);
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn without_nulls_drops_unset_fields_but_keeps_free_form_json() {
        let record = json!({ "id": "usr_1", "external_id": null, "profile": { "name": null, "given": "A" },
            "memberships": [{ "inviter_email": null }], "user_detail": { "title": null } });
        assert_eq!(without_nulls(record), json!({ "id": "usr_1", "profile": { "given": "A" }, "memberships": [{}], "user_detail": { "title": null } }));
    }
}
