'use strict'
// scalekit-native/testing: a Scalekit-compatible server for tests and demos.

const { ScalekitEmulator, __jsParameters, __jsAsyncMethods } = require('./binding.js')
const { wrapMethods } = require('./errors.js')

wrapMethods(ScalekitEmulator, { async: __jsAsyncMethods().ScalekitEmulator, parameters: __jsParameters().ScalekitEmulator })

exports.ScalekitEmulator = ScalekitEmulator
