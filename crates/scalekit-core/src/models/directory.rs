//! SCIM directories and their users and groups.

use scalekit_derive::model;
use serde_json::{Map, Value};

use super::EnumValue;

/// `directoriesDirectory`: a directory (SCIM, LDAP or polled) of an organization.
#[model]
pub struct Directory {
    /// `dir_…`.
    pub id: String,
    pub name: Option<String>,
    pub organization_id: Option<String>,
    #[cfg_attr(feature = "napi", napi(ts_type = "'SCIM' | 'LDAP' | 'POLL' | (string & {})"))]
    pub directory_type: Option<String>,
    #[cfg_attr(feature = "napi", napi(ts_type = "DirectoryProviderName | (string & {})"))]
    pub directory_provider: Option<String>,
    pub enabled: bool,
    pub status: Option<String>,
    /// The SCIM base URL to give the identity provider.
    pub directory_endpoint: Option<String>,
    pub email: Option<String>,
    pub groups_tracked: Option<String>,
    pub total_users: u32,
    pub total_groups: u32,
    pub stats: Option<DirectoryStats>,
    /// The bearer secrets of the SCIM endpoint (their suffixes only).
    pub secrets: Vec<DirectorySecret>,
    pub attribute_mappings: Option<AttributeMappings>,
    pub role_assignments: Option<RoleAssignments>,
    /// RFC 3339.
    pub last_synced_at: Option<String>,
}

/// `directoriesStats`.
#[model]
pub struct DirectoryStats {
    pub total_users: u32,
    pub total_groups: u32,
    /// RFC 3339.
    pub user_updated_at: Option<String>,
    /// RFC 3339.
    pub group_updated_at: Option<String>,
}

/// `directoriesSecret`.
#[model]
pub struct DirectorySecret {
    pub id: Option<String>,
    pub directory_id: Option<String>,
    pub secret_suffix: Option<String>,
    pub status: Option<String>,
    /// RFC 3339.
    pub create_time: Option<String>,
    /// RFC 3339.
    pub expire_time: Option<String>,
    /// RFC 3339.
    pub last_used_time: Option<String>,
}

/// `directoriesAttributeMappings`.
#[model]
pub struct AttributeMappings {
    pub attributes: Vec<AttributeMapping>,
}

/// `directoriesAttributeMapping`: a directory attribute and the user field it fills.
#[model]
pub struct AttributeMapping {
    pub key: Option<String>,
    pub map_to: Option<String>,
}

/// `directoriesRoleAssignments`.
#[model]
pub struct RoleAssignments {
    pub assignments: Vec<RoleAssignment>,
}

/// `directoriesRoleAssignment`: members of a directory group get a role.
#[model]
pub struct RoleAssignment {
    pub group_id: Option<String>,
    pub role_name: Option<String>,
}

/// `directoriesDirectoryUser`.
#[model]
pub struct DirectoryUser {
    /// `diruser_…`.
    pub id: String,
    pub email: Option<String>,
    pub emails: Vec<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub preferred_username: Option<String>,
    pub groups: Vec<DirectoryGroup>,
    /// The user's raw SCIM resource, exactly as the provider sent it (keys unchanged),
    /// with `includeDetail: true`.
    pub user_detail: Option<Map<String, Value>>,
    /// RFC 3339.
    pub updated_at: Option<String>,
}

/// `directoriesDirectoryGroup`.
#[model]
pub struct DirectoryGroup {
    /// `dirgroup_…`.
    pub id: String,
    pub display_name: Option<String>,
    pub total_users: Option<u32>,
    /// The group's raw SCIM resource (keys unchanged), with `includeDetail: true`.
    pub group_detail: Option<Map<String, Value>>,
    /// RFC 3339.
    pub updated_at: Option<String>,
}

/// The result of `directory.getDirectory` and `directory.createDirectory`.
#[model]
pub struct DirectoryResponse {
    pub directory: Directory,
}

/// `ListDirectoriesResponse`: every directory of the organization.
#[model]
pub struct ListDirectoriesResponse {
    pub directories: Vec<Directory>,
}

/// `ListDirectoryUsersResponse`: one page.
#[model]
pub struct ListDirectoryUsersResponse {
    pub users: Vec<DirectoryUser>,
    pub next_page_token: String,
    pub prev_page_token: String,
    pub total_size: u32,
}

/// `ListDirectoryGroupsResponse`: one page.
#[model]
pub struct ListDirectoryGroupsResponse {
    pub groups: Vec<DirectoryGroup>,
    pub next_page_token: String,
    pub prev_page_token: String,
    pub total_size: u32,
}

/// The directory to create (the official `CreateDirectory`).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct CreateDirectory {
    /// `SCIM`, `LDAP`, `POLL`, or the official `DirectoryType` number.
    #[cfg_attr(feature = "napi", napi(ts_type = "'SCIM' | 'LDAP' | 'POLL' | number"))]
    pub directory_type: EnumValue,
    /// A name (`OKTA`, `MICROSOFT_AD`, …) or the official `DirectoryProvider` number.
    #[cfg_attr(feature = "napi", napi(ts_type = "DirectoryProviderName | number"))]
    pub directory_provider: EnumValue,
}

/// Options of `directory.listDirectoryUsers`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ListDirectoryUsersOptions {
    /// 1 to 30 (Scalekit's default: 10).
    pub page_size: Option<f64>,
    pub page_token: Option<String>,
    /// Include each user's raw SCIM resource (`userDetail`).
    pub include_detail: Option<bool>,
    /// Only members of this group (`dirgroup_…`).
    pub directory_group_id: Option<String>,
    /// Only users changed after this time: a `Date` or an RFC 3339 string.
    #[cfg_attr(feature = "napi", napi(ts_type = "TimestampInput"))]
    pub updated_after: Option<super::Timestamp>,
}

/// Options of `directory.listDirectoryGroups`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ListDirectoryGroupsOptions {
    /// 1 to 30 (Scalekit's default: 10).
    pub page_size: Option<f64>,
    pub page_token: Option<String>,
    /// Include each group's raw SCIM resource (`groupDetail`).
    pub include_detail: Option<bool>,
    /// Only groups changed after this time: a `Date` or an RFC 3339 string.
    #[cfg_attr(feature = "napi", napi(ts_type = "TimestampInput"))]
    pub updated_after: Option<super::Timestamp>,
    /// Also the groups of the external provider, with their details (not in the official SDK).
    pub include_external_groups: Option<bool>,
}
