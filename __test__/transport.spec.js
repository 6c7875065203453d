'use strict'
// The request path every method takes: retries that never duplicate, Retry-After,
// one deadline, cancellation, context on errors and results, and options checked
// before any I/O. All against the emulator or a local server, over real sockets.
const test = require('ava')
const http = require('node:http')
const sk = require('..')
const { startEmulator, clientFor, closedPort } = require('./helpers')

const api = (emulator, path) => emulator.requests().filter((r) => r.path.startsWith(path))
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6
const now = () => process.hrtime.bigint()

/** Waits until `check()` is true, polling for at most `limit` ms. */
async function eventually(check, limit = 2000) {
  const start = now()
  while (!check()) {
    if (ms(start) > limit) return false
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return true
}

test('a GET is retried after 503s and succeeds; withResponse reports the attempts', async (t) => {
  const emulator = await startEmulator(t)
  emulator.seedOrganizations(2)
  emulator.injectFault({ status: 503, times: 2, path: '/api/v1/organizations' })
  const client = clientFor(emulator)
  const { data, response } = await client.organization.listOrganizations({}, { withResponse: true })
  t.is(data.totalSize, 2)
  t.is(response.status, 200)
  t.is(response.attempts, 3)
  t.regex(response.requestId, /^req_/)
  t.is(response.headers['content-type'], 'application/json')
  t.deepEqual(api(emulator, '/api/v1/organizations').map((r) => r.status), [503, 503, 200])
})

test('maxRetries bounds the retries, per client and per call', async (t) => {
  const emulator = await startEmulator(t)
  emulator.injectFault({ status: 502, times: 0, path: '/api/v1/organizations' })
  const client = clientFor(emulator, { maxRetries: 1 })
  const error = await t.throwsAsync(client.organization.listOrganizations(), { instanceOf: sk.ScalekitServerException })
  t.is(error.httpStatus, 502)
  t.is(error.attempts, 2)
  const once = await t.throwsAsync(client.organization.listOrganizations({}, { maxRetries: 0 }))
  t.is(once.attempts, 1)
  t.is(api(emulator, '/api/v1/organizations').length, 3)
})

test('a POST answered 500 is not retried and says its outcome is unknown', async (t) => {
  const emulator = await startEmulator(t)
  const org = emulator.createOrganization({ displayName: 'Acme' })
  emulator.injectFault({ status: 500, method: 'POST', path: '/api/v1/organizations/*/users' })
  const error = await t.throwsAsync(clientFor(emulator).user.createUserAndMembership(org.id, { email: 'a@example.com' }), {
    instanceOf: sk.ScalekitInternalServerException,
  })
  t.true(error.outcomeUnknown)
  t.is(error.attempts, 1)
  t.regex(error.message, /outcome is unknown/)
  t.is(api(emulator, `/api/v1/organizations/${org.id}/users`).length, 1)
})

test('a POST answered 503 or 429 is retried with the same Idempotency-Key, and creates one user', async (t) => {
  const emulator = await startEmulator(t)
  const org = emulator.createOrganization({ displayName: 'Acme' })
  emulator.injectFault({ status: 503, method: 'POST', path: '/api/v1/organizations/*/users' })
  emulator.injectFault({ status: 429, retryAfterSeconds: 0, method: 'POST', path: '/api/v1/organizations/*/users' })
  const { user } = await clientFor(emulator).user.createUserAndMembership(org.id, { email: 'a@example.com', externalId: 'ext-1' })
  t.is(user.externalId, 'ext-1')
  const posts = api(emulator, `/api/v1/organizations/${org.id}/users`)
  t.deepEqual(posts.map((r) => r.status), [503, 429, 201])
  t.regex(posts[0].idempotencyKey, /^[0-9a-f-]{36}$/)
  t.true(posts.every((r) => r.idempotencyKey === posts[0].idempotencyKey), 'one key per logical call')
  t.is(emulator.stats().users, 1)
  // A second call gets a key of its own, and the caller may choose it.
  await clientFor(emulator).user.createUserAndMembership(org.id, { email: 'b@example.com' }, { idempotencyKey: 'my-key-1' })
  t.is(api(emulator, `/api/v1/organizations/${org.id}/users`).at(-1).idempotencyKey, 'my-key-1')
})

test('a connection dropped before or after processing a POST is an outcome-unknown error, never a duplicate', async (t) => {
  const emulator = await startEmulator(t)
  const org = emulator.createOrganization({ displayName: 'Acme' })
  const client = clientFor(emulator)
  for (const [fault, created] of [[{ drop: true }, 0], [{ dropAfterProcessing: true }, 1]]) {
    emulator.injectFault({ ...fault, method: 'POST', path: '/api/v1/organizations/*/users' })
    const email = `u${created}@example.com`
    const error = await t.throwsAsync(client.user.createUserAndMembership(org.id, { email }), { instanceOf: sk.ScalekitOutcomeUnknownException })
    t.true(error instanceof sk.ScalekitTransportException)
    t.true(error.outcomeUnknown)
    t.is(error.attempts, 1)
    t.is(emulator.stats().users, created, JSON.stringify(fault))
  }
})

test('a GET whose connection is dropped is retried on a fresh connection', async (t) => {
  const emulator = await startEmulator(t)
  emulator.injectFault({ drop: true, path: '/api/v1/organizations' })
  emulator.injectFault({ dropAfterProcessing: true, path: '/api/v1/organizations' })
  const result = await clientFor(emulator).organization.listOrganizations()
  t.is(result.totalSize, 0)
  // A dropped request is never logged (it got no answer); each drop cost its connection.
  t.is(emulator.stats().connectionsAccepted, 3)
})

test('connection refused is retried, for a POST too: nothing was sent', async (t) => {
  const port = await closedPort()
  const client = new sk.ScalekitClient(`http://127.0.0.1:${port}`, 'skc_1', 'secret', { maxRetries: 2 })
  const error = await t.throwsAsync(client.user.createUserAndMembership('org_1', { email: 'a@example.com' }), { instanceOf: sk.ScalekitTransportException })
  t.is(error.kind, 'connect')
  t.is(error.attempts, 3)
  t.false(error.outcomeUnknown)
})

test('Retry-After is honoured in seconds and as an HTTP-date', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  await client.organization.listOrganizations()
  emulator.injectFault({ status: 429, retryAfterSeconds: 1 })
  let start = now()
  await client.organization.listOrganizations()
  t.true(ms(start) >= 950, `waited ${ms(start)} ms for Retry-After: 1`)
  emulator.injectFault({ status: 503, retryAfterSeconds: 2, retryAfterAsDate: true })
  start = now()
  await client.organization.listOrganizations()
  // An HTTP-date has whole seconds, so the wait is between 1 and 2 s.
  t.true(ms(start) >= 900 && ms(start) < 3000, `waited ${ms(start)} ms for a date 2 s ahead`)
})

test('a Retry-After beyond 60 s fails at once, with retryAfter and the rate-limit state', async (t) => {
  const emulator = await startEmulator(t)
  emulator.injectFault({ status: 429, retryAfterSeconds: 120, rateLimitLimit: 100, rateLimitRemaining: 0, rateLimitResetSeconds: 120 })
  const start = now()
  const error = await t.throwsAsync(clientFor(emulator).organization.listOrganizations(), { instanceOf: sk.ScalekitTooManyRequestsException })
  t.true(ms(start) < 5000, 'did not wait the 120 s')
  t.is(error.retryAfter, 120_000)
  t.is(error.attempts, 1)
  t.is(error.rateLimit.limit, 100)
  t.is(error.rateLimit.remaining, 0)
  t.true(Date.parse(error.rateLimit.resetAt) > Date.now() + 100_000)
})

test('the rate-limit state of a successful call comes with withResponse', async (t) => {
  const emulator = await startEmulator(t)
  emulator.injectFault({ rateLimitLimit: 50, rateLimitRemaining: 49, rateLimitResetSeconds: 60, path: '/api/v1/organizations' })
  const { response } = await clientFor(emulator).organization.listOrganizations(undefined, { withResponse: true })
  t.like(response.rateLimit, { limit: 50, remaining: 49 })
})

test('deadlineMs bounds the whole call: a slow answer, a slow token endpoint, and a retry it cuts short', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator, { timeoutMs: 10_000 })
  await client.organization.listOrganizations()

  emulator.injectFault({ latencyMs: 1500 })
  let start = now()
  let error = await t.throwsAsync(client.organization.listOrganizations({}, { deadlineMs: 300 }), { instanceOf: sk.ScalekitTimeoutException })
  t.true(ms(start) < 1300, `${ms(start)} ms, not the 1 500 ms answer`)
  t.is(error.limit, 'deadline')
  t.regex(error.message, /deadline of 300 ms/)

  const cold = clientFor(emulator, { deadlineMs: 300 })
  emulator.injectFault({ latencyMs: 1500, path: '/oauth/token' })
  start = now()
  error = await t.throwsAsync(cold.organization.listOrganizations(), { instanceOf: sk.ScalekitTimeoutException })
  t.true(ms(start) < 1300, `token fetch bounded: ${ms(start)} ms`)
  t.is(error.limit, 'deadline')

  emulator.clearFaults()
  emulator.injectFault({ status: 503, retryAfterSeconds: 2, path: '/api/v1/organizations' })
  start = now()
  error = await t.throwsAsync(client.organization.listOrganizations({}, { deadlineMs: 1000 }), { instanceOf: sk.ScalekitTimeoutException })
  t.true(ms(start) < 900, `gave up at once instead of sleeping past the deadline: ${ms(start)} ms`)
  t.is(error.limit, 'deadline')
  t.is(error.attempts, 1)
  t.regex(error.message, /waiting 2000 ms to retry would pass it; last failure: injected fault: HTTP 503/)
})

test('an aborted signal rejects at once with nothing sent, and leaves the caller\'s onabort alone', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  const controller = new AbortController()
  const onabort = () => {}
  controller.signal.onabort = onabort
  controller.abort()
  const error = await t.throwsAsync(client.organization.listOrganizations({}, { signal: controller.signal }), { instanceOf: sk.ScalekitAbortedException })
  t.true(error instanceof sk.ScalekitTransportException)
  t.is(error.kind, 'aborted')
  t.is(error.attempts, 0)
  t.is(emulator.stats().requests, 0)
  t.is(controller.signal.onabort, onabort)
})

test('an abort in flight cancels the request and closes its connection', async (t) => {
  const emulator = await startEmulator(t)
  // The debug line of an attempt says it is being sent: abort only after that, however busy the machine.
  let sent = 0
  const logger = { debug: () => sent++, info() {}, warn() {}, error() {} }
  const client = clientFor(emulator, { logger, logLevel: 'debug' })
  await client.organization.listOrganizations()
  t.is(emulator.stats().connectionsOpen, 1, 'one pooled keep-alive connection')
  emulator.injectFault({ latencyMs: 5000 })
  const controller = new AbortController()
  let callerHeard = 0
  controller.signal.onabort = () => callerHeard++
  controller.signal.addEventListener('abort', () => callerHeard++)
  const before = sent
  const call = client.organization.listOrganizations({}, { signal: controller.signal })
  t.true(await eventually(() => sent > before), 'the attempt started')
  await new Promise((resolve) => setTimeout(resolve, 100))
  const start = now()
  controller.abort()
  const error = await t.throwsAsync(call, { instanceOf: sk.ScalekitAbortedException })
  t.true(ms(start) < 2000, `rejected ${ms(start)} ms after the abort, not after the 5 s answer`)
  t.is(error.attempts, 1)
  t.is(callerHeard, 2, "the caller's onabort and listener both ran")
  t.true(await eventually(() => emulator.stats().connectionsOpen === 0), 'the emulator saw the connection closed')
  // The client still works, on a new connection.
  emulator.clearFaults()
  t.is((await client.organization.listOrganizations({}, { signal: new AbortController().signal })).totalSize, 0)
})

test('a 401 gets one re-authentication and replay, which is no retry', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator, { maxRetries: 0 })
  await client.organization.listOrganizations()
  emulator.revokeTokens()
  const { response } = await client.organization.listOrganizations({}, { withResponse: true })
  t.is(response.attempts, 2)
})

test('a failing token endpoint is retried like any other attempt', async (t) => {
  const emulator = await startEmulator(t)
  emulator.injectFault({ status: 503, path: '/oauth/token' })
  const result = await clientFor(emulator).organization.listOrganizations()
  t.is(result.totalSize, 0)
  t.deepEqual(emulator.requests().map((r) => `${r.path} ${r.status}`), ['/oauth/token 503', '/oauth/token 200', '/api/v1/organizations 200'])
})

/** A local server that answers the token and list calls and keeps each request's headers. */
async function recordingServer(t) {
  const seen = []
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url, headers: req.headers })
    res.setHeader('content-type', 'application/json')
    if (req.url === '/oauth/token') return res.end(JSON.stringify({ access_token: 'tok_SECRET_TOKEN', expires_in: 3600 }))
    res.end(JSON.stringify({ organizations: [] }))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  return { url: `http://127.0.0.1:${server.address().port}`, seen }
}

test('per-request headers, the user agent and app info reach the server', async (t) => {
  const server = await recordingServer(t)
  const client = new sk.ScalekitClient(server.url, 'skc_1', 'secret', { userAgent: 'extra/1', appInfo: { name: 'my-app', version: '2.0.0', url: 'https://example.com' } })
  await client.organization.listOrganizations({}, { headers: { 'x-trace-id': 'abc123' } })
  const call = server.seen.find((r) => r.url.startsWith('/api/v1/organizations'))
  t.is(call.headers['x-trace-id'], 'abc123')
  t.regex(call.headers['user-agent'], /^scalekit-native\/\S+ \(rust\) extra\/1 my-app\/2\.0\.0 \(\+https:\/\/example\.com\)$/)
  t.is(call.headers['idempotency-key'], undefined, 'only POSTs carry a key')
})

test('bad client and per-request options are typed errors before any I/O', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  const fieldOf = async (call) => (await t.throwsAsync(call, { instanceOf: sk.ScalekitValidationException })).field
  t.is(await fieldOf(client.organization.listOrganizations({}, { maxRetries: 1.5 })), 'requestOptions.maxRetries')
  t.is(await fieldOf(client.organization.listOrganizations({}, { maxRetries: 11 })), 'requestOptions.maxRetries')
  t.is(await fieldOf(client.organization.listOrganizations({}, { deadlineMs: 0 })), 'requestOptions.deadlineMs')
  t.is(await fieldOf(client.organization.listOrganizations({}, { timeoutMs: -1 })), 'requestOptions.timeoutMs')
  t.is(await fieldOf(client.organization.listOrganizations({}, { headers: { authorization: 'Bearer x' } })), 'headers.authorization')
  t.is(await fieldOf(client.organization.listOrganizations({}, { headers: { 'bad header': 'x' } })), 'headers.bad header')
  t.is(await fieldOf(client.organization.listOrganizations({}, { headers: { 'x-a': 'line\nbreak' } })), 'headers.x-a')
  t.is(await fieldOf(client.user.createUserAndMembership('org_1', { email: 'a@example.com' }, { idempotencyKey: '' })), 'idempotencyKey')
  t.is(await fieldOf(client.organization.listOrganizations({}, { signal: {} })), 'requestOptions.signal')
  const construct = (options) => () => clientFor(emulator, options)
  for (const [options, field] of [
    [{ maxRetries: -1 }, 'maxRetries'], [{ deadlineMs: Infinity }, 'deadlineMs'], [{ proxy: 'not a url' }, 'proxy'],
    [{ proxy: 'ftp://proxy.example.com' }, 'proxy'], [{ caCertificates: 'not a pem' }, 'caCertificates[0]'],
    [{ userAgent: 'bad\nagent' }, 'userAgent'], [{ logLevel: 'loud' }, 'options.logLevel'], [{ logger: {} }, 'options.logger'],
    [{ onRequest: 'x' }, 'options.onRequest'],
  ]) {
    t.is(t.throws(construct(options), { instanceOf: sk.ScalekitValidationException }).field, field, JSON.stringify(options))
  }
  t.is(emulator.stats().requests, 0)
})

// Answers that arrive together are settled in one batch (src/completion.rs): none may be lost,
// swapped or delayed, past the batch limit too, and mixed with big pages, which go one at a time.
test('a burst of calls settles each promise with its own answer, small and big mixed', async (t) => {
  const emulator = await startEmulator(t, { checkConformance: false, maxPageSize: 1000 })
  const orgs = Array.from({ length: 150 }, (_, i) => emulator.createOrganization({ displayName: `Burst ${i}`, externalId: `burst-${i}` }))
  const client = clientFor(emulator)
  const calls = []
  for (let round = 0; round < 3; round++) {
    for (const org of orgs) calls.push(client.organization.getOrganization(org.id).then((r) => [org, r]))
    calls.push(client.organization.listOrganizations({ pageSize: 150 }).then((r) => [null, r]))
    calls.push(client.organization.getOrganization('org_missing').then(() => [null, null], (e) => [null, e]))
  }
  const settled = await Promise.all(calls)
  for (const [org, result] of settled) {
    if (org) t.is(result.organization.externalId, org.externalId)
    else if (result instanceof Error) t.true(result instanceof sk.ScalekitNotFoundException)
    else t.is(result.organizations.length, 150)
  }
  t.is(settled.length, 3 * (orgs.length + 2))
})

test('log lines of calls settled together reach the logger before each call settles', async (t) => {
  const emulator = await startEmulator(t, { checkConformance: false })
  const orgs = Array.from({ length: 60 }, (_, i) => emulator.createOrganization({ displayName: `Logged ${i}` }))
  const lines = []
  const logger = Object.fromEntries(['debug', 'info', 'warn', 'error'].map((level) => [level, (message) => lines.push(message)]))
  const client = clientFor(emulator, { logger, logLevel: 'info' })
  await Promise.all(
    orgs.map((org) =>
      client.organization.getOrganization(org.id).then(() => {
        t.true(lines.some((line) => line.includes(`/api/v1/organizations/${org.id} -> 200`)), org.id)
      }),
    ),
  )
})
