//! `client.user`.

use reqwest::Method;

use crate::error::Result;
use crate::http::{segment, Api, ApiRequest, RequestOptions};
use crate::models::{
    CreateMembershipOptions, CreateUserAndMembershipResponse, CreateUserRequest, Empty, ListUserPermissionsResponse, ListUserRolesResponse,
    ListUsersOptions, ListUsersResponse, ResendInviteResponse, UpdateMembershipOptions, UpdateUserRequest, UserResponse, WireCreateUser,
    WireMembership, WireUpdateUser,
};
use crate::validate;
use crate::wire::FromWire;

#[derive(Debug, Clone)]
pub struct UserClient {
    api: Api,
}

impl UserClient {
    pub(crate) fn new(api: Api) -> Self {
        UserClient { api }
    }

    /// `POST /api/v1/organizations/{organization_id}/users`. `R` is
    /// `CreateUserAndMembershipResponse` or `CamelJson`.
    pub async fn create_user_and_membership<R: FromWire<CreateUserAndMembershipResponse>>(
        &self,
        organization_id: String,
        request: CreateUserRequest,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let organization_id = validate::required_id("organizationId", &organization_id)?;
        validate::email("email", &request.email)?;
        if let Some(inviter) = request.membership.as_ref().and_then(|m| m.inviter_email.as_deref()) {
            validate::email("membership.inviterEmail", inviter)?;
        }
        let request = ApiRequest::new(Method::POST, format!("/api/v1/organizations/{}/users", segment(organization_id)))
            .query([("send_invitation_email", request.send_invitation_email.map(|b| b.to_string()))])
            .json(&WireCreateUser::from_request(&request))?;
        self.api.send::<CreateUserAndMembershipResponse, R>(request, request_options).await
    }

    /// `GET /api/v1/users/{id}`.
    pub async fn get_user<R: FromWire<UserResponse>>(&self, user_id: String, request_options: &RequestOptions) -> Result<R> {
        let path = user_path(&user_id)?;
        self.api.send::<UserResponse, R>(ApiRequest::new(Method::GET, path), request_options).await
    }

    /// `GET /api/v1/users:external/{external_id}`.
    pub async fn get_user_by_external_id<R: FromWire<UserResponse>>(&self, external_id: String, request_options: &RequestOptions) -> Result<R> {
        let path = external_user_path(&external_id)?;
        self.api.send::<UserResponse, R>(ApiRequest::new(Method::GET, path), request_options).await
    }

    /// `GET /api/v1/users`.
    pub async fn list_users<R: FromWire<ListUsersResponse>>(&self, options: Option<ListUsersOptions>, request_options: &RequestOptions) -> Result<R> {
        let request = ApiRequest::new(Method::GET, "/api/v1/users".into()).query(paging(options)?);
        self.api.send::<ListUsersResponse, R>(request, request_options).await
    }

    /// `GET /api/v1/organizations/{organization_id}/users`.
    pub async fn list_organization_users<R: FromWire<ListUsersResponse>>(
        &self,
        organization_id: String,
        options: Option<ListUsersOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let id = validate::required_id("organizationId", &organization_id)?;
        let request = ApiRequest::new(Method::GET, format!("/api/v1/organizations/{}/users", segment(id))).query(paging(options)?);
        self.api.send::<ListUsersResponse, R>(request, request_options).await
    }

    /// `GET /api/v1/users:search`.
    pub async fn search_users<R: FromWire<ListUsersResponse>>(
        &self,
        query: String,
        page_size: Option<f64>,
        page_token: Option<String>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let request = ApiRequest::new(Method::GET, "/api/v1/users:search".into()).query(search(&query, page_size, page_token)?);
        self.api.send::<ListUsersResponse, R>(request, request_options).await
    }

    /// `GET /api/v1/organizations/{organization_id}/users:search`.
    pub async fn search_organization_users<R: FromWire<ListUsersResponse>>(
        &self,
        organization_id: String,
        query: String,
        page_size: Option<f64>,
        page_token: Option<String>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let id = validate::required_id("organizationId", &organization_id)?;
        let request = ApiRequest::new(Method::GET, format!("/api/v1/organizations/{}/users:search", segment(id))).query(search(&query, page_size, page_token)?);
        self.api.send::<ListUsersResponse, R>(request, request_options).await
    }

    /// `PATCH /api/v1/users/{id}`: only the fields given are sent.
    pub async fn update_user<R: FromWire<UserResponse>>(&self, user_id: String, options: UpdateUserRequest, request_options: &RequestOptions) -> Result<R> {
        let request = ApiRequest::new(Method::PATCH, user_path(&user_id)?).json(&WireUpdateUser::from_request(&options))?;
        self.api.send::<UserResponse, R>(request, request_options).await
    }

    /// `PATCH /api/v1/users:external/{external_id}`.
    pub async fn update_user_by_external_id<R: FromWire<UserResponse>>(
        &self,
        external_id: String,
        options: UpdateUserRequest,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let request = ApiRequest::new(Method::PATCH, external_user_path(&external_id)?).json(&WireUpdateUser::from_request(&options))?;
        self.api.send::<UserResponse, R>(request, request_options).await
    }

    /// `DELETE /api/v1/users/{id}`.
    pub async fn delete_user<R: FromWire<Empty>>(&self, user_id: String, request_options: &RequestOptions) -> Result<R> {
        self.api.send::<Empty, R>(ApiRequest::new(Method::DELETE, user_path(&user_id)?), request_options).await
    }

    /// `DELETE /api/v1/users:external/{external_id}`.
    pub async fn delete_user_by_external_id<R: FromWire<Empty>>(&self, external_id: String, request_options: &RequestOptions) -> Result<R> {
        self.api.send::<Empty, R>(ApiRequest::new(Method::DELETE, external_user_path(&external_id)?), request_options).await
    }

    /// `POST /api/v1/memberships/organizations/{organization_id}/users/{id}`.
    pub async fn create_membership<R: FromWire<UserResponse>>(
        &self,
        organization_id: String,
        user_id: String,
        options: Option<CreateMembershipOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let path = membership_path(&organization_id, "userId", &user_id, "")?;
        self.create_membership_at(path, options, request_options).await
    }

    /// `POST /api/v1/memberships/organizations/{organization_id}/users:external/{external_id}`.
    pub async fn create_membership_by_external_id<R: FromWire<UserResponse>>(
        &self,
        organization_id: String,
        external_id: String,
        options: Option<CreateMembershipOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let path = membership_path(&organization_id, "externalId", &external_id, ":external")?;
        self.create_membership_at(path, options, request_options).await
    }

    async fn create_membership_at<R: FromWire<UserResponse>>(&self, path: String, options: Option<CreateMembershipOptions>, request_options: &RequestOptions) -> Result<R> {
        let options = options.unwrap_or_default();
        if let Some(inviter) = options.inviter_email.as_deref() {
            validate::email("options.inviterEmail", inviter)?;
        }
        // The official SDK always sends roles and metadata, empty when not given; so does this.
        let no_metadata = Default::default();
        let body = WireMembership::new(Some(options.roles.as_deref().unwrap_or_default()), Some(options.metadata.as_ref().unwrap_or(&no_metadata)), options.inviter_email.as_deref());
        let request = ApiRequest::new(Method::POST, path)
            .query([("send_invitation_email", options.send_invitation_email.map(|b| b.to_string()))])
            .json(&body)?;
        self.api.send::<UserResponse, R>(request, request_options).await
    }

    /// `PATCH /api/v1/memberships/organizations/{organization_id}/users/{id}`: only the fields given are sent.
    pub async fn update_membership<R: FromWire<UserResponse>>(
        &self,
        organization_id: String,
        user_id: String,
        options: Option<UpdateMembershipOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let path = membership_path(&organization_id, "userId", &user_id, "")?;
        self.update_membership_at(path, options, request_options).await
    }

    /// `PATCH /api/v1/memberships/organizations/{organization_id}/users:external/{external_id}`: only the fields given are sent.
    pub async fn update_membership_by_external_id<R: FromWire<UserResponse>>(
        &self,
        organization_id: String,
        external_id: String,
        options: Option<UpdateMembershipOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let path = membership_path(&organization_id, "externalId", &external_id, ":external")?;
        self.update_membership_at(path, options, request_options).await
    }

    async fn update_membership_at<R: FromWire<UserResponse>>(&self, path: String, options: Option<UpdateMembershipOptions>, request_options: &RequestOptions) -> Result<R> {
        let options = options.unwrap_or_default();
        let body = WireMembership::new(options.roles.as_deref(), options.metadata.as_ref(), None);
        self.api.send::<UserResponse, R>(ApiRequest::new(Method::PATCH, path).json(&body)?, request_options).await
    }

    /// `DELETE /api/v1/memberships/organizations/{organization_id}/users/{id}`.
    pub async fn delete_membership<R: FromWire<Empty>>(&self, organization_id: String, user_id: String, request_options: &RequestOptions) -> Result<R> {
        let path = membership_path(&organization_id, "userId", &user_id, "")?;
        self.api.send::<Empty, R>(ApiRequest::new(Method::DELETE, path), request_options).await
    }

    /// `DELETE /api/v1/memberships/organizations/{organization_id}/users:external/{external_id}`.
    pub async fn delete_membership_by_external_id<R: FromWire<Empty>>(
        &self,
        organization_id: String,
        external_id: String,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let path = membership_path(&organization_id, "externalId", &external_id, ":external")?;
        self.api.send::<Empty, R>(ApiRequest::new(Method::DELETE, path), request_options).await
    }

    /// `PATCH /api/v1/invites/organizations/{organization_id}/users/{id}/resend`.
    pub async fn resend_invite<R: FromWire<ResendInviteResponse>>(&self, organization_id: String, user_id: String, request_options: &RequestOptions) -> Result<R> {
        let organization_id = validate::required_id("organizationId", &organization_id)?;
        let user_id = validate::required_id("userId", &user_id)?;
        let path = format!("/api/v1/invites/organizations/{}/users/{}/resend", segment(organization_id), segment(user_id));
        self.api.send::<ResendInviteResponse, R>(ApiRequest::new(Method::PATCH, path).json(&serde_json::json!({}))?, request_options).await
    }

    /// `GET /api/v1/organizations/{organization_id}/users/{user_id}/roles`.
    pub async fn list_user_roles<R: FromWire<ListUserRolesResponse>>(&self, organization_id: String, user_id: String, request_options: &RequestOptions) -> Result<R> {
        let path = format!("{}/roles", organization_user_path(&organization_id, &user_id)?);
        self.api.send::<ListUserRolesResponse, R>(ApiRequest::new(Method::GET, path), request_options).await
    }

    /// `GET /api/v1/organizations/{organization_id}/users/{user_id}/permissions`.
    pub async fn list_user_permissions<R: FromWire<ListUserPermissionsResponse>>(
        &self,
        organization_id: String,
        user_id: String,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let path = format!("{}/permissions", organization_user_path(&organization_id, &user_id)?);
        self.api.send::<ListUserPermissionsResponse, R>(ApiRequest::new(Method::GET, path), request_options).await
    }

    /// `POST /api/v1/organizations/{organization_id}/users/{user_id}/roles`, whose body is a bare
    /// array (binding `body: "roles"`): `[{"role_name": "admin"}]`.
    pub async fn assign_user_roles<R: FromWire<ListUserRolesResponse>>(
        &self,
        organization_id: String,
        user_id: String,
        roles: Vec<String>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        #[derive(serde::Serialize)]
        struct RoleName<'a> {
            role_name: &'a str,
        }
        let path = format!("{}/roles", organization_user_path(&organization_id, &user_id)?);
        for (i, role) in roles.iter().enumerate() {
            validate::required_text(&format!("roles[{i}]"), role)?;
        }
        let body: Vec<RoleName> = roles.iter().map(|r| RoleName { role_name: r.trim() }).collect();
        self.api.send::<ListUserRolesResponse, R>(ApiRequest::new(Method::POST, path).json(&body)?, request_options).await
    }

    /// `DELETE /api/v1/organizations/{organization_id}/users/{user_id}/roles/{role_name}`.
    pub async fn remove_user_role<R: FromWire<Empty>>(
        &self,
        organization_id: String,
        user_id: String,
        role_name: String,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let role = validate::required_id("roleName", &role_name)?;
        let path = format!("{}/roles/{}", organization_user_path(&organization_id, &user_id)?, segment(role));
        self.api.send::<Empty, R>(ApiRequest::new(Method::DELETE, path), request_options).await
    }
}

fn user_path(user_id: &str) -> Result<String> {
    Ok(format!("/api/v1/users/{}", segment(validate::required_id("userId", user_id)?)))
}

fn external_user_path(external_id: &str) -> Result<String> {
    Ok(format!("/api/v1/users:external/{}", segment(validate::required_id("externalId", external_id)?)))
}

/// `/api/v1/memberships/organizations/{organization_id}/users{suffix}/{id}` (suffix `:external` for external ids).
fn membership_path(organization_id: &str, id_field: &str, id: &str, suffix: &str) -> Result<String> {
    let organization_id = validate::required_id("organizationId", organization_id)?;
    let id = validate::required_id(id_field, id)?;
    Ok(format!("/api/v1/memberships/organizations/{}/users{suffix}/{}", segment(organization_id), segment(id)))
}

fn organization_user_path(organization_id: &str, user_id: &str) -> Result<String> {
    let organization_id = validate::required_id("organizationId", organization_id)?;
    let user_id = validate::required_id("userId", user_id)?;
    Ok(format!("/api/v1/organizations/{}/users/{}", segment(organization_id), segment(user_id)))
}

fn paging(options: Option<ListUsersOptions>) -> Result<[(&'static str, Option<String>); 2]> {
    let options = options.unwrap_or_default();
    let page_size = validate::page_size("options.pageSize", options.page_size)?;
    Ok([("page_size", page_size.map(|n| n.to_string())), ("page_token", options.page_token.filter(|t| !t.is_empty()))])
}

fn search(query: &str, page_size: Option<f64>, page_token: Option<String>) -> Result<[(&'static str, Option<String>); 3]> {
    let query = validate::required_text("query", query)?;
    let page_size = validate::page_size("pageSize", page_size)?;
    Ok([("query", Some(query.to_owned())), ("page_size", page_size.map(|n| n.to_string())), ("page_token", page_token.filter(|t| !t.is_empty()))])
}
