'use strict'
// npm run bench: scalekit-native against two hand-written baselines (undici and
// fetch), side by side, interleaved, each measurement in a fresh process.
//   node bench/run.js [--smoke] [--repeats N] [--out DIR] [--only list100,create] [--concurrency 1,16] [--baseline DIR] [--warmup-ms MS]
// --smoke: a few hundred calls in all, to keep the bench from rotting (CI).
// --only / --concurrency: a subset of the cells, for profiling one change.
// --baseline DIR: also measure the scalekit-native checkout (built) in DIR, as client "baseline".

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const readline = require('node:readline')
const { spawn, spawnSync } = require('node:child_process')
const { parseArgs } = require('node:util')
const { fetchToken } = require('./clients')
const { directoryUsersSeed, realisticOrganizations, realisticUsers } = require('./fixtures')

const { values: args } = parseArgs({
  options: { smoke: { type: 'boolean' }, repeats: { type: 'string' }, out: { type: 'string' }, only: { type: 'string' }, concurrency: { type: 'string' }, baseline: { type: 'string' }, 'warmup-ms': { type: 'string' } },
})
const smoke = Boolean(args.smoke)
const repeats = Number(args.repeats || (smoke ? 1 : 3))
const outDir = path.resolve(args.out || path.join(__dirname, 'results'))

const CLIENTS = ['native', 'undici', 'fetch']
if (args.baseline) {
  process.env.SCALEKIT_BENCH_BASELINE = path.resolve(args.baseline)
  CLIENTS.splice(1, 0, 'baseline')
}
const ALL_WORKLOADS = {
  list10: 3000, list100: 1500, list1000: 150, create: 2000, users100: 1500, directoryUsers100: 1000, getOrganization: 3000,
  // Against the realistic fixtures (bench/fixtures.js), in a second emulator.
  list1000Realistic: 150, users100Realistic: 1000, getOrganizationRealistic: 3000, walk10000Realistic: 15,
  // validateAccessToken of distinct RS256 access tokens, against jose's jwtVerify (the undici and fetch
  // rows fetch the JWKS once with their HTTP client, then verify in plain JS). No request per call.
  validateToken: 10000,
  // One request through an MCP server's auth middleware (bearer check of a distinct resource token, issuer, audience,
  // per-tool scopes, req.auth): McpResourceServer's express() against the same middleware written by hand with jose
  // (jwtVerify over the JWKS the undici or fetch row fetched once). No request to Scalekit per call.
  mcpAuth: 10000,
  // getSession of a request with a valid sealed session cookie (a distinct session each time): scalekit-native/session
  // against the same check written by hand with iron-webcrypto (unseal) and jose (jwtVerify, issuer, audience).
  getSession: 10000,
}
const REALISTIC = new Set(['list1000Realistic', 'users100Realistic', 'getOrganizationRealistic', 'walk10000Realistic'])
const only = args.only ? new Set(args.only.split(',')) : null
const WORKLOADS = Object.fromEntries(Object.entries(ALL_WORKLOADS).filter(([name]) => !only || only.has(name)))
const CONCURRENCY = args.concurrency ? args.concurrency.split(',').map(Number) : [1, 16, 128]
const COLD_BURST = 200
// Long enough for V8 to optimize a JS client's hot path: undici's getOrganization at c=1 costs
// 139 us/call after 300 warm-up calls, 61 after 3 000 and 48-54 after 6 000 or more.
const WARMUP_MS = Number(args['warmup-ms'] ?? 2000)

const hasTaskset = os.platform() === 'linux' && os.availableParallelism() > 1 && spawnSync('taskset', ['-c', '0', 'true']).status === 0
const pinned = (core, argv) => (hasTaskset ? ['taskset', ['-c', String(core), ...argv]] : [argv[0], argv.slice(1)])

function startEmulator(extra = ['--seed-organizations', '1000']) {
  const [cmd, argv] = pinned(1, [process.execPath, path.join(__dirname, '..', 'bin', 'scalekit-emulator.js'), '--max-page-size', '1000', ...extra])
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', (line) => resolve({ child, ...JSON.parse(line) }))
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)))
  })
}

async function stats(emulator) {
  return (await fetch(`${emulator.url}/_emulator/stats`)).json()
}

let runSeq = 0
async function measure(emulators, job) {
  const emulator = REALISTIC.has(job.workload) ? emulators.realistic : emulators.flat
  const before = await stats(emulator)
  const full = { ...job, url: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret, orgId: emulator.orgId, directoryId: emulator.directoryId, tokensFile: job.workload === 'mcpAuth' ? emulator.mcp.tokensFile : emulator.tokensFile, mcp: emulator.mcp && { resourceId: emulator.mcp.resourceId, serverUrl: emulator.mcp.serverUrl }, runId: `${process.pid}-${runSeq++}` }
  const [cmd, argv] = pinned(0, [process.execPath, path.join(__dirname, 'worker.js'), JSON.stringify(full)])
  const result = await new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`worker ${JSON.stringify(job)} exited with ${code}`))))
  })
  const after = await stats(emulator)
  return { ...result, tokenRequests: after.tokenRequests - before.tokenRequests }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const summarize = (runs, key) => {
  const xs = runs.map((r) => r[key]).filter((x) => typeof x === 'number')
  return xs.length ? { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) } : null
}

async function main() {
  fs.mkdirSync(outDir, { recursive: true })
  const emulator = await startEmulator()
  // The realistic fixtures: 10 000 organizations with every optional field, 100 users with full
  // profiles and two memberships each, added as they are (not what the emulator would fill in).
  const fixtureFile = path.join(os.tmpdir(), `scalekit-bench-fixtures-${process.pid}.json`)
  const organizations = realisticOrganizations(10_000)
  fs.writeFileSync(fixtureFile, JSON.stringify({ organizations, users: realisticUsers(100, organizations.slice(0, 50).map((o) => o.id)) }))
  const realistic = await startEmulator(['--import', fixtureFile])
  realistic.orgId = organizations[0].id
  const emulators = { flat: emulator, realistic }
  try {
    const token = await fetchToken(emulator.url, emulator.clientId, emulator.clientSecret)
    const page = await (await fetch(`${emulator.url}/api/v1/organizations?page_size=10`, { headers: { authorization: `Bearer ${token}` } })).json()
    emulator.orgId = page.organizations[0].id
    // The validateToken cell checks distinct tokens, as a backend sees one per user: as many client-credentials
    // access tokens (RS256) as the cell makes calls, in a file the workers read.
    if (WORKLOADS.validateToken || WORKLOADS.getSession) {
      const count = smoke ? Math.max(3, Math.round(10000 / 100)) : 10000
      const tokens = []
      for (let i = 0; i < count; i += 50) {
        tokens.push(...(await Promise.all(Array.from({ length: Math.min(50, count - i) }, () => fetchToken(emulator.url, emulator.clientId, emulator.clientSecret)))))
      }
      emulator.tokensFile = path.join(os.tmpdir(), `scalekit-bench-tokens-${process.pid}.json`)
      fs.writeFileSync(emulator.tokensFile, JSON.stringify(tokens))
    }
    // The mcpAuth cell: an MCP server registered with the emulator, and distinct resource tokens for it (client
    // credentials of a confidential client registered by DCR, as an MCP client's tokens are made).
    if (WORKLOADS.mcpAuth) {
      const serverUrl = 'https://mcp.example.com/mcp'
      const post = (path, body) => fetch(`${emulator.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json())
      const server = await post('/_emulator/mcp/servers', { name: 'Bench', server_url: serverUrl, scopes: ['todo:read', 'todo:write'] })
      const client = await post(`/api/v1/resources/${server.resource_id}/clients:register`, { client_name: 'bench', redirect_uris: ['https://bench.example/cb'], token_endpoint_auth_method: 'client_secret_post', grant_types: ['client_credentials'] })
      const count = smoke ? Math.max(3, Math.round(WORKLOADS.mcpAuth / 100)) : WORKLOADS.mcpAuth
      const mint = () =>
        fetch(`${server.issuer}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret }) })
          .then((r) => r.json())
          .then((t) => t.access_token)
      const tokens = []
      for (let i = 0; i < count; i += 50) tokens.push(...(await Promise.all(Array.from({ length: Math.min(50, count - i) }, mint))))
      emulator.mcp = { resourceId: server.resource_id, serverUrl, tokensFile: path.join(os.tmpdir(), `scalekit-bench-mcp-tokens-${process.pid}.json`) }
      fs.writeFileSync(emulator.mcp.tokensFile, JSON.stringify(tokens))
    }
    // The users100 cell lists pages of 100 users: seed them, with full profiles and a membership.
    for (let i = 0; i < 100; i++) {
      const response = await fetch(`${emulator.url}/api/v1/organizations/${emulator.orgId}/users?send_invitation_email=false`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email: `seed-${i}@example.com`, external_id: `seed-${i}`, metadata: { plan: 'pro' }, user_profile: { given_name: 'Seed', family_name: `User ${i}` }, membership: { roles: [{ name: 'admin' }] } }),
      })
      if (response.status !== 201) throw new Error(`seeding users: HTTP ${response.status}`)
    }

    // The directoryUsers100 cell lists a page of 100 directory users, each with a raw SCIM resource
    // of about 1 KB (URN-keyed extension, emails, addresses, custom attributes): see bench/fixtures.js.
    const directory = await (
      await fetch(`${emulator.url}/api/v1/organizations/${emulator.orgId}/directories`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ directory_type: 'SCIM', directory_provider: 'OKTA' }),
      })
    ).json()
    emulator.directoryId = directory.directory.id
    const seeded = await fetch(`${emulator.url}/_emulator/directories/${emulator.directoryId}/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(directoryUsersSeed(100)),
    })
    if (seeded.status !== 200) throw new Error(`seeding the directory: HTTP ${seeded.status}`)

    const cells = []
    for (const [workload, calls] of Object.entries(WORKLOADS)) {
      for (const concurrency of CONCURRENCY) {
        const n = smoke ? Math.max(3, Math.round(calls / 100)) : calls
        // The warm-up runs up to twice the concurrency (at most as many calls as are measured): V8 sizes its young
        // generation over the first tens of megabytes, so 15 big pages at c=128 measured the heap's growth, not the client.
        const warmup = smoke ? Math.max(2, Math.round(n / 10)) : Math.max(2, Math.round(n / 10), Math.min(n, 2 * concurrency))
        // And for at least WARMUP_MS, repeating those calls: the steady state of a long-running backend.
        cells.push({ key: `${workload} c=${concurrency}`, job: { mode: 'steady', workload, concurrency, calls: n, warmup, warmupMs: smoke ? 0 : WARMUP_MS } })
      }
    }
    if (!only || only.has('cold')) {
      cells.push({ key: `cold burst ${COLD_BURST}`, job: { mode: 'coldBurst', workload: 'list10', calls: smoke ? 20 : COLD_BURST } })
      cells.push({ key: 'cold start', job: { mode: 'coldStart' } })
    }

    const runs = {}
    const started = Date.now()
    for (let repeat = 0; repeat < repeats; repeat++) {
      for (const [i, cell] of cells.entries()) {
        // Interleave: rotate the client order per cell and repeat.
        const order = CLIENTS.map((_, k) => CLIENTS[(k + i + repeat) % CLIENTS.length])
        for (const client of order) {
          const result = await measure(emulators, { ...cell.job, client })
          ;((runs[cell.key] ||= {})[client] ||= []).push(result)
        }
      }
      process.stderr.write(`repeat ${repeat + 1}/${repeats} done (${((Date.now() - started) / 1000).toFixed(0)} s)\n`)
    }

    const metrics = ['cpuUsPerCall', 'jsThreadUsPerCall', 'runtimeUsPerCall', 'callsPerSec', 'p50Ms', 'p99Ms', 'peakRssMb', 'tokenRequests', 'failures', 'wallMs', 'coldStartMs']
    const report = { date: new Date().toISOString(), machine: `${os.cpus()[0].model}, ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}`, node: process.version, smoke, repeats, pinned: hasTaskset, cells: {} }
    for (const cell of cells) {
      report.cells[cell.key] = {}
      for (const client of CLIENTS) {
        const summary = {}
        for (const m of metrics) {
          const s = summarize(runs[cell.key][client], m)
          if (s) summary[m] = s
        }
        report.cells[cell.key][client] = summary
      }
    }
    fs.writeFileSync(path.join(outDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`)
    const markdown = renderMarkdown(report)
    fs.writeFileSync(path.join(outDir, 'latest.md'), markdown)
    process.stdout.write(markdown)
    const failures = Object.values(report.cells).flatMap((c) => Object.values(c)).reduce((n, s) => n + (s.failures ? s.failures.max : 0), 0)
    if (failures > 0) {
      process.stderr.write(`bench: ${failures} failed calls\n`)
      process.exitCode = 1
    }
  } finally {
    emulator.child.kill('SIGINT')
    realistic.child.kill('SIGINT')
    fs.rmSync(fixtureFile, { force: true })
    if (emulator.tokensFile) fs.rmSync(emulator.tokensFile, { force: true })
    if (emulator.mcp) fs.rmSync(emulator.mcp.tokensFile, { force: true })
  }
}

function fmt(s, digits = 0) {
  if (!s) return '–'
  const f = (x) => x.toFixed(digits)
  return s.min === s.max ? f(s.median) : `${f(s.median)} (${f(s.min)}–${f(s.max)})`
}
const ratio = (a, b) => (a && b && b.median ? `${(a.median / b.median).toFixed(2)}×` : '–')

function renderMarkdown(report) {
  const lines = [
    `Benchmark ${report.date.slice(0, 10)} · ${report.machine} · Node ${report.node} · ${report.repeats} repeat(s), median (min–max)${report.pinned ? ' · emulator pinned to core 1, clients to core 0' : ''}${report.smoke ? ' · SMOKE RUN (too few calls to mean anything)' : ''}`,
    '',
    '| cell | client | CPU µs/call | ratio CPU | of which JS thread | of which native runtime | calls/s | ratio calls/s | p50 ms | p99 ms | peak RSS MB | ratio RSS | token requests | failures |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ]
  for (const [key, byClient] of Object.entries(report.cells)) {
    const base = byClient.undici
    for (const client of CLIENTS) {
      const s = byClient[client]
      if (key === 'cold start') {
        lines.push(`| ${key} | ${client} | import + construct ${fmt(s.coldStartMs, 1)} ms | ${ratio(s.coldStartMs, base.coldStartMs)} | | | | | | | | | | |`)
        continue
      }
      lines.push(
        `| ${key} | ${client} | ${fmt(s.cpuUsPerCall)} | ${ratio(s.cpuUsPerCall, base.cpuUsPerCall)} | ${fmt(s.jsThreadUsPerCall)} | ${client === 'native' || client === 'baseline' ? fmt(s.runtimeUsPerCall) : '–'} | ${fmt(s.callsPerSec)} | ${ratio(s.callsPerSec, base.callsPerSec)} | ${fmt(s.p50Ms, 2)} | ${fmt(s.p99Ms, 2)} | ${fmt(s.peakRssMb)} | ${ratio(s.peakRssMb, base.peakRssMb)} | ${fmt(s.tokenRequests)} | ${fmt(s.failures)} |`,
      )
    }
  }
  if (Object.keys(report.cells).some((key) => key.startsWith('validateToken'))) {
    lines.push('', 'validateToken: the undici and fetch rows are jose\'s jwtVerify in plain JS, over a JWKS fetched once with that HTTP client.')
  }
  if (Object.keys(report.cells).some((key) => key.startsWith('getSession'))) {
    lines.push('', 'getSession: the undici and fetch rows are a session check written by hand with iron-webcrypto (unseal) and jose (jwtVerify, issuer, audience), over a JWKS fetched once with that HTTP client.')
  }
  if (Object.keys(report.cells).some((key) => key.startsWith('mcpAuth'))) {
    lines.push('', "mcpAuth: the undici and fetch rows are an MCP server's auth middleware written by hand with jose (jwtVerify, issuer, audience, per-tool scopes), over a JWKS fetched once with that HTTP client.")
  }
  return `${lines.join('\n')}\n`
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`)
  process.exitCode = 1
})
