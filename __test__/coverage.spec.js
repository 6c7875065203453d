'use strict'
// The official SDK's surface (spec/official-surface.json) against ours: every
// official method we have takes the official parameters in the official order,
// and the methods still missing are exactly the PENDING list, which may only
// shrink as the surface issues land.
const test = require('ava')
const surface = require('../spec/official-surface.json')
const binding = require('../binding.js')
const sk = require('..')

// Sub-clients in scope so far, by the official property name on ScalekitClient.
const IN_SCOPE = ['organization', 'user', 'domain', 'session', 'connection', 'directory', 'role', 'permission']

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
})

test('every method of every sub-client takes the per-request options last', (t) => {
  for (const [className, methods] of Object.entries(parameters)) {
    if (className === 'ScalekitClient' || className === 'ScalekitEmulator') continue
    for (const [method, params] of Object.entries(methods)) t.regex(params.at(-1), /^requestOptions\?: /, `${className}.${method}`)
  }
})

test('the official ScalekitClient helpers we have take the official parameters', (t) => {
  const helpers = surface.methods.filter((m) => m.client === 'ScalekitClient' && typeof client[m.method] === 'function')
  t.true(helpers.length >= 4, helpers.map((m) => m.method).join(', '))
  for (const m of helpers) {
    // The constructor's last, hidden parameter is the event sink that index.js passes.
    const ours = parameters.ScalekitClient[m.method].map((p) => p.split(/\??:/)[0]).filter((p) => p !== 'onEvent')
    t.deepEqual(ours, officialParameters(m.args), m.method)
  }
})
