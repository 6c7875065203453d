'use strict'
// client.tools, client.connectedAccounts and client.actions against the emulator: the request each
// method sent and its result, and actions.request through the proxy to a real upstream server.
const test = require('ava')
const http = require('node:http')
const util = require('node:util')
const sk = require('..')
const { startEmulator, clientFor, lastRequest, tokenRequests } = require('./helpers')

const GMAIL_TOKEN = { oauthToken: { accessToken: 'ya29.gmail-access', refreshToken: 'refresh-1', scopes: ['gmail.send'] } }

/** An upstream API that records what it got and answers JSON (or what `answer` says). */
async function upstream(t, answer = () => ({ status: 200, body: { ok: true } })) {
  const received = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body })
      const { status, body: out, headers = {} } = answer(req, body)
      res.writeHead(status, { 'content-type': 'application/json', 'x-upstream': 'yes', ...headers })
      res.end(typeof out === 'string' ? out : JSON.stringify(out))
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  return { url: `http://127.0.0.1:${server.address().port}`, received }
}

test('connectedAccounts: create, get by identifier (with credentials), details (without), update, list, search, delete', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  const { connectedAccount } = await client.connectedAccounts.createConnectedAccount({
    connector: 'gmail', identifier: 'ada@acme.com', connectedAccount: { authorizationDetails: GMAIL_TOKEN, apiConfig: { base_url: 'https://gmail.googleapis.com', retry_limit: 3 } },
  })
  t.like(lastRequest(emulator), { method: 'POST', path: '/api/v1/connected_accounts', status: 201 })
  t.deepEqual(lastRequest(emulator).body, {
    connector: 'gmail', identifier: 'ada@acme.com',
    connected_account: { authorization_details: { oauth_token: { access_token: 'ya29.gmail-access', refresh_token: 'refresh-1', scopes: ['gmail.send'] } }, api_config: { base_url: 'https://gmail.googleapis.com', retry_limit: 3 } },
  })
  t.regex(connectedAccount.id, /^ca_/)
  t.like(connectedAccount, { connector: 'gmail', identifier: 'ada@acme.com', status: 'ACTIVE', authorizationType: 'OAUTH' })
  t.deepEqual(connectedAccount.apiConfig, { base_url: 'https://gmail.googleapis.com', retry_limit: 3 }, 'free-form settings keep their keys')

  const byIdentifier = await client.connectedAccounts.getConnectedAccountByIdentifier({ connector: 'gmail', identifier: 'ada@acme.com' })
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/connected_accounts/auth', query: 'connector=gmail&identifier=ada%40acme.com' })
  t.is(byIdentifier.connectedAccount.authorizationDetails.oauthToken.accessToken, 'ya29.gmail-access')
  const byId = await client.connectedAccounts.getConnectedAccountByIdentifier({ connectedAccountId: connectedAccount.id })
  t.is(lastRequest(emulator).query, `id=${connectedAccount.id}`)
  t.is(byId.connectedAccount.id, connectedAccount.id)
  const details = await client.connectedAccounts.getConnectedAccountDetails({ connector: 'gmail', identifier: 'ada@acme.com' })
  t.like(lastRequest(emulator), { path: '/api/v1/connected_accounts/details' })
  t.is(details.connectedAccount.authorizationDetails, undefined, 'details carry no credentials')

  const { connectedAccount: updated } = await client.connectedAccounts.updateConnectedAccount({
    connector: 'gmail', identifier: 'ada@acme.com', connectedAccount: { authorizationDetails: { oauthToken: { accessToken: 'ya29.new' } } },
  })
  t.like(lastRequest(emulator), { method: 'PUT', path: '/api/v1/connected_accounts' })
  t.deepEqual(lastRequest(emulator).body, { connector: 'gmail', identifier: 'ada@acme.com', connected_account: { authorization_details: { oauth_token: { access_token: 'ya29.new' } } } })
  t.is(updated.authorizationDetails.oauthToken.accessToken, 'ya29.new')

  await client.connectedAccounts.createConnectedAccount({ connector: 'slack', identifier: 'ada@acme.com', connectedAccount: { authorizationDetails: { staticAuth: { details: { api_key: 'xoxb-1' } } } } })
  await client.connectedAccounts.createConnectedAccount({ connector: 'gmail', identifier: 'bob@acme.com', connectedAccount: { authorizationDetails: GMAIL_TOKEN } })
  const page = await client.connectedAccounts.listConnectedAccounts({ identifier: 'ada@acme.com', pageSize: 10 })
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/connected_accounts', query: 'identifier=ada%40acme.com&page_size=10' })
  t.is(page.totalSize, 2)
  t.deepEqual(page.connectedAccounts.map((a) => a.connector).sort(), ['gmail', 'slack'])
  t.false(JSON.stringify(page).includes('ya29'), 'lists carry no credentials')
  const named = await client.connectedAccounts.listConnectedAccounts({ connectionNames: ['gmail', 'slack'], connector: 'gmail' })
  t.is(lastRequest(emulator).query, 'connector=gmail&connection_names=gmail&connection_names=slack')
  t.deepEqual(named.connectedAccounts.map((a) => a.identifier).sort(), ['ada@acme.com', 'bob@acme.com'])

  const found = await client.connectedAccounts.searchConnectedAccounts('bob', { pageSize: 5 })
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/connected_accounts:search', query: 'query=bob&page_size=5' })
  t.deepEqual(found.connectedAccounts.map((a) => a.identifier), ['bob@acme.com'])

  t.deepEqual(await client.connectedAccounts.deleteConnectedAccount({ connector: 'slack', identifier: 'ada@acme.com' }), {})
  t.like(lastRequest(emulator), { method: 'POST', path: '/api/v1/connected_accounts:delete', body: { connector: 'slack', identifier: 'ada@acme.com' } })
  await t.throwsAsync(client.connectedAccounts.getConnectedAccountByIdentifier({ connector: 'slack', identifier: 'ada@acme.com' }), { instanceOf: sk.ScalekitNotFoundException })
  await t.throwsAsync(client.connectedAccounts.createConnectedAccount({ connector: 'gmail', identifier: 'bob@acme.com', connectedAccount: { authorizationDetails: GMAIL_TOKEN } }), { instanceOf: sk.ScalekitConflictException })
  t.deepEqual(emulator.events().map((e) => e.type).filter((type) => type.startsWith('connected_account.')).slice(0, 2), ['connected_account.created', 'connected_account.updated'])

  for (const [call, field] of [
    [() => client.connectedAccounts.createConnectedAccount({ identifier: 'a', connectedAccount: { authorizationDetails: GMAIL_TOKEN } }), 'params.connector'],
    [() => client.connectedAccounts.createConnectedAccount({ connector: 'gmail', identifier: 'a' }), 'params.connectedAccount.authorizationDetails'],
    [() => client.connectedAccounts.createConnectedAccount({ connector: 'gmail', identifier: 'a', connectedAccount: { authorizationDetails: { ...GMAIL_TOKEN, staticAuth: { details: {} } } } }), 'params.connectedAccount.authorizationDetails'],
    [() => client.connectedAccounts.getConnectedAccountByIdentifier({ connector: 'gmail' }), 'params.identifier'],
    [() => client.connectedAccounts.deleteConnectedAccount({}), 'params.connector'],
    [() => client.connectedAccounts.searchConnectedAccounts(' '), 'query'],
  ]) {
    t.is((await t.throwsAsync(call, { instanceOf: sk.ScalekitValidationException })).field, field)
  }
})

test('authorizationDetails in the official SDK\'s protobuf form ({ details: { case, value } }) is sent as its member', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  // As protobuf-es writes create(AuthorizationDetailsSchema, { details: { case: 'oauthToken', value: { … } } }).
  const official = {
    $typeName: 'scalekit.v1.connected_accounts.AuthorizationDetails',
    details: { case: 'oauthToken', value: { $typeName: 'scalekit.v1.connected_accounts.OAuthToken', accessToken: 'ya29.pb', refreshToken: 'r-pb', scopes: ['gmail.send'], domain: '' } },
  }
  const { connectedAccount } = await client.connectedAccounts.createConnectedAccount({ connector: 'gmail', identifier: 'pb@acme.com', connectedAccount: { authorizationDetails: official } })
  t.deepEqual(lastRequest(emulator).body.connected_account, { authorization_details: { oauth_token: { access_token: 'ya29.pb', refresh_token: 'r-pb', scopes: ['gmail.send'], domain: '' } } })
  t.is(connectedAccount.authorizationDetails.oauthToken.accessToken, 'ya29.pb')
  await client.actions.createConnectedAccount({ connectionName: 'slack', identifier: 'pb@acme.com', authorizationDetails: { details: { case: 'staticAuth', value: { details: { api_key: 'xoxb-pb' } } } } })
  t.deepEqual(lastRequest(emulator).body.connected_account.authorization_details, { static_auth: { details: { api_key: 'xoxb-pb' } } })
  await client.connectedAccounts.updateConnectedAccount({ connector: 'gmail', identifier: 'pb@acme.com', connectedAccount: { authorizationDetails: { details: { case: undefined } } } })
  t.deepEqual(lastRequest(emulator).body.connected_account, { authorization_details: {} }, 'an unset oneof is an empty one')
  for (const details of [{ case: 'password', value: {} }, { case: 'oauthToken', value: { accessToken: 5 } }]) {
    const error = await t.throwsAsync(client.connectedAccounts.createConnectedAccount({ connector: 'gmail', identifier: 'x@acme.com', connectedAccount: { authorizationDetails: { details } } }), { instanceOf: sk.ScalekitValidationException })
    t.is(error.field, 'params.connectedAccount.authorizationDetails')
  }
  const both = await t.throwsAsync(client.connectedAccounts.createConnectedAccount({ connector: 'gmail', identifier: 'x@acme.com', connectedAccount: { authorizationDetails: { ...GMAIL_TOKEN, details: { case: 'staticAuth', value: {} } } } }), { instanceOf: sk.ScalekitValidationException })
  t.regex(both.message, /takes one of/)
})

test('getOrCreateConnectedAccount (and its alias upsertConnectedAccount): create, fetch, then update', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  const paths = () => emulator.requests().filter((r) => r.path.startsWith('/api/')).map((r) => `${r.method} ${r.path} ${r.status}`)

  const created = await client.connectedAccounts.getOrCreateConnectedAccount({ connector: 'notion', identifier: 'ada@acme.com' })
  t.deepEqual(paths(), ['GET /api/v1/connected_accounts/auth 404', 'POST /api/v1/connected_accounts 201'])
  t.deepEqual(lastRequest(emulator).body.connected_account, { authorization_details: { oauth_token: {} } }, 'an empty oauth token by default, as the official SDK')
  t.is(created.connectedAccount.status, 'PENDING_AUTH')

  const fetched = await client.connectedAccounts.upsertConnectedAccount({ connector: 'notion', identifier: 'ada@acme.com' })
  t.is(paths().length, 3, 'found: one GET, nothing written')
  t.is(fetched.connectedAccount.id, created.connectedAccount.id)

  const refreshed = await client.connectedAccounts.getOrCreateConnectedAccount({ connector: 'notion', identifier: 'ada@acme.com', authorizationDetails: { oauthToken: { accessToken: 'secret_notion' } } })
  t.deepEqual(paths().slice(3), ['GET /api/v1/connected_accounts/auth 200', 'PUT /api/v1/connected_accounts 200'])
  t.like(refreshed.connectedAccount, { id: created.connectedAccount.id, status: 'ACTIVE' })
  t.is(typeof client.connectedAccounts.upsertConnectedAccount, 'function')
  t.is(typeof client.actions.upsertConnectedAccount, 'function')
})

test('magic links: getMagicLinkForConnectedAccount, the user authorizes, verifyConnectedAccountUser', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  const link = await client.connectedAccounts.getMagicLinkForConnectedAccount({
    connector: 'gmail', identifier: 'ada@acme.com', state: 'xyz', userVerifyUrl: 'https://app.example.com/verify',
  })
  t.like(lastRequest(emulator), { method: 'POST', path: '/api/v1/connected_accounts/magic_link' })
  t.deepEqual(lastRequest(emulator).body, { connector: 'gmail', identifier: 'ada@acme.com', state: 'xyz', user_verify_url: 'https://app.example.com/verify' })
  t.true(link.link.startsWith(`${emulator.url}/connect/`))
  t.true(Date.parse(link.expiry) > Date.now())

  // The end user follows the link and authorizes at the provider; the emulator sends them to your verify page.
  const redirect = await fetch(link.link, { redirect: 'manual' })
  t.is(redirect.status, 302)
  const verifyUrl = new URL(redirect.headers.get('location'))
  t.is(verifyUrl.origin + verifyUrl.pathname, 'https://app.example.com/verify')
  t.is(verifyUrl.searchParams.get('state'), 'xyz')
  const authRequestId = verifyUrl.searchParams.get('auth_request_id')
  t.is((await client.connectedAccounts.getConnectedAccountByIdentifier({ connector: 'gmail', identifier: 'ada@acme.com' })).connectedAccount.status, 'PENDING_VERIFICATION')

  await t.throwsAsync(client.connectedAccounts.verifyConnectedAccountUser({ authRequestId, identifier: 'mallory@evil.com' }), { instanceOf: sk.ScalekitForbiddenException })
  const verified = await client.connectedAccounts.verifyConnectedAccountUser({ authRequestId, identifier: 'ada@acme.com' })
  t.deepEqual(lastRequest(emulator).body, { auth_request_id: authRequestId, identifier: 'ada@acme.com' })
  t.truthy(verified.postUserVerifyRedirectUrl)
  t.is((await client.connectedAccounts.getConnectedAccountByIdentifier({ connector: 'gmail', identifier: 'ada@acme.com' })).connectedAccount.status, 'ACTIVE')

  // The facade: connectionName instead of connector.
  const viaActions = await client.actions.getAuthorizationLink({ connectionName: 'slack', identifier: 'ada@acme.com' })
  t.deepEqual(lastRequest(emulator).body, { connector: 'slack', identifier: 'ada@acme.com' })
  t.is((await fetch(viaActions.link)).status, 200, 'without a verify page the authorization completes at once')
  t.is((await client.actions.getConnectedAccount({ connectionName: 'slack', identifier: 'ada@acme.com' })).connectedAccount.status, 'ACTIVE')
  // And the facade's verification, end to end.
  const viaVerify = await client.actions.getAuthorizationLink({ connectionName: 'notion', identifier: 'ada@acme.com', state: 's2', userVerifyUrl: 'https://app.example.com/verify' })
  const verifyAt = new URL((await fetch(viaVerify.link, { redirect: 'manual' })).headers.get('location'))
  const facadeVerified = await client.actions.verifyConnectedAccountUser({ authRequestId: verifyAt.searchParams.get('auth_request_id'), identifier: 'ada@acme.com' })
  t.like(lastRequest(emulator), { method: 'POST', path: '/api/v1/connected_accounts/user/verify', body: { auth_request_id: verifyAt.searchParams.get('auth_request_id'), identifier: 'ada@acme.com' } })
  t.truthy(facadeVerified.postUserVerifyRedirectUrl)
  t.is((await client.actions.getConnectedAccount({ connectionName: 'notion', identifier: 'ada@acme.com' })).connectedAccount.status, 'ACTIVE')
  for (const [call, field] of [
    [() => client.connectedAccounts.verifyConnectedAccountUser({ authRequestId: ' ', identifier: 'a' }), 'params.authRequestId'],
    [() => client.actions.verifyConnectedAccountUser({ authRequestId: 'ar_1', identifier: '' }), 'params.identifier'],
  ]) {
    t.is((await t.throwsAsync(call, { instanceOf: sk.ScalekitValidationException })).field, field)
  }
})

test('tools: list (filters), scoped, available, execute with agent_run_id; a provider failure is a typed tool error, never retried nor replayed', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator, { maxRetries: 3 })
  const schema = { type: 'object', properties: { to: { type: 'string' }, subject_line: { type: 'string' } }, required: ['to'] }
  emulator.registerTool({ name: 'gmail_send_email', provider: 'GMAIL', description: 'Send an email', inputSchema: schema, result: { message_id: 'm-1', thread_id: 't-1' } })
  emulator.registerTool({ name: 'gmail_search', provider: 'GMAIL', description: 'Search mail' })
  emulator.registerTool({ name: 'slack_post', provider: 'SLACK', error: { status: 429, code: 'ratelimited', message: 'Slack says slow down' } })
  emulator.registerTool({ name: 'slack_dm', provider: 'SLACK', error: { status: 401, code: 'invalid_auth', message: 'Slack token revoked' } })
  await client.connectedAccounts.createConnectedAccount({ connector: 'gmail', identifier: 'ada@acme.com', connectedAccount: { authorizationDetails: GMAIL_TOKEN } })
  await client.connectedAccounts.createConnectedAccount({ connector: 'slack', identifier: 'ada@acme.com', connectedAccount: { authorizationDetails: { staticAuth: { details: { token: 'xoxb' } } } } })

  const all = await client.tools.listTools({ pageSize: 10 })
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/tools', query: 'page_size=10' })
  t.is(all.totalSize, 4)
  const send = all.tools.find((tool) => tool.definition.name === 'gmail_send_email')
  t.deepEqual(send.definition.input_schema, schema, 'the schema keeps its keys (subject_line stays)')
  t.is(send.provider, 'GMAIL')
  const gmail = await client.tools.listTools({ filter: { provider: 'GMAIL', toolName: ['gmail_search'], query: 'search' } })
  t.is(lastRequest(emulator).query, 'filter.provider=GMAIL&filter.query=search&filter.tool_name=gmail_search')
  t.deepEqual(gmail.tools.map((tool) => tool.definition.name), ['gmail_search'])

  const scoped = await client.tools.listScopedTools('ada@acme.com', { filter: { connectionNames: ['gmail'] }, pageSize: 10 })
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/tools/scoped', query: 'identifier=ada%40acme.com&filter.connection_names=gmail&page_size=10' })
  t.deepEqual(scoped.tools.map((s) => s.tool.definition.name).sort(), ['gmail_search', 'gmail_send_email'])
  t.regex(scoped.tools[0].connectedAccountId, /^ca_/)
  const available = await client.tools.listAvailableTools('ada@acme.com')
  t.like(lastRequest(emulator), { path: '/api/v1/tools/available', query: 'identifier=ada%40acme.com' })
  t.is(available.tools.length, 4)

  const run = await client.tools.executeTool({ toolName: 'gmail_send_email', identifier: 'ada@acme.com', connector: 'gmail', params: { to: 'bob@acme.com', subject_line: 'Hi' }, agentRunId: 'run-7' })
  t.like(lastRequest(emulator), { method: 'POST', path: '/api/v1/execute_tool' })
  t.deepEqual(lastRequest(emulator).body, { tool_name: 'gmail_send_email', identifier: 'ada@acme.com', params: { to: 'bob@acme.com', subject_line: 'Hi' }, connector: 'gmail', agent_run_id: 'run-7' })
  t.deepEqual(run.data, { message_id: 'm-1', thread_id: 't-1' }, 'tool output keeps its keys')
  t.truthy(run.executionId)
  t.like(emulator.toolExecutions()[0], { tool_name: 'gmail_send_email', agent_run_id: 'run-7', params: { to: 'bob@acme.com', subject_line: 'Hi' } })

  const echoed = await client.actions.executeTool({ toolName: 'gmail_search', toolInput: { query_text: 'invoices' }, identifier: 'ada@acme.com' })
  t.deepEqual(lastRequest(emulator).body, { tool_name: 'gmail_search', identifier: 'ada@acme.com', params: { query_text: 'invoices' } })
  t.deepEqual(echoed.data.params, { query_text: 'invoices' })

  const before = emulator.requests().filter((r) => r.path === '/api/v1/execute_tool').length
  const failure = await t.throwsAsync(client.tools.executeTool({ toolName: 'slack_post', identifier: 'ada@acme.com', connector: 'slack' }), { instanceOf: sk.ScalekitToolRateLimitException })
  t.true(failure instanceof sk.ScalekitTooManyRequestsException)
  t.true(sk.isToolException(failure))
  t.like(failure, { isToolError: true, toolErrorCode: 'ratelimited', toolErrorMessage: 'Slack says slow down', httpStatus: 429 })
  t.truthy(failure.executionId)
  t.is(emulator.requests().filter((r) => r.path === '/api/v1/execute_tool').length - before, 1, 'a tool failure is not retried')
  const tokensBefore = tokenRequests(emulator)
  const revoked = await t.throwsAsync(client.tools.executeTool({ toolName: 'slack_dm', identifier: 'ada@acme.com', connector: 'slack' }), { instanceOf: sk.ScalekitToolUnauthorizedException })
  t.like(revoked, { httpStatus: 401, toolErrorCode: 'invalid_auth', attempts: 1 })
  t.is(emulator.requests().filter((r) => r.path === '/api/v1/execute_tool').length - before, 2, 'a provider\'s 401 runs the tool once: no re-authentication and replay')
  t.is(tokenRequests(emulator), tokensBefore, 'our own token was fine')
  await t.throwsAsync(client.tools.executeTool({ toolName: 'no_such_tool', identifier: 'ada@acme.com' }), { instanceOf: sk.ScalekitNotFoundException })
  for (const [call, field] of [
    [() => client.tools.executeTool({ toolName: ' ' }), 'params.toolName'],
    [() => client.actions.executeTool({ toolName: '' }), 'params.toolName'],
    [() => client.tools.listScopedTools('', {}), 'identifier'],
    [() => client.tools.listTools({ pageSize: -1 }), 'options.pageSize'],
  ]) {
    t.is((await t.throwsAsync(call, { instanceOf: sk.ScalekitValidationException })).field, field)
  }
})

test('tool calls use toolTimeoutMs, not timeoutMs', async (t) => {
  const emulator = await startEmulator(t)
  emulator.registerTool({ name: 'slow', provider: 'GMAIL' })
  const client = clientFor(emulator, { timeoutMs: 200, toolTimeoutMs: 5000, maxRetries: 0 })
  await client.connectedAccounts.createConnectedAccount({ connector: 'gmail', identifier: 'ada@acme.com', connectedAccount: { authorizationDetails: GMAIL_TOKEN } })
  emulator.injectFault({ latencyMs: 500, path: '/api/v1/execute_tool' })
  const run = await client.tools.executeTool({ toolName: 'slow', identifier: 'ada@acme.com' })
  t.truthy(run.executionId, '500 ms passes under the 5 s tool timeout')
  emulator.injectFault({ latencyMs: 500, path: '/api/v1/tools' })
  const error = await t.throwsAsync(client.tools.listTools({}, { timeoutMs: 100 }), { instanceOf: sk.ScalekitTimeoutException })
  t.regex(error.message, /100 ms/, 'a per-call timeout still wins')
})

test('actions facade: create, get, update, list, delete with connectionName; listConnections normalised', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  await client.connection.createConnection(acme.id, { provider: 'GOOGLE', type: 'OAUTH', providerKey: 'google', keyId: 'gmail' })

  const { connectedAccount } = await client.actions.createConnectedAccount({ connectionName: 'gmail', identifier: 'ada@acme.com', authorizationDetails: GMAIL_TOKEN, apiConfig: { label_ids: ['INBOX'] } })
  t.deepEqual(lastRequest(emulator).body, {
    connector: 'gmail', identifier: 'ada@acme.com',
    connected_account: { authorization_details: { oauth_token: { access_token: 'ya29.gmail-access', refresh_token: 'refresh-1', scopes: ['gmail.send'] } }, api_config: { label_ids: ['INBOX'] } },
  })
  t.like(connectedAccount, { connector: 'gmail', status: 'ACTIVE' })
  t.regex(connectedAccount.connectionId, /^conn_/)

  const { connectedAccount: got } = await client.actions.getConnectedAccount({ connectedAccountId: connectedAccount.id })
  t.is(got.authorizationDetails.oauthToken.refreshToken, 'refresh-1')
  await client.actions.updateConnectedAccount({ connectionName: 'gmail', identifier: 'ada@acme.com', apiConfig: { label_ids: [] } })
  t.deepEqual(lastRequest(emulator).body, { connector: 'gmail', identifier: 'ada@acme.com', connected_account: { api_config: { label_ids: [] } } })
  const listed = await client.actions.listConnectedAccounts({ connectionName: 'gmail' })
  t.is(lastRequest(emulator).query, 'connector=gmail')
  t.is(listed.connectedAccounts.length, 1)
  const again = await client.actions.getOrCreateConnectedAccount({ connectionName: 'gmail', identifier: 'ada@acme.com' })
  t.is(again.connectedAccount.id, connectedAccount.id)
  const upserted = await client.actions.upsertConnectedAccount({ connectionName: 'gmail', identifier: 'ada@acme.com', authorizationDetails: { oauthToken: { accessToken: 'ya29.upserted' } } })
  t.like(lastRequest(emulator), { method: 'PUT', path: '/api/v1/connected_accounts' })
  t.deepEqual(lastRequest(emulator).body, { connector: 'gmail', identifier: 'ada@acme.com', connected_account: { authorization_details: { oauth_token: { access_token: 'ya29.upserted' } } } })
  t.is(upserted.connectedAccount.authorizationDetails.oauthToken.accessToken, 'ya29.upserted')
  const created = await client.actions.upsertConnectedAccount({ connectionName: 'jira', identifier: 'ada@acme.com' })
  t.like(lastRequest(emulator), { method: 'POST', path: '/api/v1/connected_accounts', status: 201 })
  t.is(created.connectedAccount.connector, 'jira')

  const connections = await client.actions.listConnections({ pageSize: 10, provider: 'GOOGLE' })
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/connections/app', query: 'page_size=10&provider=GOOGLE' })
  t.deepEqual(connections.connections.map(({ id, ...rest }) => rest), [{ type: 'OAUTH', status: 'DRAFT', enabled: false, provider: 'google', connectionName: 'gmail' }])
  t.is(connections.totalSize, 1)

  t.deepEqual(await client.actions.deleteConnectedAccount({ connectionName: 'gmail', identifier: 'ada@acme.com' }), {})
  t.deepEqual(lastRequest(emulator).body, { connector: 'gmail', identifier: 'ada@acme.com' })
  await t.throwsAsync(client.actions.getConnectedAccount({ connectionName: 'gmail', identifier: 'ada@acme.com' }), { instanceOf: sk.ScalekitNotFoundException })
  for (const [call, field] of [
    [() => client.actions.createConnectedAccount({ identifier: 'a', authorizationDetails: GMAIL_TOKEN }), 'params.connectionName'],
    [() => client.actions.deleteConnectedAccount({ identifier: 'a' }), 'params.connectionName'],
  ]) {
    t.is((await t.throwsAsync(call, { instanceOf: sk.ScalekitValidationException })).field, field)
  }
})

test('actions.request: any method, query, headers and body through the proxy, with the account’s credentials', async (t) => {
  const emulator = await startEmulator(t)
  const api = await upstream(t, (req) => ({ status: req.method === 'POST' ? 201 : 200, body: { echoed: req.url, first_name: 'Ada' } }))
  emulator.setProxyTarget(api.url)
  const client = clientFor(emulator)
  await client.actions.createConnectedAccount({ connectionName: 'gmail', identifier: 'ada@acme.com', authorizationDetails: GMAIL_TOKEN })

  const got = await client.actions.request({
    connectionName: 'gmail', identifier: 'ada@acme.com', path: 'gmail/v1/users/me/messages', queryParams: { maxResults: 5, labelIds: ['INBOX', 'UNREAD'], skip: null }, headers: { 'x-trace': 'abc' },
  })
  // Parameters go by name order (a JSON object's keys), arrays repeating the key in their order.
  t.like(lastRequest(emulator), { method: 'GET', path: '/proxy/gmail/v1/users/me/messages', query: 'labelIds=INBOX&labelIds=UNREAD&maxResults=5' })
  t.is(api.received.length, 1)
  t.like(api.received[0], { method: 'GET', url: '/gmail/v1/users/me/messages?labelIds=INBOX&labelIds=UNREAD&maxResults=5' })
  t.is(api.received[0].headers.authorization, 'Bearer ya29.gmail-access', 'the proxy adds the account’s credentials')
  t.is(api.received[0].headers['x-trace'], 'abc')
  t.is(got.status, 200)
  t.is(got.headers['x-upstream'], 'yes')
  t.deepEqual(got.body, { echoed: '/gmail/v1/users/me/messages?labelIds=INBOX&labelIds=UNREAD&maxResults=5', first_name: 'Ada' }, 'the provider’s JSON keeps its keys')

  const posted = await client.actions.request({ connectionName: 'gmail', identifier: 'ada@acme.com', path: '/gmail/v1/users/me/messages/send', method: 'post', body: { raw_message: 'SGk=' } })
  t.is(posted.status, 201)
  t.like(api.received[1], { method: 'POST', body: '{"raw_message":"SGk="}' })
  t.is(api.received[1].headers['content-type'], 'application/json')
  await client.actions.request({ connectionName: 'gmail', identifier: 'ada@acme.com', path: '/form', method: 'PUT', formData: { a: 'b c', n: 1 } })
  t.like(api.received[2], { method: 'PUT', body: 'a=b+c&n=1' })
  t.is(api.received[2].headers['content-type'], 'application/x-www-form-urlencoded')
  await client.actions.request({ connectionName: 'gmail', identifier: 'ada@acme.com', path: '/raw', method: 'PATCH', body: '<xml/>', headers: { 'Content-Type': 'application/xml' } })
  t.like(api.received[3], { method: 'PATCH', body: '<xml/>' })
  t.is(api.received[3].headers['content-type'], 'application/xml')
  await client.actions.request({ connectionName: 'gmail', identifier: 'ada@acme.com', path: '/x', method: 'DELETE' })
  t.is(api.received[4].method, 'DELETE')

  await t.throwsAsync(client.actions.request({ connectionName: 'gmail', identifier: 'nobody@acme.com', path: '/x' }), { instanceOf: sk.ScalekitNotFoundException })
  for (const [params, field] of [
    [{ connectionName: '', identifier: 'a', path: '/x' }, 'params.connectionName'],
    [{ connectionName: 'gmail', identifier: 'a', path: '' }, 'params.path'],
    [{ connectionName: 'gmail', identifier: 'a', path: '/a/../../api/v1/organizations' }, 'params.path'],
    [{ connectionName: 'gmail', identifier: 'a', path: '/x', method: 'GE T' }, 'params.method'],
    [{ connectionName: 'gmail', identifier: 'a', path: '/x', headers: { Authorization: 'Bearer mine' } }, 'params.headers.Authorization'],
  ]) {
    t.is((await t.throwsAsync(client.actions.request(params), { instanceOf: sk.ScalekitValidationException })).field, field)
  }
})

test('actions.request goes through the normal token path: a 401 on the first attempt is recovered by re-authentication', async (t) => {
  const emulator = await startEmulator(t)
  const api = await upstream(t)
  emulator.setProxyTarget(api.url)
  const client = clientFor(emulator)
  await client.actions.createConnectedAccount({ connectionName: 'gmail', identifier: 'ada@acme.com', authorizationDetails: GMAIL_TOKEN })
  t.is(tokenRequests(emulator), 1)
  emulator.revokeTokens()

  const result = await client.actions.request({ connectionName: 'gmail', identifier: 'ada@acme.com', path: '/ping' }, { withResponse: true })
  const proxied = emulator.requests().filter((r) => r.path === '/proxy/ping').map((r) => r.status)
  t.deepEqual(proxied, [401, 200], 'rejected with the revoked token, replayed with a new one')
  t.is(tokenRequests(emulator), 2)
  t.is(api.received.length, 1, 'the provider saw the request once')
  t.is(result.data.status, 200)
  t.is(result.response.attempts, 2)

  // An error status from the provider rejects with the exception of that status.
  const failing = await upstream(t, () => ({ status: 404, body: { error: 'no such message' } }))
  emulator.setProxyTarget(failing.url)
  const error = await t.throwsAsync(client.actions.request({ connectionName: 'gmail', identifier: 'ada@acme.com', path: '/missing' }), { instanceOf: sk.ScalekitNotFoundException })
  t.is(error.httpStatus, 404)
  t.false(util.inspect(error).includes('ya29'), 'no credentials in the error')
})
