'use strict'
// The cargo-fuzz targets in fuzz/ (webhook, token, transcoder, emulator), with AddressSanitizer and
// overflow checks (-a), on the nightly toolchain.
//
//   node scripts/fuzz.js --smoke                 each target ~30 s from its committed corpus (fuzz/corpus/<target>);
//                                                new inputs go to a temporary folder, the committed corpus is not touched
//   node scripts/fuzz.js --minutes N [--target X] N minutes per target (or for X only), one after another, in
//                                                fuzz/corpus-work/<target> (git-ignored), seeded from the committed corpus
//   --seconds S                                  another smoke length
//   --install                                    install cargo-fuzz first when it is missing (cargo install cargo-fuzz --locked)
//   --jobs J                                     libFuzzer worker processes per target (default 1)
//
// Fails (exit 1) on any crash, leak, timeout or broken invariant, and prints the reproducer's path
// and the command that replays it. Without `cargo +nightly` or cargo-fuzz it prints why and exits 0,
// so that CI skips it where the toolchain is absent. Prints per target: executions, corpus size and
// coverage (libFuzzer's final `cov:` and `ft:`), and the time the build and the runs took.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync, spawn } = require('node:child_process')

const root = path.resolve(__dirname, '..')
const TARGETS = ['webhook', 'token', 'transcoder', 'emulator']
const BUILD_FLAGS = ['-a', '--sanitizer', 'address']

function parseArgs (argv) {
  const options = { smoke: false, minutes: null, seconds: 30, target: null, install: false, jobs: 1 }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = () => {
      const v = argv[++i]
      if (v === undefined) fail(`${arg} needs a value`)
      return v
    }
    if (arg === '--smoke') options.smoke = true
    else if (arg === '--minutes') options.minutes = Number(value())
    else if (arg === '--seconds') options.seconds = Number(value())
    else if (arg === '--target') options.target = value()
    else if (arg === '--install') options.install = true
    else if (arg === '--jobs') options.jobs = Number(value())
    else if (arg === '--help' || arg === '-h') {
      console.log(fs.readFileSync(__filename, 'utf8').split('\n').slice(1, 17).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'))
      process.exit(0)
    } else fail(`unknown argument ${arg}`)
  }
  if (!options.smoke && options.minutes === null) fail('say --smoke or --minutes N (see --help)')
  if (options.minutes !== null && !(options.minutes > 0)) fail('--minutes takes a positive number')
  if (!(options.seconds > 0)) fail('--seconds takes a positive number')
  if (!(Number.isInteger(options.jobs) && options.jobs > 0)) fail('--jobs takes a positive integer')
  if (options.target && !TARGETS.includes(options.target)) fail(`--target is one of ${TARGETS.join(', ')}`)
  return options
}

function fail (message) {
  console.error(`fuzz: ${message}`)
  process.exit(2)
}

function succeeds (command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'ignore' })
  return result.status === 0
}

/** Whether the toolchain is here; installs cargo-fuzz with --install. False (with a note) when it cannot run. */
function toolchainReady (options) {
  if (!succeeds('cargo', ['+nightly', '--version'])) {
    console.log('fuzz: skipped: no nightly toolchain (`cargo +nightly` failed); cargo-fuzz needs one: rustup toolchain install nightly')
    return false
  }
  if (!succeeds('cargo', ['+nightly', 'fuzz', '--version'])) {
    if (!options.install) {
      console.log('fuzz: skipped: cargo-fuzz is not installed (cargo install cargo-fuzz --locked, or run this with --install)')
      return false
    }
    console.log('fuzz: installing cargo-fuzz (cargo install cargo-fuzz --locked)')
    const installed = spawnSync('cargo', ['install', 'cargo-fuzz', '--locked'], { cwd: root, stdio: 'inherit' })
    if (installed.status !== 0) {
      console.error('fuzz: cargo install cargo-fuzz failed')
      process.exit(1)
    }
  }
  return true
}

function seconds (ms) {
  return `${(ms / 1000).toFixed(1)} s`
}

/** Runs one target; resolves to its stats, or to { crashed } with what libFuzzer reported. */
function run (target, corpusDirs, totalSeconds, jobs) {
  const dict = path.join('fuzz', 'dict', `${target}.dict`)
  const libfuzzer = [`-max_total_time=${totalSeconds}`, '-timeout=20', '-rss_limit_mb=3072', '-print_final_stats=1']
  if (fs.existsSync(path.join(root, dict))) libfuzzer.push(`-dict=${dict}`)
  if (jobs > 1) libfuzzer.push(`-fork=${jobs}`)
  const args = ['+nightly', 'fuzz', 'run', ...BUILD_FLAGS, target, ...corpusDirs, '--', ...libfuzzer]
  return new Promise((resolve) => {
    const child = spawn('cargo', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    let log = ''
    const keep = (chunk) => {
      log += chunk
      // Enough to find the last stats line and a crash report, not the whole run.
      if (log.length > 4_000_000) log = log.slice(-2_000_000)
    }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    child.on('close', (code, signal) => {
      const lines = log.split('\n')
      const statsLine = [...lines].reverse().find((l) => /^#\d+\s.*\bcov: \d+/.test(l)) || ''
      const stat = (name) => (log.match(new RegExp(`stat::${name}:\\s*(\\d+)`)) || [])[1]
      const field = (name) => (statsLine.match(new RegExp(`\\b${name}: (\\S+)`)) || [])[1]
      const artifact = (log.match(/Test unit written to (\S+)/) || [])[1]
      resolve({
        target,
        ok: code === 0 && !artifact,
        code,
        signal,
        executions: stat('number_of_executed_units') || (statsLine.match(/^#(\d+)/) || [])[1],
        execPerSecond: stat('average_exec_per_sec') || field('exec/s'),
        corpus: field('corp'),
        cov: field('cov'),
        ft: field('ft'),
        statsLine: statsLine.trim(),
        artifact,
        report: artifact || code !== 0 ? crashReport(lines) : ''
      })
    })
  })
}

/** The part of the log that says what went wrong: a panic's message, a sanitizer's report, libFuzzer's verdict, or a build error. */
function crashReport (lines) {
  const out = []
  const panic = lines.findIndex((l) => /panicked at/.test(l))
  if (panic !== -1) {
    const end = lines.findIndex((l, i) => i > panic && /^stack backtrace:|^note: run with/.test(l))
    out.push(...lines.slice(panic, end === -1 ? panic + 10 : Math.min(end, panic + 30)))
  }
  const sanitizer = lines.findIndex((l) => /==\d+==ERROR: (AddressSanitizer|LeakSanitizer)/.test(l))
  if (sanitizer !== -1) out.push(...lines.slice(sanitizer, sanitizer + 20))
  out.push(...lines.filter((l) => /^SUMMARY: |ERROR: libFuzzer: (?!deadly signal)|^error(\[|:)/.test(l)).slice(0, 10))
  return (out.length ? out : lines.slice(-40)).join('\n')
}

async function main () {
  const options = parseArgs(process.argv.slice(2))
  if (!toolchainReady(options)) return
  const targets = options.target ? [options.target] : TARGETS
  const started = Date.now()

  console.log(`fuzz: building ${targets.join(', ')} (cargo +nightly fuzz build ${BUILD_FLAGS.join(' ')})`)
  // One cargo invocation for all of them: the dependencies are built once, the targets in parallel.
  const build = spawnSync('cargo', ['+nightly', 'fuzz', 'build', ...BUILD_FLAGS, ...(options.target ? [options.target] : [])], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) {
    console.error('fuzz: the build failed')
    process.exit(1)
  }
  const built = Date.now()
  console.log(`fuzz: built in ${seconds(built - started)}`)

  const totalSeconds = options.smoke ? options.seconds : Math.round(options.minutes * 60)
  const results = []
  let scratch = null
  for (const target of targets) {
    const seeds = path.join('fuzz', 'corpus', target)
    const seeded = fs.existsSync(path.join(root, seeds)) ? [seeds] : []
    let corpusDirs
    if (options.smoke) {
      // New inputs go to a scratch folder; the committed seeds are read only.
      scratch = scratch || fs.mkdtempSync(path.join(os.tmpdir(), 'scalekit-fuzz-'))
      const work = path.join(scratch, target)
      fs.mkdirSync(work, { recursive: true })
      corpusDirs = [work, ...seeded]
    } else {
      const work = path.join('fuzz', 'corpus-work', target)
      fs.mkdirSync(path.join(root, work), { recursive: true })
      corpusDirs = [work, ...seeded]
    }
    console.log(`fuzz: ${target}: ${totalSeconds} s from ${corpusDirs.join(' + ')}`)
    const t0 = Date.now()
    const result = await run(target, corpusDirs, totalSeconds, options.jobs)
    result.wall = Date.now() - t0
    results.push(result)
    if (result.ok) {
      console.log(`fuzz: ${target}: ${result.executions} executions (${result.execPerSecond}/s), corpus ${result.corpus}, cov ${result.cov}, ft ${result.ft} in ${seconds(result.wall)}`)
      console.log(`      ${result.statsLine}`)
    } else {
      console.log(`fuzz: ${target}: FAILED (exit ${result.code}${result.signal ? `, ${result.signal}` : ''})`)
      console.log(result.report)
      if (result.artifact) {
        console.log(`fuzz: reproducer: ${result.artifact}`)
        console.log(`fuzz: replay it: cargo +nightly fuzz run ${BUILD_FLAGS.join(' ')} ${target} ${path.relative(root, path.resolve(root, result.artifact))}`)
      }
    }
  }
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true })

  console.log('\n| target | executions | exec/s | corpus | cov | ft | result |')
  console.log('|---|---|---|---|---|---|---|')
  for (const r of results) {
    console.log(`| ${r.target} | ${r.executions ?? '?'} | ${r.execPerSecond ?? '?'} | ${r.corpus ?? '?'} | ${r.cov ?? '?'} | ${r.ft ?? '?'} | ${r.ok ? 'ok' : 'FAILED'} |`)
  }
  console.log(`\nfuzz: build ${seconds(built - started)}, runs ${seconds(Date.now() - built)}, total ${seconds(Date.now() - started)}`)
  if (results.some((r) => !r.ok)) process.exit(1)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
