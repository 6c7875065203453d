'use strict'
// Exception classes named as in @scalekit-sdk/node, rebuilt from the fields the
// Rust side puts in a rejected error's message (see src/errors.rs).

const MARKER = '\u0001scalekit:'

class ScalekitException extends Error {}

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
  }
}

class ScalekitServerException extends ScalekitException {
  constructor(message, fields = {}, options) {
    super(message, options)
    this.httpStatus = fields.httpStatus
    this.grpcStatus = fields.grpcStatus
    this.errorCode = fields.errorCode ?? null
    this.errDetails = fields.errDetails ?? []
    this.requestId = fields.requestId ?? null
  }

  get unpackedDetails() {
    return this.errDetails
  }

  toString() {
    const parts = [`HTTP ${this.httpStatus}`, this.errorCode, this.requestId && `request ${this.requestId}`].filter(Boolean)
    return `${this.name}: ${this.message} (${parts.join(', ')})`
  }
}

const serverClasses = [
  'BadRequest', 'Unauthorized', 'Forbidden', 'NotFound', 'Conflict', 'TooManyRequests', 'Cancelled',
  'InternalServer', 'NotImplemented', 'ServiceUnavailable', 'GatewayTimeout', 'Unknown',
].map((kind) => {
  const name = `Scalekit${kind}Exception`
  return { [name]: class extends ScalekitServerException {} }[name]
})

const classes = {
  ScalekitException,
  ScalekitValidationException,
  ScalekitTransportException,
  ScalekitServerException,
  ...Object.fromEntries(serverClasses.map((c) => [c.name, c])),
}
for (const [name, Class] of Object.entries(classes)) {
  Object.defineProperty(Class.prototype, 'name', { value: name, writable: true, configurable: true })
}

/** Turns an error from the native layer into the matching exception class. */
// Native errors and promises come from Node's main realm; under jest (a VM
// context) `instanceof Error` / `instanceof Promise` would be false, so test shapes.
function convertError(error) {
  if (error === null || typeof error !== 'object' || error instanceof ScalekitException) return error
  if (typeof error.message === 'string' && error.message.startsWith(MARKER)) {
    const { name, message, ...fields } = JSON.parse(error.message.slice(MARKER.length))
    return new (classes[name] || ScalekitException)(message, fields)
  }
  // napi-rs could not convert an argument (wrong JS type): bad input too.
  if (error.code === 'InvalidArg' || error.code === 'NumberExpected' || error.code === 'StringExpected' || error.code === 'ObjectExpected') {
    return new ScalekitValidationException(error.message, {})
  }
  return error
}

function rethrow(error) {
  const converted = convertError(error)
  // Start the stack at the caller's await, not inside this file.
  if (converted !== error) Error.captureStackTrace(converted, rethrow)
  throw converted
}

/**
 * Wraps every method of a native class so that its failures arrive as our
 * classes. For async methods a synchronous throw (bad argument types) becomes a
 * rejection, as every other failure of a call is.
 */
function wrapMethods(Class, { async }) {
  const proto = Class.prototype
  for (const key of Object.getOwnPropertyNames(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, key)
    if (key === 'constructor' || typeof descriptor.value !== 'function') continue
    const native = descriptor.value
    const wrapped = {
      [key](...args) {
        let result
        try {
          result = native.apply(this, args)
        } catch (error) {
          if (async) return Promise.reject(convertError(error))
          throw convertError(error)
        }
        return result !== null && typeof result === 'object' && typeof result.then === 'function' ? result.catch(rethrow) : result
      },
    }[key]
    Object.defineProperty(proto, key, { ...descriptor, value: wrapped })
  }
  return Class
}

module.exports = { ...classes, convertError, wrapMethods }
