'use strict'
// edge.js, what the Edge runtime gets through the "edge-light" and "workerd" export conditions:
// it throws the error that names the fix, and lists every name the entry points that load the
// addon export, so that bundlers that check named imports (Turbopack) still build.
const test = require('ava')
const fs = require('node:fs')
const path = require('node:path')

const root = path.join(__dirname, '..')

test('edge.js throws the error naming runtime = nodejs', (t) => {
  const error = t.throws(() => require('../edge.js'))
  t.is(error.code, 'SCALEKIT_NATIVE_UNSUPPORTED_RUNTIME')
  t.true(error.message.includes("export const runtime = 'nodejs'"))
})

test('edge.js lists every export of the entry points (npm run edge-stub rewrites it)', (t) => {
  const listed = [...fs.readFileSync(path.join(root, 'edge.js'), 'utf8').matchAll(/^exports\.(\w+) = undefined$/gm)].map((m) => m[1])
  const entries = ['index.js', 'testing.js', 'lib/mcp/index.js', 'lib/session/index.js']
  const names = new Set(entries.flatMap((entry) => Object.keys(require(path.join(root, entry)))).filter((n) => n !== '__esModule' && n !== 'default'))
  t.deepEqual(listed.sort(), [...names].sort())
})

test('package.json sends edge-light and workerd to edge.js first, for every entry point that loads the addon', (t) => {
  const { exports } = require('../package.json')
  for (const entry of ['.', './testing', './mcp', './session', './lib/index.js', './lib/index']) {
    // Before import and require; after types where types stands first (./mcp), as TypeScript needs.
    const keys = Object.keys(exports[entry]).filter((k) => k !== 'types')
    t.deepEqual(keys.slice(0, 2), ['edge-light', 'workerd'], entry)
    t.is(exports[entry]['edge-light'], './edge.js')
    t.is(exports[entry].workerd, './edge.js')
  }
})
