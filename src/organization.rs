use napi_derive::napi;
use scalekit_core::models::ListOrganizationsOptions;
use scalekit_core::CamelJson;

use crate::call::{Call, RequestOptions};
use crate::json::Json;

/// `client.organization`.
#[napi]
pub struct OrganizationClient {
    core: scalekit_core::OrganizationClient,
}

impl OrganizationClient {
    pub fn new(core: scalekit_core::OrganizationClient) -> Self {
        OrganizationClient { core }
    }
}

#[scalekit_derive::js_parameters]
#[napi]
impl OrganizationClient {
    /// `GET /api/v1/organizations`: one page of organizations.
    #[napi(strict, ts_return_type = "Promise<ListOrganizationsResponse>")]
    pub async fn list_organizations(&self, options: Option<ListOrganizationsOptions>, request_options: Option<RequestOptions>) -> napi::Result<Json> {
        let call = Call::new(request_options)?;
        call.finish(self.core.list_organizations::<CamelJson>(&options.unwrap_or_default(), &call.options).await)
    }

    /// The official SDK's (singular) name for `listOrganizations`.
    #[napi(strict, ts_return_type = "Promise<ListOrganizationsResponse>")]
    pub async fn list_organization(&self, options: Option<ListOrganizationsOptions>, request_options: Option<RequestOptions>) -> napi::Result<Json> {
        self.list_organizations(options, request_options).await
    }
}
