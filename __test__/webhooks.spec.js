'use strict'
const test = require('ava')
const http = require('node:http')
const crypto = require('node:crypto')
const { startEmulator, clientFor, restFor } = require('./helpers')

/** Verifies a delivery exactly as the official SDK's verifyWebhookPayload does (REFERENCE.md §9.1). */
function verify(secret, headers, payload) {
  const id = headers['webhook-id']
  const timestamp = Number.parseInt(headers['webhook-timestamp'], 10)
  if (!id || Number.isNaN(timestamp) || !headers['webhook-signature']) return false
  if (Math.abs(Date.now() / 1000 - timestamp) > 300) return false
  const key = Buffer.from(secret.split('_')[1], 'base64')
  const expected = crypto.createHmac('sha256', key).update(`${id}.${timestamp}.${payload}`).digest()
  return headers['webhook-signature'].split(' ').some((item) => {
    const [version, signature] = item.split(',')
    const given = Buffer.from(signature ?? '', 'base64')
    return version === 'v1' && given.length === expected.length && crypto.timingSafeEqual(given, expected)
  })
}

/** A receiver that answers with the given statuses in turn (then 200), recording what it got. */
async function receiver(t, statuses = [], onDelivery = () => {}) {
  const received = []
  const server = http.createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      received.push({ headers: request.headers, body })
      onDelivery(received.length)
      response.statusCode = statuses.shift() ?? 200
      response.end()
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => server.close(resolve)))
  return { url: `http://127.0.0.1:${server.address().port}/webhooks`, received }
}

async function until(condition, what) {
  for (let i = 0; i < 200; i++) {
    if (condition()) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`timed out waiting for ${what}`)
}

test('mutations are delivered as signed webhooks that the official algorithm verifies', async (t) => {
  const hook = await receiver(t)
  const emulator = await startEmulator(t, { webhookUrl: hook.url })
  t.regex(emulator.webhookSecret, /^whsec_[A-Za-z0-9+/=]+$/)
  const org = emulator.createOrganization({ displayName: 'Acme' })
  await clientFor(emulator).user.createUserAndMembership(org.id, { email: 'a@example.com' })
  await until(() => hook.received.length >= 2, 'two deliveries')
  const events = hook.received.map((r) => JSON.parse(r.body))
  t.deepEqual(events.map((e) => e.type).sort(), ['organization.created', 'user.organization_membership_created'])
  for (const { headers, body } of hook.received) t.true(verify(emulator.webhookSecret, headers, body), 'signature verifies')
  const created = events.find((e) => e.type === 'organization.created')
  t.is(created.object, 'Organization')
  t.is(created.spec_version, '1')
  t.regex(created.id, /^evt_/)
  t.is(created.organization_id, org.id)
  t.is(created.data.display_name, 'Acme')
  t.is(hook.received[0].headers['webhook-id'], JSON.parse(hook.received[0].body).id)
  t.false(verify('whsec_' + Buffer.from('another key').toString('base64'), hook.received[0].headers, hook.received[0].body))
  t.deepEqual(emulator.events().map((e) => e.type), ['organization.created', 'user.organization_membership_created'])
})

test('a failed delivery is retried until the receiver accepts it', async (t) => {
  const hook = await receiver(t, [500, 503])
  const emulator = await startEmulator(t, { webhookUrl: hook.url, webhookSecret: 'whsec_' + Buffer.from('test-key-123').toString('base64'), webhookRetryDelayMs: 20 })
  const api = restFor(emulator)
  await api('POST', '/api/v1/organizations', { display_name: 'Retry Co' })
  await until(() => emulator.webhookDeliveries().some((d) => d.delivered), 'a successful delivery')
  const attempts = emulator.webhookDeliveries()
  t.deepEqual(attempts.map((d) => [d.attempt, d.status, d.delivered]), [[1, 500, false], [2, 503, false], [3, 200, true]])
  t.is(new Set(hook.received.map((r) => r.headers['webhook-id'])).size, 1, 'the same event id on every attempt')
  t.true(hook.received.every((r) => verify(emulator.webhookSecret, r.headers, r.body)))
})

test('a reset stops the retries of earlier events, so they cannot reach the next test', async (t) => {
  let emulator
  // The reset comes while the first attempt is being answered (500), before the emulator can schedule a retry,
  // whatever the load of the machine.
  const hook = await receiver(t, [500, 500, 500], (n) => n === 1 && emulator.reset())
  emulator = await startEmulator(t, { webhookUrl: hook.url, webhookRetryDelayMs: 150 })
  emulator.createOrganization({ displayName: 'Before the reset' })
  await until(() => hook.received.length === 1, 'the first attempt')
  await new Promise((resolve) => setTimeout(resolve, 600))
  t.is(hook.received.length, 1, 'no retry after the reset')
  t.deepEqual(emulator.webhookDeliveries(), [])
  emulator.createOrganization({ displayName: 'After the reset' })
  await until(() => hook.received.length === 2, 'a new event still goes out')
  t.regex(hook.received[1].body, /After the reset/)
})

test('an unreachable receiver is retried up to the attempt limit', async (t) => {
  const emulator = await startEmulator(t, { webhookUrl: 'http://127.0.0.1:9/unreachable', webhookMaxAttempts: 3, webhookRetryDelayMs: 10 })
  emulator.createOrganization({ displayName: 'Nobody listens' })
  await until(() => emulator.webhookDeliveries().length === 3, 'three attempts')
  await new Promise((resolve) => setTimeout(resolve, 100))
  const attempts = emulator.webhookDeliveries()
  t.is(attempts.length, 3)
  t.true(attempts.every((d) => !d.delivered && d.status === undefined && d.error))
})

test('roles, permissions and a deleted user\'s memberships emit their events too', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  await client.permission.createPermission({ name: 'invoices:read' })
  await client.permission.updatePermission('invoices:read', { name: 'invoices:read', description: 'Read' })
  await client.role.createRole({ name: 'viewer', permissions: ['invoices:read'] })
  await client.role.updateRole('viewer', { displayName: 'Viewer' })
  await client.role.createOrganizationRole(acme.id, { name: 'auditor' })
  await client.role.deleteRole('viewer')
  await client.permission.deletePermission('invoices:read')
  const { user } = await client.user.createUserAndMembership(acme.id, { email: 'ada@acme.com' })
  await client.user.deleteUser(user.id)
  const types = emulator.events().map((e) => e.type)
  for (const type of ['permission.created', 'permission.updated', 'role.created', 'role.updated', 'role.deleted', 'permission.deleted', 'user.organization_membership_deleted']) {
    t.true(types.includes(type), type)
  }
  t.is(types.filter((type) => type === 'role.created').length, 2, 'an organization role too')
  const ended = emulator.events().find((e) => e.type === 'user.organization_membership_deleted')
  t.is(ended.organization_id, acme.id)
})

test('setWebhookUrl points deliveries at a receiver that starts after the emulator', async (t) => {
  const emulator = await startEmulator(t)
  t.is(emulator.webhookSecret, null)
  emulator.createOrganization({ displayName: 'Before any receiver' })
  const hook = await receiver(t)
  emulator.setWebhookUrl(hook.url)
  t.regex(emulator.webhookSecret, /^whsec_/)
  emulator.createOrganization({ displayName: 'After' })
  await until(() => hook.received.length === 1, 'a delivery')
  t.true(verify(emulator.webhookSecret, hook.received[0].headers, hook.received[0].body))
  t.regex(hook.received[0].body, /After/)
  emulator.setWebhookUrl(null)
  emulator.createOrganization({ displayName: 'Nowhere' })
  await new Promise((resolve) => setTimeout(resolve, 200))
  t.is(hook.received.length, 1)
  t.throws(() => emulator.setWebhookUrl('not a url'), { instanceOf: require('..').ScalekitValidationException })
})
