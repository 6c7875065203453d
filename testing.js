'use strict'
// scalekit-native/testing: a Scalekit-compatible server for tests and demos.

const { ScalekitEmulator } = require('./binding.js')
const { wrapMethods } = require('./errors.js')

wrapMethods(ScalekitEmulator, { async: false })

module.exports = { ScalekitEmulator }
