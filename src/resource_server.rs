//! The native half of `McpResourceServer` (`scalekit-native/mcp`): settings, metadata, token checks,
//! scope decisions and challenges, from `scalekit_core::resource_server`. The framework adapters are JS
//! (lib/mcp/), which also declares the class's types.

use std::collections::HashMap;
use std::sync::Arc;

use napi::bindgen_prelude::{Either, PromiseRaw};
use napi::Env;
use napi_derive::napi;
use scalekit_core::resource_server::{Challenge, ResourceServer, ResourceServerSettings};
use scalekit_core::ClientOptions;

use crate::completion;
use crate::errors::IntoNapi;
use crate::json::Json;

/// Options of `new McpResourceServer(...)` (`scalekit-native/mcp`).
#[napi(object, object_to_js = false)]
pub struct McpResourceServerOptions {
    /// The Scalekit environment URL, e.g. `https://acme.scalekit.dev` (or its custom domain).
    pub environment_url: String,
    /// The MCP server's resource id, `res_…`, as the Scalekit dashboard shows it.
    pub resource_id: String,
    /// The MCP server's own URL, e.g. `https://mcp.example.com/mcp`: the protected resource that clients
    /// connect to and tokens are for.
    pub server_url: String,
    /// The scopes the server defines (published, and asked for in a first challenge).
    pub scopes_supported: Option<Vec<String>>,
    /// Scopes every request needs.
    pub required_scopes: Option<Vec<String>>,
    /// Scopes each tool needs, e.g. `{ create_todo: ['todo:write'] }`: a `tools/call` without them is answered
    /// 403 `insufficient_scope`, so clients step up.
    pub tool_scopes: Option<HashMap<String, Vec<String>>>,
    /// `resource_name` of the metadata.
    pub resource_name: Option<String>,
    /// `resource_documentation` of the metadata: a URL.
    pub resource_documentation: Option<String>,
    /// Whether `aud` must hold the server URL as well as the resource id. Default true: Scalekit puts both in
    /// the tokens of an MCP server registered with its URL. Set false for one registered without it.
    pub server_url_in_audience: Option<bool>,
    /// Accepted issuers, instead of the environment's own (learned from its discovery document) and
    /// `{environmentUrl}/resources/{resourceId}`.
    #[napi(ts_type = "string | Array<string>")]
    pub issuer: Option<Either<String, Vec<String>>>,
    /// Leeway for `exp` and `nbf`, in seconds. Default 0.
    pub clock_tolerance_seconds: Option<f64>,
    /// Time limit of the key fetches, in milliseconds. Default 20000.
    pub timeout_ms: Option<f64>,
    /// Proxy URL for the key fetches. Default: `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`.
    pub proxy: Option<String>,
    /// Extra trusted root certificates (PEM) for the key fetches.
    #[napi(ts_type = "string | Array<string>")]
    pub ca_certificates: Option<Either<String, Vec<String>>>,
}

fn list(value: Option<Either<String, Vec<String>>>) -> Vec<String> {
    match value {
        None => Vec::new(),
        Some(Either::A(one)) => vec![one],
        Some(Either::B(many)) => many,
    }
}

/// The core of `McpResourceServer` (`scalekit-native/mcp`), which adds the framework adapters: the metadata,
/// the token check, scope decisions and challenges.
#[napi]
pub struct McpResourceServerCore {
    inner: Arc<ResourceServer>,
}

#[scalekit_derive::js_parameters]
#[napi]
impl McpResourceServerCore {
    #[napi(constructor, strict)]
    pub fn new(options: McpResourceServerOptions) -> napi::Result<Self> {
        let tolerance = match options.clock_tolerance_seconds {
            None => std::time::Duration::ZERO,
            Some(s) if s.is_finite() && (0.0..=86_400.0).contains(&s) => std::time::Duration::from_secs_f64(s),
            Some(_) => return Err(scalekit_core::Error::InvalidInput { field: "clockToleranceSeconds".into(), message: "clockToleranceSeconds must be from 0 to 86400".into() }).into_napi(),
        };
        let mut client = ClientOptions::default().with_timeout_ms(options.timeout_ms).into_napi()?;
        client.proxy = options.proxy;
        client.ca_certificates = list(options.ca_certificates);
        client.validate().into_napi()?;
        let settings = ResourceServerSettings {
            environment_url: options.environment_url,
            resource_id: options.resource_id,
            server_url: options.server_url,
            scopes_supported: options.scopes_supported.unwrap_or_default(),
            required_scopes: options.required_scopes.unwrap_or_default(),
            tool_scopes: options.tool_scopes.unwrap_or_default(),
            resource_name: options.resource_name,
            resource_documentation: options.resource_documentation,
            server_url_audience: options.server_url_in_audience.unwrap_or(true),
            issuers: list(options.issuer),
            clock_tolerance: tolerance,
            options: client,
        };
        Ok(McpResourceServerCore { inner: Arc::new(ResourceServer::new(settings).into_napi()?) })
    }

    /// The RFC 9728 protected-resource metadata.
    #[napi(getter, ts_return_type = "ProtectedResourceMetadata")]
    pub fn metadata(&self) -> napi::Result<Json> {
        Json::encode(self.inner.metadata())
    }

    /// The metadata's absolute URL (`resource_metadata` of challenges).
    #[napi(getter)]
    pub fn metadata_url(&self) -> String {
        self.inner.metadata_url().to_owned()
    }

    /// The paths it is served at: path-suffixed for the server's path, then the root form.
    #[napi(getter)]
    pub fn metadata_paths(&self) -> Vec<String> {
        self.inner.metadata_paths().to_vec()
    }

    /// The MCP endpoint's path.
    #[napi(getter)]
    pub fn protected_path(&self) -> String {
        self.inner.protected_path().to_owned()
    }

    #[napi(getter)]
    pub fn server_url(&self) -> String {
        self.inner.server_url().to_owned()
    }

    /// The caller of a bearer token (`{ clientId, scopes, expiresAt, subject, organizationId, sessionId, claims }`),
    /// or a `ScalekitValidateTokenFailureException` (401), or a transport or server error while fetching the
    /// environment's keys (503). Pure CPU on the calling thread when the keys are cached.
    #[napi(strict, ts_return_type = "Promise<McpCaller>")]
    pub fn verify<'env>(&self, env: &'env Env, token: String) -> napi::Result<PromiseRaw<'env, Json>> {
        if let Some(result) = self.inner.verify_cached(&token) {
            return completion::settled(env, result.into_napi().and_then(|caller| Json::encode(&caller)));
        }
        let inner = self.inner.clone();
        completion::spawn(env, Box::pin(async move { Json::encode(&inner.verify(&token).await.into_napi()?) }))
    }

    /// The scopes a request still needs: the required ones and those of each tool it calls, less `granted`.
    #[napi(strict)]
    pub fn missing_scopes(&self, granted: Vec<String>, tools: Vec<String>) -> Vec<String> {
        self.inner.missing_scopes(&granted, &tools)
    }

    /// The `WWW-Authenticate` header of a 401 (`no_token`, `invalid_token`) or a 403 (`insufficient_scope`).
    #[napi(strict, ts_args_type = "kind: 'no_token' | 'invalid_token' | 'insufficient_scope', scope?: Array<string> | undefined | null, description?: string | undefined | null")]
    pub fn challenge(&self, kind: String, scope: Option<Vec<String>>, description: Option<String>) -> napi::Result<String> {
        let kind = match kind.as_str() {
            "no_token" => Challenge::NoToken,
            "invalid_token" => Challenge::InvalidToken,
            "insufficient_scope" => Challenge::InsufficientScope,
            _ => return Err(napi::Error::from_reason("kind must be no_token, invalid_token or insufficient_scope")),
        };
        Ok(self.inner.challenge(kind, &scope.unwrap_or_default(), description.as_deref()))
    }
}
