use scalekit_core::models::*;

/// `client.tools`: the tools agents call. Each attempt is bounded by `toolTimeoutMs` (default 60 s).
#[scalekit_derive::sub_client(core = scalekit_core::ToolsClient)]
impl ToolsClient {
    /// `GET /api/v1/tools`: the catalogue, filtered.
    fn list_tools(options: Option<ListToolsOptions>) -> ListToolsResponse;
    /// `GET /api/v1/tools/scoped`: the tools `identifier` can use through its connected accounts.
    fn list_scoped_tools(identifier: String, options: Option<ListScopedToolsOptions>) -> ListScopedToolsResponse;
    /// `GET /api/v1/tools/available`: the tools of the providers `identifier` has connected.
    fn list_available_tools(identifier: String, options: Option<PageOptions>) -> ListAvailableToolsResponse;
    /// `POST /api/v1/execute_tool`: runs a tool; a provider failure rejects with a `ScalekitTool*Exception` (never retried).
    fn execute_tool(params: ExecuteToolParams) -> ExecuteToolResponse;
}
