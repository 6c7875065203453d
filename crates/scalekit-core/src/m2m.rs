//! `client.m2m`: API (M2M) clients of organizations and their secrets.

use reqwest::Method;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::http::{segment, Api, ApiRequest, RequestOptions};
use crate::models::{
    CreateOrganizationClientResponse, CreateOrganizationClientSecretResponse, Empty, ListOrganizationClientsOptions, ListOrganizationClientsResponse,
    OrganizationClientOptions, OrganizationClientResponse,
};
use crate::validate;
use crate::wire::FromWire;

#[derive(Debug, Clone)]
pub struct M2MClient {
    api: Api,
}

path_calls! {
    impl M2MClient {
        /// `GET /api/v1/organizations/{organization_id}/clients/{client_id}`.
        get_organization_client(organization_id "organizationId", client_id "clientId") -> OrganizationClientResponse = GET "/api/v1/organizations/{}/clients/{}";
        /// `DELETE /api/v1/organizations/{organization_id}/clients/{client_id}`.
        delete_organization_client(organization_id "organizationId", client_id "clientId") -> Empty = DELETE "/api/v1/organizations/{}/clients/{}";
        /// `POST /api/v1/organizations/{organization_id}/clients/{client_id}/secrets`: a new secret, shown once.
        add_organization_client_secret(organization_id "organizationId", client_id "clientId") -> CreateOrganizationClientSecretResponse = POST "/api/v1/organizations/{}/clients/{}/secrets";
        /// `DELETE /api/v1/organizations/{organization_id}/clients/{client_id}/secrets/{secret_id}`.
        remove_organization_client_secret(organization_id "organizationId", client_id "clientId", secret_id "secretId") -> Empty = DELETE "/api/v1/organizations/{}/clients/{}/secrets/{}";
    }
}

/// `clientsOrganizationClient`: only the fields given; custom claims as `[{ key, value }]`.
#[derive(Serialize)]
struct WireOrganizationClient<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_claims: Option<Vec<WireClaim<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    audience: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scopes: Option<&'a [String]>,
    /// int64: a JSON string, as proto3 JSON writes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    expiry: Option<String>,
}

#[derive(Serialize)]
struct WireClaim<'a> {
    key: &'a str,
    value: &'a str,
}

fn client_body(options: &OrganizationClientOptions) -> Result<WireOrganizationClient<'_>> {
    let expiry = match options.expiry {
        Some(s) if s.fract() == 0.0 && s >= 0.0 && s <= i64::MAX as f64 => Some((s as i64).to_string()),
        Some(s) => return Err(Error::invalid("options.expiry", format!("options.expiry must be a whole number of seconds from 0, got {s}"))),
        None => None,
    };
    let mut claims: Option<Vec<WireClaim>> = options.custom_claims.as_ref().map(|c| c.iter().map(|(key, value)| WireClaim { key, value }).collect());
    // A stable order on the wire, whatever the map's.
    if let Some(claims) = claims.as_mut() {
        claims.sort_by(|a, b| a.key.cmp(b.key));
    }
    Ok(WireOrganizationClient {
        name: options.name.as_deref(),
        description: options.description.as_deref(),
        custom_claims: claims,
        audience: options.audience.as_deref(),
        scopes: options.scopes.as_deref(),
        expiry,
    })
}

impl M2MClient {
    pub(crate) fn new(api: Api) -> Self {
        M2MClient { api }
    }

    /// `POST /api/v1/organizations/{organization_id}/clients`: the result's `plainSecret` is shown only here.
    pub async fn create_organization_client<R: FromWire<CreateOrganizationClientResponse>>(
        &self,
        organization_id: String,
        options: Option<OrganizationClientOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let id = validate::required_id("organizationId", &organization_id)?;
        let options = options.unwrap_or_default();
        let request = ApiRequest::new(Method::POST, format!("/api/v1/organizations/{}/clients", segment(id))).json(&client_body(&options)?)?;
        self.api.send::<CreateOrganizationClientResponse, R>(request, request_options).await
    }

    /// `PATCH /api/v1/organizations/{organization_id}/clients/{client_id}`: only the fields given change.
    pub async fn update_organization_client<R: FromWire<OrganizationClientResponse>>(
        &self,
        organization_id: String,
        client_id: String,
        options: Option<OrganizationClientOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let id = validate::required_id("organizationId", &organization_id)?;
        let client_id = validate::required_id("clientId", &client_id)?;
        let options = options.unwrap_or_default();
        let path = format!("/api/v1/organizations/{}/clients/{}", segment(id), segment(client_id));
        let request = ApiRequest::new(Method::PATCH, path).json(&client_body(&options)?)?;
        self.api.send::<OrganizationClientResponse, R>(request, request_options).await
    }

    /// `GET /api/v1/organizations/{organization_id}/clients`: a page of the organization's API clients.
    pub async fn list_organization_clients<R: FromWire<ListOrganizationClientsResponse>>(
        &self,
        organization_id: String,
        options: Option<ListOrganizationClientsOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let id = validate::required_id("organizationId", &organization_id)?;
        let options = options.unwrap_or_default();
        let page_size = validate::page_size("options.pageSize", options.page_size)?;
        let request = ApiRequest::new(Method::GET, format!("/api/v1/organizations/{}/clients", segment(id))).query([
            ("page_size", page_size.map(|n| n.to_string())),
            ("page_token", options.page_token.filter(|t| !t.is_empty())),
        ]);
        self.api.send::<ListOrganizationClientsResponse, R>(request, request_options).await
    }
}
