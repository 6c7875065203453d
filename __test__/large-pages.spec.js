'use strict'
// Big results (16 kB to 4 MB) are parsed from an external string over memory each JS thread reuses (src/json.rs,
// `external`). Where that cannot be done (a `JSON.parse` that is not V8's own, a Node.js without external strings,
// a bigger text), a page over 96 kB is parsed in slices (scalekit_core::wire::TopArray). Every way must give
// exactly what one JSON.parse of the whole page gives; a pass-through `JSON.parse` sends results the copying way.
const test = require('ava')
const { ScalekitClient } = require('..')
const { ScalekitEmulator } = require('../testing')
const { realisticOrganizations, realisticUsers } = require('../bench/fixtures')
const native = require('../native.js').client()

/** Big texts parsed from reused memory and copied so far on this thread: `{ external, copied }`. */
const counts = () => {
  const [external, copied] = native.__parsedBigTexts()
  return { external, copied }
}

const NAMES = {
  777: 'Zürich \u00e9quipe \u2603 "quoted" \\ back',
  3: 'Ελληνική Εταιρεία',
  400: '日本語の会社',
  699: 'emoji 😀🎉 at the end 😀',
  1200: 'e\u0301 combining, \u0000 nul, \u2028 separator',
}

async function setup(t) {
  const emulator = await ScalekitEmulator.start({ maxPageSize: 2000 })
  t.teardown(() => emulator.stop())
  const organizations = realisticOrganizations(1500)
  // Non-ASCII names of every UTF-8 length, and escapes, spread over the slices.
  for (const [index, name] of Object.entries(NAMES)) organizations[index].display_name = name
  emulator.importRecords({ organizations, users: realisticUsers(300, organizations.slice(0, 20).map((o) => o.id)) })
  return new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
}

/**
 * Runs `fn` with a pass-through `JSON.parse`, which keeps every text it is given (in `texts`); `disguised`, it
 * claims to be the built-in through its own `toString`.
 */
async function withReplacedParse(fn, { disguised = false } = {}) {
  const original = JSON.parse
  const texts = []
  JSON.parse = function parse(text, reviver) {
    texts.push(text)
    return original(text, reviver)
  }
  if (disguised) JSON.parse.toString = () => 'function parse() { [native code] }'
  try {
    return await fn(texts)
  } finally {
    JSON.parse = original
  }
}

test.serial('a big page comes back the same from reused memory, in slices and in one piece', async (t) => {
  const client = await setup(t)
  for (const pageSize of [1500, 700, 401]) {
    const before = counts()
    const page = await client.organization.listOrganizations({ pageSize })
    t.deepEqual(counts(), { ...before, external: before.external + 1 }, 'parsed from reused memory')
    const sliced = await withReplacedParse(() => client.organization.listOrganizations({ pageSize }))
    t.is(counts().copied, before.copied + 1, 'copied for a JSON.parse that is not the built-in')
    const { data: whole } = await withReplacedParse(() => client.organization.listOrganizations({ pageSize }, { withResponse: true }))
    t.is(page.organizations.length, pageSize)
    t.deepEqual(page, sliced, `pageSize ${pageSize}`)
    t.deepEqual(page, whole, `pageSize ${pageSize}`)
    t.deepEqual(Object.keys(page), Object.keys(whole), 'same key order')
    t.true(Array.isArray(page.organizations))
  }
  const page = await client.organization.listOrganizations({ pageSize: 1500 })
  for (const [index, name] of Object.entries(NAMES)) t.is(page.organizations[index].displayName, name)
  t.deepEqual(page.organizations.map((o) => o.id), realisticOrganizations(1500).map((o) => o.id))
})

test.serial('big pages of users, and small pages, come back the same every way', async (t) => {
  const client = await setup(t)
  for (const pageSize of [300, 60, 5]) {
    const page = await client.user.listUsers({ pageSize })
    const copied = await withReplacedParse(() => client.user.listUsers({ pageSize }))
    t.is(page.users.length, pageSize)
    t.deepEqual(page, copied)
  }
})

// The memory a big result is parsed from is reused by the next one: nothing handed out may change with it.
for (const disguised of [false, true]) {
  test.serial(`pages already returned, and texts a replaced JSON.parse kept, stay as they were${disguised ? ' (a replacement claiming to be the built-in)' : ''}`, async (t) => {
    const client = await setup(t)
    const first = await client.organization.listOrganizations({ pageSize: 700 })
    const snapshot = JSON.stringify(first)
    const { texts, copies } = await withReplacedParse(async (texts) => {
      await client.organization.listOrganizations({ pageSize: 1000 })
      await client.user.listUsers({ pageSize: 300 })
      return { texts, copies: texts.map((text) => Buffer.from(text).toString()) }
    }, { disguised })
    t.true(texts.length >= 2)
    const second = await client.organization.listOrganizations({ pageSize: 700, pageToken: first.nextPageToken })
    await client.user.listUsers({ pageSize: 200 })
    await client.organization.listOrganizations({ pageSize: 1500 })
    t.notDeepEqual(second.organizations[0], first.organizations[0])
    t.is(JSON.stringify(first), snapshot)
    texts.forEach((text, i) => t.true(text === copies[i], `text ${i} changed`))
  })
}

// Results queued while the JS thread was busy are settled one at a time, each caller's continuation running before
// the next result is parsed (src/completion.rs), so a burst of big pages is not all alive at once.
test('queued results settle one at a time, each continuation first', async (t) => {
  const client = await setup(t)
  await client.organization.listOrganizations({ pageSize: 1 })
  const promises = Array.from({ length: 20 }, () => client.organization.listOrganizations({ pageSize: 200 }))
  const until = Date.now() + 300
  while (Date.now() < until); // every result queues up meanwhile
  // Whichever continuation runs first counts the promises settled by then.
  const settledSoFar = await new Promise((resolve) => {
    for (const p of promises) p.then(() => resolve(promises.filter((q) => !require('node:util').inspect(q).includes('<pending>')).length))
  })
  t.is(settledSoFar, 1)
  await Promise.all(promises)
})

// Many big pages in flight at once all arrive, in full.
test('many big pages in flight at once all settle, each complete', async (t) => {
  const client = await setup(t)
  const { data: whole } = await client.organization.listOrganizations({ pageSize: 1500 }, { withResponse: true })
  const pages = await Promise.all(Array.from({ length: 12 }, () => client.organization.listOrganizations({ pageSize: 1500 })))
  for (const page of pages) t.deepEqual(page, whole)
  // Past 64 calls in flight, texts are copied rather than parsed from reused memory (src/json.rs): the same pages.
  const before = counts()
  const crowd = await Promise.all(Array.from({ length: 80 }, () => client.organization.listOrganizations({ pageSize: 400 })))
  for (const page of crowd) t.deepEqual(page.organizations, whole.organizations.slice(0, 400))
  const after = counts()
  t.true(after.copied - before.copied >= 10, `copied ${after.copied - before.copied} of 80`)
  t.true(after.external - before.external >= 10, `external ${after.external - before.external} of 80`)
  const mixed = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? client.organization.listOrganizations({ pageSize: 1500 }) : client.organization.getOrganization(whole.organizations[i].id))))
  mixed.forEach((result, i) => (i % 2 ? t.is(result.organizations.length, 1500) : t.is(result.organization.id, whole.organizations[i].id)))
})
