use scalekit_core::models::*;

/// `client.organization`.
#[scalekit_derive::sub_client(core = scalekit_core::OrganizationClient)]
impl OrganizationClient {
    /// `GET /api/v1/organizations`: one page of organizations.
    fn list_organizations(options: Option<ListOrganizationsOptions>) -> ListOrganizationsResponse;
    /// The official SDK's (singular) name for `listOrganizations`.
    #[alias_of(list_organizations)]
    fn list_organization(options: Option<ListOrganizationsOptions>) -> ListOrganizationsResponse;
}
