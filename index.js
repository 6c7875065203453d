'use strict'
// Entry point: the addon (through native.js) plus the exception classes.
//
// Every export is a plain `exports.Name = …` line, so that Node's CommonJS lexer
// sees it and `import { Name } from 'scalekit-native'` works from ESM; spreading
// an object into module.exports would hide the names. `__esModule` and
// `exports.default` are set as in the official package, so TypeScript's
// `esModuleInterop` default import is the client class.

Object.defineProperty(exports, '__esModule', { value: true })

const binding = require('./native.js').client()
const errors = require('./errors.js')
const { classes } = errors
// process.getBuiltinModule first (Node 20.16+): an ES module bundle (esbuild --format=esm) has no require() for builtins.
const { isProxy, isUint8Array } = (process.getBuiltinModule?.('node:util') ?? require('node:util')).types

// The client and its sub-clients (the emulator has its own addon; testing.js wraps it).
const parameters = binding.__jsParameters()
const asyncMethods = binding.__jsAsyncMethods()
const cancellation = { create: binding.__cancellation, end: binding.__cancel }
for (const [name, methods] of Object.entries(parameters)) {
  errors.wrapMethods(binding[name], { async: asyncMethods[name], parameters: methods, cancellation })
}
require('./pagination.js').install(binding, parameters)

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'off']
const LEVEL_OF_EVENT = { request: 'debug', response: 'info', retry: 'warn', error: 'warn' }

/**
 * The one function the native client calls with each attempt's redacted event
 * (a JSON string), built from `logger`, `logLevel`, `SCALEKIT_LOG` and the
 * hooks; undefined when nothing listens, so that no event is even made.
 */
function eventSink(options) {
  const { logger, logLevel, onRequest, onResponse } = options ?? {}
  const envLevel = process.env.SCALEKIT_LOG
  for (const [field, hook] of [['onRequest', onRequest], ['onResponse', onResponse]]) {
    if (hook != null && typeof hook !== 'function') {
      throw new classes.ScalekitValidationException(`options.${field} must be a function`, { field: `options.${field}` })
    }
  }
  if (logger != null && (typeof logger !== 'object' || !['debug', 'info', 'warn', 'error'].every((m) => typeof logger[m] === 'function'))) {
    throw new classes.ScalekitValidationException('options.logger must have debug, info, warn and error methods (console does)', { field: 'options.logger' })
  }
  for (const [field, level] of [['options.logLevel', logLevel], ['SCALEKIT_LOG', envLevel || undefined]]) {
    if (level !== undefined && !LOG_LEVELS.includes(level)) {
      throw new classes.ScalekitValidationException(`${field} must be one of ${LOG_LEVELS.join(', ')}`, { field })
    }
  }
  const level = logLevel ?? envLevel ?? (logger ? 'warn' : 'off')
  const sink = level === 'off' ? null : (logger ?? console)
  const threshold = LOG_LEVELS.indexOf(level)
  if (!sink && !onRequest && !onResponse) return undefined
  return (json) => {
    const event = JSON.parse(json)
    try {
      if (event.kind === 'request') onRequest?.(event)
      else if (event.kind !== 'retry') onResponse?.(event)
      let eventLevel = LEVEL_OF_EVENT[event.kind]
      if (event.kind === 'response' && event.status >= 400) eventLevel = 'warn'
      // A logger of your own also gets the event as an object; the console only the line.
      if (sink === console && LOG_LEVELS.indexOf(eventLevel) >= threshold) console[eventLevel](formatEvent(event))
      else if (sink && LOG_LEVELS.indexOf(eventLevel) >= threshold) sink[eventLevel](formatEvent(event), event)
    } catch (error) {
      // A throwing hook or logger must not break the call; say so once per failure.
      process.emitWarning(`scalekit-native: a logger or hook threw: ${error?.message ?? error}`)
    }
  }
}

function formatEvent(e) {
  const took = e.durationMs === undefined ? '' : ` in ${e.durationMs.toFixed(1)} ms`
  const id = e.requestId ? `, request ${e.requestId}` : ''
  switch (e.kind) {
    case 'request': return `scalekit: ${e.method} ${e.path} (attempt ${e.attempt})`
    case 'response': return `scalekit: ${e.method} ${e.path} -> ${e.status}${took} (attempt ${e.attempt}${id})`
    case 'error': return `scalekit: ${e.method} ${e.path} failed${took} (attempt ${e.attempt}): ${e.error}`
    default: return `scalekit: ${e.method} ${e.path}: retrying in ${e.delayMs} ms (after attempt ${e.attempt})`
  }
}

const CONSTRUCTOR = errors.parseSignature(parameters.ScalekitClient.constructor)
// The getters that give a sub-client (not environmentUrl or clientId, which stay getters).
const SUB_CLIENTS = Object.getOwnPropertyNames(binding.ScalekitClient.prototype).filter(
  (key) => typeof Object.getOwnPropertyDescriptor(binding.ScalekitClient.prototype, key).get === 'function' && key !== 'environmentUrl' && key !== 'clientId',
)

/**
 * Headers as Node's `IncomingHttpHeaders`, a fetch `Headers` or any plain object
 * (any case), as the lower-case string map the native check reads.
 */
function headerMap(headers) {
  // Anything else, a Proxy included, goes as it is: the native check names its type.
  if (errors.jsTypeOf(headers) !== 'an object' || isProxy(headers)) return headers
  const entries = typeof headers.entries === 'function' && typeof headers.get === 'function' ? [...headers.entries()] : Object.entries(headers)
  const map = {}
  for (const [name, value] of entries) {
    const text = errors.jsTypeOf(value) === 'an array' && !isProxy(value) ? value[0] : value
    if (typeof text === 'string') map[String(name).toLowerCase()] = text
  }
  return map
}

/** The raw body as the native check takes it; a parsed object cannot be verified. */
function rawBody(payload) {
  // isUint8Array first: Buffer.isBuffer walks the prototype chain, which a Proxy's trap answers.
  if (typeof payload === 'string' || (isUint8Array(payload) && Buffer.isBuffer(payload))) return payload
  if (isUint8Array(payload)) return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)
  if (payload !== null && typeof payload === 'object') {
    throw new classes.WebhookVerificationError('payload looks like parsed JSON: pass the raw body (a string or Buffer, e.g. express.raw())', { reason: 'parsed_payload' })
  }
  return payload
}

// Keys under these hold your own data: they are not camelCased.
const FREE_FORM = new Set(['metadata', 'custom_attributes', 'raw_attributes', 'user_detail', 'group_detail', 'attributes'])
const camel = (key) => key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())

function camelKeys(value) {
  if (Array.isArray(value)) return value.map(camelKeys)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [camel(k), FREE_FORM.has(k) ? v : camelKeys(v)]))
}

// `withOptions` passes it (and the parent) through the constructor.
const DERIVE = Symbol('derive')
const SETTINGS = [
  ['envUrl', 'environmentUrl', 'SCALEKIT_ENVIRONMENT_URL'],
  ['clientId', 'clientId', 'SCALEKIT_CLIENT_ID'],
  ['clientSecret', 'clientSecret', 'SCALEKIT_CLIENT_SECRET'],
]

/** The three settings from the arguments, else from the environment; the error names what is missing. */
function settings(values, objectForm) {
  return values.map((value, i) => {
    const [positional, named, variable] = SETTINGS[i]
    if (value !== undefined && value !== null) {
      // The positional form's types are checked natively, with the value hidden; this one's here.
      if (objectForm && typeof value !== 'string') {
        throw new classes.ScalekitValidationException(`${named} must be a string, got ${Array.isArray(value) ? 'an array' : `a ${typeof value}`}`, { field: named })
      }
      return value
    }
    const fromEnv = process.env[variable]
    if (fromEnv) return fromEnv
    const field = objectForm ? named : positional
    throw new classes.ScalekitValidationException(`${field} is required: pass it${objectForm ? ' in the options' : ''}, or set ${variable}`, { field })
  })
}

/**
 * The logger and hooks stay in JS; the rest goes to Rust. napi-rs takes an array for an object (and any value
 * for `appInfo`, read as an object), so those are checked here; it checks every other field's type.
 */
function split(options) {
  const isObject = options !== null && typeof options === 'object'
  if (isObject && errors.jsTypeOf(options) !== 'an object') {
    throw new classes.ScalekitValidationException(`options must be an object or undefined, got ${errors.jsTypeOf(options)}`, { field: 'options' })
  }
  // SCALEKIT_LOG applies without options too.
  const onEvent = eventSink(isObject ? options : undefined)
  if (!isObject) return [options, onEvent]
  const { logger, logLevel, onRequest, onResponse, ...native } = options
  if (native.appInfo != null && errors.jsTypeOf(native.appInfo) !== 'an object') {
    throw new classes.ScalekitValidationException(`options.appInfo must be an object ({ name, version?, url? }), got ${errors.jsTypeOf(native.appInfo)}`, { field: 'options.appInfo' })
  }
  return [native, onEvent]
}

/** A class constructed on its own, whose constructor's conversion errors become typed ones, as its methods' do. */
function withTypedConstructorErrors(Native) {
  const signature = parameters[Native.name].constructor
  return {
    [Native.name]: class extends Native {
      constructor(...args) {
        try {
          super(...args)
        } catch (error) {
          throw errors.convertError(error, signature, args)
        }
      }
    },
  }[Native.name]
}

class ScalekitClient extends binding.ScalekitClient {
  /**
   * `new ScalekitClient(envUrl, clientId, clientSecret, options?)`, or `new ScalekitClient({ environmentUrl,
   * clientId, clientSecret, ...options })`; a setting left out comes from `SCALEKIT_ENVIRONMENT_URL`,
   * `SCALEKIT_CLIENT_ID` or `SCALEKIT_CLIENT_SECRET`.
   */
  constructor(envUrl, clientId, clientSecret, options) {
    // What the native constructor gets, for naming the argument at fault.
    let nativeArgs = envUrl === DERIVE ? [undefined, undefined, undefined, clientSecret, undefined, clientId] : arguments
    try {
      if (envUrl === DERIVE) {
        const [native, onEvent] = split(clientSecret)
        nativeArgs = [undefined, undefined, undefined, native, onEvent, clientId]
        errors.checkLists(nativeArgs, CONSTRUCTOR)
        super(...nativeArgs)
      } else {
        let values = [envUrl, clientId, clientSecret]
        const objectForm = envUrl !== null && typeof envUrl === 'object' && !(envUrl instanceof URL) && clientId === undefined
        if (objectForm) {
          const { environmentUrl, clientId: id, clientSecret: secret, ...rest } = envUrl
          values = [environmentUrl, id, secret]
          options = rest
        } else if (envUrl instanceof URL) {
          values[0] = envUrl.href
        }
        nativeArgs = [...values, options]
        const [native, onEvent] = split(options)
        nativeArgs = [...settings(values, objectForm), native, onEvent]
        errors.checkLists(nativeArgs, CONSTRUCTOR)
        super(...nativeArgs)
      }
    } catch (error) {
      throw errors.convertError(error, parameters.ScalekitClient.constructor, nativeArgs)
    }
    // The sub-clients never change: read them from Rust once, not on every call.
    for (const name of SUB_CLIENTS) {
      Object.defineProperty(this, name, { value: super[name], enumerable: true })
    }
  }

  /**
   * A client with other defaults (`timeoutMs`, `toolTimeoutMs`, `maxRetries`, `deadlineMs`, `logger`,
   * hooks) that shares this one's connection pool, token cache and JWKS cache.
   */
  withOptions(options) {
    if (errors.jsTypeOf(options) !== 'an object') {
      throw new classes.ScalekitValidationException(`withOptions takes an options object, got ${errors.jsTypeOf(options)}`, { field: 'options' })
    }
    return new ScalekitClient(DERIVE, this, options)
  }

  verifyWebhookPayload(secret, headers, payload) {
    return super.verifyWebhookPayload(secret, headerMap(headers), rawBody(payload))
  }

  verifyInterceptorPayload(secret, headers, payload) {
    return super.verifyInterceptorPayload(secret, headerMap(headers), rawBody(payload))
  }

  constructWebhookEvent(secret, headers, payload) {
    const body = rawBody(payload)
    this.verifyWebhookPayload(secret, headers, body)
    let event
    try {
      event = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'))
    } catch {
      throw new classes.WebhookVerificationError('the payload verifies but is not JSON', { reason: 'not_json' })
    }
    return camelKeys(event)
  }
}

exports.ScalekitClient = ScalekitClient
exports.Scalekit = ScalekitClient
exports.default = ScalekitClient

exports.OrganizationClient = binding.OrganizationClient
exports.UserClient = binding.UserClient
exports.DomainClient = binding.DomainClient
exports.SessionClient = binding.SessionClient
exports.ConnectionClient = binding.ConnectionClient
exports.DirectoryClient = binding.DirectoryClient
exports.RoleClient = binding.RoleClient
exports.PermissionClient = binding.PermissionClient
exports.PasswordlessClient = binding.PasswordlessClient
exports.WebAuthnClient = binding.WebAuthnClient
exports.TokenClient = binding.TokenClient
exports.M2MClient = binding.M2MClient
exports.AuthClient = binding.AuthClient
exports.EventsClient = binding.EventsClient
exports.ToolsClient = binding.ToolsClient
exports.ConnectedAccountsClient = binding.ConnectedAccountsClient
exports.ActionsClient = binding.ActionsClient
exports.ProvidersClient = binding.ProvidersClient
exports.AuditLogsClient = binding.AuditLogsClient
exports.McpClient = binding.McpClient
// The core of scalekit-native/mcp's McpResourceServer (which adds the framework adapters).
exports.McpResourceServerCore = withTypedConstructorErrors(binding.McpResourceServerCore)
// The sealed cookies of scalekit-native/session.
exports.SessionSealer = withTypedConstructorErrors(binding.SessionSealer)

exports.generatePkce = binding.generatePkce
exports.GrantType = binding.GrantType
exports.ObjectType = binding.ObjectType
exports.Source = binding.Source
exports.RegionCode = binding.RegionCode
exports.DomainType = binding.DomainType
exports.TemplateType = binding.TemplateType
exports.TimeUnit = binding.TimeUnit
exports.SessionPolicyType = binding.SessionPolicyType
exports.MembershipStatus = binding.MembershipStatus

exports.isToolException = errors.isToolException
exports.ScalekitException = classes.ScalekitException
exports.WebhookVerificationError = classes.WebhookVerificationError
exports.ScalekitValidateTokenFailureException = classes.ScalekitValidateTokenFailureException
exports.ScalekitValidationException = classes.ScalekitValidationException
exports.ScalekitTransportException = classes.ScalekitTransportException
exports.ScalekitTimeoutException = classes.ScalekitTimeoutException
exports.ScalekitAbortedException = classes.ScalekitAbortedException
exports.ScalekitOutcomeUnknownException = classes.ScalekitOutcomeUnknownException
exports.ScalekitServerException = classes.ScalekitServerException
exports.ScalekitBadRequestException = classes.ScalekitBadRequestException
exports.ScalekitUnauthorizedException = classes.ScalekitUnauthorizedException
exports.ScalekitForbiddenException = classes.ScalekitForbiddenException
exports.ScalekitNotFoundException = classes.ScalekitNotFoundException
exports.ScalekitConflictException = classes.ScalekitConflictException
exports.ScalekitTooManyRequestsException = classes.ScalekitTooManyRequestsException
exports.ScalekitCancelledException = classes.ScalekitCancelledException
exports.ScalekitInternalServerException = classes.ScalekitInternalServerException
exports.ScalekitNotImplementedException = classes.ScalekitNotImplementedException
exports.ScalekitServiceUnavailableException = classes.ScalekitServiceUnavailableException
exports.ScalekitGatewayTimeoutException = classes.ScalekitGatewayTimeoutException
exports.ScalekitUnknownException = classes.ScalekitUnknownException
exports.ScalekitToolException = classes.ScalekitToolException
exports.ScalekitToolRateLimitException = classes.ScalekitToolRateLimitException
exports.ScalekitToolUnauthorizedException = classes.ScalekitToolUnauthorizedException
exports.ScalekitToolForbiddenException = classes.ScalekitToolForbiddenException
