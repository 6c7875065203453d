'use strict'
// The official SDK's surface (spec/official-surface.json) against ours: every
// official method we have takes the official parameters in the official order,
// and the methods still missing are exactly the PENDING list, which may only
// shrink as the surface issues land.
const test = require('ava')
const surface = require('../spec/official-surface.json')
const binding = require('../native.js').client()
const sk = require('..')
const { STANDALONE_CLASSES } = require('./helpers')

// Sub-clients in scope so far, by the official property name on ScalekitClient.
const IN_SCOPE = [
  'organization', 'user', 'domain', 'session', 'connection', 'directory', 'role', 'permission',
  'passwordless', 'webauthn', 'token', 'm2m', 'auth', 'events', 'tools', 'connectedAccounts', 'actions',
]

// Official methods in scope that are not built yet.
const PENDING = new Set([])

/** Top-level parameter names of an official signature such as `name: string, options?: { a?: string; b?: string }`. */
function officialParameters(args) {
  const names = []
  let depth = 0
  let current = ''
  // A generic signature is written `<T>(token: string, …)`.
  const plain = args.replace(/\/\*.*?\*\//g, '').replace(/^<\w+>\((.*)\)$/, '$1')
  for (const ch of plain) {
    if ('{[(<'.includes(ch)) depth++
    if ('}])>'.includes(ch)) depth--
    if (ch === ',' && depth === 0) {
      names.push(current)
      current = ''
    } else current += ch
  }
  if (current.trim()) names.push(current)
  return names.map((p) => p.trim().match(/^(\w+)/)[1])
}

const client = new sk.ScalekitClient('https://acme.scalekit.dev', 'skc_1', 'secret')
const parameters = binding.__jsParameters()

test('official methods in scope exist with the official parameters, or are pending', (t) => {
  const missing = []
  let checked = 0
  for (const m of surface.methods.filter((x) => IN_SCOPE.includes(x.client))) {
    const key = `${m.client}.${m.method}`
    const sub = client[m.client]
    if (!sub || typeof sub[m.method] !== 'function') {
      missing.push(key)
      continue
    }
    const ours = parameters[sub.constructor.name][m.method].map((p) => p.split(/\??:/)[0]).filter((p) => p !== 'requestOptions')
    // The official parameters in order; an extra optional one may follow (e.g. generatePortalLink's options).
    const official = officialParameters(m.args)
    t.deepEqual(ours.slice(0, official.length), official, `${key}: the official parameters, in order`)
    t.true(ours.length - official.length <= 1, `${key}: at most one extra parameter`)
    t.false(PENDING.has(key), `${key} is built: take it off PENDING`)
    checked++
  }
  t.deepEqual(missing.sort(), [...PENDING].sort(), 'missing methods are exactly the pending ones')
  t.true(checked >= 10, `${checked} methods checked`)
  t.is(checked + missing.length, surface.counts._subClientTotal, 'every official sub-client method is in scope')
})

test('every method of every sub-client takes the per-request options last', (t) => {
  for (const [className, methods] of Object.entries(parameters)) {
    if (STANDALONE_CLASSES.includes(className)) continue
    for (const [method, params] of Object.entries(methods)) t.regex(params.at(-1), /^requestOptions\?: /, `${className}.${method}`)
  }
})

test('the official ScalekitClient helpers we have take the official parameters', (t) => {
  const helpers = surface.methods.filter((m) => m.client === 'ScalekitClient' && typeof client[m.method] === 'function')
  t.true(helpers.length >= 4, helpers.map((m) => m.method).join(', '))
  for (const m of helpers) {
    // The constructor's last, hidden parameter is the event sink that index.js passes.
    const ours = parameters.ScalekitClient[m.method].map((p) => p.split(/\??:/)[0]).filter((p) => p !== 'onEvent' && p !== 'parent')
    t.deepEqual(ours, officialParameters(m.args), m.method)
  }
})

// Operations of the public spec the official SDK does not wrap (or wraps under another path), with the
// method that reaches each here. Every other operation is reached by the official method of its path.
const EXTRA_OPERATIONS = {
  ConnectedAccountService_GetConnectedAccountDetails: 'connectedAccounts.getConnectedAccountDetails',
  ConnectedAccountService_SearchConnectedAccounts: 'connectedAccounts.searchConnectedAccounts',
  ProviderService_CreateCustomProvider: 'providers.createCustomProvider',
  ProviderService_UpdateCustomProvider: 'providers.updateCustomProvider',
  ProviderService_DeleteCustomProvider: 'providers.deleteCustomProvider',
  AuditLogsService_ListAuthRequests: 'auditLogs.listAuthRequests',
  McpService_ListMcpConfigs: 'mcp.listMcpConfigs',
  McpService_CreateMcpConfig: 'mcp.createMcpConfig',
  McpService_GetMcpConfig: 'mcp.getMcpConfig',
  McpService_UpdateMcpConfig: 'mcp.updateMcpConfig',
  McpService_DeleteMcpConfig: 'mcp.deleteMcpConfig',
  McpService_ListMcpConnectedAccounts: 'mcp.listMcpConnectedAccounts',
  McpService_CreateMcpSessionToken: 'mcp.createMcpSessionToken',
  RolesService_UpdateDefaultRoles2: 'role.setDefaultRoles',
}

const routeKey = (method, path) => `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`

test('every operation of the vendored public spec has a client method', (t) => {
  const spec = require('../spec/scalekit.openapi.json')
  // Official methods by the route they call (composite ones call several).
  const byRoute = new Map()
  for (const m of surface.methods.filter((x) => x.client !== 'ScalekitClient')) {
    for (const line of String(m.http ?? '').split(/<br>|\n/)) {
      const match = /^(GET|POST|PUT|PATCH|DELETE)\s+`?([^`\s]+)`?/.exec(line.trim())
      if (match) byRoute.set(routeKey(match[1], match[2]), [...(byRoute.get(routeKey(match[1], match[2])) ?? []), `${m.client}.${m.method}`])
    }
    if (m.http && m.path) byRoute.set(routeKey(m.http, m.path), [...(byRoute.get(routeKey(m.http, m.path)) ?? []), `${m.client}.${m.method}`])
  }
  const unreached = []
  let operations = 0
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters') continue
      operations++
      const candidates = [...(byRoute.get(routeKey(method, path)) ?? []), ...(EXTRA_OPERATIONS[op.operationId] ? [EXTRA_OPERATIONS[op.operationId]] : [])]
      const reached = candidates.filter((name) => {
        const [sub, fn] = name.split('.')
        return typeof client[sub]?.[fn] === 'function'
      })
      if (reached.length === 0) unreached.push(`${op.operationId} (${method.toUpperCase()} ${path})`)
    }
  }
  t.true(operations > 100, `${operations} operations read`)
  t.deepEqual(unreached, [], 'operations without a client method')
  for (const name of Object.values(EXTRA_OPERATIONS)) {
    const [sub, fn] = name.split('.')
    t.is(typeof client[sub]?.[fn], 'function', name)
  }
})
