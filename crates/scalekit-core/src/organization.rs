//! `client.organization`.

use reqwest::Method;

use crate::error::Result;
use crate::http::{Api, ApiRequest, RequestOptions};
use crate::models::{ListOrganizationsOptions, ListOrganizationsResponse};
use crate::wire::FromWire;
use crate::validate;

#[derive(Debug, Clone)]
pub struct OrganizationClient {
    api: Api,
}

impl OrganizationClient {
    pub(crate) fn new(api: Api) -> Self {
        OrganizationClient { api }
    }

    /// `GET /api/v1/organizations`. `R` is `ListOrganizationsResponse` or `CamelJson`.
    pub async fn list_organizations<R: FromWire<ListOrganizationsResponse>>(&self, options: Option<ListOrganizationsOptions>, request_options: &RequestOptions) -> Result<R> {
        let options = options.unwrap_or_default();
        let page_size = validate::page_size("pageSize", options.page_size)?;
        let request = ApiRequest::new(Method::GET, "/api/v1/organizations".into()).query([
            ("page_size", page_size.map(|n| n.to_string())),
            ("page_token", options.page_token.clone().filter(|t| !t.is_empty())),
            ("external_id", options.external_id.clone().filter(|t| !t.is_empty())),
        ]);
        self.api.send::<ListOrganizationsResponse, R>(request, request_options).await
    }
}
