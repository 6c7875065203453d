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
    /// `PUT /api/v1/organizations/{id}/portal_links`: a one-minute admin-portal link, optionally for some `features` only.
    fn generate_portal_link(organization_id: String, options: Option<GeneratePortalLinkOptions>) -> Link;
    /// `GET /api/v1/organizations/{id}/session-policy`: the organization's session policy.
    fn get_organization_session_policy(organization_id: String) -> OrganizationSessionPolicySettings;
    /// `PATCH /api/v1/organizations/{id}/session-policy`: the environment's policy (`APPLICATION`) or custom timeouts (`CUSTOM`).
    fn update_organization_session_policy(organization_id: String, policy: OrganizationSessionPolicyInput) -> OrganizationSessionPolicySettings;
    /// `GET /api/v1/organizations/{id}/settings/usermanagement`: the organization's user-management settings.
    fn get_organization_user_management_setting(organization_id: String) -> GetOrganizationUserManagementSettingsResponse;
    /// `PATCH /api/v1/organizations/{id}/settings/usermanagement`: sets `maxAllowedUsers`.
    fn upsert_user_management_settings(organization_id: String, settings: OrganizationUserManagementSettingsInput) -> OrganizationUserManagementSettings;
}
