'use strict'
// The constructor's forms, the environment fallback, and withOptions against the emulator.
const test = require('ava')
const { spawnSync } = require('node:child_process')
const sk = require('..')
const { startEmulator, clientFor, tokenRequests } = require('./helpers')

const ENV = ['SCALEKIT_ENVIRONMENT_URL', 'SCALEKIT_CLIENT_ID', 'SCALEKIT_CLIENT_SECRET']

/** Runs `code` in a fresh Node with exactly these SCALEKIT_* variables; returns its stdout lines. */
function withEnv(vars, code) {
  const env = { ...process.env }
  for (const name of ENV) delete env[name]
  const result = spawnSync(process.execPath, ['-e', code], { env: { ...env, ...vars }, cwd: __dirname, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(result.stderr)
  return result.stdout.trim()
}

test('the options form: new ScalekitClient({ environmentUrl, clientId, clientSecret, ...options })', async (t) => {
  const emulator = await startEmulator(t)
  emulator.createOrganization({ displayName: 'Acme' })
  const client = new sk.ScalekitClient({ environmentUrl: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret, timeoutMs: 5000, maxRetries: 0 })
  t.is((await client.organization.listOrganizations()).organizations.length, 1)
  const url = new sk.ScalekitClient(new URL(emulator.url), emulator.clientId, emulator.clientSecret)
  t.is((await url.organization.listOrganizations()).totalSize, 1, 'a URL object works as the environment URL')
  for (const [config, field] of [
    [{ clientId: 'skc_1', clientSecret: 'secret', environmentUrl: 42 }, 'environmentUrl'],
    [{ environmentUrl: emulator.url, clientId: ['skc_1'], clientSecret: 'secret' }, 'clientId'],
    [{ environmentUrl: emulator.url, clientId: 'skc_1', clientSecret: 'secret', timeoutMs: -1 }, 'timeoutMs'],
  ]) {
    const error = t.throws(() => new sk.ScalekitClient(config), { instanceOf: sk.ScalekitValidationException })
    t.is(error.field, field)
  }
})

test('settings left out come from SCALEKIT_ENVIRONMENT_URL, SCALEKIT_CLIENT_ID and SCALEKIT_CLIENT_SECRET', async (t) => {
  const emulator = await startEmulator(t)
  emulator.createOrganization({ displayName: 'Acme' })
  const vars = { SCALEKIT_ENVIRONMENT_URL: emulator.url, SCALEKIT_CLIENT_ID: emulator.clientId, SCALEKIT_CLIENT_SECRET: emulator.clientSecret }
  const list = `.organization.listOrganizations().then((r) => console.log(r.totalSize), (e) => console.log(e.constructor.name, e.message))`
  t.is(withEnv(vars, `const { ScalekitClient } = require('..'); new ScalekitClient()${list}`), '1', 'positional, nothing given')
  t.is(withEnv(vars, `const { ScalekitClient } = require('..'); new ScalekitClient({ timeoutMs: 5000 })${list}`), '1', 'the options form, nothing given')
  t.is(withEnv({ SCALEKIT_CLIENT_SECRET: emulator.clientSecret }, `const { ScalekitClient } = require('..'); new ScalekitClient('${emulator.url}', '${emulator.clientId}')${list}`), '1', 'only the secret from the environment')
  // Arguments win over the environment.
  t.is(withEnv({ ...vars, SCALEKIT_CLIENT_SECRET: 'wrong' }, `const { ScalekitClient } = require('..'); new ScalekitClient({ clientSecret: '${emulator.clientSecret}' })${list}`), '1')

  // The error names the missing setting, in the form used.
  const error = (code) => withEnv({}, `try { ${code} } catch (e) { console.log(e.constructor.name + '|' + e.field + '|' + e.message) }`)
  t.is(error(`const { ScalekitClient } = require('..'); new ScalekitClient()`), 'ScalekitValidationException|envUrl|envUrl is required: pass it, or set SCALEKIT_ENVIRONMENT_URL')
  t.is(error(`const { ScalekitClient } = require('..'); new ScalekitClient({ environmentUrl: 'https://a.scalekit.dev', clientSecret: 's' })`), 'ScalekitValidationException|clientId|clientId is required: pass it in the options, or set SCALEKIT_CLIENT_ID')
  t.is(error(`const { ScalekitClient } = require('..'); new ScalekitClient('https://a.scalekit.dev', 'skc_1')`), 'ScalekitValidationException|clientSecret|clientSecret is required: pass it, or set SCALEKIT_CLIENT_SECRET')
})

test('withOptions: other defaults, the same connection pool and token cache', async (t) => {
  const emulator = await startEmulator(t)
  emulator.createOrganization({ displayName: 'Acme' })
  const lines = []
  const client = clientFor(emulator, { maxRetries: 3 })
  await client.organization.listOrganizations()
  const connections = emulator.stats().connectionsAccepted
  const quick = client.withOptions({ timeoutMs: 150, maxRetries: 0, logLevel: 'info', logger: { debug() {}, info: (line) => lines.push(line), warn: (line) => lines.push(line), error() {} } })
  t.true(quick instanceof sk.ScalekitClient)
  t.not(quick, client)
  t.is(typeof quick.organization.listOrganizationsAll, 'function')

  t.is((await quick.organization.listOrganizations()).totalSize, 1)
  t.is(tokenRequests(emulator), 1, 'the token cache is shared: no second token')
  t.is(emulator.stats().connectionsAccepted, connections, 'the pool is shared: no new connection')
  t.is(lines.length, 1, 'its own logger')

  // Its timeout and retries, not the parent's.
  emulator.injectFault({ latencyMs: 400, times: 1 })
  const error = await t.throwsAsync(quick.organization.listOrganizations(), { instanceOf: sk.ScalekitTimeoutException })
  t.regex(error.message, /150 ms/)
  t.is(error.attempts, 1)
  emulator.injectFault({ status: 503, times: 2 })
  t.is((await client.organization.listOrganizations()).totalSize, 1, 'the parent still retries 3 times')
  t.is((await quick.withOptions({ timeoutMs: 5000 }).organization.listOrganizations()).totalSize, 1, 'a derived client derives again')
  // The token grants and the JWKS fetch take its timeout too (the key cache stays shared).
  emulator.injectFault({ latencyMs: 400, times: 1, path: '/oauth/token' })
  await t.throwsAsync(quick.generateClientToken(emulator.clientId, emulator.clientSecret), { instanceOf: sk.ScalekitTimeoutException })
  const token = await client.getClientAccessToken()
  emulator.injectFault({ latencyMs: 400, times: 1, path: '/keys' })
  t.false(await quick.validateAccessToken(token), 'its JWKS fetch timed out')
  t.true(await client.validateAccessToken(token))
  t.true(await quick.validateAccessToken(token), 'the keys the parent fetched serve it too')

  // A revoked token is replaced once, for both.
  const before = tokenRequests(emulator)
  emulator.revokeTokens()
  await quick.organization.listOrganizations()
  await client.organization.listOrganizations()
  t.is(tokenRequests(emulator) - before, 1)

  for (const [options, field] of [[{ proxy: 'http://proxy:3128' }, 'options.proxy'], [{ http2: false }, 'options.http2'], [{ timeoutMs: 0 }, 'timeoutMs']]) {
    t.is(t.throws(() => client.withOptions(options), { instanceOf: sk.ScalekitValidationException }).field, field)
  }
  t.throws(() => client.withOptions(), { instanceOf: sk.ScalekitValidationException })
})
