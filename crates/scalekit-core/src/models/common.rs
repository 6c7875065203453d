use scalekit_derive::WireShape;
use serde::{Deserialize, Serialize};

use super::null_as_default;

/// `scalekit.v1.errdetails.ErrorInfo`, one entry of an error's `details`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct ErrorInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation_error_info: Option<ValidationErrorInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub debug_info: Option<DebugInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_info: Option<RequestInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_info: Option<ResourceInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help_info: Option<HelpInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub localized_message_info: Option<LocalizedMessageInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_error_info: Option<ToolErrorInfo>,
}

#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct ValidationErrorInfo {
    #[serde(deserialize_with = "null_as_default")]
    pub field_violations: Vec<FieldViolation>,
}

#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct FieldViolation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constraint: Option<String>,
}

#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct DebugInfo {
    #[serde(deserialize_with = "null_as_default")]
    pub stack_entries: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct RequestInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serving_data: Option<String>,
}

#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct ResourceInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub required_permissions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct HelpInfo {
    #[serde(deserialize_with = "null_as_default")]
    pub links: Vec<HelpLink>,
}

#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct HelpLink {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct LocalizedMessageInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct ToolErrorInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_error_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_error_message: Option<String>,
}

/// `commons.Role`: a role as carried by memberships. Also what callers pass to
/// assign roles, where `name` is the usual key.
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct Role {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

/// A role in a request body: snake_case on the wire.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct WireRole<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
}

impl<'a> From<&'a Role> for WireRole<'a> {
    fn from(role: &'a Role) -> Self {
        WireRole { id: role.id.as_deref(), name: role.name.as_deref() }
    }
}
