'use strict'
const test = require('ava')
const util = require('node:util')
const sk = require('..')
const { startEmulator, clientFor, tokenRequests, closedPort } = require('./helpers')

const { ScalekitClient } = sk

test('lists organizations page by page with JSON-safe camelCase results', async (t) => {
  const emulator = await startEmulator(t)
  emulator.seedOrganizations(25)
  const client = clientFor(emulator)
  const first = await client.organization.listOrganizations({ pageSize: 10 })
  t.is(first.organizations.length, 10)
  t.is(first.totalSize, 25)
  t.is(first.prevPageToken, '')
  t.truthy(first.nextPageToken)
  const org = first.organizations[0]
  t.regex(org.id, /^org_\d+$/)
  t.is(org.displayName, 'Organization 1')
  t.regex(org.createTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/)
  t.is(org.regionCode, 'US')
  t.deepEqual(JSON.parse(JSON.stringify(first)), first, 'plain JSON-safe data: no bigint, no wrappers')
  const second = await client.organization.listOrganizations({ pageSize: 10, pageToken: first.nextPageToken })
  t.is(second.organizations[0].displayName, 'Organization 11')
  const last = await client.organization.listOrganizations({ pageSize: 10, pageToken: second.nextPageToken })
  t.is(last.organizations.length, 5)
  t.is(last.nextPageToken, '')
})

test('listOrganization (the official singular name) and externalId filter work', async (t) => {
  const emulator = await startEmulator(t)
  emulator.seedOrganizations(3)
  const acme = emulator.createOrganization({ displayName: 'Acme', externalId: 'acme-1' })
  const client = clientFor(emulator)
  const all = await client.organization.listOrganization()
  t.is(all.totalSize, 4)
  const filtered = await client.organization.listOrganizations({ externalId: 'acme-1' })
  t.deepEqual(filtered.organizations.map((o) => o.id), [acme.id])
  t.is(filtered.organizations[0].externalId, 'acme-1')
})

test('createUserAndMembership sends the quickstart body and returns the user', async (t) => {
  const emulator = await startEmulator(t)
  const org = emulator.createOrganization({ displayName: 'Acme' })
  const client = clientFor(emulator)
  const { user } = await client.user.createUserAndMembership(org.id, {
    email: 'user@example.com',
    externalId: 'ext-1',
    metadata: { plan: 'pro' },
    userProfile: { firstName: 'John', lastName: 'Doe' },
    membership: { roles: [{ name: 'admin' }], metadata: { team: 'core' } },
    sendInvitationEmail: false,
  })
  t.regex(user.id, /^usr_/)
  t.is(user.email, 'user@example.com')
  t.is(user.externalId, 'ext-1')
  t.deepEqual(user.metadata, { plan: 'pro' })
  t.is(user.userProfile.givenName, 'John')
  t.is(user.userProfile.familyName, 'Doe')
  t.is(user.memberships[0].organizationId, org.id)
  t.is(user.memberships[0].membershipStatus, 'ACTIVE')
  t.deepEqual(user.memberships[0].roles.map((r) => r.name), ['admin'])
  t.deepEqual(user.memberships[0].metadata, { team: 'core' })
  const sent = emulator.requests().at(-1)
  t.is(sent.method, 'POST')
  t.is(sent.path, `/api/v1/organizations/${org.id}/users`)
  t.is(sent.query, 'send_invitation_email=false')
})

test('a second user with the same external id is a ScalekitConflictException', async (t) => {
  const emulator = await startEmulator(t)
  const org = emulator.createOrganization({ displayName: 'Acme' })
  const client = clientFor(emulator)
  await client.user.createUserAndMembership(org.id, { email: 'a@example.com', externalId: 'same' })
  const error = await t.throwsAsync(client.user.createUserAndMembership(org.id, { email: 'b@example.com', externalId: 'same' }), {
    instanceOf: sk.ScalekitConflictException,
  })
  t.is(error.httpStatus, 409)
  t.is(error.errorCode, 'ALREADY_EXISTS')
})

test('404 maps to ScalekitNotFoundException with status, code and request id', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  const error = await t.throwsAsync(client.user.createUserAndMembership('org_missing', { email: 'a@example.com' }), {
    instanceOf: sk.ScalekitNotFoundException,
  })
  t.true(error instanceof sk.ScalekitServerException)
  t.true(error instanceof sk.ScalekitException)
  t.true(error instanceof Error)
  t.is(error.name, 'ScalekitNotFoundException')
  t.is(error.httpStatus, 404)
  t.is(error.grpcStatus, 5)
  t.is(error.errorCode, 'NOT_FOUND')
  t.regex(error.message, /org_missing/)
  t.regex(error.requestId, /^req_\d+$/)
  t.is(error.requestId, emulator.requests().at(-1).requestId)
  t.regex(error.stack, /^ScalekitNotFoundException: organization org_missing not found/)
})

test('400 maps to ScalekitBadRequestException with field violations', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  const error = await t.throwsAsync(client.organization.listOrganizations({ pageSize: 101 }), {
    instanceOf: sk.ScalekitBadRequestException,
  })
  t.is(error.httpStatus, 400)
  t.is(error.errorCode, 'INVALID_ARGUMENT')
  t.is(error.errDetails, error.unpackedDetails)
  t.deepEqual(error.errDetails[0].validationErrorInfo.fieldViolations[0].field, 'page_size')
  t.regex(String(error), /ScalekitBadRequestException: .*HTTP 400, INVALID_ARGUMENT/)
})

test('bad input is rejected before any request is sent', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  const cases = [
    [() => client.user.createUserAndMembership('', { email: 'a@example.com' }), 'organizationId'],
    [() => client.user.createUserAndMembership('org_1', { email: '' }), 'email'],
    [() => client.user.createUserAndMembership('org_1', { email: 'not-an-email' }), 'email'],
    [() => client.user.createUserAndMembership('org_1', { email: 'a@example.com', membership: { inviterEmail: 'x' } }), 'membership.inviterEmail'],
    [() => client.organization.listOrganizations({ pageSize: 2.5 }), 'pageSize'],
    [() => client.organization.listOrganizations({ pageSize: 0 }), 'pageSize'],
    [() => client.organization.listOrganizations({ pageSize: -10 }), 'pageSize'],
  ]
  for (const [call, field] of cases) {
    const error = await t.throwsAsync(call(), { instanceOf: sk.ScalekitValidationException })
    t.is(error.field, field)
  }
  // Wrong JS types are caught by the binding, and still reject (never throw synchronously).
  const promise = client.user.createUserAndMembership(42, { email: 'a@example.com' })
  t.true(promise instanceof Promise)
  await t.throwsAsync(promise, { instanceOf: sk.ScalekitValidationException })
  await t.throwsAsync(client.user.createUserAndMembership('org_1'), { instanceOf: sk.ScalekitValidationException })
  t.deepEqual(emulator.requests(), [], 'nothing reached the server')
})

test('the constructor validates eagerly, without network I/O', (t) => {
  const bad = [
    [['not a url', 'id', 'secret'], 'envUrl', /not a valid URL/],
    [['http://acme.scalekit.dev', 'id', 'secret'], 'envUrl', /clear text/],
    [['https://acme.scalekit.dev', '', 'secret'], 'clientId', /clientId/],
    [['https://acme.scalekit.dev', 'id', ''], 'clientSecret', /clientSecret/],
    [[undefined, 'id', 'secret'], 'envUrl', /SCALEKIT_ENVIRONMENT_URL/],
    [['https://acme.scalekit.dev', 'id', 'secret', { timeoutMs: 0 }], 'timeoutMs', /timeoutMs/],
    [['https://acme.scalekit.dev', 'id', 'secret', { timeoutMs: Number.NaN }], 'timeoutMs', /timeoutMs/],
  ]
  for (const [args, field, message] of bad) {
    const error = t.throws(() => new ScalekitClient(...args), { instanceOf: sk.ScalekitValidationException })
    t.is(error.field, field)
    t.regex(error.message, message)
  }
  for (const url of ['https://acme.scalekit.dev', 'http://localhost:1', 'http://127.0.0.1:1', 'http://[::1]:1']) {
    t.notThrows(() => new ScalekitClient(url, 'id', 'secret'))
  }
  t.is(sk.Scalekit, ScalekitClient)
  t.is(sk.default, ScalekitClient)
})

test('the secret never shows in inspect, JSON, toString or errors', async (t) => {
  const secret = 'sk_live_do_not_print_me'
  const client = new ScalekitClient('https://acme.scalekit.dev', 'skc_1', secret)
  for (const text of [util.inspect(client, { showHidden: true, depth: 5 }), JSON.stringify(client), String(client), util.inspect(client.organization, { showHidden: true })]) {
    t.false(text.includes(secret), text)
  }
  const emulator = await startEmulator(t)
  const wrong = new ScalekitClient(emulator.url, emulator.clientId, secret)
  const error = await t.throwsAsync(wrong.organization.listOrganizations(), { instanceOf: sk.ScalekitUnauthorizedException })
  t.is(error.httpStatus, 401)
  t.is(error.errorCode, 'invalid_client')
  for (const text of [error.message, error.stack, String(error), util.inspect(error), JSON.stringify(error)]) {
    t.false(text.includes(secret), text)
  }
  t.is(tokenRequests(emulator), 1)
  t.is(emulator.requests().filter((r) => r.path.startsWith('/api/')).length, 0, 'no API call without a token')
})

test('a cold burst of 100 calls makes exactly one token request', async (t) => {
  const emulator = await startEmulator(t)
  emulator.seedOrganizations(3)
  const client = clientFor(emulator)
  const results = await Promise.all(Array.from({ length: 100 }, () => client.organization.listOrganizations()))
  t.true(results.every((r) => r.totalSize === 3))
  t.is(tokenRequests(emulator), 1)
  t.is(emulator.requests().length, 101)
})

test('an expired token is refreshed before use, with no 401 round trip', async (t) => {
  const emulator = await startEmulator(t, { tokenTtlSeconds: 1 })
  const client = clientFor(emulator)
  await client.organization.listOrganizations()
  await new Promise((resolve) => setTimeout(resolve, 1100))
  await client.organization.listOrganizations()
  t.is(tokenRequests(emulator), 2)
  t.false(emulator.requests().some((r) => r.status === 401))
})

test('401 triggers one re-authentication and one replay', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  await client.organization.listOrganizations()
  emulator.revokeTokens()
  const page = await client.organization.listOrganizations()
  t.is(page.totalSize, 0)
  t.deepEqual(
    emulator.requests().map((r) => `${r.path} ${r.status}`),
    ['/oauth/token 200', '/api/v1/organizations 200', '/api/v1/organizations 401', '/oauth/token 200', '/api/v1/organizations 200'],
  )
})

test('connection refused rejects promptly with ScalekitTransportException', async (t) => {
  const port = await closedPort()
  const client = new ScalekitClient(`http://127.0.0.1:${port}`, 'id', 'secret', { timeoutMs: 5000 })
  const error = await t.throwsAsync(client.organization.listOrganizations(), { instanceOf: sk.ScalekitTransportException })
  t.is(error.kind, 'connect')
  t.regex(error.message, /refused/i, 'the cause chain is in the message')
  t.false(error instanceof sk.ScalekitServerException)
  t.true(error instanceof sk.ScalekitServiceUnavailableException, 'as the official SDK classes a refused connection (Unavailable)')
  t.false(error instanceof sk.ScalekitGatewayTimeoutException)
})

test('a server that never answers times out with ScalekitTransportException', async (t) => {
  const net = require('node:net')
  const sockets = []
  const server = net.createServer((s) => sockets.push(s))
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    sockets.forEach((s) => s.destroy())
    server.close()
  })
  const client = new ScalekitClient(`http://127.0.0.1:${server.address().port}`, 'id', 'secret', { timeoutMs: 300 })
  const error = await t.throwsAsync(client.organization.listOrganizations(), { instanceOf: sk.ScalekitTransportException })
  t.is(error.kind, 'timeout')
  t.true(error instanceof sk.ScalekitGatewayTimeoutException, 'as the official SDK classes a time-out')
  t.false(error instanceof sk.ScalekitServiceUnavailableException)
})

test('exception classes made by your own code behave as the official ones (test doubles, promote, the axios statics)', (t) => {
  // The official constructors take the error they wrap.
  const connectError = Object.assign(new Error('[not_found] organization not found'), { code: 5 })
  const wrapped = new sk.ScalekitNotFoundException(connectError)
  t.like(wrapped, { message: '[not_found] organization not found', httpStatus: 404, grpcStatus: 5, name: 'ScalekitNotFoundException' })
  t.is(new sk.ScalekitException(new Error('boom')).message, 'boom')
  t.is(new sk.ScalekitException({ message: 'plain' }).message, 'plain')
  t.like(new sk.ScalekitConflictException('taken'), { httpStatus: 409, grpcStatus: 6 }, 'a class alone gives its own status')
  t.like(new sk.ScalekitToolUnauthorizedException('revoked'), { httpStatus: 401, grpcStatus: 16, isToolError: true })
  t.like(JSON.parse(JSON.stringify(wrapped)), { name: 'ScalekitNotFoundException', message: '[not_found] organization not found', httpStatus: 404 })
  const promoted = sk.ScalekitServerException.promote({ code: 14, message: 'down' })
  t.true(promoted instanceof sk.ScalekitServiceUnavailableException)
  t.is(promoted.httpStatus, 503)
  t.true(sk.ScalekitServerException.promote({ response: { status: 403 }, message: 'no' }, true) instanceof sk.ScalekitToolForbiddenException)
  t.is(sk.ScalekitServerException.promote(wrapped), wrapped)
  t.true(sk.ScalekitGatewayTimeoutException.isAxiosTimeout({ code: 'ECONNABORTED' }))
  t.false(sk.ScalekitGatewayTimeoutException.isAxiosTimeout(new Error('x')))
  t.like(sk.ScalekitGatewayTimeoutException.fromAxiosTimeout(new Error('timeout of 20000ms exceeded')), { httpStatus: 504, grpcStatus: 4, message: 'timeout of 20000ms exceeded' })
  t.false(new sk.ScalekitNotFoundException('x') instanceof sk.ScalekitGatewayTimeoutException)
})

test('sub-clients are stable properties', (t) => {
  const client = new ScalekitClient('https://acme.scalekit.dev', 'id', 'secret')
  t.is(client.organization, client.organization)
  t.is(client.user, client.user)
  t.true(client.organization instanceof sk.OrganizationClient)
})

test('a server that writes unset fields as null, leaves them out or sends zero values gives the same result', async (t) => {
  const http = require('node:http')
  const base = { id: 'org_1', display_name: 'Acme', create_time: '2026-01-01T00:00:00Z' }
  const bodies = {
    null: { organizations: [{ ...base, external_id: null, logo_url: null, metadata: null, settings: null, update_time: null }], next_page_token: null, prev_page_token: null, total_size: null },
    absent: { organizations: [base] },
    zero: { organizations: [{ ...base, metadata: {} }], next_page_token: '', prev_page_token: '', total_size: 0 },
  }
  let variant = 'null'
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json')
    if (req.url === '/oauth/token') return res.end(JSON.stringify({ access_token: 'tok', token_type: 'Bearer', expires_in: 3600 }))
    res.end(JSON.stringify(bodies[variant]))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  const client = new ScalekitClient(`http://127.0.0.1:${server.address().port}`, 'skc_1', 'secret')
  const results = {}
  for (variant of Object.keys(bodies)) results[variant] = await client.organization.listOrganizations()
  const expected = { organizations: [{ id: 'org_1', displayName: 'Acme', createTime: '2026-01-01T00:00:00Z', metadata: {} }], nextPageToken: '', prevPageToken: '', totalSize: 0 }
  t.deepEqual(results, { null: expected, absent: expected, zero: expected })
})

// Scalekit behind a gateway: the environment URL's own path comes before every API path, and the
// percent-encoded path and query arrive exactly as built.
test('an environment URL with a path prefixes every request path', async (t) => {
  const http = require('node:http')
  const seen = []
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`)
    res.setHeader('content-type', 'application/json')
    if (req.url === '/gateway/scalekit/oauth/token') return res.end(JSON.stringify({ access_token: 'tok', token_type: 'Bearer', expires_in: 3600 }))
    res.end(JSON.stringify({ organization: { id: 'org_1', display_name: 'Acme' } }))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  const client = new ScalekitClient(`http://127.0.0.1:${server.address().port}/gateway/scalekit/`, 'skc_1', 'secret')
  t.is((await client.organization.getOrganization('org 1/ä')).organization.id, 'org_1')
  await client.organization.listOrganizations({ pageSize: 5, pageToken: 'a b&c' })
  t.deepEqual(seen, [
    'POST /gateway/scalekit/oauth/token',
    'GET /gateway/scalekit/api/v1/organizations/org%201%2F%C3%A4',
    'GET /gateway/scalekit/api/v1/organizations?page_size=5&page_token=a+b%26c',
  ])
})
