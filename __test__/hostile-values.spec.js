'use strict'
// Hostile JavaScript values at the boundary, as property tests (issue 26, item 3): every public method of every
// sub-client, the client's own methods, the constructor, withOptions, the per-request options and the paginators
// get getters that throw, Proxies (traps that throw or lie), `__proto__` and `constructor` keys, huge strings and
// arrays, lone surrogates, cyclic objects, BigInt, Symbol and functions where strings go, and options of the wrong
// type. Each call settles in time with its result, a typed ScalekitException, or the caller's own error passed
// through; a value of the wrong JS type is a ScalekitValidationException naming it, with nothing sent; no message
// holds a secret or a planted value; no built-in prototype changes. Results built from server JSON with
// `__proto__` keys keep them as data (an own key) or drop them, never as a prototype.
//
// Deterministic: every property runs from a seed made of SEED and its name (HOSTILE_SEED=<n> to try others,
// HOSTILE_RUNS=<factor> for more runs, HOSTILE_DEBUG=1 to print calls slower than 50 ms); a failure prints the
// seed, the path and the counterexample, which `fc.assert(…, { seed, path })` replays.
const test = require('ava')
const fc = require('fast-check')
const crypto = require('node:crypto')
const util = require('node:util')
const sk = require('..')
const native = require('../native.js')
const { startEmulator, STANDALONE_CLASSES } = require('./helpers')

const binding = native.client()
const SIGNATURES = binding.__jsParameters()
const ASYNC = binding.__jsAsyncMethods()
const SEED = Number(process.env.HOSTILE_SEED ?? 20261226)
const RUNS = Number(process.env.HOSTILE_RUNS ?? 1)
const CALL_LIMIT_MS = 5000
const CLIENT_SECRET = 'sk_emu_SECRET_5f0c1a2b3c4d'
// Planted in values of the wrong type: an error that shows it echoed the value.
const MARK = 'sk_live_PLANTED_9e8d7c'

/** The caller's own failure, thrown from a getter or a Proxy trap: it may pass through unchanged. */
class CallerError extends Error {}
const callerError = () => new CallerError('thrown by the caller\'s own getter')
const HANG = Symbol('hang')

/** The seed of one property: SEED mixed with its name, so that each method gets its own values. */
function seedOf(name) {
  let hash = SEED | 0
  for (const c of name) hash = Math.imul(hash ^ c.charCodeAt(0), 0x01000193)
  return hash
}

/**
 * Runs a property named `name` (`runs` scaled by HOSTILE_RUNS); a failure is reported with its seed and replay
 * path (fast-check's report has both) and the error that failed it.
 */
async function check(t, name, property, runs) {
  const seed = seedOf(name)
  try {
    await fc.assert(property, { seed, numRuns: Math.max(1, Math.round(runs * RUNS)), endOnFailure: true, includeErrorInReport: true })
  } catch (error) {
    t.log(`${name}: seed ${seed}, from HOSTILE_SEED=${SEED} (npx ava ${__filename})`)
    throw error
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Hostile values. Each is { name, make, kind, traps }: `make` builds a fresh value (cyclic objects and Proxies are
// not shared between runs); `kind` says what a call may do with it:
//   wrong   its JS type is not one the parameter takes: a ScalekitValidationException naming it, nothing sent
//   caller  may throw the caller's own error: that error, a typed exception, or a result
//   any     a value of an accepted type, however odd: a result or a typed exception
// `traps`: your code runs when it is read (a Proxy, a getter), so the caller's own error may also come back when
// it sits inside an object, where napi-rs reads (and stringifies) it.
// ---------------------------------------------------------------------------------------------------------------

const h = (kind, name, make, traps = false) => ({ kind, name, make, traps })
const KB = 1024
const MB = 1024 * KB

const throwingTraps = () => new Proxy({}, Object.fromEntries(
  ['get', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'set', 'defineProperty', 'deleteProperty', 'isExtensible', 'preventExtensions', 'setPrototypeOf', 'apply', 'construct']
    .map((trap) => [trap, () => { throw callerError() }]),
))
const revokedProxy = () => {
  const { proxy, revoke } = Proxy.revocable({}, {})
  revoke()
  return proxy
}
/** Every read answers something else; ownKeys names keys that are not there; the prototype claims to be Array's. */
const lyingProxy = () => {
  let reads = 0
  const answers = [MARK, 5, undefined, null, {}, [], true, 10n, Symbol('lie'), () => MARK]
  const next = () => answers[reads++ % answers.length]
  return new Proxy({}, {
    get: (_, key) => (key === Symbol.toPrimitive || key === 'toJSON' || key === 'then' ? undefined : next()),
    has: () => true,
    ownKeys: () => ['pageSize', 'pageToken', 'email', 'name', 'displayName', 'metadata', 'headers', 'timeoutMs'],
    getOwnPropertyDescriptor: () => ({ value: next(), enumerable: true, configurable: true, writable: true }),
    getPrototypeOf: () => Array.prototype,
  })
}
const cyclic = () => {
  const value = { name: 'cyclic', displayName: 'cyclic', email: 'a@example.com' }
  value.self = value
  value.metadata = { back: value }
  value.externalId = value
  value.list = [value]
  return value
}
const deep = (levels) => () => {
  const root = {}
  let at = root
  for (let i = 0; i < levels; i++) at = at.a = {}
  return root
}
// Keys the methods' options commonly have: hostile values go there so that they are read.
const COMMON_KEYS = ['pageSize', 'pageToken', 'externalId', 'metadata', 'email', 'name', 'displayName', 'description', 'userProfile', 'membership', 'roles', 'filter', 'identifier', 'connector', 'organizationId', 'userId', 'domainType', 'toolName', 'params', 'scopes', 'state', 'features', 'connectedAccount', 'apiConfig']
const filled = (value) => () => Object.fromEntries(COMMON_KEYS.map((k) => [k, typeof value === 'function' ? value() : value]))
const withGetters = () => Object.defineProperties({}, Object.fromEntries(COMMON_KEYS.map((k) => [k, { get: () => { throw callerError() }, enumerable: true }])))
const protoJson = () => JSON.parse(`{"__proto__": {"polluted": true, "pageSize": "${MARK}"}, "constructor": {"prototype": {"polluted": true}}, "prototype": {"polluted": true}, "metadata": {"__proto__": "x", "constructor": "y"}}`)

const LONE_SURROGATES = ['\uD800', '\uDFFF', 'a\uD83Db', '\uDC00\uD800', `${'x'.repeat(1000)}\uD800`]
const ODD_STRINGS = [
  h('any', 'empty string', () => ''),
  h('any', 'NUL inside', () => 'a\u0000b'),
  h('any', 'CRLF header injection', () => 'x\r\nx-injected: 1\r\n\r\n'),
  h('any', 'path traversal', () => '../../../admin/%2e%2e/?a=b#c'),
  h('any', '__proto__', () => '__proto__'),
  h('any', 'constructor', () => 'constructor'),
  h('any', 'emoji and RTL override', () => '😀\u202Eevil'),
  h('any', 'long string (64 kB)', () => 'a'.repeat(64 * KB)),
  ...LONE_SURROGATES.map((s, i) => h('any', `lone surrogate ${i}`, () => s)),
]
const WRONG_FOR_STRING = [
  h('wrong', 'number', () => 5),
  h('wrong', 'NaN', () => Number.NaN),
  h('wrong', 'boolean', () => true),
  h('wrong', 'BigInt', () => 12345678901234567890n),
  h('wrong', 'Symbol', () => Symbol(MARK)),
  h('wrong', 'function', () => function planted() { return MARK }),
  h('wrong', 'arrow function', () => () => MARK),
  h('wrong', 'object with toString', () => ({ toString: () => MARK, valueOf: () => MARK })),
  h('wrong', 'object with a throwing toJSON', () => ({ toJSON() { throw callerError() } }), true),
  h('wrong', 'String object', () => new String(MARK)), // eslint-disable-line no-new-wrappers
  h('wrong', 'array of the string', () => [MARK]),
  h('wrong', 'sparse huge array', () => new Array(2 ** 32 - 1)),
  h('wrong', 'Date', () => new Date()),
  h('wrong', 'Object.create(null)', () => Object.create(null)),
  h('wrong', 'object holding a BigInt', () => ({ a: 1n, secret: MARK })),
  h('wrong', 'deep object (100 000 levels)', deep(100_000)),
  h('wrong', 'Proxy with throwing traps', throwingTraps, true),
  h('wrong', 'revoked Proxy', revokedProxy),
  h('wrong', 'lying Proxy', lyingProxy, true),
  h('wrong', 'cyclic object', cyclic),
]
const ODD_NUMBERS = [
  h('any', 'NaN', () => Number.NaN),
  h('any', 'Infinity', () => Number.POSITIVE_INFINITY),
  h('any', '-Infinity', () => Number.NEGATIVE_INFINITY),
  h('any', '-0', () => -0),
  h('any', '1e308', () => 1e308),
  h('any', '-1', () => -1),
  h('any', '2^53 + 2', () => 2 ** 53 + 2),
  h('any', '0.5', () => 0.5),
  h('any', 'MIN_VALUE', () => Number.MIN_VALUE),
]
const WRONG_FOR_NUMBER = [
  h('wrong', 'numeric string', () => '10'),
  h('wrong', 'planted string', () => MARK),
  h('wrong', 'BigInt', () => 10n),
  h('wrong', 'Symbol', () => Symbol(MARK)),
  h('wrong', 'function', () => () => 1),
  h('wrong', 'object with valueOf', () => ({ valueOf: () => 1, secret: MARK })),
  h('wrong', 'Number object', () => new Number(1)), // eslint-disable-line no-new-wrappers
  h('wrong', 'array', () => [1]),
  h('wrong', 'boolean', () => true),
  h('wrong', 'cyclic object', cyclic),
]
const HOSTILE_OBJECTS = [
  h('any', 'empty object', () => ({})),
  h('any', '__proto__ and constructor keys (JSON.parse)', protoJson),
  h('any', 'Object.create(null)', () => Object.create(null)),
  h('any', 'inherited fields', () => Object.create({ pageSize: MARK, email: 'a@example.com', headers: MARK })),
  h('any', 'cyclic object', cyclic),
  h('any', 'one deep object (100 000 levels) in every common key', () => filled(deep(100_000)())()),
  h('any', 'frozen object', () => Object.freeze({ name: 'x' })),
  h('any', 'lone surrogates in every common key', filled('\uD800x\uDFFF')),
  h('any', 'BigInt in every common key', filled(10n)),
  h('any', 'objects holding a BigInt in every common key', filled(() => ({ a: 1n }))),
  h('any', 'Symbol in every common key', filled(() => Symbol(MARK))),
  h('any', 'functions in every common key', filled(() => () => MARK)),
  h('any', 'revoked Proxies in every common key', filled(revokedProxy)),
  h('any', 'sparse huge arrays in every common key', filled(() => new Array(2 ** 32 - 1))),
  h('any', 'nested __proto__ in every common key', filled(protoJson)),
  h('any', 'Proxy over an object', () => new Proxy({ name: 'x', email: 'a@example.com' }, {})),
  h('caller', 'lying Proxy', lyingProxy),
  h('caller', 'Proxy with throwing traps', throwingTraps),
  h('caller', 'getters that throw on every common key', withGetters),
  h('caller', 'throwing toJSON in every common key', filled(() => ({ toJSON() { throw callerError() } }))),
  h('wrong', 'revoked Proxy', revokedProxy),
]
const WRONG_FOR_OBJECT = [
  h('wrong', 'string', () => MARK),
  h('wrong', 'number', () => 5),
  h('wrong', 'boolean', () => true),
  h('wrong', 'BigInt', () => 10n),
  h('wrong', 'Symbol', () => Symbol(MARK)),
  h('wrong', 'function', () => () => MARK),
  h('wrong', 'array', () => [MARK]),
  h('wrong', 'empty array', () => []),
]
const HOSTILE_ARRAYS = [
  h('any', 'empty array', () => []),
  h('any', 'array of lone surrogates', () => [...LONE_SURROGATES]),
  h('any', 'array of wrong types', () => [MARK, 5, 10n, Symbol(MARK), () => MARK, null, {}]),
  h('any', 'cyclic array', () => { const a = ['x']; a.push(a); return a }),
  h('any', 'array with __proto__ objects', () => [protoJson(), protoJson()]),
  h('any', 'sparse huge array', () => new Array(2 ** 32 - 1)),
  h('caller', 'array with a throwing getter', () => { const a = ['x', 'y']; Object.defineProperty(a, 1, { get: () => { throw callerError() } }); return a }),
  h('caller', 'Proxy over an array, throwing', () => new Proxy(['x'], { get: (target, key) => { if (key === 'length') return 3; throw callerError() } })),
  h('any', 'Proxy over an array, lying about its length', () => new Proxy(['x'], { get: (target, key) => (key === 'length' ? 2 ** 32 - 1 : target[key]) })),
]
const WRONG_FOR_ARRAY = [
  h('wrong', 'string', () => MARK),
  h('wrong', 'number', () => 5),
  h('wrong', 'BigInt', () => 10n),
  h('wrong', 'Symbol', () => Symbol(MARK)),
  h('wrong', 'function', () => () => MARK),
  h('wrong', 'array-like object', () => ({ length: 2, 0: MARK, 1: MARK })),
]
// Big values, in their own property (each costs milliseconds to convert in a debug build).
const HUGE = {
  'a string': [
    h('any', 'huge string (2 MB)', () => 'a'.repeat(2 * MB)),
    h('any', 'huge string ending in a lone surrogate (1 MB)', () => `${'é'.repeat(MB / 2)}\uD800`),
  ],
  'an object': [
    h('any', 'huge strings in every common key (256 kB each)', filled(() => 'a'.repeat(256 * KB))),
    h('any', 'huge arrays in every common key (20 000 each)', filled(() => Array.from({ length: 20_000 }, (_, i) => `s${i}`))),
  ],
  'an array': [
    h('any', 'huge array of strings (200 000)', () => Array.from({ length: 200_000 }, (_, i) => `s${i}`)),
    h('any', 'array of huge strings', () => ['a'.repeat(MB), 'b'.repeat(MB)]),
  ],
  'a Buffer': [h('any', 'huge Buffer (2 MB)', () => Buffer.alloc(2 * MB, 0xff))],
}

const random = {
  string: fc.string({ unit: 'binary', maxLength: 40 }).map((s) => h('any', `random string ${JSON.stringify(s)}`, () => s)),
  number: fc.double().map((n) => h('any', `random number ${n}`, () => n)),
}

function jsTypeOf(value) {
  if (value === null) return 'null'
  if (typeof value === 'object') {
    try {
      if (Array.isArray(value)) return 'an array'
      if (!util.types.isProxy(value) && (Buffer.isBuffer(value) || value instanceof Uint8Array)) return 'a Buffer'
    } catch {
      return 'an object' // a revoked Proxy
    }
  }
  return { object: 'an object', string: 'a string', number: 'a number', boolean: 'a boolean', undefined: 'undefined', function: 'a function', bigint: 'a bigint', symbol: 'a symbol' }[typeof value]
}

/** The hostile values for a declared parameter type ("a string", "an object", "a string or an array", …). */
function hostileFor(type) {
  const types = type.split(' or ')
  const accepts = (name) => types.includes(name)
  const pools = []
  if (accepts('a string')) pools.push(...ODD_STRINGS)
  if (accepts('a number')) pools.push(...ODD_NUMBERS)
  if (accepts('an object')) pools.push(...HOSTILE_OBJECTS)
  if (accepts('an array')) pools.push(...HOSTILE_ARRAYS)
  if (accepts('a Buffer')) pools.push(h('any', 'Uint8Array of invalid UTF-8', () => new Uint8Array([0xc3, 0x28])))
  // Values of a type that none of the accepted ones is.
  const wrong = [...WRONG_FOR_STRING, ...WRONG_FOR_NUMBER, ...WRONG_FOR_OBJECT, ...WRONG_FOR_ARRAY].filter((v) => !accepts(jsTypeOf(v.make())))
  const arbitraries = [fc.constantFrom(...pools), fc.constantFrom(...wrong)]
  if (accepts('a string')) arbitraries.push(random.string)
  if (accepts('a number')) arbitraries.push(random.number)
  return fc.oneof(...arbitraries)
}

const hugeFor = (type) => type.split(' or ').flatMap((name) => HUGE[name] ?? [])

// ---------------------------------------------------------------------------------------------------------------
// Valid arguments, so that the hostile one is reached; objects with their required fields.
// ---------------------------------------------------------------------------------------------------------------

const VALID = { 'a string': () => 'x', 'a number': () => 1, 'a boolean': () => true, 'an object': () => ({}), 'an array': () => [] }
const VALID_OBJECTS = {
  'UserClient.createUserAndMembership.options': () => ({ email: 'a@example.com' }),
  'OrganizationClient.updateOrganizationSettings.settings': () => ({ features: [] }),
  'OrganizationClient.updateOrganizationSessionPolicy.policy': () => ({ policySource: 'APPLICATION' }),
  'ConnectionClient.createConnection.connection': () => ({ provider: 'OKTA', type: 'SAML' }),
  'DirectoryClient.createDirectory.directory': () => ({ directoryType: 'SCIM', directoryProvider: 'OKTA' }),
  'RoleClient.createRole.role': () => ({ name: 'viewer' }),
  'RoleClient.createOrganizationRole.role': () => ({ name: 'viewer' }),
  'PermissionClient.createPermission.permission': () => ({ name: 'invoices:read' }),
  'PermissionClient.updatePermission.permission': () => ({ name: 'invoices:read' }),
  'ActionsClient.verifyConnectedAccountUser.params': () => ({ authRequestId: 'ar_1', identifier: 'a' }),
  'ConnectedAccountsClient.verifyConnectedAccountUser.params': () => ({ authRequestId: 'ar_1', identifier: 'a' }),
  'ActionsClient.executeTool.params': () => ({ toolName: 'x' }),
  'ToolsClient.executeTool.params': () => ({ toolName: 'x' }),
  'ActionsClient.request.params': () => ({ connectionName: 'c', identifier: 'a', path: '/x' }),
  'McpClient.createMcpConfig.config': () => ({ name: 'x' }),
}

function parse(parameter) {
  const [, name, optional, type] = /^(\w+)(\??): (.*)$/.exec(parameter)
  return { name, optional: optional === '?', type }
}

function validArgs(className, method, params) {
  return params.map((p) => (VALID_OBJECTS[`${className}.${method}.${p.name}`] ?? VALID[p.type.split(' or ')[0]] ?? (() => undefined))())
}

// ---------------------------------------------------------------------------------------------------------------
// Running one call and judging what it did.
// ---------------------------------------------------------------------------------------------------------------

/** Calls, bounded in time: `{ error, threw }` (synchronously), `{ error }`, `{ value }` or `{ hung: true }`. */
async function settle(call, options) {
  const started = performance.now()
  const outcome = await settleUntimed(call, options)
  if (outcome.error instanceof sk.ScalekitTransportException || outcome.hung) lateRequests = true
  return { ...outcome, ms: performance.now() - started }
}

async function settleUntimed(call, { walk = false } = {}) {
  let result
  try {
    result = call()
  } catch (error) {
    return { error, threw: true }
  }
  let timer
  const limit = new Promise((resolve) => { timer = setTimeout(() => resolve(HANG), CALL_LIMIT_MS) })
  try {
    // A paginator is walked a little: its pages are the calls.
    const work = walk && result instanceof Object && typeof result.toArray === 'function' ? result.toArray({ limit: 3 }) : result
    const value = await Promise.race([work, limit])
    return value === HANG ? { hung: true } : { value }
  } catch (error) {
    return { error }
  } finally {
    clearTimeout(timer)
  }
}

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype, Error.prototype, Promise.prototype]
const shapeOf = (proto) => Reflect.ownKeys(proto).map(String).join(',')
const PROTOTYPE_SHAPES = PROTOTYPES.map(shapeOf)

function describe(value) {
  try {
    return util.inspect(value, { depth: 2, maxStringLength: 300, maxArrayLength: 5 })
  } catch {
    return '(not inspectable)'
  }
}

/** Every text an error shows: message, stack, String(), util.inspect and JSON. */
function textsOf(error) {
  const texts = []
  for (const read of [() => error.message, () => error.stack, () => String(error), () => util.inspect(error, { depth: 4 }), () => JSON.stringify(error)]) {
    try {
      texts.push(String(read()))
    } catch {}
  }
  return texts
}

/** `field` names the expected field or something inside it (`options.headers` ⊃ `options.headers.x-a`). */
const fieldMatches = (field, expected) => typeof field === 'string' && (field === expected || field.startsWith(`${expected}.`) || field.startsWith(`${expected}[`))

/**
 * Throws (failing the property) unless the outcome is allowed for `hostile` (its kind and traps). `expect.field`
 * is the field a wrong type must be named by, `expect.async` whether the method returns a promise (it must then
 * never throw), `expect.nested` that the value sits inside an object (where napi-rs reads it, traps included).
 */
function judge(outcome, hostile, expect, context) {
  if (process.env.HOSTILE_DEBUG && outcome.ms > 50) console.error(`${outcome.ms.toFixed(0)} ms ${context.label} ${hostile.name}`)
  const fail = (why) => {
    throw new Error(`${context.label}: ${why}\n  value: ${hostile.name}\n  outcome: ${outcome.hung ? 'hung' : describe(outcome.error ?? outcome.value)}`)
  }
  if (outcome.hung) fail(`did not settle within ${CALL_LIMIT_MS} ms`)
  if (({}).polluted !== undefined || Object.prototype.polluted !== undefined) fail('Object.prototype was polluted')
  PROTOTYPES.forEach((proto, i) => { if (shapeOf(proto) !== PROTOTYPE_SHAPES[i]) fail('a built-in prototype changed') })
  if (expect.async && outcome.threw) fail('threw synchronously: an async method must reject instead')
  const { error } = outcome
  const own = error instanceof CallerError
  if (error !== undefined) {
    if (!own && !(error instanceof sk.ScalekitException)) fail(`failed with an untyped error (${error?.constructor?.name})`)
    for (const text of own ? [] : textsOf(error)) {
      for (const secret of context.secrets) if (secret && text.includes(secret)) fail(`a secret is in the error: ${text.slice(0, 300)}`)
      if (hostile.kind === 'wrong' && text.includes(MARK)) fail(`the value is echoed in the error: ${text.slice(0, 300)}`)
    }
    if (own && hostile.kind === 'any') fail('a CallerError from a value that throws none')
  }
  if (hostile.kind === 'wrong' && !(own && hostile.traps && expect.nested)) {
    if (error === undefined) fail('a value of the wrong type was accepted')
    if (!(error instanceof sk.ScalekitValidationException) && !expect.alsoAllow?.(error)) fail(`a wrong type gave ${error.constructor?.name}, not ScalekitValidationException`)
    if (expect.field && error instanceof sk.ScalekitValidationException && !fieldMatches(error.field, expect.field)) fail(`the error names ${error.field}, not ${expect.field}`)
    if (context.sent && context.sent() > 0) fail(`${context.sent()} request(s) were sent for a value of the wrong type: ${context.sent.list()}`)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The fixture: one emulator and one client for the file; the tests run one at a time, so request counts are exact.
// ---------------------------------------------------------------------------------------------------------------

let fixture
async function setup() {
  if (fixture) return fixture
  fixture = (async () => {
    const { ScalekitEmulator } = require('../testing')
    const emulator = await ScalekitEmulator.start({ clientSecret: CLIENT_SECRET })
    const client = new sk.ScalekitClient(emulator.url, emulator.clientId, CLIENT_SECRET, { maxRetries: 0, timeoutMs: 4000 })
    const token = await client.getClientAccessToken()
    return { emulator, client, secrets: [CLIENT_SECRET, token] }
  })()
  return fixture
}
test.after.always(async () => {
  if (fixture) await (await fixture).emulator.stop()
})

// A call that failed in transport (a timeout of 0.5 ms, say) may leave its request in the emulator's hands: it is
// logged when the emulator is done with it, so the next count waits until the log is still.
let lateRequests = false
async function quiet(emulator) {
  if (!lateRequests) return
  lateRequests = false
  for (let still = 0, last = -1, tries = 0; still < 3 && tries < 100; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 5))
    const now = emulator.stats().requests
    still = now === last ? still + 1 : 0
    last = now
  }
}

/** How many requests the emulator got since; `sent.list()` names them. */
async function counter(emulator) {
  await quiet(emulator)
  const before = emulator.stats().requests
  const sent = () => emulator.stats().requests - before
  sent.list = () => emulator.requests().slice(-Math.max(1, sent())).map((r) => `${r.method} ${r.path} -> ${r.status}`).join(', ')
  return sent
}

const subClientOf = (client, className) => Object.values(client).find((c) => c instanceof binding[className])

const SUB_CLIENT_METHODS = Object.entries(SIGNATURES)
  .filter(([className]) => !STANDALONE_CLASSES.includes(className))
  .flatMap(([className, methods]) => Object.entries(methods).map(([method, params]) => ({ className, method, params: params.map(parse) })))

// The client's own methods (sign-in, tokens, webhooks).
const CLIENT_METHODS = Object.entries(SIGNATURES.ScalekitClient).filter(([method]) => method !== 'constructor')
  .map(([method, params]) => ({ method, params: params.map(parse) }))
  // Not in the native list: it verifies as verifyWebhookPayload does, then parses.
  .concat([{ method: 'constructWebhookEvent', params: SIGNATURES.ScalekitClient.verifyWebhookPayload.map(parse) }])
const webhookHeaders = () => ({ 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' })
/** Valid arguments of the client's own methods: a webhook's secret, headers and body, else by type. */
const clientArgs = (params) => params.map((p) => ({ headers: webhookHeaders, secret: () => `whsec_${Buffer.from('k').toString('base64')}`, payload: () => '{}' })[p.name]?.() ?? VALID[p.type.split(' or ')[0]]?.())

test.serial('the properties walk the whole surface: every sub-client method takes the per-request options last', (t) => {
  t.true(SUB_CLIENT_METHODS.length >= 140, `${SUB_CLIENT_METHODS.length} sub-client methods`)
  for (const { className, method, params } of SUB_CLIENT_METHODS) {
    t.is(params.at(-1).name, 'requestOptions', `${className}.${method}`)
    t.true(ASYNC[className].includes(method), `${className}.${method} is async`)
  }
})

test.serial('every argument of every sub-client method: a result, a typed error or the caller\'s own, in time; a wrong type is refused unsent', async (t) => {
  const { emulator, client, secrets } = await setup()
  let calls = 0
  for (const { className, method, params } of SUB_CLIENT_METHODS) {
    const sub = subClientOf(client, className)
    // The per-request options have their own property below.
    const positions = params.slice(0, -1).map((p, position) => ({ ...p, position }))
    if (positions.length === 0) continue
    const arbitrary = fc.oneof(...positions.map((p) => fc.record({ position: fc.constant(p.position), hostile: hostileFor(p.type) })))
    await check(t, `${className}.${method}`, fc.asyncProperty(arbitrary, async ({ position, hostile }) => {
      const param = positions[position]
      const args = validArgs(className, method, params)
      args[position] = hostile.make()
      const sent = await counter(emulator)
      const outcome = await settle(() => sub[method](...args))
      calls++
      judge(outcome, hostile, { field: param.name, async: true }, { label: `${className}.${method}(${param.name})`, secrets, sent })
    }), 8)
  }
  t.log(`${calls} calls over ${SUB_CLIENT_METHODS.length} methods`)
  t.true(calls >= SUB_CLIENT_METHODS.length)
})

test.serial('huge strings, arrays and buffers (MBs) in any argument of any method', async (t) => {
  const { emulator, client, secrets } = await setup()
  const targets = [...SUB_CLIENT_METHODS, ...CLIENT_METHODS].flatMap(({ className, method, params }) => params
    .map((p, position) => ({ className, method, params, position, huge: p.name === 'requestOptions' ? [] : hugeFor(p.type) })).filter((x) => x.huge.length > 0))
  const arbitrary = fc.constantFrom(...targets).chain((target) => fc.record({ target: fc.constant(target), hostile: fc.constantFrom(...target.huge) }))
  await check(t, 'huge values', fc.asyncProperty(arbitrary, async ({ target: { className, method, params, position }, hostile }) => {
    const args = className ? validArgs(className, method, params) : clientArgs(params)
    args[position] = hostile.make()
    const target = className ? subClientOf(client, className) : client
    const outcome = await settle(() => target[method](...args))
    const async = ASYNC[className ?? 'ScalekitClient'].includes(method)
    judge(outcome, hostile, { async }, { label: `${className ?? 'ScalekitClient'}.${method}(${params[position].name})`, secrets })
  }), 10)
  t.pass()
})

// The per-request options: each field with a value of the wrong type, or the whole object of the wrong type.
const fakeSignal = () => ({ aborted: false, addEventListener() {}, removeEventListener() {} })
const WRONG_REQUEST_OPTIONS = [
  ...['timeoutMs', 'deadlineMs', 'maxRetries'].flatMap((key) => WRONG_FOR_NUMBER.map((v) => ({ key, hostile: v }))),
  ...WRONG_FOR_STRING.map((v) => ({ key: 'idempotencyKey', hostile: v })),
  ...[
    h('wrong', 'string', () => 'yes'), h('wrong', 'number', () => 1), h('wrong', 'BigInt', () => 1n), h('wrong', 'Symbol', () => Symbol(MARK)),
    h('wrong', 'function', () => () => true), h('wrong', 'object', () => ({ secret: MARK })), h('wrong', 'Boolean object', () => new Boolean(true)), // eslint-disable-line no-new-wrappers
  ].map((v) => ({ key: 'withResponse', hostile: v })),
  ...[
    h('wrong', 'number', () => 5), h('wrong', 'string', () => MARK), h('wrong', 'empty object', () => ({})), h('wrong', 'BigInt', () => 5n),
    h('wrong', 'Symbol', () => Symbol(MARK)), h('wrong', 'function', () => () => MARK), h('wrong', 'array', () => [MARK]),
    h('wrong', 'aborted as a string', () => ({ aborted: 'no', addEventListener() {} })), h('wrong', 'no addEventListener', () => ({ aborted: false })),
  ].map((v) => ({ key: 'signal', hostile: v })),
  ...[
    h('wrong', 'header line as a string', () => `x-test: ${MARK}`), h('wrong', 'array', () => [MARK]), h('wrong', 'array of pairs', () => [['x-test', MARK]]),
    h('wrong', 'number', () => 5), h('wrong', 'BigInt', () => 5n), h('wrong', 'Symbol', () => Symbol(MARK)), h('wrong', 'function', () => () => MARK),
    h('wrong', 'Map', () => new Map([['x-test', MARK]])), h('wrong', 'Headers', () => new Headers({ 'x-test': MARK })),
    h('wrong', 'number value', () => ({ 'x-test': 5 })), h('wrong', 'BigInt value', () => ({ 'x-test': 5n })), h('wrong', 'Symbol value', () => ({ 'x-test': Symbol(MARK) })),
    h('wrong', 'function value', () => ({ 'x-test': () => MARK })), h('wrong', 'object value', () => ({ 'x-test': { secret: MARK } })),
    h('wrong', 'array value', () => ({ 'x-test': [MARK] })), h('wrong', 'cyclic value', () => { const v = { secret: MARK }; v.v = v; return { 'x-test': v } }),
    h('wrong', 'revoked Proxy value', () => ({ 'x-test': revokedProxy() })),
  ].map((v) => ({ key: 'headers', hostile: v })),
]
const WRONG_WHOLE_OPTIONS = [...WRONG_FOR_OBJECT, h('wrong', 'array of options', () => [{ timeoutMs: 1 }])]
const ODD_REQUEST_OPTIONS = [
  h('any', 'empty', () => ({})),
  h('any', '__proto__ and constructor keys (JSON.parse)', () => JSON.parse(`{"__proto__": {"headers": "${MARK}", "timeoutMs": "x"}, "constructor": {"prototype": {"polluted": true}}}`)),
  h('any', 'inherited fields', () => Object.create({ timeoutMs: 3000, headers: { 'x-inherited': '1' } })),
  h('any', 'Object.create(null)', () => Object.assign(Object.create(null), { timeoutMs: 3000 })),
  h('any', 'headers with __proto__ and constructor names', () => ({ headers: JSON.parse('{"__proto__": "x", "constructor": "y"}') })),
  h('any', 'headers of an invalid name', () => ({ headers: { 'bad name': 'x', 'x-ok': 'y' } })),
  h('any', 'header with CRLF', () => ({ headers: { 'x-test': 'a\r\nx-injected: 1' } })),
  h('any', 'header with a lone surrogate', () => ({ headers: { 'x-test': '\uD800' } })),
  h('any', 'Authorization header', () => ({ headers: { authorization: `Bearer ${MARK}` } })),
  h('any', 'Host header', () => ({ headers: { host: 'evil.example' } })),
  h('any', 'huge header', () => ({ headers: { 'x-test': 'a'.repeat(256 * KB) } })),
  h('any', 'many headers', () => ({ headers: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`x-h${i}`, 'v'])) })),
  h('any', 'odd idempotency key', () => ({ idempotencyKey: 'a\r\nb\uD800' })),
  h('any', 'huge idempotency key', () => ({ idempotencyKey: 'k'.repeat(MB) })),
  ...ODD_NUMBERS.flatMap((n) => ['timeoutMs', 'deadlineMs', 'maxRetries'].map((key) => h('any', `${key}: ${n.name}`, () => ({ [key]: n.make() })))),
  h('any', 'an aborted signal', () => ({ signal: AbortSignal.abort() })),
  h('any', 'a signal that is an AbortSignal in all but name', () => ({ signal: fakeSignal() })),
  h('any', 'withResponse', () => ({ withResponse: true })),
  h('any', 'the internal cancellation field', () => ({ cancellation: 1 })),
  h('any', 'unknown fields of every type', () => ({ cursor: 5n, foo: Symbol(MARK), bar: () => MARK, baz: revokedProxy() })),
  h('caller', 'Proxy with throwing traps', throwingTraps),
  h('caller', 'lying Proxy', lyingProxy),
  h('caller', 'getters that throw', () => Object.defineProperties({}, Object.fromEntries(['signal', 'timeoutMs', 'headers', 'idempotencyKey', 'withResponse'].map((k) => [k, { get: () => { throw callerError() }, enumerable: true }])))),
  h('caller', 'a signal whose addEventListener throws', () => ({ signal: { aborted: false, addEventListener() { throw callerError() }, removeEventListener() {} } })),
  h('caller', 'headers behind a throwing Proxy', () => ({ headers: throwingTraps() })),
  h('wrong', 'revoked Proxy', revokedProxy),
]

/** The per-request options to try: `{ hostile, field }` where `field` is what a wrong type must be named by. */
const requestOptionsArbitrary = fc.oneof(
  fc.constantFrom(...WRONG_REQUEST_OPTIONS).map(({ key, hostile }) => ({
    hostile: { ...hostile, name: `${key}: ${hostile.name}`, make: () => ({ [key]: hostile.make() }) },
    field: `requestOptions.${key}`,
    nested: true,
  })),
  fc.constantFrom(...WRONG_WHOLE_OPTIONS).map((hostile) => ({ hostile, field: 'requestOptions' })),
  fc.constantFrom(...ODD_REQUEST_OPTIONS).map((hostile) => ({ hostile, field: 'requestOptions' })),
)

test.serial('the per-request options of every sub-client method: a wrong type is refused, naming it, before any I/O', async (t) => {
  const { emulator, client, secrets } = await setup()
  for (const { className, method, params } of SUB_CLIENT_METHODS) {
    const sub = subClientOf(client, className)
    await check(t, `${className}.${method}(requestOptions)`, fc.asyncProperty(requestOptionsArbitrary, async ({ hostile, field, nested }) => {
      const args = validArgs(className, method, params)
      args[args.length - 1] = hostile.make()
      const sent = await counter(emulator)
      const outcome = await settle(() => sub[method](...args))
      judge(outcome, hostile, { field, async: true, nested }, { label: `${className}.${method}(requestOptions)`, secrets, sent })
    }), 6)
  }
  t.pass()
})

// The paginators: the list method's arguments, the per-request options with `cursor`, and toArray's limit.
const { PAGINATED } = require('../pagination.js')
const PAGINATORS = Object.entries(PAGINATED).flatMap(([className, methods]) => Object.keys(methods).map((method) => ({ className, method, params: SIGNATURES[className][method].map(parse) })))
const WRONG_CURSORS = [...WRONG_FOR_STRING, h('wrong', 'empty object', () => ({}))]
const ODD_CURSORS = [
  ...ODD_STRINGS,
  h('any', 'not base64', () => '!!!'),
  h('any', 'base64 of JSON with __proto__', () => Buffer.from(JSON.stringify(JSON.parse('{"v":1,"__proto__":{"i":0,"t":"x"},"t":"x","i":0}'))).toString('base64url')),
  h('any', 'base64 of a cursor with an object token', () => Buffer.from('{"v":1,"t":{"__proto__":{"polluted":true}},"i":0}').toString('base64url')),
  h('any', 'base64 of a cursor with a huge index', () => Buffer.from('{"v":1,"t":"","i":1e300}').toString('base64url')),
  h('any', 'base64 of a cursor with a negative page', () => Buffer.from('{"v":1,"t":-5,"i":0}').toString('base64url')),
]
const WRONG_LIMITS = [null, 'x', '3', -1, 0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 3n, Symbol('s'), () => 3, [3]]
  .map((limit) => h('wrong', `limit ${String(typeof limit === 'symbol' ? 'Symbol' : limit)}`, () => ({ limit })))
  .concat([null, 'x', 5, () => 5].map((value) => h('wrong', `toArray(${String(value)})`, () => value)))

test.serial('every paginator: hostile list options, per-request options, cursors and limits', async (t) => {
  const { emulator, client, secrets } = await setup()
  for (const { className, method, params } of PAGINATORS) {
    const sub = subClientOf(client, className)
    const positions = params.slice(0, -1).map((p, position) => ({ ...p, position }))
    const arbitrary = fc.oneof(
      fc.oneof(...positions.map((p) => fc.record({ position: fc.constant(p.position), hostile: hostileFor(p.type), field: fc.constant(p.name) }))),
      requestOptionsArbitrary.map((r) => ({ ...r, position: params.length - 1 })),
      fc.constantFrom(...WRONG_CURSORS).map((v) => ({ position: params.length - 1, field: 'requestOptions.cursor', hostile: { ...v, make: () => ({ cursor: v.make() }) }, nested: true })),
      fc.constantFrom(...ODD_CURSORS).map((v) => ({ position: params.length - 1, hostile: { ...v, make: () => ({ cursor: v.make() }) } })),
      fc.constantFrom(...WRONG_LIMITS).map((v) => ({ limit: true, field: 'limit', hostile: v })),
    )
    await check(t, `${className}.${method}All`, fc.asyncProperty(arbitrary, async ({ position, hostile, field, nested, limit }) => {
      const args = validArgs(className, method, params)
      if (!limit) args[position] = hostile.make()
      const sent = await counter(emulator)
      const all = () => sub[`${method}All`](...args)
      // A paginator either refuses its arguments at once or is walked; toArray's limit is refused before any page.
      const outcome = limit ? await settle(() => all().toArray(hostile.make())) : await settle(all, { walk: true })
      judge(outcome, hostile, { field, nested }, { label: `${className}.${method}All`, secrets, sent })
    }), 10)
  }
  t.pass()
})


test.serial('every method of the client itself: a result, a typed error or the caller\'s own', async (t) => {
  const { emulator, client, secrets } = await setup()
  for (const { method, params } of CLIENT_METHODS) {
    const positions = params.map((p, position) => ({ ...p, position }))
    if (positions.length === 0) continue
    const async = ASYNC.ScalekitClient.includes(method)
    const arbitrary = fc.oneof(...positions.map((p) => fc.record({ position: fc.constant(p.position), hostile: hostileFor(p.type) })))
    await check(t, `ScalekitClient.${method}`, fc.asyncProperty(arbitrary, async ({ position, hostile }) => {
      const args = clientArgs(params)
      args[position] = hostile.make()
      const sent = await counter(emulator)
      const outcome = await settle(() => client[method](...args))
      // An object where a webhook's raw body goes is most likely parsed JSON: it has its own error.
      const alsoAllow = params[position].name === 'payload' ? (e) => e.reason === 'parsed_payload' : undefined
      judge(outcome, hostile, { field: params[position].name, async, alsoAllow }, { label: `ScalekitClient.${method}(${params[position].name})`, secrets, sent })
    }), 16)
  }
  t.pass()
})

// The client's options: the constructor (both forms) and withOptions.
const WRONG_CLIENT_OPTIONS = [
  ...['timeoutMs', 'toolTimeoutMs', 'maxRetries', 'deadlineMs'].flatMap((key) => WRONG_FOR_NUMBER.map((v) => ({ key, hostile: v }))),
  ...['userAgent', 'proxy', 'issuer'].flatMap((key) => WRONG_FOR_STRING.map((v) => ({ key, hostile: v }))),
  ...WRONG_FOR_OBJECT.map((v) => ({ key: 'appInfo', hostile: v })),
  ...[h('wrong', 'appInfo.name a number', () => ({ name: 5 })), h('wrong', 'appInfo.version a Symbol', () => ({ name: 'a', version: Symbol(MARK) }))].map((v) => ({ key: 'appInfo', hostile: v })),
  ...[
    h('wrong', 'number', () => 5), h('wrong', 'BigInt', () => 5n), h('wrong', 'Symbol', () => Symbol(MARK)), h('wrong', 'function', () => () => MARK),
    h('wrong', 'object', () => ({ pem: MARK })), h('wrong', 'boolean', () => true), h('wrong', 'array of numbers', () => [5]),
    h('wrong', 'array of objects', () => [{ pem: MARK }]), h('wrong', 'array of Symbols', () => [Symbol(MARK)]), h('wrong', 'sparse huge array', () => new Array(2 ** 32 - 1)),
  ].map((v) => ({ key: 'caCertificates', hostile: v })),
  ...[h('wrong', 'string', () => 'yes'), h('wrong', 'number', () => 1), h('wrong', 'BigInt', () => 1n), h('wrong', 'Symbol', () => Symbol(MARK)), h('wrong', 'object', () => ({}))].map((v) => ({ key: 'http2', hostile: v })),
  ...[h('wrong', 'string', () => 'console'), h('wrong', 'number', () => 5), h('wrong', 'object without methods', () => ({})), h('wrong', 'methods that are not functions', () => ({ debug: 1, info: 1, warn: 1, error: 1 })), h('wrong', 'array', () => []), h('wrong', 'function', () => () => MARK)].map((v) => ({ key: 'logger', hostile: v })),
  ...[h('wrong', 'unknown level', () => 'verbose'), h('wrong', 'number', () => 5), h('wrong', 'Symbol', () => Symbol(MARK)), h('wrong', 'BigInt', () => 5n), h('wrong', 'object', () => ({}))].map((v) => ({ key: 'logLevel', hostile: v })),
  ...['onRequest', 'onResponse'].flatMap((key) => [h('wrong', 'string', () => MARK), h('wrong', 'number', () => 5), h('wrong', 'object', () => ({})), h('wrong', 'Symbol', () => Symbol(MARK)), h('wrong', 'array', () => [])].map((v) => ({ key, hostile: v }))),
]
const POOL_LEVEL = new Set(['userAgent', 'proxy', 'appInfo', 'caCertificates', 'http2'])
const ODD_CLIENT_OPTIONS = [
  h('any', 'empty', () => ({})),
  h('any', '__proto__ and constructor keys (JSON.parse)', () => JSON.parse(`{"__proto__": {"timeoutMs": "${MARK}", "logger": "x"}, "constructor": {"prototype": {"polluted": true}}}`)),
  h('any', 'inherited fields', () => Object.create({ timeoutMs: 1000, logLevel: 'off' })),
  h('any', 'Object.create(null)', () => Object.assign(Object.create(null), { maxRetries: 1 })),
  ...ODD_NUMBERS.flatMap((n) => ['timeoutMs', 'maxRetries', 'deadlineMs'].map((key) => h('any', `${key}: ${n.name}`, () => ({ [key]: n.make() })))),
  h('any', 'odd strings', () => ({ userAgent: 'a\r\nx-injected: 1', issuer: '\uD800', proxy: '../../x' })),
  h('any', 'invalid PEM', () => ({ caCertificates: ['-----BEGIN CERTIFICATE-----\n\uD800\n-----END CERTIFICATE-----', 'x'.repeat(MB)] })),
  h('any', 'a logger whose methods throw', () => ({ logger: { debug() { throw callerError() }, info() { throw callerError() }, warn() { throw callerError() }, error() { throw callerError() } }, logLevel: 'debug' })),
  h('caller', 'a logger with throwing getters', () => ({ logger: Object.defineProperties({}, Object.fromEntries(['debug', 'info', 'warn', 'error'].map((k) => [k, { get: () => { throw callerError() } }]))) })),
  h('caller', 'Proxy with throwing traps', throwingTraps),
  h('caller', 'lying Proxy', lyingProxy),
  h('caller', 'getters that throw', () => Object.defineProperties({}, Object.fromEntries(['timeoutMs', 'logger', 'appInfo', 'caCertificates', 'proxy'].map((k) => [k, { get: () => { throw callerError() }, enumerable: true }])))),
]
const clientOptionsArbitrary = fc.oneof(
  fc.constantFrom(...WRONG_CLIENT_OPTIONS).map(({ key, hostile }) => ({ key, hostile: { ...hostile, name: `${key}: ${hostile.name}`, make: () => ({ [key]: hostile.make() }) }, field: `options.${key}`, nested: true })),
  fc.constantFrom(...WRONG_FOR_OBJECT, h('wrong', 'revoked Proxy', revokedProxy)).map((hostile) => ({ hostile, field: 'options' })),
  fc.constantFrom(...ODD_CLIENT_OPTIONS).map((hostile) => ({ hostile })),
)

test.serial('the client\'s options, in the constructor (both forms) and withOptions: a wrong type is refused, naming it', async (t) => {
  const { emulator, client, secrets } = await setup()
  const forms = {
    positional: (o) => new sk.ScalekitClient(emulator.url, emulator.clientId, CLIENT_SECRET, o),
    object: (o) => new sk.ScalekitClient({ environmentUrl: emulator.url, clientId: emulator.clientId, clientSecret: CLIENT_SECRET, ...o }),
    withOptions: (o) => client.withOptions(o),
  }
  await check(t, 'client options', fc.asyncProperty(fc.constantFrom(...Object.keys(forms)), clientOptionsArbitrary, async (form, { key, hostile, field, nested }) => {
    // The object form spreads its options into the settings object: a whole value of the wrong type is not possible there.
    if (form === 'object' && field === 'options') return
    // withOptions refuses what shapes the pool, whatever its value.
    const expectField = form === 'withOptions' && POOL_LEVEL.has(key) ? `options.${key}` : field
    const sent = await counter(emulator)
    const outcome = await settle(() => forms[form](hostile.make()))
    judge(outcome, hostile, { field: expectField, nested }, { label: `${form}(options)`, secrets, sent })
    // The constructor does no I/O, whatever it got.
    if (sent() > 0) throw new Error(`${form}: the constructor sent ${sent()} request(s)`)
  }), 300)
  t.pass()
})

// ---------------------------------------------------------------------------------------------------------------
// Results from server JSON with `__proto__` keys.
// ---------------------------------------------------------------------------------------------------------------

/** Every object in a result has a plain prototype; `__proto__` is an own key or absent, never the prototype. */
function assertPlain(value, path = 'result', seen = new Set()) {
  if (value === null || typeof value !== 'object' || seen.has(value)) return
  seen.add(value)
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== Array.prototype) throw new Error(`${path} has another prototype: ${describe(proto)}`)
  for (const key of Object.keys(value)) assertPlain(value[key], `${path}.${key}`, seen)
  if (({}).polluted !== undefined) throw new Error('Object.prototype was polluted')
}

const DANGEROUS_KEYS = ['__proto__', 'constructor', 'prototype', 'polluted', 'toString', 'hasOwnProperty', '__defineGetter__', 'valueOf', 'a']
/** JSON text (so that `__proto__` is a real key) of an object with dangerous keys at any depth. */
const dangerousJson = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constantFrom('true', 'null', '1', '"x"', '{"polluted":true}'), tie('object'), tie('array')),
  object: fc.uniqueArray(fc.tuple(fc.constantFrom(...DANGEROUS_KEYS), tie('value')), { maxLength: 4, selector: ([key]) => key })
    .map((entries) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`),
  array: fc.array(tie('value'), { maxLength: 3 }).map((items) => `[${items.join(',')}]`),
})).object

/** JSON with sorted keys, own keys only (so an own `__proto__` counts), for comparing round trips. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`
}

test.serial('server JSON with __proto__ keys: organizations and users read back through get, list, search and the paginators', async (t) => {
  const { emulator, client } = await setup()
  const records = JSON.parse(`{
    "organizations": [
      {"id": "org_proto_str", "display_name": "Proto strings", "metadata": {"__proto__": "yes", "constructor": "c", "prototype": "p", "toString": "t"}, "__proto__": {"polluted": true}},
      {"id": "org_proto_obj", "display_name": "Proto objects", "metadata": {"__proto__": {"polluted": true}}, "constructor": {"prototype": {"polluted": true}}}
    ],
    "users": [
      {"id": "usr_proto", "email": "proto@example.com", "metadata": {"__proto__": "yes"}, "__proto__": {"polluted": true}, "user_profile": {"__proto__": {"polluted": true}, "first_name": "P"}}
    ]
  }`)
  emulator.importRecords(records)
  const reads = [
    () => client.organization.getOrganization('org_proto_str'),
    () => client.organization.getOrganization('org_proto_obj'),
    () => client.organization.listOrganizations({ pageSize: 100 }),
    () => client.organization.searchOrganization('Proto'),
    () => client.organization.listOrganizationsAll({ pageSize: 1 }).toArray({ limit: 1000 }),
    async () => { const pages = []; for await (const page of client.organization.listOrganizationsAll({ pageSize: 1 }).pages()) pages.push(page); return pages },
    () => client.user.getUser('usr_proto'),
    () => client.user.listUsers({ pageSize: 100 }),
    () => client.user.listUsersAll({ pageSize: 1 }).toArray({ limit: 1000 }),
  ]
  let ok = 0
  for (const read of reads) {
    let result
    try {
      result = await read()
    } catch (error) {
      // An object where the model has a string is not the expected JSON: a typed decode error, nothing built.
      t.true(error instanceof sk.ScalekitTransportException && error.kind === 'decode', `${read}: ${describe(error)}`)
      continue
    }
    assertPlain(result)
    ok++
  }
  t.true(ok >= 1, 'some reads succeed')
  const { organization } = await client.organization.getOrganization('org_proto_str')
  t.is(Object.getPrototypeOf(organization.metadata), Object.prototype)
  t.true(Object.hasOwn(organization.metadata, '__proto__'), 'the key is kept as data')
  t.is(organization.metadata.__proto__, 'yes', 'an own data property, read by name') // eslint-disable-line no-proto
  t.is(Object.getOwnPropertyDescriptor(organization.metadata, '__proto__').value, 'yes')
  t.false(Object.hasOwn(organization, 'polluted'))
  t.is(({}).polluted, undefined)
})

test.serial('server JSON with __proto__ keys at any depth: free-form results (connected accounts, tool output) round-trip as data', async (t) => {
  const { emulator, client } = await setup()
  emulator.registerTool({ name: 'hostile_echo', provider: 'GMAIL' })
  await client.connectedAccounts.createConnectedAccount({ connector: 'gmail', identifier: 'proto@example.com', connectedAccount: { authorizationDetails: { staticAuth: { details: { token: 't' } } } } })
  await check(t, 'free-form results', fc.asyncProperty(dangerousJson, async (text) => {
    const params = JSON.parse(text)
    const run = await client.tools.executeTool({ toolName: 'hostile_echo', identifier: 'proto@example.com', connector: 'gmail', params })
    assertPlain(run)
    if (canonical(run.data.params) !== canonical(JSON.parse(text))) throw new Error(`the tool's echo differs: ${canonical(run.data.params)}`)
    const account = await client.connectedAccounts.updateConnectedAccount({ connector: 'gmail', identifier: 'proto@example.com', connectedAccount: { apiConfig: JSON.parse(text) } })
    assertPlain(account)
    const accounts = await client.connectedAccounts.listConnectedAccountsAll({ identifier: 'proto@example.com' }).toArray({ limit: 10 })
    assertPlain(accounts)
  }), 60)
  t.is(({}).polluted, undefined)
})

test.serial('a webhook event with __proto__ keys at any depth is built as data', async (t) => {
  const { client } = await setup()
  const key = Buffer.from('hostile-webhook-key')
  const secret = `whsec_${key.toString('base64')}`
  await check(t, 'webhook events', fc.asyncProperty(dangerousJson, async (text) => {
    const body = `{"id":"evt_1","type":"organization.created","object":"Organization","data":${text},"__proto__":${text}}`
    const id = 'msg_1'
    const timestamp = String(Math.floor(Date.now() / 1000))
    const signature = crypto.createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')
    const event = client.constructWebhookEvent(secret, { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` }, body)
    assertPlain(event)
    if (Object.getPrototypeOf(event) !== Object.prototype) throw new Error('the event has another prototype')
  }), 60)
  t.is(({}).polluted, undefined)
})

// ---------------------------------------------------------------------------------------------------------------
// Regressions: the defects these properties found, each from its input.
// ---------------------------------------------------------------------------------------------------------------

test.serial('regression: values napi-rs cannot describe (cycle, bigint, revoked Proxy, deep, sparse) give a validation error naming the field', async (t) => {
  const { emulator, client } = await setup()
  const sent = await counter(emulator)
  const cycle = { secret: MARK }
  cycle.self = cycle
  const cases = [
    // A cycle inside a wrong-typed value: napi-rs's JSON.stringify of it threw a TypeError.
    [() => client.organization.createOrganization('x', { externalId: cycle }), 'options.externalId', /must be|wrong type/],
    [() => client.organization.createOrganization('x', { metadata: { plan: cycle } }), 'options.metadata', /cycle/],
    // A bigint inside a wrong-typed value: "Do not know how to serialize a BigInt".
    [() => client.organization.createOrganization('x', { externalId: { n: 1n } }), 'options.externalId', /bigint/],
    // A revoked Proxy anywhere napi-rs reads, or where errors.js looked: "Cannot perform 'get' on a proxy that has been revoked".
    [() => client.organization.createOrganization('x', revokedProxy()), 'options', /revoked Proxy/],
    [() => client.organization.createOrganization('x', { externalId: revokedProxy() }), 'options.externalId', /revoked Proxy/],
    [() => client.organization.getOrganization(revokedProxy()), 'id', /must be a string/],
    // 100 000 levels: "Maximum call stack size exceeded" from the same JSON.stringify.
    [() => client.organization.createOrganization('x', { externalId: deep(100_000)() }), 'options.externalId', /too large or too deeply nested/],
    // A sparse array where a string goes: errors.js read its holes as entries and threw "undefined is not iterable".
    [() => client.organization.createOrganization('x', { externalId: new Array(1000) }), 'options.externalId', /must be a string/],
    // A throwing Proxy where a string goes: errors.js ran its getPrototypeOf trap while naming the type.
    [() => client.organization.getOrganization(throwingTraps()), 'id', /must be a string, got an object/],
    // Our own JSON (free-form) that cannot be JSON: the message said "must be another type".
    [() => client.tools.executeTool({ toolName: 'x', params: { n: 1n } }), 'params.params', /must be JSON data/],
    [() => client.tools.executeTool({ toolName: 'x', params: cycle }), 'params.params', /must be JSON data/],
  ]
  for (const [call, field, message] of cases) {
    const outcome = await settle(call)
    t.true(outcome.error instanceof sk.ScalekitValidationException, `${field}: ${describe(outcome.error)}`)
    t.true(fieldMatches(outcome.error?.field, field), `${field}: named ${outcome.error?.field}`)
    t.regex(outcome.error?.message ?? '', message)
    t.false((outcome.error?.message ?? '').includes(MARK))
  }
  t.is(sent(), 0, 'nothing was sent')
})

test.serial('regression: async methods never throw synchronously, whatever the arguments', async (t) => {
  const { client } = await setup()
  for (const value of [revokedProxy(), throwingTraps(), lyingProxy(), { get email() { throw callerError() } }]) {
    let promise
    t.notThrows(() => { promise = client.user.createUserAndMembership('org_1', value) })
    const error = await promise.catch((e) => e)
    t.true(error instanceof sk.ScalekitException || error instanceof CallerError, describe(error))
  }
})

test.serial('regression: a sparse list of 2^32 - 1 entries is refused, naming it (napi-rs reserved room for all of them: ~100 GB, and the process aborted)', async (t) => {
  const { emulator, client } = await setup()
  const sent = await counter(emulator)
  const huge = () => new Array(2 ** 32 - 1)
  const cases = [
    [() => client.verifyScopes('x', huge()), 'requiredScopes'],
    [() => client.user.createUserAndMembership('org_1', { email: 'a@example.com', membership: { roles: huge() } }), 'options.membership.roles'],
    [() => client.tools.executeTool({ toolName: 'x', params: { list: [[huge()]] } }), 'params.params.list[0][0]'],
    [() => client.organization.listOrganizations(Object.create({ inherited: huge() })), 'options.inherited'],
    [() => new sk.ScalekitClient(emulator.url, emulator.clientId, CLIENT_SECRET, { caCertificates: huge() }), 'options.caCertificates'],
    [() => client.withOptions({ caCertificates: huge() }), 'options.caCertificates'],
    [() => emulator.setRedirectUris(huge()), 'uris'],
  ]
  for (const [call, field] of cases) {
    const outcome = await settle(call)
    t.true(outcome.error instanceof sk.ScalekitValidationException, `${field}: ${describe(outcome.error)}`)
    t.is(outcome.error?.field, field)
    t.regex(outcome.error?.message ?? '', /has more than 4194304 entries/)
  }
  t.is(sent(), 0, 'nothing was sent')
})

test.serial('regression: the webhook helpers take a Proxy or a revoked Proxy for headers or body without an untyped error', async (t) => {
  const { client } = await setup()
  const secret = `whsec_${Buffer.from('k').toString('base64')}`
  for (const method of ['verifyWebhookPayload', 'verifyInterceptorPayload', 'constructWebhookEvent']) {
    for (const [headers, payload] of [[{ 'webhook-id': revokedProxy() }, '{}'], [revokedProxy(), '{}'], [webhookHeaders(), throwingTraps()], [webhookHeaders(), revokedProxy()]]) {
      const outcome = await settle(() => client[method](secret, headers, payload))
      t.true(outcome.error instanceof sk.ScalekitException, `${method}: ${describe(outcome.error)}`)
    }
  }
})

// Known gap, reported, not fixed here: napi-rs converts a struct or map field with `Object::from_napi_value`, which
// does not check that the value is an object, and reads a primitive's properties (a string's are its characters).
// So `metadata: 'abc'` is sent as {"0":"a","1":"b","2":"c"}, and `userProfile: 'abc'` or `membership: 5` is read as
// an empty object. The fix needs the input types' shapes (scalekit-derive or scalekit-core's napi feature).
test.serial.failing('known gap: a nested struct or map field of the wrong type (metadata: "abc") is refused before any I/O', async (t) => {
  const { emulator, client } = await setup()
  const sent = await counter(emulator)
  for (const call of [
    () => client.organization.createOrganization('Acme', { metadata: 'abc' }),
    () => client.organization.createOrganization('Acme', { metadata: ['p', 'q'] }),
    () => client.user.createUserAndMembership('org_1', { email: 'a@example.com', userProfile: 'abc' }),
  ]) {
    const outcome = await settle(call)
    t.true(outcome.error instanceof sk.ScalekitValidationException, describe(outcome.error ?? outcome.value))
  }
  t.is(sent(), 0)
})
