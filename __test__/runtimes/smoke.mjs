// The runtime smoke through the ESM entry points (index.mjs, testing.mjs): the checks of smoke.cjs on
// what `import` gives, by name, plus the default import. Run as `node smoke.mjs`, `bun smoke.mjs` or
// `deno run -A smoke.mjs`.
//
// The default import follows each runtime's own rule for a CommonJS module with `__esModule` set, as it
// does for @scalekit-sdk/node: Node.js and Deno give the whole exports object, Bun gives `exports.default`
// (the client class). So code moved from the official package keeps working on each runtime.
import assert from 'node:assert/strict'
import process from 'node:process'
import { createRequire } from 'node:module'
import * as sk from 'scalekit-native'
import skDefault, { ScalekitClient, ScalekitNotFoundException } from 'scalekit-native'
import * as testing from 'scalekit-native/testing'
import { ScalekitEmulator } from 'scalekit-native/testing'

const require = createRequire(import.meta.url)
const { smoke } = require('./smoke.cjs')

try {
  // Named imports, the namespace and the default: the CommonJS module's own objects.
  assert.equal(typeof ScalekitClient, 'function')
  assert.equal(typeof ScalekitEmulator, 'function')
  assert.equal(sk.ScalekitClient, ScalekitClient)
  if (typeof globalThis.Bun !== 'undefined') {
    assert.equal(skDefault, ScalekitClient)
  } else {
    assert.equal(skDefault.ScalekitClient, ScalekitClient)
    assert.equal(skDefault.ScalekitNotFoundException, ScalekitNotFoundException)
  }
  assert.equal(sk.default, skDefault)
  assert.equal(require('scalekit-native').ScalekitNotFoundException, ScalekitNotFoundException)
  assert.equal(testing.ScalekitEmulator, ScalekitEmulator)
  console.log(`  ok   import by name, namespace and default (${typeof skDefault === 'function' ? 'the client class' : 'the exports object'}) give the CommonJS module's objects`)
} catch (error) {
  process.exitCode = 1
  console.log(`  FAIL the ESM entry points: ${error?.stack ?? error}`)
}

await smoke(sk, testing, 'esm')
