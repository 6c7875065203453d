'use strict'
// The emulator as Scalekit's authorization server for MCP servers: RFC 8414 metadata at both forms of the
// resource's well-known URL, dynamic client registration, client ID metadata documents, PKCE-only authorization
// with `resource` checked by policy, consent, single-use codes, refresh rotation with reuse handling,
// client_credentials, the claim switches, and inspection.
const test = require('ava')
const crypto = require('node:crypto')
const { ScalekitEmulator } = require('../testing')
const { ScalekitValidationException } = require('..')

const REDIRECT = 'http://127.0.0.1:7777/callback'
const SERVER_URL = 'https://mcp.example.com/mcp'

async function setUp(t, serverOptions = {}, emulatorOptions = {}) {
  const emulator = await ScalekitEmulator.start(emulatorOptions)
  t.teardown(() => emulator.stop())
  emulator.seedOrganization({ displayName: 'Acme', users: [{ email: 'ada@acme.test' }] })
  emulator.setLoginUser('ada@acme.test')
  const server = emulator.mcp.createServer({ name: 'Todos', serverUrl: SERVER_URL, scopes: ['todo:read', 'todo:write'], ...serverOptions })
  return { emulator, server }
}

async function register(emulator, server, metadata = {}) {
  const answer = await fetch(`${emulator.url}/api/v1/resources/${server.resourceId}/clients:register`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: 'test', redirect_uris: [REDIRECT], ...metadata }),
  })
  return { status: answer.status, body: await answer.json(), headers: answer.headers }
}

const pkce = () => {
  const verifier = crypto.randomBytes(32).toString('base64url')
  return { verifier, challenge: crypto.createHash('sha256').update(verifier).digest('base64url') }
}

/** `/oauth/authorize` of the resource: the redirect's query, or the error answer when it did not redirect. */
async function authorize(server, params) {
  const url = new URL(`${server.issuer}/oauth/authorize`)
  for (const [k, v] of Object.entries({ response_type: 'code', redirect_uri: REDIRECT, code_challenge_method: 'S256', ...params })) if (v !== undefined) url.searchParams.set(k, v)
  const answer = await fetch(url, { redirect: 'manual' })
  if (answer.status !== 302) return { status: answer.status, body: await answer.json() }
  return { status: 302, query: new URL(answer.headers.get('location')).searchParams, location: answer.headers.get('location') }
}

async function token(server, form, headers = {}) {
  const answer = await fetch(`${server.issuer}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form) })
  return { status: answer.status, body: await answer.json(), headers: answer.headers }
}

/** A whole authorization code flow; returns the token answer. */
async function codeFlow(server, clientId, { scope, resource = SERVER_URL, extra = {} } = {}) {
  const { verifier, challenge } = pkce()
  const authorized = await authorize(server, { client_id: clientId, code_challenge: challenge, scope, resource, state: 's' })
  if (authorized.status !== 302 || !authorized.query.get('code')) throw new Error(`authorize: ${authorized.location ?? JSON.stringify(authorized.body)}`)
  return token(server, { grant_type: 'authorization_code', code: authorized.query.get('code'), redirect_uri: REDIRECT, code_verifier: verifier, client_id: clientId, resource, ...extra })
}

const claims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url'))

test('metadata at both well-known forms; the resource-scoped OpenID discovery is 404, as Scalekit', async (t) => {
  const { emulator, server } = await setUp(t)
  const forms = [`${emulator.url}/.well-known/oauth-authorization-server/resources/${server.resourceId}`, `${server.issuer}/.well-known/oauth-authorization-server`]
  const [a, b] = await Promise.all(forms.map((url) => fetch(url).then((r) => r.json())))
  t.deepEqual(a, b)
  t.like(a, {
    issuer: `${emulator.url}/resources/${server.resourceId}`,
    authorization_endpoint: `${server.issuer}/oauth/authorize`,
    token_endpoint: `${server.issuer}/oauth/token`,
    jwks_uri: `${emulator.url}/keys`,
    registration_endpoint: `${emulator.url}/api/v1/resources/${server.resourceId}/clients:register`,
    client_id_metadata_document_supported: true,
  })
  t.deepEqual(a.code_challenge_methods_supported, ['S256'])
  t.true(a.token_endpoint_auth_methods_supported.includes('none'))
  t.deepEqual(a.scopes_supported.slice(0, 2), ['todo:read', 'todo:write'])
  t.is(server.metadataUrl, forms[0])
  for (const url of [`${emulator.url}/.well-known/openid-configuration/resources/${server.resourceId}`, `${server.issuer}/.well-known/openid-configuration`]) t.is((await fetch(url)).status, 404)
  // The environment-level (/oauth/…) endpoints work for MCP clients too.
  const { body: client } = await register(emulator, server)
  t.is((await codeFlow({ issuer: emulator.url }, client.client_id, { scope: 'todo:read' })).status, 200)

  emulator.mcp.configureServer(server.resourceId, { dcr: false, cimd: false })
  const off = await fetch(forms[1]).then((r) => r.json())
  t.is(off.registration_endpoint, undefined)
  t.false(off.client_id_metadata_document_supported)
})

test('dynamic client registration: public m2m_ clients, https or loopback redirect URIs only', async (t) => {
  const { emulator, server } = await setUp(t)
  const created = await register(emulator, server)
  t.is(created.status, 201)
  t.regex(created.body.client_id, /^m2m_/)
  t.deepEqual(created.body.redirect_uris, [REDIRECT])
  t.is(created.body.token_endpoint_auth_method, 'none')
  t.is(created.body.client_secret, undefined)
  t.is(created.headers.get('cache-control'), 'no-store')
  const confidential = await register(emulator, server, { token_endpoint_auth_method: 'client_secret_basic', grant_types: ['client_credentials'] })
  t.truthy(confidential.body.client_secret)
  for (const [metadata, error] of [
    [{ redirect_uris: ['http://evil.example/cb'] }, 'invalid_redirect_uri'],
    [{ redirect_uris: ['myapp://cb'] }, 'invalid_redirect_uri'],
    [{ redirect_uris: [] }, 'invalid_redirect_uri'],
    [{ redirect_uris: ['https://ok.example/cb#frag'] }, 'invalid_redirect_uri'],
    [{ token_endpoint_auth_method: 'private_key_jwt' }, 'invalid_client_metadata'],
    [{ grant_types: ['password'] }, 'invalid_client_metadata'],
    [{ scope: 'todo:delete' }, 'invalid_client_metadata'],
  ]) {
    const refused = await register(emulator, server, metadata)
    t.is(refused.status, 400, JSON.stringify(metadata))
    t.is(refused.body.error, error, JSON.stringify(metadata))
  }
  emulator.mcp.configureServer(server.resourceId, { dcr: false })
  t.is((await register(emulator, server)).body.error, 'invalid_client_metadata')
  t.is((await fetch(`${emulator.url}/api/v1/resources/res_missing/clients:register`, { method: 'POST', body: '{}' })).status, 404)
  t.deepEqual(emulator.mcp.clients().filter((c) => c.kind === 'dcr').map((c) => c.client_id).sort(), [created.body.client_id, confidential.body.client_id].sort())
})

test('client ID metadata documents: given to the emulator, client_id must be its URL, any loopback port', async (t) => {
  const { emulator, server } = await setUp(t)
  const clientId = 'https://client.example.com/oauth/metadata.json'
  t.is(emulator.mcp.addClientMetadataDocument({ client_id: clientId, client_name: 'Example', redirect_uris: ['http://127.0.0.1/callback'] }), clientId)
  // A loopback redirect URI matches on any port (native apps pick one at run time).
  const granted = await codeFlow(server, clientId, { scope: 'todo:read' })
  t.is(granted.status, 200)
  t.is(claims(granted.body.access_token).client_id, clientId)
  const elsewhere = await authorize(server, { client_id: clientId, code_challenge: pkce().challenge, redirect_uri: 'http://127.0.0.1:7777/other' })
  t.is(elsewhere.status, 400, 'another path is not registered: no redirect')
  const unknown = await authorize(server, { client_id: 'https://unknown.example.com/client.json', code_challenge: pkce().challenge })
  t.is(unknown.body.error, 'invalid_client_metadata_url')
  for (const document of [
    { client_id: 'http://client.example.com/x.json', client_name: 'x', redirect_uris: [REDIRECT] },
    { client_id: 'https://client.example.com/', client_name: 'x', redirect_uris: [REDIRECT] },
    { client_id: 'https://client.example.com/x.json', redirect_uris: [REDIRECT] },
    { client_id: 'https://client.example.com/x.json', client_name: 'x', redirect_uris: [] },
  ]) {
    t.throws(() => emulator.mcp.addClientMetadataDocument(document), { instanceOf: ScalekitValidationException }, JSON.stringify(document))
  }
  emulator.mcp.configureServer(server.resourceId, { cimd: false })
  t.is((await authorize(server, { client_id: clientId, code_challenge: pkce().challenge, redirect_uri: 'http://127.0.0.1:5555/callback' })).query.get('error'), 'unauthorized_client')
})

test('authorize: PKCE S256 required, exact redirect URIs, resource policies, scopes, consent, iss in the answer', async (t) => {
  const { emulator, server } = await setUp(t)
  const { body: client } = await register(emulator, server)
  const base = { client_id: client.client_id, code_challenge: pkce().challenge, resource: SERVER_URL, state: 'st' }
  const ok = await authorize(server, base)
  t.is(ok.query.get('state'), 'st')
  t.is(ok.query.get('iss'), server.issuer, 'RFC 9207')
  t.is((await authorize(server, { ...base, code_challenge: undefined })).query.get('error'), 'invalid_request', 'no PKCE')
  t.is((await authorize(server, { ...base, code_challenge_method: 'plain' })).query.get('error'), 'invalid_request')
  t.is((await authorize(server, { ...base, redirect_uri: 'http://127.0.0.1:7777/callback/' })).status, 400, 'a redirect URI matches exactly')
  t.is((await authorize(server, { ...base, client_id: 'm2m_unknown' })).body.error, 'invalid_client')
  t.is((await authorize(server, { ...base, resource: 'https://mcp.example.com/other' })).query.get('error'), 'invalid_target', 'exact by default')
  t.is((await authorize(server, { ...base, resource: 'https://MCP.example.com:443/mcp/' })).status, 302, 'compared as URLs')
  t.is((await authorize(server, { ...base, scope: 'todo:read todo:delete' })).query.get('error'), 'invalid_scope')
  emulator.mcp.configureServer(server.resourceId, { resourcePolicy: 'prefix' })
  t.truthy((await authorize(server, { ...base, resource: `${SERVER_URL}/sub` })).query.get('code'))
  t.is((await authorize(server, { ...base, resource: 'https://mcp.example.com/mcpx' })).query.get('error'), 'invalid_target')
  emulator.mcp.configureServer(server.resourceId, { resourcePolicy: 'ignore' })
  t.truthy((await authorize(server, { ...base, resource: 'https://anything.example/' })).query.get('code'))

  emulator.mcp.setConsent('deny')
  t.is((await authorize(server, base)).query.get('error'), 'access_denied')
  emulator.mcp.setConsent(async (request) => (request.requestedScopes.includes('todo:write') ? ['todo:read'] : true))
  const partial = await codeFlow(server, client.client_id, { scope: 'todo:read todo:write' })
  t.is(partial.body.scope, 'todo:read', 'a partial grant')
  emulator.mcp.setConsent(() => { throw new Error('a broken policy denies') })
  t.is((await authorize(server, base)).query.get('error'), 'access_denied')
  emulator.mcp.setConsent('allow')
  const outcomes = emulator.mcp.authorizationRequests().map((r) => r.outcome)
  t.true(outcomes.includes('granted') && outcomes.includes('access_denied') && outcomes.includes('invalid_target'))
  t.throws(() => emulator.mcp.setConsent('maybe'), { instanceOf: ScalekitValidationException })
})

test('codes are single-use and bound to the verifier, the redirect URI, the resource and the client', async (t) => {
  const { emulator, server } = await setUp(t)
  const { body: client } = await register(emulator, server)
  const { body: other } = await register(emulator, server)
  const fresh = async () => {
    const { verifier, challenge } = pkce()
    const { query } = await authorize(server, { client_id: client.client_id, code_challenge: challenge, resource: SERVER_URL })
    return { code: query.get('code'), verifier }
  }
  const redeem = (code, verifier, extra = {}) => token(server, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT, client_id: client.client_id, ...extra })
  const a = await fresh()
  const first = await redeem(a.code, a.verifier)
  t.is(first.status, 200)
  t.is(first.headers.get('cache-control'), 'no-store')
  t.is(first.body.token_type, 'Bearer')
  t.is((await redeem(a.code, a.verifier)).body.error, 'invalid_grant', 'used once only')
  const b = await fresh()
  t.is((await redeem(b.code, pkce().verifier)).body.error, 'invalid_grant', 'another verifier')
  const c = await fresh()
  t.is((await redeem(c.code, c.verifier, { redirect_uri: 'http://127.0.0.1:7777/else' })).body.error, 'invalid_grant')
  const d = await fresh()
  t.is((await redeem(d.code, d.verifier, { resource: 'https://mcp.example.com/other' })).body.error, 'invalid_target')
  const e = await fresh()
  t.is((await redeem(e.code, e.verifier, { client_id: other.client_id })).body.error, 'invalid_grant', "another client's code")
})

test('refresh tokens only with offline_access, rotated on use; reuse is refused, revokes the session, or gets a grace window', async (t) => {
  const { emulator, server } = await setUp(t)
  const { body: client } = await register(emulator, server)
  t.is((await codeFlow(server, client.client_id, { scope: 'todo:read' })).body.refresh_token, undefined)
  const granted = (await codeFlow(server, client.client_id, { scope: 'todo:read offline_access' })).body
  t.truthy(granted.refresh_token)
  const refresh = (refreshToken, clientId = client.client_id) => token(server, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId })
  const rotated = await refresh(granted.refresh_token)
  t.is(rotated.status, 200)
  t.not(rotated.body.refresh_token, granted.refresh_token, 'rotated')
  t.is(claims(rotated.body.access_token).sid, claims(granted.access_token).sid, 'the same session')
  t.is((await refresh(granted.refresh_token)).body.error, 'invalid_grant', 'single use')
  t.is((await refresh(rotated.body.refresh_token)).status, 200, 'by default, a reuse leaves the session alone')

  emulator.setRefreshTokenReuse('revoke-session')
  const family = (await codeFlow(server, client.client_id, { scope: 'todo:read offline_access' })).body
  const next = (await refresh(family.refresh_token)).body
  t.is((await refresh(family.refresh_token)).body.error, 'invalid_grant')
  t.is((await refresh(next.refresh_token)).body.error, 'invalid_grant', 'reuse detected: the whole session is revoked')

  emulator.setRefreshTokenReuse(2)
  const raced = (await codeFlow(server, client.client_id, { scope: 'todo:read offline_access' })).body
  const winner = await refresh(raced.refresh_token)
  const loser = await refresh(raced.refresh_token)
  t.deepEqual(loser.body, winner.body, 'within the grace window, the same answer again')
  t.is((await refresh(raced.refresh_token, 'm2m_other')).body.error, 'invalid_client', 'never for another client')
})

test('client_credentials for a registered confidential client; the claims and their switches', async (t) => {
  const { emulator, server } = await setUp(t)
  const { body: machine } = await register(emulator, server, { token_endpoint_auth_method: 'client_secret_basic', grant_types: ['client_credentials'] })
  const basic = `Basic ${Buffer.from(`${machine.client_id}:${machine.client_secret}`).toString('base64')}`
  const granted = await token(server, { grant_type: 'client_credentials', scope: 'todo:read' }, { authorization: basic })
  t.is(granted.status, 200)
  const machineClaims = claims(granted.body.access_token)
  t.like(machineClaims, { sub: machine.client_id, client_id: machine.client_id, iss: emulator.url, scope: 'todo:read' })
  t.deepEqual(machineClaims.aud, [SERVER_URL, server.resourceId])
  t.is((await token(server, { grant_type: 'client_credentials' }, { authorization: `Basic ${Buffer.from(`${machine.client_id}:wrong`).toString('base64')}` })).status, 401)
  const { body: publicClient } = await register(emulator, server)
  t.is((await token(server, { grant_type: 'client_credentials', client_id: publicClient.client_id })).body.error, 'unauthorized_client')

  const user = claims((await codeFlow(server, publicClient.client_id, { scope: 'todo:read todo:write' })).body.access_token)
  t.regex(user.sub, /^usr_/)
  t.like(user, { client_id: publicClient.client_id, scope: 'todo:read todo:write' })
  t.deepEqual(user.scopes, ['todo:read', 'todo:write'])
  t.truthy(user.sid && user.jti && user.oid && user.org_id === user.oid)
  emulator.mcp.configureServer(server.resourceId, { issuerForm: 'resource', scopeClaims: 'scope' })
  const switched = claims((await codeFlow(server, publicClient.client_id, { scope: 'todo:read' })).body.access_token)
  t.is(switched.iss, server.issuer)
  t.is(switched.scopes, undefined)
  emulator.mcp.configureServer(server.resourceId, { scopeClaims: 'scopes' })
  const arrays = claims(emulator.mcp.mintAccessToken({ resourceId: server.resourceId, scopes: ['todo:read'] }))
  t.is(arrays.scope, undefined)
  t.deepEqual(arrays.scopes, ['todo:read'])
  t.throws(() => emulator.mcp.configureServer(server.resourceId, { scopeClaims: 'both-and-more' }), { instanceOf: ScalekitValidationException })
})

test('servers and documents are configuration (a reset keeps them); clients and requests are records', async (t) => {
  const { emulator, server } = await setUp(t)
  emulator.mcp.addClientMetadataDocument({ client_id: 'https://c.example.com/m.json', client_name: 'c', redirect_uris: [REDIRECT] })
  await register(emulator, server)
  await authorize(server, { client_id: 'https://c.example.com/m.json', code_challenge: pkce().challenge })
  emulator.reset()
  t.is((await fetch(`${server.issuer}/.well-known/oauth-authorization-server`)).status, 200)
  t.deepEqual(emulator.mcp.clients().map((c) => c.kind), ['metadata_document'])
  t.deepEqual(emulator.mcp.authorizationRequests(), [])
  // The admin API for emulators in another process.
  const created = await fetch(`${emulator.url}/_emulator/mcp/servers`, { method: 'POST', body: JSON.stringify({ name: 'Other', server_url: 'https://o.example.com/mcp', scopes: ['x'] }) }).then((r) => r.json())
  t.regex(created.resource_id, /^res_/)
  t.is((await fetch(`${emulator.url}/_emulator/mcp/consent`, { method: 'POST', body: '{"mode":"deny"}' })).status, 204)
})
