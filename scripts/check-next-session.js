'use strict'
// node scripts/check-next-session.js: examples/nextjs-session (Next.js 15, App Router) built with `next build`,
// served with `next start`, and driven like a browser against an in-process emulator: a Server Component behind
// requireSession, sign-in through the route handlers, the Node.js middleware refreshing once for parallel requests
// and forwarding the session (a client's copy of that header is dropped), a Server Action, a POST-only logout from
// this site, a state mismatch. The package is packed and installed as npm would (scripts/check-bundlers.js's
// tarballs). Prints one line per check and "N passed, N failed".
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { prepare, startEmulator, startNext } = require('../examples/nextjs-session/run.js')
const { freePort } = require('./check-bundlers.js')
const { browser, tokenRequests } = require('../__test__/helpers.js')

const results = []
function check(name, ok, detail = '') {
  results.push(ok)
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok || !detail ? '' : `: ${detail}`}\n`)
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const navigate = { 'sec-fetch-mode': 'navigate', accept: 'text/html' }

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'scalekit-native-next-session-'))
  const stops = []
  try {
    const started = Date.now()
    prepare(work)
    check('install (packed package, Next.js 15)', true)
    const emulator = await startEmulator()
    stops.push(() => emulator.stop())
    // 20 s tokens: a fifth is under the 15 s floor, so a refresh is due 5 s after each one is issued.
    emulator.setTokenTtl(20)
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const app = await startNext(work, { emulator, port, appUrl: base, production: true })
    stops.push(app.stop)
    check('next build && next start', true, `${((Date.now() - started) / 1000).toFixed(0)} s`)

    const b = browser()
    const home = await b.send(`${base}/`, { headers: navigate })
    check('a Server Component reads no session', home.status === 200 && (await home.text()).includes('unauthenticated'))
    const guarded = await b.send(`${base}/dashboard`, { headers: navigate })
    check('requireSession sends a visitor to sign in, coming back here', [302, 307].includes(guarded.status) && guarded.headers.get('location')?.endsWith('/auth/login?returnTo=%2Fdashboard'), `${guarded.status} ${guarded.headers.get('location')}`)
    const forged = await b.send(`${base}/dashboard`, { headers: { ...navigate, 'x-scalekit-session': 'v1.forged.session' } })
    check('a client-sent forwarded session is dropped', [302, 307].includes(forged.status))

    const signedIn = await b.go(`${base}/auth/login?returnTo=/dashboard`, { headers: navigate })
    const page = await signedIn.text()
    check('sign-in through the route handlers lands on the dashboard', signedIn.status === 200 && page.includes('jane@example.com'), b.hops.join(' → '))
    check('roles and permissions from the verified token', page.includes('org:settings:manage') && /org_\w+/.test(page))
    check('the session cookie is sealed (v1.…)', /^v1\./.test(b.cookies.get('skn_session') ?? ''))
    check('no leftover login-transaction cookie', ![...b.cookies.keys()].some((name) => name.startsWith('skn_tx_')))

    const manifest = JSON.parse(fs.readFileSync(path.join(work, '.next/server/server-reference-manifest.json'), 'utf8'))
    const actionId = Object.keys(manifest.node)[0]
    const action = await b.send(`${base}/dashboard`, { method: 'POST', headers: { 'next-action': actionId, 'content-type': 'text/plain;charset=UTF-8' }, body: '[]' })
    const actionBody = await action.text()
    check('a Server Action reads the session', action.status === 200 && actionBody.includes('action sees jane@example.com'), `${action.status} ${actionBody.slice(0, 200)}`)

    await sleep(6000)
    const before = tokenRequests(emulator)
    const parallel = await Promise.all(Array.from({ length: 5 }, () => fetch(`${base}/dashboard`, { headers: { ...navigate, cookie: b.cookieHeader() }, redirect: 'manual' })))
    const bodies = await Promise.all(parallel.map((r) => r.text()))
    check('5 parallel requests due for a refresh: all served', parallel.every((r) => r.status === 200) && bodies.every((text) => text.includes('jane@example.com')), parallel.map((r) => r.status).join(','))
    check('…with exactly one refresh, made by the middleware', tokenRequests(emulator) - before === 1, `${tokenRequests(emulator) - before} refreshes`)
    check('…rendering the refreshed session, and writing its cookie', bodies.every((text) => text.includes('>refreshed<')) && parallel.every((r) => r.headers.getSetCookie().some((c) => c.startsWith('skn_session=v1.'))))
    for (const line of parallel[0].headers.getSetCookie()) {
      const [pair] = line.split(';')
      b.cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1))
    }
    const after = await b.send(`${base}/dashboard`, { headers: navigate })
    check('the refreshed cookie is served without another refresh', after.status === 200 && (await after.text()).includes('not refreshed') && tokenRequests(emulator) - before === 1)

    const viaRefresh = await b.send(`${base}/auth/refresh?returnTo=/dashboard`)
    check('the refresh route sends back to returnTo', viaRefresh.status === 302 && viaRefresh.headers.get('location') === '/dashboard')
    const offSite = await b.send(`${base}/auth/refresh?returnTo=${encodeURIComponent('//evil.example/')}`)
    check('…and never to another site', offSite.headers.get('location') === '/')
    const mismatch = await b.send(`${base}/auth/callback?code=abc&state=${'A'.repeat(43)}`)
    check('a callback whose state is not this browser\'s is refused', mismatch.status === 400 && (await mismatch.json()).error === 'state_mismatch')
    const crossSite = await b.send(`${base}/auth/logout`, { method: 'POST', headers: { origin: 'https://evil.example' } })
    check('a cross-site logout is refused', crossSite.status === 403)
    const getLogout = await b.send(`${base}/auth/logout`)
    check('a GET does not log out', getLogout.status === 404 || getLogout.status === 405)
    const out = await b.send(`${base}/auth/logout`, { method: 'POST', headers: { origin: base } })
    const to = new URL(out.headers.get('location') ?? 'about:blank')
    check('logout: 303 to Scalekit with id_token_hint, every cookie cleared', out.status === 303 && to.origin === emulator.url && to.searchParams.has('id_token_hint') && !b.cookies.has('skn_session'))
    const gone = await b.send(`${base}/dashboard`, { headers: navigate })
    check('after logout the dashboard sends to sign in', [302, 307].includes(gone.status))
    if (results.includes(false)) process.stdout.write(`next start said:\n${app.output.join('').slice(-4000)}\n`)
  } finally {
    for (const stop of stops.reverse()) await stop()
    if (!process.argv.includes('--keep')) fs.rmSync(work, { recursive: true, force: true })
  }
}

main()
  .catch((error) => check('check-next-session', false, error.stack))
  .finally(() => {
    const failed = results.filter((r) => !r).length
    process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`)
    process.exitCode = failed ? 1 : 0
  })
