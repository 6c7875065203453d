use scalekit_core::models::*;

/// `client.providers`: custom providers (not in the official SDK).
#[scalekit_derive::sub_client(core = scalekit_core::ProvidersClient)]
impl ProvidersClient {
    /// `POST /api/v1/custom-providers`: a provider of your own (`displayName` required).
    fn create_custom_provider(provider: CustomProviderInput) -> ProviderResponse;
    /// `PUT /api/v1/custom-providers/{identifier}`: the fields given replace theirs.
    fn update_custom_provider(identifier: String, provider: CustomProviderInput) -> ProviderResponse;
    /// `DELETE /api/v1/custom-providers/{identifier}`.
    fn delete_custom_provider(identifier: String) -> Empty;
}

/// `client.auditLogs`: the authentication-request log (not in the official SDK).
#[scalekit_derive::sub_client(core = scalekit_core::AuditLogsClient)]
impl AuditLogsClient {
    /// `GET /api/v1/logs/authentication/requests`: sign-in attempts, newest first.
    fn list_auth_requests(options: Option<ListAuthRequestsOptions>) -> ListAuthRequestsResponse;
}

/// `client.mcp`: MCP servers Scalekit hosts for your agents (not in the official SDK).
#[scalekit_derive::sub_client(core = scalekit_core::McpClient)]
impl McpClient {
    /// `GET /api/v1/mcp/configs`.
    fn list_mcp_configs(options: Option<ListMcpConfigsOptions>) -> ListMcpConfigsResponse;
    /// `POST /api/v1/mcp/configs`.
    fn create_mcp_config(config: CreateMcpConfig) -> McpConfigResponse;
    /// `GET /api/v1/mcp/configs/{configId}`.
    fn get_mcp_config(config_id: String) -> McpConfigResponse;
    /// `PUT /api/v1/mcp/configs/{configId}`: changes the fields given, and only those.
    fn update_mcp_config(config_id: String, config: UpdateMcpConfig) -> McpConfigResponse;
    /// `DELETE /api/v1/mcp/configs/{configId}`.
    fn delete_mcp_config(config_id: String) -> Empty;
    /// `POST /api/v1/mcp/configs/{configId}/connected_accounts`: which of its connections `identifier` has authorized.
    fn list_mcp_connected_accounts(config_id: String, identifier: String, options: Option<ListMcpConnectedAccountsOptions>) -> ListMcpConnectedAccountsResponse;
    /// `POST /api/v1/mcp/configs/{configId}/tokens`: a session token for `identifier` on the config's MCP server.
    fn create_mcp_session_token(config_id: String, identifier: String, options: Option<CreateMcpSessionTokenOptions>) -> McpSessionTokenResponse;
}
