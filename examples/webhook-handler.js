'use strict'
// A webhook endpoint: Express with the raw body, Standard Webhooks verification, and the event
// typed by `type`. Against the emulator it receives the events of a few real changes.
const express = require('express')
const { WebhookVerificationError } = require('scalekit-native')
const { connect, run } = require('./connect')

/** The handler you mount in your app; `config` holds the client and the endpoint's signing secret. */
function webhookRouter(config, onEvent) {
  const router = express.Router()
  router.post('/webhooks/scalekit', express.raw({ type: 'application/json' }), (req, res) => {
    let event
    try {
      event = config.scalekit.constructWebhookEvent(config.secret, req.headers, req.body)
    } catch (error) {
      if (error instanceof WebhookVerificationError) return res.status(400).send(error.reason)
      throw error
    }
    onEvent(event)
    res.sendStatus(204)
  })
  return router
}

run(async () => {
  const received = []
  const config = { scalekit: undefined, secret: process.env.SCALEKIT_WEBHOOK_SECRET }
  const app = express()
  app.use(webhookRouter(config, (event) => received.push(event)))
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const url = `http://127.0.0.1:${server.address().port}/webhooks/scalekit`
  const connected = await connect(undefined, { webhookUrl: url })
  try {
    const { scalekit } = connected
    config.scalekit = scalekit
    if (!connected.emulator) {
      console.log(`register ${url} (publicly reachable) as a webhook endpoint, and set SCALEKIT_WEBHOOK_SECRET`)
      return
    }
    config.secret = connected.emulator.webhookSecret
    const { organization } = await scalekit.organization.createOrganization('Umbrella', { metadata: { crm_id: '42' } })
    await scalekit.user.createUserAndMembership(organization.id, { email: 'alice@umbrella.example', sendInvitationEmail: false })
    for (let i = 0; i < 100 && received.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20))
    for (const event of received) {
      if (event.type === 'organization.created') console.log(`${event.type}: ${event.data.displayName} (crm_id ${event.data.metadata?.crm_id})`)
      else console.log(`${event.type}: ${event.data.email ?? event.data.id}`)
    }
    // A forged delivery is refused.
    const forged = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,Zm9yZ2Vk' }, body: '{}' })
    console.log(`a forged delivery gets ${forged.status} ${await forged.text()}`)
  } finally {
    await connected.close()
    server.close()
  }
})

module.exports = { webhookRouter }
