use scalekit_core::models::*;

/// `client.permission`: permissions, and the permissions of roles.
#[scalekit_derive::sub_client(core = scalekit_core::PermissionClient)]
impl PermissionClient {
    /// `POST /api/v1/permissions`.
    fn create_permission(permission: CreatePermission) -> PermissionResponse;
    /// `GET /api/v1/permissions/{permissionName}`.
    fn get_permission(permission_name: String) -> PermissionResponse;
    /// `GET /api/v1/permissions`: a page of permissions. The official order: the page token first, then the size.
    fn list_permissions(page_token: Option<String>, page_size: Option<f64>, options: Option<ListPermissionsOptions>) -> ListPermissionsResponse;
    /// `PUT /api/v1/permissions/{permissionName}`.
    fn update_permission(permission_name: String, permission: CreatePermission) -> PermissionResponse;
    /// `DELETE /api/v1/permissions/{permissionName}` (it is removed from every role too).
    fn delete_permission(permission_name: String) -> Empty;
    /// `GET /api/v1/roles/{roleName}/permissions`: the role's own permissions.
    fn list_role_permissions(role_name: String) -> ListRolePermissionsResponse;
    /// `POST /api/v1/roles/{roleName}/permissions`: adds permissions (by name) to the role.
    fn add_permissions_to_role(role_name: String, permission_names: Vec<String>) -> ListRolePermissionsResponse;
    /// `DELETE /api/v1/roles/{roleName}/permissions/{permissionName}`.
    fn remove_permission_from_role(role_name: String, permission_name: String) -> Empty;
    /// `GET /api/v1/roles/{roleName}/permissions:all`: the role's permissions and those it inherits.
    fn list_effective_role_permissions(role_name: String) -> ListRolePermissionsResponse;
}
