use scalekit_core::models::*;

/// `client.actions`: the agent-auth facade over `tools` and `connectedAccounts` (connections named
/// `connectionName`), and `request` to call a provider's API through Scalekit's proxy.
#[scalekit_derive::sub_client(core = scalekit_core::ActionsClient)]
impl ActionsClient {
    /// `tools.executeTool`, with the tool's input as `toolInput`.
    fn execute_tool(params: ActionExecuteToolParams) -> ExecuteToolResponse;
    /// `connectedAccounts.getMagicLinkForConnectedAccount`.
    fn get_authorization_link(params: ActionAccountParams) -> MagicLinkResponse;
    /// `connectedAccounts.verifyConnectedAccountUser`.
    fn verify_connected_account_user(params: VerifyConnectedAccountUserParams) -> VerifyConnectedAccountUserResponse;
    /// `connectedAccounts.listConnectedAccounts` (`connectionName` filters by connection).
    fn list_connected_accounts(params: Option<ListConnectedAccountsOptions>) -> ListConnectedAccountsResponse;
    /// `connection.listAppConnections`, normalised: `provider` is the provider key, `connectionName` the key id.
    fn list_connections(params: Option<ListAppConnectionsOptions>) -> ListAppConnectionsResult;
    /// `connectedAccounts.deleteConnectedAccount`.
    fn delete_connected_account(params: ActionAccountParams) -> Empty;
    /// `connectedAccounts.getConnectedAccountByIdentifier`: the account with its credentials.
    fn get_connected_account(params: ActionAccountParams) -> ConnectedAccountResponse;
    /// `connectedAccounts.createConnectedAccount`.
    fn create_connected_account(params: ActionAccountParams) -> ConnectedAccountResponse;
    /// `connectedAccounts.getOrCreateConnectedAccount`.
    fn get_or_create_connected_account(params: ActionAccountParams) -> ConnectedAccountResponse;
    /// The same function as `getOrCreateConnectedAccount`.
    #[alias_of(get_or_create_connected_account)]
    fn upsert_connected_account(params: ActionAccountParams) -> ConnectedAccountResponse;
    /// `connectedAccounts.updateConnectedAccount`.
    fn update_connected_account(params: ActionAccountParams) -> ConnectedAccountResponse;
    /// `ANY /proxy{path}`: calls the provider's API with the account's credentials. The normal path: a 401
    /// gets one re-authentication and replay; an error status rejects. Resolves to `{ status, headers, body }`.
    fn request(params: ProxyRequestParams) -> ProxyResponse;
}
