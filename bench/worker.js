'use strict'
// One measurement in a fresh process. Input: a JSON job in argv[2]. Output: one JSON line.
// Nothing is required before the clock starts, so `coldStart` includes loading the client.

const started = process.hrtime.bigint()
const job = JSON.parse(process.argv[2])
const { factories } = require('./clients')

function percentile(sorted, p) {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

let userSeq = 0
function makeCall(client) {
  switch (job.workload) {
    case 'list10':
      return () => client.listOrganizations({ pageSize: 10 })
    case 'list100':
      return () => client.listOrganizations({ pageSize: 100 })
    case 'list1000':
      return () => client.listOrganizations({ pageSize: 1000 })
    case 'users100':
      return () => client.listUsers({ pageSize: 100 })
    case 'directoryUsers100':
      return () => client.listDirectoryUsers(job.orgId, job.directoryId, { pageSize: 100, includeDetail: true })
    case 'getOrganization':
    case 'getOrganizationRealistic':
      return () => client.getOrganization(job.orgId)
    case 'list1000Realistic':
      return () => client.listOrganizations({ pageSize: 1000 })
    case 'users100Realistic':
      return () => client.listUsers({ pageSize: 100 })
    case 'walk10000Realistic':
      return () => client.walkOrganizations(1000)
    case 'validateToken': {
      const tokens = JSON.parse(require('node:fs').readFileSync(job.tokensFile, 'utf8'))
      let next = 0
      return async () => {
        if (!(await client.validateAccessToken(tokens[next++ % tokens.length]))) throw new Error('a valid token did not validate')
      }
    }
    case 'getSession': {
      // The session of a request carrying a valid sealed cookie (a distinct session each time): unseal, validate the
      // access token locally, build the result. Cookies are sealed before the clock starts.
      const tokens = JSON.parse(require('node:fs').readFileSync(job.tokensFile, 'utf8'))
      return client.sessionChecker(job.clientId, 'a bench session password of 32+ characters').then(async ({ cookieOf, check }) => {
        const cookies = await Promise.all(tokens.map(cookieOf))
        let next = 0
        return async () => {
          const session = await check(cookies[next++ % cookies.length])
          if (session.status !== 'authenticated') throw new Error(`a valid session was refused: ${session.reason ?? session.status}`)
        }
      })
    }
    case 'mcpAuth': {
      // A tools/call through the middleware, with a distinct token each time; res is never written (the request passes).
      const tokens = JSON.parse(require('node:fs').readFileSync(job.tokensFile, 'utf8'))
      const middleware = client.mcpMiddleware({ environmentUrl: job.url, ...job.mcp, toolScopes: { list_todos: ['todo:read'], create_todo: ['todo:write'] } })
      const res = { writeHead() { throw new Error('the middleware refused a valid request') }, end() {} }
      let next = 0
      return () =>
        new Promise((resolve, reject) => {
          const req = { method: 'POST', url: '/mcp', headers: { authorization: `Bearer ${tokens[next++ % tokens.length]}`, 'content-type': 'application/json' }, body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_todos', arguments: {} } } }
          middleware(req, res, (error) => (error ? reject(error) : req.auth?.scopes.includes('todo:read') ? resolve() : reject(new Error('no req.auth'))))
        })
    }
    case 'create':
      return () =>
        client.createUserAndMembership(job.orgId, {
          email: `bench-${job.runId}-${userSeq++}@example.com`,
          userProfile: { firstName: 'Bench', lastName: 'User' },
          membership: { roles: [{ name: 'member' }] },
          sendInvitationEmail: false,
        })
    default:
      throw new Error(`unknown workload ${job.workload}`)
  }
}

/** Runs `count` calls with `concurrency` in flight; returns per-call latencies (ms) and failures. */
async function drive(call, count, concurrency) {
  const latencies = []
  let failures = 0
  let next = 0
  async function lane() {
    while (next < count) {
      next++
      const t0 = process.hrtime.bigint()
      try {
        await call()
      } catch (error) {
        failures++
        if (failures === 1) process.stderr.write(`${job.client}: ${error.message}\n`)
      }
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane))
  return { latencies, failures }
}

async function main() {
  const client = factories[job.client](job.url, job.clientId, job.clientSecret)
  const constructedMs = Number(process.hrtime.bigint() - started) / 1e6
  if (job.mode === 'coldStart') return { coldStartMs: constructedMs }

  const call = await makeCall(client)
  if (job.mode === 'coldBurst') return measure(call, job.calls, job.calls)
  // Warm up for at least `warmupMs` as well as `warmup` calls: a JS client such as undici's runs
  // 2-3x slower until V8 has optimized its hot path (~5 000 small calls), which short warm-ups
  // measured instead of the client.
  const warmupStart = process.hrtime.bigint()
  do await drive(call, job.warmup, job.concurrency)
  while (Number(process.hrtime.bigint() - warmupStart) / 1e6 < (job.warmupMs || 0))
  return measure(call, job.calls, job.concurrency)
}

/** CPU µs of the JS (main) thread, and of scalekit-native's runtime threads, where Linux tells it; clock-tick resolution. */
function threadCpuUs() {
  const fs = require('node:fs')
  const cpuOf = (task) => {
    const stat = fs.readFileSync(`/proc/self/task/${task}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100
  }
  try {
    let runtime = 0
    for (const task of fs.readdirSync('/proc/self/task')) {
      if (fs.readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim() === 'scalekit-native') runtime += cpuOf(task)
    }
    return { js: cpuOf(process.pid), runtime }
  } catch {
    return null
  }
}

/** Runs the timed calls and reports CPU per call (all threads, and the JS thread's share), throughput, latency and peak RSS. */
async function measure(call, calls, concurrency) {
  const threads0 = threadCpuUs()
  const cpu0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  const { latencies, failures } = await drive(call, calls, concurrency)
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6
  const cpu = process.cpuUsage(cpu0)
  const threads1 = threadCpuUs()
  latencies.sort((a, b) => a - b)
  return {
    calls,
    failures,
    wallMs,
    cpuUsPerCall: (cpu.user + cpu.system) / calls,
    jsThreadUsPerCall: threads0 && threads1 ? (threads1.js - threads0.js) / calls : null,
    // The rest of the CPU is V8's and Node's own threads (GC, compiler, libuv pool).
    runtimeUsPerCall: threads0 && threads1 ? (threads1.runtime - threads0.runtime) / calls : null,
    callsPerSec: calls / (wallMs / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }
}

main().then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`)
    process.exit(0)
  },
  (error) => {
    process.stderr.write(`${error.stack}\n`)
    process.exit(1)
  },
)
