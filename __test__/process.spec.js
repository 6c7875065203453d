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
