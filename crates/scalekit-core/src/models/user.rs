use scalekit_derive::WireShape;
use serde::{Deserialize, Serialize};

use std::collections::HashMap;

use super::{null_as_default, Role, WireRole};

/// `users.User`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct User {
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
    pub user: User,
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

impl<'a> WireCreateUser<'a> {
    pub(crate) fn from_request(req: &'a CreateUserRequest) -> Self {
        let profile = req.user_profile.as_ref();
        let phone_number = profile.and_then(|p| p.phone_number.as_deref()).or(req.phone_number.as_deref());
        let user_profile = if profile.is_some() || phone_number.is_some() {
            let mut wire = WireCreateUserProfile { phone_number, ..Default::default() };
            if let Some(p) = profile {
                wire.given_name = p.given_name.as_deref().or(p.first_name.as_deref());
                wire.family_name = p.family_name.as_deref().or(p.last_name.as_deref());
                wire.name = p.name.as_deref();
                wire.locale = p.locale.as_deref();
                wire.picture = p.picture.as_deref();
                wire.preferred_username = p.preferred_username.as_deref();
                wire.gender = p.gender.as_deref();
                wire.groups = p.groups.as_deref();
                wire.custom_attributes = p.custom_attributes.as_ref();
                wire.metadata = p.metadata.as_ref();
            }
            Some(wire)
        } else {
            None
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
