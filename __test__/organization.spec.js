'use strict'
// client.organization: each method against the emulator, checking the request it
// sent (method, path, query, body) and the result. Every exchange is also checked
// against the public spec when each test ends.
const test = require('ava')
const sk = require('..')
const { startEmulator, clientFor, lastRequest } = require('./helpers')


test('createOrganization sends display_name and the options, extras included, leaving blank ones out', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  const { organization } = await client.organization.createOrganization('Acme', {
    externalId: 'acme-1', logoUrl: 'https://acme.example/logo.png', slug: 'acme', regionCode: 'EU', metadata: { plan: 'pro', first_name: 'kept as is' },
  })
  t.like(lastRequest(emulator), { method: 'POST', path: '/api/v1/organizations', query: null, status: 201 })
  t.deepEqual(lastRequest(emulator).body, {
    display_name: 'Acme', external_id: 'acme-1', logo_url: 'https://acme.example/logo.png', slug: 'acme', region_code: 'EU', metadata: { plan: 'pro', first_name: 'kept as is' },
  })
  t.regex(organization.id, /^org_\d+$/)
  t.like(organization, { displayName: 'Acme', externalId: 'acme-1', regionCode: 'EU', slug: 'acme', logoUrl: 'https://acme.example/logo.png' })
  t.deepEqual(organization.metadata, { plan: 'pro', first_name: 'kept as is' }, 'metadata keys are not camelCased')
  t.regex(organization.createTime, /^\d{4}-\d\d-\d\dT/)

  await client.organization.createOrganization('Bare', { externalId: '', slug: undefined })
  t.deepEqual(lastRequest(emulator).body, { display_name: 'Bare' })
  // RegionCode.US is 1 in the official SDK; the exported enum holds the names.
  await client.organization.createOrganization('Numbered', { regionCode: 1 })
  t.deepEqual(lastRequest(emulator).body, { display_name: 'Numbered', region_code: 'US' })
  t.is(sk.RegionCode.EU, 'EU')
  const error = await t.throwsAsync(client.organization.createOrganization('X', { regionCode: 'MARS' }), { instanceOf: sk.ScalekitValidationException })
  t.is(error.message, 'options.regionCode must be one of US (1), EU (2)')
})

test('getOrganization and getOrganizationByExternalId', async (t) => {
  const emulator = await startEmulator(t)
  const acme = emulator.createOrganization({ displayName: 'Acme', externalId: 'acme/1' })
  const client = clientFor(emulator)
  const byId = await client.organization.getOrganization(acme.id)
  t.like(lastRequest(emulator), { method: 'GET', path: `/api/v1/organizations/${acme.id}`, body: null })
  t.is(byId.organization.displayName, 'Acme')
  const byExternal = await client.organization.getOrganizationByExternalId('acme/1')
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/organizations:external/acme%2F1' }, 'the path id is escaped')
  t.deepEqual(byExternal, byId)
  await t.throwsAsync(client.organization.getOrganization('org_missing'), { instanceOf: sk.ScalekitNotFoundException })
})

test('updateOrganization sends only the fields given, and an empty string clears one', async (t) => {
  const emulator = await startEmulator(t)
  const acme = emulator.createOrganization({ displayName: 'Acme', externalId: 'acme-1' })
  const client = clientFor(emulator)
  const { organization } = await client.organization.updateOrganization(acme.id, { displayName: 'Acme Inc', metadata: { tier: 'gold' } })
  t.like(lastRequest(emulator), { method: 'PATCH', path: `/api/v1/organizations/${acme.id}` })
  t.deepEqual(lastRequest(emulator).body, { display_name: 'Acme Inc', metadata: { tier: 'gold' } })
  t.like(organization, { displayName: 'Acme Inc', externalId: 'acme-1' })
  t.deepEqual(organization.metadata, { tier: 'gold' })
  const cleared = await client.organization.updateOrganization(acme.id, { externalId: '' })
  t.deepEqual(lastRequest(emulator).body, { external_id: '' })
  t.is(cleared.organization.externalId, undefined)
})

test('updateOrganizationByExternalId resolves the id, then updates by id (two calls)', async (t) => {
  const emulator = await startEmulator(t)
  const acme = emulator.createOrganization({ displayName: 'Acme', externalId: 'acme-1' })
  const client = clientFor(emulator)
  const { organization } = await client.organization.updateOrganizationByExternalId('acme-1', { slug: 'acme-co' })
  const calls = emulator.requests().filter((r) => r.path !== '/oauth/token').map((r) => `${r.method} ${r.path}`)
  t.deepEqual(calls, ['GET /api/v1/organizations:external/acme-1', `PATCH /api/v1/organizations/${acme.id}`])
  t.deepEqual(lastRequest(emulator).body, { slug: 'acme-co' })
  t.is(organization.slug, 'acme-co')
  await t.throwsAsync(client.organization.updateOrganizationByExternalId('nobody', { slug: 'x' }), { instanceOf: sk.ScalekitNotFoundException })
})

test('deleteOrganization', async (t) => {
  const emulator = await startEmulator(t)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  const client = clientFor(emulator)
  t.deepEqual(await client.organization.deleteOrganization(acme.id), {})
  t.like(lastRequest(emulator), { method: 'DELETE', path: `/api/v1/organizations/${acme.id}`, body: null })
  await t.throwsAsync(client.organization.getOrganization(acme.id), { instanceOf: sk.ScalekitNotFoundException })
})

test('searchOrganization takes positional paging, as the official SDK does', async (t) => {
  const emulator = await startEmulator(t)
  emulator.seedOrganizations(15)
  emulator.createOrganization({ displayName: 'Globex' })
  const client = clientFor(emulator)
  const found = await client.organization.searchOrganization('Globex')
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/organizations:search', query: 'query=Globex' })
  t.deepEqual(found.organizations.map((o) => o.displayName), ['Globex'])
  const page = await client.organization.searchOrganization('Organization', 10)
  t.is(lastRequest(emulator).query, 'query=Organization&page_size=10')
  t.is(page.organizations.length, 10)
  const next = await client.organization.searchOrganization('Organization', 10, page.nextPageToken)
  t.is(lastRequest(emulator).query, `query=Organization&page_size=10&page_token=${encodeURIComponent(page.nextPageToken)}`)
  t.is(next.organizations.length, 5)
})

test('updateOrganizationSettings switches features', async (t) => {
  const emulator = await startEmulator(t)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  const client = clientFor(emulator)
  const { organization } = await client.organization.updateOrganizationSettings(acme.id, { features: [{ name: 'sso', enabled: true }] })
  t.like(lastRequest(emulator), { method: 'PATCH', path: `/api/v1/organizations/${acme.id}/settings` })
  t.deepEqual(lastRequest(emulator).body, { features: [{ name: 'sso', enabled: true }] })
  t.true(organization.settings.features.find((f) => f.name === 'sso').enabled)
})

test('bad input is a typed error with the official wording, before any request', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  const cases = [
    [() => client.organization.createOrganization('  '), 'name', 'name is required'],
    [() => client.organization.getOrganization(''), 'id', 'id is required'],
    [() => client.organization.getOrganizationByExternalId(' '), 'externalId', 'externalId is required'],
    [() => client.organization.updateOrganization('', {}), 'id', 'id is required'],
    [() => client.organization.deleteOrganization(''), 'organizationId', 'organizationId is required'],
    [() => client.organization.searchOrganization(''), 'query', 'query is required'],
    [() => client.organization.searchOrganization('x', 0), 'pageSize', /pageSize must be a positive whole number/],
    [() => client.organization.updateOrganizationSettings('org_1', { features: [{ name: '', enabled: true }] }), 'settings.features[0].name', 'settings.features[0].name is required'],
    [() => client.organization.updateOrganizationSettings('org_1', {}), 'settings.features', 'settings.features is required'],
  ]
  for (const [call, field, message] of cases) {
    const error = await t.throwsAsync(call, { instanceOf: sk.ScalekitValidationException })
    t.is(error.field, field)
    if (typeof message === 'string') t.is(error.message, message)
    else t.regex(error.message, message)
  }
  t.is(emulator.stats().requests, 0)
})

test('generatePortalLink returns the link itself, optionally for some features', async (t) => {
  const emulator = await startEmulator(t)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  const client = clientFor(emulator)
  const link = await client.organization.generatePortalLink(acme.id)
  t.like(lastRequest(emulator), { method: 'PUT', path: `/api/v1/organizations/${acme.id}/portal_links`, query: null, body: null })
  t.regex(link.id, /^lnk_/)
  t.true(link.location.startsWith('http'))
  t.true(Date.parse(link.expireTime) > Date.now())
  await client.organization.generatePortalLink(acme.id, { features: ['sso', 'dir_sync'] })
  t.is(lastRequest(emulator).query, 'features=sso&features=dir_sync')
})

test('session policy: get, then CUSTOM with names or the official numbers, then APPLICATION', async (t) => {
  const emulator = await startEmulator(t)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  const client = clientFor(emulator)
  t.like(await client.organization.getOrganizationSessionPolicy(acme.id), { policySource: 'APPLICATION' })
  t.like(lastRequest(emulator), { method: 'GET', path: `/api/v1/organizations/${acme.id}/session-policy` })

  const custom = await client.organization.updateOrganizationSessionPolicy(acme.id, {
    policySource: 'CUSTOM', absoluteSessionTimeout: 8, absoluteSessionTimeoutUnit: 'HOURS', idleSessionTimeoutEnabled: true, idleSessionTimeout: 30, idleSessionTimeoutUnit: 1,
  })
  t.like(lastRequest(emulator), { method: 'PATCH', path: `/api/v1/organizations/${acme.id}/session-policy` })
  t.deepEqual(lastRequest(emulator).body, {
    policy_source: 'CUSTOM', absolute_session_timeout: 8, absolute_session_timeout_unit: 'HOURS', idle_session_timeout_enabled: true, idle_session_timeout: 30, idle_session_timeout_unit: 'MINUTES',
  })
  t.deepEqual(custom, { policySource: 'CUSTOM', absoluteSessionTimeout: 8, absoluteSessionTimeoutUnit: 'HOURS', idleSessionTimeoutEnabled: true, idleSessionTimeout: 30, idleSessionTimeoutUnit: 'MINUTES' })

  // SessionPolicyType.APPLICATION is 1 in the official SDK: the timeouts are not sent with it.
  const application = await client.organization.updateOrganizationSessionPolicy(acme.id, { policySource: 1, absoluteSessionTimeout: 5 })
  t.deepEqual(lastRequest(emulator).body, { policy_source: 'APPLICATION' })
  t.is(application.policySource, 'APPLICATION')

  for (const [policy, field] of [[{ policySource: 'SOMETIMES' }, 'policy.policySource'], [{ policySource: 'CUSTOM' }, 'policy.absoluteSessionTimeout'],
    [{ policySource: 'CUSTOM', absoluteSessionTimeout: 8 }, 'policy.absoluteSessionTimeoutUnit'], [{ policySource: 2, absoluteSessionTimeout: 8, absoluteSessionTimeoutUnit: 7 }, 'policy.absoluteSessionTimeoutUnit']]) {
    const error = await t.throwsAsync(client.organization.updateOrganizationSessionPolicy(acme.id, policy), { instanceOf: sk.ScalekitValidationException })
    t.is(error.field, field)
  }
})

test('user-management settings: upsert returns the settings, get returns them wrapped', async (t) => {
  const emulator = await startEmulator(t)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  const client = clientFor(emulator)
  t.deepEqual(await client.organization.getOrganizationUserManagementSetting(acme.id), { settings: {} }, 'unset: no limit')
  t.like(lastRequest(emulator), { method: 'GET', path: `/api/v1/organizations/${acme.id}/settings/usermanagement` })
  t.deepEqual(await client.organization.upsertUserManagementSettings(acme.id, { maxAllowedUsers: 25 }), { maxAllowedUsers: 25 })
  t.like(lastRequest(emulator), { method: 'PATCH', path: `/api/v1/organizations/${acme.id}/settings/usermanagement` })
  t.deepEqual(lastRequest(emulator).body, { settings: { max_allowed_users: 25 } })
  t.deepEqual(await client.organization.getOrganizationUserManagementSetting(acme.id), { settings: { maxAllowedUsers: 25 } })
  t.deepEqual(await client.organization.upsertUserManagementSettings(acme.id, { maxAllowedUsers: null }), {})
  t.deepEqual(lastRequest(emulator).body, { settings: {} }, 'null is not sent')
  const error = await t.throwsAsync(client.organization.upsertUserManagementSettings(acme.id, { maxAllowedUsers: 2.5 }), { instanceOf: sk.ScalekitValidationException })
  t.is(error.field, 'settings.maxAllowedUsers')
})
