'use strict'
// npm run edge-stub: writes edge.js, what the Edge runtime gets for every entry point that loads the
// addon (see its header), with every name those entry points export. Run it when an export is added
// or removed; __test__/edge.spec.js fails until then.
const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
const ENTRIES = ['index.js', 'testing.js', 'lib/mcp/index.js', 'lib/session/index.js']
const names = [...new Set(ENTRIES.flatMap((entry) => Object.keys(require(path.join(root, entry)))))].filter((name) => name !== '__esModule' && name !== 'default')
fs.writeFileSync(
  path.join(root, 'edge.js'),
  `'use strict'
// What the Edge runtime (Next.js's \`runtime = 'edge'\`, and middleware unless it says
// \`runtime: 'nodejs'\`) and Cloudflare's workerd get for every entry point that loads the addon,
// through the "edge-light" and "workerd" conditions of package.json's exports: an error that names
// the fix, when the module is evaluated, instead of a bundler error about node:module or a .node
// file. It imports no Node.js builtin, so the bundle builds. The export lines (every name of
// ${ENTRIES.join(', ')}; written by scripts/edge-stub.js) are there for bundlers that check named
// imports against a CommonJS module's exports (Turbopack fails the build on a missing one); the
// error is thrown before any of them is read. (No __esModule and default: a default import is
// module.exports, and publint flags a CommonJS default export.)
${names.map((name) => `exports.${name} = undefined`).join('\n')}

const error = new Error(
  'scalekit-native is a Node.js native addon and cannot run in the Edge runtime. In Next.js, add ' +
    "\`export const runtime = 'nodejs'\` to the route, page or layout that imports it (in middleware, " +
    "\`export const config = { runtime: 'nodejs' }\`, Next.js 15.5 or later), or import it only from Node.js server code.",
)
error.code = 'SCALEKIT_NATIVE_UNSUPPORTED_RUNTIME'
throw error
`,
)
