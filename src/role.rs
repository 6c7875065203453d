use scalekit_core::models::*;

/// `client.role`: roles of the environment and of organizations.
#[scalekit_derive::sub_client(core = scalekit_core::RoleClient)]
impl RoleClient {
    /// `POST /api/v1/roles`.
    fn create_role(role: CreateRole) -> RoleResponse;
    /// `GET /api/v1/roles/{roleName}` (`options.include` adds its permissions).
    fn get_role(role_name: String, options: Option<RoleIncludeOptions>) -> RoleResponse;
    /// `GET /api/v1/roles`: every role of the environment.
    fn list_roles(options: Option<RoleIncludeOptions>) -> ListRolesResponse;
    /// `PUT /api/v1/roles/{roleName}`: changes the fields given, and only those.
    fn update_role(role_name: String, role: UpdateRole) -> RoleResponse;
    /// `DELETE /api/v1/roles/{roleName}`; its users get `reassignRoleName` when given.
    fn delete_role(role_name: String, reassign_role_name: Option<String>) -> Empty;
    /// `DELETE /api/v1/roles/{roleName}/base`: the role stops extending its base role.
    fn delete_role_base(role_name: String) -> Empty;
    /// `GET /api/v1/roles/{roleName}/users:count`.
    fn get_role_users_count(role_name: String) -> RoleUsersCountResponse;
    /// `POST /api/v1/organizations/{orgId}/roles`: a role of one organization.
    fn create_organization_role(org_id: String, role: CreateRole) -> RoleResponse;
    /// `GET /api/v1/organizations/{orgId}/roles/{roleName}`.
    fn get_organization_role(org_id: String, role_name: String, options: Option<RoleIncludeOptions>) -> RoleResponse;
    /// `GET /api/v1/organizations/{orgId}/roles`: the organization's roles and the environment's.
    fn list_organization_roles(org_id: String, options: Option<RoleIncludeOptions>) -> ListRolesResponse;
    /// `PUT /api/v1/organizations/{orgId}/roles/{roleName}`: changes the fields given, and only those.
    fn update_organization_role(org_id: String, role_name: String, role: UpdateRole) -> RoleResponse;
    /// `DELETE /api/v1/organizations/{orgId}/roles/{roleName}`.
    fn delete_organization_role(org_id: String, role_name: String, reassign_role_name: Option<String>) -> Empty;
    /// `GET /api/v1/organizations/{orgId}/roles/{roleName}/users:count`.
    fn get_organization_role_users_count(org_id: String, role_name: String) -> RoleUsersCountResponse;
    /// `PATCH /api/v1/roles:set_defaults`: the roles given to organization creators and to new members.
    fn update_default_roles(options: Option<UpdateDefaultRolesOptions>) -> UpdateDefaultRolesResponse;
    /// `PATCH /api/v1/roles/default`: the spec's other route to `updateDefaultRoles`, same effect (not in the official SDK).
    fn set_default_roles(options: Option<UpdateDefaultRolesOptions>) -> UpdateDefaultRolesResponse;
    /// `GET /api/v1/roles/{roleName}/dependents`: the roles that extend this one.
    fn list_dependent_roles(role_name: String) -> ListRolesResponse;
    /// `PATCH /api/v1/organizations/{orgId}/roles:set_defaults`: the role new members of the organization get.
    fn update_default_organization_roles(org_id: String, default_member_role: String) -> UpdateDefaultOrganizationRolesResponse;
    /// `DELETE /api/v1/organizations/{orgId}/roles/{roleName}/base`.
    fn delete_organization_role_base(org_id: String, role_name: String) -> Empty;
}
