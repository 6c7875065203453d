//! Agent tools: the catalogue, scoped and available tools, and executions.

use scalekit_derive::model;
use serde_json::{Map, Value};

/// `toolsTool`: a tool of a provider. `definition` (name, description, input schema) is
/// arbitrary JSON and keeps its keys as sent.
#[model]
pub struct Tool {
    pub id: String,
    pub provider: Option<String>,
    /// e.g. `{ name, description, input_schema }`, keys unchanged.
    pub definition: Option<Map<String, Value>>,
    /// Keys unchanged.
    pub metadata: Option<Map<String, Value>>,
    pub tags: Vec<String>,
    pub is_default: bool,
    /// RFC 3339.
    pub updated_at: Option<String>,
}

/// `toolsScopedTool`: a tool an identifier can use through one of its connected accounts.
#[model]
pub struct ScopedTool {
    pub tool: Option<Tool>,
    pub connected_account_id: Option<String>,
    pub identifier: Option<String>,
}

/// `ListToolsResponse`.
#[model]
pub struct ListToolsResponse {
    pub tools: Vec<Tool>,
    pub tool_names: Vec<String>,
    pub next_page_token: String,
    pub prev_page_token: String,
    pub total_size: u32,
}

/// `ListScopedToolsResponse`.
#[model]
pub struct ListScopedToolsResponse {
    pub tools: Vec<ScopedTool>,
    pub next_page_token: String,
    pub prev_page_token: String,
    pub total_size: u32,
}

/// `ListAvailableToolsResponse`.
#[model]
pub struct ListAvailableToolsResponse {
    pub tools: Vec<Tool>,
    pub next_page_token: String,
    pub prev_page_token: String,
    pub total_size: u32,
}

/// `ExecuteToolResponse`: what the tool returned (keys unchanged).
#[model]
pub struct ExecuteToolResponse {
    pub data: Option<Map<String, Value>>,
    pub execution_id: String,
}

/// `filter` of `tools.listTools`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ToolFilter {
    /// Names and descriptions only.
    pub summary: Option<bool>,
    pub provider: Option<String>,
    pub identifier: Option<String>,
    pub tool_name: Option<Vec<String>>,
    /// Free text.
    pub query: Option<String>,
    pub connector: Option<String>,
    pub organization_id: Option<String>,
    pub user_id: Option<String>,
    pub connected_account_id: Option<String>,
}

/// Options of `tools.listTools`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ListToolsOptions {
    pub filter: Option<ToolFilter>,
    pub page_size: Option<f64>,
    pub page_token: Option<String>,
}

/// `filter` of `tools.listScopedTools`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ScopedToolFilter {
    pub providers: Option<Vec<String>>,
    pub tool_names: Option<Vec<String>>,
    pub connection_names: Option<Vec<String>>,
}

/// Options of `tools.listScopedTools`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ListScopedToolsOptions {
    pub filter: Option<ScopedToolFilter>,
    pub page_size: Option<f64>,
    pub page_token: Option<String>,
}

/// Paging of `tools.listAvailableTools`, `connectedAccounts.searchConnectedAccounts` and other lists.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct PageOptions {
    pub page_size: Option<f64>,
    pub page_token: Option<String>,
}

/// What `tools.executeTool` runs, and for whom.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ExecuteToolParams {
    pub tool_name: String,
    /// Whose connected account runs it (with `connector`), or …
    pub identifier: Option<String>,
    /// … the account itself.
    pub connected_account_id: Option<String>,
    /// The tool's input, sent with its keys unchanged.
    #[cfg_attr(feature = "napi", napi(ts_type = "Record<string, unknown>"))]
    pub params: Option<Map<String, Value>>,
    pub connector: Option<String>,
    pub organization_id: Option<String>,
    pub user_id: Option<String>,
    /// Groups executions of one agent run (not in the official SDK).
    pub agent_run_id: Option<String>,
}
