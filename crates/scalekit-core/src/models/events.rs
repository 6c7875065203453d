//! The event log (`listEventsPaginated`) and the "bring your own auth" login user.

use scalekit_derive::model;
use serde_json::{Map, Value};

/// `ScalekitEvent`: one event as stored, the same envelope webhooks carry.
#[model]
pub struct ScalekitEvent {
    /// `evt_…`.
    pub id: String,
    /// e.g. `organization.created`.
    pub r#type: String,
    pub spec_version: Option<String>,
    /// RFC 3339.
    pub occurred_at: Option<String>,
    pub environment_id: Option<String>,
    pub organization_id: Option<String>,
    /// `ObjectType` name, e.g. `Organization`.
    pub object: Option<String>,
    pub display_name: Option<String>,
    /// The resource as the event carried it, keys unchanged (snake_case, as sent).
    pub data: Option<Map<String, Value>>,
}

/// `ListEventsPaginatedResponse` (no total count).
#[model]
pub struct ListEventsResponse {
    pub events: Vec<ScalekitEvent>,
    pub next_page_token: String,
    pub prev_page_token: String,
}

/// Which events to list (the official `EventFilter`).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub event_types: Option<Vec<String>>,
    #[cfg_attr(feature = "napi", napi(ts_type = "TimestampInput"))]
    pub start_time: Option<super::Timestamp>,
    #[cfg_attr(feature = "napi", napi(ts_type = "TimestampInput"))]
    pub end_time: Option<super::Timestamp>,
    pub organization_id: Option<String>,
    /// `SCALEKIT` or `DIR_SYNC`, or the official `Source` number (1, 2).
    #[cfg_attr(feature = "napi", napi(ts_type = "'SCALEKIT' | 'DIR_SYNC' | 1 | 2"))]
    pub source: Option<super::EnumValue>,
    pub auth_request_id: Option<String>,
    pub interceptor_id: Option<String>,
    pub interceptor_status: Option<String>,
    pub interceptor_decision: Option<String>,
    pub connection_id: Option<String>,
    pub connected_account_id: Option<String>,
}

/// `UpdateLoginUserDetailsResponse`.
#[model]
pub struct UpdateLoginUserDetailsResponse {
    pub auth_request_id: Option<String>,
}

/// The user your own login page authenticated (the official `auth.User`): Scalekit
/// finishes the login with these details.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct LoginUserDetails {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number_verified: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub picture: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<String>>,
    /// Any JSON object; sent with its keys unchanged.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "napi", napi(ts_type = "Record<string, unknown>"))]
    pub custom_attributes: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_external_name: Option<String>,
    /// The login failed on your side: Scalekit ends it as failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login_failed: Option<bool>,
}
