use scalekit_derive::WireShape;
use serde::{Deserialize, Serialize};

use std::collections::HashMap;

use super::{lenient_u32, null_as_default};

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

#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct OrganizationSettings {
    #[serde(deserialize_with = "null_as_default")]
    pub features: Vec<OrganizationSettingsFeature>,
}

#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
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
