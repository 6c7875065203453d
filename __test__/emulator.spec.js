'use strict'
const test = require('ava')
const path = require('node:path')
const readline = require('node:readline')
const { spawn } = require('node:child_process')
const sk = require('..')
const { ScalekitEmulator } = require('../testing')
const { startEmulator, clientFor } = require('./helpers')

test('instances run in parallel on port 0 with isolated state', async (t) => {
  const [a, b] = await Promise.all([startEmulator(t), startEmulator(t)])
  t.not(a.url, b.url)
  a.seedOrganizations(2)
  t.is((await clientFor(a).organization.listOrganizations()).totalSize, 2)
  t.is((await clientFor(b).organization.listOrganizations()).totalSize, 0)
})

test('reset forgets state; stop is idempotent and ends serving', async (t) => {
  const emulator = await ScalekitEmulator.start()
  emulator.seedOrganizations(1)
  const client = clientFor(emulator)
  t.is((await client.organization.listOrganizations()).totalSize, 1)
  emulator.reset()
  t.deepEqual(emulator.requests(), [])
  t.is((await client.organization.listOrganizations()).totalSize, 0)
  await emulator.stop()
  await emulator.stop()
  await t.throwsAsync(client.organization.listOrganizations(), { instanceOf: sk.ScalekitTransportException })
  t.throws(() => emulator.requests(), { message: /stopped/ })
})

test('custom credentials are enforced', async (t) => {
  const emulator = await startEmulator(t, { clientId: 'skc_custom', clientSecret: 'custom-secret' })
  t.is(emulator.clientId, 'skc_custom')
  const wrong = new sk.ScalekitClient(emulator.url, 'skc_emulator', 'emulator_secret')
  await t.throwsAsync(wrong.organization.listOrganizations(), { instanceOf: sk.ScalekitUnauthorizedException })
  t.is((await clientFor(emulator).organization.listOrganizations()).totalSize, 0)
})

test('API calls without a valid bearer get a Scalekit-shaped 401', async (t) => {
  const emulator = await startEmulator(t)
  const response = await fetch(`${emulator.url}/api/v1/organizations`)
  t.is(response.status, 401)
  t.truthy(response.headers.get('x-request-id'))
  const body = await response.json()
  t.is(body.code, 16)
  t.is(body.details[0].error_code, 'UNAUTHENTICATED')
})

test('the emulator rejects unknown request fields, so wire mistakes surface in tests', async (t) => {
  // This test sends a non-conformant body on purpose.
  const emulator = await startEmulator(t, { checkConformance: false })
  const org = emulator.createOrganization({ displayName: 'Acme' })
  const token = await (
    await fetch(`${emulator.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: emulator.clientId, client_secret: emulator.clientSecret }),
    })
  ).json()
  t.is(token.token_type, 'Bearer')
  t.is(token.expires_in, 3600)
  const response = await fetch(`${emulator.url}/api/v1/organizations/${org.id}/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'a@example.com', user_profile: { first_name: 'John' } }),
  })
  t.is(response.status, 400)
  t.is((await response.json()).code, 3)
})

test('the command-line entry serves until SIGINT', async (t) => {
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'bin', 'scalekit-emulator.js'), '--seed-organizations', '3', '--client-secret', 'cli-secret'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  t.teardown(() => child.kill('SIGKILL'))
  const firstLine = await new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`exited with ${code}`)))
  })
  const { url, clientId, clientSecret } = JSON.parse(firstLine)
  t.is(clientSecret, 'cli-secret')
  const page = await new sk.ScalekitClient(url, clientId, clientSecret).organization.listOrganizations()
  t.is(page.totalSize, 3)
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGINT')
  t.is(await exited, 0)
})
