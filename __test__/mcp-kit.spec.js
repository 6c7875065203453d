'use strict'
// An MCP server protected by McpResourceServer (examples/mcp-server.js), with Scalekit played by the emulator,
// driven by the official @modelcontextprotocol/sdk client and a headless OAuth provider: discovery from the 401,
// dynamic client registration, PKCE with `resource`, a read tool, a 403 insufficient_scope on the write tool and
// the client's step-up; and each answer of the MCP authorization spec. Run with the Express and node:http adapters.
const test = require('ava')
const http = require('node:http')
const { Client } = require('@modelcontextprotocol/sdk/client/index.js')
const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js')
const { UnauthorizedError } = require('@modelcontextprotocol/sdk/client/auth.js')
const { requireBearerAuth } = require('@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js')
const express = require('express')
const { ScalekitEmulator } = require('../testing')
const { McpResourceServer } = require('scalekit-native/mcp')
const { ScalekitValidationException } = require('..')
const { createMcpApp } = require('../examples/mcp-server.js')

/** An OAuth client provider that plays the browser: it follows the authorize URL and keeps the code. */
class HeadlessProvider {
  constructor() {
    this.redirectUrl = 'http://127.0.0.1:9/callback'
    this.pendingCode = undefined
  }
  get clientMetadata() {
    return { client_name: 'headless test client', redirect_uris: [this.redirectUrl], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' }
  }
  state() { return `st_${Math.random().toString(36).slice(2)}` }
  clientInformation() { return this.client }
  saveClientInformation(info) { this.client = info }
  tokens() { return this.savedTokens }
  saveTokens(tokens) { this.savedTokens = tokens }
  saveCodeVerifier(verifier) { this.verifier = verifier }
  codeVerifier() { return this.verifier }
  async redirectToAuthorization(url) {
    this.authorizeUrls = [...(this.authorizeUrls ?? []), url]
    const answer = await fetch(url, { redirect: 'manual' })
    const back = new URL(answer.headers.get('location'))
    if (back.searchParams.get('error')) throw new Error(`authorize: ${back.searchParams.get('error')}`)
    this.pendingCode = back.searchParams.get('code')
  }
}

/** Connects, finishing the authorization when the server asks for it (the SDK's own pattern). */
async function connect(serverUrl, provider) {
  for (let attempt = 0; attempt < 2; attempt++) {
    const transport = new StreamableHTTPClientTransport(new URL(serverUrl), { authProvider: provider })
    const client = new Client({ name: 'headless', version: '1.0.0' })
    try {
      await client.connect(transport)
      return { client, transport }
    } catch (error) {
      if (!(error instanceof UnauthorizedError) || !provider.pendingCode) throw error
      const code = provider.pendingCode
      provider.pendingCode = undefined
      await transport.finishAuth(code)
    }
  }
  throw new Error('could not connect')
}

/** A tool call that steps up once when the server answers 403 insufficient_scope. */
async function callTool(ctx, provider, params) {
  try {
    return await ctx.client.callTool(params)
  } catch (error) {
    if (!(error instanceof UnauthorizedError) || !provider.pendingCode) throw error
    const code = provider.pendingCode
    provider.pendingCode = undefined
    await ctx.transport.finishAuth(code)
    return ctx.client.callTool(params)
  }
}

/** Listens on a free port first, so that the MCP server's URL (its port) is known before it is registered. */
async function listen(t) {
  let handler = (req, res) => res.writeHead(503).end()
  const server = http.createServer((req, res) => handler(req, res))
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  return { url: `http://127.0.0.1:${server.address().port}`, serve: (h) => { handler = h } }
}

async function setUp(t, adapter) {
  const emulator = await ScalekitEmulator.start()
  t.teardown(() => emulator.stop())
  emulator.seedOrganization({ displayName: 'Acme', users: [{ email: 'ada@acme.test' }] })
  emulator.setLoginUser('ada@acme.test')
  const host = await listen(t)
  const serverUrl = `${host.url}/mcp`
  const registered = emulator.mcp.createServer({ name: 'Todos', serverUrl, scopes: ['todo:read', 'todo:write'] })
  host.serve(createMcpApp({ environmentUrl: emulator.url, resourceId: registered.resourceId, serverUrl, adapter }))
  return { emulator, host, serverUrl, resourceId: registered.resourceId }
}

for (const adapter of ['express', 'node']) {
  test(`${adapter}: the official MCP client discovers, registers, authorizes, calls a tool, and steps up on 403`, async (t) => {
    const { emulator, serverUrl, resourceId } = await setUp(t, adapter)
    // The first grant leaves out the write scope, as a user unticking it would; then everything is granted.
    let grants = 0
    emulator.mcp.setConsent((request) => (grants++ === 0 ? request.requestedScopes.filter((s) => s !== 'todo:write') : true))
    const provider = new HeadlessProvider()
    const ctx = await connect(serverUrl, provider)
    t.teardown(() => ctx.client.close())
    t.regex(provider.client.client_id, /^m2m_/, 'registered by DCR')
    const [first] = provider.authorizeUrls
    t.is(first.searchParams.get('resource'), serverUrl, 'resource (RFC 8707) names the MCP server')
    t.is(first.searchParams.get('code_challenge_method'), 'S256')

    const listed = await callTool(ctx, provider, { name: 'list_todos', arguments: {} })
    const seen = JSON.parse(listed.content[0].text)
    t.deepEqual(seen.scopes, ['todo:read'])
    t.is(seen.client, provider.client.client_id, 'the tool sees who called (extra.authInfo)')
    t.regex(seen.caller, /^usr_/)

    const created = await callTool(ctx, provider, { name: 'create_todo', arguments: { title: 'ship it' } })
    t.is(created.content[0].text, 'added ship it', 'after a 403 insufficient_scope, the client stepped up and succeeded')
    t.is(provider.authorizeUrls.length, 2)
    t.deepEqual(provider.authorizeUrls[1].searchParams.get('scope').split(' ').sort(), ['todo:read', 'todo:write'], 'the challenge kept the granted scope')
    const requests = emulator.mcp.authorizationRequests()
    t.deepEqual(requests.map((r) => r.grantedScopes), [['todo:read'], ['todo:read', 'todo:write']])
    t.true(requests.every((r) => r.resourceId === resourceId && r.codeChallengeMethod === 'S256' && r.outcome === 'granted'))
    t.is(emulator.mcp.clients().filter((c) => c.kind === 'dcr').length, 1)
  })

  test(`${adapter}: each answer of the MCP authorization spec`, async (t) => {
    const { emulator, host, serverUrl, resourceId } = await setUp(t, adapter)
    const post = (headers = {}, body = { jsonrpc: '2.0', id: 1, method: 'tools/list' }, url = serverUrl) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(body) })
    const bearer = (token) => ({ authorization: `Bearer ${token}` })
    const metadataUrl = `${host.url}/.well-known/oauth-protected-resource/mcp`

    // No token: 401 with an absolute resource_metadata and the scopes to ask for.
    const none = await post()
    t.is(none.status, 401)
    t.is(none.headers.get('www-authenticate'), `Bearer scope="todo:read todo:write", resource_metadata="${metadataUrl}"`)
    t.is(none.headers.get('cache-control'), 'no-store')
    t.regex(none.headers.get('access-control-expose-headers'), /WWW-Authenticate/)

    // The metadata: public, CORS-open, cacheable, at the path-suffixed and the root forms.
    for (const url of [metadataUrl, `${host.url}/.well-known/oauth-protected-resource`]) {
      const metadata = await fetch(url)
      t.is(metadata.status, 200)
      t.is(metadata.headers.get('access-control-allow-origin'), '*')
      t.regex(metadata.headers.get('cache-control'), /max-age/)
      t.deepEqual(await metadata.json(), { resource: serverUrl, authorization_servers: [`${emulator.url}/resources/${resourceId}`], bearer_methods_supported: ['header'], scopes_supported: ['todo:read', 'todo:write'], resource_name: 'Todos' })
    }

    // A valid token with read scope passes; the write tool needs todo:write: 403 with the scope to step up to.
    const reader = emulator.mcp.mintAccessToken({ resourceId, scopes: ['todo:read'], subject: 'usr_1' })
    t.is((await post(bearer(reader))).status, 200)
    const forbidden = await post(bearer(reader), { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'create_todo', arguments: { title: 'x' } } })
    t.is(forbidden.status, 403)
    t.is(forbidden.headers.get('www-authenticate'), `Bearer error="insufficient_scope", error_description="this request needs the scope todo:write", scope="todo:read todo:write", resource_metadata="${metadataUrl}"`)
    // In a JSON-RPC batch too.
    const batch = [{ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_todos', arguments: {} } }, { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'create_todo', arguments: { title: 'y' } } }]
    t.is((await post(bearer(reader), batch)).status, 403)

    // Bad, expired, other-audience tokens: 401 invalid_token.
    const other = emulator.mcp.createServer({ name: 'Other', serverUrl: 'http://127.0.0.1:1/mcp', scopes: ['todo:read'] })
    const invalid = [
      emulator.mcp.mintAccessToken({ resourceId: other.resourceId, scopes: ['todo:read'] }),
      emulator.mcp.mintAccessToken({ resourceId, scopes: ['todo:read'], expiresInSeconds: -60 }),
      emulator.mcp.mintAccessToken({ resourceId, scopes: ['todo:read'], claims: { aud: [resourceId] } }),
      `${reader.slice(0, -8)}AAAAAAAA`,
    ]
    for (const token of invalid) {
      const refused = await post(bearer(token))
      t.is(refused.status, 401)
      t.regex(refused.headers.get('www-authenticate'), new RegExp(`^Bearer error="invalid_token", error_description="[^"]+", scope="todo:read todo:write", resource_metadata="${metadataUrl}"$`))
    }
    // The resource form of the issuer, where Scalekit is moving, is accepted as well.
    emulator.mcp.configureServer(resourceId, { issuerForm: 'resource' })
    t.is((await post(bearer(emulator.mcp.mintAccessToken({ resourceId, scopes: ['todo:read'] })))).status, 200)

    // A token in the query string, or a malformed header: 400.
    t.is((await post({}, undefined, `${serverUrl}?access_token=${reader}`)).status, 400)
    t.is((await post({ authorization: 'Bearer' })).status, 400)
    t.is((await post({ authorization: `Bearer ${reader} extra` })).status, 400)
    t.is((await post({ authorization: 'Basic dXNlcjpwYXNz' })).status, 401)

    // A CORS preflight is answered without credentials.
    const preflight = await fetch(serverUrl, { method: 'OPTIONS', headers: { origin: 'https://inspector.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } })
    t.is(preflight.status, 204)
    t.regex(preflight.headers.get('access-control-allow-headers'), /Authorization/)
  })
}

test('keys that cannot be fetched are a 503, not a 401 that would send clients into a re-authorization loop', async (t) => {
  const emulator = await ScalekitEmulator.start()
  const registered = emulator.mcp.createServer({ name: 'Todos', serverUrl: 'http://127.0.0.1:1/mcp', scopes: ['todo:read'] })
  const token = emulator.mcp.mintAccessToken({ resourceId: registered.resourceId, scopes: ['todo:read'] })
  const environmentUrl = emulator.url
  await emulator.stop()
  const auth = new McpResourceServer({ environmentUrl, resourceId: registered.resourceId, serverUrl: 'http://127.0.0.1:1/mcp', timeoutMs: 2000 })
  const decision = await auth.decide('POST', '/mcp', `Bearer ${token}`, async () => ({ value: undefined }))
  t.is(decision.respond.status, 503)
  t.is(decision.respond.headers['retry-after'], '5')
})

test('fetch-style servers: a Response to send, or null and the caller', async (t) => {
  const emulator = await ScalekitEmulator.start()
  t.teardown(() => emulator.stop())
  const serverUrl = 'https://mcp.example.com/mcp'
  const { resourceId } = emulator.mcp.createServer({ name: 'Todos', serverUrl, scopes: ['todo:read', 'todo:write'] })
  const auth = new McpResourceServer({ environmentUrl: emulator.url, resourceId, serverUrl, toolScopes: { create_todo: ['todo:write'] } })
  const token = emulator.mcp.mintAccessToken({ resourceId, scopes: ['todo:read'], subject: 'usr_7' })
  const call = (name) => new Request(serverUrl, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name } }) })
  const allowed = call('list_todos')
  t.is(await auth.fetch(allowed), null)
  t.is(auth.authInfo(allowed).extra.subject, 'usr_7')
  t.is(allowed.auth.clientId, 'm2m_emulator_test_client')
  t.deepEqual(await allowed.json(), { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_todos' } }, 'the body is still there for the transport')
  const refused = await auth.fetch(call('create_todo'))
  t.is(refused.status, 403)
  t.regex(refused.headers.get('www-authenticate'), /insufficient_scope/)
  const metadata = await auth.fetch(new Request('https://mcp.example.com/.well-known/oauth-protected-resource/mcp'))
  t.is(metadata.status, 200)
  t.is((await metadata.json()).resource, serverUrl)
  t.is(await auth.fetch(new Request('https://mcp.example.com/health')), null, 'other paths are not the kit\'s')
})

test("verifyAccessToken plugs into the SDK's own requireBearerAuth: AuthInfo, and the SDK's 401 for a bad token", async (t) => {
  const emulator = await ScalekitEmulator.start()
  t.teardown(() => emulator.stop())
  const serverUrl = 'http://127.0.0.1:1/mcp'
  const { resourceId } = emulator.mcp.createServer({ name: 'Todos', serverUrl, scopes: ['todo:read'] })
  const auth = new McpResourceServer({ environmentUrl: emulator.url, resourceId, serverUrl })
  const app = express()
  app.get('/mcp', requireBearerAuth({ verifier: auth, requiredScopes: ['todo:read'] }), (req, res) => res.json({ clientId: req.auth.clientId, scopes: req.auth.scopes, resource: String(req.auth.resource) }))
  const server = http.createServer(app)
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  const url = `http://127.0.0.1:${server.address().port}/mcp`
  const good = await fetch(url, { headers: { authorization: `Bearer ${emulator.mcp.mintAccessToken({ resourceId, scopes: ['todo:read'] })}` } })
  t.deepEqual(await good.json(), { clientId: 'm2m_emulator_test_client', scopes: ['todo:read'], resource: serverUrl })
  const bad = await fetch(url, { headers: { authorization: `Bearer ${emulator.mcp.mintAccessToken({ resourceId, scopes: ['todo:read'], expiresInSeconds: -5 })}` } })
  t.is(bad.status, 401, 'the SDK maps our failure to its InvalidTokenError, not a 500')
  t.regex(bad.headers.get('www-authenticate'), /invalid_token/)
})

test('its options are checked before any network I/O', (t) => {
  const base = { environmentUrl: 'https://acme.scalekit.dev', resourceId: 'res_1', serverUrl: 'https://mcp.example.com/mcp' }
  for (const [options, field] of [
    [{ ...base, resourceId: '' }, 'resourceId'],
    [{ ...base, serverUrl: 'mcp' }, 'serverUrl'],
    [{ ...base, environmentUrl: 'http://acme.example' }, 'environmentUrl'],
    [{ ...base, scopesSupported: ['a b'] }, 'scopesSupported'],
    [{ ...base, toolScopes: { x: ['"'] } }, 'toolScopes'],
  ]) {
    t.is(t.throws(() => new McpResourceServer(options), { instanceOf: ScalekitValidationException }).field, field)
  }
  t.throws(() => new McpResourceServer(), { instanceOf: ScalekitValidationException })
})

test('examples/mcp-server.js runs against the emulator with one command', async (t) => {
  const { spawn } = require('node:child_process')
  const path = require('node:path')
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'examples', 'mcp-server.js')], { env: { ...process.env, PORT: '0', SCALEKIT_ENVIRONMENT_URL: '' }, stdio: ['ignore', 'pipe', 'inherit'] })
  t.teardown(() => child.kill('SIGKILL'))
  let output = ''
  const metadataUrl = await new Promise((resolve, reject) => {
    child.stdout.on('data', (data) => {
      output += data
      const found = /Its metadata: (\S+)/.exec(output)
      if (found) resolve(found[1])
    })
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)))
  })
  const metadata = await (await fetch(metadataUrl)).json()
  t.regex(metadata.authorization_servers[0], /\/resources\/res_/)
  const unauthorized = await fetch(metadata.resource, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  t.is(unauthorized.status, 401)
  child.kill('SIGTERM')
  t.is(await new Promise((resolve) => child.once('exit', resolve)), 0, 'it stops cleanly')
})
