use scalekit_derive::WireShape;
use serde::{Deserialize, Serialize};

use std::collections::HashMap;

use super::{lenient_opt_u32, lenient_u32, null_as_default, EnumValue, Nullable};

/// `organizations.Organization`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct Organization {
    #[serde(deserialize_with = "null_as_default")]
    pub id: String,
    #[serde(deserialize_with = "null_as_default")]
    pub display_name: String,
    /// RFC 3339.
    #[serde(deserialize_with = "null_as_default")]
    pub create_time: String,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "napi", napi(ts_type = "'US' | 'EU' | (string & {})"))]
    pub region_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub metadata: HashMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<OrganizationSettings>,
}

/// An organization's feature switches; also the input of `updateOrganizationSettings`
/// (its JSON is the same in either case: `features: [{ name, enabled }]`).
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct OrganizationSettings {
    #[serde(deserialize_with = "null_as_default")]
    pub features: Vec<OrganizationSettingsFeature>,
}

#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct OrganizationSettingsFeature {
    #[cfg_attr(feature = "napi", napi(ts_type = "'sso' | 'dir_sync' | (string & {})"))]
    #[serde(deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(deserialize_with = "null_as_default")]
    pub enabled: bool,
}

/// `ListOrganizationsResponse`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct ListOrganizationsResponse {
    #[serde(deserialize_with = "null_as_default")]
    pub organizations: Vec<Organization>,
    /// Empty on the last page.
    #[serde(deserialize_with = "null_as_default")]
    pub next_page_token: String,
    /// Empty on the first page.
    #[serde(deserialize_with = "null_as_default")]
    pub prev_page_token: String,
    #[serde(deserialize_with = "lenient_u32")]
    pub total_size: u32,
}

/// Options of `organization.listOrganizations`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ListOrganizationsOptions {
    /// Organizations per page: a positive whole number (Scalekit accepts 10 to 100).
    pub page_size: Option<f64>,
    /// `nextPageToken` or `prevPageToken` of an earlier page.
    pub page_token: Option<String>,
    /// Only the organization with this external id.
    pub external_id: Option<String>,
}

/// The result of `createOrganization`, `getOrganization`, `getOrganizationByExternalId`,
/// `updateOrganization`, `updateOrganizationByExternalId` and `updateOrganizationSettings`
/// (the official `CreateOrganizationResponse`, `GetOrganizationResponse` and `UpdateOrganizationResponse`).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct OrganizationResponse {
    #[serde(deserialize_with = "null_as_default")]
    pub organization: Organization,
}

/// The empty answer of deletes.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct Empty {}

fn blank(value: &Option<String>) -> bool {
    value.as_deref().is_none_or(str::is_empty)
}

/// Options of `organization.createOrganization(name, options)`. Blank values are left out, as the official SDK does.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub struct CreateOrganizationOptions {
    /// Your own id for the organization, unique in the environment.
    #[serde(skip_serializing_if = "blank")]
    pub external_id: Option<String>,
    /// An https URL of at most 1024 characters.
    #[serde(skip_serializing_if = "blank")]
    pub logo_url: Option<String>,
    /// A DNS-label slug, unique in the environment.
    #[serde(skip_serializing_if = "blank")]
    pub slug: Option<String>,
    /// Where its data lives: a name, or the official SDK's `RegionCode` number (`US` = 1, `EU` = 2). Not in the official SDK.
    #[serde(skip)]
    #[cfg_attr(feature = "napi", napi(ts_type = "'US' | 'EU' | 1 | 2"))]
    pub region_code: Option<EnumValue>,
    /// Your key-value data. Not in the official SDK.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<HashMap<String, String>>,
}

/// The `v1organizationsCreateOrganization` body.
#[derive(Debug, Serialize)]
pub(crate) struct WireCreateOrganization<'a> {
    pub display_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_code: Option<&'static str>,
    #[serde(flatten)]
    pub options: &'a CreateOrganizationOptions,
}

/// The fields `organization.updateOrganization` changes; those left out are not sent, so they
/// keep their value. An empty string clears a field.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub struct UpdateOrganization {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// Replaces the organization's metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<HashMap<String, String>>,
}

/// An admin-portal link (`organizationsLink`), valid for a minute.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct Link {
    /// `lnk_…`.
    #[serde(deserialize_with = "null_as_default")]
    pub id: String,
    /// The URL to send the organization's admin to.
    #[serde(deserialize_with = "null_as_default")]
    pub location: String,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expire_time: Option<String>,
}

/// Options of `organization.generatePortalLink`. Not in the official SDK.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct GeneratePortalLinkOptions {
    /// What the portal shows; by default, everything.
    #[cfg_attr(feature = "napi", napi(ts_type = "Array<'sso' | 'dir_sync' | (string & {})>"))]
    pub features: Option<Vec<String>>,
}

/// An organization's session policy (`organizationsOrganizationSessionPolicySettings`).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct OrganizationSessionPolicySettings {
    /// `APPLICATION`: the environment's policy applies; `CUSTOM`: the values below.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "napi", napi(ts_type = "'APPLICATION' | 'CUSTOM' | (string & {})"))]
    pub policy_source: Option<String>,
    #[serde(deserialize_with = "lenient_u32")]
    pub absolute_session_timeout: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "napi", napi(ts_type = "'MINUTES' | 'HOURS' | 'DAYS' | (string & {})"))]
    pub absolute_session_timeout_unit: Option<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub idle_session_timeout_enabled: bool,
    #[serde(deserialize_with = "lenient_u32")]
    pub idle_session_timeout: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "napi", napi(ts_type = "'MINUTES' | 'HOURS' | 'DAYS' | (string & {})"))]
    pub idle_session_timeout_unit: Option<String>,
}

/// The input of `organization.updateOrganizationSessionPolicy`. Enum values are names
/// (`"CUSTOM"`, `"HOURS"`) or the official SDK's numbers (`SessionPolicyType.CUSTOM` = 2, `TimeUnit.HOURS` = 2).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct OrganizationSessionPolicyInput {
    #[cfg_attr(feature = "napi", napi(ts_type = "'APPLICATION' | 'CUSTOM' | 1 | 2"))]
    pub policy_source: EnumValue,
    /// Required with `CUSTOM`.
    pub absolute_session_timeout: Option<f64>,
    /// Required with `CUSTOM`.
    #[cfg_attr(feature = "napi", napi(ts_type = "'MINUTES' | 'HOURS' | 'DAYS' | 1 | 2 | 3"))]
    pub absolute_session_timeout_unit: Option<EnumValue>,
    pub idle_session_timeout_enabled: Option<bool>,
    pub idle_session_timeout: Option<f64>,
    #[cfg_attr(feature = "napi", napi(ts_type = "'MINUTES' | 'HOURS' | 'DAYS' | 1 | 2 | 3"))]
    pub idle_session_timeout_unit: Option<EnumValue>,
}

/// The `OrganizationServiceUpdateOrganizationSessionPolicyBody`.
#[derive(Debug, Serialize)]
pub(crate) struct WireSessionPolicy {
    pub policy_source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub absolute_session_timeout: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub absolute_session_timeout_unit: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idle_session_timeout_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idle_session_timeout: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idle_session_timeout_unit: Option<&'static str>,
}

/// An organization's user-management settings (`organizationsOrganizationUserManagementSettings`).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct OrganizationUserManagementSettings {
    /// Unset: no limit.
    #[serde(deserialize_with = "lenient_opt_u32", skip_serializing_if = "Option::is_none")]
    pub max_allowed_users: Option<u32>,
}

/// The result of `organization.getOrganizationUserManagementSetting`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct GetOrganizationUserManagementSettingsResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<OrganizationUserManagementSettings>,
}

/// The input of `organization.upsertUserManagementSettings`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct OrganizationUserManagementSettingsInput {
    /// A whole number; `null` or left out: not sent.
    #[cfg_attr(feature = "napi", napi(ts_type = "number | null"))]
    pub max_allowed_users: Option<Nullable<f64>>,
}
