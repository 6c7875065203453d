//! API (M2M) clients of organizations.

use std::collections::HashMap;

use scalekit_derive::model;

/// `clientsM2MClient`: an organization's API client.
#[model]
pub struct M2MClient {
    /// `m2morg_…`: the OAuth `client_id`.
    pub client_id: String,
    pub organization_id: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    /// `[{ key, value }]`, as the API gives them.
    pub custom_claims: Vec<CustomClaim>,
    pub audience: Vec<String>,
    pub scopes: Vec<String>,
    /// Lifetime of its access tokens, in seconds (int64 on the wire, a number here).
    pub expiry: Option<i64>,
    pub secrets: Vec<ClientSecret>,
    pub redirect_uris: Vec<String>,
    pub resource_id: Option<String>,
    pub metadata_uri: Option<String>,
    pub is_cimd: Option<bool>,
    pub is_dcr: Option<bool>,
    /// RFC 3339.
    pub create_time: Option<String>,
    /// RFC 3339.
    pub update_time: Option<String>,
}

/// `clientsCustomClaim`.
#[model]
pub struct CustomClaim {
    pub key: String,
    pub value: String,
}

/// `clientsClientSecret`: a client secret; only its suffix after creation.
#[model]
pub struct ClientSecret {
    pub id: String,
    pub secret_suffix: Option<String>,
    pub status: Option<String>,
    pub created_by: Option<String>,
    /// Set only in the answer that created it.
    pub plain_secret: Option<String>,
    /// RFC 3339.
    pub create_time: Option<String>,
    /// RFC 3339.
    pub update_time: Option<String>,
    /// RFC 3339.
    pub expire_time: Option<String>,
    /// RFC 3339.
    pub last_used_time: Option<String>,
}

/// `CreateOrganizationClientResponse`: `plainSecret` is shown only here.
#[model]
pub struct CreateOrganizationClientResponse {
    pub client: M2MClient,
    pub plain_secret: String,
}

/// `GetOrganizationClientResponse` and `UpdateOrganizationClientResponse`.
#[model]
pub struct OrganizationClientResponse {
    pub client: M2MClient,
}

/// `CreateOrganizationClientSecretResponse`: `plainSecret` is shown only here.
#[model]
pub struct CreateOrganizationClientSecretResponse {
    pub plain_secret: String,
    pub secret: Option<ClientSecret>,
}

/// `ListOrganizationClientsResponse`: one page.
#[model]
pub struct ListOrganizationClientsResponse {
    pub clients: Vec<M2MClient>,
    pub next_page_token: String,
    pub prev_page_token: String,
    pub total_size: u32,
}

/// Options of `m2m.createOrganizationClient` and `m2m.updateOrganizationClient`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct OrganizationClientOptions {
    pub name: Option<String>,
    pub description: Option<String>,
    /// Claims added to its access tokens (sent as `[{ key, value }]`).
    pub custom_claims: Option<HashMap<String, String>>,
    pub audience: Option<Vec<String>>,
    pub scopes: Option<Vec<String>>,
    /// Lifetime of its access tokens, in seconds (not in the official SDK).
    pub expiry: Option<f64>,
}

/// Options of `m2m.listOrganizationClients`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ListOrganizationClientsOptions {
    /// 10 to 100.
    pub page_size: Option<f64>,
    pub page_token: Option<String>,
}
