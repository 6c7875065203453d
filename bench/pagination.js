'use strict'
// npm run bench:pagination: memory of an auto-paginated walk over 100 000 organizations (pages of
// 1 000), against the emulator in another process, next to collecting the same walk into one array.
//   node bench/pagination.js [--count N] [--page-size N]
const path = require('node:path')
const readline = require('node:readline')
const { spawn } = require('node:child_process')
const { parseArgs } = require('node:util')

const { values: args } = parseArgs({ options: { count: { type: 'string' }, 'page-size': { type: 'string' }, mode: { type: 'string' }, url: { type: 'string' }, id: { type: 'string' }, secret: { type: 'string' } } })
const count = Number(args.count || 100_000)
const pageSize = Number(args['page-size'] || 1000)
const mb = (bytes) => (bytes / 2 ** 20).toFixed(1)

/** One measurement in a fresh process, so that the two modes never share a heap. */
async function measure(mode) {
  const { ScalekitClient } = require('..')
  const client = new ScalekitClient(args.url, args.id, args.secret)
  const before = process.memoryUsage()
  let peakRss = before.rss
  let peakHeap = before.heapUsed
  let items = 0
  const started = process.hrtime.bigint()
  const sample = () => {
    const now = process.memoryUsage()
    peakRss = Math.max(peakRss, now.rss)
    peakHeap = Math.max(peakHeap, now.heapUsed)
  }
  if (mode === 'walk') {
    for await (const org of client.organization.listOrganizationsAll({ pageSize })) {
      if (org.id) items++
      if (items % pageSize === 0) sample()
    }
  } else {
    const all = await client.organization.listOrganizationsAll({ pageSize }).toArray({ limit: count })
    items = all.length
    sample()
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  process.stdout.write(`${JSON.stringify({ mode, items, seconds, rssBefore: before.rss, peakRss, heapBefore: before.heapUsed, peakHeap })}\n`)
}

async function main() {
  if (args.mode) return measure(args.mode)
  const emulator = spawn(process.execPath, [path.join(__dirname, '..', 'bin', 'scalekit-emulator.js'), '--max-page-size', String(pageSize), '--seed-organizations', String(count)], { stdio: ['ignore', 'pipe', 'inherit'] })
  try {
    const ready = await new Promise((resolve, reject) => {
      readline.createInterface({ input: emulator.stdout }).once('line', (line) => resolve(JSON.parse(line)))
      emulator.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)))
    })
    const lines = [`Auto-pagination over ${count} organizations, pages of ${pageSize} (${new Date().toISOString().slice(0, 10)}, Node ${process.version})`, '', '| mode | items | seconds | RSS before → peak MB | heap before → peak MB |', '|---|---|---|---|---|']
    for (const mode of ['walk', 'toArray']) {
      const out = await new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [__filename, '--mode', mode, '--count', String(count), '--page-size', String(pageSize), '--url', ready.url, '--id', ready.clientId, '--secret', ready.clientSecret], { stdio: ['ignore', 'pipe', 'inherit'] })
        let text = ''
        child.stdout.on('data', (d) => (text += d))
        child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(text)) : reject(new Error(`${mode} exited with ${code}`))))
      })
      lines.push(`| ${mode === 'walk' ? '`for await` walk' : '`toArray({ limit })`'} | ${out.items} | ${out.seconds.toFixed(2)} | ${mb(out.rssBefore)} → ${mb(out.peakRss)} | ${mb(out.heapBefore)} → ${mb(out.peakHeap)} |`)
    }
    process.stdout.write(`${lines.join('\n')}\n`)
  } finally {
    emulator.kill('SIGINT')
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`)
  process.exitCode = 1
})
