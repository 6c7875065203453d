'use strict'
// The logger, SCALEKIT_LOG and the tracing hooks: one line per attempt with what an
// operator needs, and never a secret, a token, a code or a body.
const test = require('ava')
const http = require('node:http')
const path = require('node:path')
const { execFile } = require('node:child_process')
const sk = require('..')
const { startEmulator, clientFor } = require('./helpers')

function recordingLogger() {
  const lines = []
  const logger = Object.fromEntries(['debug', 'info', 'warn', 'error'].map((level) => [level, (message, event) => lines.push({ level, message, event })]))
  return { logger, lines }
}

test('the logger gets one line per attempt with method, path, status, attempt, duration and request id', async (t) => {
  const emulator = await startEmulator(t)
  const org = emulator.createOrganization({ displayName: 'Acme' })
  const { logger, lines } = recordingLogger()
  const client = clientFor(emulator, { logger, logLevel: 'debug' })
  emulator.injectFault({ status: 503, path: '/api/v1/organizations' })
  await client.organization.listOrganizations()
  await client.user.createUserAndMembership(org.id, { email: 'jane@example.com', userProfile: { firstName: 'Jane' } })
  await new Promise((resolve) => setImmediate(resolve))
  const messages = lines.map((l) => `${l.level} ${l.message}`)
  t.regex(messages[0], /^debug scalekit: GET \/api\/v1\/organizations \(attempt 1\)$/)
  t.regex(messages[1], /^warn scalekit: GET \/api\/v1\/organizations -> 503 in \d+\.\d ms \(attempt 1, request req_\d+\)$/)
  t.regex(messages[2], /^warn scalekit: GET \/api\/v1\/organizations: retrying in \d+ ms \(after attempt 1\)$/)
  t.regex(messages[4], /^info scalekit: GET \/api\/v1\/organizations -> 200 in \d+\.\d ms \(attempt 2, request req_\d+\)$/)
  t.true(messages.some((m) => /^info scalekit: POST \/api\/v1\/organizations\/org_\d+\/users -> 201/.test(m)))
  t.like(lines[4].event, { kind: 'response', method: 'GET', path: '/api/v1/organizations', status: 200, attempt: 2 })
  const all = JSON.stringify(lines)
  for (const secret of [emulator.clientSecret, 'jane@example.com', 'Jane']) t.false(all.includes(secret), secret)
})

test('the level filters lines: warn shows only retries and failures; off shows nothing', async (t) => {
  const emulator = await startEmulator(t)
  const warn = recordingLogger()
  await clientFor(emulator, { logger: warn.logger }).organization.listOrganizations()
  emulator.injectFault({ status: 500, path: '/api/v1/organizations' })
  await clientFor(emulator, { logger: warn.logger }).organization.listOrganizations()
  const off = recordingLogger()
  await clientFor(emulator, { logger: off.logger, logLevel: 'off' }).organization.listOrganizations()
  await new Promise((resolve) => setImmediate(resolve))
  t.deepEqual(warn.lines.map((l) => l.level), ['warn', 'warn'], 'the 500 and the retry; no 200s')
  t.deepEqual(off.lines, [])
})

test('onRequest and onResponse see every attempt, and a throwing hook does not break the call', async (t) => {
  const emulator = await startEmulator(t)
  const events = []
  const client = clientFor(emulator, {
    onRequest: (e) => events.push(`request ${e.method} ${e.path} ${e.attempt}`),
    onResponse: (e) => {
      events.push(`${e.kind} ${e.status ?? e.error} ${e.attempt}`)
      throw new Error('hook bug')
    },
  })
  emulator.injectFault({ drop: true, path: '/api/v1/organizations' })
  const warnings = []
  const onWarning = (w) => warnings.push(w.message)
  process.on('warning', onWarning)
  t.teardown(() => process.off('warning', onWarning))
  t.is((await client.organization.listOrganizations()).totalSize, 0)
  await new Promise((resolve) => setTimeout(resolve, 20))
  t.is(events[0], 'request GET /api/v1/organizations 1')
  t.regex(events[1], /^error ScalekitTransportException: .* 1$/)
  t.deepEqual(events.slice(2), ['request GET /api/v1/organizations 2', 'response 200 2'])
  t.true(warnings.some((w) => /a logger or hook threw: hook bug/.test(w)))
})

test('no log line carries the client secret, a bearer token or an authorization header', async (t) => {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json')
    if (req.url === '/oauth/token') return res.end(JSON.stringify({ access_token: 'tok_LEAK_CANARY', expires_in: 3600 }))
    res.statusCode = req.headers.authorization === 'Bearer tok_LEAK_CANARY' ? 500 : 401
    res.end(JSON.stringify({ code: 13, message: 'boom' }))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  const { logger, lines } = recordingLogger()
  const client = new sk.ScalekitClient(`http://127.0.0.1:${server.address().port}`, 'skc_1', 'secret_LEAK_CANARY', { logger, logLevel: 'debug', maxRetries: 1 })
  const error = await t.throwsAsync(client.organization.listOrganizations({ pageToken: 'page_LEAK_CANARY' }))
  await new Promise((resolve) => setImmediate(resolve))
  t.true(lines.length >= 4)
  const text = JSON.stringify(lines) + error.message + error.stack
  t.false(/LEAK_CANARY|authorization|bearer/i.test(text), text)
})

test('SCALEKIT_LOG=debug logs to the console with no logger configured', async (t) => {
  // Not spawnSync: this file's other tests run local servers on this event loop meanwhile.
  const run = (level) => new Promise((resolve) => {
    const child = execFile(process.execPath, [path.join(__dirname, 'fixtures', 'log-env.js')], { env: { ...process.env, SCALEKIT_LOG: level } }, (error, stdout, stderr) => resolve({ stdout, stderr, status: child.exitCode }))
  })
  const { stdout, stderr, status } = await run('debug')
  t.is(status, 0, stderr)
  const output = stdout + stderr
  t.regex(output, /scalekit: GET \/api\/v1\/organizations -> 503/)
  t.regex(output, /scalekit: GET \/api\/v1\/organizations -> 200/)
  t.false(output.includes('emulator_secret'))
  const bad = await run('verbose')
  t.not(bad.status, 0)
  t.regex(bad.stderr, /SCALEKIT_LOG must be one of debug, info, warn, error, off/)
})
