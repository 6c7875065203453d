'use strict'
// The runtime smoke: what a user of scalekit-native does, run under Node.js, Bun and Deno
// (scripts/runtimes.js runs it from the repository, the release workflow from an empty project that
// installed the packed tarballs). It needs nothing but the package, resolved by its name.
//
//   node smoke.cjs | bun smoke.cjs | deno run -A smoke.cjs     the CommonJS entry points
//   node smoke.mjs | bun smoke.mjs | deno run -A smoke.mjs     the ESM entry points (see smoke.mjs)
//
// It prints one line per check, then `SMOKE_RESULT {json}` (the runtime, its Node-API paths) and
// `SMOKE_DONE`. It never calls process.exit: after SMOKE_DONE the process must end by itself, with
// code 0, within a few seconds (no native thread or emulator may keep it alive); the runner enforces
// that. A failure sets a non-zero exit code.
//
// The Node-API paths (src/json.rs): a result of 16 kB or more is parsed from an external latin1
// string (`node_api_create_external_string_latin1`, looked up at run time) over memory the JS thread
// reuses, when the runtime has that function, `JSON.parse` is the built-in, at most 64 calls are in
// flight and the text is at most 4 MB; otherwise it is copied (`napi_create_string_latin1`/`_utf8`,
// Node-API 1), a page over 96 kB in slices. The addon's test hook `__parsedBigTexts()` counts both
// ways; the smoke drives each way on purpose and checks that every way gives the same result.

const assert = require('node:assert/strict')
const path = require('node:path')
const process = require('node:process')
const { Buffer } = require('node:buffer')
const { createHash, randomBytes } = require('node:crypto')

/** `node`, `bun` or `deno`, and its version. */
function runtime() {
  if (typeof globalThis.Bun !== 'undefined') return { name: 'bun', version: globalThis.Bun.version }
  if (typeof globalThis.Deno !== 'undefined') return { name: 'deno', version: globalThis.Deno.version.deno }
  return { name: 'node', version: process.versions.node }
}

/** The addon's own exports (test hooks included), loaded through the package's own loader by path. */
function nativeBinding() {
  const root = path.dirname(require.resolve('scalekit-native/package.json'))
  return require(path.join(root, 'native.js')).client()
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Rejects with what `promise` rejected with, or fails when it resolved. */
async function rejection(promise) {
  try {
    await promise
  } catch (error) {
    return error
  }
  assert.fail('expected a rejection')
}

/** Runs `fn` with a pass-through JSON.parse (not the built-in), which sends results the copying way. */
async function withReplacedParse(fn) {
  const original = JSON.parse
  JSON.parse = function parse(text, reviver) {
    return original(text, reviver)
  }
  try {
    return await fn()
  } finally {
    JSON.parse = original
  }
}

// Non-ASCII of every UTF-8 length (a one-byte external string needs them as \u escapes), and escapes.
/** Organizations `from` to `to` (REST JSON, for the emulator's importRecords), non-ASCII names among them. */
function organizations(from, to, note = '') {
  return Array.from({ length: to - from }, (_, k) => {
    const i = from + k
    return {
      id: `org_${70_000_000_000_000_000n + BigInt(i)}`,
      environment_id: 'env_59615193906282001',
      display_name: i % 240 === 7 ? NAMES[((i / 240) | 0) % NAMES.length] : `Customer Organization ${i} Holdings, Inc.`,
      external_id: `crm-account-${100_000 + i}`,
      region_code: i % 2 ? 'EU' : 'US',
      create_time: '2025-01-02T09:30:00.123456Z',
      update_time: '2025-01-02T09:30:42.123456Z',
      metadata: { salesforce_account_id: `0015g00000${String(i).padStart(8, '0')}`, plan: i % 3 ? 'enterprise' : 'growth', ...(note && { note }) },
      settings: { features: [{ name: 'sso', enabled: true }, { name: 'dir_sync', enabled: i % 2 === 0 }] },
    }
  })
}

const NAMES = ['Zürich \u00e9quipe \u2603 "quoted" \\ back', 'Ελληνική Εταιρεία', '日本語の会社', 'emoji 😀🎉 at the end 😀', 'e\u0301 combining, \u0000 nul, \u2028 separator']

/**
 * Every check, on the exports given: `sk` is what `scalekit-native` gave (require or import), `testing`
 * what `scalekit-native/testing` gave. `entry` names the module system, for the report.
 */
async function smoke(sk, testing, entry) {
  const started = Date.now()
  const rt = runtime()
  const result = { runtime: rt.name, runtimeVersion: rt.version, node: process.version, napi: process.versions.napi ?? null, entry, platform: `${process.platform}-${process.arch}`, checks: 0, paths: {} }
  const checks = []
  const check = async (name, fn) => {
    const t0 = Date.now()
    try {
      await fn()
      result.checks++
      console.log(`  ok   ${name} (${Date.now() - t0} ms)`)
    } catch (error) {
      process.exitCode = 1
      checks.push(name)
      console.log(`  FAIL ${name}: ${error?.stack ?? error}`)
    }
  }
  console.log(`smoke: ${rt.name} ${rt.version} (process.version ${process.version}, Node-API ${result.napi ?? 'not reported'}), ${entry} entry points`)

  const { ScalekitClient, ScalekitException, ScalekitServerException, ScalekitNotFoundException, ScalekitAbortedException, ScalekitTimeoutException, ScalekitTransportException, ScalekitValidateTokenFailureException } = sk
  const { ScalekitEmulator } = testing

  await check('the entry points export the client, the exception classes and the emulator', () => {
    for (const C of [ScalekitClient, ScalekitException, ScalekitServerException, ScalekitNotFoundException, ScalekitAbortedException, ScalekitTimeoutException, ScalekitValidateTokenFailureException, ScalekitEmulator]) assert.equal(typeof C, 'function')
    assert.equal(sk.Scalekit, ScalekitClient)
    assert.equal(sk.ObjectType.Organization, 'Organization')
    assert.equal(typeof sk.generatePkce, 'function')
    // The same class objects whichever way the package is loaded (the CommonJS module is the one copy).
    const cjs = require('scalekit-native')
    assert.equal(cjs.ScalekitClient, ScalekitClient)
    assert.equal(cjs.ScalekitNotFoundException, ScalekitNotFoundException)
    assert.equal(cjs.default, ScalekitClient)
    assert.equal(require('scalekit-native/testing').ScalekitEmulator, ScalekitEmulator)
  })

  const emulator = await ScalekitEmulator.start({ maxPageSize: 1000 })
  let big
  try {
    const scalekit = new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret, { timeoutMs: 10_000 })

    let organization
    await check('the README quickstart: list and create organizations, a portal link, a user and membership', async () => {
      const empty = await scalekit.organization.listOrganizations({ pageSize: 10 })
      assert.deepEqual([empty.organizations.length, empty.totalSize], [0, 0])
      ;({ organization } = await scalekit.organization.createOrganization('Acme', { externalId: 'acme-1', regionCode: 'EU' }))
      assert.match(organization.id, /^org_/)
      assert.equal(organization.displayName, 'Acme')
      assert.equal(organization.regionCode, 'EU')
      const link = await scalekit.organization.generatePortalLink(organization.id)
      assert.equal(typeof link.id, 'string')
      assert.match(link.location, /^http/)
      const { domains } = await scalekit.domain.listDomains(organization.id, { domainType: 'ORGANIZATION_DOMAIN' })
      assert.ok(Array.isArray(domains))
      const { user } = await scalekit.user.createUserAndMembership(organization.id, {
        email: 'user@example.com',
        userProfile: { firstName: 'John', lastName: 'Doe' },
        membership: { roles: [{ name: 'admin' }] },
      })
      assert.match(user.id, /^usr_/)
      assert.equal(user.email, 'user@example.com')
      const listed = await scalekit.organization.listOrganizations({ pageSize: 10 })
      assert.deepEqual(listed.organizations.map((o) => o.id), [organization.id])
      assert.doesNotThrow(() => JSON.stringify(listed))
    })

    await check('a 404 is a ScalekitNotFoundException (instanceof through the whole chain)', async () => {
      const error = await rejection(scalekit.user.createUserAndMembership('org_missing', { email: 'a@example.com' }))
      assert.ok(error instanceof ScalekitNotFoundException, `got ${error?.constructor?.name}: ${error?.message}`)
      assert.ok(error instanceof ScalekitServerException)
      assert.ok(error instanceof ScalekitException)
      assert.ok(error instanceof Error)
      assert.equal(error.name, 'ScalekitNotFoundException')
      assert.equal(error.httpStatus, 404)
      assert.equal(typeof error.requestId, 'string')
      const again = await rejection(scalekit.organization.getOrganization('org_missing'))
      assert.ok(again instanceof ScalekitNotFoundException)
      assert.ok(again instanceof require('scalekit-native').ScalekitNotFoundException)
    })

    await check('a paginated walk: listOrganizationsAll over 250 seeded organizations', async () => {
      const seeded = emulator.seedOrganizations(250)
      assert.equal(seeded.length, 250)
      const ids = []
      for await (const org of scalekit.organization.listOrganizationsAll({ pageSize: 100 })) ids.push(org.id)
      assert.equal(ids.length, 251)
      assert.equal(new Set(ids).size, 251)
      for (const id of seeded) assert.ok(ids.includes(id))
      let pages = 0
      for await (const page of scalekit.organization.listOrganizationsAll({ pageSize: 100 }).pages()) {
        pages++
        assert.equal(page.totalSize, 251)
      }
      assert.equal(pages, 3)
      assert.equal((await scalekit.organization.listOrganizationsAll({ pageSize: 30 }).toArray({ limit: 50 })).length, 50)
    })

    await check('200 concurrent calls all settle, each with its own answer', async () => {
      const { organizations } = await scalekit.organization.listOrganizations({ pageSize: 200 })
      const answers = await Promise.all(organizations.map((o) => scalekit.organization.getOrganization(o.id)))
      assert.equal(answers.length, 200)
      answers.forEach((answer, i) => assert.equal(answer.organization.id, organizations[i].id))
    })

    await check('abort: an already-aborted signal rejects at once with nothing sent', async () => {
      const before = emulator.stats().requests
      const controller = new AbortController()
      controller.abort()
      const error = await rejection(scalekit.organization.listOrganizations({}, { signal: controller.signal }))
      assert.ok(error instanceof ScalekitAbortedException, `got ${error?.constructor?.name}: ${error?.message}`)
      assert.ok(error instanceof ScalekitTransportException)
      assert.equal(error.kind, 'aborted')
      assert.equal(error.attempts, 0)
      assert.equal(emulator.stats().requests, before)
    })

    await check('abort in flight: the call rejects at once, not after the 5 s answer', async () => {
      let sent = 0
      const client = new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret, { onRequest: () => sent++ })
      await client.organization.listOrganizations({ pageSize: 1 })
      emulator.injectFault({ latencyMs: 5000, path: '/api/v1/organizations' })
      const controller = new AbortController()
      const before = sent
      const call = client.organization.listOrganizations({ pageSize: 1 }, { signal: controller.signal })
      for (let i = 0; i < 200 && sent === before; i++) await sleep(10)
      assert.ok(sent > before, 'the attempt started')
      await sleep(50)
      const t0 = Date.now()
      controller.abort()
      const error = await rejection(call)
      assert.ok(error instanceof ScalekitAbortedException, `got ${error?.constructor?.name}: ${error?.message}`)
      assert.ok(Date.now() - t0 < 2000, `rejected ${Date.now() - t0} ms after the abort`)
      assert.equal(error.attempts, 1)
      emulator.clearFaults()
      assert.equal((await client.organization.listOrganizations({ pageSize: 1 }, { signal: new AbortController().signal })).organizations.length, 1)
    })

    await check('deadlineMs bounds a call slowed by an injected latency fault', async () => {
      emulator.injectFault({ latencyMs: 3000, path: '/api/v1/organizations' })
      const t0 = Date.now()
      const error = await rejection(scalekit.organization.listOrganizations({ pageSize: 1 }, { deadlineMs: 300 }))
      const took = Date.now() - t0
      emulator.clearFaults()
      assert.ok(error instanceof ScalekitTimeoutException, `got ${error?.constructor?.name}: ${error?.message}`)
      assert.equal(error.limit, 'deadline')
      assert.ok(took < 2000, `${took} ms, not the 3 s answer`)
    })

    await check('validateToken verifies a token minted by the emulator, and refuses an expired one', async () => {
      const token = emulator.mintAccessToken({ claims: { sub: 'usr_smoke', scopes: ['read'] } })
      const claims = await scalekit.validateToken(token)
      assert.equal(claims.sub, 'usr_smoke')
      assert.equal(await scalekit.validateAccessToken(token), true)
      const expired = emulator.mintAccessToken({ expiresInSeconds: -60 })
      assert.equal(await scalekit.validateAccessToken(expired), false)
      const error = await rejection(scalekit.validateToken(expired))
      assert.ok(error instanceof ScalekitValidateTokenFailureException, `got ${error?.constructor?.name}`)
    })

    await check('verifyWebhookPayload accepts a payload the emulator signed, and refuses a changed one', () => {
      const secret = 'whsec_' + randomBytes(24).toString('base64')
      const payload = JSON.stringify({ id: 'evt_1', type: 'organization.created', data: { id: organization?.id ?? 'org_1' } })
      const headers = emulator.signWebhookPayload(payload, { secret })
      assert.equal(scalekit.verifyWebhookPayload(secret, headers, payload), true)
      assert.equal(scalekit.verifyWebhookPayload(secret, headers, Buffer.from(payload)), true)
      assert.equal(scalekit.verifyWebhookPayload(secret, new Headers(headers), new TextEncoder().encode(payload)), true)
      assert.throws(() => scalekit.verifyWebhookPayload(secret, headers, payload.replace('evt_1', 'evt_2')), (error) => error instanceof ScalekitException && error.reason === 'bad_signature')
    })

    // Big results, each way the addon can parse them; every way must give the same.
    big = await ScalekitEmulator.start({ maxPageSize: 10_000 })
    const client = new ScalekitClient(big.url, big.clientId, big.clientSecret, { timeoutMs: 30_000 })
    await check('Node-API paths: external latin1 string or copy, in slices or whole, give the same results', async () => {
      const native = nativeBinding()
      assert.equal(typeof native.__parsedBigTexts, 'function', 'the addon exports its test hook __parsedBigTexts')
      const counts = () => {
        const [external, copied] = native.__parsedBigTexts()
        return { external, copied }
      }
      big.importRecords({ organizations: organizations(0, 1200) })
      // A page of 1200 organizations (about 400 kB): the external string when the runtime has it.
      let before = counts()
      const page = await client.organization.listOrganizations({ pageSize: 1200 })
      let after = counts()
      assert.equal(page.organizations.length, 1200)
      const text = JSON.stringify(page)
      assert.ok(text.length > 96 * 1024, `a big page: ${text.length} bytes`)
      const way = after.external === before.external + 1 ? 'external' : after.copied === before.copied + 1 ? 'copied' : 'none'
      assert.notEqual(way, 'none', `the hook counted no big text: ${JSON.stringify({ before, after })}`)
      result.paths.builtinParse = way
      result.paths.externalLatin1 = way === 'external' ? 'taken' : 'skipped'
      for (const name of NAMES) assert.ok(page.organizations.some((o) => o.displayName === name), `name ${JSON.stringify(name)} came back`)
      const snapshot = JSON.stringify(page)

      // A JSON.parse that is not the built-in: copied, and a page over 96 kB parsed in slices.
      before = counts()
      const sliced = await withReplacedParse(() => client.organization.listOrganizations({ pageSize: 1200 }))
      after = counts()
      assert.equal(after.copied, before.copied + 1, 'copied for a JSON.parse that is not the built-in')
      assert.deepEqual(sliced, page)
      assert.deepEqual(Object.keys(sliced), Object.keys(page))
      const { data: whole } = await withReplacedParse(() => client.organization.listOrganizations({ pageSize: 1200 }, { withResponse: true }))
      assert.deepEqual(whole, page)
      result.paths.replacedParse = 'copied'

      // Small texts (under 16 kB, always copied), page after page: the same organizations.
      const small = []
      for await (const org of client.organization.listOrganizationsAll({ pageSize: 20 })) small.push(org)
      assert.equal(JSON.stringify(small), JSON.stringify(page.organizations))

      // The reused memory: what was handed out stays as it was after later big results reuse it.
      await client.organization.listOrganizations({ pageSize: 700, pageToken: page.nextPageToken || undefined })
      await client.organization.listOrganizations({ pageSize: 1000 })
      await client.organization.listOrganizations({ pageSize: 900 })
      assert.equal(JSON.stringify(page), snapshot, 'a page already returned changed when the memory was reused')

      // Past 64 calls in flight, texts are copied: 80 pages of about 24 kB at once, all the same.
      before = counts()
      const crowd = await Promise.all(Array.from({ length: 80 }, () => client.organization.listOrganizations({ pageSize: 60 })))
      after = counts()
      const first60 = JSON.stringify(page.organizations.slice(0, 60))
      for (const p of crowd) assert.equal(JSON.stringify(p.organizations), first60)
      result.paths.crowd = { external: after.external - before.external, copied: after.copied - before.copied }
      if (way === 'external') assert.ok(result.paths.crowd.copied >= 10 && result.paths.crowd.external >= 1, `80 in flight: ${JSON.stringify(result.paths.crowd)}`)
      assert.equal(JSON.stringify(page), snapshot)

      // Over 4 MB: always copied (in slices).
      big.importRecords({ organizations: organizations(1200, 4200, 'x'.repeat(1000)) })
      before = counts()
      const huge = await client.organization.listOrganizations({ pageSize: 4200 })
      after = counts()
      assert.equal(huge.organizations.length, 4200)
      assert.ok(JSON.stringify(huge).length > 4 * 1024 * 1024, `over 4 MB: ${JSON.stringify(huge).length} bytes`)
      assert.equal(after.copied, before.copied + 1, 'a text over 4 MB is copied')
      assert.equal(JSON.stringify(huge.organizations.slice(0, 1200)), JSON.stringify(page.organizations))
      result.paths.over4MB = 'copied'
      // The same on every runtime and every path: scripts/runtimes.js compares the digests of all runs.
      result.digest = createHash('sha256').update(snapshot).update(JSON.stringify(huge)).digest('hex').slice(0, 16)
      assert.equal(JSON.stringify(page), snapshot)
    })
  } finally {
    await emulator.stop()
    await big?.stop()
  }

  result.failed = checks
  result.ms = Date.now() - started
  console.log(`SMOKE_RESULT ${JSON.stringify(result)}`)
  console.log(checks.length ? `smoke: ${checks.length} check(s) failed: ${checks.join('; ')}` : `smoke: all ${result.checks} checks passed (${result.ms} ms)`)
  console.log('SMOKE_DONE')
}

module.exports = { smoke, runtime }

// Run directly: the CommonJS entry points.
if (require.main === module) {
  smoke(require('scalekit-native'), require('scalekit-native/testing'), 'commonjs').catch((error) => {
    process.exitCode = 1
    console.log(`smoke: ${error?.stack ?? error}`)
  })
}
