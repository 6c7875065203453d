use napi_derive::napi;
use scalekit_core::models::CreateUserRequest;
use scalekit_core::CamelJson;

use crate::errors::IntoNapi;
use crate::call::{Call, RequestOptions};
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

#[scalekit_derive::js_parameters]
#[napi]
impl UserClient {
    /// `POST /api/v1/organizations/{organizationId}/users`: creates a user and its membership of the organization.
    #[napi(
        strict,
        ts_args_type = "organizationId: string, options: CreateUserRequest, requestOptions?: RequestOptions | undefined | null",
        ts_return_type = "Promise<CreateUserAndMembershipResponse>"
    )]
    pub async fn create_user_and_membership(
        &self,
        organization_id: String,
        options: Option<CreateUserRequest>,
        request_options: Option<RequestOptions>,
    ) -> napi::Result<Json> {
        let Some(options) = options else {
            return Err(scalekit_core::Error::InvalidInput { field: "email".into(), message: "options with the user's email are required".into() })
                .into_napi();
        };
        let call = Call::new(request_options)?;
        call.finish(self.core.create_user_and_membership::<CamelJson>(&organization_id, &options, &call.options).await)
    }
}
