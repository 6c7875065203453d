'use strict'
// scalekit-native/testing: a Scalekit-compatible server for tests and demos.

const { ScalekitEmulator, __jsParameters, __jsAsyncMethods } = require('./native.js').testing()
const { wrapMethods } = require('./errors.js')

wrapMethods(ScalekitEmulator, { async: __jsAsyncMethods().ScalekitEmulator, parameters: __jsParameters().ScalekitEmulator })

exports.ScalekitEmulator = ScalekitEmulator
