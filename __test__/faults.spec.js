'use strict'
const test = require('ava')
const sk = require('..')
const { startEmulator, clientFor } = require('./helpers')

// These map one failed attempt to its error, so the client does not retry here (transport.spec.js covers retries).
const once = { maxRetries: 0 }

test('an injected 503 fails the next call only', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator, once)
  emulator.injectFault({ status: 503 })
  const error = await t.throwsAsync(client.organization.listOrganizations(), { instanceOf: sk.ScalekitServiceUnavailableException })
  t.is(error.httpStatus, 503)
  t.is(error.errorCode, 'UNAVAILABLE')
  t.is((await client.organization.listOrganizations()).totalSize, 0)
})

test('each injected status carries its gRPC code, so it maps to the class the official SDK picks', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator, once)
  for (const [status, Class, grpc] of [[400, 'BadRequest', 3], [403, 'Forbidden', 7], [404, 'NotFound', 5], [409, 'Conflict', 6], [499, 'Cancelled', 1], [500, 'InternalServer', 13], [501, 'NotImplemented', 12], [504, 'GatewayTimeout', 4]]) {
    emulator.injectFault({ status })
    const error = await t.throwsAsync(client.organization.getOrganization('org_1'), { instanceOf: sk[`Scalekit${Class}Exception`] })
    t.like(error, { httpStatus: status, grpcStatus: grpc }, String(status))
  }
})

test('an injected 429 carries Retry-After and maps to ScalekitTooManyRequestsException', async (t) => {
  const emulator = await startEmulator(t)
  emulator.injectFault({ status: 429, retryAfterSeconds: 7 })
  const response = await fetch(`${emulator.url}/api/v1/organizations`)
  t.is(response.status, 429)
  t.is(response.headers.get('retry-after'), '7')
  emulator.injectFault({ status: 429 })
  const error = await t.throwsAsync(clientFor(emulator, once).organization.listOrganizations(), { instanceOf: sk.ScalekitTooManyRequestsException })
  t.is(error.grpcStatus, 8)
  t.is(error.retryAfter, 1000)
})

test('a dropped connection is a ScalekitTransportException', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator, once)
  emulator.injectFault({ drop: true, path: '/api/v1/organizations' })
  const error = await t.throwsAsync(client.organization.listOrganizations(), { instanceOf: sk.ScalekitTransportException })
  t.false(error instanceof sk.ScalekitServerException)
  t.is((await client.organization.listOrganizations()).totalSize, 0, 'the next call gets a fresh connection')
})

test('injected latency beyond timeoutMs times out', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator, { timeoutMs: 150, ...once })
  await client.organization.listOrganizations()
  emulator.injectFault({ latencyMs: 600 })
  const error = await t.throwsAsync(client.organization.listOrganizations(), { instanceOf: sk.ScalekitTimeoutException })
  t.is(error.kind, 'timeout')
  t.is(error.limit, 'attempt')
  t.regex(error.message, /timeoutMs = 150 ms/)
})

test('a path pattern with times 0 applies until cleared', async (t) => {
  const emulator = await startEmulator(t)
  const org = emulator.createOrganization({ displayName: 'Acme' })
  const client = clientFor(emulator, once)
  emulator.injectFault({ path: '/api/v1/organizations/*/users', method: 'POST', status: 500, times: 0 })
  for (let i = 0; i < 3; i++) {
    await t.throwsAsync(client.user.createUserAndMembership(org.id, { email: `u${i}@example.com` }), { instanceOf: sk.ScalekitInternalServerException })
  }
  t.is((await client.organization.listOrganizations()).totalSize, 1, 'other paths are untouched')
  emulator.clearFaults()
  const { user } = await client.user.createUserAndMembership(org.id, { email: 'ok@example.com' })
  t.is(user.email, 'ok@example.com')
})

test('random faults are deterministic under a seed', async (t) => {
  async function statuses(seed) {
    const emulator = await startEmulator(t, { seed })
    emulator.injectFault({ status: 503, probability: 0.5, times: 0 })
    const out = []
    for (let i = 0; i < 24; i++) out.push((await fetch(`${emulator.url}/api/v1/organizations`)).status)
    return out.join(',')
  }
  const first = await statuses(42)
  t.is(await statuses(42), first)
  t.not(await statuses(43), first)
  t.true(first.includes('503') && first.includes('401'))
})

test('expired tokens get a 401 and one transparent re-authentication', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  await client.organization.listOrganizations()
  emulator.expireTokens()
  await client.organization.listOrganizations()
  t.deepEqual(
    emulator.requests().map((r) => `${r.path} ${r.status}`),
    ['/oauth/token 200', '/api/v1/organizations 200', '/api/v1/organizations 401', '/oauth/token 200', '/api/v1/organizations 200'],
  )
  const body = JSON.parse(emulator.requests()[2].responseBody)
  t.is(body.message, 'token expired')
})

test('faults can be injected through the admin HTTP endpoint', async (t) => {
  const emulator = await startEmulator(t)
  const added = await fetch(`${emulator.url}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 500 }) })
  t.is(added.status, 204)
  await t.throwsAsync(clientFor(emulator, once).organization.listOrganizations(), { instanceOf: sk.ScalekitInternalServerException })
  const bad = await fetch(`${emulator.url}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 200 }) })
  t.is(bad.status, 400)
  t.throws(() => emulator.injectFault({ status: 200 }), { instanceOf: sk.ScalekitValidationException })
})
