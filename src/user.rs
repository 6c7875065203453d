use scalekit_core::models::*;

/// `client.user`.
#[scalekit_derive::sub_client(core = scalekit_core::UserClient)]
impl UserClient {
    /// `POST /api/v1/organizations/{organizationId}/users`: creates a user and its membership of the organization.
    fn create_user_and_membership(organization_id: String, options: CreateUserRequest) -> CreateUserAndMembershipResponse;
    /// `GET /api/v1/users/{userId}`: one user, with their memberships.
    fn get_user(user_id: String) -> UserResponse;
    /// `GET /api/v1/users`: a page of the environment's users.
    fn list_users(options: Option<ListUsersOptions>) -> ListUsersResponse;
    /// `PATCH /api/v1/users/{userId}`: changes the fields given, and only those (the whole profile may be set).
    fn update_user(user_id: String, options: UpdateUserRequest) -> UserResponse;
    /// `DELETE /api/v1/users/{userId}`.
    fn delete_user(user_id: String) -> Empty;
    /// `POST /api/v1/memberships/organizations/{organizationId}/users/{userId}`: adds a user to an organization.
    fn create_membership(organization_id: String, user_id: String, options: Option<CreateMembershipOptions>) -> UserResponse;
    /// `DELETE /api/v1/memberships/organizations/{organizationId}/users/{userId}`: removes a user from an organization.
    fn delete_membership(organization_id: String, user_id: String) -> Empty;
    /// `PATCH /api/v1/memberships/organizations/{organizationId}/users/{userId}`: changes the roles or metadata given, and only those.
    fn update_membership(organization_id: String, user_id: String, options: Option<UpdateMembershipOptions>) -> UserResponse;
    /// `GET /api/v1/organizations/{organizationId}/users`: a page of an organization's users.
    fn list_organization_users(organization_id: String, options: Option<ListUsersOptions>) -> ListUsersResponse;
    /// `PATCH /api/v1/invites/organizations/{organizationId}/users/{userId}/resend`: sends a pending invitation again.
    fn resend_invite(organization_id: String, user_id: String) -> ResendInviteResponse;
    /// `GET /api/v1/organizations/{organizationId}/users/{userId}/roles`: the user's roles in the organization.
    fn list_user_roles(organization_id: String, user_id: String) -> ListUserRolesResponse;
    /// `GET /api/v1/organizations/{organizationId}/users/{userId}/permissions`: what the user may do in the organization.
    fn list_user_permissions(organization_id: String, user_id: String) -> ListUserPermissionsResponse;
    /// `GET /api/v1/users:search`: users whose email, id or external id match `query`.
    fn search_users(query: String, page_size: Option<f64>, page_token: Option<String>) -> ListUsersResponse;
    /// `GET /api/v1/organizations/{organizationId}/users:search`: the organization's users matching `query`.
    fn search_organization_users(organization_id: String, query: String, page_size: Option<f64>, page_token: Option<String>) -> ListUsersResponse;
    /// `POST /api/v1/organizations/{organizationId}/users/{userId}/roles`: gives the user these roles (by name).
    fn assign_user_roles(organization_id: String, user_id: String, roles: Vec<String>) -> ListUserRolesResponse;
    /// `DELETE /api/v1/organizations/{organizationId}/users/{userId}/roles/{roleName}`.
    fn remove_user_role(organization_id: String, user_id: String, role_name: String) -> Empty;
    /// `GET /api/v1/users:external/{externalId}`: the user with your external id.
    fn get_user_by_external_id(external_id: String) -> UserResponse;
    /// `PATCH /api/v1/users:external/{externalId}`: changes the fields given, and only those.
    fn update_user_by_external_id(external_id: String, options: UpdateUserRequest) -> UserResponse;
    /// `DELETE /api/v1/users:external/{externalId}`.
    fn delete_user_by_external_id(external_id: String) -> Empty;
    /// `POST /api/v1/memberships/organizations/{organizationId}/users:external/{externalId}`.
    fn create_membership_by_external_id(organization_id: String, external_id: String, options: Option<CreateMembershipOptions>) -> UserResponse;
    /// `DELETE /api/v1/memberships/organizations/{organizationId}/users:external/{externalId}`.
    fn delete_membership_by_external_id(organization_id: String, external_id: String) -> Empty;
    /// `PATCH /api/v1/memberships/organizations/{organizationId}/users:external/{externalId}`: changes the roles or metadata given.
    fn update_membership_by_external_id(organization_id: String, external_id: String, options: Option<UpdateMembershipOptions>) -> UserResponse;
}
