//! Connected accounts: an end user's credentials at a third-party provider.

use scalekit_derive::model;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `connected_accountsConnectedAccount`.
#[model]
pub struct ConnectedAccount {
    /// `ca_…`.
    pub id: String,
    /// The connection's name, e.g. `gmail`.
    pub connector: Option<String>,
    /// Your id for the end user, e.g. their email.
    pub identifier: Option<String>,
    pub provider: Option<String>,
    pub connection_id: Option<String>,
    #[cfg_attr(
        feature = "napi",
        napi(ts_type = "'OAUTH' | 'API_KEY' | 'BASIC_AUTH' | 'BEARER_TOKEN' | 'CUSTOM' | 'BASIC' | 'OAUTH_M2M' | 'TRELLO_OAUTH1' | 'GOOGLE_DWD' | 'TRUSTED_IDP' | 'SMART_FHIR' | 'NO_AUTH' | (string & {})")
    )]
    pub authorization_type: Option<String>,
    #[cfg_attr(feature = "napi", napi(ts_type = "'ACTIVE' | 'EXPIRED' | 'PENDING_AUTH' | 'PENDING_VERIFICATION' | 'DISCONNECTED' | (string & {})"))]
    pub status: Option<String>,
    /// The credentials (by `getConnectedAccountByIdentifier`; not in lists or details).
    pub authorization_details: Option<AuthorizationDetails>,
    /// Provider-specific settings, keys unchanged.
    pub api_config: Option<Map<String, Value>>,
    /// RFC 3339.
    pub token_expires_at: Option<String>,
    /// RFC 3339.
    pub last_used_at: Option<String>,
    /// RFC 3339.
    pub updated_at: Option<String>,
}

/// `connected_accountsConnectedAccountForList`: an account as lists and searches show it (no credentials).
#[model]
pub struct ConnectedAccountSummary {
    pub id: String,
    pub connector: Option<String>,
    pub identifier: Option<String>,
    pub provider: Option<String>,
    pub connection_id: Option<String>,
    pub authorization_type: Option<String>,
    #[cfg_attr(feature = "napi", napi(ts_type = "'ACTIVE' | 'EXPIRED' | 'PENDING_AUTH' | 'PENDING_VERIFICATION' | 'DISCONNECTED' | (string & {})"))]
    pub status: Option<String>,
    /// RFC 3339.
    pub token_expires_at: Option<String>,
    /// RFC 3339.
    pub last_used_at: Option<String>,
    /// RFC 3339.
    pub updated_at: Option<String>,
}

/// `connected_accountsAuthorizationDetails`: a oneof on the wire, so an object with at most
/// one of its fields set (not a tagged union: the member's name is the tag).
#[model]
pub struct AuthorizationDetails {
    pub oauth_token: Option<OAuthToken>,
    pub static_auth: Option<StaticAuth>,
    pub google_dwd: Option<GoogleDwdAuth>,
    pub trusted_idp: Option<TrustedIdpAuth>,
}

/// `connected_accountsOauthToken`.
#[model]
pub struct OAuthToken {
    pub access_token: Option<String>,
    pub refresh_token: Option<String>,
    pub scopes: Vec<String>,
    pub domain: Option<String>,
}

/// `connected_accountsStaticAuth`: API keys, basic credentials and the like.
#[model]
pub struct StaticAuth {
    /// e.g. `{ api_key }` or `{ username, password }`, keys unchanged.
    pub details: Option<Map<String, Value>>,
}

/// `connected_accountsGoogleDWDAuth`.
#[model]
pub struct GoogleDwdAuth {
    pub access_token: Option<String>,
    pub scopes: Vec<String>,
    pub subject: Option<String>,
    /// RFC 3339.
    pub token_expires_at: Option<String>,
}

/// `connected_accountsTrustedIDPAuth`.
#[model]
pub struct TrustedIdpAuth {
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    pub session_token: Option<String>,
    pub db_user: Option<String>,
    /// RFC 3339.
    pub expiry: Option<String>,
}

/// `CreateConnectedAccountResponse`, `UpdateConnectedAccountResponse` and `GetConnectedAccountByIdentifierResponse`.
#[model]
pub struct ConnectedAccountResponse {
    pub connected_account: ConnectedAccount,
}

/// `ListConnectedAccountsResponse` and `SearchConnectedAccountsResponse`.
#[model]
pub struct ListConnectedAccountsResponse {
    pub connected_accounts: Vec<ConnectedAccountSummary>,
    pub next_page_token: String,
    pub prev_page_token: String,
    pub total_size: u32,
}

/// `GetMagicLinkForConnectedAccountResponse`: send the end user to `link` to authorize.
#[model]
pub struct MagicLinkResponse {
    pub link: String,
    /// RFC 3339.
    pub expiry: Option<String>,
}

/// `VerifyConnectedAccountUserResponse`: send the user's browser there next.
#[model]
pub struct VerifyConnectedAccountUserResponse {
    pub post_user_verify_redirect_url: String,
}

/// Credentials to store (the input form of [`AuthorizationDetails`]): set one member.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default, Serialize)]
pub struct AuthorizationDetailsInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth_token: Option<OAuthTokenInput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub static_auth: Option<StaticAuthInput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub google_dwd: Option<GoogleDwdAuthInput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trusted_idp: Option<TrustedIdpAuthInput>,
    /// The official SDK's protobuf form of the same, `{ case: 'oauthToken', value: { accessToken } }`.
    #[serde(skip)]
    pub details: Option<AuthorizationDetailsCase>,
}

/// A member of [`AuthorizationDetailsInput`] named by its `case` (a protobuf-es oneof).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct AuthorizationDetailsCase {
    #[cfg_attr(feature = "napi", napi(ts_type = "'oauthToken' | 'staticAuth' | 'googleDwd' | 'trustedIdp'"))]
    pub case: Option<String>,
    #[cfg_attr(feature = "napi", napi(ts_type = "Record<string, unknown>"))]
    pub value: Option<Map<String, Value>>,
}

#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all(deserialize = "camelCase"))]
pub struct OAuthTokenInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
}

#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all(deserialize = "camelCase"))]
pub struct StaticAuthInput {
    /// Sent with its keys unchanged.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "napi", napi(ts_type = "Record<string, unknown>"))]
    pub details: Option<Map<String, Value>>,
}

#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all(deserialize = "camelCase"))]
pub struct GoogleDwdAuthInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all(deserialize = "camelCase"))]
pub struct TrustedIdpAuthInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_key_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_access_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub db_user: Option<String>,
}

/// The account of `createConnectedAccount` (`connected_account`).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ConnectedAccountInput {
    pub authorization_details: Option<AuthorizationDetailsInput>,
    /// Provider-specific settings, sent with their keys unchanged.
    #[cfg_attr(feature = "napi", napi(ts_type = "Record<string, unknown>"))]
    pub api_config: Option<Map<String, Value>>,
}

/// Which connected account (`connectedAccounts.*`): `connectedAccountId`, or `connector` +
/// `identifier` (with `organizationId`/`userId` when accounts are scoped to them).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ConnectedAccountParams {
    pub connector: Option<String>,
    pub identifier: Option<String>,
    pub organization_id: Option<String>,
    pub user_id: Option<String>,
    pub connected_account_id: Option<String>,
    /// `createConnectedAccount` and `updateConnectedAccount`: what to store.
    pub connected_account: Option<ConnectedAccountInput>,
    /// `getOrCreateConnectedAccount`: the credentials (default: an empty `oauthToken`).
    pub authorization_details: Option<AuthorizationDetailsInput>,
    /// `getOrCreateConnectedAccount`.
    #[cfg_attr(feature = "napi", napi(ts_type = "Record<string, unknown>"))]
    pub api_config: Option<Map<String, Value>>,
    /// `getMagicLinkForConnectedAccount`: returned to you after authorization.
    pub state: Option<String>,
    /// `getMagicLinkForConnectedAccount`: your page that verifies the user (then `verifyConnectedAccountUser`).
    pub user_verify_url: Option<String>,
}

/// Which connected account (`actions.*`): as [`ConnectedAccountParams`], with the connection
/// named `connectionName`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ActionAccountParams {
    pub connection_name: Option<String>,
    pub identifier: Option<String>,
    pub organization_id: Option<String>,
    pub user_id: Option<String>,
    pub connected_account_id: Option<String>,
    pub authorization_details: Option<AuthorizationDetailsInput>,
    #[cfg_attr(feature = "napi", napi(ts_type = "Record<string, unknown>"))]
    pub api_config: Option<Map<String, Value>>,
    pub state: Option<String>,
    pub user_verify_url: Option<String>,
}

/// Filters of `listConnectedAccounts`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ListConnectedAccountsOptions {
    pub organization_id: Option<String>,
    pub user_id: Option<String>,
    /// `connectedAccounts.listConnectedAccounts`: the connection's name.
    pub connector: Option<String>,
    /// `actions.listConnectedAccounts`: the connection's name.
    pub connection_name: Option<String>,
    pub identifier: Option<String>,
    pub provider: Option<String>,
    pub page_size: Option<f64>,
    pub page_token: Option<String>,
    /// Free text.
    pub query: Option<String>,
    pub connection_names: Option<Vec<String>>,
}

/// Options of `connectedAccounts.searchConnectedAccounts`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct SearchConnectedAccountsOptions {
    pub connection_id: Option<String>,
    pub page_size: Option<f64>,
    pub page_token: Option<String>,
}

/// The pending authorization to verify (`verifyConnectedAccountUser`).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct VerifyConnectedAccountUserParams {
    pub auth_request_id: String,
    /// The identifier your page verified the user as.
    pub identifier: String,
}

/// What `actions.executeTool` runs: the official facade names (`toolInput`).
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ActionExecuteToolParams {
    pub tool_name: String,
    /// The tool's input, sent with its keys unchanged.
    #[cfg_attr(feature = "napi", napi(ts_type = "Record<string, unknown>"))]
    pub tool_input: Option<Map<String, Value>>,
    pub identifier: Option<String>,
    pub connected_account_id: Option<String>,
    pub connector: Option<String>,
    pub organization_id: Option<String>,
    pub user_id: Option<String>,
    pub agent_run_id: Option<String>,
}

/// `actions.listConnections`: an app connection, normalised as the official facade gives it.
#[model]
pub struct AppConnection {
    pub id: String,
    pub r#type: Option<String>,
    pub status: Option<String>,
    pub enabled: bool,
    /// The connection's provider key.
    pub provider: Option<String>,
    /// The connection's name (its `keyId`).
    pub connection_name: Option<String>,
    /// RFC 3339, when the API gives it.
    pub created_at: Option<String>,
}

/// The result of `actions.listConnections` (the official `ListAppConnectionsResult`).
#[model]
pub struct ListAppConnectionsResult {
    pub connections: Vec<AppConnection>,
    pub next_page_token: String,
    pub prev_page_token: String,
    pub total_size: u32,
}

/// `actions.request`: an HTTP request to the provider's API through Scalekit's proxy.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ProxyRequestParams {
    pub connection_name: String,
    pub identifier: String,
    /// The provider API's path, e.g. `/gmail/v1/users/me/messages`.
    pub path: String,
    /// Default `GET`.
    pub method: Option<String>,
    /// Query parameters; arrays repeat the key.
    #[cfg_attr(feature = "napi", napi(ts_type = "Record<string, unknown>"))]
    pub query_params: Option<Map<String, Value>>,
    /// Sent as JSON (a string as it is).
    #[cfg_attr(feature = "napi", napi(ts_type = "unknown"))]
    pub body: Option<Value>,
    /// Sent as `application/x-www-form-urlencoded` when there is no `body`.
    #[cfg_attr(feature = "napi", napi(ts_type = "Record<string, unknown>"))]
    pub form_data: Option<Map<String, Value>>,
    pub headers: Option<std::collections::HashMap<String, String>>,
    /// Per attempt; default `toolTimeoutMs`.
    pub timeout_ms: Option<f64>,
}

/// The answer `actions.request` got from the provider, through Scalekit's proxy.
#[model]
pub struct ProxyResponse {
    pub status: u32,
    /// Lower-case names.
    pub headers: std::collections::HashMap<String, String>,
    /// Parsed JSON when the provider answered JSON, else the text.
    #[cfg_attr(feature = "napi", napi(ts_type = "any"))]
    pub body: Option<Value>,
    /// Scalekit's request id, when the proxy gave one.
    pub request_id: Option<String>,
}
