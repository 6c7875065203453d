//! `emulator.mcp`: the emulator as Scalekit's authorization server for MCP servers (see
//! `scalekit_emulator::mcp_auth`).

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use napi::bindgen_prelude::Function;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use scalekit_emulator::mcp_auth::{self, ConsentPolicy, ConsentRequest, IssuerForm, McpServerSeed, ResourcePolicy, ScopeClaims};
use scalekit_emulator::AppState;

use crate::emulator::{invalid, JsonObject};
use crate::json::Json;

/// Options of `mcp.createServer`.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct McpServerOptions {
    /// Shown in metadata (`resource_name`). Default `MCP server`.
    pub name: Option<String>,
    /// The MCP server's URL (the protected resource), e.g. `https://mcp.example.com/mcp`. Tokens name it
    /// first in `aud`; the `resource` parameter is checked against it.
    pub server_url: Option<String>,
    /// The scopes the server defines, e.g. `['todo:read', 'todo:write']`.
    pub scopes: Option<Vec<String>>,
    /// Dynamic client registration (`m2m_…` clients). Default true.
    pub dcr: Option<bool>,
    /// Client ID metadata documents (`mcp.addClientMetadataDocument`). Default true.
    pub cimd: Option<bool>,
    /// `iss` of its tokens: `environment` (default, as Scalekit issues them today) or `resource`
    /// (`{url}/resources/{resourceId}`, where Scalekit is moving).
    #[napi(ts_type = "'environment' | 'resource'")]
    pub issuer_form: Option<String>,
    /// Which claims carry the granted scopes: `both` (default: `scope` and `scopes`), `scope` or `scopes`.
    #[napi(ts_type = "'both' | 'scope' | 'scopes'")]
    pub scope_claims: Option<String>,
    /// How the `resource` parameter must name the server URL: `exact` (default), `prefix` or `ignore`.
    #[napi(ts_type = "'exact' | 'prefix' | 'ignore'")]
    pub resource_policy: Option<String>,
    /// Lifetime of its access tokens. Default: the emulator's token TTL.
    pub token_ttl_seconds: Option<u32>,
    /// A bring-your-own-auth connection (`addCustomAuthConnection`) whose login page signs its users in.
    pub custom_auth_connection_id: Option<String>,
}

/// Options of `mcp.mintAccessToken`.
#[napi(object, object_to_js = false)]
pub struct McpTokenOptions {
    pub resource_id: String,
    /// Granted scopes. Default: none.
    pub scopes: Option<Vec<String>>,
    /// `sub`: a user id. Default: the client id (a machine token).
    pub subject: Option<String>,
    /// Default `m2m_emulator_test_client`.
    pub client_id: Option<String>,
    /// Negative for an expired token. Default: the server's token TTL.
    pub expires_in_seconds: Option<f64>,
    /// Claims to set or override.
    #[napi(ts_type = "Record<string, unknown>")]
    pub claims: Option<serde_json::Value>,
}

fn choice<T: serde::de::DeserializeOwned>(field: &str, value: Option<String>, allowed: &str) -> napi::Result<Option<T>> {
    value.map(|v| serde_json::from_value(serde_json::Value::String(v)).map_err(|_| invalid(format!("options.{field} must be one of {allowed}")))).transpose()
}

fn seed(options: McpServerOptions) -> napi::Result<McpServerSeed> {
    Ok(McpServerSeed {
        name: options.name,
        server_url: options.server_url,
        scopes: options.scopes,
        dcr: options.dcr,
        cimd: options.cimd,
        issuer_form: choice::<IssuerForm>("issuerForm", options.issuer_form, "environment, resource")?,
        scope_claims: choice::<ScopeClaims>("scopeClaims", options.scope_claims, "both, scope, scopes")?,
        resource_policy: choice::<ResourcePolicy>("resourcePolicy", options.resource_policy, "exact, prefix, ignore")?,
        token_ttl_seconds: options.token_ttl_seconds.map(u64::from),
        custom_auth_connection_id: options.custom_auth_connection_id,
    })
}

/// Consent decisions a JS policy owes, by request id.
static PENDING_CONSENT: LazyLock<Mutex<HashMap<u32, tokio::sync::oneshot::Sender<Option<Vec<String>>>>>> = LazyLock::new(Default::default);
static NEXT_CONSENT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
/// How long a JS consent policy may take before the request is denied.
const CONSENT_TIMEOUT: Duration = Duration::from_secs(30);

/// `emulator.mcp`.
#[napi]
pub struct McpEmulator {
    pub(crate) state: Arc<AppState>,
}

#[scalekit_derive::js_parameters]
#[napi]
impl McpEmulator {
    /// Registers an MCP server (a resource `res_…`); returns `{ resourceId, issuer, metadataUrl,
    /// protectedResourceMetadata, … }`. Its authorization server is `issuer`, `{url}/resources/{resourceId}`.
    #[napi(strict, ts_return_type = "{ resourceId: string; name: string; serverUrl?: string; issuer: string; scopes: string[]; metadataUrl: string; protectedResourceMetadata?: { resource: string; authorization_servers: string[]; bearer_methods_supported: string[]; scopes_supported: string[]; resource_name: string } }")]
    pub fn create_server(&self, options: Option<McpServerOptions>) -> napi::Result<Json> {
        let server = mcp_auth::create_server(&self.state, seed(options.unwrap_or_default())?).map_err(invalid)?;
        Json::encode(&camel(mcp_auth::server_json(&self.state, &server)))
    }

    /// Changes a server's switches (`issuerForm`, `scopeClaims`, `resourcePolicy`, `dcr`, `cimd`,
    /// `tokenTtlSeconds`, `customAuthConnectionId`); what is left out stays.
    #[napi(strict)]
    pub fn configure_server(&self, resource_id: String, options: McpServerOptions) -> napi::Result<()> {
        let seed = seed(options)?;
        let mut settings = self.state.mcp.lock().unwrap();
        let server = settings.servers.iter_mut().find(|s| s.resource_id == resource_id).ok_or_else(|| invalid(format!("no MCP server {resource_id}")))?;
        if seed.name.is_some() || seed.server_url.is_some() || seed.scopes.is_some() {
            return Err(invalid("configureServer changes switches only; create another server for another name, URL or scopes"));
        }
        if let Some(v) = seed.dcr {
            server.dcr = v;
        }
        if let Some(v) = seed.cimd {
            server.cimd = v;
        }
        if let Some(v) = seed.issuer_form {
            server.issuer_form = v;
        }
        if let Some(v) = seed.scope_claims {
            server.scope_claims = v;
        }
        if let Some(v) = seed.resource_policy {
            server.resource_policy = v;
        }
        if let Some(v) = seed.token_ttl_seconds.filter(|t| *t > 0) {
            server.token_ttl = v;
        }
        if seed.custom_auth_connection_id.is_some() {
            server.custom_auth_connection = seed.custom_auth_connection_id;
        }
        Ok(())
    }

    /// A client ID metadata document, as the client would serve it at its `client_id` (an https URL):
    /// `{ client_id, client_name, redirect_uris, … }`. Tests have no network, so the emulator is given it.
    /// Returns the `client_id`.
    #[napi(strict)]
    pub fn add_client_metadata_document(&self, #[napi(ts_arg_type = "{ client_id: string; client_name: string; redirect_uris: string[]; [key: string]: unknown }")] document: JsonObject) -> napi::Result<String> {
        mcp_auth::add_metadata_document(&self.state, document.0).map_err(invalid)
    }

    /// How the login user answers consent: `'allow'` (the default), `'deny'`, or a function of the request
    /// (`{ resourceId, clientId, userId, requestedScopes, resource }`) returning the scopes granted, `true`
    /// (all), or `false`/`null` (denied), or a promise of one. Set in JS (see testing.js).
    #[napi(strict, js_name = "__setConsentMode")]
    pub fn set_consent_mode(&self, mode: String) -> napi::Result<()> {
        let policy = match mode.as_str() {
            "allow" => ConsentPolicy::Allow,
            "deny" => ConsentPolicy::Deny,
            _ => return Err(invalid("consent must be 'allow', 'deny' or a function")),
        };
        self.state.mcp.lock().unwrap().consent = policy;
        Ok(())
    }

    /// Consent decided by JS: each request is handed to `decide(id, requestJson)`, which answers with
    /// `__resolveConsent(id, scopes | null)`. It never keeps the process alive.
    #[napi(js_name = "__setConsentCallback")]
    pub fn set_consent_callback(&self, decide: Function<(u32, String), ()>) -> napi::Result<()> {
        let tsfn: Arc<ThreadsafeFunction<(u32, String), (), (u32, String), napi::Status, false, true>> =
            Arc::new(decide.build_threadsafe_function().callee_handled::<false>().weak::<true>().build()?);
        let policy = ConsentPolicy::Custom(Arc::new(move |request: ConsentRequest| {
            let tsfn = tsfn.clone();
            Box::pin(async move {
                let id = NEXT_CONSENT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let (sender, receiver) = tokio::sync::oneshot::channel();
                PENDING_CONSENT.lock().unwrap().insert(id, sender);
                let json = serde_json::json!({
                    "resourceId": request.resource_id, "clientId": request.client_id, "userId": request.user_id,
                    "requestedScopes": request.requested_scopes, "resource": request.resource,
                });
                if tsfn.call((id, json.to_string()), ThreadsafeFunctionCallMode::NonBlocking) != napi::Status::Ok {
                    PENDING_CONSENT.lock().unwrap().remove(&id);
                    return None;
                }
                let decided = tokio::time::timeout(CONSENT_TIMEOUT, receiver).await;
                PENDING_CONSENT.lock().unwrap().remove(&id);
                decided.ok().and_then(Result::ok).flatten()
            })
        }));
        self.state.mcp.lock().unwrap().consent = policy;
        Ok(())
    }

    #[napi(strict, js_name = "__resolveConsent")]
    pub fn resolve_consent(&self, id: u32, granted: Option<Vec<String>>) {
        if let Some(sender) = PENDING_CONSENT.lock().unwrap().remove(&id) {
            let _ = sender.send(granted);
        }
    }

    /// Every authorization request MCP clients made, oldest first: `{ resourceId, clientId, redirectUri,
    /// requestedScopes, grantedScopes?, resource?, codeChallengeMethod?, outcome, time }` (`outcome`:
    /// `pending`, `granted`, or the OAuth error it ended with).
    #[napi(strict, ts_return_type = "Array<{ resourceId: string; clientId: string; redirectUri: string; requestedScopes: string[]; grantedScopes?: string[]; resource?: string; codeChallengeMethod?: string; outcome: string; time: string }>")]
    pub fn authorization_requests(&self) -> napi::Result<Json> {
        let requests = self.state.store.lock().unwrap().mcp.authorization_requests.clone();
        Json::encode(&camel(serde_json::Value::Array(requests)))
    }

    /// Every MCP client: those registered by DCR (`kind: 'dcr'`, with `resourceId`) and the metadata
    /// documents given (`kind: 'metadata_document'`), as RFC 7591 metadata (snake_case, as on the wire).
    #[napi(strict, ts_return_type = "Array<{ client_id: string; kind: 'dcr' | 'metadata_document'; redirect_uris: string[]; [key: string]: unknown }>")]
    pub fn clients(&self) -> napi::Result<Json> {
        Json::encode(&mcp_auth::clients_json(&self.state))
    }

    /// A token for a resource, as an authorization would give it (issuer form, `aud`, scope claims per the
    /// server's switches), signed with the emulator's keys: for unit tests of your MCP server.
    #[napi(strict)]
    pub fn mint_access_token(&self, options: McpTokenOptions) -> napi::Result<String> {
        let claims = match options.claims {
            None => serde_json::Map::new(),
            Some(serde_json::Value::Object(map)) => map,
            Some(_) => return Err(invalid("options.claims must be an object")),
        };
        if options.expires_in_seconds.is_some_and(|s| !s.is_finite()) {
            return Err(invalid("options.expiresInSeconds must be a finite number"));
        }
        mcp_auth::mint_resource_token(&self.state, &options.resource_id, options.scopes.unwrap_or_default(), options.subject, options.client_id, options.expires_in_seconds.map(|s| s as i64), claims)
            .map_err(invalid)
    }
}

/// REST JSON keys in camelCase, for results made here (one level of nesting is enough for these).
fn camel(value: serde_json::Value) -> serde_json::Value {
    fn key(k: &str) -> String {
        let mut out = String::new();
        let mut upper = false;
        for c in k.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                out.extend(c.to_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        }
        out
    }
    match value {
        serde_json::Value::Array(items) => serde_json::Value::Array(items.into_iter().map(camel).collect()),
        // The protected-resource metadata is a wire document: its keys stay as RFC 9728 names them.
        serde_json::Value::Object(map) => serde_json::Value::Object(map.into_iter().map(|(k, v)| {
            let v = if k == "protected_resource_metadata" { v } else { camel(v) };
            (key(&k), v)
        }).collect()),
        other => other,
    }
}
