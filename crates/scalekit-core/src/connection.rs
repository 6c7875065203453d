//! `client.connection`.

use reqwest::Method;

use crate::error::Result;
use crate::http::{segment, Api, ApiRequest, RequestOptions};
use crate::models::{
    enum_names, ConnectionResponse, CreateConnection, Empty, ListAppConnectionsOptions, ListAppConnectionsResponse, ListConnectionsByDomainOptions,
    ListConnectionsOptions, ListConnectionsResponse, ToggleResponse,
};
use crate::validate;
use crate::wire::FromWire;

#[derive(Debug, Clone)]
pub struct ConnectionClient {
    api: Api,
}

path_calls! {
    impl ConnectionClient {
        /// `GET /api/v1/organizations/{organization_id}/connections/{id}`.
        get_connection(organization_id "organizationId", id "id") -> ConnectionResponse = GET "/api/v1/organizations/{}/connections/{}";
        /// `PATCH /api/v1/organizations/{organization_id}/connections/{id}:enable`.
        enable_connection(organization_id "organizationId", id "id") -> ToggleResponse = PATCH "/api/v1/organizations/{}/connections/{}:enable";
        /// `PATCH /api/v1/organizations/{organization_id}/connections/{id}:disable`.
        disable_connection(organization_id "organizationId", id "id") -> ToggleResponse = PATCH "/api/v1/organizations/{}/connections/{}:disable";
        /// `DELETE /api/v1/organizations/{organization_id}/connections/{id}`.
        delete_connection(organization_id "organizationId", id "id") -> Empty = DELETE "/api/v1/organizations/{}/connections/{}";
    }
}

/// `GET /api/v1/connections` with its three filters.
fn list_request(organization_id: Option<&str>, domain: Option<&str>, include: Option<String>) -> ApiRequest {
    let text = |v: Option<&str>| v.map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    ApiRequest::new(Method::GET, "/api/v1/connections".into()).query([
        ("organization_id", text(organization_id)),
        ("domain", text(domain)),
        ("include", text(include.as_deref())),
    ])
}

impl ConnectionClient {
    pub(crate) fn new(api: Api) -> Self {
        ConnectionClient { api }
    }

    /// `POST /api/v1/organizations/{organization_id}/connections`.
    pub async fn create_connection<R: FromWire<ConnectionResponse>>(
        &self,
        organization_id: String,
        connection: CreateConnection,
        request_options: &RequestOptions,
    ) -> Result<R> {
        #[derive(serde::Serialize)]
        struct Body<'a> {
            provider: &'static str,
            r#type: &'static str,
            #[serde(skip_serializing_if = "Option::is_none")]
            provider_key: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            key_id: Option<&'a str>,
        }
        let id = validate::required_id("organizationId", &organization_id)?;
        let body = Body {
            provider: connection.provider.resolve("connection.provider", enum_names::CONNECTION_PROVIDER)?,
            r#type: connection.r#type.resolve("connection.type", enum_names::CONNECTION_TYPE)?,
            provider_key: connection.provider_key.as_deref().map(str::trim).filter(|k| !k.is_empty()),
            key_id: connection.key_id.as_deref().map(str::trim).filter(|k| !k.is_empty()),
        };
        let request = ApiRequest::new(Method::POST, format!("/api/v1/organizations/{}/connections", segment(id))).json(&body)?;
        self.api.send::<ConnectionResponse, R>(request, request_options).await
    }

    /// `GET /api/v1/connections?organization_id=…`: the organization's connections.
    pub async fn list_connections<R: FromWire<ListConnectionsResponse>>(
        &self,
        organization_id: String,
        options: Option<ListConnectionsOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let id = validate::required_id("organizationId", &organization_id)?;
        let options = options.unwrap_or_default();
        let request = list_request(Some(id), options.domain.as_deref(), options.include);
        self.api.send::<ListConnectionsResponse, R>(request, request_options).await
    }

    /// `GET /api/v1/connections?domain=…`: the connections of the organization owning the domain.
    pub async fn list_connections_by_domain<R: FromWire<ListConnectionsResponse>>(
        &self,
        domain: String,
        options: Option<ListConnectionsByDomainOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let domain = validate::required_text("domain", &domain)?;
        let options = options.unwrap_or_default();
        let request = list_request(options.organization_id.as_deref(), Some(domain), options.include);
        self.api.send::<ListConnectionsResponse, R>(request, request_options).await
    }

    /// `GET /api/v1/connections/app`: a page of the environment's connections.
    pub async fn list_app_connections<R: FromWire<ListAppConnectionsResponse>>(
        &self,
        params: Option<ListAppConnectionsOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let params = params.unwrap_or_default();
        let page_size = validate::page_size("params.pageSize", params.page_size)?;
        let text = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
        let request = ApiRequest::new(Method::GET, "/api/v1/connections/app".into()).query([
            ("page_size", page_size.map(|n| n.to_string())),
            ("page_token", text(params.page_token)),
            ("provider", text(params.provider)),
            ("query", text(params.query)),
        ]);
        self.api.send::<ListAppConnectionsResponse, R>(request, request_options).await
    }
}
