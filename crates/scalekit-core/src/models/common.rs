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

impl<'a> WireRole<'a> {
    pub(crate) fn named(name: &'a str) -> Self {
        WireRole { id: None, name: Some(name) }
    }
}

impl<'a> From<&'a Role> for WireRole<'a> {
    fn from(role: &'a Role) -> Self {
        WireRole { id: role.id.as_deref(), name: role.name.as_deref() }
    }
}

/// An enum value from JS: its name (`"HOURS"`) or the official SDK's protobuf number (`2`),
/// so that code still importing enums from `@scalekit-sdk/node` keeps working.
#[derive(Debug, Clone, PartialEq)]
pub enum EnumValue {
    Name(String),
    Number(f64),
}

impl Default for EnumValue {
    fn default() -> Self {
        EnumValue::Name(String::new())
    }
}

impl EnumValue {
    /// The wire name; `names` lists the enum in protobuf order, `names[0]` being the unspecified value.
    pub fn resolve(&self, field: &str, names: &[&'static str]) -> crate::Result<&'static str> {
        let found = match self {
            EnumValue::Name(name) => names.iter().skip(1).find(|n| n.eq_ignore_ascii_case(name.trim())).copied(),
            EnumValue::Number(n) if n.fract() == 0.0 && *n >= 1.0 => names.get(*n as usize).copied(),
            EnumValue::Number(_) => None,
        };
        found.ok_or_else(|| {
            let choices = names.iter().enumerate().skip(1).map(|(i, n)| format!("{n} ({i})")).collect::<Vec<_>>().join(", ");
            crate::Error::invalid(field, format!("{field} must be one of {choices}"))
        })
    }
}

#[cfg(feature = "napi")]
impl napi::bindgen_prelude::TypeName for EnumValue {
    fn type_name() -> &'static str {
        "string | number"
    }
    fn value_type() -> napi::ValueType {
        napi::ValueType::Unknown
    }
}

#[cfg(feature = "napi")]
impl napi::bindgen_prelude::ValidateNapiValue for EnumValue {}

#[cfg(feature = "napi")]
impl napi::bindgen_prelude::FromNapiValue for EnumValue {
    unsafe fn from_napi_value(env: napi::sys::napi_env, value: napi::sys::napi_value) -> napi::Result<Self> {
        let mut kind = 0;
        napi::check_status!(unsafe { napi::sys::napi_typeof(env, value, &mut kind) })?;
        match kind {
            napi::sys::ValueType::napi_number => Ok(EnumValue::Number(unsafe { f64::from_napi_value(env, value)? })),
            napi::sys::ValueType::napi_string => Ok(EnumValue::Name(unsafe { String::from_napi_value(env, value)? })),
            _ => Err(napi::Error::new(napi::Status::StringExpected, "Failed to convert napi value into rust type `String`")),
        }
    }
}

/// A JS value that may be `null` (napi-rs reads `null` into a plain `Option` field as an error).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Nullable<T>(pub Option<T>);

#[cfg(feature = "napi")]
impl<T: napi::bindgen_prelude::TypeName> napi::bindgen_prelude::TypeName for Nullable<T> {
    fn type_name() -> &'static str {
        T::type_name()
    }
    fn value_type() -> napi::ValueType {
        napi::ValueType::Unknown
    }
}

#[cfg(feature = "napi")]
impl<T: napi::bindgen_prelude::FromNapiValue + napi::bindgen_prelude::TypeName> napi::bindgen_prelude::ValidateNapiValue for Nullable<T> {}

#[cfg(feature = "napi")]
impl<T: napi::bindgen_prelude::FromNapiValue> napi::bindgen_prelude::FromNapiValue for Nullable<T> {
    unsafe fn from_napi_value(env: napi::sys::napi_env, value: napi::sys::napi_value) -> napi::Result<Self> {
        let mut kind = 0;
        napi::check_status!(unsafe { napi::sys::napi_typeof(env, value, &mut kind) })?;
        if kind == napi::sys::ValueType::napi_null || kind == napi::sys::ValueType::napi_undefined {
            return Ok(Nullable(None));
        }
        Ok(Nullable(Some(unsafe { T::from_napi_value(env, value)? })))
    }
}

/// A point in time from JS: a `Date` (as milliseconds since the epoch), an RFC 3339 string, or
/// the official SDK's `google.protobuf.Timestamp` (`{ seconds, nanos }`, as `timestampFromDate` makes).
#[derive(Debug, Clone, PartialEq)]
pub enum Timestamp {
    Millis(f64),
    Text(String),
    Seconds { seconds: i64, nanos: i64 },
}

impl Timestamp {
    /// The RFC 3339 text the API takes (UTC, `Z`).
    /// The time as unix seconds (fractions kept).
    pub fn unix_seconds(&self, field: &str) -> crate::Result<f64> {
        let invalid = || crate::Error::invalid(field, format!("{field} must be a valid Date, unix milliseconds, or an RFC 3339 time"));
        match self {
            Timestamp::Millis(ms) if ms.is_finite() => Ok(ms / 1000.0),
            Timestamp::Seconds { seconds, nanos } if (0..1_000_000_000).contains(nanos) => Ok(*seconds as f64 + *nanos as f64 / 1e9),
            Timestamp::Text(text) => {
                let at = time::OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339).map_err(|_| invalid())?;
                Ok(at.unix_timestamp_nanos() as f64 / 1e9)
            }
            _ => Err(invalid()),
        }
    }

    pub fn rfc3339(&self, field: &str) -> crate::Result<String> {
        use time::format_description::well_known::Rfc3339;
        let invalid = || crate::Error::invalid(field, format!("{field} must be a valid Date or an RFC 3339 time such as 2026-01-31T12:00:00Z"));
        let at = match self {
            Timestamp::Millis(ms) if ms.is_finite() => {
                time::OffsetDateTime::from_unix_timestamp_nanos((*ms as i128) * 1_000_000).map_err(|_| invalid())?
            }
            Timestamp::Millis(_) => return Err(invalid()),
            Timestamp::Text(text) => time::OffsetDateTime::parse(text.trim(), &Rfc3339).map_err(|_| invalid())?,
            Timestamp::Seconds { seconds, nanos } if (0..1_000_000_000).contains(nanos) => {
                time::OffsetDateTime::from_unix_timestamp_nanos(*seconds as i128 * 1_000_000_000 + *nanos as i128).map_err(|_| invalid())?
            }
            Timestamp::Seconds { .. } => return Err(invalid()),
        };
        at.to_offset(time::UtcOffset::UTC).format(&Rfc3339).map_err(|_| invalid())
    }
}

#[cfg(feature = "napi")]
impl napi::bindgen_prelude::TypeName for Timestamp {
    fn type_name() -> &'static str {
        "TimestampInput"
    }
    fn value_type() -> napi::ValueType {
        napi::ValueType::Unknown
    }
}

#[cfg(feature = "napi")]
impl napi::bindgen_prelude::ValidateNapiValue for Timestamp {}

#[cfg(feature = "napi")]
impl napi::bindgen_prelude::FromNapiValue for Timestamp {
    unsafe fn from_napi_value(env: napi::sys::napi_env, value: napi::sys::napi_value) -> napi::Result<Self> {
        let mut is_date = false;
        napi::check_status!(unsafe { napi::sys::napi_is_date(env, value, &mut is_date) })?;
        if is_date {
            let mut ms = 0.0;
            napi::check_status!(unsafe { napi::sys::napi_get_date_value(env, value, &mut ms) })?;
            return Ok(Timestamp::Millis(ms));
        }
        let mut kind = 0;
        napi::check_status!(unsafe { napi::sys::napi_typeof(env, value, &mut kind) })?;
        if kind == napi::sys::ValueType::napi_string {
            return Ok(Timestamp::Text(unsafe { String::from_napi_value(env, value)? }));
        }
        if kind == napi::sys::ValueType::napi_object {
            if let Some(seconds) = unsafe { whole_property(env, value, c"seconds")? } {
                let nanos = unsafe { whole_property(env, value, c"nanos")? }.unwrap_or(0);
                return Ok(Timestamp::Seconds { seconds, nanos });
            }
        }
        Err(napi::Error::new(napi::Status::DateExpected, "Failed to convert napi value into rust type `Date`"))
    }
}

/// A whole-number property given as a bigint, a number or a decimal string (protobuf-es writes
/// int64 as bigint); `None` when absent. Anything else is a conversion error.
#[cfg(feature = "napi")]
unsafe fn whole_property(env: napi::sys::napi_env, object: napi::sys::napi_value, name: &std::ffi::CStr) -> napi::Result<Option<i64>> {
    use napi::bindgen_prelude::FromNapiValue;
    use napi::sys::ValueType;
    /// `napi_bigint`, which napi-sys declares only for Node-API 6.
    const BIGINT: i32 = 9;
    let mut property = std::ptr::null_mut();
    napi::check_status!(unsafe { napi::sys::napi_get_named_property(env, object, name.as_ptr(), &mut property) })?;
    let mut kind = 0;
    napi::check_status!(unsafe { napi::sys::napi_typeof(env, property, &mut kind) })?;
    let not_whole = || napi::Error::new(napi::Status::DateExpected, "Failed to convert napi value into rust type `Date`");
    match kind {
        ValueType::napi_undefined | ValueType::napi_null => Ok(None),
        BIGINT => {
            // Read through its decimal text: the bigint functions need Node-API 6, this crate targets 5.
            let mut text = std::ptr::null_mut();
            napi::check_status!(unsafe { napi::sys::napi_coerce_to_string(env, property, &mut text) })?;
            unsafe { String::from_napi_value(env, text)? }.parse().map(Some).map_err(|_| not_whole())
        }
        ValueType::napi_number => {
            let number = unsafe { f64::from_napi_value(env, property)? };
            (number.fract() == 0.0 && number.abs() < 9.0e15).then_some(Some(number as i64)).ok_or_else(not_whole)
        }
        ValueType::napi_string => unsafe { String::from_napi_value(env, property)? }.trim().parse().map(Some).map_err(|_| not_whole()),
        _ => Err(not_whole()),
    }
}

/// Enum names in protobuf order (index = the official SDK's number).
pub mod enum_names {
    pub const SESSION_POLICY_TYPE: &[&str] = &["SESSION_POLICY_TYPE_UNSPECIFIED", "APPLICATION", "CUSTOM"];
    pub const TIME_UNIT: &[&str] = &["SESSION_TIME_UNIT_UNSPECIFIED", "MINUTES", "HOURS", "DAYS"];
    pub const REGION_CODE: &[&str] = &["REGION_CODE_UNSPECIFIED", "US", "EU"];
    pub const DOMAIN_TYPE: &[&str] = &["DOMAIN_TYPE_UNSPECIFIED", "ALLOWED_EMAIL_DOMAIN", "ORGANIZATION_DOMAIN"];
    pub const CONNECTION_PROVIDER: &[&str] = &[
        "CONNECTION_PROVIDER_UNSPECIFIED", "OKTA", "GOOGLE", "MICROSOFT_AD", "AUTH0", "ONELOGIN", "PING_IDENTITY", "JUMPCLOUD", "CUSTOM", "GITHUB",
        "GITLAB", "LINKEDIN", "SALESFORCE", "MICROSOFT", "IDP_SIMULATOR", "SCALEKIT", "ADFS",
    ];
    pub const CONNECTION_TYPE: &[&str] = &[
        "INVALID", "OIDC", "SAML", "PASSWORD", "OAUTH", "PASSWORDLESS", "BASIC", "BEARER", "API_KEY", "WEBAUTHN", "OAUTH_M2M", "TRELLO_OAUTH1",
        "GOOGLE_DWD", "TRUSTED_IDP", "SMART_FHIR", "NO_AUTH",
    ];
    pub const DIRECTORY_TYPE: &[&str] = &["DIRECTORY_TYPE_UNSPECIFIED", "SCIM", "LDAP", "POLL"];
    pub const DIRECTORY_PROVIDER: &[&str] =
        &["DIRECTORY_PROVIDER_UNSPECIFIED", "OKTA", "GOOGLE", "MICROSOFT_AD", "AUTH0", "ONELOGIN", "JUMPCLOUD", "PING_IDENTITY"];
    /// `ALL` is 0 in the official enum: a number 0 means `ALL` here (the one enum whose zero is a real choice).
    pub const TEMPLATE_TYPE: &[&str] = &["UNSPECIFIED", "SIGNIN", "SIGNUP"];
    pub const SOURCE: &[&str] = &["SOURCE_UNSPECIFIED", "SCALEKIT", "DIR_SYNC"];
    pub const PERMISSION_TYPE: &[&str] = &["ALL", "SCALEKIT", "ENVIRONMENT"];
}
