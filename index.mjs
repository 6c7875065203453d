// ESM entry: the CommonJS module's exports by name, the same objects (one copy of every class),
// and as the default the whole exports object, as Node gives for the official CommonJS package.
import scalekit from './index.js'

export * from './index.js'
export default scalekit
