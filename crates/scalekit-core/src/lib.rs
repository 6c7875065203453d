//! Scalekit REST client core: configuration, token management, HTTP, errors and
//! models. No Node dependency; the napi addon is a thin layer over this crate.

#[macro_use]
mod calls;

mod actions;
mod api_token;
pub mod auth;
pub mod buffers;
pub mod config;
mod connected_accounts;
mod connection;
mod directory;
mod domain;
pub mod error;
mod events;
pub mod http;
pub mod jwt;
mod m2m;
pub mod models;
pub mod observe;
mod organization;
mod passwordless;
mod permission;
mod platform;
pub mod resource_server;
pub mod retry;
pub mod seal;
mod role;
pub mod signin;
pub mod token;
mod session;
mod tools;
mod user;
pub mod validate;
mod webauthn;
pub mod wire;

use std::sync::{Arc, Once};

pub use config::{ClientOptions, Config, Secret};
pub use error::{Error, RateLimit, Result, ServerError, TimeoutLimit, TransportError, TransportKind};
pub use http::{CallDefaults, CancellationToken, RequestOptions, ResponseCapture, ResponseMeta};
pub use actions::ActionsClient;
pub use api_token::TokenClient;
pub use auth::AuthClient;
pub use connected_accounts::ConnectedAccountsClient;
pub use connection::ConnectionClient;
pub use directory::DirectoryClient;
pub use domain::DomainClient;
pub use events::EventsClient;
pub use m2m::M2MClient;
pub use organization::OrganizationClient;
pub use passwordless::PasswordlessClient;
pub use permission::PermissionClient;
pub use platform::{AuditLogsClient, McpClient, ProvidersClient};
pub use role::RoleClient;
pub use session::SessionClient;
pub use tools::ToolsClient;
pub use user::UserClient;
pub use webauthn::WebAuthnClient;
pub use wire::{CamelJson, FromWire};

/// Installs rustls' ring provider once per process (reqwest is built without a default one).
pub fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Another library may have installed one already; either is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// The client: one connection pool and one token cache shared by its sub-clients.
#[derive(Debug, Clone)]
pub struct ScalekitClient {
    pub organization: OrganizationClient,
    pub user: UserClient,
    pub domain: DomainClient,
    pub session: SessionClient,
    pub connection: ConnectionClient,
    pub directory: DirectoryClient,
    pub role: RoleClient,
    pub permission: PermissionClient,
    pub passwordless: PasswordlessClient,
    pub webauthn: WebAuthnClient,
    pub token: TokenClient,
    pub m2m: M2MClient,
    pub auth: AuthClient,
    pub events: EventsClient,
    pub tools: ToolsClient,
    pub connected_accounts: ConnectedAccountsClient,
    pub actions: ActionsClient,
    pub providers: ProvidersClient,
    pub audit_logs: AuditLogsClient,
    pub mcp: McpClient,
    /// Validates Scalekit's JWTs against the environment's JWKS (cached).
    pub tokens: Arc<jwt::TokenValidator>,
    /// The code, refresh and client-credentials grants.
    pub sign_in: signin::SignIn,
    api: http::Api,
    tool_timeout: std::time::Duration,
}

impl ScalekitClient {
    /// Checks the configuration; makes no network I/O.
    pub fn new(config: Config) -> Result<Self> {
        let api = Arc::new(http::ApiClient::new(&config)?);
        let tokens = Arc::new(jwt::TokenValidator::new(api.http_client(), &config.env_url, config.options.timeout));
        let sign_in = signin::SignIn::new(api.http_client(), &config, tokens.clone());
        Ok(Self::over(api, tokens, sign_in, config.options.tool_timeout))
    }

    /// A client with other per-call defaults (timeouts, retries, deadline, observer) that shares this
    /// one's connection pool, token cache and JWKS cache.
    pub fn with_options(&self, defaults: &http::CallDefaults) -> Self {
        let api = Arc::new(self.api.derive(defaults));
        // The token grants and JWKS fetches take the derived time limit too; the key cache stays shared.
        let (tokens, sign_in) = match defaults.timeout {
            Some(timeout) => {
                let tokens = Arc::new(self.tokens.with_timeout(timeout));
                (tokens.clone(), self.sign_in.with_timeout(timeout, tokens))
            }
            None => (self.tokens.clone(), self.sign_in.clone()),
        };
        Self::over(api, tokens, sign_in, defaults.tool_timeout.unwrap_or(self.tool_timeout))
    }

    fn over(api: http::Api, tokens: Arc<jwt::TokenValidator>, sign_in: signin::SignIn, tool_timeout: std::time::Duration) -> Self {
        ScalekitClient {
            sign_in,
            tokens,
            tool_timeout,
            organization: OrganizationClient::new(api.clone()),
            user: UserClient::new(api.clone()),
            domain: DomainClient::new(api.clone()),
            session: SessionClient::new(api.clone()),
            connection: ConnectionClient::new(api.clone()),
            directory: DirectoryClient::new(api.clone()),
            role: RoleClient::new(api.clone()),
            permission: PermissionClient::new(api.clone()),
            passwordless: PasswordlessClient::new(api.clone()),
            webauthn: WebAuthnClient::new(api.clone()),
            token: TokenClient::new(api.clone()),
            m2m: M2MClient::new(api.clone()),
            auth: AuthClient::new(api.clone()),
            events: EventsClient::new(api.clone()),
            tools: ToolsClient::new(api.clone(), tool_timeout),
            connected_accounts: ConnectedAccountsClient::new(api.clone()),
            actions: ActionsClient::new(api.clone(), tool_timeout),
            providers: ProvidersClient::new(api.clone()),
            audit_logs: AuditLogsClient::new(api.clone()),
            mcp: McpClient::new(api.clone()),
            api,
        }
    }
}
