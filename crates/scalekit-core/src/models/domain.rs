use scalekit_derive::WireShape;
use serde::{Deserialize, Serialize};

use super::{lenient_u32, null_as_default, EnumValue};

/// `domainsDomain`: a domain of an organization.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct Domain {
    /// `dom_…`.
    #[serde(deserialize_with = "null_as_default")]
    pub id: String,
    /// The domain name, e.g. `acme.com`.
    #[serde(deserialize_with = "null_as_default")]
    pub domain: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "napi", napi(ts_type = "'ALLOWED_EMAIL_DOMAIN' | 'ORGANIZATION_DOMAIN' | (string & {})"))]
    pub domain_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "napi", napi(ts_type = "'PENDING' | 'VERIFIED' | 'FAILED' | 'AUTO_VERIFIED' | (string & {})"))]
    pub verification_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "napi", napi(ts_type = "'ADMIN' | 'DNS' | 'NOT_APPLICABLE' | (string & {})"))]
    pub verification_method: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_time: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_time: Option<String>,
    /// The DNS TXT record that proves ownership: its name and its value. Like the two fields
    /// after them, sent by the API and in the official SDK, though not in the public spec.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub txt_record_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub txt_record_secret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
}

/// The result of `domain.createDomain` and `domain.getDomain` (the official `CreateDomainResponse` and `GetDomainResponse`).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct DomainResponse {
    #[serde(deserialize_with = "null_as_default")]
    pub domain: Domain,
}

/// `ListDomainResponse`: one page of domains, by page number (0-based).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, WireShape)]
#[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
pub struct ListDomainResponse {
    #[serde(deserialize_with = "null_as_default")]
    pub domains: Vec<Domain>,
    #[serde(deserialize_with = "lenient_u32")]
    pub page_size: u32,
    #[serde(deserialize_with = "lenient_u32")]
    pub page_number: u32,
}

/// Options of `domain.createDomain`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct CreateDomainOptions {
    /// A name, or the official SDK's `DomainType` number (`ALLOWED_EMAIL_DOMAIN` = 1, `ORGANIZATION_DOMAIN` = 2).
    #[cfg_attr(feature = "napi", napi(ts_type = "'ALLOWED_EMAIL_DOMAIN' | 'ORGANIZATION_DOMAIN' | (string & {}) | 1 | 2"))]
    pub domain_type: Option<EnumValue>,
}

/// Options of `domain.listDomains`. Paging by page number is not in the official SDK.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ListDomainsOptions {
    #[cfg_attr(feature = "napi", napi(ts_type = "'ALLOWED_EMAIL_DOMAIN' | 'ORGANIZATION_DOMAIN' | (string & {}) | 1 | 2"))]
    pub domain_type: Option<EnumValue>,
    /// Domains per page, 1 to 100 (Scalekit's default: 30).
    pub page_size: Option<f64>,
    /// 0-based.
    pub page_number: Option<f64>,
}
