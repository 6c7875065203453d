'use strict'
// scalekit-native/testing: a Scalekit-compatible server for tests and demos.

const { ScalekitEmulator, __jsParameters } = require('./binding.js')
const { wrapMethods } = require('./errors.js')

wrapMethods(ScalekitEmulator, { async: false, parameters: __jsParameters().ScalekitEmulator })

exports.ScalekitEmulator = ScalekitEmulator
