'use strict'
// The README's offline sign-in test: examples/express-login.js driven over HTTP like a browser
// (cookies kept, redirects followed by hand) against the emulator.
const test = require('ava')
const { ScalekitClient } = require('..')
const { startEmulator, browser, serveApp } = require('./helpers')
const { createApp } = require('../examples/express-login')

test('sign in, reach a guarded route, refresh, and log out, all offline', async (t) => {
  const emulator = await startEmulator(t)
  emulator.seedOrganization({ displayName: 'Acme', users: [{ email: 'jane@example.com', givenName: 'Jane', familyName: 'Roe', emailVerified: true }] })
  const scalekit = new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
  // The app needs its public URL (for the redirect URI) before it serves: serveApp binds a port first.
  const base = await serveApp(t, (url) => createApp(scalekit, url))

  const b = browser()
  t.is((await b.go(`${base}/me`)).status, 401, 'not signed in yet')
  const me = await b.go(`${base}/login?login_hint=jane@example.com`)
  t.is(me.status, 200)
  const body = await me.json()
  t.like(body, { email: 'jane@example.com', name: 'Jane Roe' })
  t.regex(body.id, /^usr_/)
  t.deepEqual(b.hops.slice(1), ['GET /login 302', 'GET /oauth/authorize 302', 'GET /callback 302', 'GET /me 200'])

  t.deepEqual(await (await b.go(`${base}/refresh`, { method: 'POST' })).json(), { refreshed: true })
  t.is((await b.go(`${base}/me`)).status, 200, 'still signed in with the refreshed token')

  const out = await b.go(`${base}/logout`)
  t.is(await out.text(), 'signed out')
  t.true(b.hops.includes('GET /oidc/logout 302'))
  t.is((await b.go(`${base}/me`)).status, 401, 'the session is gone')
})
