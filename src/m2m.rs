use scalekit_core::models::*;

/// `client.m2m`: API (M2M) clients of organizations.
#[scalekit_derive::sub_client(core = scalekit_core::M2MClient)]
impl M2MClient {
    /// `POST /api/v1/organizations/{organizationId}/clients`: the result's `plainSecret` is shown only here.
    fn create_organization_client(organization_id: String, options: Option<OrganizationClientOptions>) -> CreateOrganizationClientResponse;
    /// `GET /api/v1/organizations/{organizationId}/clients/{clientId}`.
    fn get_organization_client(organization_id: String, client_id: String) -> OrganizationClientResponse;
    /// `PATCH /api/v1/organizations/{organizationId}/clients/{clientId}`: changes the fields given, and only those.
    fn update_organization_client(organization_id: String, client_id: String, options: Option<OrganizationClientOptions>) -> OrganizationClientResponse;
    /// `DELETE /api/v1/organizations/{organizationId}/clients/{clientId}`.
    fn delete_organization_client(organization_id: String, client_id: String) -> Empty;
    /// `POST …/clients/{clientId}/secrets`: a new secret; `plainSecret` is shown only here.
    fn add_organization_client_secret(organization_id: String, client_id: String) -> CreateOrganizationClientSecretResponse;
    /// `DELETE …/clients/{clientId}/secrets/{secretId}`.
    fn remove_organization_client_secret(organization_id: String, client_id: String, secret_id: String) -> Empty;
    /// `GET /api/v1/organizations/{organizationId}/clients`: a page of the organization's API clients.
    fn list_organization_clients(organization_id: String, options: Option<ListOrganizationClientsOptions>) -> ListOrganizationClientsResponse;
}
