//! `ScalekitEmulator`, exported from `scalekit-native/testing`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use napi_derive::napi;
use scalekit_core::models::{Organization, ScalekitUser};
use scalekit_emulator::{DirectoryUserSeed, Emulator, EmulatorConfig, EmulatorStats, FaultSpec, PasswordlessEmail, WebhookConfig, WebhookDelivery};

use crate::json::Json;

/// Options of `ScalekitEmulator.start`.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct EmulatorOptions {
    /// 0 (the default) picks a free port.
    pub port: Option<u32>,
    /// Default `127.0.0.1`.
    pub host: Option<String>,
    /// Default `skc_emulator`.
    pub client_id: Option<String>,
    /// Default `emulator_secret`.
    pub client_secret: Option<String>,
    /// `expires_in` of the access tokens it issues. Default 3600.
    pub token_ttl_seconds: Option<f64>,
    /// Largest `page_size` list calls accept. Default 100, as Scalekit.
    pub max_page_size: Option<u32>,
    /// Seeds every random choice (fault probability and jitter). Default 0.
    pub seed: Option<u32>,
    /// Keep request and response bodies in `requests()`, e.g. to check them against the OpenAPI spec.
    pub record_bodies: Option<bool>,
    /// Deliver an event for each mutation to this URL, signed with the Standard Webhooks scheme.
    pub webhook_url: Option<String>,
    /// `whsec_…` signing secret. Default: a fresh one, readable as `webhookSecret`.
    pub webhook_secret: Option<String>,
    /// Delivery attempts per event, the first included. Default 5.
    pub webhook_max_attempts: Option<u32>,
    /// Delay before the first retry, doubled after each. Default 500.
    pub webhook_retry_delay_ms: Option<u32>,
    /// `iss` of the tokens it signs; default its own URL (set it when your app reaches it through a proxy).
    pub issuer: Option<String>,
    /// Redirect URIs `/oauth/authorize` accepts; default: any loopback URL. Also `setRedirectUris`.
    pub redirect_uris: Option<Vec<String>>,
    /// What a refresh token used a second time gets: `'reject'` (the default: `invalid_grant`, as Scalekit's
    /// single-use rotation), `'revoke-session'` (`invalid_grant`, and the session ends: reuse detection), or a
    /// number of seconds of grace in which it gets the same answer as its first use. Also `setRefreshTokenReuse`.
    #[napi(ts_type = "'reject' | 'revoke-session' | number")]
    pub refresh_token_reuse: Option<napi::bindgen_prelude::Either<String, f64>>,
}

fn refresh_token_reuse(policy: napi::bindgen_prelude::Either<String, f64>) -> napi::Result<scalekit_emulator::RefreshTokenReuse> {
    use napi::bindgen_prelude::Either;
    use scalekit_emulator::RefreshTokenReuse;
    match policy {
        Either::A(name) if name == "reject" => Ok(RefreshTokenReuse::Reject),
        Either::A(name) if name == "revoke-session" => Ok(RefreshTokenReuse::RevokeSession),
        Either::B(seconds) if seconds.is_finite() && (0.0..=86_400.0).contains(&seconds) => Ok(RefreshTokenReuse::Grace(Duration::from_secs_f64(seconds))),
        _ => Err(invalid("refreshTokenReuse must be 'reject', 'revoke-session' or a number of grace seconds (0 to 86400)")),
    }
}

/// Fields of a seeded organization.
#[napi(object, object_to_js = false)]
pub struct EmulatorOrganization {
    pub display_name: String,
    pub external_id: Option<String>,
    pub region_code: Option<String>,
    pub metadata: Option<std::collections::HashMap<String, String>>,
}

/// A member to seed with `seedOrganization`.
#[napi(object, object_to_js = false)]
pub struct EmulatorMember {
    pub email: String,
    pub external_id: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// Role names; default `member`.
    pub roles: Option<Vec<String>>,
    /// Mark the email verified (its id tokens then say `email_verified: true`).
    pub email_verified: Option<bool>,
}

/// An organization and its members, for `seedOrganization`.
#[napi(object, object_to_js = false)]
pub struct EmulatorOrganizationSeed {
    pub display_name: String,
    pub external_id: Option<String>,
    pub region_code: Option<String>,
    pub metadata: Option<std::collections::HashMap<String, String>>,
    pub users: Option<Vec<EmulatorMember>>,
}

/// What `seedOrganization` created (read as REST JSON, written as camelCase).
#[derive(serde::Serialize, serde::Deserialize)]
struct SeededOrganization {
    organization: Organization,
    users: Vec<ScalekitUser>,
}

/// A directory user to seed.
#[napi(object, object_to_js = false)]
pub struct EmulatorDirectoryUser {
    pub email: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// Display names of groups (seeded in the same call or before).
    pub groups: Option<Vec<String>>,
    /// The raw SCIM resource (`userDetail` in results), kept exactly as given.
    /// Default: a minimal one from the fields above.
    #[napi(ts_type = "Record<string, unknown>")]
    pub user_detail: Option<serde_json::Value>,
}

/// Directory groups and users to seed.
#[napi(object, object_to_js = false)]
pub struct EmulatorDirectorySeed {
    /// Group display names.
    pub groups: Option<Vec<String>>,
    pub users: Option<Vec<EmulatorDirectoryUser>>,
}

/// A tool to register (`registerTool`); executing it gives `result`, or fails with `error`,
/// or (with neither) echoes its input.
#[napi(object, object_to_js = false)]
pub struct EmulatorTool {
    /// The tool name, e.g. `gmail_send_email`.
    pub name: String,
    /// The provider whose connected accounts can run it, e.g. `GMAIL`.
    pub provider: String,
    pub description: Option<String>,
    #[napi(ts_type = "Record<string, unknown>")]
    pub input_schema: Option<serde_json::Value>,
    pub tags: Option<Vec<String>>,
    /// The `data` every execution returns.
    #[napi(ts_type = "Record<string, unknown>")]
    pub result: Option<serde_json::Value>,
    /// An upstream failure every execution gives (an error with `TOOL_ERROR` details).
    pub error: Option<EmulatorToolError>,
}

/// How an emulated tool fails.
#[napi(object, object_to_js = false)]
pub struct EmulatorToolError {
    /// HTTP status, 400 to 599 (429 gives `ScalekitToolRateLimitException`).
    pub status: u32,
    /// The provider's error code (`toolErrorCode`).
    pub code: String,
    pub message: String,
}

/// Options of `mintAccessToken` and `mintIdToken`.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct MintTokenOptions {
    /// Claims to set or override (`sub`, `scopes`, `oid`, `aud`, `iss`, …).
    #[napi(ts_type = "Record<string, unknown>")]
    pub claims: Option<serde_json::Value>,
    /// Lifetime from now; negative for an expired token. Default: the emulator's token TTL.
    pub expires_in_seconds: Option<f64>,
}

/// Options of `signWebhookPayload`.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct SignWebhookOptions {
    /// Default: the emulator's `webhookSecret`.
    pub secret: Option<String>,
    /// `webhook-id`. Default: a random `msg_…`.
    pub id: Option<String>,
    /// `webhook-timestamp`, unix seconds. Default: now.
    pub timestamp: Option<f64>,
}

/// `setSessionPolicy`.
#[napi(object, object_to_js = false)]
pub struct SessionPolicyOptions {
    pub absolute_timeout_seconds: Option<f64>,
    pub idle_timeout_seconds: Option<f64>,
}

/// An Agent Auth connection to set up (`addAgentConnection`).
#[napi(object, object_to_js = false)]
pub struct AgentConnectionOptions {
    /// The connection name connected accounts and tools use, e.g. `gmail` or `my-crm`.
    pub name: String,
    /// Default: the name upper-cased (`MY_CRM`).
    pub provider: Option<String>,
    /// `OAUTH` (default), `API_KEY`, `BASIC_AUTH`, `BEARER_TOKEN`, `CUSTOM`, …
    pub r#type: Option<String>,
}

/// A bring-your-own-auth connection (`addCustomAuthConnection`).
#[napi(object, object_to_js = false)]
pub struct CustomAuthConnectionOptions {
    /// Your login page.
    pub login_endpoint: String,
    /// Every sign-in of the environment's client goes through it, not only those naming it.
    pub default: Option<bool>,
}

/// A Scalekit-compatible server on a loopback port, with in-memory state.
#[napi]
pub struct ScalekitEmulator {
    inner: Mutex<Option<Emulator>>,
    url: String,
    /// Set by `start` or by `setWebhookUrl`.
    webhook_secret: Mutex<Option<String>>,
    /// What `start` set, for `setWebhookUrl` when it did not set a URL.
    webhook_delivery: (u32, Duration),
    client_id: String,
    client_secret: String,
}

/// A plain JS object taken as JSON (`strict` methods need a type napi can check).
pub struct JsonObject(pub serde_json::Value);

impl napi::bindgen_prelude::TypeName for JsonObject {
    fn type_name() -> &'static str {
        "Object"
    }
    fn value_type() -> napi::ValueType {
        napi::ValueType::Object
    }
}

impl napi::bindgen_prelude::ValidateNapiValue for JsonObject {}

impl napi::bindgen_prelude::FromNapiValue for JsonObject {
    unsafe fn from_napi_value(env: napi::sys::napi_env, value: napi::sys::napi_value) -> napi::Result<Self> {
        Ok(JsonObject(unsafe { serde_json::Value::from_napi_value(env, value)? }))
    }
}

pub(crate) fn invalid(message: impl Into<String>) -> napi::Error {
    crate::errors::to_napi(scalekit_core::Error::InvalidInput { field: "options".into(), message: message.into() })
}

impl ScalekitEmulator {
    fn mint(&self, options: Option<MintTokenOptions>, access: bool) -> napi::Result<String> {
        let options = options.unwrap_or_default();
        let claims = match options.claims {
            None => serde_json::Map::new(),
            Some(serde_json::Value::Object(map)) => map,
            Some(_) => return Err(invalid("options.claims must be an object")),
        };
        if options.expires_in_seconds.is_some_and(|s| !s.is_finite()) {
            return Err(invalid("options.expiresInSeconds must be a finite number"));
        }
        self.with(|e| {
            let ttl = options.expires_in_seconds.map_or(e.state().config().token_ttl.as_secs() as i64, |s| s as i64);
            scalekit_emulator::mint_token(e.state(), claims, ttl, access)
        })
    }

    fn with<T>(&self, f: impl FnOnce(&Emulator) -> T) -> napi::Result<T> {
        let guard = self.inner.lock().unwrap();
        let emulator = guard.as_ref().ok_or_else(|| invalid("the emulator is stopped"))?;
        Ok(f(emulator))
    }
}

#[scalekit_derive::js_parameters]
#[napi]
impl ScalekitEmulator {
    /// Starts an emulator; resolves once it accepts connections.
    #[napi(strict)]
    pub async fn start(options: Option<EmulatorOptions>) -> napi::Result<ScalekitEmulator> {
        let options = options.unwrap_or_default();
        let mut config = EmulatorConfig { issuer: options.issuer.clone(), redirect_uris: options.redirect_uris.clone().unwrap_or_default(), ..Default::default() };
        if let Some(policy) = options.refresh_token_reuse {
            config.refresh_token_reuse = refresh_token_reuse(policy)?;
        }
        if let Some(id) = options.client_id {
            config.client_id = id;
        }
        if let Some(secret) = options.client_secret {
            config.client_secret = secret;
        }
        if let Some(ttl) = options.token_ttl_seconds {
            if !ttl.is_finite() || ttl <= 0.0 {
                return Err(invalid("tokenTtlSeconds must be a number of seconds above 0"));
            }
            config.token_ttl = Duration::from_secs_f64(ttl);
        }
        config.seed = options.seed.unwrap_or(0).into();
        config.record_bodies = options.record_bodies.unwrap_or(false);
        if let Some(max) = options.max_page_size {
            config.max_page_size = max.max(10);
        }
        let port = u16::try_from(options.port.unwrap_or(0)).map_err(|_| invalid("port must be from 0 to 65535"))?;
        let host = options.host.unwrap_or_else(|| "127.0.0.1".into());
        let (client_id, client_secret) = (config.client_id.clone(), config.client_secret.clone());
        let emulator = Emulator::start(&host, port, config)
            .map_err(|e| napi::Error::from_reason(format!("cannot start the emulator on {host}:{port}: {e}")))?;
        let webhook_delivery = (options.webhook_max_attempts.unwrap_or(5), Duration::from_millis(options.webhook_retry_delay_ms.unwrap_or(500).into()));
        let webhook_secret = match options.webhook_url {
            Some(url) => {
                url::Url::parse(&url).map_err(|e| invalid(format!("webhookUrl is not a valid URL: {e}")))?;
                let secret = options.webhook_secret.unwrap_or_else(|| scalekit_emulator::new_webhook_secret(&mut rand::rng()));
                let (max_attempts, retry_delay) = webhook_delivery;
                *emulator.state().webhooks.config.lock().unwrap() = Some(WebhookConfig { url, secret: secret.clone(), max_attempts, retry_delay });
                Some(secret)
            }
            None => options.webhook_secret,
        };
        Ok(ScalekitEmulator { url: emulator.url(), inner: Mutex::new(Some(emulator)), webhook_secret: Mutex::new(webhook_secret), webhook_delivery, client_id, client_secret })
    }

    /// Environment URL to pass to `new ScalekitClient(...)`.
    #[napi(getter)]
    pub fn url(&self) -> String {
        self.url.clone()
    }

    #[napi(getter)]
    pub fn client_id(&self) -> String {
        self.client_id.clone()
    }

    /// The emulator's own test credential (not a real secret).
    #[napi(getter)]
    pub fn client_secret(&self) -> String {
        self.client_secret.clone()
    }

    /// The `whsec_` secret webhooks are signed with, when `webhookUrl` was given.
    #[napi(getter)]
    pub fn webhook_secret(&self) -> Option<String> {
        self.webhook_secret.lock().unwrap().clone()
    }

    /// Where webhooks go from now on, e.g. once your app is listening on its port (`null`: nowhere). The
    /// secret stays; one is made (`webhookSecret`) when neither `start` nor an earlier call set it.
    #[napi(strict)]
    pub fn set_webhook_url(&self, url: Option<String>) -> napi::Result<()> {
        if let Some(url) = &url {
            url::Url::parse(url).map_err(|e| invalid(format!("url is not a valid URL: {e}")))?;
        }
        let secret = self.webhook_secret.lock().unwrap().get_or_insert_with(|| scalekit_emulator::new_webhook_secret(&mut rand::rng())).clone();
        let (max_attempts, retry_delay) = self.webhook_delivery;
        self.with(|e| *e.state().webhooks.config.lock().unwrap() = url.map(|url| WebhookConfig { url, secret, max_attempts, retry_delay }))
    }

    /// Every webhook delivery attempt so far, oldest first.
    #[napi(strict)]
    pub fn webhook_deliveries(&self) -> napi::Result<Vec<WebhookDelivery>> {
        self.with(|e| e.state().webhooks.deliveries.lock().unwrap().clone())
    }

    /// Events of every mutation so far (the webhook envelope, REST JSON), oldest first.
    #[napi(strict, ts_return_type = "Array<{ id: string; type: string; object: string; occurred_at: string; organization_id?: string; data: any }>")]
    pub fn events(&self) -> napi::Result<Json> {
        self.with(|e| Json::encode(&e.state().store.lock().unwrap().events))?
    }

    /// Counts of requests (token requests among them), organizations and users.
    #[napi(strict)]
    pub fn stats(&self) -> napi::Result<EmulatorStats> {
        self.with(|e| e.state().stats())
    }

    /// Requests received so far, oldest first (admin calls excluded; the last 10 000 are kept).
    #[napi(strict, ts_return_type = "Array<RequestRecord>")]
    pub fn requests(&self) -> napi::Result<Json> {
        self.with(|e| Json::encode(&e.state().requests()))?
    }

    /// Forgets all organizations, users, tokens and logged requests.
    #[napi(strict)]
    pub fn reset(&self) -> napi::Result<()> {
        self.with(|e| e.state().reset())
    }

    /// Invalidates every token issued so far: the next API call is answered 401.
    #[napi(strict)]
    pub fn revoke_tokens(&self) -> napi::Result<()> {
        self.with(|e| e.state().revoke_tokens())
    }

    /// Moves the emulator's clock forward: tokens it issues from now on are issued then, and what it issued
    /// before (tokens, codes, sessions and their policies, passwordless codes, login requests) ages by as much.
    /// Use it with `now()` as your code's clock (e.g. the session kit's `now` option).
    #[napi(strict)]
    pub fn advance_time(&self, seconds: f64) -> napi::Result<()> {
        if !seconds.is_finite() || !(0.0..=10.0 * 365.0 * 86_400.0).contains(&seconds) {
            return Err(invalid("seconds must be a number of seconds from 0 to ten years (the clock only moves forward)"));
        }
        self.with(|e| e.state().clock.advance(Duration::from_secs_f64(seconds)))
    }

    /// The emulator's clock, in milliseconds since 1970 (as `Date.now()`): the system's, plus what `advanceTime` added.
    #[napi(strict)]
    pub fn now(&self) -> napi::Result<f64> {
        self.with(|e| {
            let offset = e.state().clock.offset().as_secs_f64() * 1000.0;
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0) + offset
        })
    }

    /// The lifetime of the access and id tokens it issues from now on, in seconds.
    #[napi(strict)]
    pub fn set_token_ttl(&self, seconds: f64) -> napi::Result<()> {
        if !seconds.is_finite() || seconds <= 0.0 {
            return Err(invalid("seconds must be a number of seconds above 0"));
        }
        self.with(|e| e.state().config.lock().unwrap().token_ttl = Duration::from_secs_f64(seconds))
    }

    /// How long a signed-in session lasts at most (`absoluteTimeoutSeconds`, default 7 days) and without a refresh
    /// (`idleTimeoutSeconds`, default 1 day), for sessions opened from now on; checked at every refresh (an
    /// organization's custom session policy wins for its members).
    #[napi(strict)]
    pub fn set_session_policy(&self, policy: SessionPolicyOptions) -> napi::Result<()> {
        let span = |name: &str, value: Option<f64>| -> napi::Result<Option<Duration>> {
            match value {
                None => Ok(None),
                Some(s) if s.is_finite() && s > 0.0 => Ok(Some(Duration::from_secs_f64(s))),
                Some(_) => Err(invalid(format!("{name} must be a number of seconds above 0"))),
            }
        };
        let absolute = span("absoluteTimeoutSeconds", policy.absolute_timeout_seconds)?;
        let idle = span("idleTimeoutSeconds", policy.idle_timeout_seconds)?;
        self.with(|e| {
            let mut config = e.state().config.lock().unwrap();
            if let Some(absolute) = absolute {
                config.session_absolute_timeout = absolute;
            }
            if let Some(idle) = idle {
                config.session_idle_timeout = idle;
            }
        })
    }

    /// What a refresh token used a second time gets (see the `refreshTokenReuse` option of `start`).
    #[napi(strict, ts_args_type = "policy: 'reject' | 'revoke-session' | number")]
    pub fn set_refresh_token_reuse(&self, policy: napi::bindgen_prelude::Either<String, f64>) -> napi::Result<()> {
        let policy = refresh_token_reuse(policy)?;
        self.with(|e| e.state().config.lock().unwrap().refresh_token_reuse = policy)
    }

    /// The redirect URIs `/oauth/authorize` accepts, exactly (an empty list: any loopback URL).
    #[napi(strict)]
    pub fn set_redirect_uris(&self, uris: Vec<String>) -> napi::Result<()> {
        self.with(|e| e.state().config.lock().unwrap().redirect_uris = uris)
    }

    /// An access token signed by the emulator's keys, with your `claims` (over `iss`, `aud` = the client id,
    /// `sub`, `iat`, `exp` and `jti`), valid for `expiresInSeconds` (default the token TTL; negative: already
    /// expired). The emulator's API accepts it, and `validateToken` verifies it, so your own route guards can
    /// be tested with the tokens they will see.
    #[napi(strict)]
    pub fn mint_access_token(&self, options: Option<MintTokenOptions>) -> napi::Result<String> {
        self.mint(options, true)
    }

    /// An id token signed by the emulator's keys, with your `claims` (e.g. `email`, `name`, `nonce`).
    #[napi(strict)]
    pub fn mint_id_token(&self, options: Option<MintTokenOptions>) -> napi::Result<String> {
        self.mint(options, false)
    }

    /// Standard Webhooks headers for `payload` (`webhook-id`, `webhook-timestamp`, `webhook-signature`),
    /// signed with `secret` or the emulator's `webhookSecret`, so your webhook handler can be tested.
    #[napi(strict, ts_return_type = "{ 'webhook-id': string; 'webhook-timestamp': string; 'webhook-signature': string }")]
    pub fn sign_webhook_payload(&self, payload: String, options: Option<SignWebhookOptions>) -> napi::Result<HashMap<String, String>> {
        let options = options.unwrap_or_default();
        let secret = options.secret.or_else(|| self.webhook_secret()).ok_or_else(|| invalid("no secret: pass options.secret, or start the emulator with a webhookUrl or webhookSecret"))?;
        let id = options.id.unwrap_or_else(|| format!("msg_{}", rand::random::<u64>()));
        let timestamp = match options.timestamp {
            Some(t) if t.is_finite() && t >= 0.0 => t as u64,
            Some(_) => return Err(invalid("options.timestamp must be unix seconds")),
            None => std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0),
        };
        let signature = format!("v1,{}", scalekit_emulator::sign_webhook(&secret, &id, timestamp, &payload));
        Ok(HashMap::from([("webhook-id".into(), id), ("webhook-timestamp".into(), timestamp.to_string()), ("webhook-signature".into(), signature)]))
    }

    /// Every access token the emulator has issued (revoked ones too), so that a test can check
    /// that none of them leaked into a log line or an error message.
    #[napi(strict)]
    pub fn issued_tokens(&self) -> napi::Result<Vec<String>> {
        self.with(|e| e.state().issued_tokens())
    }

    /// Makes every token issued so far expired: the next API call is answered 401 ("token expired").
    #[napi(strict)]
    pub fn expire_tokens(&self) -> napi::Result<()> {
        self.with(|e| e.state().expire_tokens())
    }

    /// Injects a fault: latency, an error status (with `Retry-After`) or a dropped
    /// connection, for the next `times` matching requests (default 1; 0 = until cleared).
    #[napi(strict)]
    pub fn inject_fault(&self, fault: FaultSpec) -> napi::Result<()> {
        self.with(|e| e.state().faults.add(fault))?.map_err(invalid)
    }

    /// Removes every injected fault.
    #[napi(strict)]
    pub fn clear_faults(&self) -> napi::Result<()> {
        self.with(|e| e.state().faults.clear())
    }

    /// The latest passwordless email "sent" to this address: its code, link token and magic link.
    #[napi(strict)]
    pub fn passwordless_email(&self, email: String) -> napi::Result<Option<PasswordlessEmail>> {
        self.with(|e| {
            let store = e.state().store.lock().unwrap();
            store.passwordless.iter().rev().find(|r| r.email.email.eq_ignore_ascii_case(&email)).map(|r| r.email.clone())
        })
    }

    /// Adds groups and users to a directory (created through the API); returns its
    /// users and groups as the API lists them (REST JSON).
    #[napi(strict, ts_return_type = "{ users: Array<any>; groups: Array<any> }")]
    pub fn seed_directory(&self, directory_id: String, seed: EmulatorDirectorySeed) -> napi::Result<Json> {
        let users = seed
            .users
            .unwrap_or_default()
            .into_iter()
            .map(|u| DirectoryUserSeed {
                email: u.email,
                given_name: u.given_name,
                family_name: u.family_name,
                groups: u.groups.unwrap_or_default(),
                user_detail: u.user_detail,
            })
            .collect();
        let seeded = self.with(|e| scalekit_emulator::seed_directory(e.state(), &directory_id, seed.groups.unwrap_or_default(), users))?.map_err(invalid)?;
        Json::encode(&seeded)
    }

    /// Sets the identity-provider side of a connection, as an admin does in the dashboard.
    /// `config` is REST JSON (snake_case): `oidc_config`/`saml_config` fields merge into the
    /// connection's (e.g. `{ saml_config: { idp_entity_id, idp_sso_url } }`), other fields
    /// (`attribute_mapping`, `key_id`, `status`, …) replace theirs. Returns the connection.
    #[napi(strict, ts_return_type = "Record<string, any>")]
    pub fn configure_connection(&self, connection_id: String, #[napi(ts_arg_type = "Record<string, unknown>")] config: JsonObject) -> napi::Result<Json> {
        let connection = self.with(|e| scalekit_emulator::configure_connection(e.state(), &connection_id, config.0))?.map_err(invalid)?;
        Json::encode(&connection)
    }

    /// Adds organizations and users exactly as given (REST JSON, snake_case, each with its `id`):
    /// fixtures that do not depend on what the emulator fills in. Returns how many of each it added.
    #[napi(strict, ts_return_type = "{ organizations: number; users: number }")]
    pub fn import_records(&self, #[napi(ts_arg_type = "{ organizations?: Array<Record<string, unknown>>; users?: Array<Record<string, unknown>> }")] records: JsonObject) -> napi::Result<Json> {
        let take = |key: &str| match &records.0[key] {
            serde_json::Value::Array(items) => items.clone(),
            _ => Vec::new(),
        };
        let (organizations, users) = self.with(|e| scalekit_emulator::import_records(e.state(), take("organizations"), take("users")))?.map_err(invalid)?;
        Json::encode(&serde_json::json!({ "organizations": organizations, "users": users }))
    }

    /// Adds a tool to the catalogue (`/api/v1/tools*`, `execute_tool`); returns its record (REST JSON).
    #[napi(strict, ts_return_type = "Record<string, any>")]
    pub fn register_tool(&self, tool: EmulatorTool) -> napi::Result<Json> {
        use scalekit_emulator::{ToolResult, ToolSeed};
        let result = match (tool.error, tool.result) {
            (Some(e), _) => ToolResult::Error { status: e.status.min(u16::MAX as u32) as u16, code: e.code, message: e.message },
            (None, Some(data)) => ToolResult::Data(data),
            (None, None) => ToolResult::Echo,
        };
        let seed = ToolSeed { name: tool.name, provider: tool.provider, description: tool.description, input_schema: tool.input_schema, tags: tool.tags.unwrap_or_default(), result };
        let record = self.with(|e| scalekit_emulator::register_tool(e.state(), seed))?.map_err(invalid)?;
        Json::encode(&record)
    }

    /// Every tool execution so far: tool, account, params, `agent_run_id`, status (REST JSON).
    #[napi(strict, ts_return_type = "Array<Record<string, any>>")]
    pub fn tool_executions(&self) -> napi::Result<Json> {
        Json::encode(&self.with(|e| scalekit_emulator::tool_executions(e.state()))?)
    }

    /// Every connected account with its credentials and scope (REST JSON).
    #[napi(strict, ts_return_type = "Array<Record<string, any>>")]
    pub fn connected_accounts(&self) -> napi::Result<Json> {
        Json::encode(&self.with(|e| scalekit_emulator::connected_accounts(e.state()))?)
    }

    /// Where `/proxy/*` forwards requests (with the connected account's credentials); `null` unsets it.
    #[napi(strict)]
    pub fn set_proxy_target(&self, url: Option<String>) -> napi::Result<()> {
        self.with(|e| scalekit_emulator::set_proxy_target(e.state(), url))?.map_err(invalid)
    }

    /// The user `auth.updateLoginUserDetails` gave for a login request (REST JSON), or null.
    #[napi(strict, ts_return_type = "Record<string, any> | null")]
    pub fn login_user_details(&self, login_request_id: String) -> napi::Result<Json> {
        Json::encode(&self.with(|e| scalekit_emulator::login_user_details(e.state(), &login_request_id))?)
    }

    /// Adds an entry to the authentication-request log (REST JSON; id, status and time default).
    #[napi(strict, ts_return_type = "Record<string, any>")]
    pub fn add_auth_log(&self, #[napi(ts_arg_type = "Record<string, unknown>")] entry: JsonObject) -> napi::Result<Json> {
        let entry = self.with(|e| scalekit_emulator::add_auth_log(e.state(), entry.0))?.map_err(invalid)?;
        Json::encode(&entry)
    }

    /// Registers a WebAuthn credential (passkey) for a user; returns it (REST JSON).
    #[napi(strict, ts_return_type = "{ id: string; credential_id: string; user_id: string; display_name: string }")]
    pub fn add_webauthn_credential(&self, user_id: String, display_name: Option<String>) -> napi::Result<Json> {
        let credential = self.with(|e| scalekit_emulator::add_webauthn_credential(e.state(), &user_id, display_name))?.map_err(invalid)?;
        Json::encode(&credential)
    }

    /// Who `/oauth/authorize` signs in when the request carries no `login_hint`:
    /// a user id or email (`null` to clear).
    #[napi(strict)]
    pub fn set_login_user(&self, user: Option<String>) -> napi::Result<()> {
        self.with(|e| e.state().store.lock().unwrap().auth.login_user = user)
    }

    /// The emulator as Scalekit's authorization server for MCP servers: `createServer`, client metadata
    /// documents, consent, the authorization requests and clients it saw, and resource tokens for tests.
    #[napi(getter)]
    pub fn mcp(&self) -> napi::Result<crate::mcp::McpEmulator> {
        self.with(|e| crate::mcp::McpEmulator { state: e.state().clone() })
    }

    /// Sets up an Agent Auth connection (as an admin does in the dashboard): connected accounts and tools
    /// may then name it (`connector`, `connectionName`). The emulator starts with Scalekit's common connectors
    /// (`gmail`, `slack`, `github`, `notion`, …); any other name is NOT_FOUND, as Scalekit answers.
    #[napi(strict, ts_return_type = "{ name: string; id: string; provider: string; type: string }")]
    pub fn add_agent_connection(&self, connection: AgentConnectionOptions) -> napi::Result<Json> {
        let added = self.with(|e| scalekit_emulator::add_agent_connection(e.state(), &connection.name, connection.provider, connection.r#type))?.map_err(invalid)?;
        Json::encode(&added)
    }

    /// The Agent Auth connections set up, default ones included.
    #[napi(strict, ts_return_type = "Array<{ name: string; id: string; provider: string; type: string }>")]
    pub fn agent_connections(&self) -> napi::Result<Json> {
        Json::encode(&self.with(|e| e.state().agent_connections.lock().unwrap().clone())?)
    }

    /// Removes every Agent Auth connection, the default ones too: an environment with none set up.
    #[napi(strict)]
    pub fn clear_agent_connections(&self) -> napi::Result<()> {
        self.with(|e| scalekit_emulator::clear_agent_connections(e.state()))
    }

    /// A "bring your own auth" connection: `/oauth/authorize` sends the user to `loginEndpoint` with a
    /// `login_request_id` and a `state` (for requests naming it by `connection_id`, for an MCP server
    /// created with it, or for every sign-in with `default: true`). Your page then calls
    /// `auth.updateLoginUserDetails(id, loginRequestId, user)` and redirects to
    /// `{url}/sso/v1/connections/{id}/partner:callback?state=…`. Returns `{ id }`.
    #[napi(strict, ts_return_type = "{ id: string }")]
    pub fn add_custom_auth_connection(&self, options: CustomAuthConnectionOptions) -> napi::Result<Json> {
        let id = self.with(|e| scalekit_emulator::add_custom_auth_connection(e.state(), &options.login_endpoint, options.default.unwrap_or(false)))?.map_err(invalid)?;
        Json::encode(&serde_json::json!({ "id": id }))
    }

    /// Signs new tokens with the next RS256 key and returns its `kid`. The previous
    /// key stays in `/keys` unless `retainPrevious` is false.
    #[napi(strict)]
    pub fn rotate_signing_key(&self, retain_previous: Option<bool>) -> napi::Result<String> {
        self.with(|e| e.state().keys.rotate(retain_previous.unwrap_or(true)))
    }

    /// Creates `count` organizations named "Organization 1" … ; returns their ids.
    #[napi(strict)]
    pub fn seed_organizations(&self, count: u32) -> napi::Result<Vec<String>> {
        self.with(|e| scalekit_emulator::seed_organizations(e.state(), count as usize))?
            .map_err(|e| invalid(e.to_string()))
    }

    /// Creates one organization directly in the emulator's state.
    #[napi(strict, ts_return_type = "Organization")]
    pub fn create_organization(&self, organization: EmulatorOrganization) -> napi::Result<Json> {
        let body = serde_json::json!({
            "display_name": organization.display_name,
            "external_id": organization.external_id,
            "region_code": organization.region_code,
            "metadata": organization.metadata,
        });
        let created = self.with(|e| scalekit_emulator::create_organization(e.state(), body))?.map_err(|e| invalid(e.to_string()))?;
        let organization: Organization = serde_json::from_value(created).map_err(|e| napi::Error::from_reason(e.to_string()))?;
        Json::encode(&organization)
    }

    /// Creates an organization and its members (active, no invitation) in one call.
    #[napi(strict, ts_return_type = "{ organization: Organization; users: Array<ScalekitUser> }")]
    pub fn seed_organization(&self, seed: EmulatorOrganizationSeed) -> napi::Result<Json> {
        let organization = serde_json::json!({
            "display_name": seed.display_name, "external_id": seed.external_id, "region_code": seed.region_code, "metadata": seed.metadata,
        });
        let users = seed
            .users
            .unwrap_or_default()
            .into_iter()
            .map(|u| {
                let roles: Vec<_> = u.roles.unwrap_or_default().into_iter().map(|name| serde_json::json!({ "name": name })).collect();
                serde_json::json!({
                    "email": u.email, "external_id": u.external_id, "email_verified": u.email_verified,
                    "user_profile": { "given_name": u.given_name, "family_name": u.family_name },
                    "membership": { "roles": roles },
                })
            })
            .collect();
        let (organization, users) = self.with(|e| scalekit_emulator::seed_organization(e.state(), organization, users))?.map_err(|e| invalid(e.to_string()))?;
        let seeded: SeededOrganization = serde_json::from_value(serde_json::json!({ "organization": organization, "users": users }))
            .map_err(|e| napi::Error::from_reason(e.to_string()))?;
        Json::encode(&seeded)
    }

    /// Stops the server. Safe to call twice.
    #[napi(strict)]
    pub async fn stop(&self) -> napi::Result<()> {
        let emulator = self.inner.lock().unwrap().take();
        if let Some(mut emulator) = emulator {
            tokio::task::spawn_blocking(move || emulator.stop()).await.map_err(|e| napi::Error::from_reason(e.to_string()))?;
        }
        Ok(())
    }
}
