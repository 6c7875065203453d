'use strict'
// TLS, HTTP/2 and proxies, against local servers with a test CA made here.
const test = require('ava')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const http = require('node:http')
const http2 = require('node:http2')
const { execFile, execFileSync } = require('node:child_process')
const sk = require('..')
const { startEmulator } = require('./helpers')

/** A throwaway CA and a certificate it issued for localhost and 127.0.0.1 (openssl). */
function makeCertificates() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalekit-native-tls-'))
  const run = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=scalekit-native test CA')
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost')
  fs.writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n')
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf')
  const read = (f) => fs.readFileSync(path.join(dir, f), 'utf8')
  return { dir, ca: read('ca.pem'), key: read('server.key'), cert: read('server.pem') }
}

const certificates = makeCertificates()
test.after.always(() => fs.rmSync(certificates.dir, { recursive: true, force: true }))

/** Runs a fixture in a child process, without blocking this one (its servers must keep answering). */
function node(script, url, env) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, url], { env: { ...process.env, ...env } }, (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout)))
  })
}

/** An HTTPS server (HTTP/2 by ALPN, or HTTP/1.1) answering the token and list calls; keeps each request's HTTP version. */
async function tlsServer(t) {
  const versions = []
  const server = http2.createSecureServer({ key: certificates.key, cert: certificates.cert, allowHTTP1: true }, (req, res) => {
    versions.push(req.httpVersion)
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify(req.url === '/oauth/token' ? { access_token: 'tok', expires_in: 3600 } : { organizations: [], total_size: 7 }))
  })
  const sessions = new Set()
  server.on('session', (session) => sessions.add(session))
  server.on('secureConnection', (socket) => sessions.add(socket))
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  // The client keeps its connections alive: end them, or close() would wait for them.
  t.teardown(() => {
    for (const s of sessions) s.destroy()
    server.close()
  })
  return { url: `https://localhost:${server.address().port}`, versions }
}

test('extra CA certificates are trusted, and HTTP/2 is negotiated by ALPN', async (t) => {
  const server = await tlsServer(t)
  const client = new sk.ScalekitClient(server.url, 'skc_1', 'secret', { caCertificates: [certificates.ca] })
  t.is((await client.organization.listOrganizations()).totalSize, 7)
  t.deepEqual(server.versions, ['2.0', '2.0'])
})

test('http2: false keeps to HTTP/1.1', async (t) => {
  const server = await tlsServer(t)
  const client = new sk.ScalekitClient(server.url, 'skc_1', 'secret', { caCertificates: certificates.ca, http2: false })
  await client.organization.listOrganizations()
  t.deepEqual(server.versions, ['1.1', '1.1'])
})

test('an untrusted certificate is a typed TLS error, not retried', async (t) => {
  const server = await tlsServer(t)
  const client = new sk.ScalekitClient(server.url, 'skc_1', 'secret')
  const error = await t.throwsAsync(client.organization.listOrganizations(), { instanceOf: sk.ScalekitTransportException })
  t.is(error.kind, 'tls')
  t.is(error.attempts, 1)
  t.regex(error.message, /certificate/i)
  t.deepEqual(server.versions, [], 'no request got through')
})

test("a CA in the operating system's store is trusted with no configuration", async (t) => {
  // rustls-platform-verifier reads the system store through rustls-native-certs, which
  // takes SSL_CERT_FILE in place of the distribution's bundle: the same code path as
  // /etc/ssl/certs, without changing this machine's trust store.
  const server = await tlsServer(t)
  const script = path.join(__dirname, 'fixtures', 'tls-system-store.js')
  const run = (env) => node(script, server.url, env).then(JSON.parse)
  t.deepEqual(await run({ SSL_CERT_FILE: path.join(certificates.dir, 'ca.pem') }), { ok: true, totalSize: 7 })
  const untrusted = await run({ SSL_CERT_FILE: path.join(certificates.dir, 'server.key') })
  t.like(untrusted, { ok: false, name: 'ScalekitTransportException', kind: 'tls' })
})

/** A forward proxy for plain-HTTP targets; counts what it relays. */
async function forwardProxy(t) {
  const relayed = []
  const proxy = http.createServer((req, res) => {
    relayed.push(`${req.method} ${req.url}`)
    const target = new URL(req.url)
    const upstream = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers)
      answer.pipe(res)
    })
    req.pipe(upstream)
  })
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    proxy.closeAllConnections()
    proxy.close()
  })
  return { url: `http://127.0.0.1:${proxy.address().port}`, relayed }
}

test('the proxy option sends every request through the proxy', async (t) => {
  const emulator = await startEmulator(t)
  const proxy = await forwardProxy(t)
  const client = new sk.ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret, { proxy: proxy.url })
  await client.organization.listOrganizations()
  t.deepEqual(proxy.relayed, [`POST ${emulator.url}/oauth/token`, `GET ${emulator.url}/api/v1/organizations`])
})

test('HTTP_PROXY from the environment is honoured, and NO_PROXY exempts a host', async (t) => {
  const emulator = await startEmulator(t)
  const proxy = await forwardProxy(t)
  const script = path.join(__dirname, 'fixtures', 'tls-system-store.js')
  const run = (env) => node(script, emulator.url, { HTTP_PROXY: proxy.url, http_proxy: proxy.url, ...env })
  // The fixture's client uses made-up credentials: the proxy relays the token request either way.
  await run({ NO_PROXY: '', no_proxy: '' })
  t.true(proxy.relayed.length > 0, 'relayed through HTTP_PROXY')
  const before = proxy.relayed.length
  await run({ NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' })
  t.is(proxy.relayed.length, before, 'NO_PROXY bypassed the proxy')
})
