'use strict'
// Preloaded (NODE_OPTIONS=--require) into every Node.js process the JS suites start under
// scripts/runtimes.js: records its version and pid, so that the run can prove that ava, jest, vitest
// and all their workers ran on the Node.js it put first on PATH. Prints nothing, changes nothing else.
const file = process.env.SCALEKIT_RUNTIMES_PROBE
if (file) {
  try {
    require('node:fs').appendFileSync(file, `${process.version} ${process.pid} ${require('node:path').basename(process.argv[1] ?? '-')}\n`)
  } catch {
    // A process that cannot write is simply not counted.
  }
}
