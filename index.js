'use strict'
// Entry point: the generated loader (binding.js) plus the exception classes.
//
// Every export is a plain `exports.Name = …` line, so that Node's CommonJS lexer
// sees it and `import { Name } from 'scalekit-native'` works from ESM; spreading
// an object into module.exports would hide the names. `__esModule` and
// `exports.default` are set as in the official package, so TypeScript's
// `esModuleInterop` default import is the client class.

Object.defineProperty(exports, '__esModule', { value: true })

const binding = require('./binding.js')
const errors = require('./errors.js')
const { classes } = errors

// Every native class but the client itself (wrapped below) and the emulator (testing.js) is a sub-client.
const parameters = binding.__jsParameters()
for (const [name, methods] of Object.entries(parameters)) {
  if (name !== 'ScalekitClient' && name !== 'ScalekitEmulator') errors.wrapMethods(binding[name], { async: true, parameters: methods })
}

const SUB_CLIENTS = Object.getOwnPropertyNames(binding.ScalekitClient.prototype).filter(
  (key) => typeof Object.getOwnPropertyDescriptor(binding.ScalekitClient.prototype, key).get === 'function',
)

class ScalekitClient extends binding.ScalekitClient {
  constructor(envUrl, clientId, clientSecret, options) {
    try {
      super(envUrl, clientId, clientSecret, options)
    } catch (error) {
      throw errors.convertError(error, parameters.ScalekitClient.constructor, arguments)
    }
    // The sub-clients never change: read them from Rust once, not on every call.
    for (const name of SUB_CLIENTS) {
      Object.defineProperty(this, name, { value: super[name], enumerable: true })
    }
  }
}

exports.ScalekitClient = ScalekitClient
exports.Scalekit = ScalekitClient
exports.default = ScalekitClient

exports.OrganizationClient = binding.OrganizationClient
exports.UserClient = binding.UserClient

exports.GrantType = binding.GrantType
exports.ObjectType = binding.ObjectType
exports.Source = binding.Source

exports.isToolException = errors.isToolException
exports.ScalekitException = classes.ScalekitException
exports.WebhookVerificationError = classes.WebhookVerificationError
exports.ScalekitValidateTokenFailureException = classes.ScalekitValidateTokenFailureException
exports.ScalekitValidationException = classes.ScalekitValidationException
exports.ScalekitTransportException = classes.ScalekitTransportException
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
