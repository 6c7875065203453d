#!/usr/bin/env node
'use strict'
// Runs a Scalekit emulator until Ctrl-C. Prints one JSON line with url, clientId and clientSecret.

const { parseArgs } = require('node:util')
const { ScalekitEmulator } = require('../testing')

const usage = 'usage: scalekit-emulator [--host 127.0.0.1] [--port 0] [--client-id ID] [--client-secret SECRET] [--token-ttl SECONDS] [--max-page-size N] [--seed-organizations N] [--import FILE]'

let values
try {
  ;({ values } = parseArgs({
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'token-ttl': { type: 'string' },
      'max-page-size': { type: 'string' },
      'seed-organizations': { type: 'string' },
      import: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }))
} catch (error) {
  console.error(`scalekit-emulator: ${error.message}\n${usage}`)
  process.exit(2)
}
if (values.help) {
  console.log(usage)
  process.exit(0)
}

function number(name) {
  if (values[name] === undefined) return undefined
  const n = Number(values[name])
  if (!Number.isFinite(n) || n < 0) {
    console.error(`scalekit-emulator: --${name} takes a number\n${usage}`)
    process.exit(2)
  }
  return n
}

ScalekitEmulator.start({
  host: values.host,
  port: number('port'),
  clientId: values['client-id'],
  clientSecret: values['client-secret'],
  tokenTtlSeconds: number('token-ttl'),
  maxPageSize: number('max-page-size'),
}).then(
  (emulator) => {
    const seed = number('seed-organizations')
    if (seed) emulator.seedOrganizations(seed)
    // A JSON file of { organizations, users } records (REST JSON), added as they are.
    if (values.import) emulator.importRecords(JSON.parse(require('node:fs').readFileSync(values.import, 'utf8')))
    console.log(JSON.stringify({ url: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret }))
    console.error(`scalekit-emulator listening on ${emulator.url} (Ctrl-C to stop)`)
    // The server runs on its own thread; this keeps Node's event loop alive until a signal.
    const keepAlive = setInterval(() => {}, 1 << 30)
    const stop = () => {
      clearInterval(keepAlive)
      emulator.stop().then(() => process.exit(0))
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  },
  (error) => {
    console.error(`scalekit-emulator: ${error.message}`)
    process.exit(1)
  },
)
