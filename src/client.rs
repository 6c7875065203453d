use std::sync::Arc;

use napi::bindgen_prelude::{Either, Function, JavaScriptClassExt, Reference};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::Env;
use napi_derive::napi;
use scalekit_core::{ClientOptions, Config};

use crate::errors::IntoNapi;
use crate::domain::DomainClient;
use crate::organization::OrganizationClient;
use crate::session::SessionClient;
use crate::user::UserClient;

/// Options of `new ScalekitClient(...)`. Each of the first three is also a per-request option.
#[napi(object, object_to_js = false)]
pub struct ScalekitOptions {
    /// Per attempt, for API and token requests, in milliseconds. Default 20000.
    pub timeout_ms: Option<f64>,
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

/// Sends the core's events to the JS dispatcher (`index.js`), without blocking the worker.
struct JsObserver(ThreadsafeFunction<String, (), String, napi::Status, false, true>);

impl scalekit_core::observe::Observer for JsObserver {
    fn event(&self, event: scalekit_core::observe::Event) {
        if let Ok(json) = serde_json::to_string(&event) {
            self.0.call(json, ThreadsafeFunctionCallMode::NonBlocking);
        }
    }
}

fn client_options(options: Option<ScalekitOptions>, on_event: Option<Function<String, ()>>) -> napi::Result<ClientOptions> {
    let mut client = ClientOptions::default();
    if let Some(options) = options {
        client = client.with_timeout_ms(options.timeout_ms).and_then(|c| c.with_max_retries(options.max_retries)).and_then(|c| c.with_deadline_ms(options.deadline_ms)).into_napi()?;
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
    }
    if let Some(on_event) = on_event {
        let tsfn = on_event.build_threadsafe_function::<String>().callee_handled::<false>().weak::<true>().build()?;
        client.observer = Some(Arc::new(JsObserver(tsfn)));
    }
    Ok(client)
}

/// The Scalekit client. Construction checks its arguments and makes no network I/O;
/// the first call fetches a token.
#[napi]
pub struct ScalekitClient {
    organization: Reference<OrganizationClient>,
    user: Reference<UserClient>,
    domain: Reference<DomainClient>,
    session: Reference<SessionClient>,
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

#[scalekit_derive::js_parameters]
#[napi]
impl ScalekitClient {
    #[napi(
        strict,
        constructor,
        ts_args_type = "envUrl: string, clientId: string, clientSecret: string, options?: ScalekitOptions | undefined | null"
    )]
    pub fn new(
        env: Env,
        env_url: Option<String>,
        client_id: Option<String>,
        client_secret: Option<String>,
        options: Option<ScalekitOptions>,
        on_event: Option<Function<String, ()>>,
    ) -> napi::Result<Self> {
        let env_url = required("envUrl", env_url, "the environment URL")?;
        let client_id = required("clientId", client_id, "the client id")?;
        let client_secret = required("clientSecret", client_secret, "the client secret")?;
        let options = client_options(options, on_event)?;
        let config = Config::new(&env_url, &client_id, &client_secret, options).into_napi()?;
        let core = scalekit_core::ScalekitClient::new(config).into_napi()?;
        Ok(ScalekitClient {
            organization: OrganizationClient::new(core.organization).into_reference(env)?,
            user: UserClient::new(core.user).into_reference(env)?,
            domain: DomainClient::new(core.domain).into_reference(env)?,
            session: SessionClient::new(core.session).into_reference(env)?,
        })
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
}

