'use strict'
const test = require('ava')
const crypto = require('node:crypto')
const { createRemoteJWKSet, jwtVerify, decodeProtectedHeader } = require('jose')
const { startEmulator, clientFor, restFor } = require('./helpers')

const REDIRECT = 'http://localhost:3000/callback'

function pkce() {
  const verifier = crypto.randomBytes(32).toString('base64url')
  return { verifier, challenge: crypto.createHash('sha256').update(verifier).digest('base64url') }
}

async function authorize(emulator, params) {
  const query = new URLSearchParams({ response_type: 'code', client_id: emulator.clientId, redirect_uri: REDIRECT, scope: 'openid profile email offline_access', ...params })
  const response = await fetch(`${emulator.url}/oauth/authorize?${query}`, { redirect: 'manual' })
  return { status: response.status, location: new URL(response.headers.get('location') ?? 'http://invalid/') }
}

async function tokenRequest(emulator, params) {
  const response = await fetch(`${emulator.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: emulator.clientId, client_secret: emulator.clientSecret, ...params }),
  })
  return { status: response.status, body: await response.json() }
}

async function signedInUser(t) {
  const emulator = await startEmulator(t)
  const org = emulator.createOrganization({ displayName: 'Acme' })
  const { user } = await clientFor(emulator).user.createUserAndMembership(org.id, {
    email: 'jane@example.com',
    userProfile: { firstName: 'Jane', lastName: 'Roe' },
    membership: { roles: [{ name: 'admin' }] },
    sendInvitationEmail: false,
  })
  return { emulator, org, user }
}

test('authorization code with PKCE gives an id token that verifies against /keys', async (t) => {
  const { emulator, org, user } = await signedInUser(t)
  emulator.setLoginUser(user.id)
  const { verifier, challenge } = pkce()
  const { status, location } = await authorize(emulator, { state: 'st-1', nonce: 'n-1', code_challenge: challenge, code_challenge_method: 'S256' })
  t.is(status, 302)
  t.is(`${location.origin}${location.pathname}`, REDIRECT)
  t.is(location.searchParams.get('state'), 'st-1')
  const code = location.searchParams.get('code')
  t.truthy(code)

  const tokens = await tokenRequest(emulator, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier })
  t.is(tokens.status, 200)
  t.is(tokens.body.token_type, 'Bearer')
  const jwks = createRemoteJWKSet(new URL(`${emulator.url}/keys`))
  const { payload: id } = await jwtVerify(tokens.body.id_token, jwks, { issuer: emulator.url, audience: emulator.clientId })
  t.is(id.sub, user.id)
  t.is(id.nonce, 'n-1')
  t.is(id.oid, org.id)
  t.is(id.email, 'jane@example.com')
  t.is(id.given_name, 'Jane')
  t.regex(id.sid, /^ses_/)
  const { payload: access } = await jwtVerify(tokens.body.access_token, jwks, { issuer: emulator.url })
  t.is(access.sub, user.id)
  t.deepEqual(access.roles, ['admin'])
  t.true(access.scopes.includes('openid'))
  t.is(access.sid, id.sid)

  // The code is single use.
  const again = await tokenRequest(emulator, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier })
  t.is(again.status, 400)
  t.is(again.body.error, 'invalid_grant')
})

test('a wrong PKCE verifier, a wrong redirect_uri or a plain challenge is refused', async (t) => {
  const { emulator, user } = await signedInUser(t)
  const { challenge } = pkce()
  let { location } = await authorize(emulator, { login_hint: user.email, code_challenge: challenge, code_challenge_method: 'S256' })
  const wrongVerifier = await tokenRequest(emulator, { grant_type: 'authorization_code', code: location.searchParams.get('code'), redirect_uri: REDIRECT, code_verifier: pkce().verifier })
  t.is(wrongVerifier.body.error, 'invalid_grant')
  ;({ location } = await authorize(emulator, { login_hint: user.email }))
  const wrongRedirect = await tokenRequest(emulator, { grant_type: 'authorization_code', code: location.searchParams.get('code'), redirect_uri: 'http://localhost:3000/other' })
  t.is(wrongRedirect.body.error, 'invalid_grant')
  ;({ location } = await authorize(emulator, { login_hint: user.email, code_challenge: challenge, code_challenge_method: 'plain', state: 's' }))
  t.is(location.searchParams.get('error'), 'invalid_request')
  t.is(location.searchParams.get('state'), 's')
  ;({ location } = await authorize(emulator, {}))
  t.is(location.searchParams.get('error'), 'login_required')
})

test('refresh tokens rotate, and logout ends the session', async (t) => {
  const { emulator, user } = await signedInUser(t)
  const { location } = await authorize(emulator, { login_hint: user.id })
  const first = await tokenRequest(emulator, { grant_type: 'authorization_code', code: location.searchParams.get('code'), redirect_uri: REDIRECT })
  const refreshed = await tokenRequest(emulator, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token })
  t.is(refreshed.status, 200)
  t.not(refreshed.body.refresh_token, first.body.refresh_token)
  t.is((await tokenRequest(emulator, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token })).body.error, 'invalid_grant', 'rotated away')

  const api = restFor(emulator)
  const sessions = await api('GET', `/api/v1/users/${user.id}/sessions?filter.status=ACTIVE`)
  t.is(sessions.body.total_size, 1)
  const sessionId = sessions.body.sessions[0].session_id

  const elsewhere = await fetch(`${emulator.url}/oidc/logout?${new URLSearchParams({ id_token_hint: refreshed.body.id_token, post_logout_redirect_uri: 'https://evil.example/phish' })}`, { redirect: 'manual' })
  t.is(elsewhere.status, 400, 'no open redirect: only a registered (by default, loopback) URI')
  t.is((await api('GET', `/api/v1/sessions/${sessionId}`)).body.status, 'ACTIVE', 'and the session is not ended')
  const logout = await fetch(`${emulator.url}/oidc/logout?${new URLSearchParams({ id_token_hint: refreshed.body.id_token, post_logout_redirect_uri: 'http://localhost:3000/bye', state: 'z' })}`, { redirect: 'manual' })
  t.is(logout.status, 302)
  t.is(logout.headers.get('location'), 'http://localhost:3000/bye?state=z')
  t.is((await api('GET', `/api/v1/sessions/${sessionId}`)).body.status, 'REVOKED')
  t.is((await tokenRequest(emulator, { grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token })).body.error, 'invalid_grant')
})

test('sessions: get, list per user, revoke one, revoke all', async (t) => {
  const { emulator, user } = await signedInUser(t)
  for (let i = 0; i < 3; i++) {
    const { location } = await authorize(emulator, { login_hint: user.email })
    await tokenRequest(emulator, { grant_type: 'authorization_code', code: location.searchParams.get('code'), redirect_uri: REDIRECT })
  }
  const api = restFor(emulator)
  const list = await api('GET', `/api/v1/users/${user.id}/sessions?page_size=2`)
  t.is(list.body.total_size, 3)
  t.is(list.body.sessions.length, 2)
  t.truthy(list.body.next_page_token)
  const one = await api('POST', `/api/v1/sessions/${list.body.sessions[0].session_id}/revoke`)
  t.is(one.body.revoked_session.status, 'REVOKED')
  const all = await api('POST', `/api/v1/users/${user.id}/sessions/revoke`)
  t.is(all.body.total_revoked, 2)
  t.is((await api('GET', `/api/v1/users/${user.id}/sessions?filter.status=ACTIVE`)).body.total_size, 0)
  t.is((await api('GET', '/api/v1/sessions/ses_missing')).status, 404)
})

test('signing keys rotate under the control of the test', async (t) => {
  const { emulator } = await signedInUser(t)
  const tokenFor = async () => (await tokenRequest(emulator, { grant_type: 'client_credentials' })).body.access_token
  const before = await tokenFor()
  const oldKid = decodeProtectedHeader(before).kid
  const newKid = emulator.rotateSigningKey()
  t.not(newKid, oldKid)
  const after = await tokenFor()
  t.is(decodeProtectedHeader(after).kid, newKid)
  const keys = await (await fetch(`${emulator.url}/keys`)).json()
  t.deepEqual(keys.keys.map((k) => k.kid).sort(), [oldKid, newKid].sort())
  await jwtVerify(before, createRemoteJWKSet(new URL(`${emulator.url}/keys`)))

  emulator.rotateSigningKey(false)
  const published = await (await fetch(`${emulator.url}/keys`)).json()
  t.is(published.keys.length, 1)
  await t.throwsAsync(jwtVerify(before, createRemoteJWKSet(new URL(`${emulator.url}/keys`))))
})
