'use strict'
// npm run test:runtimes: the package on every runtime people deploy. It builds nothing: run it after
// `npm test` (or any build) has written the two addons.
//
//   node scripts/runtimes.js               install what is missing, then the JS suites (ava, jest,
//                                          vitest: `npm run test:js`) on Node 22 and 24, and the
//                                          runtime smoke (__test__/runtimes/) on every runtime
//   node scripts/runtimes.js --suites      only the JS suites on Node 22 and 24
//   node scripts/runtimes.js --smoke       only the smoke
//   node scripts/runtimes.js --install     only install, and print the versions
//   node scripts/runtimes.js --only node24,bun   (with any of the above) only these runtimes
//   node scripts/runtimes.js --system --pack [--need bun,deno] [--only node,bun,deno]
//                                          the release workflow's check, per target: packs the main
//                                          package and this platform's package (the two addons beside
//                                          package.json, as the build or download-artifact leaves them)
//                                          as they are published, installs both tarballs into an empty
//                                          project outside the repository, and runs the smoke there under
//                                          this node and the bun and deno found on PATH (--need: fail
//                                          when one is missing). Installs no runtime.
//   node scripts/runtimes.js --system --dir PROJECT   the same in a project you installed yourself
//
// The runtimes come from npm, pinned below, into a cache outside the repository:
// $SCALEKIT_RUNTIMES_CACHE, else $XDG_CACHE_HOME/scalekit-native-runtimes, else ~/.cache/…
// The JS suites run with that node's bin folder first on PATH, so ava, jest and vitest (and every
// worker they fork) run on it; a preload records the version of every Node process they start and
// the run fails unless all of them are that version. The smoke must print SMOKE_DONE and then exit by
// itself with code 0 within EXIT_GRACE_MS (no hang from native threads or the emulator).
//
// Node-API (src/json.rs): the addons import only Node-API 1–5 functions, bound when they load, and
// look up node_api_create_external_string_latin1 at run time. Where `nm` is found, each runtime's
// executable is checked to export every function the addons import, and the smoke's report of the
// optional path (taken or skipped) must match whether the runtime exports it. Every run must give the
// same big pages (a digest), whichever path it took.
//
// Exits non-zero when anything fails; prints the wall time of each runtime and the total.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawn, spawnSync } = require('node:child_process')

const root = path.resolve(__dirname, '..')
const pkg = require(path.join(root, 'package.json'))

// Pinned: bump on purpose. Node 20.0.0 is the floor of `engines` and has no external strings (they
// came in 20.4), so the smoke there takes the copying path; 22 and 24 are the other LTS lines.
const PINS = {
  'node20.0': { package: 'node-linux-{arch}', version: '20.0.0', bin: 'bin/node', smoke: true },
  node22: { package: 'node-linux-{arch}', version: '22.23.5', bin: 'bin/node', smoke: true, suites: true },
  node24: { package: 'node-linux-{arch}', version: '24.22.3', bin: 'bin/node', smoke: true, suites: true },
  bun: { package: '@oven/bun-linux-{bunArch}', version: '1.4.5', bin: 'bin/bun', smoke: true },
  deno: { package: '@deno/linux-{arch}-glibc', version: '2.9.6', bin: 'deno', smoke: true, args: ['run', '-A'] },
}
const SMOKE_FILES = ['smoke.cjs', 'smoke.mjs']
const SMOKE_TIMEOUT_MS = 120_000
const EXIT_GRACE_MS = 5_000

const argv = process.argv.slice(2)
const flag = (name) => argv.includes(name)
const option = (name) => {
  const i = argv.indexOf(name)
  return i >= 0 ? argv[i + 1] : undefined
}
const only = option('--only')?.split(',')
const system = flag('--system')
const modes = { install: flag('--install'), suites: flag('--suites'), smoke: flag('--smoke') }
if (!modes.install && !modes.suites && !modes.smoke) modes.suites = modes.smoke = !system
if (system) modes.smoke = true

const log = (line) => process.stdout.write(`runtimes: ${line}\n`)
const failures = []
let passed = 0
function fail(what) {
  failures.push(what)
  log(`FAIL ${what}`)
}
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`

function cacheDir() {
  if (process.env.SCALEKIT_RUNTIMES_CACHE) return path.resolve(process.env.SCALEKIT_RUNTIMES_CACHE)
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache')
  const dir = path.join(base, 'scalekit-native-runtimes')
  const rel = path.relative(root, dir)
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) throw new Error(`the runtime cache ${dir} is inside the repository`)
  return dir
}

/** The npm package of a pinned runtime on this machine. */
function packageName(pin) {
  if (process.platform !== 'linux' || !['x64', 'arm64'].includes(process.arch)) {
    throw new Error(`the pinned runtimes are npm packages for linux x64 and arm64 only, not ${process.platform}-${process.arch}; use --system`)
  }
  return pin.package.replace('{arch}', process.arch).replace('{bunArch}', process.arch === 'arm64' ? 'aarch64' : 'x64')
}

/** Installs every pinned runtime that is missing (in parallel): `{ name: { command, args, version } }`. */
async function installPinned(names) {
  const cache = cacheDir()
  fs.mkdirSync(cache, { recursive: true })
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const installed = {}
  await Promise.all(names.map(async (name) => {
    const pin = PINS[name]
    const pkgName = packageName(pin)
    const prefix = path.join(cache, `${pkgName.replace('/', '+')}@${pin.version}`)
    const command = path.join(prefix, 'node_modules', pkgName, pin.bin)
    const t0 = Date.now()
    let how = 'cached'
    if (!fs.existsSync(command)) {
      how = 'installed'
      fs.rmSync(prefix, { recursive: true, force: true })
      fs.mkdirSync(prefix, { recursive: true })
      const code = await run(npm, ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel', 'error', `${pkgName}@${pin.version}`], { cwd: prefix, quiet: true })
      if (code !== 0 || !fs.existsSync(command)) {
        fs.rmSync(prefix, { recursive: true, force: true })
        throw new Error(`npm install ${pkgName}@${pin.version} failed`)
      }
    }
    const version = versionOf(command)
    const expected = name.startsWith('node') ? `v${pin.version}` : pin.version
    if (!version.includes(expected)) throw new Error(`${command} reports ${version}, expected ${expected}`)
    log(`${name}: ${pkgName}@${pin.version} (${how} in ${seconds(Date.now() - t0)}): ${version}`)
    installed[name] = { command, args: pin.args ?? [], version, binDir: path.dirname(command) }
  }))
  return Object.fromEntries(names.map((name) => [name, installed[name]]))
}

function versionOf(command) {
  const result = spawnSync(command, ['--version'], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`${command} --version failed: ${result.stderr || result.error}`)
  return result.stdout.split('\n')[0].trim()
}

/** Runs a command; resolves to its exit code. Its output goes to ours (prefixed), unless quiet. */
function run(command, args, { cwd = root, env = process.env, quiet = false, prefix = '' } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', quiet ? 'ignore' : 'inherit', quiet ? 'pipe' : 'inherit'] })
    let stderr = ''
    child.stderr?.on('data', (d) => (stderr += d))
    child.on('error', (error) => {
      log(`${prefix}${command}: ${error.message}`)
      resolve(127)
    })
    child.on('close', (code, signal) => {
      if (quiet && code !== 0) process.stderr.write(stderr)
      resolve(signal ? 128 : code)
    })
  })
}

/** The Node-API functions a binary imports (addon) or exports (runtime), by `nm -D`; null without nm. */
function napiSymbols(file, which) {
  const result = spawnSync('nm', ['-D', which === 'imports' ? '--undefined-only' : '--defined-only', file], { encoding: 'utf8', maxBuffer: 64 << 20 })
  if (result.error || result.status !== 0) return null
  const names = result.stdout.split('\n').map((line) => line.trim().split(/\s+/).pop()?.replace(/@.*/, '')).filter((s) => /^(napi|node_api)_/.test(s ?? ''))
  return new Set(names)
}

/** Where the addons this package loads are: beside package.json after a build, or in the platform package. */
function addonFiles(dir) {
  const found = []
  const walk = (d, depth) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name)
      if (entry.isFile() && /^scalekit-native(-testing)?\.[\w-]+\.node$/.test(entry.name)) found.push(full)
      else if (entry.isDirectory() && depth > 0 && (entry.name === 'node_modules' || entry.name.startsWith('scalekit-native'))) walk(full, depth - 1)
    }
  }
  walk(dir, 2)
  return found
}

/** Node-API functions each runtime must export, and whether it has the optional one. */
function napiCheck(runtimes, dir) {
  // nm -D reads ELF; elsewhere the smoke's own report is the check.
  if (process.platform !== 'linux') return {}
  const addons = addonFiles(dir)
  const needed = new Set()
  for (const addon of addons) {
    const imports = napiSymbols(addon, 'imports')
    if (!imports) {
      log(`Node-API: no nm here (or ${path.basename(addon)} is not ELF): the exported functions are not checked`)
      return {}
    }
    imports.forEach((s) => needed.add(s))
  }
  if (needed.size === 0) return {}
  log(`Node-API: the addons (${addons.map((a) => path.basename(a)).join(', ')}) import ${needed.size} functions, looked up at run time: node_api_create_external_string_latin1`)
  const optional = {}
  for (const [name, rt] of Object.entries(runtimes)) {
    const exported = napiSymbols(fs.realpathSync(rt.command), 'exports')
    if (!exported) continue
    const missing = [...needed].filter((s) => !exported.has(s))
    if (missing.length) fail(`${name} does not export Node-API functions the addons import: ${missing.join(', ')}`)
    optional[name] = exported.has('node_api_create_external_string_latin1') ? 'taken' : 'skipped'
    log(`Node-API: ${name} exports ${exported.size} Node-API functions, all ${needed.size} the addons import${missing.length ? ' BUT ' + missing.length : ''}; external latin1 strings: ${exported.has('node_api_create_external_string_latin1') ? 'yes' : 'no'}`)
  }
  return optional
}

/** The JS suites (`npm run test:js`, each command in turn) on one Node.js, every process checked. */
async function suites(name, rt) {
  const commands = pkg.scripts['test:js'].split('&&').map((c) => c.trim())
  const probe = path.join(__dirname, 'runtimes-probe.cjs')
  const times = []
  for (const command of commands) {
    const record = path.join(os.tmpdir(), `scalekit-runtimes-${process.pid}-${name}-${command.split(' ')[0]}.log`)
    fs.rmSync(record, { force: true })
    const env = {
      ...process.env,
      PATH: [rt.binDir, path.join(root, 'node_modules', '.bin'), process.env.PATH].join(path.delimiter),
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(probe)}`.trim(),
      SCALEKIT_RUNTIMES_PROBE: record,
    }
    log(`${name}: ${command}`)
    const t0 = Date.now()
    const code = await run('sh', ['-c', command], { env })
    const ms = Date.now() - t0
    const seen = fs.existsSync(record) ? fs.readFileSync(record, 'utf8').trim().split('\n').filter(Boolean) : []
    fs.rmSync(record, { force: true })
    const versions = new Set(seen.map((l) => l.split(' ')[0]))
    const processes = seen.length
    times.push(`${command.split(' ')[0]} ${seconds(ms)}`)
    if (code !== 0) fail(`${name}: \`${command}\` exited with ${code}`)
    if (processes === 0) fail(`${name}: \`${command}\` started no Node.js process that loaded the probe`)
    else if (versions.size !== 1 || !versions.has(rt.version)) fail(`${name}: \`${command}\` ran on ${[...versions].join(', ')}, not only ${rt.version}`)
    else if (code === 0) {
      passed++
      log(`${name}: \`${command}\` passed in ${seconds(ms)}, ${processes} Node.js processes, all ${rt.version}`)
    }
  }
  return times.join(', ')
}

/**
 * One smoke file under one runtime, in `dir`: must print SMOKE_DONE, exit 0 by itself within
 * EXIT_GRACE_MS after it, and report no failed check. Resolves to its SMOKE_RESULT (or null).
 */
function smokeOnce(name, rt, file, dir) {
  return new Promise((resolve) => {
    const t0 = Date.now()
    const env = { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' }
    if (!system) env.DENO_DIR = path.join(cacheDir(), 'deno-dir')
    const child = spawn(rt.command, [...rt.args, file], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let doneAt = null
    let result = null
    let killedFor = null
    const kill = (why) => {
      if (child.exitCode !== null || child.signalCode !== null) return
      killedFor = why
      child.kill('SIGKILL')
    }
    const overall = setTimeout(() => kill(`no exit within ${SMOKE_TIMEOUT_MS / 1000} s`), SMOKE_TIMEOUT_MS)
    let grace
    const onLine = (line) => {
      if (line.startsWith('SMOKE_RESULT ')) {
        try {
          result = JSON.parse(line.slice('SMOKE_RESULT '.length))
        } catch {}
      }
      if (line === 'SMOKE_DONE') {
        doneAt = Date.now()
        grace = setTimeout(() => kill(`still running ${EXIT_GRACE_MS / 1000} s after SMOKE_DONE (a native thread or the emulator keeps it alive)`), EXIT_GRACE_MS)
      }
    }
    let pending = ''
    child.stdout.on('data', (data) => {
      out += data
      pending += data
      let nl
      while ((nl = pending.indexOf('\n')) >= 0) {
        onLine(pending.slice(0, nl).replace(/\r$/, ''))
        pending = pending.slice(nl + 1)
      }
    })
    child.stderr.on('data', (data) => (out += data))
    child.on('error', (error) => {
      clearTimeout(overall)
      fail(`${name} ${file}: cannot start ${rt.command}: ${error.message}`)
      resolve(null)
    })
    child.on('close', (code, signal) => {
      clearTimeout(overall)
      clearTimeout(grace)
      const ms = Date.now() - t0
      const exitLag = doneAt ? Date.now() - doneAt : null
      const problems = []
      if (killedFor) problems.push(killedFor)
      else if (signal) problems.push(`killed by ${signal}`)
      else if (code !== 0) problems.push(`exit code ${code}`)
      if (!doneAt && !killedFor) problems.push('it never printed SMOKE_DONE')
      if (result?.failed?.length) problems.push(`failed: ${result.failed.join('; ')}`)
      if (problems.length) {
        process.stdout.write(out.replace(/^/gm, `  ${name} ${file} | `) + '\n')
        fail(`${name} ${file}: ${problems.join('; ')}`)
      } else {
        passed++
        log(`${name} ${file}: ${result?.checks ?? '?'} checks passed in ${seconds(ms)}, exited by itself ${exitLag} ms after the work`)
      }
      resolve(result && { ...result, ms, exitLag, ok: problems.length === 0 })
    })
  })
}

/** The absolute path of a command on PATH, or null. */
function resolveOnPath(command) {
  if (path.isAbsolute(command)) return command
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : ['']
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const ext of exts) {
      const file = path.join(dir, command + ext)
      if (fs.existsSync(file) && fs.statSync(file).isFile()) return file
    }
  }
  return null
}

/** This machine's napi platform name, e.g. linux-x64-gnu (as native.js and check-package.js). */
function platformName() {
  const glibc = process.report?.getReport?.().header?.glibcVersionRuntime
  const libc = process.platform === 'linux' ? (glibc ? '-gnu' : '-musl') : process.platform === 'win32' ? '-msvc' : ''
  return `${process.platform}-${process.arch}${libc}`
}

/**
 * Packs the main package and this platform's package as the release workflow publishes them, and
 * installs both tarballs into an empty project in a fresh temporary folder: returns that project.
 */
async function packProject() {
  const platform = platformName()
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const npmRun = (args, cwd) => {
    const result = spawnSync(npm, args, { cwd, encoding: 'utf8', shell: process.platform === 'win32' })
    if (result.status !== 0) throw new Error(`npm ${args.join(' ')} (in ${cwd}) failed:\n${result.stdout}${result.stderr}${result.error ?? ''}`)
    return result.stdout
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'scalekit-native-smoke-'))
  const [main] = JSON.parse(npmRun(['pack', '--json', '--pack-destination', work], root))
  const source = path.join(work, 'platform')
  fs.mkdirSync(source)
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'npm', platform, 'package.json'), 'utf8'))
  manifest.files = [pkg.napi.binaryName, `${pkg.napi.binaryName}-testing`].map((name) => `${name}.${platform}.node`)
  for (const file of manifest.files) {
    const found = [path.join(root, file), path.join(root, 'npm', platform, file)].find((f) => fs.existsSync(f))
    if (!found) throw new Error(`no ${file} beside package.json nor in npm/${platform}/: build it or download the artifact first`)
    fs.copyFileSync(found, path.join(source, file))
    log(`pack: ${file}, ${fs.statSync(found).size} bytes`)
  }
  fs.writeFileSync(path.join(source, 'package.json'), JSON.stringify(manifest, null, 2))
  const [platformPacked] = JSON.parse(npmRun(['pack', '--json', '--pack-destination', work], source))
  const project = path.join(work, 'project')
  fs.mkdirSync(project)
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'smoke-project', version: '1.0.0', private: true }))
  npmRun(['install', '--offline', '--no-audit', '--no-fund', path.join(work, main.filename), path.join(work, platformPacked.filename)], project)
  log(`pack: ${main.filename} and ${platformPacked.filename} installed into an empty project (${project})`)
  return project
}

async function main() {
  const started = Date.now()
  const timing = {}
  let runtimes = {}
  let smokeDir = path.join(root, '__test__', 'runtimes')

  if (system) {
    const dir = option('--dir')
    if (!dir && !flag('--pack')) throw new Error('--system needs --pack, or --dir PROJECT (an empty project that installed the tarballs)')
    smokeDir = dir ? path.resolve(dir) : await packProject()
    if (!dir) process.on('exit', () => fs.rmSync(path.dirname(smokeDir), { recursive: true, force: true }))
    for (const file of SMOKE_FILES) fs.copyFileSync(path.join(root, '__test__', 'runtimes', file), path.join(smokeDir, file))
    const need = option('--need')?.split(',') ?? []
    if (!only || only.includes('node')) runtimes.node = { command: process.execPath, args: [], version: process.version }
    for (const [name, args] of [['bun', []], ['deno', ['run', '-A']]]) {
      if (only && !only.includes(name)) continue
      const command = resolveOnPath(name)
      const probe = command && spawnSync(command, ['--version'], { encoding: 'utf8' })
      if (probe?.status === 0) runtimes[name] = { command, args, version: probe.stdout.split('\n')[0].trim() }
      else if (need.includes(name)) fail(`${name} is needed (--need) but not on PATH`)
      else log(`${name}: not on PATH, not tried`)
    }
    for (const [name, rt] of Object.entries(runtimes)) log(`${name}: ${rt.command} ${rt.version}`)
  } else {
    const names = Object.keys(PINS).filter((n) => (!only || only.includes(n)) && ((modes.suites && PINS[n].suites) || (modes.smoke && PINS[n].smoke) || modes.install))
    const t0 = Date.now()
    runtimes = await installPinned(names)
    timing.install = Date.now() - t0
    log(`runtimes ready in ${seconds(timing.install)} (cache: ${cacheDir()})`)
    if (modes.smoke && (!only || only.includes('node'))) runtimes = { node: { command: process.execPath, args: [], version: process.version }, ...runtimes }
  }
  if (modes.install && !modes.suites && !modes.smoke) return

  const perRuntime = {}
  const add = (name, what, ms) => {
    perRuntime[name] ??= { total: 0, parts: [] }
    perRuntime[name].total += ms
    perRuntime[name].parts.push(`${what} ${seconds(ms)}`)
  }

  if (modes.suites) {
    for (const [name, rt] of Object.entries(runtimes)) {
      if (!PINS[name]?.suites) continue
      const t0 = Date.now()
      const parts = await suites(name, rt)
      add(name, `JS suites (${parts})`, Date.now() - t0)
    }
  }

  if (modes.smoke) {
    const expected = napiCheck(runtimes, system ? smokeDir : root)
    const results = []
    for (const [name, rt] of Object.entries(runtimes)) {
      const t0 = Date.now()
      for (const file of SMOKE_FILES) {
        const result = await smokeOnce(name, rt, file, smokeDir)
        if (!result) continue
        results.push({ name, file, ...result })
        if (expected[name] && process.platform !== 'win32' && result.paths?.externalLatin1 !== expected[name]) {
          fail(`${name} ${file}: the external latin1 path was ${result.paths?.externalLatin1}, expected ${expected[name]} (the runtime ${expected[name] === 'taken' ? 'exports' : 'lacks'} the function)`)
        }
      }
      add(name, 'smoke', Date.now() - t0)
    }
    const digests = new Set(results.map((r) => r.digest))
    if (digests.size > 1) fail(`the big pages differ between runs: ${results.map((r) => `${r.name} ${r.file} (${r.paths?.builtinParse}): ${r.digest}`).join(', ')}`)
    log('Node-API matrix (smoke.mjs; smoke.cjs gives the same):')
    log(`  ${'runtime'.padEnd(10)} ${'version'.padEnd(16)} ${'process.version'.padEnd(16)} ${'Node-API'.padEnd(9)} ${'external latin1'.padEnd(16)} ${'80 in flight ext/copied'.padEnd(24)} digest`)
    for (const r of results.filter((r) => r.file === 'smoke.mjs')) {
      log(`  ${r.name.padEnd(10)} ${String(r.runtimeVersion).padEnd(16)} ${r.node.padEnd(16)} ${String(r.napi).padEnd(9)} ${String(r.paths?.externalLatin1).padEnd(16)} ${`${r.paths?.crowd?.external}/${r.paths?.crowd?.copied}`.padEnd(24)} ${r.digest}`)
    }
  }

  log('wall time per runtime:')
  for (const [name, { total, parts }] of Object.entries(perRuntime)) log(`  ${name.padEnd(10)} ${seconds(total).padStart(8)}  ${parts.join(', ')}`)
  if (timing.install !== undefined) log(`  ${'install'.padEnd(10)} ${seconds(timing.install).padStart(8)}`)
  log(`  ${'total'.padEnd(10)} ${seconds(Date.now() - started).padStart(8)}`)
}

// scripts/mcp-conformance.js installs its Node 22 through here.
module.exports = { installPinned, cacheDir }
if (require.main !== module) return

main().then(
  () => {
    if (failures.length) {
      log(`${failures.length} failure(s):`)
      for (const f of failures) log(`  ${f}`)
      process.exitCode = 1
    }
    // One plain closing line: runs (a suite command on one Node.js, or a smoke file on one runtime).
    if (modes.suites || modes.smoke) log(`${passed} passed, ${failures.length} failed`)
  },
  (error) => {
    log(`FAIL ${error?.stack ?? error}`)
    log(`${passed} passed, ${failures.length + 1} failed`)
    process.exitCode = 1
  },
)
