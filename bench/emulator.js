'use strict'
// npm run bench:emulator: the emulator's own speed. Start-up time of
// ScalekitEmulator.start() (median of 20), then wrk against it from the other core:
// GET /_emulator/health, and an authenticated GET /api/v1/organizations?page_size=10.
//   node bench/emulator.js [--duration 5]

const os = require('node:os')
const { spawnSync } = require('node:child_process')
const { parseArgs } = require('node:util')
const { ScalekitEmulator } = require('../testing')
const { fetchToken } = require('./clients')

const { values: args } = parseArgs({ options: { duration: { type: 'string' } } })
const duration = Number(args.duration || 5)

async function main() {
  // The emulator's thread inherits this core; wrk runs on the other one.
  if (os.availableParallelism() > 1) spawnSync('taskset', ['-p', '-c', '1', String(process.pid)])
  const startups = []
  for (let i = 0; i < 20; i++) {
    const t0 = process.hrtime.bigint()
    const emulator = await ScalekitEmulator.start()
    startups.push(Number(process.hrtime.bigint() - t0) / 1e6)
    await emulator.stop()
  }
  startups.sort((a, b) => a - b)
  console.log(`start-up: median ${startups[10].toFixed(2)} ms, max ${startups.at(-1).toFixed(2)} ms (20 starts)`)

  if (spawnSync('wrk', ['--version']).error) {
    console.log('wrk is not installed (apt-get install wrk): skipping the load test')
    return
  }
  const emulator = await ScalekitEmulator.start()
  emulator.seedOrganizations(20)
  const token = await fetchToken(emulator.url, emulator.clientId, emulator.clientSecret)
  const pin = os.availableParallelism() > 1 ? ['taskset', '-c', '0'] : []
  const run = (label, path, headers = []) => {
    const wrkArgs = ['-t1', '-c32', `-d${duration}s`, ...headers, `${emulator.url}${path}`]
    const result = spawnSync(pin[0] || 'wrk', [...pin.slice(1), ...(pin.length ? ['wrk'] : []), ...wrkArgs], { encoding: 'utf8' })
    const rps = /Requests\/sec:\s+([\d.]+)/.exec(result.stdout)
    const latency = /Latency\s+(\S+)/.exec(result.stdout)
    console.log(`${label}: ${rps ? Math.round(Number(rps[1])) : '?'} requests/s, mean latency ${latency ? latency[1] : '?'} (wrk -t1 -c32 -d${duration}s)`)
  }
  run('GET /_emulator/health', '/_emulator/health')
  run('GET /api/v1/organizations?page_size=10 (authenticated)', '/api/v1/organizations?page_size=10', ['-H', `Authorization: Bearer ${token}`])
  await emulator.stop()
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
