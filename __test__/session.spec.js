'use strict'
// scalekit-native/session against the emulator, through examples/express-session.js on real Express, driven like a
// browser: sign-in, the refresh rules (single flight, rotation, failures told apart), logout, cookies, hostile input.
const test = require('ava')
const sk = require('..')
const { createSessionKit, createMemoryCoordinator, ScalekitSessionError } = require('../lib/session')
const { startEmulator, browser, tokenRequests, serveApp } = require('./helpers')
const { createApp } = require('../examples/express-session')

const PASSWORD = 'a session password of at least 32 characters'
const claims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url'))
const json = { accept: 'application/json', 'sec-fetch-mode': 'cors' }

/**
 * An emulator with Jane (role `owner`: one permission) in Acme, and examples/express-session.js serving on the
 * emulator's clock. `ttl`: access-token lifetime in seconds.
 */
async function setup(t, { ttl = 300, roles = ['owner'], sessionOptions = {}, beforeSeed } = {}) {
  const emulator = await startEmulator(t, { checkConformance: false })
  const client = new sk.ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
  await client.permission.createPermission({ name: 'org:settings:manage' })
  await client.role.createRole({ name: 'owner', displayName: 'Owner', permissions: ['org:settings:manage'] })
  await beforeSeed?.(client)
  const { organization, users } = emulator.seedOrganization({ displayName: 'Acme', users: [{ email: 'jane@example.com', givenName: 'Jane', familyName: 'Roe', emailVerified: true, roles }] })
  emulator.setLoginUser('jane@example.com')
  emulator.setTokenTtl(ttl)
  let kit
  const base = await serveApp(t, (url) => {
    const made = createApp(client, url, { cookiePassword: PASSWORD, now: () => emulator.now(), logger: null, ...sessionOptions })
    kit = made.kit
    return made.app
  })
  return { emulator, client, base, kit, organization, user: users[0] }
}

/** Signs the browser in (returning to /api/me) and gives what /api/me said. */
async function signIn(t, b, base) {
  const response = await b.go(`${base}/auth/login?returnTo=/api/me`, { headers: json })
  t.is(response.status, 200, b.hops.join(' → '))
  return response.json()
}

const sessionCookieNames = (b) => [...b.cookies.keys()].filter((name) => name.startsWith('skn_session'))

test('sign in, a guarded page and API, cookie attributes, and a POST-only logout from this site', async (t) => {
  const { emulator, base } = await setup(t)
  const b = browser()
  t.is((await b.send(`${base}/api/me`, { headers: json })).status, 401)
  const guarded = await b.send(`${base}/dashboard`, { headers: { 'sec-fetch-mode': 'navigate' } })
  t.is(guarded.status, 302, 'a page navigation is sent to sign in')
  t.is(guarded.headers.get('location'), '/auth/login?returnTo=%2Fdashboard')

  const login = await b.send(`${base}/auth/login?returnTo=/api/me`)
  const [transaction] = login.headers.getSetCookie()
  t.regex(transaction, /^skn_tx_[\w-]{16}=v1\.[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600$/)
  const authorize = new URL(login.headers.get('location'))
  t.is(authorize.searchParams.get('code_challenge_method'), 'S256')
  t.truthy(authorize.searchParams.get('nonce'))
  t.true(authorize.searchParams.get('scope').split(' ').includes('offline_access'))
  const callback = await b.send((await b.send(authorize.href)).headers.get('location'))
  t.is(callback.status, 302)
  t.is(callback.headers.get('location'), '/api/me')
  t.is(callback.headers.get('cache-control'), 'private, no-store')
  const written = callback.headers.getSetCookie()
  t.regex(written[0], /^skn_session=v1\.[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/)
  t.true(written.some((c) => c.startsWith(`${transaction.split('=')[0]}=;`) && c.endsWith('Max-Age=0')), 'the transaction cookie is cleared')

  const me = await b.send(`${base}/api/me`, { headers: json })
  t.deepEqual(me.headers.getSetCookie(), [], 'no cookie is written on a plain request')
  const body = await me.json()
  t.like(body, { email: 'jane@example.com', roles: ['owner'], permissions: ['org:settings:manage'], refreshed: false })
  t.regex(body.organizationId, /^org_/)
  t.is((await b.send(`${base}/api/admin`, { headers: json })).status, 200)
  t.is((await b.send(`${base}/dashboard`)).status, 200)

  t.is((await b.send(`${base}/auth/logout`)).status, 405, 'a GET cannot log out')
  t.is((await b.send(`${base}/auth/logout`, { method: 'POST', headers: { origin: 'https://evil.example' } })).status, 403)
  t.is((await b.send(`${base}/auth/logout`, { method: 'POST', headers: { 'sec-fetch-site': 'cross-site' } })).status, 403)
  t.is((await b.send(`${base}/api/me`, { headers: json })).status, 200, 'refused logouts ended nothing')
  const out = await b.send(`${base}/auth/logout`, { method: 'POST', headers: { origin: base, 'sec-fetch-site': 'same-origin' } })
  t.is(out.status, 303)
  const logoutUrl = new URL(out.headers.get('location'))
  t.is(logoutUrl.origin, emulator.url)
  t.truthy(logoutUrl.searchParams.get('id_token_hint'))
  t.is(logoutUrl.searchParams.get('post_logout_redirect_uri'), `${base}/`)
  t.deepEqual(sessionCookieNames(b), [], 'every chunk is cleared')
  t.is((await b.send(`${base}/api/me`, { headers: json })).status, 401)
})

test('ten parallel requests at the edge of expiry make exactly one refresh, and all ten are served', async (t) => {
  const { emulator, base } = await setup(t, { ttl: 300 })
  const b = browser()
  await signIn(t, b, base)
  const before = tokenRequests(emulator)
  // A fifth of 300 s is the buffer: 250 s in, the token has 50 s left.
  emulator.advanceTime(250)
  const answers = await Promise.all(Array.from({ length: 10 }, () => fetch(`${base}/api/me`, { headers: { ...json, cookie: b.cookieHeader() } })))
  t.deepEqual(answers.map((r) => r.status), Array(10).fill(200))
  t.is(tokenRequests(emulator) - before, 1, 'one refresh for ten requests')
  const bodies = await Promise.all(answers.map((r) => r.json()))
  t.true(bodies.every((body) => body.refreshed))
  t.is(new Set(bodies.map((body) => body.expiresAt)).size, 1, 'all ten got the same successor')
  t.true(answers.every((r) => r.headers.getSetCookie().length > 0 && r.headers.get('cache-control') === 'private, no-store'))

  // Past expiry altogether, from the successor cookie: again one refresh.
  for (const line of answers[0].headers.getSetCookie()) b.cookies.set(line.split('=')[0], line.slice(line.indexOf('=') + 1).split(';')[0])
  emulator.advanceTime(400)
  const late = await Promise.all(Array.from({ length: 10 }, () => fetch(`${base}/api/me`, { headers: { ...json, cookie: b.cookieHeader() } })))
  t.deepEqual(late.map((r) => r.status), Array(10).fill(200))
  t.is(tokenRequests(emulator) - before, 2)
})

test('a request still carrying the cookie from before a rotation adopts the successor instead of replaying', async (t) => {
  const { emulator, client, base } = await setup(t, { ttl: 300 })
  // Reuse detection on: a replayed refresh token would end the whole session.
  emulator.setRefreshTokenReuse('revoke-session')
  const b = browser()
  const { sessionId } = await signIn(t, b, base)
  const stale = b.cookieHeader()
  emulator.advanceTime(280)
  const first = await b.send(`${base}/api/me`, { headers: json })
  t.true((await first.json()).refreshed)
  const count = tokenRequests(emulator)
  // Another tab, or a request that left before the rotation's cookie arrived.
  const late = await fetch(`${base}/api/me`, { headers: { ...json, cookie: stale } })
  t.is(late.status, 200)
  t.like(await late.json(), { refreshed: true })
  t.true(late.headers.getSetCookie().some((c) => c.startsWith('skn_session=v1.')), 'it gets the successor cookie')
  t.is(tokenRequests(emulator), count, 'the used refresh token is not sent again')
  t.is((await b.send(`${base}/api/me`, { headers: json })).status, 200)
  t.is((await client.session.getSession(sessionId)).status, 'ACTIVE', 'no replay, so no reuse detected')
})

test('instances sharing a coordinator refresh once between them; each on its own would burn the session', async (t) => {
  const { emulator, client, base } = await setup(t, { ttl: 300 })
  const b = browser()
  await signIn(t, b, base)
  emulator.advanceTime(280)
  const request = () => ({ headers: { cookie: b.cookieHeader() } })
  const instance = (coordinator) => createSessionKit({ client, cookiePassword: PASSWORD, redirectUri: `${base}/auth/callback`, now: () => emulator.now(), coordinator })
  const shared = createMemoryCoordinator()
  const before = tokenRequests(emulator)
  const [one, two] = await Promise.all([instance(shared).getSession(request()), instance(shared).getSession(request())])
  t.true(one.refreshed && two.refreshed)
  t.is(tokenRequests(emulator) - before, 1)

  // What a coordinator prevents: the second refresh of the same token is refused by Scalekit.
  const fresh = browser()
  await signIn(t, fresh, base)
  emulator.advanceTime(280)
  const alone = await Promise.all([instance(createMemoryCoordinator()), instance(createMemoryCoordinator())].map((kit) => kit.getSession({ headers: { cookie: fresh.cookieHeader() } })))
  t.deepEqual(alone.map((r) => r.refreshed).sort(), [false, true], 'one lost the race: its still-valid token was served, but its session will end')
})

test('a revoked session is served while its token is valid, and ends at the next refresh (user.logout emitted)', async (t) => {
  const { emulator, client, base } = await setup(t, { ttl: 300 })
  const b = browser()
  const me = await signIn(t, b, base)
  await client.session.revokeSession(me.sessionId)
  t.true(emulator.events().some((e) => e.type === 'user.logout'))
  t.is((await b.send(`${base}/api/me`, { headers: json })).status, 200, 'access tokens are checked locally: valid until they expire or refresh')
  emulator.advanceTime(260)
  const due = await b.send(`${base}/api/me`, { headers: json })
  t.is(due.status, 200, 'the refresh is refused, and the still-valid token is served')
  t.false((await due.json()).refreshed)
  const count = tokenRequests(emulator)
  emulator.advanceTime(60)
  const ended = await b.send(`${base}/api/me`, { headers: json })
  t.is(ended.status, 401)
  t.like(await ended.json(), { reason: 'session_ended' })
  t.is(tokenRequests(emulator), count, 'a refused refresh token is not sent again')
  t.deepEqual(sessionCookieNames(b), [], 'the cookie is cleared once nothing valid is left')
})

test('a 503 or a dropped reply on refresh never signs out while the token is valid; a maybe-sent refresh is never replayed', async (t) => {
  const { emulator, base } = await setup(t, { ttl: 300 })
  const b = browser()
  await signIn(t, b, base)
  emulator.advanceTime(260)
  emulator.injectFault({ path: '/oauth/token', status: 503, retryAfterSeconds: 7, times: 0 })
  const served = await b.send(`${base}/api/me`, { headers: json })
  t.is(served.status, 200)
  t.false((await served.json()).refreshed)
  emulator.advanceTime(60)
  const unavailable = await b.send(`${base}/api/me`, { headers: json })
  t.is(unavailable.status, 503)
  t.is(unavailable.headers.get('retry-after'), '7')
  t.is((await b.send(`${base}/dashboard`, { headers: { 'sec-fetch-mode': 'navigate' } })).status, 503, 'not sent to sign in either')
  t.deepEqual(sessionCookieNames(b), ['skn_session'], 'the cookie stays')
  emulator.clearFaults()
  const back = await b.send(`${base}/api/me`, { headers: json })
  t.is(back.status, 200)
  t.true((await back.json()).refreshed, 'once Scalekit answers, the same refresh token works')

  // Processed, then the reply is lost: the token may be used up, so it is never sent again.
  emulator.advanceTime(260)
  emulator.injectFault({ path: '/oauth/token', dropAfterProcessing: true })
  const dropped = await b.send(`${base}/api/me`, { headers: json })
  t.is(dropped.status, 200, 'the still-valid token is served')
  t.is((await b.send(`${base}/api/me`, { headers: json })).status, 200)
  const count = tokenRequests(emulator)
  emulator.advanceTime(60)
  const lost = await b.send(`${base}/api/me`, { headers: json })
  t.is(lost.status, 401)
  t.like(await lost.json(), { reason: 'refresh_outcome_unknown' })
  t.is(tokenRequests(emulator), count, 'no replay')
  const sessions = await emulator.events().filter((e) => e.type === 'user.logout')
  t.is(sessions.length, 0, 'nothing looked like theft: the session was not revoked')
})

test('signing-key rotation: retained keys verify, new keys are fetched, and a dropped key is refreshed past', async (t) => {
  const { emulator, base } = await setup(t, { ttl: 300 })
  const b = browser()
  const first = await signIn(t, b, base)
  emulator.rotateSigningKey(true)
  t.like(await (await b.send(`${base}/api/me`, { headers: json })).json(), { refreshed: false, sessionId: first.sessionId })
  emulator.advanceTime(260)
  t.like(await (await b.send(`${base}/api/me`, { headers: json })).json(), { refreshed: true }, 'signed with the new key')
  emulator.rotateSigningKey(false)
  // A process that starts now (no keys cached) sees only the newest key: the cookie's token does not verify.
  const fresh = createSessionKit({ client: new sk.ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret), cookiePassword: PASSWORD, redirectUri: `${base}/auth/callback`, now: () => emulator.now() })
  const after = await fresh.getSession({ headers: { cookie: b.cookieHeader() } })
  t.like(after, { status: 'authenticated', refreshed: true, sessionId: first.sessionId }, 'never served, but its refresh token gets a good one')
})

test('cookie-password rotation: the first password seals, every one opens; a retired password opens nothing', async (t) => {
  const { emulator, client, base } = await setup(t)
  const b = browser()
  await signIn(t, b, base)
  const NEXT = 'the next session password, also 32+ characters'
  const options = (cookiePassword) => ({ client, cookiePassword, redirectUri: `${base}/auth/callback`, now: () => emulator.now(), logger: null })
  const rotated = createSessionKit(options([NEXT, PASSWORD]))
  const request = { headers: { cookie: b.cookieHeader() } }
  t.is((await rotated.getSession(request)).status, 'authenticated', 'the old password still opens')
  emulator.advanceTime(260)
  const refreshed = await rotated.getSession(request)
  t.true(refreshed.refreshed)
  const resealed = { headers: { cookie: refreshed.setCookie.map((c) => c.split(';')[0]).join('; ') } }
  const only = createSessionKit(options([NEXT]))
  t.is((await only.getSession(resealed)).status, 'authenticated', 'sealed with the new password')
  t.like(await only.getSession(request), { status: 'unauthenticated', reason: 'invalid_cookie' })
  t.throws(() => createSessionKit(options('short')), { instanceOf: sk.ScalekitValidationException })
})

test('a session with 40 permissions is chunked, read back, and its stale chunks cleared when it shrinks', async (t) => {
  const many = Array.from({ length: 40 }, (_, i) => `documents:collection-${String(i).padStart(2, '0')}:write`)
  const { emulator, client, base, user } = await setup(t, {
    roles: ['auditor'],
    beforeSeed: async (c) => {
      for (const name of many) await c.permission.createPermission({ name })
      await c.role.createRole({ name: 'auditor', displayName: 'Auditor', permissions: many })
    },
  })
  const b = browser()
  const me = await signIn(t, b, base)
  t.is(me.permissions.length, 40)
  t.deepEqual([...me.permissions].sort(), [...many].sort())
  const chunks = sessionCookieNames(b)
  t.true(chunks.length >= 2 && chunks.length <= 3, `${chunks.length} chunks`)
  t.true(chunks.every((name) => b.cookies.get(name).length <= 3800))
  t.is((await b.send(`${base}/api/me`, { headers: json })).status, 200)

  // Switching to an organization where Jane holds a small role: one chunk, and the others are cleared.
  const small = emulator.createOrganization({ displayName: 'Small' })
  await client.user.createMembership(small.id, user.id, { roles: ['owner'] })
  const switched = await b.go(`${base}/auth/switch-organization?organizationId=${small.id}&returnTo=/api/me`, { headers: json })
  t.is(switched.status, 200, b.hops.join(' → '))
  t.like(await switched.json(), { organizationId: small.id, permissions: ['org:settings:manage'] })
  t.deepEqual(sessionCookieNames(b), ['skn_session'])
})

test('an organization switch asks Scalekit with prompt=select_account and keeps only a token of that organization', async (t) => {
  const { emulator, client, base, user } = await setup(t)
  const b = browser()
  await signIn(t, b, base)
  const other = emulator.createOrganization({ displayName: 'Other' })
  const start = await b.send(`${base}/auth/switch-organization?organizationId=${other.id}&returnTo=/api/me`)
  const authorize = new URL(start.headers.get('location'))
  t.is(authorize.searchParams.get('prompt'), 'select_account')
  t.is(authorize.searchParams.get('organization_id'), other.id)
  // Not a member: Scalekit refuses, the error comes back typed, and the session is untouched.
  const refused = await b.go(authorize.href, { headers: json })
  t.is(refused.status, 401)
  t.like(await refused.json(), { error: 'access_denied' })
  t.is((await b.send(`${base}/api/me`, { headers: json })).status, 200)
  await client.user.createMembership(other.id, user.id, { roles: ['member'] })
  const switched = await b.go(`${base}/auth/switch-organization?organizationId=${other.id}&returnTo=/api/me`, { headers: json })
  t.like(await switched.json(), { organizationId: other.id, roles: ['member'] })

  // The authorize URL altered on the way (organization_id dropped): the new token is not of the organization asked
  // for, and the callback refuses it, leaving the session as it was.
  const again = await b.send(`${base}/auth/switch-organization?organizationId=${other.id}&returnTo=/api/me`)
  const altered = new URL(again.headers.get('location'))
  altered.searchParams.delete('organization_id')
  const acme = (await client.user.getUser(user.id)).user.memberships.find((m) => m.organizationId !== other.id).organizationId
  altered.searchParams.set('organization_id', acme)
  const mismatch = await b.go(altered.href, { headers: json })
  t.is(mismatch.status, 403)
  t.like(await mismatch.json(), { error: 'organization_mismatch' })
  t.like(await (await b.send(`${base}/api/me`, { headers: json })).json(), { organizationId: other.id })
})

test('a logout while a refresh is in flight stays logged out, for that request and any copy of the cookie', async (t) => {
  const { emulator, base } = await setup(t, { ttl: 300 })
  const b = browser()
  await signIn(t, b, base)
  const copy = b.cookieHeader()
  emulator.advanceTime(320)
  emulator.injectFault({ path: '/oauth/token', latencyMs: 600 })
  const inFlight = fetch(`${base}/api/me`, { headers: { ...json, cookie: copy } })
  await new Promise((resolve) => setTimeout(resolve, 150))
  const out = await b.send(`${base}/auth/logout`, { method: 'POST', headers: { origin: base } })
  t.is(out.status, 303)
  const late = await inFlight
  t.is(late.status, 401)
  t.like(await late.json(), { reason: 'logged_out' })
  t.false(late.headers.getSetCookie().some((c) => /^skn_session=v1\./.test(c)), 'nothing resurrects the session')
  const replayed = await fetch(`${base}/api/me`, { headers: { ...json, cookie: copy } })
  t.like(await replayed.json(), { reason: 'logged_out' })
})

test('two tabs signing in at once both succeed; a state that is not this browser\'s is refused', async (t) => {
  const { base } = await setup(t)
  const b = browser()
  const one = await b.send(`${base}/auth/login?returnTo=/dashboard`)
  const two = await b.send(`${base}/auth/login?returnTo=/api/me`)
  t.is([...b.cookies.keys()].filter((name) => name.startsWith('skn_tx_')).length, 2, 'one transaction cookie per login')
  const finishOne = await b.go(one.headers.get('location'))
  t.is(finishOne.status, 200)
  t.true(b.hops.includes('GET /dashboard 200'))
  const finishTwo = await b.go(two.headers.get('location'), { headers: json })
  t.is(finishTwo.status, 200)
  t.like(await finishTwo.json(), { email: 'jane@example.com' })

  // Login CSRF: an attacker's own callback (its code and state) sent to this browser.
  const attacker = browser()
  const started = await attacker.send(`${base}/auth/login`)
  const callback = (await attacker.send(started.headers.get('location'))).headers.get('location')
  const victim = browser()
  const refused = await victim.send(callback)
  t.is(refused.status, 400)
  t.like(await refused.json(), { error: 'state_mismatch' })
  t.deepEqual(sessionCookieNames(victim), [])
  // A state altered in flight.
  const tampered = new URL(callback)
  tampered.searchParams.set('state', `${tampered.searchParams.get('state').slice(0, 16)}${'A'.repeat(27)}`)
  t.like(await (await attacker.send(tampered.href)).json(), { error: 'state_mismatch' })
  // The IdP's error comes back typed, and the transaction is cleared.
  const started2 = await b.send(`${base}/auth/login`)
  const state = new URL(started2.headers.get('location')).searchParams.get('state')
  const denied = await b.send(`${base}/auth/callback?error=access_denied&error_description=no&state=${state}`)
  t.is(denied.status, 401)
  t.like(await denied.json(), { error: 'access_denied' })
  t.false([...b.cookies.keys()].some((name) => name === `skn_tx_${state.slice(0, 16)}`))
})

test('forged, tampered and swapped cookies are refused; roles and permissions come only from verified tokens', async (t) => {
  const { emulator, base, kit } = await setup(t)
  const b = browser()
  await signIn(t, b, base)
  const sealed = b.cookies.get('skn_session')
  const ask = (cookie, path = '/api/me') => fetch(`${base}${path}`, { headers: { ...json, cookie } })
  const unsignedJwt = (payload) => `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`
  const now = Math.floor(emulator.now() / 1000)
  const forgedClaims = { iss: emulator.url, sub: 'usr_1', exp: now + 3600, iat: now, permissions: ['org:settings:manage'], roles: ['admin'] }

  // The cookie of a hand-rolled session layer: plain JSON.
  const plain = Buffer.from(JSON.stringify({ at: unsignedJwt(forgedClaims), permissions: ['org:settings:manage'] })).toString('base64url')
  t.like(await (await ask(`skn_session=${plain}`)).json(), { reason: 'invalid_cookie' })
  // One character of the real cookie changed, anywhere.
  for (const at of [5, Math.floor(sealed.length / 2), sealed.length - 2]) {
    const flipped = `${sealed.slice(0, at)}${sealed[at] === 'A' ? 'B' : 'A'}${sealed.slice(at + 1)}`
    t.like(await (await ask(`skn_session=${flipped}`)).json(), { reason: 'invalid_cookie' }, `flipped at ${at}`)
  }
  // A login-transaction cookie presented as the session: another purpose, never opened as one.
  const tx = (await browser().send(`${base}/auth/login`)).headers.getSetCookie()[0].split(';')[0].split('=')[1]
  t.like(await (await ask(`skn_session=${tx}`)).json(), { reason: 'invalid_cookie' })
  // Sealed by this kit but carrying an unsigned token with admin permissions: never trusted.
  const { cookie } = kit.testing.sealSession({ accessToken: unsignedJwt(forgedClaims) })
  const forged = await ask(cookie, '/api/admin')
  t.is(forged.status, 401)
  t.like(await forged.json(), { reason: 'invalid_token' })
  // …and with a made-up refresh token: Scalekit refuses it, nothing is served.
  const withRefresh = kit.testing.sealSession({ accessToken: unsignedJwt(forgedClaims), refreshToken: 'rt_made_up' })
  t.is((await ask(withRefresh.cookie, '/api/admin')).status, 401)
})

test('returnTo must be a path of this site: open redirects are refused', async (t) => {
  const { base, kit } = await setup(t)
  for (const returnTo of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', '/\r\nSet-Cookie:x', ' /x', 'dashboard']) {
    const response = await fetch(`${base}/auth/login?returnTo=${encodeURIComponent(returnTo)}`, { redirect: 'manual' })
    t.is(response.status, 400, returnTo)
    t.like(await response.json(), { error: 'invalid_request' })
    t.throws(() => kit.startLogin({ headers: {} }, { returnTo }), { instanceOf: sk.ScalekitValidationException })
  }
  const fine = await fetch(`${base}/auth/login?returnTo=${encodeURIComponent('/reports?year=2026#q4')}`, { redirect: 'manual' })
  t.is(fine.status, 302)
  const refresh = await fetch(`${base}/auth/refresh?returnTo=${encodeURIComponent('//evil.example')}`, { redirect: 'manual' })
  t.is(refresh.headers.get('location'), '/')
})

test('createSessionKit refuses bad options before any request, with typed errors', (t) => {
  const client = new sk.ScalekitClient('https://env.example.com', 'skc_1', 'secret')
  const ok = { client, cookiePassword: PASSWORD, redirectUri: 'https://app.example.com/auth/callback' }
  t.truthy(createSessionKit(ok))
  t.is(createSessionKit(ok).cookieNames.session, '__Host-skn_session', 'served over HTTPS: a __Host- cookie')
  for (const [bad, field] of [
    [{ client: {} }, 'client'],
    [{ redirectUri: '/auth/callback' }, 'redirectUri'],
    [{ scopes: 'openid' }, 'scopes'],
    [{ now: 5 }, 'now'],
    [{ coordinator: {} }, 'coordinator'],
  ]) {
    const error = t.throws(() => createSessionKit({ ...ok, ...bad }), { instanceOf: sk.ScalekitValidationException })
    t.is(error.field, field)
  }
  t.throws(() => createSessionKit({ ...ok, cookiePassword: 'x'.repeat(31) }), { instanceOf: sk.ScalekitValidationException })
  t.true(new ScalekitSessionError('m', { code: 'state_mismatch' }) instanceof sk.ScalekitException)
  t.is(typeof createMemoryCoordinator().singleFlight, 'function')
})

test('over HTTPS the cookies are __Host- and Secure; a session logged or sent as JSON shows no token', async (t) => {
  const { emulator, client } = await setup(t)
  emulator.setRedirectUris(['https://app.example.com/auth/callback'])
  const kit = createSessionKit({ client, cookiePassword: PASSWORD, redirectUri: 'https://app.example.com/auth/callback', now: () => emulator.now() })
  const { url, setCookie } = kit.startLogin({ headers: {} }, { returnTo: '/x' })
  t.regex(setCookie[0], /^__Host-skn_tx_[\w-]{16}=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=600$/)
  const authorize = await fetch(url, { redirect: 'manual' })
  const callback = new URL(authorize.headers.get('location'))
  const { session, setCookie: written } = await kit.handleCallback({ url: `${callback.pathname}${callback.search}`, headers: { cookie: setCookie[0].split(';')[0] } })
  t.regex(written[0], /^__Host-skn_session=v1\.[^;]+; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=\d+$/)
  t.is(session.status, 'authenticated')
  t.false(JSON.stringify(Object.keys(session)).includes('setCookie'), 'Set-Cookie headers are not enumerable')
  t.regex(session.accessToken, /^eyJ/)
  const shown = `${require('node:util').inspect(session, { depth: 5 })} ${JSON.stringify(session)}`
  t.false(shown.includes(session.accessToken.slice(0, 40)))
})

test('examples/express-session.js runs against the emulator with one command', async (t) => {
  const { spawn } = require('node:child_process')
  const path = require('node:path')
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'examples', 'express-session.js')], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] })
  t.teardown(() => child.kill('SIGKILL'))
  let output = ''
  const dashboard = await new Promise((resolve, reject) => {
    child.stdout.on('data', (data) => {
      output += data
      const found = /open (\S+\/dashboard)/.exec(output)
      if (found) resolve(found[1])
    })
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)))
  })
  const b = browser()
  const page = await b.go(dashboard, { headers: { 'sec-fetch-mode': 'navigate' } })
  t.is(page.status, 200, b.hops.join(' → '))
  t.regex(await page.text(), /Hello Jane Roe/)
  t.is((await b.send(new URL('/api/admin', dashboard).href, { headers: json })).status, 200, 'the owner role carries org:settings:manage')
  child.kill('SIGTERM')
  t.is(await new Promise((resolve) => child.once('exit', resolve)), 0, 'it stops cleanly')
})
