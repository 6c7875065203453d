'use strict'
// scalekit-native/session: sign-in sessions done right. Scalekit hosts the login; this keeps the user signed in:
// sealed cookies (SessionSealer: all crypto in Rust), login and callback that own their state (state, PKCE and nonce
// in a sealed transaction cookie per login), a POST-only logout that ends the session for good, and getSession, which
// validates the access token locally and refreshes it once per refresh token however many requests race, adopting the
// successor tokens when a request still carries the cookie from before a rotation.

const scalekit = require('../../index.js')
const { header, parseCookies, serialize, writeChunked, readChunked, clearChunked } = require('./cookies.js')
const { ScalekitSessionError } = require('./errors.js')

const { SessionSealer, ScalekitValidationException, ScalekitValidateTokenFailureException } = scalekit

const PURPOSE = { session: 'session', transaction: 'login-transaction', forwarded: 'forwarded-session' }
/** How long a login may take between startLogin and the callback. */
const TRANSACTION_SECONDS = 600
/** How long the session cookie lives in the browser; the refresh token and Scalekit's session policy decide the rest. */
const SESSION_COOKIE_SECONDS = 400 * 86_400
/** How long a request carrying the cookie from before a rotation adopts the successor tokens. */
const ADOPTION_SECONDS = 60
/** How long a logged-out session is remembered as ended (longer than any access token lives). */
const ENDED_SECONDS = 86_400
const DEFAULT_SCOPES = ['openid', 'profile', 'email', 'offline_access']

/**
 * A coordinator in this process's memory. The default is one per process, shared by every kit in it (Next.js bundles
 * the middleware and the routes apart: each gets its own copy of this module). That is safe: keys are keyed
 * fingerprints of refresh tokens and values are sealed, so kits with other passwords never read each other's.
 * Across instances, give one backed by a shared store (Redis): same shape.
 */
function processCoordinator() {
  const key = Symbol.for('scalekit-native.session.coordinator')
  globalThis[key] ??= createMemoryCoordinator()
  return globalThis[key]
}

function createMemoryCoordinator() {
  const flights = new Map()
  const values = new Map()
  let writes = 0
  const get = (key) => {
    const entry = values.get(key)
    if (!entry) return undefined
    if (entry.until <= Date.now()) {
      values.delete(key)
      return undefined
    }
    return entry.value
  }
  return {
    /** Runs `task` once per key at a time; callers that come while it runs get its result. */
    async singleFlight(key, task) {
      if (!flights.has(key)) flights.set(key, Promise.resolve().then(task).finally(() => flights.delete(key)))
      return flights.get(key)
    },
    async get(key) {
      return get(key)
    },
    async set(key, value, ttlSeconds) {
      values.set(key, { value, until: Date.now() + ttlSeconds * 1000 })
      // Most entries are never read again (a successor nobody needed): sweep the expired now and then.
      if (++writes % 256 === 0) for (const [k, entry] of values) if (entry.until <= Date.now()) values.delete(k)
    },
  }
}

/** A relative path of this origin (never `//host`, `/\host` or a URL), else undefined. */
function sameOriginPath(returnTo) {
  if (typeof returnTo !== 'string' || !returnTo.startsWith('/') || returnTo.startsWith('//') || /[\\\u0000-\u001f]/.test(returnTo)) return undefined
  try {
    const parsed = new URL(returnTo, 'https://app.invalid')
    return parsed.origin === 'https://app.invalid' ? `${parsed.pathname}${parsed.search}${parsed.hash}` : undefined
  } catch {
    return undefined
  }
}

/** The query of a request's URL (node:http's path and query, or a fetch Request's absolute URL). */
function queryOf(req) {
  const url = req?.originalUrl ?? req?.url ?? ''
  return new URL(url, 'https://app.invalid').searchParams
}

function claimsOf(jwt) {
  try {
    return JSON.parse(Buffer.from(String(jwt).split('.')[1], 'base64url').toString('utf8'))
  } catch {
    return {}
  }
}

/** Where a result's Set-Cookie headers go when the caller handed a node:http / Express response. */
function applyCookies(res, cookies) {
  if (!res || typeof res.getHeader !== 'function' || cookies.length === 0) return
  const existing = res.getHeader('set-cookie')
  res.setHeader('set-cookie', [...(existing === undefined ? [] : [].concat(existing)), ...cookies])
  res.setHeader('cache-control', 'private, no-store')
}

/** `(req, res, options)` or `(req, options)`: a response is what has setHeader. */
function responseAndOptions(res, options) {
  return res && typeof res.setHeader !== 'function' && options === undefined ? [undefined, res] : [res, options ?? {}]
}

function withCookies(result, cookies) {
  return Object.defineProperty(result, 'setCookie', { value: cookies, enumerable: false })
}

function createSessionKit(options = {}) {
  const { client, cookiePassword, redirectUri, postLogoutRedirectUri, scopes = DEFAULT_SCOPES, refreshBufferSeconds, clockToleranceSeconds = 0, now = Date.now, coordinator = processCoordinator(), logger = console, cookieName = 'skn_session' } = options
  const invalid = (field, message) => new ScalekitValidationException(message, { field })
  if (!client || typeof client.refreshAccessToken !== 'function' || typeof client.authenticateWithCode !== 'function') throw invalid('client', 'client must be a ScalekitClient')
  let app
  try {
    app = new URL(redirectUri)
  } catch {
    throw invalid('redirectUri', 'redirectUri must be the absolute URL of your callback route, e.g. https://app.example.com/auth/callback')
  }
  if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string')) throw invalid('scopes', 'scopes must be an array of strings')
  if (typeof now !== 'function') throw invalid('now', 'now must be a function giving milliseconds, as Date.now')
  for (const method of ['singleFlight', 'get', 'set']) if (typeof coordinator?.[method] !== 'function') throw invalid('coordinator', `coordinator must have ${method}()`)
  const sealer = new SessionSealer(cookiePassword)
  const secure = app.protocol === 'https:'
  const origin = app.origin
  // __Host- cookies: Secure, Path=/ and no Domain, so that no other origin (a subdomain) can set or shadow them.
  const names = { session: secure ? `__Host-${cookieName}` : cookieName, transaction: (state) => `${secure ? '__Host-' : ''}skn_tx_${state.slice(0, 16)}` }
  const seconds = () => Math.floor(now() / 1000)
  const warn = (message) => logger?.warn?.(message)
  // What the coordinator is keyed by: a keyed fingerprint (never a token itself), of this environment and client, so
  // that kits of other environments sharing a coordinator (or a process) never meet.
  const environment = `${client.environmentUrl ?? ''}\n${client.clientId ?? ''}\n`
  const keyOf = (value) => sealer.fingerprint(`${environment}${value}`)

  const sealPayload = (payload) => sealer.seal(PURPOSE.session, JSON.stringify(payload), seconds() + SESSION_COOKIE_SECONDS)
  const sessionCookies = (cookies, payload) => writeChunked(cookies, names.session, sealPayload(payload), { maxAge: SESSION_COOKIE_SECONDS, secure, warn })
  const openSession = (sealed) => {
    const opened = sealer.unseal(PURPOSE.session, sealed, seconds())
    return opened.value === undefined ? undefined : JSON.parse(opened.value)
  }

  /** A session payload from a token answer (after a code or a refresh), keeping what the answer leaves out. */
  function payloadOf(tokens, previous = {}) {
    const access = claimsOf(tokens.accessToken)
    const idClaims = tokens.idToken ? claimsOf(tokens.idToken) : {}
    return {
      v: 1,
      sid: access.sid ?? idClaims.sid ?? previous.sid ?? sealer.random(16),
      at: tokens.accessToken,
      rt: tokens.refreshToken || previous.rt,
      it: tokens.idToken ?? previous.it,
      exp: access.exp,
      iat: access.iat ?? seconds(),
      user: tokens.user ?? previous.user,
    }
  }

  /** The result of a session whose access token verified: roles and permissions come only from those claims. */
  function authenticated(payload, claims, refreshed) {
    const session = {
      status: 'authenticated',
      user: payload.user,
      sessionId: payload.sid,
      organizationId: claims.oid ?? claims.org_id,
      roles: Array.isArray(claims.roles) ? claims.roles : [],
      permissions: Array.isArray(claims.permissions) ? claims.permissions : [],
      expiresAt: claims.exp,
      refreshed,
    }
    // The token is there to call APIs with, not enumerable: a session logged or sent as JSON never shows it.
    return Object.defineProperty(session, 'accessToken', { value: payload.at, enumerable: false })
  }

  /** The access token's claims, or why not: `expired`, `invalid`, or `unavailable` (the keys cannot be fetched). */
  async function verify(accessToken) {
    try {
      return { claims: await client.validateToken(accessToken, { audience: client.clientId, environmentIssuer: true, currentDate: now(), clockToleranceSeconds }) }
    } catch (error) {
      if (error instanceof ScalekitValidateTokenFailureException) return { problem: error.reason === 'expired' ? 'expired' : 'invalid' }
      return { problem: 'unavailable' }
    }
  }

  /** When to refresh: `refreshBufferSeconds`, else a fifth of the token's lifetime, from 15 to 120 seconds. */
  function buffer(payload) {
    if (typeof refreshBufferSeconds === 'number') return refreshBufferSeconds
    const lifetime = Math.max(0, (payload.exp ?? 0) - (payload.iat ?? 0))
    return Math.min(120, Math.max(15, lifetime / 5))
  }

  /**
   * A refresh, once per refresh token: its successor is remembered (sealed) for ADOPTION_SECONDS, so a request still
   * carrying the cookie from before the rotation adopts it instead of replaying a used token. `invalid_grant` is
   * terminal; 429, 5xx and network errors are transient; a refresh that may have been sent and got no answer is never
   * replayed.
   */
  async function refresh(payload) {
    const key = keyOf(payload.rt)
    const adopt = async () => {
      const successor = await coordinator.get(`successor:${key}`)
      return successor === undefined ? undefined : { kind: 'refreshed', payload: openSession(successor) }
    }
    const known = await adopt()
    if (known?.payload) return known
    if (await coordinator.get(`uncertain:${key}`)) return { kind: 'transient', uncertain: true }
    // A refresh token Scalekit refused stays refused: requests that still carry it are not sent again.
    if (await coordinator.get(`refused:${key}`)) return { kind: 'terminal' }
    return coordinator.singleFlight(`refresh:${key}`, async () => {
      const raced = await adopt()
      if (raced?.payload) return raced
      try {
        const tokens = await client.refreshAccessToken(payload.rt)
        const next = payloadOf(tokens, payload)
        await coordinator.set(`successor:${key}`, sealPayload(next), ADOPTION_SECONDS)
        return { kind: 'refreshed', payload: next }
      } catch (error) {
        const status = error?.httpStatus
        const grant = error?.errorCode ?? error?.unpackedDetails?.[0]?.errorCode
        if (grant === 'invalid_grant' || (status >= 400 && status < 500 && status !== 408 && status !== 429)) {
          await coordinator.set(`refused:${key}`, true, ENDED_SECONDS)
          return { kind: 'terminal', error }
        }
        // Sent, maybe processed, no answer (a time-out or a dropped reply): the token may be used up, and replaying it
        // would look like theft. Only a connection that never opened (or whose TLS failed) sent nothing.
        const maybeSent = error?.outcomeUnknown || (typeof error?.kind === 'string' && !['connect', 'tls', 'aborted'].includes(error.kind))
        if (maybeSent) await coordinator.set(`uncertain:${key}`, true, ENDED_SECONDS)
        return { kind: 'transient', error, retryAfter: Math.ceil((error?.retryAfter ?? 5000) / 1000) }
      }
    })
  }

  /**
   * The session of a request: `{ status: 'authenticated', user, sessionId, organizationId, roles, permissions,
   * accessToken, expiresAt, refreshed }`, `{ status: 'unauthenticated', reason }` or `{ status: 'unavailable',
   * retryAfter }`. A refresh writes the cookie: to `res` when given (node:http, Express), else in `result.setCookie`.
   * `{ refresh: false }` never refreshes (server components, which cannot write cookies): `needsRefresh` says so.
   */
  async function getSession(req, ...rest) {
    const [res, { refresh: mayRefresh = true }] = responseAndOptions(...rest)
    const cookies = parseCookies(req)
    const sealed = readChunked(cookies, names.session)
    if (!sealed) return withCookies({ status: 'unauthenticated', reason: 'no_session' }, [])
    const payload = openSession(sealed)
    if (!payload?.at) return withCookies({ status: 'unauthenticated', reason: 'invalid_cookie' }, [])
    if (await coordinator.get(`ended:${keyOf(payload.sid)}`)) return withCookies({ status: 'unauthenticated', reason: 'logged_out' }, [])
    const checked = await verify(payload.at)
    // A token that does not verify (signed by a key the environment dropped, say) is never served; its refresh token,
    // sealed by this kit, may still get a good one: Scalekit decides.
    if (checked.problem === 'invalid' && !payload.rt) return withCookies({ status: 'unauthenticated', reason: 'invalid_token' }, [])
    // The environment's keys cannot be fetched: nothing can be verified now, and nothing is given up.
    if (checked.problem === 'unavailable') return withCookies({ status: 'unavailable', retryAfter: 5 }, [])
    if (checked.claims && checked.claims.exp - seconds() > buffer(payload)) return withCookies(authenticated(payload, checked.claims, false), [])
    if (!payload.rt) {
      return withCookies(checked.claims ? authenticated(payload, checked.claims, false) : { status: 'unauthenticated', reason: 'expired' }, [])
    }
    if (!mayRefresh) {
      const result = checked.claims ? authenticated(payload, checked.claims, false) : { status: 'unauthenticated', reason: checked.problem === 'invalid' ? 'invalid_token' : 'expired' }
      return withCookies(Object.assign(result, { needsRefresh: true }), [])
    }
    const outcome = await refresh(payload)
    // A logout while the refresh was under way stays a logout: nothing is written.
    if (await coordinator.get(`ended:${keyOf(payload.sid)}`)) return withCookies({ status: 'unauthenticated', reason: 'logged_out' }, [])
    if (outcome.kind === 'refreshed') {
      // The successor tokens are kept whatever happens next: the refresh token they replace is used up.
      const written = sessionCookies(cookies, outcome.payload)
      applyCookies(res, written)
      const fresh = await verify(outcome.payload.at)
      if (fresh.claims) return withCookies(authenticated(outcome.payload, fresh.claims, true), written)
      if (checked.claims) return withCookies(authenticated(payload, checked.claims, false), written)
      return withCookies(fresh.problem === 'unavailable' ? { status: 'unavailable', retryAfter: 5 } : { status: 'unauthenticated', reason: 'invalid_token' }, written)
    }
    // Not refreshed: a still-valid token is served; the cookie stays unless the refresh token is dead and nothing is left.
    if (checked.claims) return withCookies(authenticated(payload, checked.claims, false), [])
    if (outcome.kind === 'terminal') {
      const cleared = clearChunked(names.session, { secure })
      applyCookies(res, cleared)
      return withCookies({ status: 'unauthenticated', reason: 'session_ended' }, cleared)
    }
    if (outcome.uncertain) return withCookies({ status: 'unauthenticated', reason: 'refresh_outcome_unknown' }, [])
    return withCookies({ status: 'unavailable', retryAfter: outcome.retryAfter ?? 5 }, [])
  }

  /**
   * Starts a sign-in: `{ url, setCookie }`, the Scalekit URL to redirect to and the sealed transaction cookie (state,
   * PKCE verifier, nonce, returnTo), named after the state so that logins in parallel tabs do not clobber each other.
   */
  function startLogin(req, { returnTo = '/', organizationId, connectionId, loginHint, prompt, switchOrganization } = {}) {
    const path = sameOriginPath(returnTo)
    if (path === undefined) throw invalid('returnTo', 'returnTo must be a path of this site, such as /dashboard (never another origin)')
    const state = sealer.random(32)
    const nonce = sealer.random(24)
    const { codeVerifier, codeChallenge } = scalekit.generatePkce()
    const url = client.getAuthorizationUrl(redirectUri, { scopes, state, nonce, codeChallenge, codeChallengeMethod: 'S256', organizationId, connectionId, loginHint, prompt })
    const transaction = { state, verifier: codeVerifier, nonce, returnTo: path, organizationId: switchOrganization ? organizationId : undefined }
    const cookie = serialize(names.transaction(state), sealer.seal(PURPOSE.transaction, JSON.stringify(transaction), seconds() + TRANSACTION_SECONDS), { maxAge: TRANSACTION_SECONDS, secure })
    return withCookies({ url }, [cookie])
  }

  /** Switches the session's organization: a sign-in with `prompt=select_account`; the callback checks the new token's. */
  function switchOrganization(req, organizationId, { returnTo } = {}) {
    if (typeof organizationId !== 'string' || !organizationId) throw invalid('organizationId', 'organizationId is required')
    return startLogin(req, { returnTo, organizationId, prompt: 'select_account', switchOrganization: true })
  }

  /**
   * The callback: checks `state` (in constant time) against its transaction cookie, exchanges the code with the PKCE
   * verifier and the nonce (the id token is verified: issuer from discovery, audience, nonce), seals the session and
   * clears the transaction cookie (also on failure). `{ session, returnTo, setCookie }`, or a ScalekitSessionError.
   */
  async function handleCallback(req, res) {
    const query = queryOf(req)
    const state = query.get('state') ?? ''
    const cookies = parseCookies(req)
    const name = state.length >= 16 ? names.transaction(state) : undefined
    const cleared = name ? [serialize(name, '', { maxAge: 0, secure })] : []
    const fail = (message, code, status) => {
      applyCookies(res, cleared)
      const error = new ScalekitSessionError(message, { code, status })
      Object.defineProperty(error, 'setCookie', { value: cleared, enumerable: false })
      throw error
    }
    const sealed = name && cookies.get(name)
    const opened = sealed ? sealer.unseal(PURPOSE.transaction, sealed, seconds()) : {}
    const transaction = opened.value ? JSON.parse(opened.value) : undefined
    if (!transaction || !sealer.constantTimeEqual(transaction.state, state)) fail('this sign-in is not the one this browser started (state), or it took too long: start again', 'state_mismatch')
    if (query.get('error')) fail(`the sign-in did not complete: ${query.get('error')}${query.get('error_description') ? `: ${query.get('error_description')}` : ''}`, query.get('error'), 401)
    const code = query.get('code')
    if (!code) fail('the callback has no code', 'missing_code')
    let auth
    try {
      auth = await client.authenticateWithCode(code, redirectUri, { codeVerifier: transaction.verifier, nonce: transaction.nonce })
    } catch (error) {
      applyCookies(res, cleared)
      Object.defineProperty(error, 'setCookie', { value: cleared, enumerable: false, configurable: true })
      throw error
    }
    const payload = payloadOf(auth)
    // Roles, permissions and the organization only ever come from a verified token, this one included.
    const checked = await verify(payload.at)
    if (!checked.claims) fail(`the access token from Scalekit did not verify (${checked.problem}): sign in again`, checked.problem === 'unavailable' ? 'temporarily_unavailable' : 'invalid_token', checked.problem === 'unavailable' ? 503 : 502)
    if (transaction.organizationId && (checked.claims.oid ?? checked.claims.org_id) !== transaction.organizationId) {
      fail('the new session is not in the organization asked for', 'organization_mismatch', 403)
    }
    const written = [...sessionCookies(cookies, payload), ...cleared]
    applyCookies(res, written)
    return withCookies({ session: authenticated(payload, checked.claims, false), returnTo: transaction.returnTo }, written)
  }

  /**
   * Logs out: POST only, from this site (Origin or Sec-Fetch-Site), marks the session ended (an in-flight refresh
   * cannot resurrect it), optionally revokes the Scalekit session, clears every cookie chunk, and gives Scalekit's
   * logout URL with `id_token_hint`: `{ url, setCookie }`.
   */
  async function logout(req, ...rest) {
    const [res, { returnTo, revoke = false }] = responseAndOptions(...rest)
    const method = req?.method ?? 'GET'
    if (method !== 'POST') throw new ScalekitSessionError('log out with a POST (a GET can be triggered by any site)', { code: 'method_not_allowed', status: 405 })
    const sentFrom = header(req, 'origin')
    const site = header(req, 'sec-fetch-site')
    if ((sentFrom && sentFrom !== origin) || (site && site !== 'same-origin' && site !== 'none')) {
      throw new ScalekitSessionError('a logout must come from this site', { code: 'cross_site', status: 403 })
    }
    const sealed = readChunked(parseCookies(req), names.session)
    const payload = sealed ? openSession(sealed) : undefined
    if (payload?.sid) {
      await coordinator.set(`ended:${keyOf(payload.sid)}`, true, ENDED_SECONDS)
      if (revoke) await client.session.revokeSession(payload.sid).catch((error) => warn(`scalekit-native/session: revoking the session failed: ${error.message}`))
    }
    const cleared = clearChunked(names.session, { secure })
    applyCookies(res, cleared)
    const after = returnTo === undefined ? postLogoutRedirectUri : new URL(sameOriginPath(returnTo) ?? '/', origin).href
    const url = client.getLogoutUrl({ idTokenHint: payload?.it, postLogoutRedirectUri: after })
    return withCookies({ url }, cleared)
  }

  /** For tests: a sealed session cookie (`Cookie` header value and its Set-Cookie form) from tokens you hold. */
  function sealSession({ accessToken, refreshToken, idToken, user } = {}) {
    if (typeof accessToken !== 'string') throw invalid('accessToken', 'accessToken is required')
    const payload = payloadOf({ accessToken, refreshToken, idToken, user })
    const setCookie = writeChunked(new Map(), names.session, sealPayload(payload), { maxAge: SESSION_COOKIE_SECONDS, secure, warn })
    return { cookie: setCookie.map((c) => c.split(';')[0]).join('; '), setCookie }
  }

  /** A session sealed for the render (Next.js middleware forwards it in a request header, never trusting a client's). */
  function forward(result) {
    return sealer.seal(PURPOSE.forwarded, JSON.stringify({ ...result, accessToken: result.accessToken }), seconds() + 60)
  }
  function forwarded(value) {
    const opened = typeof value === 'string' ? sealer.unseal(PURPOSE.forwarded, value, seconds()) : {}
    if (opened.value === undefined) return undefined
    const { accessToken, ...result } = JSON.parse(opened.value)
    return withCookies(accessToken === undefined ? result : Object.defineProperty(result, 'accessToken', { value: accessToken, enumerable: false }), [])
  }

  const kit = {
    startLogin,
    handleCallback,
    logout,
    getSession,
    switchOrganization,
    cookieNames: names,
    testing: { sealSession },
    /** @internal */
    _forward: { forward, forwarded },
  }
  kit.express = (routes) => require('./express.js').router(kit, { redirectUri, ...routes })
  kit.requireSession = (settings) => require('./express.js').requireSession(kit, settings)
  Object.defineProperty(kit, 'next', { enumerable: true, get: () => require('./next.js').adapter(kit, { redirectUri }) })
  return kit
}

module.exports = { createSessionKit, createMemoryCoordinator, ScalekitSessionError }
