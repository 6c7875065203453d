use scalekit_core::models::*;

/// `client.auth`: finishing a login your own page authenticated ("bring your own auth").
#[scalekit_derive::sub_client(core = scalekit_core::AuthClient)]
impl AuthClient {
    /// `POST /api/v1/connections/{connectionId}/auth-requests/{loginRequestId}/user`: the user your page authenticated.
    fn update_login_user_details(connection_id: String, login_request_id: String, user: LoginUserDetails) -> UpdateLoginUserDetailsResponse;
}
