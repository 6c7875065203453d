'use strict'
// Exception classes named as in @scalekit-sdk/node, rebuilt from the fields the
// Rust side puts in a rejected error's message (see src/errors.rs).

// process.getBuiltinModule first (Node 20.16+): an ES module bundle (esbuild --format=esm) has no require() for builtins.
const { isProxy, isMap } = (process.getBuiltinModule?.('node:util') ?? require('node:util')).types

const MARKER = '\u0001scalekit:'

/** The message of what an official constructor takes: a message, or the error it wraps (`error.message || String(error)`). */
const messageOf = (value) => (value !== null && typeof value === 'object' ? value.message || String(value) : value)

class ScalekitException extends Error {
  constructor(message, options) {
    super(messageOf(message), options)
  }

  /** `JSON.stringify(error)`: the class, the message and the fields (none of which holds a secret). */
  toJSON() {
    return { name: this.name, message: this.message, ...this }
  }
}

class ScalekitValidationException extends ScalekitException {
  constructor(message, fields = {}, options) {
    super(message, options)
    this.field = fields.field
  }
}

class ScalekitTransportException extends ScalekitException {
  constructor(message, fields = {}, options) {
    super(message, options)
    this.kind = fields.kind || 'other'
    this.attempts = fields.attempts ?? 0
    this.outcomeUnknown = fields.outcomeUnknown ?? false
    if (fields.limit) this.limit = fields.limit
  }
}

/** A time limit was hit: `limit` is `attempt` (timeoutMs) or `deadline` (deadlineMs). */
class ScalekitTimeoutException extends ScalekitTransportException {}

/** The call's AbortSignal fired; the request in flight, if any, was dropped and its connection closed. */
class ScalekitAbortedException extends ScalekitTransportException {}

/** A POST or PATCH failed after it was sent (reset, read timeout): it may have been processed, so it was not retried. */
class ScalekitOutcomeUnknownException extends ScalekitTransportException {}

// gRPC code -> HTTP status, as the official SDK maps them (REFERENCE §5.2), and the way back for HTTP errors.
const HTTP_OF_GRPC = [200, 499, 500, 400, 504, 404, 409, 403, 429, 400, 409, 400, 501, 500, 503, 500, 401]
const GRPC_OF_HTTP = { 400: 3, 401: 16, 403: 7, 404: 5, 409: 6, 429: 8, 499: 1, 500: 13, 501: 12, 503: 14, 504: 4 }

/** The gRPC code and HTTP status of an error the official constructors take (a ConnectError, an AxiosError). */
function statusOf(value) {
  if (value === null || typeof value !== 'object') return {}
  if (Number.isInteger(value.code) && value.code >= 0 && value.code < HTTP_OF_GRPC.length) return { grpcStatus: value.code, httpStatus: HTTP_OF_GRPC[value.code] }
  const http = value.response?.status ?? value.status
  if (Number.isInteger(http)) return { grpcStatus: GRPC_OF_HTTP[http] ?? 2, httpStatus: http }
  return {}
}

class ScalekitServerException extends ScalekitException {
  constructor(message, fields = {}, options) {
    super(message, options)
    // Made by your own code (a test double, `new ScalekitNotFoundException(error)`): the status of what it wraps, else the class's.
    const made = fields.httpStatus === undefined ? { ...defaultStatus(new.target), ...statusOf(message) } : {}
    this.httpStatus = fields.httpStatus ?? made.httpStatus
    this.grpcStatus = fields.grpcStatus ?? made.grpcStatus
    this.errorCode = fields.errorCode ?? null
    this.errDetails = fields.errDetails ?? []
    this.requestId = fields.requestId ?? null
    this.attempts = fields.attempts ?? 1
    this.retryAfter = fields.retryAfter ?? null
    this.rateLimit = fields.rateLimit ?? null
    this.outcomeUnknown = fields.outcomeUnknown ?? false
  }

  get unpackedDetails() {
    return this.errDetails
  }

  toString() {
    const parts = [`HTTP ${this.httpStatus}`, this.errorCode, this.requestId && `request ${this.requestId}`].filter(Boolean)
    return `${this.name}: ${this.message} (${parts.join(', ')})`
  }
}

// Each class with its gRPC code, in the official order of promotion (the first class of a code wins).
const SERVER_KINDS = [
  ['BadRequest', [3, 9, 11]], ['Unauthorized', [16]], ['Forbidden', [7]], ['NotFound', [5]], ['Conflict', [6, 10]],
  ['TooManyRequests', [8]], ['Cancelled', [1]], ['InternalServer', [13, 15, 2]], ['NotImplemented', [12]],
  ['ServiceUnavailable', [14]], ['GatewayTimeout', [4]], ['Unknown', []],
]
const DEFAULT_STATUS = new Map()
function defaultStatus(Class) {
  for (let c = Class; c && c !== ScalekitServerException; c = Object.getPrototypeOf(c)) {
    if (DEFAULT_STATUS.has(c)) return DEFAULT_STATUS.get(c)
  }
  return {}
}
const serverClasses = Object.fromEntries(SERVER_KINDS.map(([kind, codes]) => {
  const name = `Scalekit${kind}Exception`
  const Class = { [name]: class extends ScalekitServerException {} }[name]
  const code = codes[0] ?? 2
  DEFAULT_STATUS.set(Class, { grpcStatus: code, httpStatus: HTTP_OF_GRPC[code] })
  return [name, Class]
}))

/** As the official `ScalekitServerException.promote(error)`: the class of the error's code or status, over it. */
ScalekitServerException.promote = function promote(error, isToolError = false) {
  if (error instanceof ScalekitServerException && !isToolError) return error
  const { grpcStatus = 2 } = statusOf(error)
  const kind = SERVER_KINDS.find(([, codes]) => codes.includes(grpcStatus))?.[0] ?? 'Unknown'
  const Tool = { 16: 'ScalekitToolUnauthorizedException', 7: 'ScalekitToolForbiddenException', 8: 'ScalekitToolRateLimitException' }[grpcStatus] ?? 'ScalekitToolException'
  const Class = isToolError ? toolClasses[Tool] : serverClasses[`Scalekit${kind}Exception`]
  return new Class(error, { ...statusOf(error), ...(error instanceof ScalekitServerException ? { ...error } : {}) })
}

/** As the official statics: an HTTP client's time-out error, and the exception it becomes (504, DEADLINE_EXCEEDED). */
serverClasses.ScalekitGatewayTimeoutException.isAxiosTimeout = (error) =>
  error !== null && typeof error === 'object' && (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT')
serverClasses.ScalekitGatewayTimeoutException.fromAxiosTimeout = (error) =>
  new serverClasses.ScalekitGatewayTimeoutException(error, { httpStatus: 504, grpcStatus: 4, errorCode: 'DEADLINE_EXCEEDED' })

/** Fields of `ErrorInfo.tool_error_info`, set when an upstream tool provider failed (`TOOL_ERROR`). */
function toolFields(target) {
  const info = target.errDetails.find((d) => d && d.toolErrorInfo)?.toolErrorInfo ?? {}
  target.isToolError = true
  target.toolErrorCode = info.toolErrorCode ?? ''
  target.toolErrorMessage = info.toolErrorMessage ?? ''
  target.executionId = info.executionId ?? ''
}

// As in the official SDK: each tool class extends the class of its status, so older catch blocks still match.
const toolClasses = Object.fromEntries([
  ['ScalekitToolRateLimitException', serverClasses.ScalekitTooManyRequestsException],
  ['ScalekitToolUnauthorizedException', serverClasses.ScalekitUnauthorizedException],
  ['ScalekitToolForbiddenException', serverClasses.ScalekitForbiddenException],
  ['ScalekitToolException', ScalekitServerException],
].map(([name, Base]) => [name, {
  [name]: class extends Base {
    constructor(message, fields, options) {
      super(message, fields, options)
      toolFields(this)
    }
  },
}[name]]))

/** An exception class whose `reason` says, for code to branch on, why the check failed. */
const reasoned = (name) => ({
  [name]: class extends ScalekitException {
    constructor(message, fields = {}, options) {
      super(message, options)
      this.reason = fields.reason
    }
  },
})[name]

/** A webhook or interceptor payload that did not verify. */
const WebhookVerificationError = reasoned('WebhookVerificationError')

/** A JWT that did not validate (signature, expiry, issuer, audience or scopes). */
const ScalekitValidateTokenFailureException = reasoned('ScalekitValidateTokenFailureException')

/** True for an error that an upstream tool provider caused (`errorCode` `TOOL_ERROR`), as in the official SDK. */
function isToolException(error) {
  return error instanceof ScalekitServerException && error.isToolError === true
}

const classes = {
  ScalekitException,
  WebhookVerificationError,
  ScalekitValidateTokenFailureException,
  ScalekitValidationException,
  ScalekitTransportException,
  ScalekitTimeoutException,
  ScalekitAbortedException,
  ScalekitOutcomeUnknownException,
  ScalekitServerException,
  ...serverClasses,
  ...toolClasses,
}
// jest gives every test file its own copy of this module while the addon is loaded once per process, so an
// error can come from another copy's class: `instanceof` also matches a class of the same name up the chain.
const CLASS_NAME = Symbol.for('scalekit-native.exception-class')
for (const [name, Class] of Object.entries(classes)) {
  Object.defineProperty(Class.prototype, 'name', { value: name, writable: true, configurable: true })
  Object.defineProperty(Class.prototype, CLASS_NAME, { value: name })
  Object.defineProperty(Class, Symbol.hasInstance, { value: isInstanceOfAnyCopy, configurable: true })
}

// The official SDK reports a time-out as ScalekitGatewayTimeoutException and a refused connection as
// ScalekitServiceUnavailableException (connect's Unavailable): catch blocks written for those still match ours.
// A create that timed out after it was sent is a ScalekitOutcomeUnknownException: it is a time-out all the same.
const transportOfKind = (kind) => (value) => isInstanceOfAnyCopy.call(ScalekitTransportException, value) && value.kind === kind
const ALSO_MATCHES = {
  ScalekitTimeoutException: transportOfKind('timeout'),
  ScalekitGatewayTimeoutException: transportOfKind('timeout'),
  ScalekitServiceUnavailableException: transportOfKind('connect'),
}

function isInstanceOfAnyCopy(value) {
  // A Proxy is none of ours, and its traps are not run to find out.
  if (value !== null && typeof value === 'object' && isProxy(value)) return false
  if (Function.prototype[Symbol.hasInstance].call(this, value)) return true
  const name = Object.getOwnPropertyDescriptor(this.prototype, CLASS_NAME)?.value
  if (ALSO_MATCHES[name]?.(value)) return true
  // A subclass of your own has no name of ours: only its own chain counts.
  if (name === undefined || value === null || typeof value !== 'object') return false
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (Object.getOwnPropertyDescriptor(proto, CLASS_NAME)?.value === name) return true
  }
  return false
}

// Status codes napi-rs gives an argument it could not convert (napi_status names).
const CONVERSION_CODES = new Set(['InvalidArg', 'ObjectExpected', 'StringExpected', 'NameExpected', 'FunctionExpected',
  'NumberExpected', 'BooleanExpected', 'ArrayExpected', 'BigintExpected', 'DateExpected', 'ArrayBufferExpected'])
const CODE_TYPES = { ObjectExpected: 'an object', StringExpected: 'a string', NumberExpected: 'a number',
  BooleanExpected: 'a boolean', ArrayExpected: 'an array', FunctionExpected: 'a function', BigintExpected: 'a bigint' }
const RUST_TYPES = { String: 'a string', str: 'a string', bool: 'a boolean', Boolean: 'a boolean', Object: 'an object',
  Function: 'a function', Array: 'an array', Vec: 'an array', Number: 'a number', Date: 'a Date, an RFC 3339 string or a protobuf Timestamp ({ seconds, nanos })' }

/** The JS type of a value as messages name it. Never runs your code: a Proxy's traps are not called. */
function jsTypeOf(value) {
  if (value === null) return 'null'
  if (typeof value === 'object') {
    try {
      if (Array.isArray(value)) return 'an array'
      // `instanceof` walks the prototype chain, which a Proxy's trap may answer.
      if (!isProxy(value) && Buffer.isBuffer(value)) return 'a Buffer'
    } catch {
      // A revoked Proxy, or a prototype chain through a Proxy that throws.
      return 'an object'
    }
  }
  return { object: 'an object', string: 'a string', number: 'a number', boolean: 'a boolean', undefined: 'undefined',
    function: 'a function', bigint: 'a bigint', symbol: 'a symbol' }[typeof value]
}

function expectedType(code, rustType) {
  const base = rustType && rustType.replace(/^Option<(.*)>$/, '$1').replace(/<.*$/, '')
  if (base && /^([iu](8|16|32|64|size)|f32|f64)$/.test(base)) return 'a number'
  return RUST_TYPES[base] ?? CODE_TYPES[code] ?? (base && /^[A-Z]/.test(base) ? 'an object' : undefined)
}

const child = (path, key) => (typeof key === 'number' ? `${path}[${key}]` : `${path}.${key}`)
const isCollection = (type) => type === 'an object' || type === 'an array'

/** The first entry of a list (holes included, as napi-rs reads them) or an object that fails `wrong`: `[key, value]`. */
function findEntry(value, wrong) {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (wrong(value[i])) return [i, value[i]]
    return undefined
  }
  for (const key of Object.keys(value)) if (wrong(value[key])) return [key, value[key]]
  return undefined
}

/**
 * Walks `keys` (struct fields, outermost first) into `value`, through lists,
 * to the first value that is not `expected` (`a string`, `a string or an array of
 * strings`, …): `[path, value, trail, expected]`, or null; with `expected` null, to
 * the value itself. A map or list where a single value was expected is searched
 * for its wrong entry. A Proxy is not looked into: its traps are your code.
 */
function locate(value, keys, expected, path, trail = []) {
  if (keys.length === 0) {
    if (expected === null) return [path, value, trail, expected]
    if (typeof expected === 'function') return expected(value) ? [path, value, trail, undefined] : null
    const accepted = expected.split(' or ')
    const got = jsTypeOf(value)
    if (accepted.includes(got)) return null
    if (got === 'an array' && accepted.includes('an array of strings') && !isProxy(value)) {
      const wrong = findEntry(value, (v) => typeof v !== 'string')
      return wrong ? [child(path, wrong[0]), wrong[1], [...trail, wrong[0]], 'a string'] : null
    }
    if (isCollection(got) && !accepted.some(isCollection) && !isProxy(value)) {
      const wrong = findEntry(value, (v) => !accepted.includes(jsTypeOf(v)))
      return wrong ? [child(path, wrong[0]), wrong[1], [...trail, wrong[0]], expected] : [path, value, trail, expected]
    }
    return [path, value, trail, expected]
  }
  if (value === null || typeof value !== 'object' || isProxy(value)) return null
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = locate(value[i], keys, expected, child(path, i), [...trail, i])
      if (found) return found
    }
    return null
  }
  if (!(keys[0] in value)) return null
  return locate(value[keys[0]], keys.slice(1), expected, child(path, keys[0]), [...trail, keys[0]])
}

/** What napi-rs says of a conversion error: the Rust type, the struct fields down to it, a missing field. */
function conversionOf(error) {
  const text = String(error.message)
  // "… into rust type `T` on A.b on C.d" | "Expect value to be T, but received U" | "Expected an array" | "Missing field `f` …"
  const rust = /rust type `([^`]*)`(?:(?: on [\w.]+)*)$/.exec(text)?.[1] ?? /^Expect value to be ([^,]+), but received/.exec(text)?.[1]
  const chain = [...text.matchAll(/ on (\w+)\.(\w+)/g)].map((m) => m[2]).reverse()
  const missing = /^Missing field `(\w+)`/.exec(text)?.[1]
  // napi-rs's own wording for some types, e.g. "Expected an array" for a Vec.
  const stated = /^Expected (an? \w+)$/.exec(text)?.[1]
  // An Either: "Value is none of these types `String`, `Array<T>`, on …" (our Eithers hold strings).
  const either = /^Value is none of these types (.*?)\s*(?: on |$)/.exec(text)?.[1]
  const alternatives = either && [...either.matchAll(/`([^`]*)`/g)].map((m) => EITHER_TYPES[m[1]] ?? expectedType(undefined, m[1]) ?? 'another type').join(' or ')
  // Your own JSON (`serde_json::Value`): what it cannot hold.
  const json = JSON_PROBLEMS.find(([pattern]) => pattern.test(text))?.[1]
  return { rust, chain, missing, json, expected: stated ?? alternatives ?? expectedType(error.code, rust) ?? 'another type' }
}

const EITHER_TYPES = { String: 'a string', 'Array<T>': 'an array of strings', Buffer: 'a Buffer' }
const JSON_PROBLEMS = [
  [/^Exceeded maximum JSON nesting depth/, 'a value nested too deep (or a cycle)'],
  [/^JS symbols cannot be represented/, 'a symbol'],
  [/^JS functions cannot be represented/, 'a function'],
  [/^Failed to convert js number to serde_json::Number/, 'a number that is not finite'],
  [/cannot be represented as a serde_json::Value/, 'a value JSON cannot hold (a bigint?)'],
]

/**
 * The arguments without the `null` property that failed a conversion, or undefined. napi-rs takes
 * only `undefined` for a field left out, but the official SDK (protobuf-es) treats `null` as left
 * out too, and so does code written for it (`{ externalId: row.external_id }`). Copies, never edits,
 * the caller's objects; a `null` in a list is not dropped.
 */
function withoutFailedNull(error, args) {
  try {
    return findFailedNull(error, args)
  } catch {
    // Your getter or Proxy threw while we looked: no second try, the first error stands.
    return undefined
  }
}

function findFailedNull(error, args) {
  if (error === null || typeof error !== 'object') return undefined
  // A struct-valued field given null: V8 itself throws, naming no field. The shallowest null goes first.
  if (error.name === 'TypeError' && error.code === undefined && /^Cannot convert undefined or null to object$/.test(error.message)) {
    return withoutShallowestNull(args)
  }
  if (!CONVERSION_CODES.has(error.code)) return undefined
  const { chain, missing, expected } = conversionOf(error)
  if (missing || chain.length === 0) return undefined
  for (let i = 0; i < args.length; i++) {
    const found = locate(args[i], chain, expected, '', [])
    if (!found) continue
    const [, value, trail] = found
    if (value !== null || trail.length === 0 || typeof trail[trail.length - 1] === 'number') return undefined
    const copy = [...args]
    copy[i] = withoutKey(args[i], trail)
    return copy
  }
  return undefined
}

// Input fields that hold your own JSON, where a null is a value: never looked into.
const OWN_JSON = new Set(['apiConfig', 'body', 'data', 'definition', 'details', 'formData', 'queryParams', 'staticConfig', 'params', 'value', 'customClaims', 'metadata', 'customAttributes'])

function withoutShallowestNull(args) {
  const queue = args.map((value, i) => [i, [], value])
  while (queue.length > 0) {
    const [i, trail, value] = queue.shift()
    if (value === null || typeof value !== 'object' || isProxy(value) || trail.length > 6) continue
    const entries = Array.isArray(value) ? value.map((v, k) => [k, v]) : Object.entries(value)
    for (const [key, entry] of entries) {
      if (entry === null && !Array.isArray(value)) {
        const copy = [...args]
        copy[i] = withoutKey(args[i], [...trail, key])
        return copy
      }
      if (entry !== null && typeof entry === 'object' && !OWN_JSON.has(key)) queue.push([i, [...trail, key], entry])
    }
  }
  return undefined
}

function withoutKey(value, [key, ...rest]) {
  const copy = Array.isArray(value) ? [...value] : { ...value }
  if (rest.length === 0) delete copy[key]
  // Defined, not assigned: assigning an own `__proto__` key would set the copy's prototype instead.
  else Object.defineProperty(copy, key, { value: withoutKey(value[key], rest), writable: true, enumerable: true, configurable: true })
  return copy
}

/** Calls the native method, leaving out optional fields given as `null` (see `withoutFailedNull`). */
function callNative(native, self, args) {
  let first
  for (let tries = 0; ; tries++) {
    try {
      return native.apply(self, args)
    } catch (error) {
      first ??= error
      // A field that is required fails as missing once its null is left out: the first error says why.
      if (error !== first && CONVERSION_CODES.has(error?.code) && conversionOf(error).missing) throw first
      const retry = tries < 64 ? withoutFailedNull(error, args) : undefined
      if (!retry) throw error
      args = retry
    }
  }
}

/**
 * A napi-rs argument-conversion error, restated as a validation error that
 * names the argument and the expected type and never shows the value: napi-rs's
 * own message for strings echoes the whole value (a secret, as like as not).
 */
function describeConversion(error, signature = [], args = []) {
  const params = parseSignature(signature)
  const conversion = conversionOf(error)
  try {
    return describeWith(conversion, params, args)
  } catch {
    // Your getter or Proxy threw while we looked at the arguments: say what napi-rs said, without the value.
    const field = conversion.chain.length > 0 ? conversion.chain.join('.') : conversion.missing
    const message = conversion.missing ? `${field} is required` : `${field ?? 'an argument'} must be ${conversion.expected}`
    return new ScalekitValidationException(message, { field })
  }
}

/** "organizationId: a string", "options?: an object" (see the js_parameters macro) as `{ name, optional, type }`. */
function parseSignature(signature = []) {
  return signature.map((p) => /^(\w+)(\??): (.*)$/.exec(p)).map(([, name, optional, type]) => ({ name, optional: !!optional, type }))
}

function describeWith({ chain, missing, json, expected }, params, args) {
  const argName = (i) => params[i]?.name ?? `argument ${i + 1}`
  if (missing && chain.length > 0) {
    // A required field of a nested struct: its holder is not an object at all, or lacks it.
    const lacks = (v) => v === null || typeof v !== 'object' || Array.isArray(v) || (!isProxy(v) && v[missing] === undefined)
    let found = null
    for (let i = 0; i < args.length && !found; i++) found = locate(args[i], chain, lacks, argName(i))
    if (found && (found[1] === null || typeof found[1] !== 'object' || Array.isArray(found[1]))) {
      return new ScalekitValidationException(`${found[0]} must be an object, got ${jsTypeOf(found[1])}`, { field: found[0] })
    }
    const field = `${found ? found[0] : chain.join('.')}.${missing}`
    return new ScalekitValidationException(`${field} is required`, { field })
  }
  if (missing) {
    const holder = args.findIndex((a) => a !== null && typeof a === 'object' && !(missing in a))
    const field = holder >= 0 ? `${argName(holder)}.${missing}` : missing
    // The official checks name an option bare (`email is required`); other objects keep their name.
    const named = holder >= 0 && argName(holder) === 'options' ? missing : field
    return new ScalekitValidationException(`${named} is required`, { field })
  }
  if (chain.length === 0) {
    // A top-level argument: the first whose value its declared type does not take.
    const accepts = (p, value) => (p.optional && value == null) || p.type.split(' or ').includes(jsTypeOf(value))
    const wrong = params.findIndex((p, i) => !accepts(p, args[i]))
    if (wrong >= 0) {
      const param = params[wrong]
      const message = `${param.name} must be ${param.type}${param.optional ? ' or undefined' : ''}, got ${jsTypeOf(args[wrong])}`
      return new ScalekitValidationException(message, { field: param.name })
    }
    // Every value has its declared type: fall back to what napi-rs expected.
    const index = params.findIndex((p, i) => p.type === expected && jsTypeOf(args[i]) !== expected && !(p.optional && args[i] == null))
    const param = params[index] ?? { name: 'an argument', optional: false }
    const got = index >= 0 ? jsTypeOf(args[index]) : 'another type'
    const message = `${param.name} must be ${expected}${param.optional ? ' or undefined' : ''}, got ${got}`
    return new ScalekitValidationException(message, { field: index >= 0 ? param.name : undefined })
  }
  let found = null
  for (let i = 0; i < args.length && !found; i++) found = locate(args[i], chain, json ? null : expected, argName(i))
  if (json) {
    const field = found ? found[0] : chain.join('.')
    return new ScalekitValidationException(`${field} must be JSON data, got ${json}`, { field })
  }
  const [field, value, , wanted] = found ?? [chain.join('.'), undefined, undefined, expected]
  const message = found ? `${field} must be ${wanted}, got ${jsTypeOf(value)}` : `${field} holds a value that is not ${expected}`
  return new ScalekitValidationException(message, { field })
}

/**
 * Turns an error from the native layer into the matching exception class.
 * `signature` and `args` (the call's declared parameters and its arguments)
 * let a conversion error name the argument at fault.
 */
// Native errors and promises come from Node's main realm; under jest (a VM
// context) `instanceof Error` / `instanceof Promise` would be false, so test shapes.
function convertError(error, signature, args) {
  if (error === null || typeof error !== 'object' || isProxy(error) || error instanceof ScalekitException) return error
  try {
    if (typeof error.message === 'string' && error.message.startsWith(MARKER)) {
      const { name, message, ...fields } = JSON.parse(error.message.slice(MARKER.length))
      return new (classes[name] || ScalekitException)(message, fields)
    }
    if (CONVERSION_CODES.has(error.code)) return describeConversion(error, signature, args ? [...args] : [])
    if (args) return describeEngineError(error, signature, [...args]) ?? error
  } catch {
    // An error of your own whose fields throw when read: it passes through unchanged.
  }
  return error
}

// What V8 throws while napi-rs reads an argument: a revoked Proxy, or, where a value has the wrong type, the
// JSON.stringify that napi-rs runs on it to word its own message (a cycle, a bigint, a huge or deep object).
const ENGINE_ERRORS = [
  ['TypeError', /^Converting circular structure to JSON/, 'cycle', 'an object that contains a cycle'],
  ['TypeError', /^Do not know how to serialize a BigInt/, 'bigint', 'an object that holds a bigint'],
  ['TypeError', /on a proxy that has been revoked$/, 'revoked', 'a revoked Proxy'],
  ['RangeError', /^(Invalid string length|Maximum call stack size exceeded)$/, 'size', 'an object too large or too deeply nested to read'],
]

/** A validation error naming the argument at fault for an ENGINE_ERRORS error, or undefined when none is found. */
function describeEngineError(error, signature, args) {
  const [, , kind, what] = ENGINE_ERRORS.find(([name, pattern]) => error.name === name && pattern.test(error.message)) ?? []
  if (!kind) return undefined
  const params = parseSignature(signature)
  for (let i = 0; i < args.length; i++) {
    const path = findCulprit(kind, args[i], params[i]?.name ?? `argument ${i + 1}`)
    if (path === undefined) continue
    const param = params[i]
    const message = param && path === param.name
      ? `${path} must be ${param.type}${param.optional ? ' or undefined' : ''}, got ${what}`
      : `${path} has the wrong type: got ${what}`
    return new ScalekitValidationException(message, { field: path })
  }
  return undefined
}

const isRevoked = (proxy) => {
  try {
    Array.isArray(proxy)
    return false
  } catch {
    return true
  }
}

/**
 * The path of what made V8 throw, walking `value` without running a Proxy's traps: for a cycle, the object it
 * returns to; for a bigint, the object holding it; a revoked Proxy; for size, an array of over a million entries or
 * nesting 500 deep. Bounded: a value too big to walk is not searched to its end. Getters that throw are skipped.
 */
function findCulprit(kind, root, rootPath) {
  let budget = 200_000
  const ancestors = []
  const paths = []
  const visit = (value, path) => {
    if (--budget < 0 || value === null || typeof value !== 'object') return undefined
    if (isProxy(value)) return kind === 'revoked' && isRevoked(value) ? path : undefined
    const seen = ancestors.indexOf(value)
    if (seen >= 0) return kind === 'cycle' ? paths[seen] : undefined
    // Too deep: the field that holds the deep value (the walk's second step), not the 500th level.
    if (kind === 'size' && ancestors.length >= 500) return paths[Math.min(1, paths.length - 1)]
    if (kind === 'size' && Array.isArray(value) && value.length > 1_000_000) return path
    ancestors.push(value)
    paths.push(path)
    try {
      const keys = Array.isArray(value) ? { length: value.length } : Object.keys(value)
      for (let k = 0; k < keys.length && budget > 0; k++) {
        const key = Array.isArray(keys) ? keys[k] : k
        let next
        try {
          next = value[key]
        } catch {
          continue
        }
        if (kind === 'bigint' && typeof next === 'bigint') return path
        const found = visit(next, child(path, key))
        if (found !== undefined) return found
      }
    } catch {
      // Keys your Proxy or getter would not give: not searched.
    } finally {
      ancestors.pop()
      paths.pop()
    }
    return undefined
  }
  if (kind === 'revoked' && isProxy(root) && isRevoked(root)) return rootPath
  return visit(root, rootPath)
}

// napi-rs reserves room for a whole list before it reads its first entry: a sparse `new Array(2 ** 32 - 1)`, free
// to make in JS, asked for ~100 GB and the process aborted. No argument may hold a longer list than this.
const MAX_ENTRIES = 2 ** 22

/**
 * The path of the first list in `args` longer than MAX_ENTRIES, at any depth (napi-rs converts nested lists
 * and your own JSON the same way), or undefined. A Proxy is not looked into (napi-rs takes none as a list); the
 * walk is bounded in depth and in objects visited, as napi-rs's own JSON conversion is, and a cycle ends where
 * it comes back.
 */
function findHugeList(args, params) {
  const walk = { budget: 200_000, above: [] }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    const found = arg !== null && typeof arg === 'object' ? hugeListIn(arg, walk) : undefined
    if (found) return found.reduceRight(child, params[i]?.name ?? `argument ${i + 1}`)
  }
  return undefined
}

/** The keys down to a list too long in `value`, innermost first, or undefined. */
function hugeListIn(value, walk) {
  const { above } = walk
  if (--walk.budget < 0 || above.length > 130 || isProxy(value) || above.includes(value)) return undefined
  let found
  above.push(value)
  if (Array.isArray(value)) {
    if (value.length > MAX_ENTRIES) found = []
    for (let i = 0; i < value.length && !found; i++) {
      const entry = value[i]
      if (entry !== null && typeof entry === 'object' && (found = hugeListIn(entry, walk))) found.push(i)
    }
  } else if (!ArrayBuffer.isView(value)) {
    for (const key in value) {
      const entry = value[key]
      if (entry !== null && typeof entry === 'object' && (found = hugeListIn(entry, walk))) {
        found.push(key)
        break
      }
    }
  }
  above.pop()
  return found
}

/** Refuses arguments that napi-rs cannot be trusted with (see MAX_ENTRIES). */
function checkLists(args, params) {
  const path = findHugeList(args, params)
  if (path !== undefined) throw new ScalekitValidationException(`${path} has more than ${MAX_ENTRIES} entries, more than any call takes`, { field: path })
}

const wrongType = (field, needed, value) => new ScalekitValidationException(`${field} must be ${needed}, got ${jsTypeOf(value)}`, { field })

/** What a Map, a fetch Headers or a URLSearchParams is called, or undefined: napi-rs reads none of their entries. */
function entriesKind(value) {
  if (isProxy(value)) return undefined
  if (isMap(value)) return 'a Map'
  try {
    // Not `instanceof`: a Headers may come from another realm (jest, vm).
    const tag = Object.prototype.toString.call(value)
    return { '[object Headers]': 'a Headers', '[object URLSearchParams]': 'a URLSearchParams' }[tag]
  } catch {
    return undefined
  }
}

/**
 * The per-request options, checked where napi-rs is lax: it takes an array for the options, and a string, a
 * number or an array for `headers` (a string became headers named "0", "1", …). napi-rs checks the other
 * fields' types; `signal` is checked by `withCancellation`. The internal `cancellation` field is only ever
 * set by this file. Gives the options to pass on.
 */
function checkRequestOptions(options, field = 'requestOptions') {
  if (options == null) return options
  const type = jsTypeOf(options)
  if (type !== 'an object') throw wrongType(field, 'an object or undefined', options)
  const { headers, cancellation } = options
  if (headers != null) {
    const kind = jsTypeOf(headers) === 'an object' ? entriesKind(headers) : jsTypeOf(headers)
    if (kind) throw new ScalekitValidationException(`${field}.headers must be a plain object of header names to strings, got ${kind}`, { field: `${field}.headers` })
  }
  return cancellation === undefined ? options : { ...options, cancellation: undefined }
}

/**
 * Ties a call to its AbortSignal without touching the caller's `onabort` or
 * listeners: an already aborted signal throws at once (nothing is sent); a
 * later abort cancels the native call, which drops its request and closes the
 * connection. Gives the options for the native call and a release function.
 */
function withCancellation(requestOptions, { create, end }) {
  const { signal } = requestOptions
  if (typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function') {
    throw new ScalekitValidationException('requestOptions.signal must be an AbortSignal', { field: 'requestOptions.signal' })
  }
  if (signal.aborted) {
    throw new ScalekitAbortedException('the call was aborted by its AbortSignal before it started: nothing was sent', { kind: 'aborted', attempts: 0 })
  }
  const id = create()
  const onAbort = () => end(id, true)
  signal.addEventListener('abort', onAbort, { once: true })
  const release = () => {
    signal.removeEventListener('abort', onAbort)
    end(id, false)
  }
  return [{ ...requestOptions, signal: undefined, cancellation: id }, release]
}

function rethrow(error) {
  const converted = convertError(error)
  // Start the stack at the caller's await, not inside this file.
  if (converted !== error) Error.captureStackTrace(converted, rethrow)
  throw converted
}

/**
 * Wraps every method (and static method) of a native class so that its
 * failures arrive as our classes. `parameters` maps each method to its
 * declared parameters; `async` lists the methods that return a promise: for those a
 * synchronous throw (bad argument types) becomes a rejection, as every other failure
 * of a call is.
 */
const NATIVE = Symbol.for('scalekit-native.native-method')

function wrapMethods(Class, { async = [], parameters = {}, cancellation }) {
  const asyncMethods = new Set(async)
  for (const target of [Class.prototype, Class]) {
    for (const key of Object.getOwnPropertyNames(target)) {
      const descriptor = Object.getOwnPropertyDescriptor(target, key)
      // napi-rs defines static methods as non-configurable: those keep napi-rs's own (value-free, strict) errors.
      if (['constructor', 'prototype', 'length', 'name'].includes(key) || typeof descriptor.value !== 'function' || !descriptor.configurable) continue
      // A second copy of this file (jest loads modules afresh for each test file, the addon once per process)
      // wraps the addon's own function again, not the first copy's wrapper: stacked wrappers would hand out
      // the first copy's classes, and `instanceof` would fail against the second's.
      const native = descriptor.value[NATIVE] ?? descriptor.value
      const signature = parameters[key]
      // The per-request options, when the method takes them: their `signal` is handled here.
      const optionsAt = cancellation ? (signature ?? []).findIndex((p) => /^requestOptions\??:/.test(p)) : -1
      // napi-rs takes an array where an object goes: the object parameters are checked here.
      const params = parseSignature(signature)
      const objects = params.map((p, i) => ({ ...p, i })).filter((p) => p.type === 'an object' && p.i !== optionsAt)
      const wrapped = {
        [key](...args) {
          let result
          let release
          try {
            for (const p of objects) if (jsTypeOf(args[p.i]) === 'an array') throw wrongType(p.name, `an object${p.optional ? ' or undefined' : ''}`, args[p.i])
            if (optionsAt >= 0) args[optionsAt] = checkRequestOptions(args[optionsAt])
            checkLists(args, params)
            if (optionsAt >= 0 && args[optionsAt] != null && typeof args[optionsAt] === 'object' && args[optionsAt].signal != null) {
              ;[args[optionsAt], release] = withCancellation(args[optionsAt], cancellation)
            }
            result = callNative(native, this, args)
          } catch (error) {
            release?.()
            const converted = convertError(error, signature, args)
            if (converted !== error) Error.captureStackTrace(converted, wrapped)
            if (asyncMethods.has(key)) return Promise.reject(converted)
            throw converted
          }
          if (result === null || typeof result !== 'object' || typeof result.then !== 'function') return result
          const settled = result.catch(rethrow)
          return release ? settled.finally(release) : settled
        },
      }[key]
      Object.defineProperty(wrapped, NATIVE, { value: native })
      Object.defineProperty(target, key, { ...descriptor, value: wrapped })
    }
  }
  return Class
}

module.exports = { classes, isToolException, convertError, wrapMethods, checkRequestOptions, checkLists, parseSignature, jsTypeOf }
