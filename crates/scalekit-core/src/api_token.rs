//! `client.token`: opaque API tokens (not JWTs; `token.rs` is the client's own OAuth token manager).

use std::collections::HashMap;

use reqwest::Method;
use serde::Serialize;

use crate::error::{grpc, Error, Result};
use crate::http::{Api, ApiRequest, RequestOptions};
use crate::models::{CreateTokenOptions, CreateTokenResponse, Empty, ListTokensOptions, ListTokensResponse, TokenInfoResponse, UpdateTokenOptions};
use crate::validate;
use crate::wire::FromWire;

#[derive(Debug, Clone)]
pub struct TokenClient {
    api: Api,
}

/// The body of the calls that name a token: `{ token, … }`.
#[derive(Serialize)]
struct TokenBody<'a> {
    token: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_claims: Option<&'a HashMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
}

fn token_request(path: &str, token: &str, options: Option<&UpdateTokenOptions>) -> Result<ApiRequest> {
    let token = validate::required_id("token", token)?;
    let body = TokenBody { token, custom_claims: options.and_then(|o| o.custom_claims.as_ref()), description: options.and_then(|o| o.description.as_deref()) };
    ApiRequest::new(Method::POST, path.to_owned()).json(&body)
}

impl TokenClient {
    pub(crate) fn new(api: Api) -> Self {
        TokenClient { api }
    }

    /// `POST /api/v1/tokens`: a token for the organization (or one of its users). The result's
    /// `token` is the secret, returned only here.
    pub async fn create_token<R: FromWire<CreateTokenResponse>>(
        &self,
        organization_id: String,
        options: Option<CreateTokenOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        #[derive(Serialize)]
        struct Body<'a> {
            organization_id: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            user_id: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            custom_claims: Option<&'a HashMap<String, String>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            expiry: Option<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            description: Option<&'a str>,
        }
        let organization_id = validate::required_id("organizationId", &organization_id)?;
        let options = options.unwrap_or_default();
        let body = Body {
            organization_id,
            user_id: options.user_id.as_deref().map(str::trim).filter(|u| !u.is_empty()),
            custom_claims: options.custom_claims.as_ref(),
            expiry: options.expiry.as_ref().map(|e| e.rfc3339("options.expiry")).transpose()?,
            description: options.description.as_deref(),
        };
        let request = ApiRequest::new(Method::POST, "/api/v1/tokens".into()).json(&body)?;
        self.api.send::<CreateTokenResponse, R>(request, request_options).await
    }

    /// `POST /api/v1/tokens:validate`. A token the server refuses (unknown, invalidated,
    /// expired, malformed) rejects with `ScalekitValidateTokenFailureException`, as in the official SDK.
    pub async fn validate_token<R: FromWire<TokenInfoResponse>>(&self, token: String, request_options: &RequestOptions) -> Result<R> {
        let request = token_request("/api/v1/tokens:validate", &token, None)?;
        self.api.send::<TokenInfoResponse, R>(request, request_options).await.map_err(|error| match error {
            Error::Server(e) => {
                let reason = match e.grpc_status {
                    grpc::UNAUTHENTICATED => "unauthenticated",
                    grpc::NOT_FOUND => "not_found",
                    grpc::INVALID_ARGUMENT => "invalid_argument",
                    grpc::PERMISSION_DENIED => "permission_denied",
                    _ => return Error::Server(e),
                };
                Error::TokenInvalid { reason, message: e.message }
            }
            other => other,
        })
    }

    /// `POST /api/v1/tokens:invalidate`: the token stops working.
    pub async fn invalidate_token<R: FromWire<Empty>>(&self, token: String, request_options: &RequestOptions) -> Result<R> {
        self.api.send::<Empty, R>(token_request("/api/v1/tokens:invalidate", &token, None)?, request_options).await
    }

    /// `GET /api/v1/tokens`: a page of the organization's tokens (or a user's).
    pub async fn list_tokens<R: FromWire<ListTokensResponse>>(
        &self,
        organization_id: String,
        options: Option<ListTokensOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let organization_id = validate::required_id("organizationId", &organization_id)?;
        let options = options.unwrap_or_default();
        let page_size = validate::page_size("options.pageSize", options.page_size)?;
        let request = ApiRequest::new(Method::GET, "/api/v1/tokens".into()).query([
            ("organization_id", Some(organization_id.to_owned())),
            ("user_id", options.user_id.filter(|u| !u.trim().is_empty())),
            ("page_size", page_size.map(|n| n.to_string())),
            ("page_token", options.page_token.filter(|t| !t.is_empty())),
        ]);
        self.api.send::<ListTokensResponse, R>(request, request_options).await
    }

    /// `POST /api/v1/tokens:update`: merges claims (an empty value removes one) and sets the description.
    pub async fn update_token<R: FromWire<TokenInfoResponse>>(
        &self,
        token: String,
        options: Option<UpdateTokenOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        self.api.send::<TokenInfoResponse, R>(token_request("/api/v1/tokens:update", &token, options.as_ref())?, request_options).await
    }
}
