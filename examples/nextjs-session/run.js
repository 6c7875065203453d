'use strict'
// `npm run example:next-session` (from the repository, after a build): this Next.js app against an in-process
// emulator, with Jane signed in by it. Installs Next.js and the package as npm would (packed from this repository)
// into this folder, then runs `next dev` (`--prod`: `next build && next start`) on PORT (default 3000) and prints
// where to open it. scripts/check-next-session.js drives the same app like a browser.
const fs = require('node:fs')
const path = require('node:path')
const crypto = require('node:crypto')
const { execFileSync } = require('node:child_process')

const root = path.resolve(__dirname, '../..')
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const APP_FILES = ['package.json', 'middleware.js', 'lib', 'app']
const SESSION_PASSWORD = 'an example session password of 32+ characters'

/**
 * The app in `dir` (default this folder), with Next.js and the packed package installed: skipped when the same
 * tarballs are installed already.
 */
function prepare(dir = __dirname) {
  const { tarballs } = require('../../scripts/check-bundlers.js')
  if (dir !== __dirname) for (const file of APP_FILES) fs.cpSync(path.join(__dirname, file), path.join(dir, file), { recursive: true })
  const packs = path.join(dir, '.packs')
  fs.rmSync(packs, { recursive: true, force: true })
  fs.mkdirSync(packs, { recursive: true })
  const files = tarballs(packs)
  const digest = crypto.createHash('sha256')
  for (const file of files) digest.update(fs.readFileSync(file))
  const stamp = path.join(dir, 'node_modules', '.scalekit-native-stamp')
  const wanted = digest.digest('hex')
  if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== wanted) {
    execFileSync(npm, ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefer-offline', ...files], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] })
    fs.writeFileSync(stamp, wanted)
  }
  return dir
}

/** An emulator with Jane (role owner, permission org:settings:manage) in Acme, signed in by its login page. */
async function startEmulator() {
  const { ScalekitEmulator } = require(path.join(root, 'testing.js'))
  const { ScalekitClient } = require(path.join(root, 'index.js'))
  const emulator = await ScalekitEmulator.start()
  const client = new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
  await client.permission.createPermission({ name: 'org:settings:manage' })
  await client.role.createRole({ name: 'owner', displayName: 'Owner', permissions: ['org:settings:manage'] })
  emulator.seedOrganization({ displayName: 'Acme', users: [{ email: 'jane@example.com', givenName: 'Jane', familyName: 'Roe', emailVerified: true, roles: ['owner'] }] })
  emulator.setLoginUser('jane@example.com')
  return emulator
}

/** `next dev` or `next build && next start` in `dir`, for `appUrl`; resolves once it answers. */
async function startNext(dir, { emulator, port, host = '127.0.0.1', appUrl = `http://localhost:${port}`, production = false, log = () => {} }) {
  const { serve } = require('../../scripts/check-bundlers.js')
  const next = path.join(dir, 'node_modules/next/dist/bin/next')
  const env = {
    SCALEKIT_ENVIRONMENT_URL: emulator.url,
    SCALEKIT_CLIENT_ID: emulator.clientId,
    SCALEKIT_CLIENT_SECRET: emulator.clientSecret,
    APP_URL: appUrl,
    SESSION_PASSWORD,
  }
  if (production) execFileSync(process.execPath, [next, 'build'], { cwd: dir, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const server = await serve(dir, [next, production ? 'start' : 'dev', '-p', String(port), '-H', host], `http://${host}:${port}`, env, log)
  return { output: server.log, stop: server.stop }
}

module.exports = { prepare, startEmulator, startNext, SESSION_PASSWORD }

if (require.main === module) {
  ;(async () => {
    const production = process.argv.includes('--prod')
    const port = Number(process.env.PORT ?? 3000)
    console.log('installing Next.js and the packed package (once)…')
    prepare()
    const emulator = await startEmulator()
    const app = await startNext(__dirname, { emulator, port, host: 'localhost', production, log: (line) => process.stdout.write(line) })
    console.log(`\nopen http://localhost:${port}/dashboard (signs in jane@example.com on the emulator; Ctrl-C stops)`)
    const stop = async () => {
      await app.stop()
      await emulator.stop()
      process.exit(0)
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })().catch((error) => {
    console.error(error)
    process.exit(1)
  })
}
