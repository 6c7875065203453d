// ESM entry of scalekit-native/testing (see index.mjs).
import testing from './testing.js'

export * from './testing.js'
export default testing
