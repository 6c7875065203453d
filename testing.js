'use strict'
// scalekit-native/testing: a Scalekit-compatible server for tests and demos.

const { ScalekitEmulator, McpEmulator, __jsParameters, __jsAsyncMethods } = require('./native.js').testing()
const { wrapMethods, classes } = require('./errors.js')

const parameters = __jsParameters()
const asyncMethods = __jsAsyncMethods()
wrapMethods(ScalekitEmulator, { async: asyncMethods.ScalekitEmulator, parameters: parameters.ScalekitEmulator })
wrapMethods(McpEmulator, { async: asyncMethods.McpEmulator, parameters: parameters.McpEmulator })

/**
 * How the login user answers an MCP client's consent screen: `'allow'` (the default), `'deny'`, or a
 * function of the request `{ resourceId, clientId, userId, requestedScopes, resource }` that returns (or
 * resolves to) the scopes granted, `true` for all of them, or `false`/`null` to deny. A policy that throws
 * denies. The emulator's thread waits for the answer (up to 30 s), so step-up and partial grants can be tested.
 */
McpEmulator.prototype.setConsent = function setConsent(policy) {
  if (typeof policy === 'string') return this.__setConsentMode(policy)
  if (typeof policy !== 'function') {
    throw new classes.ScalekitValidationException("consent must be 'allow', 'deny' or a function", { field: 'policy' })
  }
  // napi-rs hands the (id, request) pair over as one array.
  this.__setConsentCallback((pair) => {
    const [id, json] = pair
    const request = JSON.parse(json)
    Promise.resolve()
      .then(() => policy(request))
      .then(
        (answer) => this.__resolveConsent(id, answer === true ? request.requestedScopes : Array.isArray(answer) ? answer.map(String) : null),
        () => this.__resolveConsent(id, null),
      )
  })
}

exports.ScalekitEmulator = ScalekitEmulator
