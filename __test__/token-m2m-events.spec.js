'use strict'
// client.token (opaque API tokens), client.m2m and client.events against the emulator.
const test = require('ava')
const util = require('node:util')
const sk = require('..')
const { startEmulator, clientFor, lastRequest } = require('./helpers')

test('API tokens: create, validate, list, update, invalidate; a refused token is a typed error that never shows the token', async (t) => {
  const emulator = await startEmulator(t)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  const client = clientFor(emulator)
  const { user } = await client.user.createUserAndMembership(acme.id, { email: 'ada@acme.com' })
  const expiry = new Date(Date.now() + 86_400_000)

  const created = await client.token.createToken(acme.id, { userId: user.id, customClaims: { team: 'billing' }, expiry, description: 'CI' })
  t.like(lastRequest(emulator), { method: 'POST', path: '/api/v1/tokens', status: 201 })
  const body = lastRequest(emulator).body
  t.like(body, { organization_id: acme.id, user_id: user.id, custom_claims: { team: 'billing' }, description: 'CI' })
  t.is(Date.parse(body.expiry), expiry.getTime())
  t.regex(created.tokenId, /^apit_/)
  t.truthy(created.token)
  t.like(created.tokenInfo, { tokenId: created.tokenId, organizationId: acme.id, userId: user.id, customClaims: { team: 'billing' }, description: 'CI' })
  const { token: second } = await client.token.createToken(acme.id)
  t.deepEqual(lastRequest(emulator).body, { organization_id: acme.id })
  // The official SDK's type for expiry is a google.protobuf.Timestamp (`timestampFromDate(date)` makes one).
  const seconds = Math.floor(expiry.getTime() / 1000)
  const other = emulator.createOrganization({ displayName: 'Other' })
  for (const timestamp of [
    { $typeName: 'google.protobuf.Timestamp', seconds: BigInt(seconds), nanos: 250_000_000 },
    { seconds, nanos: 250_000_000 },
    { seconds: String(seconds), nanos: 250_000_000 },
  ]) {
    await client.token.createToken(other.id, { expiry: timestamp })
    t.is(Date.parse(lastRequest(emulator).body.expiry), seconds * 1000 + 250)
  }
  for (const wrong of [{ seconds: 1.5 }, { nanos: 5 }, { seconds, nanos: 2e9 }]) {
    const error = await t.throwsAsync(client.token.createToken(acme.id, { expiry: wrong }), { instanceOf: sk.ScalekitValidationException })
    t.regex(error.field, /^options\.expiry/)
  }

  const valid = await client.token.validateToken(created.token)
  t.like(lastRequest(emulator), { method: 'POST', path: '/api/v1/tokens:validate' })
  t.deepEqual(lastRequest(emulator).body, { token: created.token })
  t.is(valid.tokenInfo.tokenId, created.tokenId)

  const page = await client.token.listTokens(acme.id, { pageSize: 1 })
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/tokens', query: `organization_id=${acme.id}&page_size=1` })
  t.is(page.totalCount, 2)
  t.is(page.tokens.length, 1)
  t.truthy(page.nextPageToken)
  t.false(JSON.stringify(page).includes(created.token), 'lists never carry the secret')
  t.is((await client.token.listTokens(acme.id, { userId: user.id })).tokens.length, 1)
  t.is(lastRequest(emulator).query, `organization_id=${acme.id}&user_id=${user.id}`)

  const updated = await client.token.updateToken(created.token, { customClaims: { team: '', region: 'eu' }, description: 'CI (eu)' })
  t.like(lastRequest(emulator), { method: 'POST', path: '/api/v1/tokens:update' })
  t.deepEqual(lastRequest(emulator).body, { token: created.token, custom_claims: { team: '', region: 'eu' }, description: 'CI (eu)' })
  t.deepEqual(updated.tokenInfo.customClaims, { region: 'eu' }, 'an empty value removes a claim')

  t.deepEqual(await client.token.invalidateToken(second), {})
  t.like(lastRequest(emulator), { method: 'POST', path: '/api/v1/tokens:invalidate' })
  t.deepEqual(await client.token.invalidateToken(second), {}, 'invalidating twice succeeds, as the API')
  const refused = await t.throwsAsync(client.token.validateToken(second), { instanceOf: sk.ScalekitValidateTokenFailureException })
  t.truthy(refused.reason)
  for (const text of [refused.message, refused.stack, util.inspect(refused), JSON.stringify(refused), String(refused)]) {
    t.false(String(text).includes(second), `the token leaked: ${text}`)
  }
  const unknown = await t.throwsAsync(client.token.validateToken('apit_not_a_token_at_all'), { instanceOf: sk.ScalekitValidateTokenFailureException })
  t.false(util.inspect(unknown).includes('apit_not_a_token_at_all'))
  for (const [call, field] of [
    [() => client.token.createToken(''), 'organizationId'],
    [() => client.token.createToken(acme.id, { expiry: 'tomorrow' }), 'options.expiry'],
    [() => client.token.validateToken(' '), 'token'],
    [() => client.token.listTokens(acme.id, { pageSize: 0 }), 'options.pageSize'],
  ]) {
    const error = await t.throwsAsync(call, { instanceOf: sk.ScalekitValidationException })
    t.is(error.field, field)
  }
})

test('M2M clients: create (with expiry), get, update, secrets, list, delete', async (t) => {
  const emulator = await startEmulator(t)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  const client = clientFor(emulator)

  const created = await client.m2m.createOrganizationClient(acme.id, {
    name: 'Billing sync', description: 'Nightly', customClaims: { tier: 'gold', env: 'prod' }, audience: ['https://api.acme.com'], scopes: ['invoices:read'], expiry: 7200,
  })
  t.like(lastRequest(emulator), { method: 'POST', path: `/api/v1/organizations/${acme.id}/clients`, status: 201 })
  t.deepEqual(lastRequest(emulator).body, {
    name: 'Billing sync', description: 'Nightly', custom_claims: [{ key: 'env', value: 'prod' }, { key: 'tier', value: 'gold' }],
    audience: ['https://api.acme.com'], scopes: ['invoices:read'], expiry: '7200',
  })
  const m2m = created.client
  t.regex(m2m.clientId, /^m2morg_/)
  t.truthy(created.plainSecret)
  t.is(m2m.expiry, 7200, 'int64 seconds as a number')
  t.deepEqual(m2m.customClaims, [{ key: 'env', value: 'prod' }, { key: 'tier', value: 'gold' }])
  t.like(m2m, { name: 'Billing sync', organizationId: acme.id, scopes: ['invoices:read'] })
  t.is(m2m.secrets.length, 1)
  t.is(m2m.secrets[0].secretSuffix, created.plainSecret.slice(-4))

  // The secret works: the client-credentials grant accepts it.
  const grant = await fetch(`${emulator.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: m2m.clientId, client_secret: created.plainSecret }),
  })
  t.is(grant.status, 200)

  t.deepEqual((await client.m2m.getOrganizationClient(acme.id, m2m.clientId)).client.clientId, m2m.clientId)
  t.like(lastRequest(emulator), { method: 'GET', path: `/api/v1/organizations/${acme.id}/clients/${m2m.clientId}` })
  const updated = await client.m2m.updateOrganizationClient(acme.id, m2m.clientId, { description: 'Hourly', expiry: 600 })
  t.like(lastRequest(emulator), { method: 'PATCH', path: `/api/v1/organizations/${acme.id}/clients/${m2m.clientId}` })
  t.deepEqual(lastRequest(emulator).body, { description: 'Hourly', expiry: '600' }, 'only the fields given')
  t.like(updated.client, { description: 'Hourly', name: 'Billing sync', expiry: 600 })

  const added = await client.m2m.addOrganizationClientSecret(acme.id, m2m.clientId)
  t.like(lastRequest(emulator), { method: 'POST', path: `/api/v1/organizations/${acme.id}/clients/${m2m.clientId}/secrets`, body: null })
  t.truthy(added.plainSecret)
  t.regex(added.secret.id, /^sec_/)
  t.deepEqual(await client.m2m.removeOrganizationClientSecret(acme.id, m2m.clientId, added.secret.id), {})
  t.like(lastRequest(emulator), { method: 'DELETE', path: `/api/v1/organizations/${acme.id}/clients/${m2m.clientId}/secrets/${added.secret.id}` })

  await client.m2m.createOrganizationClient(acme.id, { name: 'Second' })
  const page = await client.m2m.listOrganizationClients(acme.id, { pageSize: 10 })
  t.like(lastRequest(emulator), { method: 'GET', path: `/api/v1/organizations/${acme.id}/clients`, query: 'page_size=10' })
  t.is(page.totalSize, 2)
  t.deepEqual(page.clients.map((c) => c.name).sort(), ['Billing sync', 'Second'])

  t.deepEqual(await client.m2m.deleteOrganizationClient(acme.id, m2m.clientId), {})
  t.like(lastRequest(emulator), { method: 'DELETE', path: `/api/v1/organizations/${acme.id}/clients/${m2m.clientId}` })
  await t.throwsAsync(client.m2m.getOrganizationClient(acme.id, m2m.clientId), { instanceOf: sk.ScalekitNotFoundException })
  await t.throwsAsync(client.m2m.createOrganizationClient(acme.id, { expiry: 5 }), { instanceOf: sk.ScalekitBadRequestException }, 'the server bounds expiry')
  for (const [call, field] of [
    [() => client.m2m.createOrganizationClient(acme.id, { expiry: 1.5 }), 'options.expiry'],
    [() => client.m2m.getOrganizationClient(acme.id, ''), 'clientId'],
    [() => client.m2m.removeOrganizationClientSecret(acme.id, 'm2morg_1', ' '), 'secretId'],
    [() => client.m2m.listOrganizationClients('', {}), 'organizationId'],
  ]) {
    t.is((await t.throwsAsync(call, { instanceOf: sk.ScalekitValidationException })).field, field)
  }
})

test('events: listEventsPaginated pages the event log, filtered, with each event’s data keeping its keys', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  const acme = await client.organization.createOrganization('Acme', { metadata: { crm_id: '1' } })
  await client.organization.createOrganization('Globex')
  await client.user.createUserAndMembership(acme.organization.id, { email: 'ada@acme.com' })

  const first = await client.events.listEventsPaginated(2)
  t.like(lastRequest(emulator), { method: 'POST', path: '/api/v1/events/paginated', query: 'page_size=2', body: {} })
  t.is(first.events.length, 2)
  t.truthy(first.nextPageToken)
  const [event] = first.events
  t.regex(event.id, /^evt_/)
  t.like(event, { type: 'organization.created', object: 'Organization' })
  t.regex(event.occurredAt, /^\d{4}-/)
  t.is(event.data.display_name, 'Acme', 'data keeps its keys as sent')
  t.deepEqual(event.data.metadata, { crm_id: '1' })
  const rest = await client.events.listEventsPaginated(10, first.nextPageToken)
  t.is(lastRequest(emulator).query, `page_size=10&page_token=${encodeURIComponent(first.nextPageToken)}`)
  t.true(rest.events.length >= 1)
  t.false(rest.events.some((e) => first.events.some((f) => f.id === e.id)), 'no event twice')

  const since = new Date(Date.now() - 60_000)
  const filtered = await client.events.listEventsPaginated(undefined, undefined, { eventTypes: ['organization.created'], organizationId: acme.organization.id, startTime: since, source: 'SCALEKIT' })
  const sent = lastRequest(emulator).body
  t.like(sent, { event_types: ['organization.created'], organization_id: acme.organization.id, source: 'SCALEKIT' })
  t.is(Date.parse(sent.start_time), since.getTime())
  t.deepEqual(filtered.events.map((e) => e.data.id), [acme.organization.id])
  // Source.DIR_SYNC = 2 in the official SDK.
  await client.events.listEventsPaginated(5, undefined, { source: 2 })
  t.deepEqual(lastRequest(emulator).body, { source: 'DIR_SYNC' })
  for (const [call, field] of [
    [() => client.events.listEventsPaginated(0), 'pageSize'],
    [() => client.events.listEventsPaginated(10, undefined, { source: 'ELSEWHERE' }), 'filter.source'],
    [() => client.events.listEventsPaginated(10, undefined, { endTime: 'soon' }), 'filter.endTime'],
  ]) {
    t.is((await t.throwsAsync(call, { instanceOf: sk.ScalekitValidationException })).field, field)
  }
})
