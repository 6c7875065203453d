//! Opaque API tokens (not JWTs) of organizations and users.

use std::collections::HashMap;

use scalekit_derive::model;



/// `Token`: what an API token stands for. The token itself is never part of it.
#[model]
pub struct TokenInfo {
    /// `apit_…`.
    pub token_id: String,
    pub organization_id: Option<String>,
    pub organization_external_id: Option<String>,
    pub user_id: Option<String>,
    pub user_external_id: Option<String>,
    pub custom_claims: HashMap<String, String>,
    /// RFC 3339.
    pub expiry: Option<String>,
    /// RFC 3339.
    pub created_at: Option<String>,
    pub description: Option<String>,
    /// The token's last characters, to tell tokens apart.
    pub token_suffix: Option<String>,
    pub email: Option<String>,
    pub roles: Vec<String>,
}

/// `CreateTokenResponse`. `token` is the secret, shown only here: store it, or give it to its owner.
#[model]
pub struct CreateTokenResponse {
    pub token: String,
    pub token_id: String,
    pub token_info: Option<TokenInfo>,
}

/// `ValidateTokenResponse` and `UpdateTokenResponse`.
#[model]
pub struct TokenInfoResponse {
    pub token_info: Option<TokenInfo>,
}

/// `ListTokensResponse`: one page (note `totalCount`, not `totalSize`).
#[model]
pub struct ListTokensResponse {
    pub tokens: Vec<TokenInfo>,
    pub total_count: u32,
    pub next_page_token: String,
    pub prev_page_token: String,
}

/// Options of `token.createToken`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct CreateTokenOptions {
    /// A token of this user (else of the organization).
    pub user_id: Option<String>,
    /// Up to 20 string claims.
    pub custom_claims: Option<HashMap<String, String>>,
    /// When it stops working: a `Date` or an RFC 3339 string.
    #[cfg_attr(feature = "napi", napi(ts_type = "TimestampInput"))]
    pub expiry: Option<super::Timestamp>,
    /// Up to 255 characters.
    pub description: Option<String>,
}

/// Options of `token.listTokens`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct ListTokensOptions {
    pub user_id: Option<String>,
    /// 1 to 30 (default 10).
    pub page_size: Option<f64>,
    pub page_token: Option<String>,
}

/// Options of `token.updateToken`.
#[cfg_attr(feature = "napi", napi_derive::napi(object, object_to_js = false))]
#[derive(Debug, Clone, Default)]
pub struct UpdateTokenOptions {
    /// Merged into the token's claims; an empty value removes a claim.
    pub custom_claims: Option<HashMap<String, String>>,
    pub description: Option<String>,
}

