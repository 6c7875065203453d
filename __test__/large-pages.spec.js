'use strict'
// Pages over 96 kB are parsed in slices on the JS thread (src/json.rs, scalekit_core::wire::TopArray): the
// result must be exactly what one JSON.parse of the whole page gives. `withResponse` takes the one-piece path,
// so each page is compared with itself read that way.
const test = require('ava')
const { ScalekitClient } = require('..')
const { ScalekitEmulator } = require('../testing')
const { realisticOrganizations, realisticUsers } = require('../bench/fixtures')

async function setup(t) {
  const emulator = await ScalekitEmulator.start({ maxPageSize: 2000 })
  t.teardown(() => emulator.stop())
  const organizations = realisticOrganizations(1500)
  // A non-ASCII name and escapes, in some slice.
  organizations[777].display_name = 'Zürich \u00e9quipe \u2603 "quoted" \\ back'
  emulator.importRecords({ organizations, users: realisticUsers(300, organizations.slice(0, 20).map((o) => o.id)) })
  return new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
}

test('a big page parsed in slices equals the page parsed whole', async (t) => {
  const client = await setup(t)
  for (const pageSize of [1500, 700, 401]) {
    const sliced = await client.organization.listOrganizations({ pageSize })
    const { data: whole } = await client.organization.listOrganizations({ pageSize }, { withResponse: true })
    t.is(sliced.organizations.length, pageSize)
    t.deepEqual(sliced, whole, `pageSize ${pageSize}`)
    t.deepEqual(Object.keys(sliced), Object.keys(whole), 'same key order')
    t.true(Array.isArray(sliced.organizations))
  }
  const page = await client.organization.listOrganizations({ pageSize: 1500 })
  t.is(page.organizations.find((o) => o.displayName.startsWith('Zürich')).displayName, 'Zürich \u00e9quipe \u2603 "quoted" \\ back')
  t.deepEqual(page.organizations.map((o) => o.id), realisticOrganizations(1500).map((o) => o.id))
})

test('big pages of users, and small pages, come back the same either way', async (t) => {
  const client = await setup(t)
  for (const pageSize of [300, 5]) {
    const sliced = await client.user.listUsers({ pageSize })
    const { data: whole } = await client.user.listUsers({ pageSize }, { withResponse: true })
    t.is(sliced.users.length, pageSize)
    t.deepEqual(sliced, whole)
  }
})

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
  const mixed = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? client.organization.listOrganizations({ pageSize: 1500 }) : client.organization.getOrganization(whole.organizations[i].id))))
  mixed.forEach((result, i) => (i % 2 ? t.is(result.organizations.length, 1500) : t.is(result.organization.id, whole.organizations[i].id)))
})
