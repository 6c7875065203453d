use napi_derive::napi;
use scalekit_core::models::{CreateUserAndMembershipResponse, CreateUserRequest};

use crate::errors::IntoNapi;
use crate::json::Json;

/// `client.user`.
#[napi]
pub struct UserClient {
    core: scalekit_core::UserClient,
}

impl UserClient {
    pub fn new(core: scalekit_core::UserClient) -> Self {
        UserClient { core }
    }
}

#[napi]
impl UserClient {
    /// `POST /api/v1/organizations/{organizationId}/users`: creates a user and its membership of the organization.
    #[napi(ts_return_type = "Promise<CreateUserAndMembershipResponse>")]
    pub async fn create_user_and_membership(
        &self,
        organization_id: String,
        options: CreateUserRequest,
    ) -> napi::Result<Json<CreateUserAndMembershipResponse>> {
        self.core.create_user_and_membership(&organization_id, &options).await.into_napi().map(Json)
    }
}
