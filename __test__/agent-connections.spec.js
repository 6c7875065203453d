'use strict'
// Agent Auth connections exist only once set up, as in Scalekit: the emulator starts with the common
// connectors, others are declared (JS or admin API), and any other name is NOT_FOUND.
const test = require('ava')
const sk = require('..')
const { startEmulator, clientFor } = require('./helpers')

test('a connector the environment has not set up is NOT_FOUND; declared ones work, and a reset keeps them', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  const gmail = await client.actions.getOrCreateConnectedAccount({ connectionName: 'gmail', identifier: 'ada' })
  t.is(gmail.connectedAccount.provider, 'GMAIL', 'the common connectors are there from the start')
  t.is(gmail.connectedAccount.connectionId, emulator.agentConnections().find((c) => c.name === 'gmail').id)

  const missing = await t.throwsAsync(client.actions.getOrCreateConnectedAccount({ connectionName: 'acme-crm', identifier: 'ada' }), { instanceOf: sk.ScalekitNotFoundException })
  t.is(missing.httpStatus, 404)
  await t.throwsAsync(client.actions.getAuthorizationLink({ connectionName: 'acme-crm', identifier: 'ada' }), { instanceOf: sk.ScalekitNotFoundException })

  const crm = emulator.addAgentConnection({ name: 'acme-crm', type: 'API_KEY' })
  t.like(crm, { name: 'acme-crm', provider: 'ACME_CRM', type: 'API_KEY' })
  const account = await client.actions.getOrCreateConnectedAccount({ connectionName: 'ACME-CRM', identifier: 'ada' })
  t.like(account.connectedAccount, { connectionId: crm.id, provider: 'ACME_CRM' })

  emulator.reset()
  t.truthy(emulator.agentConnections().find((c) => c.name === 'acme-crm'), 'set-up is configuration: a reset keeps it')
  emulator.clearAgentConnections()
  await t.throwsAsync(client.actions.getOrCreateConnectedAccount({ connectionName: 'gmail', identifier: 'ada' }), { instanceOf: sk.ScalekitNotFoundException })

  // The admin API does the same for emulators in another process.
  const added = await fetch(`${emulator.url}/_emulator/connections`, { method: 'POST', body: JSON.stringify({ name: 'slack' }) }).then((r) => r.json())
  t.like(added, { name: 'slack', provider: 'SLACK', type: 'OAUTH' })
  t.like((await client.actions.getOrCreateConnectedAccount({ connectionName: 'slack', identifier: 'ada' })).connectedAccount, { provider: 'SLACK' })
  t.throws(() => emulator.addAgentConnection({ name: 'bad/name' }), { instanceOf: sk.ScalekitValidationException })
})
