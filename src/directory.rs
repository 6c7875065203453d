use scalekit_core::models::*;

/// `client.directory`: SCIM directories and their users and groups.
#[scalekit_derive::sub_client(core = scalekit_core::DirectoryClient)]
impl DirectoryClient {
    /// `GET /api/v1/organizations/{organizationId}/directories`: every directory of the organization.
    fn list_directories(organization_id: String) -> ListDirectoriesResponse;
    /// `GET /api/v1/organizations/{organizationId}/directories/{directoryId}`.
    fn get_directory(organization_id: String, directory_id: String) -> DirectoryResponse;
    /// The organization's first directory; rejects with `ScalekitNotFoundException` (404) when it has none.
    fn get_primary_directory_by_organization_id(organization_id: String) -> Directory;
    /// `GET …/directories/{directoryId}/users`: a page of the directory's users (`userDetail`, the raw SCIM resource, with `includeDetail`).
    fn list_directory_users(organization_id: String, directory_id: String, options: Option<ListDirectoryUsersOptions>) -> ListDirectoryUsersResponse;
    /// `GET …/directories/{directoryId}/groups`: a page of the directory's groups.
    fn list_directory_groups(organization_id: String, directory_id: String, options: Option<ListDirectoryGroupsOptions>) -> ListDirectoryGroupsResponse;
    /// `PATCH …/directories/{directoryId}:enable`.
    fn enable_directory(organization_id: String, directory_id: String) -> ToggleResponse;
    /// `PATCH …/directories/{directoryId}:disable`.
    fn disable_directory(organization_id: String, directory_id: String) -> ToggleResponse;
    /// `POST /api/v1/organizations/{organizationId}/directories`.
    fn create_directory(organization_id: String, directory: CreateDirectory) -> DirectoryResponse;
    /// `DELETE /api/v1/organizations/{organizationId}/directories/{directoryId}`.
    fn delete_directory(organization_id: String, directory_id: String) -> Empty;
}
