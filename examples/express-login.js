'use strict'
// Sign-in with Scalekit in an Express app: login → Scalekit → callback → a guarded route →
// token refresh → logout. `node examples/express-login.js` runs it against an in-process
// emulator on http://localhost:3000 (open /login); __test__/express-login.spec.js drives it
// like a browser. Sessions live in memory here; use your own session store in production.

const crypto = require('node:crypto')
const express = require('express')
const { ScalekitClient, generatePkce } = require('scalekit-native')

/** The app, for a client, the public URL it is served on, and the post-logout landing page. */
function createApp(scalekit, baseUrl) {
  const app = express()
  const sessions = new Map()
  const redirectUri = `${baseUrl}/callback`

  const session = (req, res) => {
    const sid = /(?:^|; )sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1]
    if (sid && sessions.has(sid)) return sessions.get(sid)
    const id = crypto.randomBytes(16).toString('hex')
    const fresh = { id }
    sessions.set(id, fresh)
    res.setHeader('set-cookie', `sid=${id}; HttpOnly; SameSite=Lax; Path=/`)
    return fresh
  }

  app.get('/login', (req, res) => {
    const s = session(req, res)
    const { codeVerifier, codeChallenge } = generatePkce()
    Object.assign(s, { state: crypto.randomUUID(), nonce: crypto.randomUUID(), codeVerifier })
    const url = scalekit.getAuthorizationUrl(redirectUri, {
      state: s.state, nonce: s.nonce, codeChallenge, codeChallengeMethod: 'S256', loginHint: req.query.login_hint,
      scopes: ['openid', 'profile', 'email', 'offline_access'],
    })
    res.redirect(url)
  })

  app.get('/callback', async (req, res) => {
    const s = session(req, res)
    if (!s.state || req.query.state !== s.state) return res.status(400).send('state mismatch')
    if (req.query.error) return res.status(401).send(String(req.query.error_description ?? req.query.error))
    try {
      const auth = await scalekit.authenticateWithCode(String(req.query.code), redirectUri, { codeVerifier: s.codeVerifier, nonce: s.nonce })
      Object.assign(s, { user: auth.user, accessToken: auth.accessToken, refreshToken: auth.refreshToken, idToken: auth.idToken, state: undefined })
      res.redirect('/me')
    } catch (error) {
      res.status(401).send(`${error.name}: ${error.message}`)
    }
  })

  // The guard: a valid access token, checked against the environment's keys.
  const signedIn = async (req, res, next) => {
    const s = session(req, res)
    if (!s.accessToken || !(await scalekit.validateAccessToken(s.accessToken))) return res.status(401).json({ error: 'sign in first' })
    req.user = s.user
    next()
  }

  app.get('/me', signedIn, (req, res) => res.json({ id: req.user.id, email: req.user.email, name: req.user.name }))

  app.post('/refresh', signedIn, async (req, res) => {
    const s = session(req, res)
    const refreshed = await scalekit.refreshAccessToken(s.refreshToken)
    Object.assign(s, refreshed)
    res.json({ refreshed: true })
  })

  app.get('/logout', (req, res) => {
    const s = session(req, res)
    const url = scalekit.getLogoutUrl({ idTokenHint: s.idToken, postLogoutRedirectUri: `${baseUrl}/` })
    sessions.delete(s.id)
    res.redirect(url)
  })

  app.get('/', (req, res) => res.send('signed out'))
  return app
}

module.exports = { createApp }

if (require.main === module) {
  ;(async () => {
    const { ScalekitEmulator } = require('scalekit-native/testing')
    const emulator = await ScalekitEmulator.start()
    emulator.seedOrganization({ displayName: 'Acme', users: [{ email: 'jane@example.com', givenName: 'Jane', familyName: 'Roe', emailVerified: true }] })
    emulator.setLoginUser('jane@example.com')
    const scalekit = new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
    createApp(scalekit, 'http://localhost:3000').listen(3000, () => console.log('open http://localhost:3000/login (signs in jane@example.com on the emulator)'))
  })()
}
