//! `client.organization`.

use reqwest::Method;

use crate::error::Result;
use crate::http::{segment, Api, ApiRequest, RequestOptions};
use crate::models::{
    CreateOrganizationOptions, Empty, ListOrganizationsOptions, ListOrganizationsResponse, OrganizationResponse, OrganizationSettings,
    UpdateOrganization, WireCreateOrganization,
};
use crate::validate;
use crate::wire::FromWire;

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

    /// `POST /api/v1/organizations`.
    pub async fn create_organization<R: FromWire<OrganizationResponse>>(
        &self,
        name: String,
        options: Option<CreateOrganizationOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let name = validate::required_text("name", &name)?;
        let options = options.unwrap_or_default();
        let request = ApiRequest::new(Method::POST, "/api/v1/organizations".into()).json(&WireCreateOrganization { display_name: name, options: &options })?;
        self.api.send::<OrganizationResponse, R>(request, request_options).await
    }

    /// `GET /api/v1/organizations/{id}`.
    pub async fn get_organization<R: FromWire<OrganizationResponse>>(&self, id: String, request_options: &RequestOptions) -> Result<R> {
        let id = validate::required_id("id", &id)?;
        let request = ApiRequest::new(Method::GET, format!("/api/v1/organizations/{}", segment(id)));
        self.api.send::<OrganizationResponse, R>(request, request_options).await
    }

    /// `GET /api/v1/organizations:external/{external_id}`.
    pub async fn get_organization_by_external_id<R: FromWire<OrganizationResponse>>(&self, external_id: String, request_options: &RequestOptions) -> Result<R> {
        let external_id = validate::required_id("externalId", &external_id)?;
        let request = ApiRequest::new(Method::GET, format!("/api/v1/organizations:external/{}", segment(external_id)));
        self.api.send::<OrganizationResponse, R>(request, request_options).await
    }

    /// `PATCH /api/v1/organizations/{id}`: only the fields given are sent.
    pub async fn update_organization<R: FromWire<OrganizationResponse>>(
        &self,
        id: String,
        organization: UpdateOrganization,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let id = validate::required_id("id", &id)?;
        let request = ApiRequest::new(Method::PATCH, format!("/api/v1/organizations/{}", segment(id))).json(&organization)?;
        self.api.send::<OrganizationResponse, R>(request, request_options).await
    }

    /// `GET /api/v1/organizations:external/{external_id}`, then `PATCH /api/v1/organizations/{id}`.
    /// Not atomic: the REST API has no update by external id, so this resolves the id first.
    pub async fn update_organization_by_external_id<R: FromWire<OrganizationResponse>>(
        &self,
        external_id: String,
        organization: UpdateOrganization,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let found: OrganizationResponse = self.get_organization_by_external_id(external_id, request_options).await?;
        self.update_organization(found.organization.id, organization, request_options).await
    }

    /// `DELETE /api/v1/organizations/{id}`.
    pub async fn delete_organization<R: FromWire<Empty>>(&self, organization_id: String, request_options: &RequestOptions) -> Result<R> {
        let id = validate::required_id("organizationId", &organization_id)?;
        let request = ApiRequest::new(Method::DELETE, format!("/api/v1/organizations/{}", segment(id)));
        self.api.send::<Empty, R>(request, request_options).await
    }

    /// `GET /api/v1/organizations:search`. Positional paging, as in the official SDK.
    pub async fn search_organization<R: FromWire<ListOrganizationsResponse>>(
        &self,
        query: String,
        page_size: Option<f64>,
        page_token: Option<String>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let query = validate::required_text("query", &query)?;
        let page_size = validate::page_size("pageSize", page_size)?;
        let request = ApiRequest::new(Method::GET, "/api/v1/organizations:search".into()).query([
            ("query", Some(query.to_owned())),
            ("page_size", page_size.map(|n| n.to_string())),
            ("page_token", page_token.filter(|t| !t.is_empty())),
        ]);
        self.api.send::<ListOrganizationsResponse, R>(request, request_options).await
    }

    /// `PATCH /api/v1/organizations/{id}/settings`: switches features (`sso`, `dir_sync`) on or off.
    pub async fn update_organization_settings<R: FromWire<OrganizationResponse>>(
        &self,
        organization_id: String,
        settings: OrganizationSettings,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let id = validate::required_id("organizationId", &organization_id)?;
        for (i, feature) in settings.features.iter().enumerate() {
            validate::required_text(&format!("settings.features[{i}].name"), &feature.name)?;
        }
        let request = ApiRequest::new(Method::PATCH, format!("/api/v1/organizations/{}/settings", segment(id))).json(&settings)?;
        self.api.send::<OrganizationResponse, R>(request, request_options).await
    }
}
