'use strict'
// The sign-in journey against the emulator: getAuthorizationUrl with PKCE → /oauth/authorize →
// authenticateWithCode (id token verified) → validateAccessToken → refreshAccessToken → logout URL;
// and id tokens that must be refused, from a local token endpoint that signs what the test asks.
const test = require('ava')
const http = require('node:http')
const jose = require('jose')
const sk = require('..')
const { startEmulator, clientFor } = require('./helpers')

const REDIRECT = 'http://localhost:3000/callback'

async function signedInCode(emulator, client, params) {
  const location = (await fetch(client.getAuthorizationUrl(REDIRECT, params), { redirect: 'manual' })).headers.get('location')
  return new URL(location).searchParams
}

test('authorization code with PKCE, end to end, the id token verified', async (t) => {
  const emulator = await startEmulator(t)
  const org = emulator.createOrganization({ displayName: 'Acme' })
  const client = clientFor(emulator)
  const { user: jane } = await client.user.createUserAndMembership(org.id, { email: 'jane@example.com', userProfile: { firstName: 'Jane', lastName: 'Roe' }, sendInvitationEmail: false })
  const pkce = sk.generatePkce()
  const returned = await signedInCode(emulator, client, { state: 'st-1', nonce: 'n-1', loginHint: 'jane@example.com', codeChallenge: pkce.codeChallenge, codeChallengeMethod: 'S256', scopes: ['openid', 'profile', 'email', 'offline_access'] })
  t.is(returned.get('state'), 'st-1')

  const auth = await client.authenticateWithCode(returned.get('code'), REDIRECT, { codeVerifier: pkce.codeVerifier, nonce: 'n-1' })
  t.like(auth.user, { id: jane.id, email: 'jane@example.com', givenName: 'Jane', familyName: 'Roe', emailVerified: false })
  t.is(auth.user.iss, undefined, 'token envelope claims are not user fields')
  t.is(auth.idTokenClaims.nonce, 'n-1')
  t.true(auth.expiresIn > 0)
  t.truthy(auth.refreshToken)
  t.true(await client.validateAccessToken(auth.accessToken))

  const refreshed = await client.refreshAccessToken(auth.refreshToken)
  t.truthy(refreshed.accessToken)
  t.not(refreshed.refreshToken, auth.refreshToken, 'refresh tokens rotate')
  t.true(await client.validateAccessToken(refreshed.accessToken))

  const logout = new URL(client.getLogoutUrl({ idTokenHint: auth.idToken, postLogoutRedirectUri: 'http://localhost:3000/' }))
  t.is(logout.pathname, '/oidc/logout')
  t.is(logout.searchParams.get('id_token_hint'), auth.idToken)

  // A code is single use, and a wrong verifier or a reused refresh token is a typed error with its real status.
  const reused = await t.throwsAsync(client.authenticateWithCode(returned.get('code'), REDIRECT, { codeVerifier: pkce.codeVerifier }), { instanceOf: sk.ScalekitServerException })
  t.is(reused.httpStatus, 400)
  t.is(reused.errorCode, 'invalid_grant')
  const stale = await t.throwsAsync(client.refreshAccessToken(auth.refreshToken), { instanceOf: sk.ScalekitServerException })
  t.is(stale.httpStatus, 400)
  t.is((await t.throwsAsync(client.refreshAccessToken(''), { instanceOf: sk.ScalekitValidationException })).message, 'Refresh token is required')
  const wrongNonce = await signedInCode(emulator, client, { nonce: 'n-2', loginHint: 'jane@example.com' })
  t.is((await t.throwsAsync(client.authenticateWithCode(wrongNonce.get('code'), REDIRECT, { nonce: 'n-other' }), { instanceOf: sk.ScalekitValidateTokenFailureException })).reason, 'nonce')
})

test('generateClientToken and getClientAccessToken mint client-credentials tokens', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  const token = await client.getClientAccessToken()
  t.true(await client.validateAccessToken(token))
  t.true(await client.validateAccessToken(await client.generateClientToken(emulator.clientId, emulator.clientSecret)))
  const error = await t.throwsAsync(client.generateClientToken(emulator.clientId, 'wrong-secret'), { instanceOf: sk.ScalekitUnauthorizedException })
  t.is(error.httpStatus, 401)
  t.false(JSON.stringify(error).includes('wrong-secret') || error.message.includes('wrong-secret'))
})

/** A local environment whose token endpoint returns an id token the test signs; `/keys` serves the key. */
async function forgingEnvironment(t, idClaims, signWith) {
  const key = await jose.generateKeyPair('RS256', { extractable: true })
  const jwk = { ...(await jose.exportJWK(key.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
  let url
  const server = http.createServer(async (req, res) => {
    res.setHeader('content-type', 'application/json')
    if (req.url === '/keys') return res.end(JSON.stringify({ keys: [jwk] }))
    const claims = { iss: url, aud: ['skc_1'], sub: 'usr_1', ...idClaims }
    let jwt = new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuedAt()
    if (claims.exp === undefined) jwt = jwt.setExpirationTime('5m')
    const id_token = await jwt.sign(signWith ?? key.privateKey)
    res.end(JSON.stringify({ access_token: 'at', id_token, refresh_token: 'rt', expires_in: 300 }))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  url = `http://127.0.0.1:${server.address().port}`
  return new sk.ScalekitClient(url, 'skc_1', 'secret')
}

test('authenticateWithCode refuses a forged, expired, wrong-audience or wrong-issuer id token', async (t) => {
  const reasonOf = async (client) => (await t.throwsAsync(client.authenticateWithCode('code', REDIRECT), { instanceOf: sk.ScalekitValidateTokenFailureException })).reason
  const other = await jose.generateKeyPair('RS256')
  t.is(await reasonOf(await forgingEnvironment(t, {}, other.privateKey)), 'bad_signature')
  t.is(await reasonOf(await forgingEnvironment(t, { exp: Math.floor(Date.now() / 1000) - 60 })), 'expired')
  t.is(await reasonOf(await forgingEnvironment(t, { aud: ['someone-else'] })), 'audience')
  t.is(await reasonOf(await forgingEnvironment(t, { iss: 'https://evil.example' })), 'issuer')
  const ok = await (await forgingEnvironment(t, { name: 'Jane', identities: [{ connection_id: 'conn_1' }], custom: 1 })).authenticateWithCode('code', REDIRECT)
  t.deepEqual(ok.user, { id: 'usr_1', name: 'Jane', identities: [{ connectionId: 'conn_1' }], custom: 1 })
})

test('testing helpers: minted tokens validate (and are refused when expired), and signed webhook payloads verify', async (t) => {
  const { ScalekitEmulator } = require('../testing')
  const emulator = await ScalekitEmulator.start({ webhookSecret: `whsec_${Buffer.from('0123456789abcdef0123').toString('base64')}`, webhookUrl: 'http://127.0.0.1:9/never' })
  t.teardown(() => emulator.stop())
  const client = new sk.ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
  const token = emulator.mintAccessToken({ claims: { sub: 'usr_42', scopes: ['read:docs'], oid: 'org_1' } })
  const claims = await client.validateToken(token, { requiredScopes: ['read:docs'], audience: [emulator.clientId], issuer: emulator.url })
  t.like(claims, { sub: 'usr_42', oid: 'org_1' })
  t.is((await fetch(`${emulator.url}/api/v1/organizations`, { headers: { authorization: `Bearer ${token}` } })).status, 200, 'the emulator\'s API takes it')
  const expired = emulator.mintAccessToken({ expiresInSeconds: -60 })
  t.is((await t.throwsAsync(client.validateToken(expired))).reason, 'expired')
  const idToken = emulator.mintIdToken({ claims: { email: 'jane@example.com', nonce: 'n' } })
  t.like(await client.validateToken(idToken), { email: 'jane@example.com', nonce: 'n' })

  const body = JSON.stringify({ type: 'organization.created', data: { id: 'org_1' } })
  const headers = emulator.signWebhookPayload(body)
  t.true(client.verifyWebhookPayload(emulator.webhookSecret, headers, body))
  const old = emulator.signWebhookPayload(body, { timestamp: Math.floor(Date.now() / 1000) - 600 })
  t.is(t.throws(() => client.verifyWebhookPayload(emulator.webhookSecret, old, body)).reason, 'too_old')
})

test('emulator auth fidelity: offline_access, at_hash, issuer, verified emails, registered redirect URIs, prompt', async (t) => {
  const crypto = require('node:crypto')
  const { ScalekitEmulator } = require('../testing')
  const emulator = await ScalekitEmulator.start({ issuer: 'https://auth.example.test' })
  t.teardown(() => emulator.stop())
  emulator.seedOrganization({ displayName: 'Acme', users: [{ email: 'v@example.com', givenName: 'Vera', emailVerified: true }] })
  const client = new sk.ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
  const authorize = (params) => fetch(client.getAuthorizationUrl(REDIRECT, { loginHint: 'v@example.com', ...params }), { redirect: 'manual' })
  const codeOf = async (params) => new URL((await authorize(params)).headers.get('location')).searchParams

  // No offline_access: no refresh token. The id token's iss is the configured issuer, and it carries at_hash.
  const plain = await codeOf({ prompt: 'login' })
  t.is(emulator.requests().at(-1).query.includes('prompt=login'), true, 'prompt is recorded')
  const tokens = await fetch(`${emulator.url}/oauth/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: plain.get('code'), redirect_uri: REDIRECT, client_id: emulator.clientId, client_secret: emulator.clientSecret }),
  }).then((r) => r.json())
  t.is(tokens.refresh_token, undefined)
  const idClaims = JSON.parse(Buffer.from(tokens.id_token.split('.')[1], 'base64url'))
  t.is(idClaims.iss, 'https://auth.example.test')
  t.is(idClaims.at_hash, crypto.createHash('sha256').update(tokens.access_token).digest().subarray(0, 16).toString('base64url'))
  t.true(idClaims.email_verified)
  t.like(await client.validateToken(tokens.access_token, { issuer: 'https://auth.example.test' }), { iss: 'https://auth.example.test' })

  const offline = await codeOf({ scopes: ['openid', 'offline_access'] })
  const auth = await client.authenticateWithCode(offline.get('code'), REDIRECT)
  t.is(auth.idTokenClaims.iss, 'https://auth.example.test', 'the issuer the environment declares in its discovery document is accepted')
  t.truthy(auth.refreshToken, 'offline_access gives a refresh token')
  const pinned = new sk.ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret, { issuer: 'https://pinned.example.test' })
  const elsewhere = await codeOf({})
  t.is((await pinned.authenticateWithCode(elsewhere.get('code'), REDIRECT).catch((e) => e)).reason, 'issuer', 'a pinned issuer overrides what discovery says')

  t.is((await authorize({ prompt: 'sometimes' })).headers.get('location').includes('error=invalid_request'), true)
  emulator.setRedirectUris(['https://app.example/callback'])
  const refused = await authorize({})
  t.is(refused.status, 400, 'an unregistered redirect_uri gets no redirect')
  t.is((await refused.json()).error, 'invalid_request')
  const registered = await fetch(client.getAuthorizationUrl('https://app.example/callback', { loginHint: 'v@example.com' }), { redirect: 'manual' })
  t.true(registered.headers.get('location').startsWith('https://app.example/callback?code='))
})
