'use strict'
// Sign-in sessions in Express with scalekit-native/session: sealed cookies, login / callback / POST logout routes,
// refresh once per refresh token however many requests race, and a guard. `node examples/express-session.js` runs
// it against an in-process emulator (PORT, default 3000; 0 picks a free port) and prints where to open it;
// __test__/session.spec.js drives it like a browser.

const express = require('express')
const { ScalekitClient } = require('scalekit-native')
const { createSessionKit } = require('scalekit-native/session')

/** The app for a Scalekit client and the public URL it is served on. `sessionOptions` go to createSessionKit. */
function createApp(client, baseUrl, sessionOptions = {}) {
  const kit = createSessionKit({
    client,
    // In production: a secret of 32+ characters from your secret store (a list rotates: the first seals).
    cookiePassword: process.env.SESSION_PASSWORD ?? 'an example password of at least 32 characters',
    redirectUri: `${baseUrl}/auth/callback`,
    postLogoutRedirectUri: `${baseUrl}/`,
    ...sessionOptions,
  })
  const app = express()
  app.use(kit.express())

  app.get('/', async (req, res) => {
    const session = await req.scalekit.getSession()
    if (session.status !== 'authenticated') return res.type('html').send('<a href="/auth/login?returnTo=/dashboard">Sign in</a>')
    res.type('html').send(`Signed in as ${escape(session.user?.email)} <form method="post" action="/auth/logout"><button>Log out</button></form>`)
  })

  app.get('/dashboard', kit.requireSession(), (req, res) => {
    const { user, organizationId, roles } = req.scalekit.session
    res.type('html').send(`<h1>Hello ${escape(user?.name ?? user?.email)}</h1><p>${escape(organizationId)}: ${roles.map(escape).join(', ')}</p>`)
  })

  app.get('/api/me', kit.requireSession(), (req, res) => {
    const { user, sessionId, organizationId, roles, permissions, expiresAt, refreshed } = req.scalekit.session
    res.json({ id: user?.id, email: user?.email, sessionId, organizationId, roles, permissions, expiresAt, refreshed })
  })

  // Permissions come from the verified access token only: a forged cookie never gets here.
  app.get('/api/admin', kit.requireSession(), (req, res) => {
    if (!req.scalekit.session.permissions.includes('org:settings:manage')) return res.status(403).json({ error: 'forbidden' })
    res.json({ ok: true })
  })

  return { app, kit }
}

const escape = (text) => String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

module.exports = { createApp }

if (require.main === module) {
  ;(async () => {
    const { ScalekitEmulator } = require('scalekit-native/testing')
    const emulator = await ScalekitEmulator.start()
    const client = new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
    await client.permission.createPermission({ name: 'org:settings:manage' })
    await client.role.createRole({ name: 'owner', displayName: 'Owner', permissions: ['org:settings:manage'] })
    emulator.seedOrganization({ displayName: 'Acme', users: [{ email: 'jane@example.com', givenName: 'Jane', familyName: 'Roe', emailVerified: true, roles: ['owner'] }] })
    emulator.setLoginUser('jane@example.com')
    // The app's URL must be known before it serves (the redirect URI): listen first, then build it.
    const server = require('node:http').createServer()
    server.listen(Number(process.env.PORT ?? 3000), 'localhost', () => {
      const baseUrl = `http://localhost:${server.address().port}`
      server.on('request', createApp(client, baseUrl).app)
      console.log(`open ${baseUrl}/dashboard (signs in jane@example.com on the emulator)`)
    })
    const stop = () => {
      server.closeAllConnections()
      server.close()
      emulator.stop().then(() => process.exit(0))
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })()
}
