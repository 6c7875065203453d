use scalekit_core::models::*;

/// `client.connectedAccounts`: end users' credentials at third-party providers.
#[scalekit_derive::sub_client(core = scalekit_core::ConnectedAccountsClient)]
impl ConnectedAccountsClient {
    /// `GET /api/v1/connected_accounts`: a page of accounts (no credentials).
    fn list_connected_accounts(options: Option<ListConnectedAccountsOptions>) -> ListConnectedAccountsResponse;
    /// `POST /api/v1/connected_accounts`.
    fn create_connected_account(params: ConnectedAccountParams) -> ConnectedAccountResponse;
    /// The account by connector and identifier: fetched, updated when `authorizationDetails` are given, or created (not atomic).
    fn get_or_create_connected_account(params: ConnectedAccountParams) -> ConnectedAccountResponse;
    /// The same function as `getOrCreateConnectedAccount`.
    #[alias_of(get_or_create_connected_account)]
    fn upsert_connected_account(params: ConnectedAccountParams) -> ConnectedAccountResponse;
    /// `PUT /api/v1/connected_accounts`: replaces the credentials or settings given.
    fn update_connected_account(params: ConnectedAccountParams) -> ConnectedAccountResponse;
    /// `POST /api/v1/connected_accounts:delete`.
    fn delete_connected_account(params: ConnectedAccountParams) -> Empty;
    /// `POST /api/v1/connected_accounts/magic_link`: a link for the end user to authorize the account.
    fn get_magic_link_for_connected_account(params: ConnectedAccountParams) -> MagicLinkResponse;
    /// `POST /api/v1/connected_accounts/user/verify`: your page verified the user; finishes the authorization.
    fn verify_connected_account_user(params: VerifyConnectedAccountUserParams) -> VerifyConnectedAccountUserResponse;
    /// `GET /api/v1/connected_accounts/auth`: the account with its credentials.
    fn get_connected_account_by_identifier(params: ConnectedAccountParams) -> ConnectedAccountResponse;
    /// `GET /api/v1/connected_accounts/details`: the account without its credentials (not in the official SDK).
    fn get_connected_account_details(params: ConnectedAccountParams) -> ConnectedAccountResponse;
    /// `GET /api/v1/connected_accounts:search`: accounts matching `query` (not in the official SDK).
    fn search_connected_accounts(query: String, options: Option<SearchConnectedAccountsOptions>) -> ListConnectedAccountsResponse;
}
