'use strict'
// The issuer is learned from the environment, not assumed from the URL the app was given: behind a
// custom domain, a proxy or a gateway, sign-in works; a token from another environment is refused.
// Also the emulator's discovery documents and /userinfo.
const test = require('ava')
const http = require('node:http')
const Ajv = require('ajv')
const addFormats = require('ajv-formats')
const sk = require('..')
const { startEmulator, clientFor } = require('./helpers')

const REDIRECT = 'http://localhost:3000/callback'

/**
 * A plain reverse proxy on another port (another origin): each request goes to `route(req)`'s emulator
 * (default `target`), and the proxy counts what it forwarded by path.
 */
async function proxy(t, target, route = () => target) {
  const seen = []
  const server = http.createServer((req, res) => {
    seen.push(req.url.split('?')[0])
    const upstream = new URL(route(req).url)
    const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers)
      answer.pipe(res)
    })
    forward.on('error', () => res.destroy())
    req.pipe(forward)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  return { url: `http://127.0.0.1:${server.address().port}`, seen }
}

/** Signs `email` in through `client` (the emulator answers authorize with a code at once). */
async function signIn(client, email, options = {}) {
  const location = (await fetch(client.getAuthorizationUrl(REDIRECT, { loginHint: email, ...options }), { redirect: 'manual' })).headers.get('location')
  return new URL(location).searchParams.get('code')
}

test('behind another origin (a proxy, a custom domain) a user signs in end to end: the issuer comes from discovery', async (t) => {
  const emulator = await startEmulator(t, { checkConformance: false })
  emulator.seedOrganization({ displayName: 'Acme', users: [{ email: 'ada@acme.test' }] })
  const gateway = await proxy(t, emulator)
  const client = new sk.ScalekitClient(gateway.url, emulator.clientId, emulator.clientSecret)

  const auth = await client.authenticateWithCode(await signIn(client, 'ada@acme.test'), REDIRECT)
  t.is(auth.user.email, 'ada@acme.test')
  t.is(auth.idTokenClaims.iss, emulator.url, 'the token names the environment, not the origin the app was given')
  t.not(auth.idTokenClaims.iss, gateway.url)
  t.true(gateway.seen.includes('/.well-known/openid-configuration'), 'learned from the discovery document, through the same origin as /keys')
  t.true(await client.validateAccessToken(auth.accessToken))

  // Once learned, it is cached with the keys: the next sign-in fetches neither again.
  const fetchedBefore = gateway.seen.filter((p) => p === '/.well-known/openid-configuration' || p === '/keys').length
  await client.authenticateWithCode(await signIn(client, 'ada@acme.test'), REDIRECT)
  t.is(gateway.seen.filter((p) => p === '/.well-known/openid-configuration' || p === '/keys').length, fetchedBefore)
})

test('a token signed with the same keys but naming another environment is refused', async (t) => {
  const emulator = await startEmulator(t, { checkConformance: false })
  const other = await startEmulator(t, { checkConformance: false })
  other.seedOrganization({ displayName: 'Elsewhere', users: [{ email: 'eve@other.test' }] })
  // The token endpoint answers from another emulator (same client id and secret, same signing keys);
  // discovery and the keys come from the environment the app is configured with.
  const gateway = await proxy(t, emulator, (req) => (req.url.startsWith('/oauth/token') ? other : emulator))
  const client = new sk.ScalekitClient(gateway.url, emulator.clientId, emulator.clientSecret)
  const otherClient = clientFor(other)
  const error = await t.throwsAsync(client.authenticateWithCode(await signIn(otherClient, 'eve@other.test'), REDIRECT), { instanceOf: sk.ScalekitValidateTokenFailureException })
  t.is(error.reason, 'issuer')
})

test('the environment URL matches its issuer up to host case, default port and trailing slash', async (t) => {
  const emulator = await startEmulator(t, { checkConformance: false })
  emulator.seedOrganization({ displayName: 'Acme', users: [{ email: 'ada@acme.test' }] })
  const spelled = emulator.url.replace('127.0.0.1', 'LOCALHOST').replace('http://LOCALHOST', 'http://localhost') + '/'
  // Same host, another spelling of it: the discovery document names 127.0.0.1 and is accepted.
  const client = new sk.ScalekitClient(spelled, emulator.clientId, emulator.clientSecret)
  const auth = await client.authenticateWithCode(await signIn(clientFor(emulator), 'ada@acme.test'), REDIRECT)
  t.is(auth.user.email, 'ada@acme.test')
})

test('validateToken takes issuer lists and MCP resource issuers ({env}/resources/{id}) when told the resource', async (t) => {
  const emulator = await startEmulator(t, { checkConformance: false })
  const client = clientFor(emulator)
  const resourceIssuer = `${emulator.url}/resources/res_1`
  const token = emulator.mintAccessToken({ claims: { iss: resourceIssuer, aud: ['https://mcp.example.com/mcp', 'res_1'] } })
  t.like(await client.validateToken(token), { iss: resourceIssuer }, 'no issuer asked for: not checked, as the official SDK')
  t.is((await t.throwsAsync(client.validateToken(token, { issuer: emulator.url }))).reason, 'issuer')
  t.like(await client.validateToken(token, { issuer: [emulator.url, `${resourceIssuer}/`] }), { iss: resourceIssuer })
  t.like(await client.validateToken(token, { resourceId: 'res_1' }), { iss: resourceIssuer }, 'the resource form, when the caller names the resource')
  t.is((await t.throwsAsync(client.validateToken(token, { resourceId: 'res_2', audience: 'res_1' }))).reason, 'issuer')
  t.is((await t.throwsAsync(client.validateToken(token, { resourceId: 'res_2' }))).reason, 'audience', "and a token must be for the resource")
  const environmentToken = emulator.mintAccessToken({ claims: { aud: ['res_1'] } })
  t.true(await client.validateAccessToken(environmentToken, { resourceId: 'res_1' }), 'the environment form too, during the migration')
  t.false(await client.validateAccessToken(emulator.mintAccessToken({ claims: { aud: ['res_2'] } }), { resourceId: 'res_1' }), 'and the audience must hold the resource')
})

// The shapes OpenID Connect Discovery 1.0 §3 and RFC 8414 §2 require.
const discoverySchema = {
  type: 'object',
  required: ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri', 'response_types_supported', 'subject_types_supported', 'id_token_signing_alg_values_supported'],
  properties: {
    issuer: { type: 'string', format: 'uri' },
    authorization_endpoint: { type: 'string', format: 'uri' },
    token_endpoint: { type: 'string', format: 'uri' },
    userinfo_endpoint: { type: 'string', format: 'uri' },
    jwks_uri: { type: 'string', format: 'uri' },
    end_session_endpoint: { type: 'string', format: 'uri' },
    response_types_supported: { type: 'array', items: { type: 'string' }, contains: { const: 'code' } },
    subject_types_supported: { type: 'array', items: { enum: ['public', 'pairwise'] }, minItems: 1 },
    id_token_signing_alg_values_supported: { type: 'array', items: { type: 'string' }, contains: { const: 'RS256' } },
    code_challenge_methods_supported: { type: 'array', contains: { const: 'S256' } },
    scopes_supported: { type: 'array', contains: { const: 'openid' } },
    grant_types_supported: { type: 'array', items: { type: 'string' } },
    token_endpoint_auth_methods_supported: { type: 'array', items: { type: 'string' } },
  },
}
const authorizationServerSchema = { ...discoverySchema, required: ['issuer', 'authorization_endpoint', 'token_endpoint', 'response_types_supported'] }

test('the emulator serves its discovery documents, spec-valid, naming its issuer and endpoints that work', async (t) => {
  const emulator = await startEmulator(t, { checkConformance: false, issuer: 'https://auth.acme.test' })
  const ajv = new Ajv({ allErrors: true, strict: false })
  addFormats(ajv)
  for (const [path, schema] of [['/.well-known/openid-configuration', discoverySchema], ['/.well-known/oauth-authorization-server', authorizationServerSchema]]) {
    const response = await fetch(`${emulator.url}${path}`)
    t.is(response.status, 200)
    t.regex(response.headers.get('content-type'), /application\/json/)
    const document = await response.json()
    t.true(ajv.validate(schema, document), `${path}: ${ajv.errorsText()}`)
    t.is(document.issuer, 'https://auth.acme.test', 'the issuer its tokens name')
    t.is(document.jwks_uri, `${emulator.url}/keys`)
    t.is((await fetch(document.jwks_uri)).status, 200)
    t.is(document.token_endpoint, `${emulator.url}/oauth/token`)
  }
})

test('/userinfo answers a user access token with the user, and 401 otherwise', async (t) => {
  const emulator = await startEmulator(t, { checkConformance: false })
  emulator.seedOrganization({ displayName: 'Acme', users: [{ email: 'ada@acme.test', givenName: 'Ada', familyName: 'Lovelace', emailVerified: true }] })
  const client = clientFor(emulator)
  const auth = await client.authenticateWithCode(await signIn(client, 'ada@acme.test'), REDIRECT)
  const userinfo = (token, init) => fetch(`${emulator.url}/userinfo`, { ...init, headers: token ? { authorization: `Bearer ${token}` } : {} })
  const answer = await userinfo(auth.accessToken)
  t.is(answer.status, 200)
  t.like(await answer.json(), { sub: auth.user.id, email: 'ada@acme.test', email_verified: true, given_name: 'Ada', family_name: 'Lovelace', name: 'Ada Lovelace' })
  t.is((await userinfo(auth.accessToken, { method: 'POST' })).status, 200, 'POST too, as OIDC allows')
  const none = await userinfo()
  t.is(none.status, 401)
  t.regex(none.headers.get('www-authenticate'), /^Bearer/)
  const machine = await client.getClientAccessToken()
  t.is((await userinfo(machine)).status, 401, 'a client-credentials token is no user')
  t.is((await userinfo(`${auth.accessToken.slice(0, -4)}AAAA`)).status, 401, 'a forged signature')
  await client.session.revokeSession(auth.idTokenClaims.sid)
  const revoked = await userinfo(auth.accessToken)
  t.is(revoked.status, 401, 'a revoked session')
  t.regex(revoked.headers.get('www-authenticate'), /error="invalid_token"/)
})
