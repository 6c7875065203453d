//! `client.organization`.

use reqwest::Method;

use crate::error::Result;
use crate::http::{segment, Api, ApiRequest, RequestOptions};
use crate::models::{
    enum_names, CreateOrganizationOptions, Empty, GeneratePortalLinkOptions, GetOrganizationUserManagementSettingsResponse, Link,
    ListOrganizationsOptions, ListOrganizationsResponse, OrganizationResponse, OrganizationSessionPolicyInput, OrganizationSessionPolicySettings,
    OrganizationSettings, OrganizationUserManagementSettings, OrganizationUserManagementSettingsInput, UpdateOrganization,
    WireCreateOrganization, WireSessionPolicy,
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
        let region_code = options.region_code.as_ref().map(|r| r.resolve("options.regionCode", enum_names::REGION_CODE)).transpose()?;
        let request = ApiRequest::new(Method::POST, "/api/v1/organizations".into()).json(&WireCreateOrganization { display_name: name, region_code, options: &options })?;
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

    /// `PUT /api/v1/organizations/{id}/portal_links`: a one-minute link to the admin portal (the answer's `link`).
    pub async fn generate_portal_link<R: FromWire<Link>>(
        &self,
        organization_id: String,
        options: Option<GeneratePortalLinkOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let id = validate::required_id("organizationId", &organization_id)?;
        let features = options.and_then(|o| o.features).unwrap_or_default();
        for (i, feature) in features.iter().enumerate() {
            validate::required_text(&format!("options.features[{i}]"), feature)?;
        }
        let request = ApiRequest::new(Method::PUT, format!("/api/v1/organizations/{}/portal_links", segment(id)))
            .query(features.into_iter().map(|f| ("features", Some(f))));
        self.api.send_field::<Link, R>(request, request_options, "link", None).await
    }

    /// `GET /api/v1/organizations/{organization_id}/session-policy` (the answer's `policy`).
    pub async fn get_organization_session_policy<R: FromWire<OrganizationSessionPolicySettings>>(
        &self,
        organization_id: String,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let id = validate::required_id("organizationId", &organization_id)?;
        let request = ApiRequest::new(Method::GET, format!("/api/v1/organizations/{}/session-policy", segment(id)));
        self.api.send_field::<OrganizationSessionPolicySettings, R>(request, request_options, "policy", None).await
    }

    /// `PATCH /api/v1/organizations/{organization_id}/session-policy` (the answer's `policy`).
    /// With `APPLICATION` only the source is sent; with `CUSTOM` the timeouts too.
    pub async fn update_organization_session_policy<R: FromWire<OrganizationSessionPolicySettings>>(
        &self,
        organization_id: String,
        policy: OrganizationSessionPolicyInput,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let id = validate::required_id("organizationId", &organization_id)?;
        let source = policy.policy_source.resolve("policy.policySource", enum_names::SESSION_POLICY_TYPE)?;
        let unit = |field: &str, value: &Option<crate::models::EnumValue>| value.as_ref().map(|u| u.resolve(field, enum_names::TIME_UNIT)).transpose();
        let body = if source == "CUSTOM" {
            let absolute = policy
                .absolute_session_timeout
                .ok_or_else(|| crate::Error::invalid("policy.absoluteSessionTimeout", "policy.absoluteSessionTimeout is required with CUSTOM"))?;
            let absolute_unit = unit("policy.absoluteSessionTimeoutUnit", &policy.absolute_session_timeout_unit)?
                .ok_or_else(|| crate::Error::invalid("policy.absoluteSessionTimeoutUnit", "policy.absoluteSessionTimeoutUnit is required with CUSTOM"))?;
            WireSessionPolicy {
                policy_source: source,
                absolute_session_timeout: Some(validate::whole("policy.absoluteSessionTimeout", absolute)?),
                absolute_session_timeout_unit: Some(absolute_unit),
                idle_session_timeout_enabled: policy.idle_session_timeout_enabled,
                idle_session_timeout: policy.idle_session_timeout.map(|n| validate::whole("policy.idleSessionTimeout", n)).transpose()?,
                idle_session_timeout_unit: unit("policy.idleSessionTimeoutUnit", &policy.idle_session_timeout_unit)?,
            }
        } else {
            WireSessionPolicy {
                policy_source: source,
                absolute_session_timeout: None,
                absolute_session_timeout_unit: None,
                idle_session_timeout_enabled: None,
                idle_session_timeout: None,
                idle_session_timeout_unit: None,
            }
        };
        let request = ApiRequest::new(Method::PATCH, format!("/api/v1/organizations/{}/session-policy", segment(id))).json(&body)?;
        self.api.send_field::<OrganizationSessionPolicySettings, R>(request, request_options, "policy", None).await
    }

    /// `GET /api/v1/organizations/{organization_id}/settings/usermanagement`.
    pub async fn get_organization_user_management_setting<R: FromWire<GetOrganizationUserManagementSettingsResponse>>(
        &self,
        organization_id: String,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let id = validate::required_id("organizationId", &organization_id)?;
        let request = ApiRequest::new(Method::GET, format!("/api/v1/organizations/{}/settings/usermanagement", segment(id)));
        self.api.send::<GetOrganizationUserManagementSettingsResponse, R>(request, request_options).await
    }

    /// `PATCH /api/v1/organizations/{organization_id}/settings/usermanagement` (the answer's `settings`;
    /// `{}` when it has none).
    pub async fn upsert_user_management_settings<R: FromWire<OrganizationUserManagementSettings>>(
        &self,
        organization_id: String,
        settings: OrganizationUserManagementSettingsInput,
        request_options: &RequestOptions,
    ) -> Result<R> {
        #[derive(serde::Serialize)]
        struct Body {
            settings: Settings,
        }
        #[derive(serde::Serialize)]
        struct Settings {
            #[serde(skip_serializing_if = "Option::is_none")]
            max_allowed_users: Option<u32>,
        }
        let id = validate::required_id("organizationId", &organization_id)?;
        let max_allowed_users = settings.max_allowed_users.and_then(|n| n.0).map(|n| validate::whole("settings.maxAllowedUsers", n)).transpose()?;
        let request = ApiRequest::new(Method::PATCH, format!("/api/v1/organizations/{}/settings/usermanagement", segment(id)))
            .json(&Body { settings: Settings { max_allowed_users } })?;
        self.api.send_field::<OrganizationUserManagementSettings, R>(request, request_options, "settings", Some("{}")).await
    }
}
