'use strict'
const test = require('ava')
const path = require('node:path')
const { spawn } = require('node:child_process')
const { startEmulator } = require('./helpers')

function run(script, env) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(process.execPath, [path.join(__dirname, 'fixtures', script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    // A guard against hangs, not a timing assertion.
    const guard = setTimeout(() => child.kill('SIGKILL'), 20000)
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearTimeout(guard)
      resolve({ code, signal, out, ms: Number(process.hrtime.bigint() - started) / 1e6 })
    })
  })
}

test('the process exits by itself after its last call', async (t) => {
  const emulator = await startEmulator(t)
  const { code, signal, out } = await run('one-call.js', { EMU_URL: emulator.url, EMU_ID: emulator.clientId, EMU_SECRET: emulator.clientSecret })
  t.is(signal, null, `killed by the hang guard: ${out}`)
  t.is(code, 0, out)
  t.regex(out, /totalSize=0/)
})

test('the process exits by itself even with an emulator left running', async (t) => {
  const { code, signal, out } = await run('emulator-left-running.js')
  t.is(signal, null, `killed by the hang guard: ${out}`)
  t.is(code, 0, out)
  t.regex(out, /created usr_/)
})

// One completion queue per JS thread (src/completion.rs): workers settle their own calls, and one
// terminated with calls in flight harms nobody.
test('calls from worker threads settle, and the process exits after them', async (t) => {
  const emulator = await startEmulator(t)
  emulator.seedOrganizations(150)
  const { code, signal, out } = await run('worker-threads.js', { EMU_URL: emulator.url, EMU_ID: emulator.clientId, EMU_SECRET: emulator.clientSecret })
  t.is(signal, null, `killed by the hang guard: ${out}`)
  t.is(code, 0, out)
  t.regex(out, /settled 200 200 200/)
})

// The worker must not preempt the JS thread on a shared core (see src/lib.rs).
const linux = process.platform === 'linux' ? test : test.skip
linux("the addon's worker thread runs as SCHED_BATCH", async (t) => {
  const fs = require('node:fs')
  const emulator = await startEmulator(t)
  const { ScalekitClient } = require('..')
  const client = new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
  await client.organization.listOrganizations()
  const policies = fs
    .readdirSync('/proc/self/task')
    .map((tid) => fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8'))
    .filter((stat) => stat.includes('(scalekit-native)'))
    // Field 41 of stat is the policy; fields after the comm start at 3.
    .map((stat) => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[41 - 3]))
  t.true(policies.length > 0, 'no scalekit-native thread found')
  t.deepEqual([...new Set(policies)], [3], 'SCHED_BATCH is policy 3')
})

test('sub-clients are plain properties, the same object on every read', (t) => {
  const { ScalekitClient } = require('..')
  const client = new ScalekitClient('http://127.0.0.1:9', 'skc_1', 'secret')
  t.deepEqual(Object.keys(client).sort(), ['actions', 'auditLogs', 'auth', 'connectedAccounts', 'connection', 'directory', 'domain', 'events', 'm2m', 'mcp', 'organization', 'passwordless', 'permission', 'providers', 'role', 'session', 'token', 'tools', 'user', 'webauthn'])
  for (const name of Object.keys(client)) t.is(client[name], client[name], name)
  t.true(Object.keys(client).every((name) => Object.getOwnPropertyDescriptor(client, name).value !== undefined), 'own data properties, not getters')
  t.is(typeof client.organization.listOrganizations, 'function')
})

// jest gives every test file its own module registry, while the addon is loaded once per process.
test('several copies of the JS layer over one addon each reject with classes that match their own', async (t) => {
  const { code, signal, out } = await run('two-copies.js')
  t.is(signal, null, `killed by the hang guard: ${out}`)
  t.is(code, 0, out)
  t.is(out.trim(), ['copy 0: true true true', 'copy 1: true true true', 'copy 2: true true true', 'distinct classes: 3', 'across copies: true true true true false false false true true'].join('\n'))
})
