#!/usr/bin/env node
'use strict'
// `npm run reliability`: the client under faults, against the emulator.
//
// For each fault, mixed calls (lists and user creates) at concurrency 16; it
// requires 0 hangs (every call settles within its deadline plus a margin), 0
// duplicated creates (users per external id on the emulator, and no 409 from
// a replayed create), 0 unhandled rejections, every failure a typed error, and
// no secret or token in any log line, error message or util.inspect output.
// Then a soak of plain calls against an emulator in another process, with the
// client's RSS sampled at start and end. `--smoke` runs a reduced form (CI).
// Exits non-zero when a requirement fails.

const util = require('node:util')
const path = require('node:path')
const { spawn } = require('node:child_process')
const { ScalekitClient, ScalekitException, ScalekitConflictException } = require('..')
const { ScalekitEmulator } = require('../testing')

const args = process.argv.slice(2)
const smoke = args.includes('--smoke')
const CALLS = smoke ? 200 : 1000
const SOAK_CALLS = smoke ? 5_000 : 100_000
const CONCURRENCY = 16
const DEADLINE_MS = 5_000
// A call that has not settled DEADLINE_MS + HANG_MARGIN_MS after it started is a hang.
const HANG_MARGIN_MS = 1_000
// Allowed RSS growth over the soak, after warm-up: pools, caches and allocator arenas are
// full by then, so steady state adds nothing; a leak of 100 bytes per call would add 10 MB
// over 100 000 calls, so that is the bound. The smoke soak is too short to tell a leak
// from heap growth, so its bound only catches gross leaks.
const SOAK_RSS_BOUND_MB = smoke ? 16 : 10

const unhandled = []
process.on('unhandledRejection', (reason) => unhandled.push(reason))

const FAULTS = [
  { name: 'latency spikes', faults: [{ latencyMs: 40, jitterMs: 120, probability: 0.3, times: 0 }] },
  { name: '429 with Retry-After', faults: [{ status: 429, retryAfterSeconds: 1, probability: 0.03, times: 0 }] },
  { name: '500 bursts', faults: [{ status: 500, probability: 0.15, times: 0 }] },
  { name: '503 bursts', faults: [{ status: 503, probability: 0.15, times: 0 }] },
  { name: 'resets before processing', faults: [{ drop: true, probability: 0.08, times: 0 }] },
  { name: 'resets after processing', faults: [{ dropAfterProcessing: true, probability: 0.08, times: 0 }] },
  { name: 'token revoked mid-run', revokeEvery: 50, faults: [] },
  { name: 'per-attempt timeouts', client: { timeoutMs: 150 }, faults: [{ latencyMs: 400, probability: 0.08, times: 0 }] },
  { name: 'deadlines', request: { deadlineMs: 250 }, deadlineMs: 250, faults: [{ latencyMs: 150, jitterMs: 200, probability: 0.3, times: 0 }] },
  { name: 'aborts', abortWithinMs: 15, faults: [{ latencyMs: 5, jitterMs: 20, probability: 0.5, times: 0 }] },
]

async function scenario(spec) {
  const emulator = await ScalekitEmulator.start({ seed: 7 })
  const org = emulator.createOrganization({ displayName: 'Reliability' })
  emulator.seedOrganizations(20)
  const lines = []
  const logger = Object.fromEntries(['debug', 'info', 'warn', 'error'].map((level) => [level, (message, event) => lines.push(message + JSON.stringify(event))]))
  const client = new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret, { logger, logLevel: 'debug', ...spec.client })
  await client.organization.listOrganizations() // warm: token and connection
  for (const fault of spec.faults) emulator.injectFault(fault)

  const deadline = spec.deadlineMs ?? DEADLINE_MS
  const counts = { ok: 0, failed: 0, untyped: 0, hangs: 0, conflicts: 0, outcomeUnknown: 0, creates: 0 }
  // external id -> true (created), false (failed and known not processed), null (outcome unknown)
  const createOutcomes = new Map()
  const byClass = {}
  const errorTexts = []
  let next = 0
  async function worker() {
    while (next < CALLS) {
      const i = next++
      if (spec.revokeEvery && i % spec.revokeEvery === 0) emulator.revokeTokens()
      const controller = spec.abortWithinMs ? new AbortController() : null
      if (controller) setTimeout(() => controller.abort(), Math.random() * spec.abortWithinMs)
      const request = { deadlineMs: DEADLINE_MS, ...spec.request, ...(controller && { signal: controller.signal }) }
      const create = i % 5 < 2
      if (create) counts.creates++
      const started = process.hrtime.bigint()
      let hung = false
      const watchdog = setTimeout(() => (hung = true), deadline + HANG_MARGIN_MS)
      try {
        if (create) await client.user.createUserAndMembership(org.id, { email: `u${i}@example.com`, externalId: `ext-${i}` }, request)
        else await client.organization.listOrganizations({ pageSize: 10 }, request)
        counts.ok++
        if (create) createOutcomes.set(`ext-${i}`, true)
      } catch (error) {
        counts.failed++
        if (!(error instanceof ScalekitException)) counts.untyped++
        if (error instanceof ScalekitConflictException) counts.conflicts++
        if (error.outcomeUnknown) counts.outcomeUnknown++
        if (create) createOutcomes.set(`ext-${i}`, error.outcomeUnknown ? null : false)
        byClass[error.name] = (byClass[error.name] ?? 0) + 1
        errorTexts.push(error.message, String(error), util.inspect(error), error.stack ?? '')
      } finally {
        clearTimeout(watchdog)
        if (hung || Number(process.hrtime.bigint() - started) / 1e6 > deadline + HANG_MARGIN_MS) counts.hangs++
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  await new Promise((resolve) => setTimeout(resolve, 50)) // let the last log events arrive

  emulator.clearFaults()
  const users = await allUsers(emulator, org.id)
  const perExternalId = new Map()
  for (const u of users) perExternalId.set(u.externalId, (perExternalId.get(u.externalId) ?? 0) + 1)
  const duplicates = [...perExternalId.values()].filter((n) => n > 1).length
  // Nothing lost: a create that succeeded exists, and one that failed without "outcome unknown" does not.
  const misreported = [...createOutcomes].filter(([id, created]) => created !== null && created !== perExternalId.has(id)).length
  const secrets = [emulator.clientSecret, ...emulator.issuedTokens()]
  const haystack = lines.join('\n') + errorTexts.join('\n')
  const leaks = secrets.filter((s) => haystack.includes(s)).length
  await emulator.stop()
  return { name: spec.name, calls: CALLS, ...counts, duplicates, misreported, usersCreated: users.length, leaks, logLines: lines.length, byClass }
}

/** The organization's users, paged over REST (the client does not wrap this list yet). */
async function allUsers(emulator, organizationId) {
  const token = (await (await fetch(`${emulator.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: emulator.clientId, client_secret: emulator.clientSecret }),
  })).json()).access_token
  const users = []
  let pageToken = ''
  do {
    const query = `page_size=100${pageToken ? `&page_token=${encodeURIComponent(pageToken)}` : ''}`
    const page = await (await fetch(`${emulator.url}/api/v1/organizations/${organizationId}/users?${query}`, { headers: { authorization: `Bearer ${token}` } })).json()
    users.push(...(page.users ?? []).map((u) => ({ externalId: u.external_id })))
    pageToken = page.next_page_token ?? ''
  } while (pageToken)
  return users
}

/** Plain list calls against an emulator in another process; the client's RSS at start (after warm-up) and end. */
async function soak() {
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'bin', 'scalekit-emulator.js'), '--port', '0', '--seed-organizations', '10'], { stdio: ['ignore', 'pipe', 'ignore'] })
  const info = await new Promise((resolve, reject) => {
    child.stdout.once('data', (data) => resolve(JSON.parse(String(data).split('\n')[0])))
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}`)))
  })
  try {
    const client = new ScalekitClient(info.url, info.clientId, info.clientSecret)
    const run = async (calls) => {
      let next = 0
      await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < calls) await client.organization.listOrganizations({ pageSize: 10 })
      }))
    }
    const warmup = Math.round(SOAK_CALLS / 10)
    await run(warmup)
    global.gc?.()
    const startRss = process.memoryUsage().rss
    const started = Date.now()
    await run(SOAK_CALLS)
    global.gc?.()
    const endRss = process.memoryUsage().rss
    return { calls: SOAK_CALLS, warmup, seconds: (Date.now() - started) / 1000, startRssMb: startRss / 2 ** 20, endRssMb: endRss / 2 ** 20, growthMb: (endRss - startRss) / 2 ** 20 }
  } finally {
    child.kill()
  }
}

async function main() {
  const results = []
  for (const spec of FAULTS) results.push(await scenario(spec))
  const soakResult = await soak()
  const problems = []
  for (const r of results) {
    if (r.hangs) problems.push(`${r.name}: ${r.hangs} hung calls`)
    if (r.duplicates || r.conflicts) problems.push(`${r.name}: ${r.duplicates} duplicated external ids, ${r.conflicts} replayed creates (409)`)
    if (r.misreported) problems.push(`${r.name}: ${r.misreported} creates whose result disagrees with the emulator`)
    if (r.untyped) problems.push(`${r.name}: ${r.untyped} failures that are not ScalekitException`)
    if (r.leaks) problems.push(`${r.name}: ${r.leaks} secrets or tokens found in logs or errors`)
    if (r.ok + r.failed !== r.calls) problems.push(`${r.name}: ${r.calls - r.ok - r.failed} calls never settled`)
  }
  if (unhandled.length) problems.push(`${unhandled.length} unhandled rejections`)
  if (soakResult.growthMb > SOAK_RSS_BOUND_MB) problems.push(`soak: RSS grew ${soakResult.growthMb.toFixed(1)} MB (bound ${SOAK_RSS_BOUND_MB} MB)`)

  console.log(`Reliability ${new Date().toISOString().slice(0, 10)} · ${smoke ? 'smoke' : 'full'} · ${CALLS} calls per fault (40% creates) at concurrency ${CONCURRENCY} · Node ${process.version}\n`)
  console.log('| fault | ok | failed | outcome unknown | hangs | duplicated creates | untyped failures | secrets in logs/errors | unhandled | users created / creates | misreported creates | log lines | failures by class |')
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|')
  for (const r of results) {
    const classes = Object.entries(r.byClass).map(([k, v]) => `${k.replace(/^Scalekit|Exception$/g, '')} ${v}`).join(', ')
    console.log(`| ${r.name} | ${r.ok} | ${r.failed} | ${r.outcomeUnknown} | ${r.hangs} | ${r.duplicates + r.conflicts} | ${r.untyped} | ${r.leaks} | 0 | ${r.usersCreated} / ${r.creates} | ${r.misreported} | ${r.logLines} | ${classes} |`)
  }
  console.log(`\nSoak: ${soakResult.calls} calls after ${soakResult.warmup} warm-up calls, ${soakResult.seconds.toFixed(1)} s; client RSS ${soakResult.startRssMb.toFixed(1)} MB → ${soakResult.endRssMb.toFixed(1)} MB (${soakResult.growthMb >= 0 ? '+' : ''}${soakResult.growthMb.toFixed(1)} MB, bound ${SOAK_RSS_BOUND_MB} MB)`)
  console.log(`Unhandled rejections: ${unhandled.length}`)
  if (problems.length) {
    console.error(`\nFAILED:\n- ${problems.join('\n- ')}`)
    process.exit(1)
  }
  console.log('\nAll requirements met.')
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
