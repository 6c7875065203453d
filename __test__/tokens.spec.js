'use strict'
// validateToken, validateAccessToken, getIdpInitiatedLoginClaims and verifyScopes against a
// local JWKS server and tokens signed with jose, so that every failure reason can be made.
const test = require('ava')
const http = require('node:http')
const jose = require('jose')
const sk = require('..')
const { startEmulator, clientFor } = require('./helpers')

/** A local environment: `/keys` serves the JWKS of `keys` (editable), and counts its fetches. */
async function environment(t) {
  const rsa = await jose.generateKeyPair('RS256', { extractable: true })
  const ec = await jose.generateKeyPair('ES256', { extractable: true })
  const jwk = async (pair, kid, alg) => ({ ...(await jose.exportJWK(pair.publicKey)), kid, alg, use: 'sig' })
  const env = { rsa, ec, fetches: 0, keys: [await jwk(rsa, 'rsa-1', 'RS256'), await jwk(ec, 'ec-1', 'ES256')], jwk }
  const server = http.createServer((req, res) => {
    env.fetches++
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ keys: env.keys }))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  env.url = `http://127.0.0.1:${server.address().port}`
  env.client = new sk.ScalekitClient(env.url, 'skc_1', 'secret')
  env.sign = (claims, { key = rsa.privateKey, alg = 'RS256', kid = 'rsa-1', exp = '5m' } = {}) => {
    let jwt = new jose.SignJWT({ sub: 'usr_1', ...claims }).setProtectedHeader({ alg, kid }).setIssuedAt()
    if (exp !== null) jwt = jwt.setExpirationTime(exp)
    return jwt.sign(key)
  }
  return env
}

async function reason(t, promise) {
  const error = await t.throwsAsync(promise, { instanceOf: sk.ScalekitValidateTokenFailureException })
  t.true(error instanceof sk.ScalekitException)
  return error.reason
}

test('a valid RS256 or ES256 token gives its claims, keys as sent', async (t) => {
  const env = await environment(t)
  const token = await env.sign({ iss: env.url, aud: ['skc_1'], custom_claim: { a_b: 1 }, scope: 'read write' })
  const claims = await env.client.validateToken(token, { issuer: env.url, audience: ['skc_1'], requiredScopes: ['read'] })
  t.like(claims, { sub: 'usr_1', iss: env.url, scope: 'read write' })
  t.deepEqual(claims.custom_claim, { a_b: 1 })
  t.like(await env.client.validateToken(token, { audience: 'skc_1' }), { sub: 'usr_1' }, 'one audience as a string, as jose takes it')
  t.false(await env.client.validateAccessToken(token, { audience: 'skc_2' }))
  t.true(await env.client.validateAccessToken(token))
  t.true(await env.client.validateAccessToken(await env.sign({}, { key: env.ec.privateKey, alg: 'ES256', kid: 'ec-1' })))
})

/** A token signed with the environment's RSA key over exactly this payload text (any JSON, any claim types). */
function signRaw(env, payloadText) {
  const crypto = require('node:crypto')
  const head = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'rsa-1' })).toString('base64url')
  const body = Buffer.from(payloadText).toString('base64url')
  const key = crypto.createPrivateKey({ key: env.rsaJwk, format: 'jwk' })
  const signature = crypto.sign('sha256', Buffer.from(`${head}.${body}`), key).toString('base64url')
  return `${head}.${body}.${signature}`
}

test('claim checks fail closed, and validateToken and validateAccessToken give one verdict', async (t) => {
  const env = await environment(t)
  env.rsaJwk = await jose.exportJWK(env.rsa.privateKey)
  const c = env.client
  const exp = Math.floor(Date.now() / 1000) + 300
  const cases = [
    // [payload, options, reason]: each a token signed by the environment's own key.
    [{ exp }, { audience: ['skc_1'] }, 'audience'],
    [{ exp, aud: 5 }, { audience: ['skc_1'] }, 'audience'],
    [{ exp, aud: null }, { audience: ['skc_1'] }, 'audience'],
    [{ exp, aud: { skc_1: true } }, { audience: 'skc_1' }, 'audience'],
    [{ exp, aud: 'skc_1' }, { issuer: env.url }, 'issuer'],
    [{ exp, iss: null }, { issuer: env.url }, 'issuer'],
    [{ exp, iss: ['x'] }, { issuer: env.url }, 'issuer'],
    [{}, {}, 'malformed'],
    [{ exp: null }, {}, 'malformed'],
    [{ exp: String(exp) }, {}, 'malformed'],
    [{ exp: [exp] }, {}, 'malformed'],
    [{ exp: -8995377305719144059 }, {}, 'expired'],
    [{ exp, nbf: 'later' }, {}, 'malformed'],
    [{ exp, nbf: null }, {}, 'malformed'],
    [{ exp, iat: {} }, {}, 'malformed'],
  ]
  for (const [payload, options, expected] of cases) {
    const token = signRaw(env, JSON.stringify(payload))
    t.is(await reason(t, c.validateToken(token, options)), expected, JSON.stringify(payload))
    t.false(await c.validateAccessToken(token, options), JSON.stringify(payload))
  }
  // Nested past serde_json's limit, or a number out of range: malformed on both paths (the boolean path used to say true).
  for (const text of [`{"exp":${exp},"deep":${'['.repeat(200)}${']'.repeat(200)}}`, `{"exp":${exp},"n":1e400}`]) {
    const token = signRaw(env, text)
    t.is(await reason(t, c.validateToken(token)), 'malformed')
    t.false(await c.validateAccessToken(token))
  }
  t.true(await c.validateAccessToken(signRaw(env, JSON.stringify({ exp, aud: ['skc_1'], iss: env.url })), { audience: 'skc_1', issuer: `${env.url}/` }))
})

test('every failure has its reason', async (t) => {
  const env = await environment(t)
  const c = env.client
  t.is(await reason(t, c.validateToken(await env.sign({}, { exp: Math.floor(Date.now() / 1000) - 10 }))), 'expired')
  t.truthy(await c.validateToken(await env.sign({}, { exp: Math.floor(Date.now() / 1000) - 10 }), { clockToleranceSeconds: 60 }), 'within the tolerance')
  const future = await new jose.SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).setNotBefore('1h').setExpirationTime('2h').sign(env.rsa.privateKey)
  t.is(await reason(t, c.validateToken(future)), 'not_yet_valid')
  const token = await env.sign({ iss: 'https://other', aud: 'someone-else', scopes: ['read'] })
  t.is(await reason(t, c.validateToken(token, { audience: ['skc_1'] })), 'audience')
  t.is(await reason(t, c.validateToken(token, { issuer: env.url })), 'issuer')
  const missing = await t.throwsAsync(c.validateToken(token, { requiredScopes: ['read', 'admin'] }))
  t.is(missing.reason, 'scope')
  t.is(missing.message, 'Token missing required scopes: admin')
  const [head, body, signature] = token.split('.')
  const tampered = `${head}.${Buffer.from(JSON.stringify({ sub: 'usr_admin' })).toString('base64url')}.${signature}`
  t.is(await reason(t, c.validateToken(tampered)), 'bad_signature')
  const other = await jose.generateKeyPair('RS256')
  t.is(await reason(t, c.validateToken(await env.sign({}, { key: other.privateKey }))), 'bad_signature')
  t.is(await reason(t, c.validateToken('not.a.jwt')), 'malformed')
  t.is(await reason(t, c.validateToken(await env.sign({}, { kid: 'nobody' }))), 'unknown_key')
  const hmac = await new jose.SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' }).sign(new TextEncoder().encode('shared-secret-shared-secret-1234'))
  t.is(await reason(t, c.validateToken(hmac)), 'algorithm')
  const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${body}.`
  t.is(await reason(t, c.validateToken(none)), 'algorithm')
  t.false(await c.validateAccessToken(tampered))
})

test('the JWKS is fetched once for many validations, and a rotated key is picked up without a restart', async (t) => {
  const env = await environment(t)
  const token = await env.sign({})
  await Promise.all(Array.from({ length: 200 }, () => env.client.validateToken(token)))
  t.is(env.fetches, 1, 'one fetch, however many validations wait for it')
  const rotated = await jose.generateKeyPair('RS256', { extractable: true })
  env.keys.push(await env.jwk(rotated, 'rsa-2', 'RS256'))
  t.truthy(await env.client.validateToken(await env.sign({}, { key: rotated.privateKey, kid: 'rsa-2' })))
  t.is(env.fetches, 2, 'one more fetch for the new kid')
  for (let i = 0; i < 20; i++) await reason(t, env.client.validateToken(await env.sign({}, { kid: `forged-${i}` })))
  t.is(env.fetches, 2, 'forged kids within the cooldown cost nothing')
})

test('the emulator\'s tokens validate, and its key rotation is followed', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  const { access_token: token } = await (await fetch(`${emulator.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: emulator.clientId, client_secret: emulator.clientSecret }),
  })).json()
  t.true(await client.validateAccessToken(token))
  emulator.rotateSigningKey(false)
  const { access_token: next } = await (await fetch(`${emulator.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: emulator.clientId, client_secret: emulator.clientSecret }),
  })).json()
  t.true(await client.validateAccessToken(next), 'the new key, fetched on its first use')
})

test('getIdpInitiatedLoginClaims and verifyScopes', async (t) => {
  const env = await environment(t)
  const login = await env.sign({ connection_id: 'conn_1', organization_id: 'org_1', login_hint: 'a@b.co', relay_state: 'r' })
  t.like(await env.client.getIdpInitiatedLoginClaims(login), { connection_id: 'conn_1', organization_id: 'org_1', login_hint: 'a@b.co', relay_state: 'r' })
  t.true(env.client.verifyScopes(await env.sign({ scopes: ['read', 'write'] }), ['read']))
  t.true(env.client.verifyScopes(await env.sign({ scope: 'read write' }), ['write']), 'a space-separated scope claim counts too')
  const error = t.throws(() => env.client.verifyScopes(unscopedToken(), ['admin']), { instanceOf: sk.ScalekitValidateTokenFailureException })
  t.is(error.message, 'Token missing required scopes: admin')
})

/** A token with no scopes: verifyScopes does not check the signature (as the official SDK), so none is needed. */
function unscopedToken() {
  const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url')
  return `${part({ alg: 'RS256' })}.${part({ sub: 'x' })}.sig`
}
