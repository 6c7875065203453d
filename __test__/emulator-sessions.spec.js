'use strict'
// The emulator's clock and session rules, for testing sign-in sessions offline: advanceTime, token lifetimes, idle
// and absolute session timeouts enforced at refresh, prompt=none, organization switching, revocation at the next
// refresh with its user.logout event.
const test = require('ava')
const crypto = require('node:crypto')
const sk = require('..')
const { startEmulator, clientFor } = require('./helpers')

const REDIRECT = 'http://localhost:3000/callback'

async function signIn(emulator, client, options = {}) {
  const verifier = crypto.randomBytes(32).toString('base64url')
  const challenge = crypto.createHash('sha256').update(verifier).digest('base64url')
  const url = client.getAuthorizationUrl(REDIRECT, { scopes: ['openid', 'profile', 'email', 'offline_access'], codeChallenge: challenge, codeChallengeMethod: 'S256', loginHint: 'ada@acme.test', ...options })
  const location = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location'))
  if (location.searchParams.get('error')) return { error: location.searchParams.get('error') }
  return client.authenticateWithCode(location.searchParams.get('code'), REDIRECT, { codeVerifier: verifier })
}

const claims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url'))

test('advanceTime ages what was issued and dates what is issued next; token lifetimes change at run time', async (t) => {
  const emulator = await startEmulator(t, { checkConformance: false })
  emulator.seedOrganization({ displayName: 'Acme', users: [{ email: 'ada@acme.test' }] })
  const client = clientFor(emulator)
  emulator.setTokenTtl(60)
  const first = await signIn(emulator, client)
  t.is(claims(first.accessToken).exp - claims(first.accessToken).iat, 60)
  const before = emulator.now()
  emulator.advanceTime(120)
  t.true(emulator.now() - before >= 120_000)
  // The token is past its exp on the emulator's clock: validation at that time says so.
  t.is((await t.throwsAsync(client.validateToken(first.accessToken, { currentDate: emulator.now() }))).reason, 'expired')
  t.true(await client.validateAccessToken(first.accessToken), 'on the real clock it still lives')
  const refreshed = await client.refreshAccessToken(first.refreshToken)
  t.true(claims(refreshed.accessToken).iat >= claims(first.accessToken).iat + 120, 'issued at the emulator\'s time')
  t.throws(() => emulator.advanceTime(-1), { instanceOf: sk.ScalekitValidationException })
})

test('idle and absolute session timeouts end a session at its next refresh', async (t) => {
  const emulator = await startEmulator(t, { checkConformance: false })
  emulator.seedOrganization({ displayName: 'Acme', users: [{ email: 'ada@acme.test' }] })
  const client = clientFor(emulator)
  emulator.setSessionPolicy({ idleTimeoutSeconds: 600, absoluteTimeoutSeconds: 3600 })
  const session = await signIn(emulator, client)
  emulator.advanceTime(500)
  const kept = await client.refreshAccessToken(session.refreshToken)
  emulator.advanceTime(500)
  const again = await client.refreshAccessToken(kept.refreshToken)
  t.truthy(again.accessToken, 'each refresh restarts the idle timeout')
  emulator.advanceTime(601)
  const idle = await t.throwsAsync(client.refreshAccessToken(again.refreshToken))
  t.regex(idle.message, /expired/)
  const ended = await client.session.getSession(claims(session.accessToken).sid)
  t.is(ended.status, 'EXPIRED')

  const long = await signIn(emulator, client)
  let refreshToken = long.refreshToken
  for (let i = 0; i < 7; i++) {
    emulator.advanceTime(500)
    refreshToken = (await client.refreshAccessToken(refreshToken)).refreshToken
  }
  // 3 700 s after the sign-in, 200 s after the last refresh: within the idle timeout, past the absolute one.
  emulator.advanceTime(200)
  await t.throwsAsync(client.refreshAccessToken(refreshToken), undefined, 'past the absolute timeout, however active')
})

test('prompt=none needs a signed-in user; an organization asked for must be the user\'s, and switches the token\'s', async (t) => {
  const emulator = await startEmulator(t, { checkConformance: false })
  const acme = emulator.seedOrganization({ displayName: 'Acme', users: [{ email: 'ada@acme.test' }] })
  const other = emulator.createOrganization({ displayName: 'Other' })
  const client = clientFor(emulator)
  t.is((await signIn(emulator, client, { prompt: 'none' })).error, 'login_required')
  const first = await signIn(emulator, client)
  t.truthy((await signIn(emulator, client, { prompt: 'none' })).accessToken, 'silent once signed in')
  const second = emulator.createOrganization({ displayName: 'Second' })
  await client.user.createMembership(second.id, first.user.id, { roles: ['admin'] })
  const switched = await signIn(emulator, client, { prompt: 'select_account', organizationId: second.id })
  t.is(claims(switched.accessToken).oid, second.id)
  t.not(second.id, acme.organization.id)
  t.is((await signIn(emulator, client, { prompt: 'select_account', organizationId: other.id })).error, 'access_denied')
})

test('a revoked session ends at its next refresh, with a user.logout event', async (t) => {
  const emulator = await startEmulator(t, { checkConformance: false })
  emulator.seedOrganization({ displayName: 'Acme', users: [{ email: 'ada@acme.test' }] })
  const client = clientFor(emulator)
  const session = await signIn(emulator, client)
  await client.session.revokeSession(session.idTokenClaims.sid)
  await t.throwsAsync(client.refreshAccessToken(session.refreshToken))
  t.true(emulator.events().some((e) => e.type === 'user.logout' && e.data.session_id === session.idTokenClaims.sid))
})
