use scalekit_core::models::*;

/// `client.domain`.
#[scalekit_derive::sub_client(core = scalekit_core::DomainClient)]
impl DomainClient {
    /// `POST /api/v1/organizations/{organizationId}/domains`: adds the domain `name` to an organization.
    fn create_domain(organization_id: String, name: String, options: Option<CreateDomainOptions>) -> DomainResponse;
    /// `GET /api/v1/organizations/{organizationId}/domains/{domainId}`: one domain.
    fn get_domain(organization_id: String, domain_id: String) -> DomainResponse;
    /// `GET /api/v1/organizations/{organizationId}/domains`: a page of the organization's domains, by page number.
    fn list_domains(organization_id: String, options: Option<ListDomainsOptions>) -> ListDomainResponse;
    /// `DELETE /api/v1/organizations/{organizationId}/domains/{domainId}`.
    fn delete_domain(organization_id: String, domain_id: String) -> Empty;
}
