'use strict'
// The public-spec APIs the official SDK does not wrap (providers, auditLogs, mcp, role.setDefaultRoles),
// and auth.updateLoginUserDetails, against the emulator.
const test = require('ava')
const sk = require('..')
const { startEmulator, clientFor, lastRequest } = require('./helpers')

const REDIRECT = 'http://localhost:3000/callback'

test('providers: create, update and delete a custom provider', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  const patterns = [{ type: 'OAUTH', authorize_uri: 'https://crm.acme.dev/oauth/authorize', token_uri: 'https://crm.acme.dev/oauth/token', scopes: ['read'] }]
  const { provider } = await client.providers.createCustomProvider({ displayName: 'Acme CRM', description: 'Our CRM', authPatterns: patterns, metadata: { team: 'sales' }, proxyEnabled: true, proxyUrl: 'https://crm.acme.dev/api' })
  t.like(lastRequest(emulator), { method: 'POST', path: '/api/v1/custom-providers', status: 201 })
  t.deepEqual(lastRequest(emulator).body, { display_name: 'Acme CRM', description: 'Our CRM', auth_patterns: patterns, metadata: { team: 'sales' }, proxy_enabled: true, proxy_url: 'https://crm.acme.dev/api' })
  t.like(provider, { identifier: 'acme-crm', displayName: 'Acme CRM', isCustom: true, proxyEnabled: true, metadata: { team: 'sales' } })
  t.deepEqual(provider.authPatterns, patterns, 'auth patterns keep their keys')

  const { provider: updated } = await client.providers.updateCustomProvider('acme-crm', { description: 'The CRM' })
  t.like(lastRequest(emulator), { method: 'PUT', path: '/api/v1/custom-providers/acme-crm' })
  t.deepEqual(lastRequest(emulator).body, { description: 'The CRM' })
  t.like(updated, { description: 'The CRM', displayName: 'Acme CRM' })

  t.deepEqual(await client.providers.deleteCustomProvider('acme-crm'), {})
  t.like(lastRequest(emulator), { method: 'DELETE', path: '/api/v1/custom-providers/acme-crm' })
  await t.throwsAsync(client.providers.deleteCustomProvider('acme-crm'), { instanceOf: sk.ScalekitNotFoundException })
  await client.providers.createCustomProvider({ displayName: 'Twice' })
  await t.throwsAsync(client.providers.createCustomProvider({ displayName: 'Twice' }), { instanceOf: sk.ScalekitConflictException })
  t.is((await t.throwsAsync(client.providers.createCustomProvider({}), { instanceOf: sk.ScalekitValidationException })).field, 'provider.displayName')
  t.is((await t.throwsAsync(client.providers.updateCustomProvider(' ', {}), { instanceOf: sk.ScalekitValidationException })).field, 'identifier')
})

test('auditLogs.listAuthRequests: sign-in attempts from real flows, newest first, filtered', async (t) => {
  const emulator = await startEmulator(t)
  const acme = emulator.seedOrganization({ displayName: 'Acme', users: [{ email: 'ada@acme.com' }] })
  const client = clientFor(emulator)
  // A browser sign-in: authorize, then the code exchange.
  const url = client.getAuthorizationUrl(REDIRECT, { loginHint: 'ada@acme.com' })
  const location = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location'))
  await client.authenticateWithCode(location.searchParams.get('code'), REDIRECT)
  await client.passwordless.sendPasswordlessEmail('bob@example.com')

  const all = await client.auditLogs.listAuthRequests()
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/logs/authentication/requests', query: null })
  t.true(all.authRequests.length >= 2)
  t.like(all.authRequests[0], { email: 'bob@example.com', status: 'PENDING', workflow: 'PASSWORDLESS' })
  const login = all.authRequests.find((r) => r.email === 'ada@acme.com')
  t.like(login, { status: 'SUCCESS', workflow: 'LOGIN', clientId: emulator.clientId })
  t.regex(login.timestamp, /^\d{4}-/)
  t.is(typeof all.totalSize, 'number')

  const since = new Date(Date.now() - 60_000)
  const successes = await client.auditLogs.listAuthRequests({ status: 'SUCCESS', email: 'ada@acme.com', startTime: since, pageSize: 5 })
  const query = new URLSearchParams(lastRequest(emulator).query)
  t.like(Object.fromEntries(query), { status: 'SUCCESS', email: 'ada@acme.com', page_size: '5' })
  t.is(Date.parse(query.get('start_time')), since.getTime())
  t.deepEqual(successes.authRequests.map((r) => r.authRequestId), [login.authRequestId])
  emulator.addAuthLog({ email: 'eve@acme.com', status: 'FAILED', organization_id: acme.organization.id })
  t.deepEqual((await client.auditLogs.listAuthRequests({ status: 'failed' })).authRequests.map((r) => r.email), ['eve@acme.com'])
  t.is(new URLSearchParams(lastRequest(emulator).query).get('status'), 'FAILED')
  t.is((await t.throwsAsync(client.auditLogs.listAuthRequests({ status: 'DONE' }), { instanceOf: sk.ScalekitValidationException })).field, 'options.status')
})

test('mcp: configs (create, get, list with filters, update, delete), their connected accounts, session tokens', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  await client.connectedAccounts.createConnectedAccount({ connector: 'gmail', identifier: 'ada@acme.com', connectedAccount: { authorizationDetails: { oauthToken: { accessToken: 'ya29' } } } })

  const { config } = await client.mcp.createMcpConfig({
    name: 'assistant', description: 'Mail and chat', connectionToolMappings: [{ connectionName: 'gmail', tools: ['gmail_send_email'] }, { connectionName: 'slack', tools: ['slack_post'] }],
  })
  t.like(lastRequest(emulator), { method: 'POST', path: '/api/v1/mcp/configs', status: 201 })
  t.deepEqual(lastRequest(emulator).body, { name: 'assistant', description: 'Mail and chat', connection_tool_mappings: [{ connection_name: 'gmail', tools: ['gmail_send_email'] }, { connection_name: 'slack', tools: ['slack_post'] }] })
  t.regex(config.id, /^mcp_/)
  t.is(config.mcpServerUrl, `${emulator.url}/mcp/${config.id}`)
  t.deepEqual(config.connectionToolMappings.map((m) => m.tools), [['gmail_send_email'], ['slack_post']])

  t.deepEqual(await client.mcp.getMcpConfig(config.id), { config })
  t.like(lastRequest(emulator), { method: 'GET', path: `/api/v1/mcp/configs/${config.id}` })
  await client.mcp.createMcpConfig({ name: 'other' })
  const page = await client.mcp.listMcpConfigs({ filter: { name: 'assistant' }, pageSize: 10 })
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/mcp/configs', query: 'filter.name=assistant&page_size=10' })
  t.deepEqual(page.configs.map((c) => c.id), [config.id])
  t.is((await client.mcp.listMcpConfigs()).totalSize, 2)
  t.deepEqual((await client.mcp.listMcpConfigs({ search: 'oth' })).configs.map((c) => c.name), ['other'])

  const { config: updated } = await client.mcp.updateMcpConfig(config.id, { description: 'Mail only', connectionToolMappings: [{ connectionName: 'gmail', tools: ['gmail_send_email', 'gmail_search'] }] })
  t.like(lastRequest(emulator), { method: 'PUT', path: `/api/v1/mcp/configs/${config.id}` })
  t.deepEqual(lastRequest(emulator).body, { description: 'Mail only', connection_tool_mappings: [{ connection_name: 'gmail', tools: ['gmail_send_email', 'gmail_search'] }] })
  t.like(updated, { name: 'assistant', description: 'Mail only' })

  await client.mcp.updateMcpConfig(config.id, { connectionToolMappings: [{ connectionName: 'gmail', tools: [] }, { connectionName: 'notion' }] })
  const accounts = await client.mcp.listMcpConnectedAccounts(config.id, 'ada@acme.com', { includeAuthLink: true })
  t.like(lastRequest(emulator), { method: 'POST', path: `/api/v1/mcp/configs/${config.id}/connected_accounts` })
  t.deepEqual(lastRequest(emulator).body, { identifier: 'ada@acme.com', include_auth_link: true })
  const [gmail, notion] = accounts.connectedAccounts
  t.like(gmail, { connectionName: 'gmail', connectedAccountStatus: 'ACTIVE' })
  t.is(gmail.authenticationLink, undefined, 'an authorized connection needs no link')
  t.is(notion.connectionName, 'notion')
  t.true(notion.authenticationLink.startsWith(`${emulator.url}/connect/`))

  const session = await client.mcp.createMcpSessionToken(config.id, 'ada@acme.com', { expiresInSeconds: 600 })
  t.like(lastRequest(emulator), { method: 'POST', path: `/api/v1/mcp/configs/${config.id}/tokens` })
  t.deepEqual(lastRequest(emulator).body, { identifier: 'ada@acme.com', expiry: '600s' })
  t.truthy(session.token)
  t.true(Math.abs(Date.parse(session.expiresAt) - (Date.now() + 600_000)) < 30_000)

  t.deepEqual(await client.mcp.deleteMcpConfig(config.id), {})
  t.like(lastRequest(emulator), { method: 'DELETE', path: `/api/v1/mcp/configs/${config.id}` })
  await t.throwsAsync(client.mcp.getMcpConfig(config.id), { instanceOf: sk.ScalekitNotFoundException })
  await t.throwsAsync(client.mcp.createMcpConfig({ name: 'other' }), { instanceOf: sk.ScalekitConflictException })
  for (const [call, field] of [
    [() => client.mcp.createMcpConfig({ name: ' ' }), 'config.name'],
    [() => client.mcp.createMcpConfig({ name: 'x', connectionToolMappings: [{ connectionName: '' }] }), 'config.connectionToolMappings[0].connectionName'],
    [() => client.mcp.getMcpConfig(''), 'configId'],
    [() => client.mcp.createMcpSessionToken(config.id, 'a', { expiresInSeconds: 1.5 }), 'options.expiresInSeconds'],
    [() => client.mcp.listMcpConnectedAccounts(config.id, ' '), 'identifier'],
  ]) {
    t.is((await t.throwsAsync(call, { instanceOf: sk.ScalekitValidationException })).field, field)
  }
})

test('auth.updateLoginUserDetails: the user your login page authenticated, custom attributes with their keys', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  // Login requests are the emulator's own: a sign-in through a bring-your-own-auth connection issues them.
  const connection = emulator.addCustomAuthConnection({ loginEndpoint: 'http://127.0.0.1:9/login' })
  const loginRequest = async () => {
    const answer = await fetch(client.getAuthorizationUrl('http://localhost:3000/cb', { connectionId: connection.id }), { redirect: 'manual' })
    return new URL(answer.headers.get('location')).searchParams.get('login_request_id')
  }
  const [lri123, lri124] = [await loginRequest(), await loginRequest()]

  const result = await client.auth.updateLoginUserDetails(connection.id, lri123, {
    sub: 'user-42', email: 'ada@acme.com', givenName: 'Ada', familyName: 'Lovelace', emailVerified: true, groups: ['eng'],
    customAttributes: { employee_id: 42, cost_center: 'R&D', nested: { snake_key: null } }, organizationExternalId: 'acme-1', roles: ['admin'],
  })
  t.like(lastRequest(emulator), { method: 'POST', path: `/api/v1/connections/${connection.id}/auth-requests/${lri123}/user` })
  t.deepEqual(lastRequest(emulator).body, {
    sub: 'user-42', email: 'ada@acme.com', given_name: 'Ada', family_name: 'Lovelace', email_verified: true, groups: ['eng'],
    custom_attributes: { employee_id: 42, cost_center: 'R&D', nested: { snake_key: null } }, organization_external_id: 'acme-1', roles: ['admin'],
  })
  t.deepEqual(result, { authRequestId: lri123 })
  t.like(emulator.loginUserDetails(lri123), { email: 'ada@acme.com', custom_attributes: { employee_id: 42 } })
  t.deepEqual(await client.auth.updateLoginUserDetails(connection.id, lri124, { loginFailed: true }), { authRequestId: lri124 })

  await t.throwsAsync(client.auth.updateLoginUserDetails('conn_missing', lri123, { email: 'a@acme.com' }), { instanceOf: sk.ScalekitNotFoundException })
  // A login request the emulator did not issue, as Scalekit answers.
  await t.throwsAsync(client.auth.updateLoginUserDetails(connection.id, 'lri_invented', { email: 'a@acme.com' }), { instanceOf: sk.ScalekitNotFoundException })
  for (const [call, field] of [
    [() => client.auth.updateLoginUserDetails('', 'lri_1', { email: 'a@acme.com' }), 'connectionId'],
    [() => client.auth.updateLoginUserDetails(connection.id, ' ', { email: 'a@acme.com' }), 'loginRequestId'],
    [() => client.auth.updateLoginUserDetails(connection.id, 'lri_1', {}), 'user.email'],
    [() => client.auth.updateLoginUserDetails(connection.id, 'lri_1', { email: 'nope' }), 'user.email'],
  ]) {
    t.is((await t.throwsAsync(call, { instanceOf: sk.ScalekitValidationException })).field, field)
  }
})

test('role.setDefaultRoles: PATCH /api/v1/roles/default, the same effect as updateDefaultRoles', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  await client.role.createRole({ name: 'viewer' })
  await client.role.createRole({ name: 'admin' })
  const result = await client.role.setDefaultRoles({ defaultCreatorRole: 'admin', defaultMemberRole: 'viewer' })
  t.like(lastRequest(emulator), { method: 'PATCH', path: '/api/v1/roles/default' })
  t.deepEqual(lastRequest(emulator).body, { default_creator_role: 'admin', default_member_role: 'viewer' })
  t.like(result, { defaultCreator: { name: 'admin' }, defaultMember: { name: 'viewer' } })
})
