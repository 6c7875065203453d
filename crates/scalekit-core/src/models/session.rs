use scalekit_derive::WireShape;
use serde::{Deserialize, Serialize};

use super::{lenient_u32, null_as_default};

/// `sessionsSessionDetails`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct SessionDetails {
    /// `ses_…`.
    #[serde(deserialize_with = "null_as_default")]
    pub session_id: String,
    #[serde(deserialize_with = "null_as_default")]
    pub user_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub authenticated_organizations: Vec<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub authenticated_clients: Vec<AuthenticatedClient>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "napi", napi(ts_type = "'ACTIVE' | 'EXPIRED' | 'REVOKED' | 'LOGOUT' | (string & {})"))]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<DeviceDetails>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_active_at: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idle_expires_at: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub absolute_expires_at: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expired_at: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logout_at: Option<String>,
}

/// `sessionsAuthenticatedClients`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct AuthenticatedClient {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
}

/// `sessionsDeviceDetails`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct DeviceDetails {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub browser: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub browser_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<SessionLocation>,
}

/// `v1sessionsLocation`: approximate, from the IP address.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct SessionLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_subdivision: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latitude: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub longitude: Option<String>,
}

/// `sessionsUserSessionDetails`: one page of a user's sessions.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct UserSessionDetails {
    #[serde(deserialize_with = "null_as_default")]
    pub sessions: Vec<SessionDetails>,
    #[serde(deserialize_with = "null_as_default")]
    pub next_page_token: String,
    #[serde(deserialize_with = "null_as_default")]
    pub prev_page_token: String,
    #[serde(deserialize_with = "lenient_u32")]
    pub total_size: u32,
}

/// `sessionsRevokedSessionDetails`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct RevokedSessionDetails {
    #[serde(deserialize_with = "null_as_default")]
    pub session_id: String,
    #[serde(deserialize_with = "null_as_default")]
    pub user_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "napi", napi(ts_type = "'ACTIVE' | 'EXPIRED' | 'REVOKED' | 'LOGOUT' | (string & {})"))]
    pub status: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_active_at: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idle_expires_at: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub absolute_expires_at: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expired_at: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logout_at: Option<String>,
}

/// `RevokeSessionResponse`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct RevokeSessionResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_session: Option<RevokedSessionDetails>,
}

/// `RevokeAllUserSessionsResponse`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct RevokeAllUserSessionsResponse {
    #[serde(deserialize_with = "null_as_default")]
    pub revoked_sessions: Vec<RevokedSessionDetails>,
    #[serde(deserialize_with = "lenient_u32")]
    pub total_revoked: u32,
}

/// Options of `session.getUserSessions`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct UserSessionsOptions {
    pub page_size: Option<f64>,
    pub page_token: Option<String>,
    pub filter: Option<UserSessionFilter>,
}

/// Which of a user's sessions `session.getUserSessions` lists.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct UserSessionFilter {
    /// e.g. `['ACTIVE']`.
    pub status: Option<Vec<String>>,
    /// Sessions created at or after this time: a `Date` or an RFC 3339 string.
    #[cfg_attr(feature = "napi", napi(ts_type = "TimestampInput"))]
    pub start_time: Option<super::Timestamp>,
    /// Sessions created before this time: a `Date` or an RFC 3339 string.
    #[cfg_attr(feature = "napi", napi(ts_type = "TimestampInput"))]
    pub end_time: Option<super::Timestamp>,
}
