#!/usr/bin/env node
'use strict'
// `npm run bench:tokens`: validateAccessToken over 10 000 validations of an RS256 token,
// against jose's jwtVerify in plain JS (a local JWK set, as the official SDK builds it), side
// by side in one process, each in rounds that alternate. Reports validations per second, CPU
// per validation (process.cpuUsage, all threads) and how many times /keys was fetched.
const jose = require('jose')
const { ScalekitClient } = require('..')
const { ScalekitEmulator } = require('../testing')

const VALIDATIONS = Number(process.argv[2] || 10_000)
const ROUNDS = 5
const CONCURRENCY = 16

async function measure(validate) {
  const cpu = process.cpuUsage()
  const started = process.hrtime.bigint()
  let next = 0
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next++ < VALIDATIONS / ROUNDS) if (!(await validate())) throw new Error('a valid token did not validate')
  }))
  const used = process.cpuUsage(cpu)
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const n = VALIDATIONS / ROUNDS
  return { cpuUs: (used.user + used.system) / n, perSecond: n / seconds }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function main() {
  const emulator = await ScalekitEmulator.start()
  try {
    const token = emulator.mintAccessToken({ claims: { scopes: ['read'] }, expiresInSeconds: 3600 })
    const client = new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
    const jwks = await (await fetch(`${emulator.url}/keys`)).json()
    const keySet = jose.createLocalJWKSet(jwks)
    const clients = {
      native: () => client.validateAccessToken(token),
      jose: async () => Boolean(await jose.jwtVerify(token, keySet)),
    }
    for (const validate of Object.values(clients)) await validate() // warm
    const results = { native: [], jose: [] }
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of round % 2 ? ['jose', 'native'] : ['native', 'jose']) results[name].push(await measure(clients[name]))
    }
    const keyFetches = emulator.requests().filter((r) => r.path === '/keys').length - 1 // one was ours, for jose
    const row = (name) => {
      const cpu = median(results[name].map((r) => r.cpuUs))
      const rate = median(results[name].map((r) => r.perSecond))
      return { name, cpu, rate }
    }
    const native = row('native')
    const baseline = row('jose')
    console.log(`validateAccessToken vs jose jwtVerify · ${VALIDATIONS} validations each, ${ROUNDS} alternating rounds, concurrency ${CONCURRENCY} · Node ${process.version}\n`)
    console.log('| client | CPU µs/validation | ratio CPU | validations/s | JWKS fetches |')
    console.log('|---|---|---|---|---|')
    console.log(`| native | ${native.cpu.toFixed(1)} | ${(native.cpu / baseline.cpu).toFixed(2)}× | ${Math.round(native.rate)} | ${keyFetches} |`)
    console.log(`| jose | ${baseline.cpu.toFixed(1)} | 1.00× | ${Math.round(baseline.rate)} | (a local set) |`)
  } finally {
    await emulator.stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
