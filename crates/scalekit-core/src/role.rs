//! `client.role`: roles of the environment and of organizations.

use reqwest::Method;

use crate::error::{Error, Result};
use crate::http::{segment, Api, ApiRequest, RequestOptions};
use crate::models::{
    CreateRole, Empty, ListRolesResponse, RoleIncludeOptions, RoleResponse, RoleUsersCountResponse, UpdateDefaultOrganizationRolesResponse,
    UpdateDefaultRolesOptions, UpdateDefaultRolesResponse, UpdateRole,
};
use crate::validate;
use crate::wire::FromWire;

#[derive(Debug, Clone)]
pub struct RoleClient {
    api: Api,
}

path_calls! {
    impl RoleClient {
        /// `DELETE /api/v1/roles/{role_name}/base`: the role stops extending its base role.
        delete_role_base(role_name "roleName") -> Empty = DELETE "/api/v1/roles/{}/base";
        /// `GET /api/v1/roles/{role_name}/users:count`.
        get_role_users_count(role_name "roleName") -> RoleUsersCountResponse = GET "/api/v1/roles/{}/users:count";
        /// `GET /api/v1/roles/{role_name}/dependents`: the roles that extend this one.
        list_dependent_roles(role_name "roleName") -> ListRolesResponse = GET "/api/v1/roles/{}/dependents";
        /// `GET /api/v1/organizations/{org_id}/roles/{role_name}/users:count`.
        get_organization_role_users_count(org_id "orgId", role_name "roleName") -> RoleUsersCountResponse = GET "/api/v1/organizations/{}/roles/{}/users:count";
        /// `DELETE /api/v1/organizations/{org_id}/roles/{role_name}/base`.
        delete_organization_role_base(org_id "orgId", role_name "roleName") -> Empty = DELETE "/api/v1/organizations/{}/roles/{}/base";
    }
}

/// `/api/v1/roles` or `/api/v1/organizations/{org_id}/roles`, then `/{role_name}` when given.
fn roles_path(org_id: Option<&str>, role_name: Option<&str>) -> Result<String> {
    let mut path = match org_id {
        Some(org) => format!("/api/v1/organizations/{}/roles", segment(validate::required_id("orgId", org)?)),
        None => "/api/v1/roles".to_owned(),
    };
    if let Some(name) = role_name {
        path.push('/');
        path.push_str(&segment(validate::required_id("roleName", name)?));
    }
    Ok(path)
}

fn include(options: Option<RoleIncludeOptions>) -> Result<Option<String>> {
    match options.and_then(|o| o.include).filter(|i| !i.is_empty()) {
        Some(i) if i != "permissions" && i != "permissions:all" => Err(Error::invalid("options.include", "options.include must be 'permissions' or 'permissions:all'")),
        other => Ok(other),
    }
}

fn create_request(org_id: Option<&str>, role: &CreateRole) -> Result<ApiRequest> {
    let path = roles_path(org_id, None)?;
    validate::required_id("role.name", &role.name)?;
    ApiRequest::new(Method::POST, path).json(role)
}

fn delete_request(org_id: Option<&str>, role_name: &str, reassign_role_name: Option<String>) -> Result<ApiRequest> {
    let path = roles_path(org_id, Some(role_name))?;
    Ok(ApiRequest::new(Method::DELETE, path).query([("reassign_role_name", reassign_role_name.filter(|r| !r.trim().is_empty()))]))
}

impl RoleClient {
    pub(crate) fn new(api: Api) -> Self {
        RoleClient { api }
    }

    /// `POST /api/v1/roles`.
    pub async fn create_role<R: FromWire<RoleResponse>>(&self, role: CreateRole, request_options: &RequestOptions) -> Result<R> {
        self.api.send::<RoleResponse, R>(create_request(None, &role)?, request_options).await
    }

    /// `GET /api/v1/roles/{role_name}`.
    pub async fn get_role<R: FromWire<RoleResponse>>(&self, role_name: String, options: Option<RoleIncludeOptions>, request_options: &RequestOptions) -> Result<R> {
        let request = ApiRequest::new(Method::GET, roles_path(None, Some(&role_name))?).query([("include", include(options)?)]);
        self.api.send::<RoleResponse, R>(request, request_options).await
    }

    /// `GET /api/v1/roles`: every role of the environment.
    pub async fn list_roles<R: FromWire<ListRolesResponse>>(&self, options: Option<RoleIncludeOptions>, request_options: &RequestOptions) -> Result<R> {
        let request = ApiRequest::new(Method::GET, roles_path(None, None)?).query([("include", include(options)?)]);
        self.api.send::<ListRolesResponse, R>(request, request_options).await
    }

    /// `PUT /api/v1/roles/{role_name}`: only the fields given are sent.
    pub async fn update_role<R: FromWire<RoleResponse>>(&self, role_name: String, role: UpdateRole, request_options: &RequestOptions) -> Result<R> {
        let request = ApiRequest::new(Method::PUT, roles_path(None, Some(&role_name))?).json(&role)?;
        self.api.send::<RoleResponse, R>(request, request_options).await
    }

    /// `DELETE /api/v1/roles/{role_name}`; its users move to `reassignRoleName` when given.
    pub async fn delete_role<R: FromWire<Empty>>(&self, role_name: String, reassign_role_name: Option<String>, request_options: &RequestOptions) -> Result<R> {
        self.api.send::<Empty, R>(delete_request(None, &role_name, reassign_role_name)?, request_options).await
    }

    /// `POST /api/v1/organizations/{org_id}/roles`.
    pub async fn create_organization_role<R: FromWire<RoleResponse>>(&self, org_id: String, role: CreateRole, request_options: &RequestOptions) -> Result<R> {
        self.api.send::<RoleResponse, R>(create_request(Some(&org_id), &role)?, request_options).await
    }

    /// `GET /api/v1/organizations/{org_id}/roles/{role_name}`.
    pub async fn get_organization_role<R: FromWire<RoleResponse>>(
        &self,
        org_id: String,
        role_name: String,
        options: Option<RoleIncludeOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let request = ApiRequest::new(Method::GET, roles_path(Some(&org_id), Some(&role_name))?).query([("include", include(options)?)]);
        self.api.send::<RoleResponse, R>(request, request_options).await
    }

    /// `GET /api/v1/organizations/{org_id}/roles`: the organization's roles and the environment's.
    pub async fn list_organization_roles<R: FromWire<ListRolesResponse>>(
        &self,
        org_id: String,
        options: Option<RoleIncludeOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let request = ApiRequest::new(Method::GET, roles_path(Some(&org_id), None)?).query([("include", include(options)?)]);
        self.api.send::<ListRolesResponse, R>(request, request_options).await
    }

    /// `PUT /api/v1/organizations/{org_id}/roles/{role_name}`: only the fields given are sent.
    pub async fn update_organization_role<R: FromWire<RoleResponse>>(
        &self,
        org_id: String,
        role_name: String,
        role: UpdateRole,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let request = ApiRequest::new(Method::PUT, roles_path(Some(&org_id), Some(&role_name))?).json(&role)?;
        self.api.send::<RoleResponse, R>(request, request_options).await
    }

    /// `DELETE /api/v1/organizations/{org_id}/roles/{role_name}`.
    pub async fn delete_organization_role<R: FromWire<Empty>>(
        &self,
        org_id: String,
        role_name: String,
        reassign_role_name: Option<String>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        self.api.send::<Empty, R>(delete_request(Some(&org_id), &role_name, reassign_role_name)?, request_options).await
    }

    /// `PATCH /api/v1/roles:set_defaults`: only the roles given change.
    pub async fn update_default_roles<R: FromWire<UpdateDefaultRolesResponse>>(
        &self,
        options: Option<UpdateDefaultRolesOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        self.set_defaults("/api/v1/roles:set_defaults", options, request_options).await
    }

    /// `PATCH /api/v1/roles/default`: the spec's other route to `updateDefaultRoles`, same effect.
    pub async fn set_default_roles<R: FromWire<UpdateDefaultRolesResponse>>(
        &self,
        options: Option<UpdateDefaultRolesOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        self.set_defaults("/api/v1/roles/default", options, request_options).await
    }

    async fn set_defaults<R: FromWire<UpdateDefaultRolesResponse>>(
        &self,
        path: &str,
        options: Option<UpdateDefaultRolesOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        #[derive(serde::Serialize)]
        struct Body {
            #[serde(skip_serializing_if = "Option::is_none")]
            default_creator_role: Option<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            default_member_role: Option<String>,
        }
        let options = options.unwrap_or_default();
        let name = |field, value: &Option<String>| value.as_deref().map(|v| validate::required_id(field, v).map(str::to_owned)).transpose();
        let body = Body {
            default_creator_role: name("options.defaultCreatorRole", &options.default_creator_role)?,
            default_member_role: name("options.defaultMemberRole", &options.default_member_role)?,
        };
        let request = ApiRequest::new(Method::PATCH, path.to_owned()).json(&body)?;
        self.api.send::<UpdateDefaultRolesResponse, R>(request, request_options).await
    }

    /// `PATCH /api/v1/organizations/{org_id}/roles:set_defaults`.
    pub async fn update_default_organization_roles<R: FromWire<UpdateDefaultOrganizationRolesResponse>>(
        &self,
        org_id: String,
        default_member_role: String,
        request_options: &RequestOptions,
    ) -> Result<R> {
        #[derive(serde::Serialize)]
        struct Body<'a> {
            default_member_role: &'a str,
        }
        let path = format!("{}:set_defaults", roles_path(Some(&org_id), None)?);
        let default_member_role = validate::required_id("defaultMemberRole", &default_member_role)?;
        let request = ApiRequest::new(Method::PATCH, path).json(&Body { default_member_role })?;
        self.api.send::<UpdateDefaultOrganizationRolesResponse, R>(request, request_options).await
    }
}
