'use strict'
// Entry point: the generated loader (binding.js) plus the exception classes.

const binding = require('./binding.js')
const errors = require('./errors.js')

errors.wrapMethods(binding.OrganizationClient, { async: true })
errors.wrapMethods(binding.UserClient, { async: true })

class ScalekitClient extends binding.ScalekitClient {
  constructor(envUrl, clientId, clientSecret, options) {
    try {
      super(envUrl, clientId, clientSecret, options)
    } catch (error) {
      throw errors.convertError(error)
    }
    // The sub-clients never change: read them from Rust once, not on every call.
    for (const name of ['organization', 'user']) {
      Object.defineProperty(this, name, { value: super[name], enumerable: true })
    }
  }
}

const { convertError, wrapMethods, ...exceptions } = errors

module.exports = {
  ...binding,
  ...exceptions,
  ScalekitClient,
  Scalekit: ScalekitClient,
  default: ScalekitClient,
}
