//! `client.providers`, `client.auditLogs` and `client.mcp`: public-spec APIs the official SDK does not wrap.

use reqwest::Method;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::http::{segment, Api, ApiRequest, RequestOptions};
use crate::models::{
    CreateMcpConfig, CreateMcpSessionTokenOptions, CustomProviderInput, Empty, ListAuthRequestsOptions, ListAuthRequestsResponse, ListMcpConfigsOptions,
    ListMcpConfigsResponse, ListMcpConnectedAccountsOptions, ListMcpConnectedAccountsResponse, McpConfigResponse, McpSessionTokenResponse, ProviderResponse,
    UpdateMcpConfig,
};
use crate::validate;
use crate::wire::FromWire;

#[derive(Debug, Clone)]
pub struct ProvidersClient {
    api: Api,
}

path_calls! {
    impl ProvidersClient {
        /// `DELETE /api/v1/custom-providers/{identifier}`.
        delete_custom_provider(identifier "identifier") -> Empty = DELETE "/api/v1/custom-providers/{}";
    }
}

impl ProvidersClient {
    pub(crate) fn new(api: Api) -> Self {
        ProvidersClient { api }
    }

    /// `POST /api/v1/custom-providers`: a provider of your own (`displayName` required).
    pub async fn create_custom_provider<R: FromWire<ProviderResponse>>(&self, provider: CustomProviderInput, request_options: &RequestOptions) -> Result<R> {
        validate::required_text("provider.displayName", provider.display_name.as_deref().unwrap_or_default())?;
        let request = ApiRequest::new(Method::POST, "/api/v1/custom-providers".into()).json(&provider)?;
        self.api.send::<ProviderResponse, R>(request, request_options).await
    }

    /// `PUT /api/v1/custom-providers/{identifier}`: the fields given replace theirs.
    pub async fn update_custom_provider<R: FromWire<ProviderResponse>>(
        &self,
        identifier: String,
        provider: CustomProviderInput,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let identifier = validate::required_id("identifier", &identifier)?;
        let request = ApiRequest::new(Method::PUT, format!("/api/v1/custom-providers/{}", segment(identifier))).json(&provider)?;
        self.api.send::<ProviderResponse, R>(request, request_options).await
    }
}

#[derive(Debug, Clone)]
pub struct AuditLogsClient {
    api: Api,
}

impl AuditLogsClient {
    pub(crate) fn new(api: Api) -> Self {
        AuditLogsClient { api }
    }

    /// `GET /api/v1/logs/authentication/requests`: sign-in attempts, newest first.
    pub async fn list_auth_requests<R: FromWire<ListAuthRequestsResponse>>(
        &self,
        options: Option<ListAuthRequestsOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let o = options.unwrap_or_default();
        let page_size = validate::page_size("options.pageSize", o.page_size)?;
        let status = match o.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) if ["INITIATED", "PENDING", "SUCCESS", "FAILED"].contains(&s.to_ascii_uppercase().as_str()) => Some(s.to_ascii_uppercase()),
            Some(_) => return Err(Error::invalid("options.status", "options.status must be INITIATED, PENDING, SUCCESS or FAILED")),
            None => None,
        };
        let own = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
        let request = ApiRequest::new(Method::GET, "/api/v1/logs/authentication/requests".into()).query([
            ("page_size", page_size.map(|n| n.to_string())),
            ("page_token", own(o.page_token)),
            ("email", own(o.email)),
            ("status", status),
            ("start_time", o.start_time.map(|t| t.rfc3339("options.startTime")).transpose()?),
            ("end_time", o.end_time.map(|t| t.rfc3339("options.endTime")).transpose()?),
            ("resource_id", own(o.resource_id)),
            ("client_id", own(o.client_id)),
        ]);
        self.api.send::<ListAuthRequestsResponse, R>(request, request_options).await
    }
}

#[derive(Debug, Clone)]
pub struct McpClient {
    api: Api,
}

path_calls! {
    impl McpClient {
        /// `GET /api/v1/mcp/configs/{config_id}`.
        get_mcp_config(config_id "configId") -> McpConfigResponse = GET "/api/v1/mcp/configs/{}";
        /// `DELETE /api/v1/mcp/configs/{config_id}`.
        delete_mcp_config(config_id "configId") -> Empty = DELETE "/api/v1/mcp/configs/{}";
    }
}

fn config_path(config_id: &str) -> Result<String> {
    Ok(format!("/api/v1/mcp/configs/{}", segment(validate::required_id("configId", config_id)?)))
}

impl McpClient {
    pub(crate) fn new(api: Api) -> Self {
        McpClient { api }
    }

    /// `GET /api/v1/mcp/configs`.
    pub async fn list_mcp_configs<R: FromWire<ListMcpConfigsResponse>>(&self, options: Option<ListMcpConfigsOptions>, request_options: &RequestOptions) -> Result<R> {
        let o = options.unwrap_or_default();
        let f = o.filter.unwrap_or_default();
        let page_size = validate::page_size("options.pageSize", o.page_size)?;
        let own = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
        let request = ApiRequest::new(Method::GET, "/api/v1/mcp/configs".into()).query([
            ("filter.id", own(f.id)),
            ("filter.name", own(f.name)),
            ("filter.provider", own(f.provider)),
            ("filter.mcp_server_url", own(f.mcp_server_url)),
            ("search", own(o.search)),
            ("page_size", page_size.map(|n| n.to_string())),
            ("page_token", own(o.page_token)),
        ]);
        self.api.send::<ListMcpConfigsResponse, R>(request, request_options).await
    }

    /// `POST /api/v1/mcp/configs`.
    pub async fn create_mcp_config<R: FromWire<McpConfigResponse>>(&self, config: CreateMcpConfig, request_options: &RequestOptions) -> Result<R> {
        validate::required_text("config.name", &config.name)?;
        for (i, mapping) in config.connection_tool_mappings.iter().flatten().enumerate() {
            validate::required_text(&format!("config.connectionToolMappings[{i}].connectionName"), &mapping.connection_name)?;
        }
        let request = ApiRequest::new(Method::POST, "/api/v1/mcp/configs".into()).json(&config)?;
        self.api.send::<McpConfigResponse, R>(request, request_options).await
    }

    /// `PUT /api/v1/mcp/configs/{config_id}`: only the fields given change.
    pub async fn update_mcp_config<R: FromWire<McpConfigResponse>>(&self, config_id: String, config: UpdateMcpConfig, request_options: &RequestOptions) -> Result<R> {
        let request = ApiRequest::new(Method::PUT, config_path(&config_id)?).json(&config)?;
        self.api.send::<McpConfigResponse, R>(request, request_options).await
    }

    /// `POST /api/v1/mcp/configs/{config_id}/connected_accounts`: which of the config's connections `identifier` has authorized.
    pub async fn list_mcp_connected_accounts<R: FromWire<ListMcpConnectedAccountsResponse>>(
        &self,
        config_id: String,
        identifier: String,
        options: Option<ListMcpConnectedAccountsOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        #[derive(Serialize)]
        struct Body<'a> {
            identifier: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            include_auth_link: Option<bool>,
        }
        let path = format!("{}/connected_accounts", config_path(&config_id)?);
        let identifier = validate::required_id("identifier", &identifier)?;
        let body = Body { identifier, include_auth_link: options.and_then(|o| o.include_auth_link) };
        self.api.send::<ListMcpConnectedAccountsResponse, R>(ApiRequest::new(Method::POST, path).json(&body)?, request_options).await
    }

    /// `POST /api/v1/mcp/configs/{config_id}/tokens`: a session token for `identifier` on the config's MCP server.
    pub async fn create_mcp_session_token<R: FromWire<McpSessionTokenResponse>>(
        &self,
        config_id: String,
        identifier: String,
        options: Option<CreateMcpSessionTokenOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        #[derive(Serialize)]
        struct Body<'a> {
            identifier: &'a str,
            /// A protobuf `Duration`: `"3600s"`.
            #[serde(skip_serializing_if = "Option::is_none")]
            expiry: Option<String>,
        }
        let path = format!("{}/tokens", config_path(&config_id)?);
        let identifier = validate::required_id("identifier", &identifier)?;
        let expiry = options.and_then(|o| o.expires_in_seconds).map(|s| validate::whole("options.expiresInSeconds", s).map(|s| format!("{s}s"))).transpose()?;
        self.api.send::<McpSessionTokenResponse, R>(ApiRequest::new(Method::POST, path).json(&Body { identifier, expiry })?, request_options).await
    }
}
