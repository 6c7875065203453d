//! The public-spec APIs the official SDK does not wrap: custom providers, the
//! authentication-request log and MCP configurations.

use std::collections::HashMap;

use scalekit_derive::model;
use serde::Serialize;
use serde_json::{Map, Value};

/// `providersProvider`: a provider agents connect to; yours when `isCustom`.
#[model]
pub struct Provider {
    pub id: String,
    /// Your handle for it, e.g. `acme-crm`.
    pub identifier: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub icon_src: Option<String>,
    pub categories: Vec<String>,
    /// How it authenticates (OAuth, API key, …): provider-defined JSON, keys unchanged.
    pub auth_patterns: Vec<Map<String, Value>>,
    pub metadata: HashMap<String, String>,
    pub is_custom: bool,
    pub is_custom_mcp: bool,
    pub proxy_enabled: bool,
    pub proxy_url: Option<String>,
    pub coming_soon: bool,
    pub display_priority: u32,
}

/// `CreateProviderResponse` and `UpdateProviderResponse`.
#[model]
pub struct ProviderResponse {
    pub provider: Provider,
}

/// A custom provider to create or change (`v1providersCreateCustomProvider`): only the fields given are sent.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default, Serialize)]
pub struct CustomProviderInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Sent with their keys unchanged.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "napi", napi(ts_type = "Array<Record<string, unknown>>"))]
    pub auth_patterns: Option<Vec<Map<String, Value>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub icon_src: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<HashMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy_url: Option<String>,
}

/// `auditlogsAuthLogRequest`: one sign-in attempt.
#[model]
pub struct AuthLogRequest {
    /// `ar_…`.
    pub auth_request_id: String,
    #[cfg_attr(feature = "napi", napi(ts_type = "'INITIATED' | 'PENDING' | 'SUCCESS' | 'FAILED' | (string & {})"))]
    pub status: Option<String>,
    pub email: Option<String>,
    /// e.g. `LOGIN`.
    pub workflow: Option<String>,
    /// RFC 3339.
    pub timestamp: Option<String>,
    pub environment_id: Option<String>,
    pub organization_id: Option<String>,
    pub client_id: Option<String>,
    pub client_name: Option<String>,
    pub client_type: Option<String>,
    pub connection_id: Option<String>,
    pub connection_provider: Option<String>,
    pub connection_type: Option<String>,
    pub connection_details: Vec<AuthLogConnectionDetails>,
    pub resource_id: Option<String>,
    pub resource_name: Option<String>,
    pub resource_type: Option<String>,
}

/// `auditlogsConnectionDetails`.
#[model]
pub struct AuthLogConnectionDetails {
    pub connection_id: Option<String>,
    pub connection_provider: Option<String>,
    pub connection_type: Option<String>,
    pub organization_id: Option<String>,
}

/// `ListAuthLogResponse`: one page, newest first.
#[model]
pub struct ListAuthRequestsResponse {
    /// The wire spells this key in camelCase.
    #[serde(rename = "authRequests", deserialize_with = "crate::models::null_as_default")]
    pub auth_requests: Vec<AuthLogRequest>,
    pub next_page_token: String,
    pub prev_page_token: String,
    pub total_size: u32,
}

/// Filters of `auditLogs.listAuthRequests`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ListAuthRequestsOptions {
    pub page_size: Option<f64>,
    pub page_token: Option<String>,
    pub email: Option<String>,
    #[cfg_attr(feature = "napi", napi(ts_type = "'INITIATED' | 'PENDING' | 'SUCCESS' | 'FAILED'"))]
    pub status: Option<String>,
    #[cfg_attr(feature = "napi", napi(ts_type = "TimestampInput"))]
    pub start_time: Option<super::Timestamp>,
    #[cfg_attr(feature = "napi", napi(ts_type = "TimestampInput"))]
    pub end_time: Option<super::Timestamp>,
    pub resource_id: Option<String>,
    pub client_id: Option<String>,
}

/// `mcpMcpConfig`: an MCP server Scalekit hosts for your agents, with the tools of each connection.
#[model]
pub struct McpConfig {
    /// `mcp_…`.
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// Where MCP clients connect.
    pub mcp_server_url: Option<String>,
    pub connection_tool_mappings: Vec<McpToolMapping>,
}

/// `mcpMcpConfigConnectionToolMapping`.
#[model]
pub struct McpToolMapping {
    pub connection_name: Option<String>,
    pub connection_id: Option<String>,
    pub provider: Option<String>,
    pub tools: Vec<String>,
    pub connected_account_id: Option<String>,
    pub connected_account_status: Option<String>,
}

/// `CreateMcpConfigResponse`, `GetMcpConfigResponse` and `UpdateMcpConfigResponse`.
#[model]
pub struct McpConfigResponse {
    pub config: McpConfig,
}

/// `ListMcpConfigsResponse`.
#[model]
pub struct ListMcpConfigsResponse {
    pub configs: Vec<McpConfig>,
    pub next_page_token: String,
    pub prev_page_token: String,
    pub total_size: u32,
}

/// `mcpMcpConnectionAuthState`: whether an identifier has authorized one connection of the config.
#[model]
pub struct McpConnectionAuthState {
    pub connection_id: Option<String>,
    pub connection_name: Option<String>,
    pub provider: Option<String>,
    pub connected_account_id: Option<String>,
    pub connected_account_status: Option<String>,
    /// With `includeAuthLink`, for a connection not authorized yet.
    pub authentication_link: Option<String>,
}

/// `ListMcpConnectedAccountsResponse`.
#[model]
pub struct ListMcpConnectedAccountsResponse {
    pub connected_accounts: Vec<McpConnectionAuthState>,
}

/// `CreateMcpSessionTokenResponse`.
#[model]
pub struct McpSessionTokenResponse {
    pub token: String,
    /// RFC 3339.
    pub expires_at: Option<String>,
}

/// A connection's tools in an MCP config (input).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default, Serialize)]
pub struct McpToolMappingInput {
    pub connection_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<String>>,
}

/// The MCP config to create.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default, Serialize)]
pub struct CreateMcpConfig {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_tool_mappings: Option<Vec<McpToolMappingInput>>,
}

/// Changes to an MCP config: only the fields given are sent.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default, Serialize)]
pub struct UpdateMcpConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_tool_mappings: Option<Vec<McpToolMappingInput>>,
}

/// `filter` of `mcp.listMcpConfigs`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct McpConfigFilter {
    pub id: Option<String>,
    pub name: Option<String>,
    pub provider: Option<String>,
    pub mcp_server_url: Option<String>,
}

/// Options of `mcp.listMcpConfigs`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ListMcpConfigsOptions {
    pub filter: Option<McpConfigFilter>,
    /// Free text.
    pub search: Option<String>,
    pub page_size: Option<f64>,
    pub page_token: Option<String>,
}

/// Options of `mcp.listMcpConnectedAccounts`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ListMcpConnectedAccountsOptions {
    /// Add an authorization link for each connection not authorized yet.
    pub include_auth_link: Option<bool>,
}

/// Options of `mcp.createMcpSessionToken`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct CreateMcpSessionTokenOptions {
    /// Lifetime in seconds (default: the server's, one hour).
    pub expires_in_seconds: Option<f64>,
}
