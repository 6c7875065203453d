use scalekit_core::models::*;

/// `client.connection`: SSO connections.
#[scalekit_derive::sub_client(core = scalekit_core::ConnectionClient)]
impl ConnectionClient {
    /// `POST /api/v1/organizations/{organizationId}/connections`: creates an SSO connection (a draft until configured and enabled).
    fn create_connection(organization_id: String, connection: CreateConnection) -> ConnectionResponse;
    /// `GET /api/v1/organizations/{organizationId}/connections/{id}`: one connection, with its OIDC or SAML configuration.
    fn get_connection(organization_id: String, id: String) -> ConnectionResponse;
    /// `GET /api/v1/connections?organization_id=…`: the organization's connections (`options` filter further).
    fn list_connections(organization_id: String, options: Option<ListConnectionsOptions>) -> ListConnectionsResponse;
    /// `GET /api/v1/connections?domain=…`: the connections of the organization that owns `domain`.
    fn list_connections_by_domain(domain: String, options: Option<ListConnectionsByDomainOptions>) -> ListConnectionsResponse;
    /// `GET /api/v1/connections/app`: a page of the environment's connections.
    fn list_app_connections(params: Option<ListAppConnectionsOptions>) -> ListAppConnectionsResponse;
    /// `PATCH /api/v1/organizations/{organizationId}/connections/{id}:enable`.
    fn enable_connection(organization_id: String, id: String) -> ToggleResponse;
    /// `PATCH /api/v1/organizations/{organizationId}/connections/{id}:disable`.
    fn disable_connection(organization_id: String, id: String) -> ToggleResponse;
    /// `DELETE /api/v1/organizations/{organizationId}/connections/{id}`.
    fn delete_connection(organization_id: String, id: String) -> Empty;
}
