use scalekit_core::models::*;

/// `client.organization`.
#[scalekit_derive::sub_client(core = scalekit_core::OrganizationClient)]
impl OrganizationClient {
    /// `GET /api/v1/organizations`: one page of organizations.
    fn list_organizations(options: Option<ListOrganizationsOptions>) -> ListOrganizationsResponse;
    /// The official SDK's (singular) name for `listOrganizations`.
    #[alias_of(list_organizations)]
    fn list_organization(options: Option<ListOrganizationsOptions>) -> ListOrganizationsResponse;
    /// `POST /api/v1/organizations`: creates an organization named `name`.
    fn create_organization(name: String, options: Option<CreateOrganizationOptions>) -> OrganizationResponse;
    /// `GET /api/v1/organizations/{id}`: one organization.
    fn get_organization(id: String) -> OrganizationResponse;
    /// `GET /api/v1/organizations:external/{externalId}`: the organization with your external id.
    fn get_organization_by_external_id(external_id: String) -> OrganizationResponse;
    /// `PATCH /api/v1/organizations/{id}`: changes the fields given, and only those.
    fn update_organization(id: String, organization: UpdateOrganization) -> OrganizationResponse;
    /// `GET …:external/{externalId}` then `PATCH /api/v1/organizations/{id}`. Not atomic: two calls.
    fn update_organization_by_external_id(external_id: String, organization: UpdateOrganization) -> OrganizationResponse;
    /// `DELETE /api/v1/organizations/{id}`.
    fn delete_organization(organization_id: String) -> Empty;
    /// `GET /api/v1/organizations:search`: organizations whose name, id or external id match `query`.
    fn search_organization(query: String, page_size: Option<f64>, page_token: Option<String>) -> ListOrganizationsResponse;
    /// `PATCH /api/v1/organizations/{id}/settings`: switches features (`sso`, `dir_sync`) on or off.
    fn update_organization_settings(organization_id: String, settings: OrganizationSettings) -> OrganizationResponse;
}
