//! An MCP server as an OAuth resource server of a Scalekit environment: what it publishes (RFC 9728
//! protected-resource metadata), how it checks a bearer token (signature against the environment's keys,
//! `iss` the environment's or `{env}/resources/{res_id}`, `aud` holding the resource id and the server URL,
//! `exp`/`nbf` with leeway), which scopes a request needs (per tool), and the `WWW-Authenticate`
//! challenges of the MCP authorization spec (2025-06-18 and 2025-11-25). The framework adapters are thin
//! JS over this.

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{json, Map, Value};

use crate::config::ClientOptions;
use crate::error::{Error, Result};
use crate::jwt::{scopes, IssuerCheck, TokenChecks, TokenValidator};

/// What `new McpResourceServer(...)` takes.
#[derive(Debug, Clone, Default)]
pub struct ResourceServerSettings {
    pub environment_url: String,
    /// `res_…`: the MCP server as registered with the environment.
    pub resource_id: String,
    /// The MCP server's own URL, e.g. `https://mcp.example.com/mcp`: the protected resource.
    pub server_url: String,
    pub scopes_supported: Vec<String>,
    /// Scopes every request needs.
    pub required_scopes: Vec<String>,
    /// Scopes a `tools/call` of a tool needs, by tool name.
    pub tool_scopes: HashMap<String, Vec<String>>,
    pub resource_name: Option<String>,
    pub resource_documentation: Option<String>,
    /// `aud` must hold the server URL as well as the resource id (Scalekit puts both when the MCP server is
    /// registered with its URL). Default true.
    pub server_url_audience: bool,
    /// Accepted issuers instead of the environment's (and its resource form).
    pub issuers: Vec<String>,
    pub clock_tolerance: Duration,
    /// The HTTP client's settings for fetching the keys (timeout, proxy, extra roots).
    pub options: ClientOptions,
}

/// Who called, once a token verifies: what the MCP SDK's `AuthInfo` is made of.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Caller {
    pub client_id: String,
    pub scopes: Vec<String>,
    /// Unix seconds.
    pub expires_at: f64,
    pub subject: Option<String>,
    pub organization_id: Option<String>,
    pub session_id: Option<String>,
    pub claims: Map<String, Value>,
}

/// Which answer a request gets when it may not reach the MCP server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Challenge {
    /// 401: no bearer token.
    NoToken,
    /// 401: a bad, expired or other-audience token.
    InvalidToken,
    /// 403: the token lacks scopes.
    InsufficientScope,
}

pub struct ResourceServer {
    settings: ResourceServerSettings,
    validator: TokenValidator,
    checks: TokenChecks,
    metadata: Value,
    metadata_url: String,
    metadata_paths: Vec<String>,
    protected_path: String,
}

impl std::fmt::Debug for ResourceServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResourceServer").field("resource_id", &self.settings.resource_id).field("server_url", &self.settings.server_url).finish_non_exhaustive()
    }
}

/// A scope token (RFC 6749 3.3): printable ASCII, no space, quote or backslash.
fn valid_scope(scope: &str) -> bool {
    !scope.is_empty() && scope.bytes().all(|b| (0x21..=0x7e).contains(&b) && b != b'"' && b != b'\\')
}

impl ResourceServer {
    /// Checks the settings; makes no network I/O.
    pub fn new(settings: ResourceServerSettings) -> Result<Self> {
        let environment_url = crate::config::validate_env_url(&settings.environment_url).map_err(|e| match e {
            Error::InvalidInput { message, .. } => Error::invalid("environmentUrl", message.replace("envUrl", "environmentUrl")),
            other => other,
        })?;
        let resource_id = settings.resource_id.trim();
        if resource_id.is_empty() || !resource_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            return Err(Error::invalid("resourceId", "resourceId must be the MCP server's resource id (res_…), as the Scalekit dashboard shows it"));
        }
        let server = url::Url::parse(settings.server_url.trim()).map_err(|e| Error::invalid("serverUrl", format!("serverUrl must be the MCP server's absolute URL ({e})")))?;
        if !matches!(server.scheme(), "https" | "http") || server.fragment().is_some() || server.query().is_some() || !server.username().is_empty() {
            return Err(Error::invalid("serverUrl", "serverUrl must be an http(s) URL without a query, fragment or credentials, e.g. https://mcp.example.com/mcp"));
        }
        for (field, list) in [("scopesSupported", &settings.scopes_supported), ("requiredScopes", &settings.required_scopes)] {
            if let Some(bad) = list.iter().find(|s| !valid_scope(s)) {
                return Err(Error::invalid(field, format!("{field} holds {bad:?}, which is not a scope (printable ASCII, no spaces or quotes)")));
            }
        }
        for (tool, needed) in &settings.tool_scopes {
            if let Some(bad) = needed.iter().find(|s| !valid_scope(s)) {
                return Err(Error::invalid("toolScopes", format!("toolScopes.{tool} holds {bad:?}, which is not a scope")));
            }
        }
        let server_url = server.as_str().trim_end_matches('/').to_owned();
        let path = server.path().trim_end_matches('/').to_owned();
        let origin = server.origin().ascii_serialization();
        let metadata_url = format!("{origin}/.well-known/oauth-protected-resource{path}");
        let mut metadata_paths = vec![format!("/.well-known/oauth-protected-resource{path}")];
        if !path.is_empty() {
            metadata_paths.push("/.well-known/oauth-protected-resource".into());
        }
        let issuer = format!("{environment_url}/resources/{resource_id}");
        let mut metadata = json!({
            "resource": server_url,
            "authorization_servers": [issuer],
            "bearer_methods_supported": ["header"],
            "scopes_supported": settings.scopes_supported,
        });
        if let Some(name) = &settings.resource_name {
            metadata["resource_name"] = json!(name);
        }
        if let Some(docs) = &settings.resource_documentation {
            metadata["resource_documentation"] = json!(docs);
        }
        crate::install_crypto_provider();
        let http = crate::http::build_http_client(&settings.options)?;
        let validator = TokenValidator::new(http, &environment_url, settings.options.timeout);
        let checks = TokenChecks {
            issuer: if settings.issuers.is_empty() { IssuerCheck::Environment { resource: Some(resource_id.to_owned()) } } else { IssuerCheck::OneOf(settings.issuers.clone()) },
            audience: vec![resource_id.to_owned()],
            audience_all: if settings.server_url_audience { vec![server_url.clone()] } else { Vec::new() },
            required_scopes: Vec::new(),
            clock_tolerance: settings.clock_tolerance,
            now: None,
        };
        let settings = ResourceServerSettings { environment_url, resource_id: resource_id.to_owned(), server_url, ..settings };
        Ok(ResourceServer { settings, validator, checks, metadata, metadata_url, metadata_paths, protected_path: if path.is_empty() { "/".into() } else { path } })
    }

    /// The RFC 9728 metadata document.
    pub fn metadata(&self) -> &Value {
        &self.metadata
    }

    /// Its absolute URL, for `resource_metadata` in challenges.
    pub fn metadata_url(&self) -> &str {
        &self.metadata_url
    }

    /// Where it is served: the path-suffixed form for the server's path, and the root form.
    pub fn metadata_paths(&self) -> &[String] {
        &self.metadata_paths
    }

    /// The path of the MCP endpoint (`/` when the server URL has none).
    pub fn protected_path(&self) -> &str {
        &self.protected_path
    }

    pub fn server_url(&self) -> &str {
        &self.settings.server_url
    }

    /// The caller of a token, once it verifies; `None` when that needs the keys or the environment's issuer
    /// fetched first (see [`verify`](Self::verify)).
    pub fn verify_cached(&self, token: &str) -> Option<Result<Caller>> {
        Some(self.validator.validate_cached(token, &self.checks)?.map(caller))
    }

    /// The caller of a token: `TokenInvalid` when it does not verify (401), a transport or server error when
    /// the keys cannot be had (503, never 401: that would send clients into a re-authorization loop).
    pub async fn verify(&self, token: &str) -> Result<Caller> {
        self.validator.validate(token, &self.checks).await.map(caller)
    }

    /// The scopes a request still needs: the required ones and those of each tool it calls, less `granted`.
    pub fn missing_scopes(&self, granted: &[String], tools: &[String]) -> Vec<String> {
        let mut needed: Vec<&String> = self.settings.required_scopes.iter().collect();
        for tool in tools {
            needed.extend(self.settings.tool_scopes.get(tool).into_iter().flatten());
        }
        let mut missing: Vec<String> = Vec::new();
        for scope in needed {
            if !granted.contains(scope) && !missing.contains(scope) {
                missing.push(scope.clone());
            }
        }
        missing
    }

    /// The `WWW-Authenticate` header of a challenge. `scope` is what to ask for: for an insufficient scope,
    /// the scopes already granted and the missing ones (so a client stepping up keeps what it had); else the
    /// server's supported scopes. Descriptions are stripped of quotes and backslashes.
    pub fn challenge(&self, kind: Challenge, scope: &[String], description: Option<&str>) -> String {
        let clean = |text: &str| text.chars().filter(|c| *c != '"' && *c != '\\' && !c.is_control()).collect::<String>();
        let mut parts: Vec<String> = Vec::new();
        match kind {
            Challenge::NoToken => {}
            Challenge::InvalidToken => parts.push("error=\"invalid_token\"".into()),
            Challenge::InsufficientScope => parts.push("error=\"insufficient_scope\"".into()),
        }
        if let (Some(description), true) = (description, kind != Challenge::NoToken) {
            parts.push(format!("error_description=\"{}\"", clean(description)));
        }
        let scope: Vec<&String> = if scope.is_empty() && kind != Challenge::InsufficientScope { self.settings.scopes_supported.iter().collect() } else { scope.iter().collect() };
        if !scope.is_empty() {
            parts.push(format!("scope=\"{}\"", scope.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")));
        }
        parts.push(format!("resource_metadata=\"{}\"", self.metadata_url));
        format!("Bearer {}", parts.join(", "))
    }
}

fn caller(claims: Map<String, Value>) -> Caller {
    let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned);
    Caller {
        client_id: text("client_id").or_else(|| text("azp")).or_else(|| text("sub")).unwrap_or_default(),
        scopes: scopes(&claims),
        expires_at: claims.get("exp").and_then(Value::as_f64).unwrap_or_default(),
        subject: text("sub"),
        organization_id: text("oid").or_else(|| text("org_id")),
        session_id: text("sid"),
        claims,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server() -> ResourceServer {
        ResourceServer::new(ResourceServerSettings {
            environment_url: "https://acme.scalekit.dev/".into(),
            resource_id: "res_1".into(),
            server_url: "https://mcp.example.com/mcp/".into(),
            scopes_supported: vec!["todo:read".into(), "todo:write".into()],
            tool_scopes: HashMap::from([("create_todo".into(), vec!["todo:write".into()])]),
            server_url_audience: true,
            ..Default::default()
        })
        .unwrap()
    }

    #[test]
    fn metadata_and_its_urls() {
        let s = server();
        assert_eq!(s.metadata()["resource"], "https://mcp.example.com/mcp");
        assert_eq!(s.metadata()["authorization_servers"][0], "https://acme.scalekit.dev/resources/res_1");
        assert_eq!(s.metadata_url(), "https://mcp.example.com/.well-known/oauth-protected-resource/mcp");
        assert_eq!(s.metadata_paths(), ["/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"]);
        assert_eq!(s.protected_path(), "/mcp");
    }

    #[test]
    fn challenges_per_the_mcp_spec() {
        let s = server();
        assert_eq!(s.challenge(Challenge::NoToken, &[], None), r#"Bearer scope="todo:read todo:write", resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp""#);
        assert_eq!(
            s.challenge(Challenge::InvalidToken, &[], Some("the \"token\" has expired")),
            r#"Bearer error="invalid_token", error_description="the token has expired", scope="todo:read todo:write", resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp""#
        );
        let scope = vec!["todo:read".to_owned(), "todo:write".to_owned()];
        assert!(s.challenge(Challenge::InsufficientScope, &scope, Some("needs todo:write")).starts_with(r#"Bearer error="insufficient_scope", error_description="needs todo:write", scope="todo:read todo:write""#));
    }

    #[test]
    fn missing_scopes_per_tool() {
        let s = server();
        assert_eq!(s.missing_scopes(&["todo:read".into()], &["create_todo".into(), "list_todos".into()]), ["todo:write"]);
        assert!(s.missing_scopes(&["todo:write".into()], &["create_todo".into()]).is_empty());
        assert!(s.missing_scopes(&[], &[]).is_empty());
    }

    #[test]
    fn settings_are_checked() {
        let base = || ResourceServerSettings { environment_url: "https://acme.scalekit.dev".into(), resource_id: "res_1".into(), server_url: "https://mcp.example.com".into(), ..Default::default() };
        assert!(matches!(ResourceServer::new(ResourceServerSettings { resource_id: "res 1".into(), ..base() }), Err(Error::InvalidInput { field, .. }) if field == "resourceId"));
        assert!(matches!(ResourceServer::new(ResourceServerSettings { server_url: "mcp".into(), ..base() }), Err(Error::InvalidInput { field, .. }) if field == "serverUrl"));
        assert!(matches!(ResourceServer::new(ResourceServerSettings { server_url: "https://x.com/mcp#a".into(), ..base() }), Err(Error::InvalidInput { field, .. }) if field == "serverUrl"));
        assert!(matches!(ResourceServer::new(ResourceServerSettings { environment_url: "http://acme.com".into(), ..base() }), Err(Error::InvalidInput { field, .. }) if field == "environmentUrl"));
        assert!(matches!(ResourceServer::new(ResourceServerSettings { scopes_supported: vec!["a b".into()], ..base() }), Err(Error::InvalidInput { field, .. }) if field == "scopesSupported"));
        let root = ResourceServer::new(base()).unwrap();
        assert_eq!(root.metadata_paths(), ["/.well-known/oauth-protected-resource"]);
        assert_eq!(root.protected_path(), "/");
    }
}
