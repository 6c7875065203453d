'use strict'
// Machine-to-machine access: an API client for a customer's organization, its token, checking
// that token in your API, and rotating its secret.
const { ScalekitClient } = require('scalekit-native')
const { connect, run } = require('./connect')

run(async () => {
  const { scalekit, emulator, close } = await connect()
  try {
    const { organization } = await scalekit.organization.createOrganization('Hooli', { externalId: `hooli-${Date.now()}` })
    const { client, plainSecret } = await scalekit.m2m.createOrganizationClient(organization.id, {
      name: 'Hooli billing sync', scopes: ['invoices:read'], customClaims: { tier: 'gold' }, expiry: 3600,
    })
    console.log(`API client ${client.clientId} (tokens live ${client.expiry} s); its secret is shown once`)

    // The customer's service signs in with its own id and secret (client credentials).
    const envUrl = process.env.SCALEKIT_ENVIRONMENT_URL ?? emulator.url
    const service = new ScalekitClient(envUrl, client.clientId, plainSecret)
    const accessToken = await service.getClientAccessToken()
    console.log(`the service got an access token (${accessToken.length} characters)`)

    // Your API checks it.
    const claims = await scalekit.validateToken(accessToken)
    console.log(`valid: organization ${claims.oid ?? claims.organization_id ?? '?'}, client ${claims.client_id ?? claims.sub}`)

    const { secret, plainSecret: next } = await scalekit.m2m.addOrganizationClientSecret(organization.id, client.clientId)
    await scalekit.m2m.removeOrganizationClientSecret(organization.id, client.clientId, client.secrets[0].id)
    console.log(`rotated: new secret …${secret?.secretSuffix} (${next.length} characters), the old one removed`)
    await scalekit.organization.deleteOrganization(organization.id)
  } finally {
    await close()
  }
})
