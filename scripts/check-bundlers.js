'use strict'
// node scripts/check-bundlers.js [--full] [--tarballs DIR]: the package as bundlers see it. Installs
// the main tarball and this platform's tarball (packed as scripts/check-package.js packs them, or
// taken from DIR) into small apps, with no bundler configuration, and checks that each one loads
// the addon and gets a ScalekitNotFoundException for a missing organization from an emulator:
//   - Next.js 15 (App Router): a route handler (import), a route handler (require), a server
//     component, a server action and a route using scalekit-native/testing, under
//     `next dev --turbopack` and `next build && next start`; an Edge route answers 500 with the
//     error that names `runtime = 'nodejs'`;
//   - esbuild --bundle --platform=node (CommonJS and ES module output, run from another folder);
//   - vite build --ssr with ssr.noExternal: true.
//   - Next.js 14: `next build && next start`.
// --full adds next dev (webpack, Next.js 15 and 14), the Edge route failing `next build` with that
// error, and output: 'standalone' (one route: the binary is traced; with serverExternalPackages:
// everything is). Everything installs with --prefer-offline, so a
// machine that ran it once needs no network. Prints one line per check and "N passed, N failed".
const fs = require('node:fs')
const os = require('node:os')
const net = require('node:net')
const path = require('node:path')
const { execFileSync, spawn } = require('node:child_process')

const root = path.resolve(__dirname, '..')
const full = process.argv.includes('--full')
const tarballsArg = process.argv.indexOf('--tarballs')
const VERSIONS = {
  next15: { next: '15.5.29', react: '19.3.1', 'react-dom': '19.3.1' },
  next14: { next: '14.2.35', react: '18.3.1', 'react-dom': '18.3.1' },
  esbuild: { esbuild: '0.28.2' },
  vite: { vite: '8.4.1' },
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const run = (cmd, args, options = {}) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options })
const results = []
function check(name, ok, detail = '') {
  results.push(ok)
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}\n`)
}
const write = (dir, files) => {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    fs.writeFileSync(path.join(dir, file), text)
  }
}

// ---- the apps ------------------------------------------------------------------------------
const client = 'ScalekitClient(process.env.SK_URL, process.env.SK_ID, process.env.SK_SECRET)'
const probe = (label, cls) =>
  `try { await c.organization.getOrganization('org_missing'); r = 'no error' } catch (e) { r = e instanceof ${cls} ? '${label}-notfound-ok' : '${label}-other:' + e?.message }`
const NEXT_APP = {
  'app/layout.js': 'export default function RootLayout({ children }) { return <html><body>{children}</body></html> }\n',
  'app/page.js': `import { ScalekitClient, ScalekitNotFoundException } from 'scalekit-native'
import { check } from './actions'
export const dynamic = 'force-dynamic'
export default async function Page() {
  const c = new ${client}
  let r
  ${probe('page', 'ScalekitNotFoundException')}
  return <main><p>{r}</p><form action={check}><button>go</button></form></main>
}
`,
  'app/actions.js': `'use server'
import * as sk from 'scalekit-native'
export async function check() {
  const c = new sk.${client}
  let r
  ${probe('action', 'sk.ScalekitNotFoundException')}
  return r
}
`,
  'app/api/x/route.js': `import { ScalekitClient, ScalekitNotFoundException } from 'scalekit-native'
export const dynamic = 'force-dynamic'
export async function GET() {
  const c = new ${client}
  let r
  ${probe('import', 'ScalekitNotFoundException')}
  return Response.json({ r })
}
`,
  'app/api/y/route.js': `const { ScalekitClient, ScalekitNotFoundException } = require('scalekit-native')
export const dynamic = 'force-dynamic'
export async function GET() {
  const c = new ${client}
  let r
  ${probe('require', 'ScalekitNotFoundException')}
  return Response.json({ r })
}
`,
  // The default import, as Scalekit's passwordless Next.js apps write it: the client class (exports.default), as for
  // the official package, whose CommonJS entry bundlers read the same way.
  'app/api/default/route.js': `import Scalekit from 'scalekit-native'
export const dynamic = 'force-dynamic'
export async function GET() {
  const c = new Scalekit(process.env.SK_URL, process.env.SK_ID, process.env.SK_SECRET)
  return Response.json({ r: typeof Scalekit === 'function' && typeof c.organization === 'object' ? 'default-import-ok' : 'default-import-' + typeof Scalekit })
}
`,
  'app/api/emu/route.js': `import { ScalekitEmulator } from 'scalekit-native/testing'
import { ScalekitClient } from 'scalekit-native'
export const dynamic = 'force-dynamic'
export async function GET() {
  const emulator = await ScalekitEmulator.start({ port: 0 })
  emulator.createOrganization({ displayName: 'Acme' })
  const c = new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
  const { organizations } = await c.organization.listOrganizations()
  await emulator.stop()
  return Response.json({ r: 'testing-ok:' + organizations[0].displayName })
}
`,
}
const EDGE_ROUTE = {
  'app/api/edge/route.js': `import { ScalekitClient } from 'scalekit-native'
export const runtime = 'edge'
export const dynamic = 'force-dynamic'
export async function GET() { return Response.json({ r: typeof ScalekitClient }) }
`,
}
const NEXT_EXPECT = [
  ['GET', '/api/x', 'import-notfound-ok'],
  ['GET', '/api/y', 'require-notfound-ok'],
  ['GET', '/', 'page-notfound-ok'],
  ['GET', '/api/emu', 'testing-ok:Acme'],
  ['GET', '/api/default', 'default-import-ok'],
  ['ACTION', '/', 'action-notfound-ok'],
]
const BUNDLE_APP = {
  'app.js': `const { ScalekitClient, ScalekitNotFoundException } = require('scalekit-native')
const { ScalekitEmulator } = require('scalekit-native/testing')
;(async () => {
  const emulator = await ScalekitEmulator.start({ port: 0 })
  const c = new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
  let r
  ${probe('bundle', 'ScalekitNotFoundException')}
  await emulator.stop()
  console.log(r)
})().catch((e) => { console.error(e); process.exit(1) })
`,
  'app.mjs': `import { ScalekitClient, ScalekitNotFoundException } from 'scalekit-native'
import { ScalekitEmulator } from 'scalekit-native/testing'
const emulator = await ScalekitEmulator.start({ port: 0 })
const c = new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
let r
${probe('bundle', 'ScalekitNotFoundException')}
await emulator.stop()
console.log(r)
`,
  // An ES module in a CommonJS package (TypeScript, as esbuild users write it): the default import is the client.
  'default.ts': `import Scalekit from 'scalekit-native'
import * as all from 'scalekit-native'
console.log(typeof Scalekit === 'function' && Scalekit === all.ScalekitClient ? 'bundle-notfound-ok' : 'default-import-' + typeof Scalekit)
`,
  'vite.config.mjs': "export default { ssr: { noExternal: true, target: 'node' }, build: { target: 'node20' } }\n",
}

// ---- helpers -------------------------------------------------------------------------------
function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

function install(dir, deps, tarballs) {
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: path.basename(dir), private: true }))
  const specs = [...Object.entries(deps).map(([n, v]) => `${n}@${v}`), ...tarballs]
  run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', ...specs], { cwd: dir })
}

async function startEmulator(dir) {
  const child = spawn(process.execPath, [path.join(dir, 'node_modules/scalekit-native/bin/scalekit-emulator.js'), '--port', '0', '--client-id', 'skc_test', '--client-secret', 'sk_secret'], { stdio: ['ignore', 'pipe', 'ignore'] })
  const line = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(String(d)))
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}`)))
  })
  return { url: JSON.parse(line).url, stop: () => child.kill('SIGTERM') }
}

/** Runs `node <args>` in dir as its own process group; resolves once url answers. `onOutput` sees its output too. */
async function serve(dir, args, url, env, onOutput = () => {}) {
  const log = []
  const child = spawn(process.execPath, args, { cwd: dir, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (d) => (log.push(String(d)), onOutput(String(d))))
  const deadline = Date.now() + 180_000
  for (;;) {
    try {
      await fetch(`${url}/api/nothing`)
      break
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no server at ${url}:\n${log.join('')}`)
      await new Promise((r) => setTimeout(r, 300))
    }
  }
  return {
    log,
    stop: async () => {
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {}
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)))
    },
  }
}

async function nextChecks(label, dir, args, env, expect = NEXT_EXPECT) {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  // -p for next dev and next start; PORT and HOSTNAME for the standalone server.js.
  const server = await serve(dir, [...args, '-p', String(port)], url, { ...env, PORT: String(port), HOSTNAME: '127.0.0.1' })
  try {
    for (const [method, route, want] of expect) {
      let body = ''
      let status = 0
      if (method === 'ACTION') {
        const manifest = path.join(dir, '.next/server/server-reference-manifest.json')
        const id = fs.existsSync(manifest) ? Object.keys(JSON.parse(fs.readFileSync(manifest, 'utf8')).node)[0] : undefined
        if (id) {
          const res = await fetch(url + route, { method: 'POST', headers: { 'Next-Action': id, 'Content-Type': 'text/plain;charset=UTF-8' }, body: '[]' })
          ;[status, body] = [res.status, await res.text()]
        }
      } else {
        const res = await fetch(url + route)
        ;[status, body] = [res.status, await res.text()]
      }
      const ok = typeof want === 'number' ? status === want : status === 200 && body.includes(want)
      check(`${label} ${method} ${route}`, ok, ok ? '' : `${status} ${body.slice(0, 300)}`)
    }
  } finally {
    await server.stop()
  }
  return server.log.join('')
}

function nextBuild(label, dir, extra = []) {
  const started = Date.now()
  try {
    run(process.execPath, ['node_modules/next/dist/bin/next', 'build', ...extra], { cwd: dir, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } })
    check(`${label} next build ${extra.join(' ')}`.trim(), true, `${((Date.now() - started) / 1000).toFixed(1)} s`)
    return ''
  } catch (error) {
    return `${error.stdout}${error.stderr}`
  }
}

function tarballs(work) {
  if (tarballsArg !== -1) {
    const dir = path.resolve(process.argv[tarballsArg + 1])
    return fs.readdirSync(dir).filter((f) => f.endsWith('.tgz')).map((f) => path.join(dir, f))
  }
  // As scripts/check-package.js: the main package, and this platform's package with both binaries.
  const glibc = process.report?.getReport?.().header?.glibcVersionRuntime
  const platform = `${process.platform}-${process.arch}${process.platform === 'linux' ? (glibc ? '-gnu' : '-musl') : process.platform === 'win32' ? '-msvc' : ''}`
  const [main] = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', work], { cwd: root }))
  const source = path.join(work, 'platform')
  fs.mkdirSync(source)
  fs.copyFileSync(path.join(root, 'npm', platform, 'package.json'), path.join(source, 'package.json'))
  for (const name of ['scalekit-native', 'scalekit-native-testing']) {
    const file = `${name}.${platform}.node`
    const found = [path.join(root, file), path.join(root, 'npm', platform, file)].find((f) => fs.existsSync(f))
    if (!found) throw new Error(`no ${file}: build it first`)
    fs.copyFileSync(found, path.join(source, file))
  }
  const [plat] = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', work], { cwd: source }))
  return [path.join(work, main.filename), path.join(work, plat.filename)]
}

// ---- the checks ----------------------------------------------------------------------------
async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'scalekit-native-bundlers-'))
  const packed = tarballs(work)
  const stops = []
  try {
    const next15 = path.join(work, 'next15')
    install(next15, VERSIONS.next15, packed)
    const emulator = await startEmulator(next15)
    stops.push(emulator.stop)
    const env = { SK_URL: emulator.url, SK_ID: 'skc_test', SK_SECRET: 'sk_secret' }
    const next = 'node_modules/next/dist/bin/next'

    write(next15, { ...NEXT_APP, ...EDGE_ROUTE })
    const turboLog = await nextChecks('next15 dev --turbopack', next15, [next, 'dev', '--turbopack'], env, [...NEXT_EXPECT, ['GET', '/api/edge', 500]])
    check('next15 dev --turbopack: the Edge route logs the fix', turboLog.includes("export const runtime = 'nodejs'"))
    if (full) {
      fs.rmSync(path.join(next15, '.next'), { recursive: true, force: true })
      await nextChecks('next15 dev (webpack)', next15, [next, 'dev'], env)
      const out = nextBuild('next15 (Edge route)', next15)
      check('next15 next build fails on the Edge route, naming the fix', out.includes("export const runtime = 'nodejs'"))
    }
    fs.rmSync(path.join(next15, 'app/api/edge'), { recursive: true })
    fs.rmSync(path.join(next15, '.next'), { recursive: true, force: true })
    const buildOut = nextBuild('next15', next15)
    if (buildOut) check('next15 next build', false, buildOut.slice(-2000))
    else await nextChecks('next15 next start', next15, [next, 'start'], env)

    const bundles = path.join(work, 'bundles')
    install(bundles, { ...VERSIONS.esbuild, ...VERSIONS.vite }, packed)
    write(bundles, BUNDLE_APP)
    const esbuild = path.join(bundles, 'node_modules/esbuild/bin/esbuild')
    const attempt = (name, fn) => {
      try {
        const got = fn()
        check(name, got === 'bundle-notfound-ok', got)
      } catch (error) {
        check(name, false, `${error.stdout ?? ''}${error.stderr ?? error.message}`.slice(0, 2000))
      }
    }
    for (const [source, format, out] of [['app.js', 'cjs', 'dist/app.cjs'], ['app.mjs', 'esm', 'dist/app.mjs'], ['default.ts', 'cjs', 'dist/default.cjs']]) {
      attempt(`esbuild ${source} --bundle --platform=node --format=${format} (run from another folder)`, () => {
        run(esbuild, [source, '--bundle', '--platform=node', `--format=${format}`, `--outfile=${out}`, '--log-level=error'], { cwd: bundles })
        return run(process.execPath, [path.join(bundles, out)], { cwd: os.tmpdir() }).trim()
      })
    }
    attempt('vite build --ssr, ssr.noExternal: true', () => {
      run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--ssr', 'app.mjs', '--outDir', 'dist-vite', '--logLevel', 'error'], { cwd: bundles })
      const out = fs.readdirSync(path.join(bundles, 'dist-vite')).find((f) => /^app\.[cm]?js$/.test(f))
      return run(process.execPath, [path.join('dist-vite', out)], { cwd: bundles }).trim()
    })

    // Next.js 14 (webpack, experimental.serverComponentsExternalPackages era): built and served.
    const next14 = path.join(work, 'next14')
    install(next14, VERSIONS.next14, packed)
    write(next14, NEXT_APP)
    if (full) {
      await nextChecks('next14 dev', next14, [next, 'dev'], env)
      fs.rmSync(path.join(next14, '.next'), { recursive: true, force: true })
    }
    const out14 = nextBuild('next14', next14)
    if (out14) check('next14 next build', false, out14.slice(-2000))
    else await nextChecks('next14 next start', next14, [next, 'start'], env)

    if (full) {
      // output: 'standalone', run from a copy away from node_modules.
      for (const [label, config, routes] of [
        ['one route', "module.exports = { output: 'standalone' }", ['app/layout.js', 'app/api/x/route.js']],
        ['serverExternalPackages', "module.exports = { output: 'standalone', serverExternalPackages: ['scalekit-native'] }", Object.keys(NEXT_APP)],
      ]) {
        fs.rmSync(path.join(next15, 'app'), { recursive: true })
        fs.rmSync(path.join(next15, '.next'), { recursive: true, force: true })
        write(next15, Object.fromEntries(routes.map((r) => [r, NEXT_APP[r]])))
        write(next15, { 'next.config.js': `${config}\n` })
        const outSa = nextBuild(`next15 standalone, ${label}`, next15)
        if (outSa) {
          check(`next15 standalone, ${label}: next build`, false, outSa.slice(-2000))
          continue
        }
        const deploy = path.join(work, `deploy-${label.replace(/\W/g, '')}`)
        fs.cpSync(path.join(next15, '.next/standalone'), deploy, { recursive: true })
        fs.cpSync(path.join(next15, '.next/server/server-reference-manifest.json'), path.join(deploy, '.next/server/server-reference-manifest.json'))
        const expect = label === 'one route' ? NEXT_EXPECT.slice(0, 1) : NEXT_EXPECT
        await nextChecks(`next15 standalone, ${label}`, deploy, ['server.js'], env, expect).catch((e) => check(`next15 standalone, ${label}`, false, e.message))
      }
    }
  } finally {
    for (const stop of stops) stop()
    if (!process.argv.includes('--keep')) fs.rmSync(work, { recursive: true, force: true })
  }
}

module.exports = { VERSIONS, tarballs, install, freePort, serve }

if (require.main === module) {
  main()
    .catch((error) => check('check-bundlers', false, error.stack))
    .finally(() => {
      const failed = results.filter((r) => !r).length
      process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`)
      process.exitCode = failed ? 1 : 0
    })
}
