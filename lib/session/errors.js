'use strict'
const { ScalekitException } = require('../../index.js')

/** A sign-in or logout that could not complete: the identity provider's error, a state that does not match, … */
class ScalekitSessionError extends ScalekitException {
  constructor(message, { code, status = 400 } = {}) {
    super(message)
    Object.defineProperty(this, 'name', { value: 'ScalekitSessionError', configurable: true })
    /** `access_denied`, `login_required` (the IdP's), `state_mismatch`, `missing_code`, `organization_mismatch`, `cross_site`, `method_not_allowed`. */
    this.code = code
    /** The HTTP status an adapter answers with. */
    this.status = status
  }
}

module.exports = { ScalekitSessionError }
