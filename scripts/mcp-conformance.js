'use strict'
// npm run test:mcp-conformance: the MCP conformance suite (@modelcontextprotocol/conformance, its `authorization`
// command) against the emulator as Scalekit's authorization server for an MCP server. It runs both
// authorization-server scenarios (authorization-server-metadata-endpoint, then authorization-code-grant, which reads
// the first one's result) against the resource issuer `{emulator}/resources/{res_id}`, with a public client
// registered by DCR, and plays the browser: when the suite prints the authorize URL, it follows it to the suite's
// callback. Prints every check and fails unless each one succeeded (a skipped code grant is a failure).
//
// The suite needs Node.js 22 or later: scripts/runtimes.js installs its pinned Node 22, and the suite itself goes into
// the same cache outside the repository. Builds nothing: run it after `npm test` (or any build).
const fs = require('node:fs')
const os = require('node:os')
const net = require('node:net')
const path = require('node:path')
const { spawn, spawnSync } = require('node:child_process')
const { installPinned, cacheDir } = require('./runtimes.js')

const SUITE = '@modelcontextprotocol/conformance'
// 0.2 alphas have the `authorization` command; alpha.12 adds --resource (RFC 8707 in both requests).
const SUITE_VERSION = '0.2.0-alpha.12'
const TIMEOUT_MS = 120_000

const log = (line) => process.stdout.write(`mcp-conformance: ${line}\n`)

function installSuite() {
  const prefix = path.join(cacheDir(), `conformance@${SUITE_VERSION}`)
  const cli = path.join(prefix, 'node_modules', ...SUITE.split('/'), 'dist', 'index.js')
  if (!fs.existsSync(cli)) {
    fs.rmSync(prefix, { recursive: true, force: true })
    fs.mkdirSync(prefix, { recursive: true })
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
    const result = spawnSync(npm, ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel', 'error', `${SUITE}@${SUITE_VERSION}`], { cwd: prefix, stdio: 'inherit' })
    if (result.status !== 0 || !fs.existsSync(cli)) throw new Error(`npm install ${SUITE}@${SUITE_VERSION} failed`)
  }
  return cli
}

async function freePort() {
  const server = net.createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Every check the suite wrote (`checks.json` per scenario), in the order it ran them. */
function readChecks(dir) {
  const checks = []
  for (const scenario of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, scenario, 'checks.json')
    if (fs.existsSync(file)) checks.push(...JSON.parse(fs.readFileSync(file, 'utf8')).map((check) => ({ scenario, ...check })))
  }
  return checks
}

async function main() {
  const { node22 } = await installPinned(['node22'])
  const cli = installSuite()
  const { ScalekitEmulator } = require('../testing.js')
  const emulator = await ScalekitEmulator.start()
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'scalekit-mcp-conformance-'))
  try {
    emulator.seedOrganization({ displayName: 'Acme', users: [{ email: 'ada@acme.test' }] })
    emulator.setLoginUser('ada@acme.test')
    const serverUrl = 'http://127.0.0.1:8080/mcp'
    const server = emulator.mcp.createServer({ name: 'Conformance', serverUrl, scopes: ['todo:read'] })
    const port = await freePort()
    const callback = `http://127.0.0.1:${port}/callback`
    // The code grant needs a client registered with the suite's callback: registered as any MCP client is, by DCR.
    const registration = await fetch(`${emulator.url}/api/v1/resources/${server.resourceId}/clients:register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'conformance', redirect_uris: [callback], token_endpoint_auth_method: 'none' }),
    })
    const { client_id: clientId } = await registration.json()
    if (registration.status !== 201 || !clientId) throw new Error(`DCR answered ${registration.status}`)
    const args = [cli, 'authorization', '--url', server.issuer, '--client-id', clientId, '--resource', serverUrl, '-p', String(port), '-o', out]
    log(`${node22.version} ${SUITE}@${SUITE_VERSION} authorization --url ${server.issuer} --client-id ${clientId} --resource ${serverUrl}`)
    const code = await new Promise((resolve, reject) => {
      const child = spawn(node22.command, args, { stdio: ['ignore', 'pipe', 'inherit'] })
      const timer = setTimeout(() => {
        child.kill()
        reject(new Error(`the suite did not finish within ${TIMEOUT_MS / 1000} s`))
      }, TIMEOUT_MS)
      let pending = ''
      child.stdout.on('data', (data) => {
        process.stdout.write(data)
        pending += data
        const authorize = /^(http\S+\?\S*response_type=code\S*)$/m.exec(pending)
        if (authorize) {
          pending = ''
          // The browser: the emulator signs the login user in and redirects to the suite's callback.
          setTimeout(() => fetch(authorize[1], { redirect: 'follow' }).catch((error) => log(`the authorize URL failed: ${error.message}`)), 300)
        }
      })
      child.on('error', reject)
      child.on('exit', (status) => {
        clearTimeout(timer)
        resolve(status)
      })
    })
    const checks = readChecks(out)
    for (const check of checks) log(`${check.status.padEnd(8)} ${check.id}${check.errorMessage ? `: ${check.errorMessage}` : ''}`)
    const expected = ['authorization-server-metadata', 'authorization-server-metadata-cimd', 'authorization-code-grant']
    const missing = expected.filter((id) => !checks.some((check) => check.id === id))
    const failed = checks.filter((check) => check.status !== 'SUCCESS')
    if (code !== 0 || missing.length > 0 || failed.length > 0) {
      throw new Error(`the suite exited with ${code}; checks not run: ${missing.join(', ') || 'none'}; not succeeded: ${failed.map((c) => `${c.id} (${c.status})`).join(', ') || 'none'}`)
    }
    log(`${checks.length} checks, all succeeded`)
  } finally {
    await emulator.stop()
    fs.rmSync(out, { recursive: true, force: true })
  }
}

main().catch((error) => {
  log(`FAIL ${error.message}`)
  process.exitCode = 1
})
