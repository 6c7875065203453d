use scalekit_core::models::*;

/// `client.user`.
#[scalekit_derive::sub_client(core = scalekit_core::UserClient)]
impl UserClient {
    /// `POST /api/v1/organizations/{organizationId}/users`: creates a user and its membership of the organization.
    fn create_user_and_membership(organization_id: String, options: CreateUserRequest) -> CreateUserAndMembershipResponse;
}
