'use strict'
// npm run check:package: the package as users get it. Builds the release binary (unless
// --no-build), packs the main package and this platform's binary package as the release
// workflow publishes them, and checks that:
//   - the main tarball holds exactly the JS entry points, types, emulator CLI and docs (no Rust
//     sources, tests, target/ or binaries); the client's binary is at most 6 MB and the emulator's
//     (loaded by scalekit-native/testing only) at most 10 MB (both sizes are printed);
//   - publint and attw (@arethetypeswrong/cli) find no problem in it;
//   - both tarballs install into an empty project, where the quickstart runs (require and
//     import), TypeScript resolves the types of both entry points under node16, nodenext and
//     bundler, and a missing binary gives an error naming the platform and how to build it.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { execFileSync } = require('node:child_process')

const root = path.resolve(__dirname, '..')
const build = !process.argv.includes('--no-build')
const pkg = require(path.join(root, 'package.json'))
// What production code loads, and what only tests load (README, "Binary size"). A debug build is 30+ MB.
const BUDGETS = { [pkg.napi.binaryName]: 6_000_000, [`${pkg.napi.binaryName}-testing`]: 10_000_000 }

const run = (cmd, args, options = {}) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options })
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const bin = (name) => path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name)
const step = (what) => process.stdout.write(`check:package: ${what}\n`)
function fail(message) {
  process.stderr.write(`check:package: ${message}\n`)
  process.exit(1)
}

/** This machine's napi platform directory name, e.g. linux-x64-gnu. */
function platformDir() {
  const glibc = process.report?.getReport?.().header?.glibcVersionRuntime
  const libc = process.platform === 'linux' ? (glibc ? '-gnu' : '-musl') : process.platform === 'win32' ? '-msvc' : ''
  return `${process.platform}-${process.arch}${libc}`
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'scalekit-native-package-'))
// Async for publint's API, which is ESM only.
;(async () => {
try {
  if (build) {
    step('building the release binary')
    run(npm, ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' })
  }
  const platform = platformDir()
  const binaries = Object.entries(BUDGETS).map(([name, budget]) => {
    const file = `${name}.${platform}.node`
    const found = [path.join(root, file), path.join(root, 'npm', platform, file)].find((f) => fs.existsSync(f))
    if (!found) fail(`no ${file}: build it first (npm run build)`)
    const size = fs.statSync(found).size
    step(`${file}: ${size} bytes (${(size / 1e6).toFixed(2)} MB, ${(size / 2 ** 20).toFixed(2)} MiB)`)
    if (size > budget) fail(`${file} is ${size} bytes, over its ${budget / 1e6} MB budget (is it a debug build?)`)
    return { file, path: found }
  })

  // The main package: exactly these files.
  const [packed] = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', work], { cwd: root }))
  const files = packed.files.map((f) => f.path).sort()
  const deepPath = 'lib/pkg/grpc/scalekit/v1/connected_accounts/connected_accounts_pb'
  const expected = ['LICENSE', 'README.md', 'bin/scalekit-emulator.js', 'edge.js', 'errors.js', 'index.d.ts', 'index.js', `${deepPath}.d.ts`, `${deepPath}.js`, 'lib/mcp/index.d.ts', 'lib/mcp/index.js', 'lib/session/cookies.js', 'lib/session/errors.js', 'lib/session/express.js', 'lib/session/index.d.ts', 'lib/session/index.js', 'lib/session/next.js', 'native.js', 'package.json', 'pagination.js', 'testing.d.mts', 'testing.d.ts', 'testing.js', 'testing.mjs'].sort()
  if (JSON.stringify(files) !== JSON.stringify(expected)) fail(`the main tarball holds ${JSON.stringify(files)}, expected ${JSON.stringify(expected)}`)
  step(`${packed.filename}: ${files.length} files, ${(packed.size / 1024).toFixed(0)} kB packed`)
  const mainTarball = path.join(work, packed.filename)

  // This platform's package, as the release workflow fills it (`napi artifacts`, then scripts/platform-packages.js).
  const platformSource = path.join(work, 'platform')
  fs.mkdirSync(platformSource)
  fs.copyFileSync(path.join(root, 'npm', platform, 'package.json'), path.join(platformSource, 'package.json'))
  for (const binary of binaries) fs.copyFileSync(binary.path, path.join(platformSource, binary.file))
  const [platformPacked] = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', work], { cwd: platformSource }))
  const platformFiles = platformPacked.files.map((f) => f.path).sort()
  const platformExpected = ['package.json', ...binaries.map((b) => b.file)].sort()
  if (JSON.stringify(platformFiles) !== JSON.stringify(platformExpected)) fail(`the platform tarball holds ${JSON.stringify(platformFiles)}, expected ${JSON.stringify(platformExpected)}`)
  const platformTarball = path.join(work, platformPacked.filename)

  step('publint')
  const unpacked = path.join(work, 'unpacked')
  fs.mkdirSync(unpacked)
  run('tar', ['-xzf', mainTarball, '-C', unpacked])
  // Strict (warnings fail too), with one rule accepted on purpose: the entry sets __esModule and
  // exports.default, as @scalekit-sdk/node does, so that `import Scalekit from …` is the client under
  // webpack, esbuild, vite and Turbopack as it is for the official package (README, "Both module systems work").
  const { publint } = await import('publint')
  const { formatMessage } = await import('publint/utils')
  const packageDir = path.join(unpacked, 'package')
  const packageJson = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'))
  const { messages } = await publint({ pkgDir: packageDir, strict: true, pack: false })
  const accepted = new Set(['CJS_WITH_ESMODULE_DEFAULT_EXPORT'])
  const problems = messages.filter((m) => !accepted.has(m.code))
  if (problems.length) fail(`publint:\n${problems.map((m) => `${m.type}: ${formatMessage(m, packageJson)}`).join('\n')}`)
  step(`publint: no problem (${messages.length - problems.length} accepted: the official package's __esModule default export)`)
  step('attw')
  try {
    // The one rule ignored is the same choice as publint's above: exports.default with __esModule, as the official
    // package has, without module.exports = the client (which would drop every named export under Node's ESM).
    run(bin('attw'), [mainTarball, '--format', 'table-flipped', '--ignore-rules', 'cjs-only-exports-default'])
  } catch (error) {
    fail(`attw:\n${error.stdout}${error.stderr}`)
  }

  // An empty project installs both tarballs, as users install the published packages.
  const project = path.join(work, 'project')
  fs.mkdirSync(project)
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'empty-project', version: '1.0.0', private: true }))
  step('installing into an empty project')
  run(npm, ['install', '--no-audit', '--no-fund', '--offline', mainTarball, platformTarball], { cwd: project })
  const quickstart = `
    const { ScalekitEmulator } = require('scalekit-native/testing')
    const { ScalekitClient } = require('scalekit-native')
    ;(async () => {
      const emulator = await ScalekitEmulator.start()
      emulator.createOrganization({ displayName: 'Acme' })
      const scalekit = new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
      const { organizations } = await scalekit.organization.listOrganizations()
      await emulator.stop()
      console.log(organizations[0].displayName)
    })().catch((error) => { console.error(error); process.exit(1) })`
  if (run(process.execPath, ['-e', quickstart], { cwd: project }).trim() !== 'Acme') fail('the quickstart did not run from the installed package')
  const esm = `
    import { ScalekitClient } from 'scalekit-native'
    import ScalekitDefault from 'scalekit-native'
    import { ScalekitEmulator } from 'scalekit-native/testing'
    const emulator = await ScalekitEmulator.start()
    const scalekit = new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
    console.log((await scalekit.organization.listOrganizations()).totalSize, typeof ScalekitDefault.ScalekitClient)
    await emulator.stop()`
  if (run(process.execPath, ['--input-type=module', '-e', esm], { cwd: project }).trim() !== '0 function') fail('import from ESM did not work')
  step('the quickstart runs from the installed package (require and import)')
  const loaded = run(process.execPath, ['-e', "require('scalekit-native'); console.log(Object.keys(require.cache).filter((f) => f.endsWith('.node')).map((f) => require('node:path').basename(f)).join())"], { cwd: project }).trim()
  if (loaded !== binaries[0].file) fail(`require('scalekit-native') loaded ${loaded || 'no binary'}, expected only ${binaries[0].file}`)
  step(`require('scalekit-native') loads ${loaded} alone`)

  // TypeScript resolves both entry points under each resolution mode.
  const source = `
    import { ScalekitClient, type Organization, ScalekitNotFoundException } from 'scalekit-native'
    import { ScalekitEmulator } from 'scalekit-native/testing'
    export async function main(): Promise<Organization[]> {
      const emulator = await ScalekitEmulator.start()
      const client = new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
      const all = await client.organization.listOrganizationsAll({ pageSize: 10 }).toArray({ limit: 100 })
      const error: typeof ScalekitNotFoundException = ScalekitNotFoundException
      void error
      return all
    }`
  for (const [mode, module, ext] of [['node16', 'node16', 'mts'], ['nodenext', 'nodenext', 'cts'], ['bundler', 'esnext', 'ts']]) {
    const file = path.join(project, `check-${mode}.${ext}`)
    fs.writeFileSync(file, source)
    try {
      run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--strict', '--skipLibCheck', 'false', '--types', 'node', '--typeRoots', path.join(root, 'node_modules', '@types'), '--module', module, '--moduleResolution', mode, '--target', 'es2022', file], { cwd: project })
    } catch (error) {
      fail(`TypeScript (${mode}):\n${error.stdout}${error.stderr}`)
    }
    step(`TypeScript resolves both entry points under moduleResolution ${mode}`)
  }

  // Zero-code migration: an app that only ever names @scalekit-sdk/node gets this package under that name (what
  // `npm install @scalekit-sdk/node@npm:scalekit-native` does; from the tarball here, as the registry is offline).
  const aliased = path.join(work, 'aliased')
  fs.mkdirSync(aliased)
  fs.writeFileSync(path.join(aliased, 'package.json'), JSON.stringify({ name: 'official-sdk-app', version: '1.0.0', private: true, dependencies: { '@scalekit-sdk/node': `file:${mainTarball}`, [`${pkg.name}-${platform}`]: `file:${platformTarball}` } }))
  run(npm, ['install', '--no-audit', '--no-fund', '--offline'], { cwd: aliased })
  const officialApp = `
    const { ScalekitClient, ScalekitNotFoundException } = require('@scalekit-sdk/node')
    const { ConnectorStatus } = require('@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/connected_accounts/connected_accounts_pb')
    const { ScalekitEmulator } = require('@scalekit-sdk/node/testing')
    ;(async () => {
      const emulator = await ScalekitEmulator.start()
      const scalekit = new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
      const { connectedAccount } = await scalekit.actions.getOrCreateConnectedAccount({ connectionName: 'gmail', identifier: 'ada' })
      const missing = await scalekit.organization.getOrganization('org_missing').catch((e) => e instanceof ScalekitNotFoundException)
      await emulator.stop()
      console.log(connectedAccount.status === ConnectorStatus.PENDING_AUTH, missing)
    })().catch((error) => { console.error(error); process.exit(1) })`
  if (run(process.execPath, ['-e', officialApp], { cwd: aliased }).trim() !== 'true true') fail('the app naming @scalekit-sdk/node did not run on the aliased package')
  const officialEsm = `
    import { Scalekit } from '@scalekit-sdk/node'
    import { ConnectorStatus } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/connected_accounts/connected_accounts_pb.js'
    console.log(typeof Scalekit, ConnectorStatus.ACTIVE)`
  if (run(process.execPath, ['--input-type=module', '-e', officialEsm], { cwd: aliased }).trim() !== 'function ACTIVE') fail('import from the aliased package did not work')
  const officialTypes = `
    import { Scalekit, type User, type TokenValidationOptions } from '@scalekit-sdk/node'
    import { ConnectorStatus } from '@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/connected_accounts/connected_accounts_pb.js'
    const scalekit = new Scalekit('https://acme.scalekit.dev', 'skc_1', 'secret')
    export const name = (user: User): string => user.givenName
    export async function guard(token: string): Promise<boolean> {
      const options: TokenValidationOptions = { audience: ['skc_1'] }
      const { connectedAccount } = await scalekit.actions.getOrCreateConnectedAccount({ connectionName: 'gmail', identifier: 'ada' })
      return connectedAccount?.status === ConnectorStatus.ACTIVE && (await scalekit.validateAccessToken(token, options))
    }`
  for (const [mode, module, ext] of [['node10', 'commonjs', 'ts'], ['node16', 'node16', 'mts'], ['bundler', 'esnext', 'ts']]) {
    const file = path.join(aliased, `official-${mode}.${ext}`)
    fs.writeFileSync(file, officialTypes)
    try {
      run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--strict', '--skipLibCheck', 'false', '--types', 'node', '--typeRoots', path.join(root, 'node_modules', '@types'), '--module', module, '--moduleResolution', mode, '--target', 'es2022', file], { cwd: aliased })
    } catch (error) {
      fail(`TypeScript through the alias (${mode}):\n${error.stdout}${error.stderr}`)
    }
  }
  step('an app naming only @scalekit-sdk/node runs on the aliased package: require, import, types and the deep path')

  // No binary for the platform: the error says which one it looked for and how to build it.
  fs.rmSync(path.join(project, 'node_modules', `${pkg.name}-${platform}`), { recursive: true })
  for (const entry of ['scalekit-native', 'scalekit-native/testing']) {
    let message = ''
    try {
      run(process.execPath, ['-e', `require('${entry}')`], { cwd: project })
    } catch (error) {
      message = error.stderr
    }
    if (!message.includes(platform) || !message.includes('npm run build') || !message.includes('rustup')) fail(`the loader's error without a binary (${entry}):\n${message}`)
  }
  step(`without a binary, both entry points name ${platform} and how to build from source`)
  step('ok')
} finally {
  fs.rmSync(work, { recursive: true, force: true })
}
})().catch((error) => fail(error.stack))
