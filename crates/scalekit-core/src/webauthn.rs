//! `client.webauthn`: users' passkeys.

use reqwest::Method;

use crate::error::Result;
use crate::http::{segment, Api, ApiRequest, RequestOptions};
use crate::models::{DeleteCredentialResponse, ListCredentialsResponse, UpdateCredentialResponse};
use crate::validate;
use crate::wire::FromWire;

#[derive(Debug, Clone)]
pub struct WebAuthnClient {
    api: Api,
}

path_calls! {
    impl WebAuthnClient {
        /// `DELETE /api/v1/webauthn/credentials/{credential_id}`.
        delete_credential(credential_id "credentialId") -> DeleteCredentialResponse = DELETE "/api/v1/webauthn/credentials/{}";
    }
}

impl WebAuthnClient {
    pub(crate) fn new(api: Api) -> Self {
        WebAuthnClient { api }
    }

    /// `GET /api/v1/webauthn/credentials?user_id=…`.
    pub async fn list_credentials<R: FromWire<ListCredentialsResponse>>(&self, user_id: String, request_options: &RequestOptions) -> Result<R> {
        let user_id = validate::required_id("userId", &user_id)?;
        let request = ApiRequest::new(Method::GET, "/api/v1/webauthn/credentials".into()).query([("user_id", Some(user_id.to_owned()))]);
        self.api.send::<ListCredentialsResponse, R>(request, request_options).await
    }

    /// `PATCH /api/v1/webauthn/credentials/{credential_id}`: renames a passkey.
    pub async fn update_credential<R: FromWire<UpdateCredentialResponse>>(
        &self,
        credential_id: String,
        display_name: String,
        request_options: &RequestOptions,
    ) -> Result<R> {
        #[derive(serde::Serialize)]
        struct Body<'a> {
            display_name: &'a str,
        }
        let id = validate::required_id("credentialId", &credential_id)?;
        let display_name = validate::required_text("displayName", &display_name)?;
        let request = ApiRequest::new(Method::PATCH, format!("/api/v1/webauthn/credentials/{}", segment(id))).json(&Body { display_name })?;
        self.api.send::<UpdateCredentialResponse, R>(request, request_options).await
    }
}
