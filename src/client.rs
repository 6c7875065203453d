use std::collections::HashMap;
use std::sync::Arc;

use napi::bindgen_prelude::{Buffer, Either, Function, JavaScriptClassExt, PromiseRaw, Reference};
use napi::{Env, JsValue};
use napi_derive::napi;
use scalekit_core::{ClientOptions, Config};

use crate::completion;
use crate::errors::IntoNapi;
use crate::json::Json;
use crate::connection::ConnectionClient;
use crate::passwordless::PasswordlessClient;
use crate::webauthn::WebAuthnClient;
use crate::token::TokenClient;
use crate::m2m::M2MClient;
use crate::auth::AuthClient;
use crate::events::EventsClient;
use crate::tools::ToolsClient;
use crate::connected_accounts::ConnectedAccountsClient;
use crate::actions::ActionsClient;
use crate::platform::ProvidersClient;
use crate::platform::AuditLogsClient;
use crate::platform::McpClient;
use crate::directory::DirectoryClient;
use crate::domain::DomainClient;
use crate::organization::OrganizationClient;
use crate::permission::PermissionClient;
use crate::role::RoleClient;
use crate::session::SessionClient;
use crate::user::UserClient;

/// Options of `new ScalekitClient(...)`. Each of the first three is also a per-request option.
#[napi(object, object_to_js = false)]
pub struct ScalekitOptions {
    /// Per attempt, for API and token requests, in milliseconds. Default 20000.
    pub timeout_ms: Option<f64>,
    /// Per attempt, for the tool calls (`tools.*`, `actions.executeTool`, `actions.request`), which reach
    /// third-party APIs, in milliseconds. Default 60000 (as the official SDK).
    pub tool_timeout_ms: Option<f64>,
    /// Retries after a retryable failure (connection failures, 408, 429, 500, 502, 503, 504), 0 to 10. Default 2.
    pub max_retries: Option<f64>,
    /// Bounds each whole call (token fetch, attempts and backoff), in milliseconds. Default: none.
    pub deadline_ms: Option<f64>,
    /// Appended to the User-Agent.
    pub user_agent: Option<String>,
    /// Your app, appended to the User-Agent as `name/version (+url)`.
    pub app_info: Option<AppInfo>,
    /// Proxy URL for every request (`http://`, `https://`, `socks5://`). Default: `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`.
    pub proxy: Option<String>,
    /// Extra trusted root certificates (PEM), on top of the operating system's store.
    #[napi(ts_type = "string | Array<string>")]
    pub ca_certificates: Option<Either<String, Vec<String>>>,
    /// Offer HTTP/2 by ALPN on TLS connections. Default true.
    pub http2: Option<bool>,
    /// The `iss` your environment's id tokens name, when you must pin it. Default: learned from the
    /// environment's OpenID discovery document (so a custom domain or a gateway in front of it works), and
    /// the environment URL itself.
    pub issuer: Option<String>,
    /// Receives one line per attempt (method, path, status, attempt, duration, request id), never a secret.
    #[napi(ts_type = "Pick<Console, 'debug' | 'info' | 'warn' | 'error'>")]
    pub logger: Option<()>,
    /// `debug` (every request and answer), `info` (every answer), `warn` (retries and failures) or `off`.
    /// Default: `SCALEKIT_LOG`, else `warn` with a logger and `off` without one.
    #[napi(ts_type = "'debug' | 'info' | 'warn' | 'error' | 'off'")]
    pub log_level: Option<()>,
    /// Called before each attempt, with the same redacted view the logger gets.
    #[napi(ts_type = "(event: RequestEvent) => void")]
    pub on_request: Option<()>,
    /// Called after each attempt, answered or failed, with the same redacted view.
    #[napi(ts_type = "(event: RequestEvent) => void")]
    pub on_response: Option<()>,
}

#[napi(object, object_to_js = false)]
pub struct AppInfo {
    pub name: String,
    pub version: Option<String>,
    pub url: Option<String>,
}

/// The JS event sink as the core's observer (events share the completion queue, so they keep their
/// order with results); it never keeps the process alive.
fn js_observer(env: &Env, on_event: Function<String, ()>) -> napi::Result<Arc<dyn scalekit_core::observe::Observer>> {
    Ok(Arc::new(completion::JsObserver::new(env, on_event.raw())?))
}

/// The options `withOptions` may change: a derived client shares the parent's connection pool, so
/// what shapes the pool (proxy, roots, HTTP/2, user agent) stays the parent's.
fn call_defaults(env: &Env, options: Option<ScalekitOptions>, on_event: Option<Function<String, ()>>) -> napi::Result<scalekit_core::CallDefaults> {
    let mut defaults = scalekit_core::CallDefaults::default();
    if let Some(o) = options {
        let pool_level = [("proxy", o.proxy.is_some()), ("caCertificates", o.ca_certificates.is_some()), ("http2", o.http2.is_some()), ("userAgent", o.user_agent.is_some()), ("appInfo", o.app_info.is_some())];
        if let Some((field, _)) = pool_level.iter().find(|(_, set)| *set) {
            return Err(scalekit_core::Error::InvalidInput {
                field: format!("options.{field}"),
                message: format!("options.{field} is set when the client is built: a client from withOptions shares its connection pool"),
            })
            .into_napi();
        }
        let ms = |field: &str, v: Option<f64>| v.map(|v| scalekit_core::config::millis(field, v)).transpose();
        defaults.timeout = ms("timeoutMs", o.timeout_ms).into_napi()?;
        defaults.tool_timeout = ms("toolTimeoutMs", o.tool_timeout_ms).into_napi()?;
        defaults.deadline = ms("deadlineMs", o.deadline_ms).into_napi()?;
        defaults.max_retries = o.max_retries.map(|n| scalekit_core::config::retries("maxRetries", n)).transpose().into_napi()?;
    }
    if let Some(on_event) = on_event {
        defaults.observer = Some(js_observer(env, on_event)?);
    }
    Ok(defaults)
}

fn client_options(env: &Env, options: Option<ScalekitOptions>, on_event: Option<Function<String, ()>>) -> napi::Result<ClientOptions> {
    let mut client = ClientOptions::default();
    if let Some(options) = options {
        client = client
            .with_timeout_ms(options.timeout_ms)
            .and_then(|c| c.with_tool_timeout_ms(options.tool_timeout_ms))
            .and_then(|c| c.with_max_retries(options.max_retries))
            .and_then(|c| c.with_deadline_ms(options.deadline_ms))
            .into_napi()?;
        let app = options.app_info.map(|app| {
            let mut text = app.name;
            if let Some(version) = app.version {
                text = format!("{text}/{version}");
            }
            if let Some(url) = app.url {
                text = format!("{text} (+{url})");
            }
            text
        });
        client.user_agent = [options.user_agent, app].into_iter().flatten().reduce(|a, b| format!("{a} {b}"));
        client.proxy = options.proxy;
        client.ca_certificates = match options.ca_certificates {
            None => Vec::new(),
            Some(Either::A(one)) => vec![one],
            Some(Either::B(many)) => many,
        };
        client.http2 = options.http2.unwrap_or(true);
        client.issuer = options.issuer;
    }
    if let Some(on_event) = on_event {
        client.observer = Some(js_observer(env, on_event)?);
    }
    Ok(client)
}

/// Options of `getAuthorizationUrl`: each one given is added to the URL; scopes default to `openid profile email`.
#[napi(object, object_to_js = false)]
pub struct AuthorizationUrlOptions {
    pub connection_id: Option<String>,
    pub organization_id: Option<String>,
    pub scopes: Option<Vec<String>>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    /// Sent as both `domain_hint` and `domain`, as the official SDK does.
    pub domain_hint: Option<String>,
    pub login_hint: Option<String>,
    pub code_challenge: Option<String>,
    /// Only `S256`.
    pub code_challenge_method: Option<String>,
    /// e.g. `google`, `github`, `microsoft`.
    pub provider: Option<String>,
    /// e.g. `login`, `consent`, `create`.
    pub prompt: Option<String>,
}

/// Options of `validateToken`, `validateAccessToken` and `getIdpInitiatedLoginClaims`.
#[napi(object, object_to_js = false)]
pub struct TokenValidationOptions {
    /// The `iss` the token must have (one of these). URLs compare after normalising host case, a default
    /// port and a trailing slash. Default: not checked, as the official SDK (unless `resourceId` is given).
    pub issuer: Option<Either<String, Vec<String>>>,
    /// The token's `aud` must hold one of these (or this one: jose takes a string too).
    pub audience: Option<Either<String, Vec<String>>>,
    /// Scopes the token must grant (its `scopes` array, its `scope` string or its `scp`).
    pub required_scopes: Option<Vec<String>>,
    /// Leeway for `exp` and `nbf`, in seconds. Default 0.
    pub clock_tolerance_seconds: Option<f64>,
    /// An MCP server's resource id (`res_…`): the token's `iss` must be the environment's issuer or
    /// `{environment}/resources/{resourceId}`, and its `aud` must hold the id (unless `audience` is given).
    pub resource_id: Option<String>,
    /// The token's `iss` must be the environment's own: the issuer its discovery document declares, or its URL.
    pub environment_issuer: Option<bool>,
    /// Check `exp` and `nbf` at this time instead of now: a `Date`, or unix milliseconds (as `Date.now()`), as
    /// jose's `currentDate`.
    #[napi(ts_type = "Date | number")]
    pub current_date: Option<Either<f64, scalekit_core::models::Timestamp>>,
}

fn token_checks(options: Option<TokenValidationOptions>) -> napi::Result<scalekit_core::jwt::TokenChecks> {
    use scalekit_core::jwt::IssuerCheck;
    let Some(options) = options else { return Ok(Default::default()) };
    let invalid = |field: &str, message: &str| scalekit_core::Error::InvalidInput { field: field.into(), message: message.into() };
    let tolerance = match options.clock_tolerance_seconds {
        None => std::time::Duration::ZERO,
        Some(s) if s.is_finite() && (0.0..=86_400.0).contains(&s) => std::time::Duration::from_secs_f64(s),
        Some(_) => return Err(invalid("options.clockToleranceSeconds", "options.clockToleranceSeconds must be from 0 to 86400")).into_napi(),
    };
    let list = |value: Option<Either<String, Vec<String>>>| -> Vec<String> {
        match value {
            Some(Either::A(one)) => vec![one],
            Some(Either::B(several)) => several,
            None => Vec::new(),
        }
        .into_iter()
        .filter(|v| !v.is_empty())
        .collect()
    };
    let resource = options.resource_id.filter(|r| !r.is_empty());
    if resource.as_deref().is_some_and(|r| r.contains('/') || r.chars().any(char::is_whitespace)) {
        return Err(invalid("options.resourceId", "options.resourceId must be a resource id such as res_123")).into_napi();
    }
    let issuers = list(options.issuer);
    let mut audience = list(options.audience);
    if audience.is_empty() {
        audience.extend(resource.clone());
    }
    let now = match options.current_date {
        None => None,
        Some(Either::A(ms)) if ms.is_finite() => Some(ms / 1000.0),
        Some(Either::B(date)) => Some(date.unix_seconds("options.currentDate").into_napi()?),
        Some(_) => return Err(invalid("options.currentDate", "options.currentDate must be a Date or unix milliseconds")).into_napi(),
    };
    Ok(scalekit_core::jwt::TokenChecks {
        issuer: match (issuers.is_empty(), resource, options.environment_issuer.unwrap_or(false)) {
            (false, _, _) => IssuerCheck::OneOf(issuers),
            (true, Some(resource), _) => IssuerCheck::Environment { resource: Some(resource) },
            (true, None, true) => IssuerCheck::Environment { resource: None },
            (true, None, false) => IssuerCheck::Unchecked,
        },
        audience,
        audience_all: Vec::new(),
        required_scopes: options.required_scopes.unwrap_or_default(),
        clock_tolerance: tolerance,
        now,
    })
}

/// Options of `authenticateWithCode`.
#[napi(object, object_to_js = false)]
pub struct AuthenticationOptions {
    /// The PKCE verifier whose challenge went into `getAuthorizationUrl`.
    pub code_verifier: Option<String>,
    /// The `nonce` given to `getAuthorizationUrl`: the id token must carry it. Not in the official SDK.
    pub nonce: Option<String>,
}

/// Options of `getLogoutUrl`.
#[napi(object, object_to_js = false)]
pub struct LogoutUrlOptions {
    pub id_token_hint: Option<String>,
    pub post_logout_redirect_uri: Option<String>,
    pub state: Option<String>,
}

/// A PKCE pair for `getAuthorizationUrl` (`codeChallenge`, with `codeChallengeMethod: 'S256'`)
/// and `authenticateWithCode` (`codeVerifier`).
#[napi(object, object_from_js = false)]
#[cfg_attr(test, allow(dead_code))]
pub struct Pkce {
    pub code_verifier: String,
    pub code_challenge: String,
    pub code_challenge_method: String,
}

/// A new PKCE verifier and its S256 challenge (RFC 7636).
#[napi]
#[cfg_attr(test, allow(dead_code))]
pub fn generate_pkce() -> Pkce {
    let (code_verifier, code_challenge) = scalekit_core::auth::pkce();
    Pkce { code_verifier, code_challenge, code_challenge_method: "S256".into() }
}

/// Standard Webhooks verification with the given header names (webhooks or interceptors).
fn verify_payload(
    secret: Either<String, Vec<String>>,
    headers: &HashMap<String, String>,
    names: [&str; 3],
    payload: Either<String, Buffer>,
) -> napi::Result<bool> {
    let secrets = match &secret {
        Either::A(one) => vec![one.as_str()],
        Either::B(many) => many.iter().map(String::as_str).collect(),
    };
    let header = |name: &str| headers.get(name).map(String::as_str).unwrap_or("");
    let payload: &[u8] = match &payload {
        Either::A(text) => text.as_bytes(),
        Either::B(bytes) => bytes,
    };
    scalekit_core::auth::verify_signature(&secrets, header(names[0]), header(names[1]), header(names[2]), payload, std::time::SystemTime::now())
        .map_err(scalekit_core::Error::from)
        .into_napi()?;
    Ok(true)
}

/// The Scalekit client. Construction checks its arguments and makes no network I/O;
/// the first call fetches a token.
#[napi]
pub struct ScalekitClient {
    organization: Reference<OrganizationClient>,
    user: Reference<UserClient>,
    domain: Reference<DomainClient>,
    session: Reference<SessionClient>,
    connection: Reference<ConnectionClient>,
    directory: Reference<DirectoryClient>,
    role: Reference<RoleClient>,
    permission: Reference<PermissionClient>,
    passwordless: Reference<PasswordlessClient>,
    webauthn: Reference<WebAuthnClient>,
    token: Reference<TokenClient>,
    m2m: Reference<M2MClient>,
    auth: Reference<AuthClient>,
    events: Reference<EventsClient>,
    tools: Reference<ToolsClient>,
    connected_accounts: Reference<ConnectedAccountsClient>,
    actions: Reference<ActionsClient>,
    providers: Reference<ProvidersClient>,
    audit_logs: Reference<AuditLogsClient>,
    mcp: Reference<McpClient>,
    env_url: String,
    client_id: String,
    /// For `withOptions`: the clients it derives share its pool and caches.
    core: scalekit_core::ScalekitClient,
    tokens: Arc<scalekit_core::jwt::TokenValidator>,
    sign_in: scalekit_core::signin::SignIn,
}

fn required(field: &str, value: Option<String>, hint: &str) -> napi::Result<String> {
    match value {
        Some(v) if !v.trim().is_empty() => Ok(v),
        _ => Err(scalekit_core::Error::InvalidInput {
            field: field.into(),
            message: format!("{field} is required: pass {hint} (for example from {})", env_name(field)),
        })
        .into_napi(),
    }
}

fn env_name(field: &str) -> &'static str {
    match field {
        "envUrl" => "SCALEKIT_ENVIRONMENT_URL",
        "clientId" => "SCALEKIT_CLIENT_ID",
        _ => "SCALEKIT_CLIENT_SECRET",
    }
}

impl ScalekitClient {
    /// The JS object over a core client: its sub-clients, each read once.
    fn over(env: Env, core: scalekit_core::ScalekitClient, env_url: String, client_id: String) -> napi::Result<Self> {
        let sub = core.clone();
        Ok(ScalekitClient {
            tokens: sub.tokens.clone(),
            sign_in: sub.sign_in.clone(),
            env_url,
            client_id,
            core,
            organization: OrganizationClient::new(sub.organization).into_reference(env)?,
            user: UserClient::new(sub.user).into_reference(env)?,
            domain: DomainClient::new(sub.domain).into_reference(env)?,
            session: SessionClient::new(sub.session).into_reference(env)?,
            connection: ConnectionClient::new(sub.connection).into_reference(env)?,
            directory: DirectoryClient::new(sub.directory).into_reference(env)?,
            role: RoleClient::new(sub.role).into_reference(env)?,
            permission: PermissionClient::new(sub.permission).into_reference(env)?,
            passwordless: PasswordlessClient::new(sub.passwordless).into_reference(env)?,
            webauthn: WebAuthnClient::new(sub.webauthn).into_reference(env)?,
            token: TokenClient::new(sub.token).into_reference(env)?,
            m2m: M2MClient::new(sub.m2m).into_reference(env)?,
            auth: AuthClient::new(sub.auth).into_reference(env)?,
            events: EventsClient::new(sub.events).into_reference(env)?,
            tools: ToolsClient::new(sub.tools).into_reference(env)?,
            connected_accounts: ConnectedAccountsClient::new(sub.connected_accounts).into_reference(env)?,
            actions: ActionsClient::new(sub.actions).into_reference(env)?,
            providers: ProvidersClient::new(sub.providers).into_reference(env)?,
            audit_logs: AuditLogsClient::new(sub.audit_logs).into_reference(env)?,
            mcp: McpClient::new(sub.mcp).into_reference(env)?,
        })
    }
}

#[scalekit_derive::js_parameters]
#[napi]
impl ScalekitClient {
    #[napi(
        strict,
        constructor,
        ts_args_type = "envUrl?: string | ScalekitClientConfig | undefined | null, clientId?: string | undefined | null, clientSecret?: string | undefined | null, options?: ScalekitOptions | undefined | null"
    )]
    pub fn new(
        env: Env,
        env_url: Option<String>,
        client_id: Option<String>,
        client_secret: Option<String>,
        options: Option<ScalekitOptions>,
        on_event: Option<Function<String, ()>>,
        parent: Option<&ScalekitClient>,
    ) -> napi::Result<Self> {
        if let Some(parent) = parent {
            let core = parent.core.with_options(&call_defaults(&env, options, on_event)?);
            return Self::over(env, core, parent.env_url.clone(), parent.client_id.clone());
        }
        let env_url = required("envUrl", env_url, "the environment URL")?;
        let client_id = required("clientId", client_id, "the client id")?;
        let client_secret = required("clientSecret", client_secret, "the client secret")?;
        let options = client_options(&env, options, on_event)?;
        let config = Config::new(&env_url, &client_id, &client_secret, options).into_napi()?;
        let (env_url, client_id) = (config.env_url.clone(), config.client_id.clone());
        let core = scalekit_core::ScalekitClient::new(config).into_napi()?;
        Self::over(env, core, env_url, client_id)
    }

    /// The environment URL, as configured (no trailing slash).
    #[napi(getter)]
    pub fn environment_url(&self) -> String {
        self.env_url.clone()
    }

    /// The client id (not a secret: it is in every authorization URL).
    #[napi(getter)]
    pub fn client_id(&self) -> String {
        self.client_id.clone()
    }

    /// Organizations.
    #[napi(getter)]
    pub fn organization(&self, env: Env) -> napi::Result<Reference<OrganizationClient>> {
        self.organization.clone(env)
    }

    /// Users and memberships.
    #[napi(getter)]
    pub fn user(&self, env: Env) -> napi::Result<Reference<UserClient>> {
        self.user.clone(env)
    }

    /// An organization's domains.
    #[napi(getter)]
    pub fn domain(&self, env: Env) -> napi::Result<Reference<DomainClient>> {
        self.domain.clone(env)
    }

    /// Users' sessions.
    #[napi(getter)]
    pub fn session(&self, env: Env) -> napi::Result<Reference<SessionClient>> {
        self.session.clone(env)
    }

    /// SSO connections.
    #[napi(getter)]
    pub fn connection(&self, env: Env) -> napi::Result<Reference<ConnectionClient>> {
        self.connection.clone(env)
    }

    /// SCIM directories and their users and groups.
    #[napi(getter)]
    pub fn directory(&self, env: Env) -> napi::Result<Reference<DirectoryClient>> {
        self.directory.clone(env)
    }

    /// Roles of the environment and of organizations.
    #[napi(getter)]
    pub fn role(&self, env: Env) -> napi::Result<Reference<RoleClient>> {
        self.role.clone(env)
    }

    /// Permissions, and the permissions of roles.
    #[napi(getter)]
    pub fn permission(&self, env: Env) -> napi::Result<Reference<PermissionClient>> {
        self.permission.clone(env)
    }

    /// Passwordless sign-in by emailed code or magic link.
    #[napi(getter)]
    pub fn passwordless(&self, env: Env) -> napi::Result<Reference<PasswordlessClient>> {
        self.passwordless.clone(env)
    }

    /// Users' passkeys.
    #[napi(getter)]
    pub fn webauthn(&self, env: Env) -> napi::Result<Reference<WebAuthnClient>> {
        self.webauthn.clone(env)
    }

    /// Opaque API tokens (not JWTs).
    #[napi(getter)]
    pub fn token(&self, env: Env) -> napi::Result<Reference<TokenClient>> {
        self.token.clone(env)
    }

    /// API (M2M) clients of organizations.
    #[napi(getter, js_name = "m2m")]
    pub fn m2m(&self, env: Env) -> napi::Result<Reference<M2MClient>> {
        self.m2m.clone(env)
    }

    /// Finishing logins your own page authenticated.
    #[napi(getter)]
    pub fn auth(&self, env: Env) -> napi::Result<Reference<AuthClient>> {
        self.auth.clone(env)
    }

    /// The event log.
    #[napi(getter)]
    pub fn events(&self, env: Env) -> napi::Result<Reference<EventsClient>> {
        self.events.clone(env)
    }

    /// The tools agents call.
    #[napi(getter)]
    pub fn tools(&self, env: Env) -> napi::Result<Reference<ToolsClient>> {
        self.tools.clone(env)
    }

    /// End users' connected accounts at third-party providers.
    #[napi(getter)]
    pub fn connected_accounts(&self, env: Env) -> napi::Result<Reference<ConnectedAccountsClient>> {
        self.connected_accounts.clone(env)
    }

    /// The agent-auth facade, and calls to providers' APIs through the proxy.
    #[napi(getter)]
    pub fn actions(&self, env: Env) -> napi::Result<Reference<ActionsClient>> {
        self.actions.clone(env)
    }

    /// Custom providers.
    #[napi(getter)]
    pub fn providers(&self, env: Env) -> napi::Result<Reference<ProvidersClient>> {
        self.providers.clone(env)
    }

    /// The authentication-request log.
    #[napi(getter)]
    pub fn audit_logs(&self, env: Env) -> napi::Result<Reference<AuditLogsClient>> {
        self.audit_logs.clone(env)
    }

    /// MCP servers Scalekit hosts for your agents.
    #[napi(getter)]
    pub fn mcp(&self, env: Env) -> napi::Result<Reference<McpClient>> {
        self.mcp.clone(env)
    }

    /// The URL to send a user to for sign-in: `{envUrl}/oauth/authorize?…`, exactly as the official SDK builds it. No network I/O.
    #[napi(strict)]
    pub fn get_authorization_url(&self, redirect_uri: String, options: Option<AuthorizationUrlOptions>) -> napi::Result<String> {
        let o = options.as_ref();
        let s = |f: fn(&AuthorizationUrlOptions) -> &Option<String>| o.and_then(|o| f(o).as_deref());
        let params = scalekit_core::auth::AuthorizationUrlParams {
            scopes: o.and_then(|o| o.scopes.as_deref()),
            state: s(|o| &o.state),
            nonce: s(|o| &o.nonce),
            login_hint: s(|o| &o.login_hint),
            domain_hint: s(|o| &o.domain_hint),
            connection_id: s(|o| &o.connection_id),
            organization_id: s(|o| &o.organization_id),
            code_challenge: s(|o| &o.code_challenge),
            code_challenge_method: s(|o| &o.code_challenge_method),
            provider: s(|o| &o.provider),
            prompt: s(|o| &o.prompt),
        };
        scalekit_core::auth::authorization_url(&self.env_url, &self.client_id, &redirect_uri, &params).into_napi()
    }

    /// The URL that ends the user's Scalekit session: `{envUrl}/oidc/logout?…`. No network I/O.
    #[napi(strict)]
    pub fn get_logout_url(&self, options: Option<LogoutUrlOptions>) -> String {
        let o = options.as_ref();
        scalekit_core::auth::logout_url(
            &self.env_url,
            o.and_then(|o| o.id_token_hint.as_deref()),
            o.and_then(|o| o.post_logout_redirect_uri.as_deref()),
            o.and_then(|o| o.state.as_deref()),
        )
    }

    /// Checks a webhook's Standard Webhooks signature (`webhook-id`, `webhook-timestamp`, `webhook-signature`) against
    /// the raw body: `true`, or a `WebhookVerificationError` with a `reason`. Several secrets may be given during rotation.
    #[napi(
        strict,
        ts_args_type = "secret: string | string[], headers: Record<string, string | string[] | undefined> | Headers, payload: string | Buffer | Uint8Array"
    )]
    pub fn verify_webhook_payload(&self, secret: Either<String, Vec<String>>, headers: HashMap<String, String>, payload: Either<String, Buffer>) -> napi::Result<bool> {
        verify_payload(secret, &headers, ["webhook-id", "webhook-timestamp", "webhook-signature"], payload)
    }

    /// The claims of a Scalekit JWT, once its RS256/ES256 signature verifies against the environment's JWKS
    /// (cached; fetched again when a key rotates) and its `exp`/`nbf`, issuer, audience and scopes hold.
    /// Rejects with `ScalekitValidateTokenFailureException`, whose `reason` says why.
    #[napi(strict, ts_generic_types = "T = TokenClaims", ts_return_type = "Promise<T>")]
    pub fn validate_token<'env>(&self, env: &'env Env, token: String, options: Option<TokenValidationOptions>) -> napi::Result<PromiseRaw<'env, Json>> {
        let checks = token_checks(options)?;
        if let Some(result) = self.tokens.validate_cached(&token, &checks) {
            return completion::settled(env, result.into_napi().and_then(|claims| Json::encode(&claims)));
        }
        let tokens = self.tokens.clone();
        completion::spawn(env, Box::pin(async move { Json::encode(&tokens.validate(&token, &checks).await.into_napi()?) }))
    }

    /// Exchanges the `code` of a sign-in callback at `POST /oauth/token` and verifies the id token (signature,
    /// issuer, audience = the client id, expiry, and `nonce` when given) before trusting it.
    #[napi(strict, ts_return_type = "Promise<AuthenticationResponse>")]
    pub async fn authenticate_with_code(&self, code: String, redirect_uri: String, options: Option<AuthenticationOptions>) -> napi::Result<Json> {
        let verifier = options.as_ref().and_then(|o| o.code_verifier.clone());
        let nonce = options.and_then(|o| o.nonce);
        let result = self.sign_in.authenticate_with_code(&code, &redirect_uri, verifier.as_deref(), nonce.as_deref()).await.into_napi()?;
        Json::encode(&result)
    }

    /// `POST /oauth/token` with the refresh token: new access and refresh tokens. Errors keep their HTTP status.
    #[napi(strict, ts_return_type = "Promise<RefreshTokenResponse>")]
    pub async fn refresh_access_token(&self, refresh_token: String) -> napi::Result<Json> {
        let result = self.sign_in.refresh_access_token(&refresh_token).await.into_napi()?;
        Json::encode(&result)
    }

    /// A new client-credentials access token for these credentials (e.g. an M2M client's).
    #[napi(strict)]
    pub async fn generate_client_token(&self, client_id: String, client_secret: String) -> napi::Result<String> {
        self.sign_in.client_token(&client_id, &client_secret).await.into_napi()
    }

    /// A new client-credentials access token for this client (the client's own cached token is not touched).
    #[napi(strict)]
    pub async fn get_client_access_token(&self) -> napi::Result<String> {
        self.sign_in.own_client_token().await.into_napi()
    }

    /// `true` when `validateToken` would resolve, `false` for any failure (as the official SDK).
    #[napi(strict, ts_return_type = "Promise<boolean>")]
    pub fn validate_access_token<'env>(&self, env: &'env Env, token: String, options: Option<TokenValidationOptions>) -> napi::Result<PromiseRaw<'env, Json>> {
        let checks = token_checks(options)?;
        if let Some(valid) = self.tokens.is_valid_cached(&token, &checks) {
            return completion::settled(env, Ok(valid));
        }
        let tokens = self.tokens.clone();
        completion::spawn(env, Box::pin(async move { Ok(Json::new(tokens.is_valid(&token, &checks).await.to_string())) }))
    }

    /// The claims of an IdP-initiated login token (`connection_id`, `organization_id`, `login_hint`, `relay_state`), validated as `validateToken` does.
    #[napi(strict, ts_return_type = "Promise<IdpInitiatedLoginClaims>")]
    pub fn get_idp_initiated_login_claims<'env>(&self, env: &'env Env, idp_initiated_login_token: String, options: Option<TokenValidationOptions>) -> napi::Result<PromiseRaw<'env, Json>> {
        self.validate_token(env, idp_initiated_login_token, options)
    }

    /// `true` when the token grants every one of `requiredScopes` (its `scopes` array or `scope` string), else
    /// a `ScalekitValidateTokenFailureException`. As the official SDK, this reads the token without verifying it.
    #[napi(strict)]
    pub fn verify_scopes(&self, token: String, required_scopes: Vec<String>) -> napi::Result<bool> {
        let claims = scalekit_core::jwt::unverified_claims(&token).into_napi()?;
        scalekit_core::jwt::require_scopes(&claims, &required_scopes).into_napi()?;
        Ok(true)
    }

    /// As `verifyWebhookPayload`, for interceptor requests (`interceptor-id`, `interceptor-timestamp`, `interceptor-signature`).
    #[napi(
        strict,
        ts_args_type = "secret: string | string[], headers: Record<string, string | string[] | undefined> | Headers, payload: string | Buffer | Uint8Array"
    )]
    pub fn verify_interceptor_payload(&self, secret: Either<String, Vec<String>>, headers: HashMap<String, String>, payload: Either<String, Buffer>) -> napi::Result<bool> {
        verify_payload(secret, &headers, ["interceptor-id", "interceptor-timestamp", "interceptor-signature"], payload)
    }
}

