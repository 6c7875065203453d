'use strict'
// Setting up enterprise SSO for a customer: their domain, a SAML connection (what to give their
// IdP admin), the admin portal link, enabling it, and sending their users to sign in.
const { connect, run } = require('./connect')

run(async () => {
  const { scalekit, emulator, close } = await connect()
  try {
    const { organization } = await scalekit.organization.createOrganization('Globex', { externalId: `globex-${Date.now()}` })
    await scalekit.domain.createDomain(organization.id, 'globex.example', { domainType: 'ORGANIZATION_DOMAIN' })
    const { connection } = await scalekit.connection.createConnection(organization.id, { provider: 'OKTA', type: 'SAML' })
    console.log(`connection ${connection.id}: ${connection.provider} ${connection.type}, ${connection.status}`)
    console.log(`  give the IdP admin: entity id ${connection.samlConfig?.spEntityId}`)
    console.log(`                      ACS URL   ${connection.samlConfig?.spAssertionUrl}`)

    // Or let their admin do it all in the admin portal.
    const link = await scalekit.organization.generatePortalLink(organization.id)
    console.log(`admin portal link (expires ${link.expireTime}): ${link.location}`)

    if (emulator) {
      // What the admin enters about their IdP.
      emulator.configureConnection(connection.id, { saml_config: { idp_entity_id: 'http://www.okta.com/exk1', idp_sso_url: 'https://globex.okta.com/app/sso/saml' } })
    }
    await scalekit.connection.enableConnection(organization.id, connection.id)
    const { connections } = await scalekit.connection.listConnectionsByDomain('globex.example')
    console.log(`connections for globex.example: ${connections.map((c) => `${c.id} (${c.status}, ${c.enabled ? 'enabled' : 'disabled'})`).join(', ')}`)

    const url = scalekit.getAuthorizationUrl('https://app.example/callback', { organizationId: organization.id, state: 'xyz' })
    console.log(`send Globex users to: ${url.slice(0, 80)}…`)
    await scalekit.organization.deleteOrganization(organization.id)
  } finally {
    await close()
  }
})
