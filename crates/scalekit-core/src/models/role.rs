//! Roles (of the environment and of organizations) and permissions.

use scalekit_derive::model;

/// `v1rolesRole`: a role and what it grants (the official `roles.Role`; `Role` here is the short form in memberships).
#[model]
pub struct RoleDefinition {
    /// `role_…`.
    pub id: String,
    /// Unique in its scope, e.g. `admin`.
    pub name: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    /// The base role this one inherits permissions from.
    pub extends: Option<String>,
    pub is_org_role: bool,
    pub default_creator: bool,
    pub default_member: bool,
    /// How many roles extend this one.
    pub dependent_roles_count: u32,
    /// With `include: 'permissions'` (direct ones) or `'permissions:all'` (inherited too).
    pub permissions: Vec<RolePermission>,
}

/// `rolesRolePermission`: a permission as a role holds it.
#[model]
pub struct RolePermission {
    pub id: Option<String>,
    pub name: String,
    pub description: Option<String>,
    /// The role it comes from (the base role for an inherited one).
    pub role_name: Option<String>,
    /// RFC 3339.
    pub create_time: Option<String>,
    /// RFC 3339.
    pub update_time: Option<String>,
}

/// `rolesPermission`.
#[model]
pub struct Permission {
    /// `perm_…`.
    pub id: Option<String>,
    /// e.g. `invoices:read`.
    pub name: String,
    pub description: Option<String>,
    /// Predefined by Scalekit (not created in the environment).
    pub is_scalekit_permission: bool,
    /// RFC 3339.
    pub create_time: Option<String>,
    /// RFC 3339.
    pub update_time: Option<String>,
}

/// The result of `createRole`, `getRole`, `updateRole` and their organization variants.
#[model]
pub struct RoleResponse {
    pub role: RoleDefinition,
}

/// `ListRolesResponse` (also `ListOrganizationRolesResponse`, `ListDependentRolesResponse`).
#[model]
pub struct ListRolesResponse {
    pub roles: Vec<RoleDefinition>,
}

/// `GetRoleUsersCountResponse` (and the organization variant).
#[model]
pub struct RoleUsersCountResponse {
    /// int64 on the wire (a JSON string), a number here.
    pub count: i64,
}

/// `UpdateDefaultRolesResponse`.
#[model]
pub struct UpdateDefaultRolesResponse {
    pub default_creator: Option<RoleDefinition>,
    pub default_member: Option<RoleDefinition>,
}

/// `UpdateDefaultOrganizationRolesResponse`.
#[model]
pub struct UpdateDefaultOrganizationRolesResponse {
    pub default_member: Option<RoleDefinition>,
}

/// The result of `createPermission`, `getPermission` and `updatePermission`.
#[model]
pub struct PermissionResponse {
    pub permission: Permission,
}

/// `ListPermissionsResponse`: one page.
#[model]
pub struct ListPermissionsResponse {
    pub permissions: Vec<Permission>,
    pub next_page_token: String,
    pub prev_page_token: String,
    pub total_size: u32,
}

/// `ListRolePermissionsResponse` (also `AddPermissionsToRoleResponse`, `ListEffectiveRolePermissionsResponse`).
#[model]
pub struct ListRolePermissionsResponse {
    pub permissions: Vec<RolePermission>,
}

/// The role to create (the official `CreateRole`, also `CreateOrganizationRole`).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CreateRole {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The name of a base role to inherit permissions from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// Permission names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<String>>,
}

/// The changes to a role (the official `UpdateRole`): only the fields given are sent.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct UpdateRole {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// Permission names: the role's whole set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<String>>,
}

/// The permission to create or update (the official `CreatePermission`).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CreatePermission {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Options of `role.getRole`, `role.listRoles` and their organization variants (not in the official SDK).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct RoleIncludeOptions {
    /// `'permissions'`: the role's own permissions; `'permissions:all'`: inherited ones too.
    #[cfg_attr(feature = "napi", napi(ts_type = "'permissions' | 'permissions:all'"))]
    pub include: Option<String>,
}

/// Options of `role.updateDefaultRoles`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct UpdateDefaultRolesOptions {
    /// The role given to whoever creates an organization.
    pub default_creator_role: Option<String>,
    /// The role given to new members.
    pub default_member_role: Option<String>,
}

/// Options of `permission.listPermissions` (not in the official SDK).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ListPermissionsOptions {
    /// `SCALEKIT`: predefined ones; `ENVIRONMENT`: yours; `ALL` (default): both.
    #[cfg_attr(feature = "napi", napi(ts_type = "'ALL' | 'SCALEKIT' | 'ENVIRONMENT' | 0 | 1 | 2"))]
    pub r#type: Option<EnumValue>,
}

use super::EnumValue;
