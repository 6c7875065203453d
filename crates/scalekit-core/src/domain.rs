//! `client.domain`.

use reqwest::Method;

use crate::error::Result;
use crate::http::{segment, Api, ApiRequest, RequestOptions};
use crate::models::{enum_names, CreateDomainOptions, DomainResponse, Empty, ListDomainResponse, ListDomainsOptions};
use crate::validate;
use crate::wire::FromWire;

#[derive(Debug, Clone)]
pub struct DomainClient {
    api: Api,
}

fn domains_path(organization_id: &str) -> Result<String> {
    let id = validate::required_id("organizationId", organization_id)?;
    Ok(format!("/api/v1/organizations/{}/domains", segment(id)))
}

impl DomainClient {
    pub(crate) fn new(api: Api) -> Self {
        DomainClient { api }
    }

    /// `POST /api/v1/organizations/{organization_id}/domains`.
    pub async fn create_domain<R: FromWire<DomainResponse>>(
        &self,
        organization_id: String,
        name: String,
        options: Option<CreateDomainOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        #[derive(serde::Serialize)]
        struct Body<'a> {
            domain: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            domain_type: Option<&'static str>,
        }
        let path = domains_path(&organization_id)?;
        let domain = validate::required_text("name", &name)?;
        let domain_type = options.and_then(|o| o.domain_type).map(|t| t.resolve("options.domainType", enum_names::DOMAIN_TYPE)).transpose()?;
        let request = ApiRequest::new(Method::POST, path).json(&Body { domain, domain_type })?;
        self.api.send::<DomainResponse, R>(request, request_options).await
    }

    /// `GET /api/v1/organizations/{organization_id}/domains/{id}`.
    pub async fn get_domain<R: FromWire<DomainResponse>>(&self, organization_id: String, domain_id: String, request_options: &RequestOptions) -> Result<R> {
        let path = domains_path(&organization_id)?;
        let id = validate::required_id("domainId", &domain_id)?;
        self.api.send::<DomainResponse, R>(ApiRequest::new(Method::GET, format!("{path}/{}", segment(id))), request_options).await
    }

    /// `GET /api/v1/organizations/{organization_id}/domains`, by page number.
    pub async fn list_domains<R: FromWire<ListDomainResponse>>(
        &self,
        organization_id: String,
        options: Option<ListDomainsOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let path = domains_path(&organization_id)?;
        let options = options.unwrap_or_default();
        let domain_type = options.domain_type.map(|t| t.resolve("options.domainType", enum_names::DOMAIN_TYPE)).transpose()?;
        let page_size = validate::page_size("options.pageSize", options.page_size)?;
        let page_number = options.page_number.map(|n| validate::whole("options.pageNumber", n)).transpose()?;
        let request = ApiRequest::new(Method::GET, path).query([
            ("domain_type", domain_type.map(str::to_owned)),
            ("page_size", page_size.map(|n| n.to_string())),
            ("page_number", page_number.map(|n| n.to_string())),
        ]);
        self.api.send::<ListDomainResponse, R>(request, request_options).await
    }

    /// `DELETE /api/v1/organizations/{organization_id}/domains/{id}`.
    pub async fn delete_domain<R: FromWire<Empty>>(&self, organization_id: String, domain_id: String, request_options: &RequestOptions) -> Result<R> {
        let path = domains_path(&organization_id)?;
        let id = validate::required_id("domainId", &domain_id)?;
        self.api.send::<Empty, R>(ApiRequest::new(Method::DELETE, format!("{path}/{}", segment(id))), request_options).await
    }
}
