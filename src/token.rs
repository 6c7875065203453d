use scalekit_core::models::*;

/// `client.token`: opaque API tokens of organizations and users (not JWTs).
#[scalekit_derive::sub_client(core = scalekit_core::TokenClient)]
impl TokenClient {
    /// `POST /api/v1/tokens`: a new token; the result's `token` is the secret, returned only here.
    fn create_token(organization_id: String, options: Option<CreateTokenOptions>) -> CreateTokenResponse;
    /// `POST /api/v1/tokens:validate`: what the token stands for; a refused token rejects with `ScalekitValidateTokenFailureException`.
    fn validate_token(token: String) -> TokenInfoResponse;
    /// `POST /api/v1/tokens:invalidate`: the token stops working.
    fn invalidate_token(token: String) -> Empty;
    /// `GET /api/v1/tokens`: a page of the organization's (or a user's) tokens.
    fn list_tokens(organization_id: String, options: Option<ListTokensOptions>) -> ListTokensResponse;
    /// `POST /api/v1/tokens:update`: merges claims (an empty value removes one) and sets the description.
    fn update_token(token: String, options: Option<UpdateTokenOptions>) -> TokenInfoResponse;
}
