//! `client.directory`.

use reqwest::Method;

use crate::error::{Error, Result};
use crate::http::{segment, Api, ApiRequest, RequestOptions};
use crate::models::{
    enum_names, CreateDirectory, Directory, DirectoryResponse, Empty, ListDirectoriesResponse, ListDirectoryGroupsOptions, ListDirectoryGroupsResponse,
    ListDirectoryUsersOptions, ListDirectoryUsersResponse, Timestamp, ToggleResponse,
};
use crate::validate;
use crate::wire::FromWire;

#[derive(Debug, Clone)]
pub struct DirectoryClient {
    api: Api,
}

path_calls! {
    impl DirectoryClient {
        /// `GET /api/v1/organizations/{organization_id}/directories`.
        list_directories(organization_id "organizationId") -> ListDirectoriesResponse = GET "/api/v1/organizations/{}/directories";
        /// `GET /api/v1/organizations/{organization_id}/directories/{id}`.
        get_directory(organization_id "organizationId", directory_id "directoryId") -> DirectoryResponse = GET "/api/v1/organizations/{}/directories/{}";
        /// `PATCH /api/v1/organizations/{organization_id}/directories/{id}:enable`.
        enable_directory(organization_id "organizationId", directory_id "directoryId") -> ToggleResponse = PATCH "/api/v1/organizations/{}/directories/{}:enable";
        /// `PATCH /api/v1/organizations/{organization_id}/directories/{id}:disable`.
        disable_directory(organization_id "organizationId", directory_id "directoryId") -> ToggleResponse = PATCH "/api/v1/organizations/{}/directories/{}:disable";
        /// `DELETE /api/v1/organizations/{organization_id}/directories/{id}`.
        delete_directory(organization_id "organizationId", directory_id "directoryId") -> Empty = DELETE "/api/v1/organizations/{}/directories/{}";
    }
}

/// `…/directories/{directory_id}/{members}` with the paging and filters both lists share.
fn members_request(
    organization_id: &str,
    directory_id: &str,
    members: &str,
    (page_size, page_token, updated_after, include_detail): (Option<f64>, Option<String>, Option<Timestamp>, Option<bool>),
) -> Result<ApiRequest> {
    let organization_id = validate::required_id("organizationId", organization_id)?;
    let directory_id = validate::required_id("directoryId", directory_id)?;
    let page_size = validate::page_size("options.pageSize", page_size)?;
    let updated_after = updated_after.map(|t| t.rfc3339("options.updatedAfter")).transpose()?;
    let path = format!("/api/v1/organizations/{}/directories/{}/{members}", segment(organization_id), segment(directory_id));
    Ok(ApiRequest::new(Method::GET, path).query([
        ("page_size", page_size.map(|n| n.to_string())),
        ("page_token", page_token.filter(|t| !t.is_empty())),
        ("updated_after", updated_after),
        ("include_detail", include_detail.map(|b| b.to_string())),
    ]))
}

impl DirectoryClient {
    pub(crate) fn new(api: Api) -> Self {
        DirectoryClient { api }
    }

    /// The organization's first directory, from `GET …/directories`. Rejects with a
    /// not-found error (404) when it has none; the official SDK rejects with a bare string.
    pub async fn get_primary_directory_by_organization_id<R: FromWire<Directory>>(&self, organization_id: String, request_options: &RequestOptions) -> Result<R> {
        let id = validate::required_id("organizationId", &organization_id)?;
        let request = ApiRequest::new(Method::GET, format!("/api/v1/organizations/{}/directories", segment(id)));
        self.api
            .send_first::<Directory, R>(request, request_options, "directories")
            .await?
            .ok_or_else(|| Error::not_found("directory does not exist for organization"))
    }

    /// `POST /api/v1/organizations/{organization_id}/directories`.
    pub async fn create_directory<R: FromWire<DirectoryResponse>>(
        &self,
        organization_id: String,
        directory: CreateDirectory,
        request_options: &RequestOptions,
    ) -> Result<R> {
        #[derive(serde::Serialize)]
        struct Body {
            directory_type: &'static str,
            directory_provider: &'static str,
        }
        let id = validate::required_id("organizationId", &organization_id)?;
        let body = Body {
            directory_type: directory.directory_type.resolve("directory.directoryType", enum_names::DIRECTORY_TYPE)?,
            directory_provider: directory.directory_provider.resolve("directory.directoryProvider", enum_names::DIRECTORY_PROVIDER)?,
        };
        let request = ApiRequest::new(Method::POST, format!("/api/v1/organizations/{}/directories", segment(id))).json(&body)?;
        self.api.send::<DirectoryResponse, R>(request, request_options).await
    }

    /// `GET /api/v1/organizations/{organization_id}/directories/{directory_id}/users`.
    pub async fn list_directory_users<R: FromWire<ListDirectoryUsersResponse>>(
        &self,
        organization_id: String,
        directory_id: String,
        options: Option<ListDirectoryUsersOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let o = options.unwrap_or_default();
        let request = members_request(&organization_id, &directory_id, "users", (o.page_size, o.page_token, o.updated_after, o.include_detail))?
            .query([("directory_group_id", o.directory_group_id.filter(|g| !g.trim().is_empty()))]);
        self.api.send::<ListDirectoryUsersResponse, R>(request, request_options).await
    }

    /// `GET /api/v1/organizations/{organization_id}/directories/{directory_id}/groups`.
    pub async fn list_directory_groups<R: FromWire<ListDirectoryGroupsResponse>>(
        &self,
        organization_id: String,
        directory_id: String,
        options: Option<ListDirectoryGroupsOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let o = options.unwrap_or_default();
        let request = members_request(&organization_id, &directory_id, "groups", (o.page_size, o.page_token, o.updated_after, o.include_detail))?
            .query([("include_external_groups", o.include_external_groups.map(|b| b.to_string()))]);
        self.api.send::<ListDirectoryGroupsResponse, R>(request, request_options).await
    }
}
