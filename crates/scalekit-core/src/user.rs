//! `client.user`.

use reqwest::Method;

use crate::error::Result;
use crate::http::{segment, Api, ApiRequest, RequestOptions};
use crate::models::{CreateUserAndMembershipResponse, CreateUserRequest, WireCreateUser};
use crate::validate;
use crate::wire::FromWire;

#[derive(Debug, Clone)]
pub struct UserClient {
    api: Api,
}

impl UserClient {
    pub(crate) fn new(api: Api) -> Self {
        UserClient { api }
    }

    /// `POST /api/v1/organizations/{organization_id}/users`. `R` is
    /// `CreateUserAndMembershipResponse` or `CamelJson`.
    pub async fn create_user_and_membership<R: FromWire<CreateUserAndMembershipResponse>>(
        &self,
        organization_id: String,
        request: CreateUserRequest,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let organization_id = validate::required_id("organizationId", &organization_id)?;
        validate::email("email", &request.email)?;
        if let Some(inviter) = request.membership.as_ref().and_then(|m| m.inviter_email.as_deref()) {
            validate::email("membership.inviterEmail", inviter)?;
        }
        let request = ApiRequest::new(Method::POST, format!("/api/v1/organizations/{}/users", segment(organization_id)))
            .query([("send_invitation_email", request.send_invitation_email.map(|b| b.to_string()))])
            .json(&WireCreateUser::from_request(&request))?;
        self.api.send::<CreateUserAndMembershipResponse, R>(request, request_options).await
    }
}
