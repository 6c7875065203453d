use scalekit_derive::WireShape;
use serde::{Deserialize, Serialize};

use std::collections::HashMap;

use super::{lenient_u32, null_as_default, Role, WireRole};

/// `users.User`: a user of the environment, as the users API gives it. Named `ScalekitUser` because `User` is the
/// signed-in user among the official SDK's top-level types.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct ScalekitUser {
    #[serde(deserialize_with = "null_as_default")]
    pub id: String,
    #[serde(deserialize_with = "null_as_default")]
    pub email: String,
    /// RFC 3339.
    #[serde(deserialize_with = "null_as_default")]
    pub create_time: String,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_time: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_login_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub metadata: HashMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_profile: Option<UserProfile>,
    #[serde(deserialize_with = "null_as_default")]
    pub memberships: Vec<OrganizationMembership>,
    /// Sent by the API though not in its public spec; the official SDK has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment_id: Option<String>,
}

/// `commons.UserProfile`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct UserProfile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number_verified: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub picture: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub groups: Vec<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub custom_attributes: HashMap<String, String>,
    #[serde(deserialize_with = "null_as_default")]
    pub metadata: HashMap<String, String>,
    #[serde(deserialize_with = "null_as_default")]
    pub external_identities: Vec<ExternalIdentity>,
    /// The older names of `givenName` and `familyName`, still sent by the API and read by code
    /// written for the official SDK.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
}

/// `commons.ExternalIdentity`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct ExternalIdentity {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_provider: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_social: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_login_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_synced_time: Option<String>,
}

/// `commons.OrganizationMembership`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct OrganizationMembership {
    #[serde(deserialize_with = "null_as_default")]
    pub organization_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "napi",
        napi(ts_type = "'ACTIVE' | 'INACTIVE' | 'PENDING_INVITE' | 'INVITE_EXPIRED' | (string & {})")
    )]
    pub membership_status: Option<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub roles: Vec<Role>,
    #[serde(deserialize_with = "null_as_default")]
    pub permissions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inviter_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisioning_method: Option<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub metadata: HashMap<String, String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub join_time: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted_at: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

/// `CreateUserAndMembershipResponse`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct CreateUserAndMembershipResponse {
    #[serde(deserialize_with = "null_as_default")]
    pub user: ScalekitUser,
}

/// Second argument of `user.createUserAndMembership`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct CreateUserRequest {
    pub email: String,
    pub external_id: Option<String>,
    /// Sent as `user_profile.phone_number` unless the profile sets its own.
    pub phone_number: Option<String>,
    pub user_profile: Option<CreateUserProfile>,
    pub metadata: Option<HashMap<String, String>>,
    pub membership: Option<CreateMembership>,
    /// Defaults to Scalekit's default (send the email).
    pub send_invitation_email: Option<bool>,
}

/// Profile of a new user. `firstName`/`lastName` are the official SDK's names
/// for the wire's `given_name`/`family_name`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct CreateUserProfile {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub name: Option<String>,
    pub locale: Option<String>,
    pub phone_number: Option<String>,
    pub picture: Option<String>,
    pub preferred_username: Option<String>,
    pub gender: Option<String>,
    pub groups: Option<Vec<String>>,
    pub custom_attributes: Option<HashMap<String, String>>,
    pub metadata: Option<HashMap<String, String>>,
}

/// Membership created with the user.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct CreateMembership {
    pub roles: Option<Vec<Role>>,
    pub metadata: Option<HashMap<String, String>>,
    pub inviter_email: Option<String>,
}

/// The `usersCreateUser` body, borrowed from the caller's request.
#[derive(Debug, Serialize)]
pub(crate) struct WireCreateUser<'a> {
    pub email: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<&'a HashMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_profile: Option<WireCreateUserProfile<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub membership: Option<WireCreateMembership<'a>>,
}

#[derive(Debug, Default, Serialize)]
pub(crate) struct WireCreateUserProfile<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub picture: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_username: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_attributes: Option<&'a HashMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<&'a HashMap<String, String>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct WireCreateMembership<'a> {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<WireRole<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<&'a HashMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inviter_email: Option<&'a str>,
}

impl<'a> WireCreateUserProfile<'a> {
    /// The wire profile of a JS profile: `firstName`/`lastName` are the official names of `given_name`/`family_name`.
    pub(crate) fn from_profile(p: &'a CreateUserProfile) -> Self {
        WireCreateUserProfile {
            given_name: p.given_name.as_deref().or(p.first_name.as_deref()),
            family_name: p.family_name.as_deref().or(p.last_name.as_deref()),
            name: p.name.as_deref(),
            locale: p.locale.as_deref(),
            phone_number: p.phone_number.as_deref(),
            picture: p.picture.as_deref(),
            preferred_username: p.preferred_username.as_deref(),
            gender: p.gender.as_deref(),
            groups: p.groups.as_deref(),
            custom_attributes: p.custom_attributes.as_ref(),
            metadata: p.metadata.as_ref(),
        }
    }
}

impl<'a> WireCreateUser<'a> {
    pub(crate) fn from_request(req: &'a CreateUserRequest) -> Self {
        let profile = req.user_profile.as_ref();
        let phone_number = profile.and_then(|p| p.phone_number.as_deref()).or(req.phone_number.as_deref());
        let user_profile = match profile {
            Some(p) => Some(WireCreateUserProfile { phone_number, ..WireCreateUserProfile::from_profile(p) }),
            None => phone_number.map(|phone_number| WireCreateUserProfile { phone_number: Some(phone_number), ..Default::default() }),
        };
        WireCreateUser {
            email: req.email.trim(),
            external_id: req.external_id.as_deref(),
            metadata: req.metadata.as_ref(),
            user_profile,
            membership: req.membership.as_ref().map(|m| WireCreateMembership {
                roles: m.roles.iter().flatten().map(WireRole::from).collect(),
                metadata: m.metadata.as_ref(),
                inviter_email: m.inviter_email.as_deref(),
            }),
        }
    }
}

/// The result of the calls that answer with one user: `getUser`, `getUserByExternalId`,
/// `updateUser`, `updateUserByExternalId`, `createMembership`, `updateMembership` and their
/// by-external-id forms (the official `GetUserResponse`, `UpdateUserResponse`,
/// `CreateMembershipResponse` and `UpdateMembershipResponse`).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct UserResponse {
    #[serde(deserialize_with = "null_as_default")]
    pub user: ScalekitUser,
}

/// A page of users: `listUsers`, `listOrganizationUsers`, `searchUsers` and `searchOrganizationUsers`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct ListUsersResponse {
    #[serde(deserialize_with = "null_as_default")]
    pub users: Vec<ScalekitUser>,
    /// Empty on the last page.
    #[serde(deserialize_with = "null_as_default")]
    pub next_page_token: String,
    /// Empty on the first page.
    #[serde(deserialize_with = "null_as_default")]
    pub prev_page_token: String,
    #[serde(deserialize_with = "lenient_u32")]
    pub total_size: u32,
}

/// `usersInvite`: a pending invitation to an organization.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct Invite {
    #[serde(deserialize_with = "null_as_default")]
    pub organization_id: String,
    #[serde(deserialize_with = "null_as_default")]
    pub user_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inviter_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resent_at: Option<String>,
    #[serde(deserialize_with = "lenient_u32")]
    pub resent_count: u32,
}

/// `ResendInviteResponse`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct ResendInviteResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invite: Option<Invite>,
}

/// A user's roles in an organization: `listUserRoles` and `assignUserRoles` (the official
/// `ListUserRolesResponse` and `AssignUserRolesResponse`).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct ListUserRolesResponse {
    #[serde(deserialize_with = "null_as_default")]
    pub roles: Vec<Role>,
}

/// `usersPermission`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct UserPermission {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// In the official SDK's model; the public spec leaves it out.
    #[serde(deserialize_with = "null_as_default")]
    pub tags: Vec<String>,
}

/// `ListUserPermissionsResponse`: what a user may do in an organization, roles and their inheritance resolved.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct ListUserPermissionsResponse {
    #[serde(deserialize_with = "null_as_default")]
    pub permissions: Vec<UserPermission>,
}

/// Second argument of `user.updateUser`: only the fields given are sent. The official type's
/// `email` is accepted and ignored, as there: the API cannot change a user's email.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct UpdateUserRequest {
    /// Ignored: the API has no way to change it (as in the official SDK).
    pub email: Option<String>,
    pub external_id: Option<String>,
    /// The whole profile the API takes, not only the official `firstName`/`lastName`.
    pub user_profile: Option<CreateUserProfile>,
    pub metadata: Option<HashMap<String, String>>,
}

/// The `v1usersUpdateUser` body.
#[derive(Debug, Serialize)]
pub(crate) struct WireUpdateUser<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_profile: Option<WireCreateUserProfile<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<&'a HashMap<String, String>>,
}

impl<'a> WireUpdateUser<'a> {
    pub(crate) fn from_request(req: &'a UpdateUserRequest) -> Self {
        WireUpdateUser {
            external_id: req.external_id.as_deref(),
            user_profile: req.user_profile.as_ref().map(WireCreateUserProfile::from_profile),
            metadata: req.metadata.as_ref(),
        }
    }
}

/// Options of `user.createMembership` and `createMembershipByExternalId`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct CreateMembershipOptions {
    /// Role names.
    pub roles: Option<Vec<String>>,
    pub metadata: Option<HashMap<String, String>>,
    /// Defaults to Scalekit's default (send the email).
    pub send_invitation_email: Option<bool>,
    /// Shown in the invitation. Not in the official SDK.
    pub inviter_email: Option<String>,
}

/// Options of `user.updateMembership` and `updateMembershipByExternalId`: only the fields given
/// are sent (the official SDK always sends empty roles and metadata, which may wipe them).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct UpdateMembershipOptions {
    /// Role names: replaces the membership's roles.
    pub roles: Option<Vec<String>>,
    /// Replaces the membership's metadata.
    pub metadata: Option<HashMap<String, String>>,
}

/// The `v1usersCreateMembership` / `v1usersUpdateMembership` body.
#[derive(Debug, Serialize)]
pub(crate) struct WireMembership<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<WireRole<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<&'a HashMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inviter_email: Option<&'a str>,
}

impl<'a> WireMembership<'a> {
    pub(crate) fn new(roles: Option<&'a [String]>, metadata: Option<&'a HashMap<String, String>>, inviter_email: Option<&'a str>) -> Self {
        WireMembership { roles: roles.map(|r| r.iter().map(|name| WireRole::named(name)).collect()), metadata, inviter_email }
    }
}

/// Options of `user.listUsers` and `user.listOrganizationUsers`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ListUsersOptions {
    /// Users per page (Scalekit takes 1 to 100).
    pub page_size: Option<f64>,
    /// `nextPageToken` or `prevPageToken` of an earlier page.
    pub page_token: Option<String>,
}
