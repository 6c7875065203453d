'use strict'
// scalekit-native/mcp: protect an MCP server with Scalekit. The decisions (metadata, token checks, scopes per tool,
// challenges) are native (McpResourceServerCore); this file reads requests and writes answers for node:http,
// Express and fetch-style servers.

const scalekit = require('../../index.js')

const { McpResourceServerCore, ScalekitValidateTokenFailureException, ScalekitValidationException } = scalekit

/** Request headers a browser-based MCP client sends, and response headers it must be able to read. */
const CORS_ALLOW_HEADERS = 'Authorization, Content-Type, Accept, Mcp-Session-Id, MCP-Protocol-Version, Last-Event-ID'
const CORS_EXPOSE_HEADERS = 'WWW-Authenticate, Mcp-Session-Id'
/** JSON-RPC bodies larger than this are refused (413) rather than read. */
const MAX_BODY_BYTES = 4 * 1024 * 1024
/** How long a client should wait after a 503 (the environment's keys could not be fetched). */
const RETRY_AFTER_SECONDS = 5
/** RFC 6750's b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i

const authInfos = new WeakMap()

/** An answer: status, headers and body (a string). */
function answer(status, headers, body) {
  return { status, headers: { 'access-control-allow-origin': '*', 'access-control-expose-headers': CORS_EXPOSE_HEADERS, ...headers }, body }
}

/** A JSON error body, never cached. */
function jsonError(status, error, description, headers = {}) {
  return answer(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }, JSON.stringify({ error, error_description: description }))
}

/** The tool names a JSON-RPC message or batch calls (`tools/call`). */
function calledTools(body) {
  const messages = Array.isArray(body) ? body : [body]
  const tools = []
  for (const message of messages) {
    if (message && typeof message === 'object' && message.method === 'tools/call' && typeof message.params?.name === 'string') tools.push(message.params.name)
  }
  return tools
}

/**
 * The MCP TypeScript SDK's `InvalidTokenError`, from the copy the app loaded (the SDK ships CommonJS and ESM
 * builds, and its `requireBearerAuth` tells errors apart with `instanceof`), or null when it is not installed.
 */
let sdkErrors
async function sdkInvalidTokenError(message) {
  if (sdkErrors === undefined) {
    sdkErrors = null
    const loadedByRequire = Object.keys(require.cache).some((file) => /[\\/]@modelcontextprotocol[\\/]sdk[\\/]dist[\\/]cjs[\\/]/.test(file))
    try {
      sdkErrors = loadedByRequire ? require('@modelcontextprotocol/sdk/server/auth/errors.js') : await import('@modelcontextprotocol/sdk/server/auth/errors.js')
    } catch {
      try {
        sdkErrors = require('@modelcontextprotocol/sdk/server/auth/errors.js')
      } catch {
        // Not installed: our own error stands.
      }
    }
  }
  return sdkErrors?.InvalidTokenError ? new sdkErrors.InvalidTokenError(message) : null
}

class McpResourceServer extends McpResourceServerCore {
  #metadataBody
  #metadataPaths
  #protectedPath

  /**
   * `new McpResourceServer({ environmentUrl, resourceId, serverUrl, scopesSupported, toolScopes, requiredScopes, … })`.
   * Checks its options (a typed error at once, no network I/O).
   */
  constructor(options) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new ScalekitValidationException('options must be an object: { environmentUrl, resourceId, serverUrl, … }', { field: 'options' })
    }
    super(options)
    this.#metadataBody = JSON.stringify(this.metadata)
    this.#metadataPaths = new Set(this.metadataPaths)
    this.#protectedPath = this.protectedPath
  }

  /** The RFC 9728 protected-resource metadata, as served. */
  protectedResourceMetadata() {
    return JSON.parse(this.#metadataBody)
  }

  /**
   * The MCP TypeScript SDK's `AuthInfo` of a bearer token: `{ token, clientId, scopes, expiresAt, resource, extra:
   * { subject, organizationId, sessionId, claims } }`, so that this plugs into the SDK's own `requireBearerAuth` as its
   * `verifier`. A token that does not verify throws the SDK's `InvalidTokenError` when the SDK is installed (a 401
   * there), else `ScalekitValidateTokenFailureException`; keys that cannot be fetched throw the transport error.
   */
  async verifyAccessToken(token) {
    try {
      return this.#authInfo(token, await this.verify(token))
    } catch (error) {
      if (error instanceof ScalekitValidateTokenFailureException) throw (await sdkInvalidTokenError(error.message)) ?? error
      throw error
    }
  }

  #authInfo(token, caller) {
    return {
      token,
      clientId: caller.clientId,
      scopes: caller.scopes,
      expiresAt: caller.expiresAt,
      resource: new URL(this.serverUrl),
      extra: { subject: caller.subject, organizationId: caller.organizationId, sessionId: caller.sessionId, claims: caller.claims },
    }
  }

  #protects(path) {
    const base = this.#protectedPath
    return base === '/' || path === base || path.startsWith(`${base}/`)
  }

  /**
   * What a request gets, whatever the framework: `{ respond }` (an answer to send), `{ auth }` (it may reach the MCP
   * server, as this caller), or `{}` (not a path of ours). `readBody()` gives the parsed JSON body when it is needed.
   */
  async decide(method, url, authorization, readBody) {
    const [path, query = ''] = url.split('?', 2)
    if (this.#metadataPaths.has(path)) {
      if (method === 'GET' || method === 'HEAD') {
        return { respond: answer(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=3600' }, method === 'HEAD' ? '' : this.#metadataBody) }
      }
      if (method === 'OPTIONS') return { respond: answer(204, { 'access-control-allow-methods': 'GET, HEAD, OPTIONS', 'access-control-allow-headers': CORS_ALLOW_HEADERS, 'access-control-max-age': '86400' }, '') }
      return { respond: jsonError(405, 'invalid_request', 'the metadata is read with GET', { allow: 'GET, HEAD, OPTIONS' }) }
    }
    if (!this.#protects(path)) return {}
    // A CORS preflight carries no credentials; answering it with 401 would keep browsers from ever sending them.
    if (method === 'OPTIONS') {
      return { respond: answer(204, { 'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS', 'access-control-allow-headers': CORS_ALLOW_HEADERS, 'access-control-max-age': '86400' }, '') }
    }
    if (new URLSearchParams(query).has('access_token')) {
      return { respond: jsonError(400, 'invalid_request', 'send the access token in the Authorization header, never in the URL') }
    }
    if (authorization === undefined || authorization === '') {
      return { respond: jsonError(401, 'invalid_token', 'an access token is required', { 'www-authenticate': this.challenge('no_token') }) }
    }
    const bearer = BEARER.exec(authorization)
    if (!bearer) {
      if (/^bearer\b/i.test(authorization)) return { respond: jsonError(400, 'invalid_request', "the Authorization header must be 'Bearer <token>'") }
      return { respond: jsonError(401, 'invalid_token', 'a bearer token is required', { 'www-authenticate': this.challenge('no_token') }) }
    }
    const token = bearer[1]
    let caller
    try {
      caller = await this.verify(token)
    } catch (error) {
      if (error instanceof ScalekitValidateTokenFailureException) {
        return { respond: jsonError(401, 'invalid_token', error.message, { 'www-authenticate': this.challenge('invalid_token', null, error.message) }) }
      }
      // The keys could not be had: a 401 would send clients into a re-authorization loop.
      return { respond: jsonError(503, 'temporarily_unavailable', 'the authorization server cannot be reached; try again', { 'retry-after': String(RETRY_AFTER_SECONDS) }) }
    }
    let tools = []
    if (method === 'POST') {
      const body = await readBody()
      if (body?.respond) return body
      tools = calledTools(body?.value)
    }
    const missing = this.missingScopes(caller.scopes, tools)
    if (missing.length > 0) {
      // The scopes already granted and those missing, so that a client stepping up keeps what it had.
      const scope = [...new Set([...caller.scopes, ...missing])]
      const description = `this request needs the scope${missing.length > 1 ? 's' : ''} ${missing.join(' ')}`
      return { respond: jsonError(403, 'insufficient_scope', description, { 'www-authenticate': this.challenge('insufficient_scope', scope, description) }) }
    }
    return { auth: this.#authInfo(token, caller) }
  }

  /**
   * node:http: answers the request when it is not for the MCP server (metadata, preflight, a challenge) and returns
   * true; otherwise sets `req.auth` (the SDK's `AuthInfo`, which its transport hands to tools as `extra.authInfo`) and
   * `req.body` (the parsed JSON-RPC body; pass it to `transport.handleRequest(req, res, req.body)`) and returns false.
   */
  async handle(req, res) {
    const url = req.originalUrl ?? req.url ?? '/'
    const decision = await this.decide(req.method ?? 'GET', url, req.headers?.authorization, () => nodeBody(req))
    if (decision.respond) {
      send(res, decision.respond)
      return true
    }
    if (decision.auth) req.auth = decision.auth
    return false
  }

  /** Express (or Connect) middleware: `app.use(auth.express())`. See `handle`. */
  express() {
    return (req, res, next) => {
      this.handle(req, res).then((answered) => {
        if (!answered) next()
      }, next)
    }
  }

  /**
   * Fetch-style servers (Hono, Bun, Deno, workers on Node): a `Response` to send, or null when the request may go on
   * to the MCP server, whose caller is then `auth.authInfo(request)` (also `request.auth`).
   */
  async fetch(request) {
    const url = new URL(request.url)
    const decision = await this.decide(request.method, `${url.pathname}${url.search}`, request.headers.get('authorization') ?? undefined, () => fetchBody(request))
    if (decision.respond) {
      const { status, headers, body } = decision.respond
      return new Response(status === 204 || body === '' ? null : body, { status, headers })
    }
    if (decision.auth) {
      authInfos.set(request, decision.auth)
      try {
        Object.defineProperty(request, 'auth', { value: decision.auth, configurable: true })
      } catch {
        // A frozen request: authInfo(request) still has it.
      }
    }
    return null
  }

  /** The caller `fetch(request)` let through. */
  authInfo(request) {
    return authInfos.get(request)
  }
}

function send(res, { status, headers, body }) {
  res.writeHead(status, headers)
  res.end(body)
}

const parseError = (description) => ({ respond: answer(400, { 'content-type': 'application/json', 'cache-control': 'no-store' }, JSON.stringify({ jsonrpc: '2.0', error: { code: -32700, message: description }, id: null })) })
const tooLarge = () => ({ respond: jsonError(413, 'invalid_request', `the body is over ${MAX_BODY_BYTES} bytes`) })

function parse(text) {
  if (text.trim() === '') return { value: undefined }
  try {
    return { value: JSON.parse(text) }
  } catch {
    return parseError('Parse error: the body is not JSON')
  }
}

/** The parsed body of a node:http request: Express's `req.body` when a body parser ran, else read (and kept in `req.body`). */
async function nodeBody(req) {
  if (req.body !== undefined) return { value: typeof req.body === 'string' ? parse(req.body).value : req.body }
  if (!/json/i.test(req.headers?.['content-type'] ?? '')) return { value: undefined }
  const chunks = []
  let size = 0
  for await (const chunk of req) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) return tooLarge()
    chunks.push(chunk)
  }
  const parsed = parse(Buffer.concat(chunks).toString('utf8'))
  if (!parsed.respond) req.body = parsed.value
  return parsed
}

/** The parsed body of a fetch `Request`, read from a clone so that the MCP transport can still read it. */
async function fetchBody(request) {
  if (!/json/i.test(request.headers.get('content-type') ?? '')) return { value: undefined }
  const declared = Number(request.headers.get('content-length'))
  if (declared > MAX_BODY_BYTES) return tooLarge()
  const text = await request.clone().text()
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return tooLarge()
  return parse(text)
}

exports.McpResourceServer = McpResourceServer
