'use strict'
// scalekit-native/testing: a Scalekit-compatible server for tests and demos.

// Where the emulator's binary may be, written out for file tracing as native.js's clientPaths
// (see there); here, so that only apps that load scalekit-native/testing ship it.
function emulatorPaths(platform) {
  try {
    return [
      `${__dirname}/scalekit-native-testing.${platform}.node`,
      `${__dirname}/../scalekit-native-${platform}/scalekit-native-testing.${platform}.node`,
      `${__dirname}/../../scalekit-native-${platform}/scalekit-native-testing.${platform}.node`,
      __dirname && `${process.cwd()}/node_modules/scalekit-native-${platform}/scalekit-native-testing.${platform}.node`,
      __dirname && `${process.cwd()}/node_modules/.pnpm/node_modules/scalekit-native-${platform}/scalekit-native-testing.${platform}.node`,
      __dirname && `${process.cwd()}/node_modules/scalekit-native/scalekit-native-testing.${platform}.node`,
    ]
  } catch {
    return []
  }
}

const { ScalekitEmulator, McpEmulator, __jsParameters, __jsAsyncMethods } = require('./native.js').testing(emulatorPaths)
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
