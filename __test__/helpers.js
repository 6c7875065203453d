'use strict'
const net = require('node:net')
const { ScalekitClient } = require('..')
const { ScalekitEmulator } = require('../testing')
const { loadSpec, validateExchange } = require('./conformance/validate')

let spec
/** Every recorded exchange checked against Scalekit's public OpenAPI spec. */
function conformanceProblems(emulator) {
  spec ??= loadSpec()
  const problems = []
  for (const r of emulator.requests()) {
    // The token endpoint is not in the public spec (REFERENCE.md §2).
    if (r.path === '/oauth/token') continue
    const exchange = { method: r.method, path: r.path, query: r.query ?? null, requestBody: r.requestBody ?? null, status: r.status, responseBody: r.responseBody ?? null }
    for (const problem of validateExchange(spec, exchange).problems) {
      // A raw request the server rejected may be malformed on purpose (a test of the emulator's validation);
      // the SDK's own requests and every answer must always conform.
      const fromSdk = r.userAgent?.startsWith('scalekit-native/')
      if (!fromSdk && r.status >= 400 && /^(request|query)\b/.test(problem)) continue
      problems.push(`${r.method} ${r.path} -> ${r.status}: ${problem}`)
    }
  }
  return problems
}

/**
 * Starts an emulator for one test and stops it when the test ends. Unless
 * `checkConformance: false`, every request the test sent and every answer it
 * got are then validated against the public OpenAPI spec, failing the test.
 */
async function startEmulator(t, { checkConformance = true, ...options } = {}) {
  const emulator = await ScalekitEmulator.start({ recordBodies: checkConformance, ...options })
  t.teardown(async () => {
    let problems = []
    try {
      problems = checkConformance ? conformanceProblems(emulator) : []
    } catch (error) {
      // A test may have stopped the emulator itself; anything else (such as a missing spec) must fail the test.
      if (!/stopped/.test(error.message)) throw error
    }
    await emulator.stop()
    if (problems.length > 0) throw new Error(`not conformant to the OpenAPI spec:\n${problems.join('\n')}`)
  })
  return emulator
}

/** A raw REST caller with a cached token, for endpoints the SDK does not wrap yet. */
function restFor(emulator) {
  let token
  return async (method, path, body) => {
    token ??= (
      await (
        await fetch(`${emulator.url}/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'client_credentials', client_id: emulator.clientId, client_secret: emulator.clientSecret }),
        })
      ).json()
    ).access_token
    const headers = { authorization: `Bearer ${token}` }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const response = await fetch(`${emulator.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await response.text()
    return { status: response.status, body: text ? JSON.parse(text) : null }
  }
}

function clientFor(emulator, options) {
  return new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret, options)
}

/** The client addon's classes that are not sub-clients of ScalekitClient (constructed on their own). */
const STANDALONE_CLASSES = ['ScalekitClient', 'McpResourceServerCore', 'SessionSealer']

const tokenRequests = (emulator) => emulator.requests().filter((r) => r.path === '/oauth/token').length

/** A loopback port nothing listens on. */
async function closedPort() {
  const server = net.createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** The last request the emulator got (not a token request), with its parsed body. */
function lastRequest(emulator) {
  const r = emulator.requests().filter((x) => x.path !== '/oauth/token').at(-1)
  return { method: r.method, path: r.path, query: r.query ?? null, body: r.requestBody ? JSON.parse(r.requestBody) : null, status: r.status }
}

/**
 * A tiny browser over fetch: one cookie jar (a Set-Cookie with Max-Age=0 deletes), redirects followed by hand (a
 * 303 becomes a GET), every hop recorded as `METHOD /path STATUS`.
 */
function browser() {
  const cookies = new Map()
  const hops = []
  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  function store(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';')
      const at = pair.indexOf('=')
      const name = pair.slice(0, at).trim()
      if (attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))) cookies.delete(name)
      else cookies.set(name, pair.slice(at + 1).trim())
    }
  }
  /**
   * One request, no redirect followed. Over node:http rather than fetch, which always sends its own
   * `Sec-Fetch-Mode: cors`: here a test says what a browser would (`navigate` for a page).
   */
  async function send(url, init = {}) {
    const { status, headers, body } = await new Promise((resolve, reject) => {
      const request = require('node:http').request(url, { method: init.method ?? 'GET', headers: { cookie: cookieHeader(), ...init.headers } }, (res) => {
        const parts = []
        res.on('data', (part) => parts.push(part))
        res.on('end', () => resolve({ status: res.statusCode, headers: res.rawHeaders, body: Buffer.concat(parts) }))
        res.on('error', reject)
      })
      request.on('error', reject)
      request.end(init.body)
    })
    const pairs = []
    for (let i = 0; i < headers.length; i += 2) pairs.push([headers[i], headers[i + 1]])
    const response = new Response([204, 304].includes(status) ? null : body, { status, headers: pairs })
    store(response)
    hops.push(`${init.method ?? 'GET'} ${new URL(url).pathname} ${response.status}`)
    return response
  }
  /** A request and the redirects after it. */
  async function go(url, init = {}) {
    for (let i = 0; i < 10; i++) {
      const response = await send(url, init)
      const location = response.headers.get('location')
      if (response.status < 300 || response.status >= 400 || !location) return response
      url = new URL(location, url).href
      init = { headers: init.headers?.['sec-fetch-mode'] ? { 'sec-fetch-mode': init.headers['sec-fetch-mode'] } : {} }
    }
    throw new Error('too many redirects')
  }
  return { go, send, cookies, hops, cookieHeader }
}

/**
 * A node:http server on a free loopback port, closed when the test ends. `handlerFor(base)` makes the request
 * listener once the app's own URL (`http://127.0.0.1:<port>`, for redirect URIs) is known. Resolves to that URL.
 */
async function serveApp(t, handlerFor) {
  const server = require('node:http').createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  const base = `http://127.0.0.1:${server.address().port}`
  server.on('request', handlerFor(base))
  return base
}

module.exports = { STANDALONE_CLASSES, startEmulator, restFor, clientFor, tokenRequests, closedPort, conformanceProblems, lastRequest, browser, serveApp }
