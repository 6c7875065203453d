//! `client.passwordless`: sign-in by emailed code or magic link.

use reqwest::Method;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::http::{Api, ApiRequest, RequestOptions};
use crate::models::{enum_names, PasswordlessCredential, SendPasswordlessOptions, SendPasswordlessResponse, VerifyPasswordlessResponse};
use crate::validate;
use crate::wire::FromWire;

#[derive(Debug, Clone)]
pub struct PasswordlessClient {
    api: Api,
}

impl PasswordlessClient {
    pub(crate) fn new(api: Api) -> Self {
        PasswordlessClient { api }
    }

    /// `POST /api/v1/passwordless/email/send`.
    pub async fn send_passwordless_email<R: FromWire<SendPasswordlessResponse>>(
        &self,
        email: String,
        options: Option<SendPasswordlessOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        #[derive(Serialize)]
        struct Body<'a> {
            email: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            template: Option<&'static str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            state: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            magiclink_auth_uri: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            expires_in: Option<u32>,
            #[serde(skip_serializing_if = "Option::is_none")]
            template_variables: Option<&'a std::collections::HashMap<String, String>>,
        }
        // The official SDK's messages for these two, so that code matching on them keeps working.
        if email.trim().is_empty() {
            return Err(Error::invalid("email", "Email must be a valid string"));
        }
        validate::email("email", &email)?;
        let options = options.unwrap_or_default();
        let template = options.template.as_ref().map(|t| t.resolve("options.template", enum_names::TEMPLATE_TYPE));
        let body = Body {
            email: email.trim(),
            template: template.transpose().map_err(|_| Error::invalid("options.template", "Invalid template type"))?,
            state: options.state.as_deref(),
            magiclink_auth_uri: options.magiclink_auth_uri.as_deref().filter(|u| !u.is_empty()),
            expires_in: options.expires_in.map(|s| validate::whole("options.expiresIn", s)).transpose()?,
            template_variables: options.template_variables.as_ref(),
        };
        let request = ApiRequest::new(Method::POST, "/api/v1/passwordless/email/send".into()).json(&body)?;
        self.api.send::<SendPasswordlessResponse, R>(request, request_options).await
    }

    /// `POST /api/v1/passwordless/email/verify`: with the code, or the magic link's token.
    pub async fn verify_passwordless_email<R: FromWire<VerifyPasswordlessResponse>>(
        &self,
        credential: PasswordlessCredential,
        auth_request_id: Option<String>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        #[derive(Serialize)]
        struct Body<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            code: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            link_token: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            auth_request_id: Option<&'a str>,
        }
        let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(|v| v.to_owned());
        let (code, link_token) = (text(&credential.code), text(&credential.link_token));
        if code.is_none() && link_token.is_none() {
            return Err(Error::invalid("credential", "Either code or linkToken must be provided"));
        }
        // A oneof on the wire: the code wins, as in the official SDK.
        let link_token = link_token.filter(|_| code.is_none());
        let auth_request_id = text(&auth_request_id);
        if code.is_some() && auth_request_id.is_none() {
            return Err(Error::invalid("authRequestId", "authRequestId is required to verify a code"));
        }
        let body = Body { code: code.as_deref(), link_token: link_token.as_deref(), auth_request_id: auth_request_id.as_deref() };
        let request = ApiRequest::new(Method::POST, "/api/v1/passwordless/email/verify".into()).json(&body)?;
        self.api.send::<VerifyPasswordlessResponse, R>(request, request_options).await
    }

    /// `POST /api/v1/passwordless/email/resend`: a new code or link for the same request.
    pub async fn resend_passwordless_email<R: FromWire<SendPasswordlessResponse>>(&self, auth_request_id: String, request_options: &RequestOptions) -> Result<R> {
        #[derive(Serialize)]
        struct Body<'a> {
            auth_request_id: &'a str,
        }
        let auth_request_id = validate::required_id("authRequestId", &auth_request_id)?;
        let request = ApiRequest::new(Method::POST, "/api/v1/passwordless/email/resend".into()).json(&Body { auth_request_id })?;
        self.api.send::<SendPasswordlessResponse, R>(request, request_options).await
    }
}
