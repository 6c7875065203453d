//! SSO connections (`connectionsConnection`, `connectionsListConnection`) and their configuration.

use std::collections::HashMap;

use scalekit_derive::model;

use super::{Domain, EnumValue};

/// `connectionsConnection`: an SSO (or other) connection with its whole configuration.
/// Only the configuration of the connection's `type` is set.
#[model]
pub struct Connection {
    /// `conn_…`.
    pub id: String,
    #[cfg_attr(feature = "napi", napi(ts_type = "ConnectionProviderName | (string & {})"))]
    pub provider: Option<String>,
    #[cfg_attr(feature = "napi", napi(ts_type = "ConnectionTypeName | (string & {})"))]
    pub r#type: Option<String>,
    #[cfg_attr(feature = "napi", napi(ts_type = "'DRAFT' | 'IN_PROGRESS' | 'COMPLETED' | (string & {})"))]
    pub status: Option<String>,
    pub enabled: bool,
    pub debug_enabled: bool,
    pub organization_id: Option<String>,
    /// Your key for the provider (e.g. `okta`).
    pub provider_key: Option<String>,
    pub key_id: Option<String>,
    /// The organization's domains that route to this connection.
    pub domains: Vec<Domain>,
    /// IdP attribute → Scalekit user field.
    pub attribute_mapping: HashMap<String, String>,
    #[cfg_attr(feature = "napi", napi(ts_type = "'DISCOVERY' | 'MANUAL' | (string & {})"))]
    pub configuration_type: Option<String>,
    pub test_connection_uri: Option<String>,
    pub mcp_server_url: Option<String>,
    pub oidc_config: Option<OidcConnectionConfig>,
    pub saml_config: Option<SamlConnectionConfig>,
    pub oauth_config: Option<OAuthConnectionConfig>,
    pub passwordless_config: Option<PasswordlessConfig>,
    pub webauthn_config: Option<WebAuthnConfig>,
    pub static_config: Option<StaticAuthConfig>,
    pub google_dwd_config: Option<GoogleDwdConfig>,
    /// RFC 3339.
    pub create_time: Option<String>,
    /// RFC 3339.
    pub update_time: Option<String>,
}

/// `connectionsOIDCConnectionConfig`.
#[model]
pub struct OidcConnectionConfig {
    pub issuer: Option<String>,
    pub discovery_endpoint: Option<String>,
    pub authorize_uri: Option<String>,
    pub token_uri: Option<String>,
    pub user_info_uri: Option<String>,
    pub jwks_uri: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    #[cfg_attr(feature = "napi", napi(ts_type = "Array<'openid' | 'profile' | 'email' | 'address' | 'phone' | (string & {})>"))]
    pub scopes: Vec<String>,
    #[cfg_attr(feature = "napi", napi(ts_type = "'URL_PARAMS' | 'BASIC_AUTH' | (string & {})"))]
    pub token_auth_type: Option<String>,
    /// Scalekit's callback, to register at the IdP.
    pub redirect_uri: Option<String>,
    pub pkce_enabled: Option<bool>,
    pub idp_logout_required: Option<bool>,
    pub post_logout_redirect_uri: Option<String>,
    pub backchannel_logout_redirect_uri: Option<String>,
    pub sync_user_profile_on_login: Option<bool>,
    pub jit_provisioning_with_sso_enabled: Option<bool>,
}

/// `connectionsSAMLConnectionConfigResponse`.
#[model]
pub struct SamlConnectionConfig {
    /// Scalekit's (the service provider's) side, to register at the IdP.
    pub sp_entity_id: Option<String>,
    pub sp_assertion_url: Option<String>,
    pub sp_metadata_url: Option<String>,
    pub sp_slo_url: Option<String>,
    /// The IdP's side.
    pub idp_entity_id: Option<String>,
    pub idp_metadata_url: Option<String>,
    pub idp_sso_url: Option<String>,
    pub idp_slo_url: Option<String>,
    pub idp_certificates: Vec<IdpCertificate>,
    #[cfg_attr(feature = "napi", napi(ts_type = "'UNSPECIFIED' | 'EMAIL' | 'TRANSIENT' | 'PERSISTENT' | (string & {})"))]
    pub idp_name_id_format: Option<String>,
    #[cfg_attr(feature = "napi", napi(ts_type = "'HTTP_POST' | 'HTTP_REDIRECT' | (string & {})"))]
    pub idp_sso_request_binding: Option<String>,
    #[cfg_attr(feature = "napi", napi(ts_type = "'HTTP_POST' | 'HTTP_REDIRECT' | (string & {})"))]
    pub idp_slo_request_binding: Option<String>,
    pub idp_slo_required: Option<bool>,
    #[cfg_attr(
        feature = "napi",
        napi(ts_type = "'NO_SIGNING' | 'SAML_ONLY_RESPONSE_SIGNING' | 'SAML_ONLY_ASSERTION_SIGNING' | 'SAML_RESPONSE_ASSERTION_SIGNING' | 'SAML_RESPONSE_OR_ASSERTION_SIGNING' | (string & {})")
    )]
    pub saml_signing_option: Option<String>,
    pub want_request_signed: Option<bool>,
    pub assertion_encrypted: Option<bool>,
    pub certificate_id: Option<String>,
    pub force_authn: Option<bool>,
    pub allow_idp_initiated_login: Option<bool>,
    pub default_redirect_uri: Option<String>,
    pub ui_button_title: Option<String>,
    pub sync_user_profile_on_login: Option<bool>,
    pub jit_provisioning_with_sso_enabled: Option<bool>,
}

/// `connectionsIDPCertificate`.
#[model]
pub struct IdpCertificate {
    pub id: Option<String>,
    /// PEM.
    pub certificate: Option<String>,
    pub issuer: Option<String>,
    /// RFC 3339.
    pub create_time: Option<String>,
    /// RFC 3339.
    pub expiry_time: Option<String>,
}

/// `connectionsOAuthConnectionConfig`: social and app (agent) connections.
#[model]
pub struct OAuthConnectionConfig {
    pub authorize_uri: Option<String>,
    pub token_uri: Option<String>,
    pub user_info_uri: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub scopes: Vec<String>,
    pub redirect_uri: Option<String>,
    pub pkce_enabled: Option<bool>,
    pub prompt: Option<String>,
    pub access_type: Option<String>,
    pub token_access_type: Option<String>,
    pub token_endpoint_auth_method: Option<String>,
    pub custom_scope_name: Option<String>,
    pub app_name: Option<String>,
    pub tenant_id: Option<String>,
    pub use_platform_creds: Option<bool>,
    pub sync_user_profile_on_login: Option<bool>,
    pub googleads_developer_token: Option<String>,
    pub is_cimd: Option<bool>,
    pub optional_scopes: Option<OptionalScopes>,
    pub extensions: Option<OAuthExtensions>,
}

/// `connectionsOptionalScopes`.
#[model]
pub struct OptionalScopes {
    pub field_name: Option<String>,
    pub scopes: Vec<String>,
}

/// `connectionsOauthExtensions`.
#[model]
pub struct OAuthExtensions {
    /// Extra query parameters of the authorize request, sent as they are.
    pub extra_authorize_params: HashMap<String, String>,
    pub smart: Option<SmartConfig>,
}

/// `connectionsSmartConfig` (SMART on FHIR).
#[model]
pub struct SmartConfig {
    pub aud: Option<String>,
    pub domain: Option<String>,
}

/// `connectionsPasswordLessConfig`.
#[model]
pub struct PasswordlessConfig {
    #[cfg_attr(feature = "napi", napi(ts_type = "'LINK' | 'OTP' | 'LINK_OTP' | (string & {})"))]
    pub r#type: Option<String>,
    /// Seconds.
    pub frequency: Option<i64>,
    /// Seconds.
    pub validity: Option<i64>,
    pub enforce_same_browser_origin: Option<bool>,
    pub code_challenge_length: Option<i64>,
    #[cfg_attr(feature = "napi", napi(ts_type = "'NUMERIC' | 'ALPHANUMERIC' | (string & {})"))]
    pub code_challenge_type: Option<String>,
    pub regenerate_passwordless_credentials_on_resend: Option<bool>,
}

/// `connectionsWebAuthConfiguration`.
#[model]
pub struct WebAuthnConfig {
    pub rp: Option<WebAuthnRelyingParty>,
    pub attestation: Option<WebAuthnAttestation>,
    pub authenticator_selection: Option<WebAuthnAuthenticatorSelection>,
    pub authenticators: Option<WebAuthnAuthenticators>,
    pub timeout: Option<WebAuthnTimeout>,
    pub enable_auto_registration: Option<bool>,
    pub enable_conditional_login: Option<bool>,
    pub show_passkey_button: Option<bool>,
}

/// `WebAuthConfigurationRp`.
#[model]
pub struct WebAuthnRelyingParty {
    pub ids: Vec<String>,
    pub origins: Vec<String>,
}

/// `WebAuthConfigurationAttestation`.
#[model]
pub struct WebAuthnAttestation {
    pub conveyance_preference: Option<String>,
    pub enterprise_approved_ids: Vec<String>,
}

/// `WebAuthConfigurationAuthenticatorSelection`.
#[model]
pub struct WebAuthnAuthenticatorSelection {
    pub authenticator_attachment: Option<String>,
    pub user_verification: Option<String>,
}

/// `WebAuthConfigurationAuthenticators`.
#[model]
pub struct WebAuthnAuthenticators {
    pub desired_authenticator_status: Vec<String>,
    pub undesired_authenticator_status: Vec<String>,
    pub validate_anchors: Option<bool>,
    pub validate_attestation_type: Option<bool>,
    pub validate_entry: Option<bool>,
    pub validate_entry_permit_zero_aaguid: Option<bool>,
    pub validate_status: Option<bool>,
}

/// `WebAuthConfigurationTimeout`: durations such as `"300s"`.
#[model]
pub struct WebAuthnTimeout {
    pub login: Option<String>,
    pub login_uvd: Option<String>,
    pub registration: Option<String>,
    pub registration_uvd: Option<String>,
}

/// `connectionsStaticAuthConfig`.
#[model]
pub struct StaticAuthConfig {
    /// Provider-defined JSON, keys as sent.
    pub static_config: Option<serde_json::Map<String, serde_json::Value>>,
}

/// `connectionsGoogleDWDConfig` (Google domain-wide delegation).
#[model]
pub struct GoogleDwdConfig {
    pub scopes: Vec<String>,
    pub token_uri: Option<String>,
    pub service_account_json: Option<String>,
}

/// `connectionsListConnection`: a connection as lists show it.
#[model]
pub struct ListConnection {
    /// `conn_…`.
    pub id: String,
    #[cfg_attr(feature = "napi", napi(ts_type = "ConnectionProviderName | (string & {})"))]
    pub provider: Option<String>,
    #[cfg_attr(feature = "napi", napi(ts_type = "ConnectionTypeName | (string & {})"))]
    pub r#type: Option<String>,
    #[cfg_attr(feature = "napi", napi(ts_type = "'DRAFT' | 'IN_PROGRESS' | 'COMPLETED' | (string & {})"))]
    pub status: Option<String>,
    pub enabled: bool,
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    pub provider_key: Option<String>,
    pub key_id: Option<String>,
    /// Domain names.
    pub domains: Vec<String>,
    pub mcp_server_url: Option<String>,
    /// RFC 3339. This and the next are in the official SDK's model, though not in the public spec.
    pub created_at: Option<String>,
    pub ui_button_title: Option<String>,
}

/// The result of `connection.getConnection` and `connection.createConnection`
/// (the official `GetConnectionResponse` and `CreateConnectionResponse`).
#[model]
pub struct ConnectionResponse {
    pub connection: Connection,
}

/// `ListConnectionsResponse`: every matching connection (no paging).
#[model]
pub struct ListConnectionsResponse {
    pub connections: Vec<ListConnection>,
}

/// `ListAppConnectionsResponse`: one page of the environment's connections.
#[model]
pub struct ListAppConnectionsResponse {
    pub connections: Vec<ListConnection>,
    pub next_page_token: String,
    pub prev_page_token: String,
    pub total_size: u32,
}

/// `ToggleConnectionResponse` (and `ToggleDirectoryResponse`): the state after the call.
#[model]
pub struct ToggleResponse {
    pub enabled: bool,
    pub error_message: Option<String>,
}

/// The connection to create (the official `CreateConnection`).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct CreateConnection {
    /// A name (`OKTA`, `MICROSOFT_AD`, …) or the official `ConnectionProvider` number.
    #[cfg_attr(feature = "napi", napi(ts_type = "ConnectionProviderName | number"))]
    pub provider: EnumValue,
    /// A name (`SAML`, `OIDC`, …) or the official `ConnectionType` number.
    #[cfg_attr(feature = "napi", napi(ts_type = "ConnectionTypeName | number"))]
    pub r#type: EnumValue,
    /// Your key for the provider; default: the provider name in lower case.
    pub provider_key: Option<String>,
    pub key_id: Option<String>,
}

/// Options of `connection.listConnections` (not in the official SDK).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ListConnectionsOptions {
    /// Only the connections of the organization that owns this domain.
    pub domain: Option<String>,
    /// `'all'`: every connection whatever its status (by default the server may list only active ones).
    #[cfg_attr(feature = "napi", napi(ts_type = "'all' | (string & {})"))]
    pub include: Option<String>,
}

/// Options of `connection.listConnectionsByDomain` (not in the official SDK).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ListConnectionsByDomainOptions {
    pub organization_id: Option<String>,
    /// `'all'`: every connection whatever its status (by default only active ones).
    #[cfg_attr(feature = "napi", napi(ts_type = "'all' | (string & {})"))]
    pub include: Option<String>,
}

/// Options of `connection.listAppConnections`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ListAppConnectionsOptions {
    pub page_size: Option<f64>,
    pub page_token: Option<String>,
    /// A provider name, e.g. `GOOGLE`.
    pub provider: Option<String>,
    /// Free-text search.
    pub query: Option<String>,
}
