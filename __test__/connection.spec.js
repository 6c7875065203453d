'use strict'
// client.connection against the emulator: the request each method sent and its result.
const test = require('ava')
const sk = require('..')
const { startEmulator, clientFor, lastRequest } = require('./helpers')

test('createConnection: SAML and OIDC, by name or the official enum numbers, with Scalekit’s side of the configuration', async (t) => {
  const emulator = await startEmulator(t)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  const client = clientFor(emulator)

  const { connection: saml } = await client.connection.createConnection(acme.id, { provider: 'OKTA', type: 'SAML', providerKey: 'okta' })
  t.like(lastRequest(emulator), { method: 'POST', path: `/api/v1/organizations/${acme.id}/connections`, status: 201 })
  t.deepEqual(lastRequest(emulator).body, { provider: 'OKTA', type: 'SAML', provider_key: 'okta' })
  t.regex(saml.id, /^conn_/)
  t.like(saml, { provider: 'OKTA', type: 'SAML', status: 'DRAFT', enabled: false, organizationId: acme.id, providerKey: 'okta' })
  // camelCase all the way down.
  t.is(saml.samlConfig.spAssertionUrl, `${emulator.url}/sso/v1/saml/${saml.id}/acs`)
  t.is(saml.samlConfig.spEntityId, `${emulator.url}/sso/v1/saml/${saml.id}`)
  t.is(saml.samlConfig.samlSigningOption, 'SAML_ONLY_RESPONSE_SIGNING')
  t.deepEqual(saml.samlConfig.idpCertificates, [])
  t.is(saml.oidcConfig, undefined)

  // ConnectionProvider.GOOGLE = 2 and ConnectionType.OIDC = 1 in the official SDK.
  const { connection: oidc } = await client.connection.createConnection(acme.id, { provider: 2, type: 1, keyId: 'google-main' })
  t.deepEqual(lastRequest(emulator).body, { provider: 'GOOGLE', type: 'OIDC', key_id: 'google-main' })
  t.deepEqual(oidc.oidcConfig.scopes, ['openid', 'profile', 'email'])
  t.is(oidc.oidcConfig.redirectUri, `${emulator.url}/sso/v1/oidc/callback`)
  t.is(oidc.keyId, 'google-main')
  t.is(oidc.samlConfig, undefined)

  for (const [connection, field] of [
    [{ provider: 'OKTAA', type: 'SAML' }, 'connection.provider'],
    [{ provider: 'OKTA', type: 'SMOKE' }, 'connection.type'],
    [{ provider: 0, type: 'SAML' }, 'connection.provider'],
  ]) {
    const error = await t.throwsAsync(client.connection.createConnection(acme.id, connection), { instanceOf: sk.ScalekitValidationException })
    t.is(error.field, field)
  }
  await t.throwsAsync(client.connection.createConnection(' ', { provider: 'OKTA', type: 'SAML' }), { instanceOf: sk.ScalekitValidationException, message: 'organizationId is required' })
  await t.throwsAsync(client.connection.createConnection('org_missing', { provider: 'OKTA', type: 'SAML' }), { instanceOf: sk.ScalekitNotFoundException })
})

test('getConnection: the whole configuration the IdP side set, camelCase, with the organization’s domains', async (t) => {
  const emulator = await startEmulator(t)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  const client = clientFor(emulator)
  await client.domain.createDomain(acme.id, 'acme.com')
  const { connection } = await client.connection.createConnection(acme.id, { provider: 'MICROSOFT_AD', type: 'SAML' })
  emulator.configureConnection(connection.id, {
    saml_config: {
      idp_entity_id: 'https://sts.windows.net/tenant/',
      idp_sso_url: 'https://login.microsoftonline.com/tenant/saml2',
      idp_certificates: [{ id: 'cert_1', certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', expiry_time: '2030-01-01T00:00:00Z' }],
      want_request_signed: true,
    },
    // IdP attribute names are the customer's: they keep their keys.
    attribute_mapping: { email: 'user.mail', first_name: 'user.given_name' },
  })

  const result = await client.connection.getConnection(acme.id, connection.id)
  t.like(lastRequest(emulator), { method: 'GET', path: `/api/v1/organizations/${acme.id}/connections/${connection.id}` })
  const got = result.connection
  t.like(got.samlConfig, { idpEntityId: 'https://sts.windows.net/tenant/', idpSsoUrl: 'https://login.microsoftonline.com/tenant/saml2', wantRequestSigned: true })
  t.deepEqual(got.samlConfig.idpCertificates, [{ id: 'cert_1', certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', expiryTime: '2030-01-01T00:00:00Z' }])
  // Scalekit's side is kept.
  t.is(got.samlConfig.spAssertionUrl, connection.samlConfig.spAssertionUrl)
  t.deepEqual(got.attributeMapping, { email: 'user.mail', first_name: 'user.given_name' })
  t.deepEqual(got.domains.map((d) => d.domain), ['acme.com'])
  t.regex(got.createTime, /^\d{4}-\d\d-\d\dT/)
  t.notThrows(() => JSON.stringify(result), 'plain JSON-safe data')

  await t.throwsAsync(client.connection.getConnection(acme.id, 'conn_missing'), { instanceOf: sk.ScalekitNotFoundException })
  await t.throwsAsync(client.connection.getConnection(acme.id, ''), { instanceOf: sk.ScalekitValidationException, message: 'id is required' })
})

test('listConnections and listConnectionsByDomain: the official calls, plus include, domain and organization filters', async (t) => {
  const emulator = await startEmulator(t)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  const globex = emulator.createOrganization({ displayName: 'Globex' })
  const client = clientFor(emulator)
  await client.domain.createDomain(acme.id, 'acme.com')
  await client.domain.createDomain(globex.id, 'globex.com')
  const { connection: active } = await client.connection.createConnection(acme.id, { provider: 'OKTA', type: 'SAML' })
  const { connection: draft } = await client.connection.createConnection(acme.id, { provider: 'GOOGLE', type: 'OIDC' })
  const { connection: other } = await client.connection.createConnection(globex.id, { provider: 'OKTA', type: 'OIDC' })
  await client.connection.enableConnection(acme.id, active.id)
  await client.connection.enableConnection(globex.id, other.id)

  const byOrganization = await client.connection.listConnections(acme.id)
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/connections', query: `organization_id=${acme.id}` })
  t.deepEqual(byOrganization.connections.map((c) => c.id), [active.id], 'only active connections by default')
  t.like(byOrganization.connections[0], { provider: 'OKTA', type: 'SAML', status: 'COMPLETED', enabled: true, organizationName: 'Acme', domains: ['acme.com'] })

  const all = await client.connection.listConnections(acme.id, { include: 'all' })
  t.is(lastRequest(emulator).query, `organization_id=${acme.id}&include=all`)
  t.deepEqual(all.connections.map((c) => c.id).sort(), [active.id, draft.id].sort())
  await client.connection.listConnections(acme.id, { domain: 'acme.com', include: 'all' })
  t.is(lastRequest(emulator).query, `organization_id=${acme.id}&domain=acme.com&include=all`)

  const byDomain = await client.connection.listConnectionsByDomain('globex.com')
  t.like(lastRequest(emulator), { path: '/api/v1/connections', query: 'domain=globex.com' })
  t.deepEqual(byDomain.connections.map((c) => c.id), [other.id])
  t.deepEqual((await client.connection.listConnectionsByDomain('acme.com', { include: 'all' })).connections.map((c) => c.id).sort(), [active.id, draft.id].sort())
  t.is(lastRequest(emulator).query, 'domain=acme.com&include=all')
  await client.connection.listConnectionsByDomain('acme.com', { organizationId: acme.id })
  t.is(lastRequest(emulator).query, `organization_id=${acme.id}&domain=acme.com`)
  t.deepEqual(await client.connection.listConnectionsByDomain('nobody.example'), { connections: [] })

  await t.throwsAsync(client.connection.listConnections(''), { instanceOf: sk.ScalekitValidationException, message: 'organizationId is required' })
  await t.throwsAsync(client.connection.listConnectionsByDomain('  '), { instanceOf: sk.ScalekitValidationException, message: 'domain is required' })
})

test('listAppConnections: pages of the environment’s connections, by provider and text', async (t) => {
  const emulator = await startEmulator(t)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  const client = clientFor(emulator)
  for (let i = 0; i < 3; i++) await client.connection.createConnection(acme.id, { provider: 'OKTA', type: 'SAML', keyId: `okta-${i}` })
  await client.connection.createConnection(acme.id, { provider: 'GITHUB', type: 'OAUTH', keyId: 'github' })

  const first = await client.connection.listAppConnections({ pageSize: 2 })
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/connections/app', query: 'page_size=2' })
  t.is(first.connections.length, 2)
  t.is(first.totalSize, 4)
  t.truthy(first.nextPageToken)
  const second = await client.connection.listAppConnections({ pageSize: 2, pageToken: first.nextPageToken })
  t.is(lastRequest(emulator).query, `page_size=2&page_token=${encodeURIComponent(first.nextPageToken)}`)
  t.is(second.connections.length, 2)
  t.is(second.nextPageToken, '')
  const ids = [...first.connections, ...second.connections].map((c) => c.id)
  t.is(new Set(ids).size, 4, 'no connection twice')

  const github = await client.connection.listAppConnections({ provider: 'GITHUB', query: 'git' })
  t.is(lastRequest(emulator).query, 'provider=GITHUB&query=git')
  t.deepEqual(github.connections.map((c) => c.keyId), ['github'])
  t.like(await client.connection.listAppConnections(), { totalSize: 4 })
  t.is(lastRequest(emulator).query, null)
  const error = await t.throwsAsync(client.connection.listAppConnections({ pageSize: 0 }), { instanceOf: sk.ScalekitValidationException })
  t.is(error.field, 'params.pageSize')
})

test('enableConnection, disableConnection and deleteConnection', async (t) => {
  const emulator = await startEmulator(t)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  const client = clientFor(emulator)
  const { connection } = await client.connection.createConnection(acme.id, { provider: 'OKTA', type: 'SAML' })

  t.deepEqual(await client.connection.enableConnection(acme.id, connection.id), { enabled: true })
  t.like(lastRequest(emulator), { method: 'PATCH', path: `/api/v1/organizations/${acme.id}/connections/${connection.id}:enable`, body: null })
  t.like((await client.connection.getConnection(acme.id, connection.id)).connection, { enabled: true, status: 'COMPLETED' })
  t.deepEqual(await client.connection.disableConnection(acme.id, connection.id), { enabled: false })
  t.like(lastRequest(emulator), { method: 'PATCH', path: `/api/v1/organizations/${acme.id}/connections/${connection.id}:disable` })
  t.false((await client.connection.getConnection(acme.id, connection.id)).connection.enabled)

  t.deepEqual(await client.connection.deleteConnection(acme.id, connection.id), {})
  t.like(lastRequest(emulator), { method: 'DELETE', path: `/api/v1/organizations/${acme.id}/connections/${connection.id}` })
  await t.throwsAsync(client.connection.getConnection(acme.id, connection.id), { instanceOf: sk.ScalekitNotFoundException })
  await t.throwsAsync(client.connection.enableConnection(acme.id, connection.id), { instanceOf: sk.ScalekitNotFoundException })
  await t.throwsAsync(client.connection.deleteConnection(acme.id, connection.id), { instanceOf: sk.ScalekitNotFoundException })
  // An id with path characters stays one segment.
  await t.throwsAsync(client.connection.disableConnection(acme.id, '../x'), { instanceOf: sk.ScalekitNotFoundException })
  t.is(lastRequest(emulator).path, `/api/v1/organizations/${acme.id}/connections/..%2Fx:disable`)
  t.deepEqual(emulator.events().map((e) => e.type).filter((type) => type.includes('sso')), ['organization.sso_created', 'organization.sso_enabled', 'organization.sso_disabled', 'organization.sso_deleted'])
})
