'use strict'
// Auto-pagination on every paged list method: a full walk, resuming from the cursor, the toArray
// cap, a retried page, and a walk stopped by its signal, each against the emulator.
const test = require('ava')
const sk = require('..')
const { PAGINATED } = require('../pagination.js')
const { startEmulator, clientFor } = require('./helpers')

const REDIRECT = 'http://localhost:3000/callback'
const TOKEN = { oauthToken: { accessToken: 'ya29' } }

async function signIn(emulator, email) {
  const query = new URLSearchParams({ response_type: 'code', client_id: emulator.clientId, redirect_uri: REDIRECT, scope: 'openid', login_hint: email })
  const location = new URL((await fetch(`${emulator.url}/oauth/authorize?${query}`, { redirect: 'manual' })).headers.get('location'))
  await fetch(`${emulator.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: location.searchParams.get('code'), redirect_uri: REDIRECT, client_id: emulator.clientId, client_secret: emulator.clientSecret }),
  })
}

/** The other two providers' accounts, so that all five tools are in scope. */
async function connectAll(client) {
  for (const connector of ['slack', 'notion']) {
    await client.connectedAccounts.createConnectedAccount({ connector, identifier: 'ada@acme.com', connectedAccount: { authorizationDetails: TOKEN } })
  }
}

const times = async (n, f) => {
  for (let i = 0; i < n; i++) await f(i)
}

/**
 * Per paged method: seeds at least five items and gives the arguments of its `…All` call (pages of 2;
 * every parameter, so that the per-request options come next), and how many items the walk must yield.
 */
const CASES = {
  'organization.listOrganizations': async ({ emulator }) => (emulator.seedOrganizations(7), { args: [{ pageSize: 2 }], expected: 8 }),
  'organization.searchOrganization': async ({ emulator }) => (emulator.seedOrganizations(6), { args: ['Organization', 2, undefined], expected: 6 }),
  'user.listUsers': async ({ acme }) => ({ args: [{ pageSize: 2 }], expected: acme.users.length }),
  'user.listOrganizationUsers': async ({ acme }) => ({ args: [acme.organization.id, { pageSize: 2 }], expected: acme.users.length }),
  'user.searchUsers': async ({ acme }) => ({ args: ['acme.com', 2, undefined], expected: acme.users.length }),
  'user.searchOrganizationUsers': async ({ acme }) => ({ args: [acme.organization.id, 'acme.com', 2, undefined], expected: acme.users.length }),
  'session.getUserSessions': async ({ emulator, acme }) => {
    await times(5, () => signIn(emulator, acme.users[0].email))
    return { args: [acme.users[0].id, { pageSize: 2 }], expected: 5 }
  },
  'domain.listDomains': async ({ client, acme }) => {
    await times(5, (i) => client.domain.createDomain(acme.organization.id, `d${i}.acme.com`))
    return { args: [acme.organization.id, { pageSize: 2 }], expected: 5 }
  },
  'connection.listAppConnections': async ({ client, acme }) => {
    await times(5, (i) => client.connection.createConnection(acme.organization.id, { provider: 'OKTA', type: 'SAML', keyId: `okta-${i}` }))
    return { args: [{ pageSize: 2 }], expected: 5 }
  },
  'directory.listDirectoryUsers': async ({ client, emulator, acme }) => {
    const { directory } = await client.directory.createDirectory(acme.organization.id, { directoryType: 'SCIM', directoryProvider: 'OKTA' })
    emulator.seedDirectory(directory.id, { users: Array.from({ length: 5 }, (_, i) => ({ email: `s${i}@acme.com`, userDetail: { userName: `s${i}` } })) })
    return { args: [acme.organization.id, directory.id, { pageSize: 2, includeDetail: true }], expected: 5 }
  },
  'directory.listDirectoryGroups': async ({ client, emulator, acme }) => {
    const { directory } = await client.directory.createDirectory(acme.organization.id, { directoryType: 'SCIM', directoryProvider: 'OKTA' })
    emulator.seedDirectory(directory.id, { groups: ['a', 'b', 'c', 'd', 'e'] })
    return { args: [acme.organization.id, directory.id, { pageSize: 2 }], expected: 5 }
  },
  'permission.listPermissions': async ({ client }) => {
    await times(5, (i) => client.permission.createPermission({ name: `p${i}:read` }))
    return { args: [undefined, 2, undefined], expected: 5 }
  },
  'token.listTokens': async ({ client, acme }) => {
    await times(5, () => client.token.createToken(acme.organization.id))
    return { args: [acme.organization.id, { pageSize: 2 }], expected: 5 }
  },
  'm2m.listOrganizationClients': async ({ client, acme }) => {
    await times(5, (i) => client.m2m.createOrganizationClient(acme.organization.id, { name: `c${i}` }))
    return { args: [acme.organization.id, { pageSize: 2 }], expected: 5 }
  },
  'events.listEventsPaginated': async ({ emulator }) => ({ args: [2, undefined, undefined], expected: emulator.events().length }),
  'tools.listTools': async () => ({ args: [{ pageSize: 2 }], expected: 5 }),
  'tools.listScopedTools': async ({ client }) => (await connectAll(client), { args: ['ada@acme.com', { pageSize: 2 }], expected: 5 }),
  'tools.listAvailableTools': async ({ client }) => (await connectAll(client), { args: ['ada@acme.com', { pageSize: 2 }], expected: 5 }),
  'connectedAccounts.listConnectedAccounts': async ({ client }) => {
    await times(4, (i) => client.connectedAccounts.createConnectedAccount({ connector: ['github', 'jira', 'linear', 'asana'][i], identifier: 'ada@acme.com', connectedAccount: { authorizationDetails: TOKEN } }))
    return { args: [{ identifier: 'ada@acme.com', pageSize: 2 }], expected: 5 }
  },
  'connectedAccounts.searchConnectedAccounts': async ({ client }) => {
    await times(4, (i) => client.connectedAccounts.createConnectedAccount({ connector: ['github', 'jira', 'linear', 'asana'][i], identifier: 'ada@acme.com', connectedAccount: { authorizationDetails: TOKEN } }))
    return { args: ['ada@acme', { pageSize: 2 }], expected: 5 }
  },
  'actions.listConnectedAccounts': async ({ client }) => {
    await times(4, (i) => client.actions.createConnectedAccount({ connectionName: ['github', 'jira', 'linear', 'asana'][i], identifier: 'ada@acme.com', authorizationDetails: TOKEN }))
    return { args: [{ identifier: 'ada@acme.com', pageSize: 2 }], expected: 5 }
  },
  'actions.listConnections': async ({ client, acme }) => {
    await times(5, (i) => client.connection.createConnection(acme.organization.id, { provider: 'GOOGLE', type: 'OAUTH', keyId: `g${i}` }))
    return { args: [{ pageSize: 2 }], expected: 5 }
  },
  'mcp.listMcpConfigs': async ({ client }) => {
    await times(5, (i) => client.mcp.createMcpConfig({ name: `m${i}` }))
    return { args: [{ pageSize: 2 }], expected: 5 }
  },
  'auditLogs.listAuthRequests': async ({ emulator }) => {
    await times(5, (i) => emulator.addAuthLog({ email: `u${i}@acme.com` }))
    return { args: [{ pageSize: 2 }], expected: 5 }
  },
}

const SUB_CLIENT_OF = {
  OrganizationClient: 'organization', UserClient: 'user', SessionClient: 'session', DomainClient: 'domain', ConnectionClient: 'connection',
  DirectoryClient: 'directory', PermissionClient: 'permission', TokenClient: 'token', M2MClient: 'm2m', EventsClient: 'events', ToolsClient: 'tools',
  ConnectedAccountsClient: 'connectedAccounts', ActionsClient: 'actions', McpClient: 'mcp', AuditLogsClient: 'auditLogs',
}

test('every paged list method has a case here, and an …All method', (t) => {
  const methods = Object.entries(PAGINATED).flatMap(([cls, ms]) => Object.keys(ms).map((m) => `${SUB_CLIENT_OF[cls]}.${m}`))
  t.deepEqual(methods.sort(), Object.keys(CASES).sort())
  const client = new sk.ScalekitClient('http://127.0.0.1:9', 'skc_1', 'secret')
  for (const name of methods) {
    const [sub, method] = name.split('.')
    t.is(typeof client[sub][`${method}All`], 'function', name)
  }
})

test('every list result with a next page token has an …All method', (t) => {
  const dts = require('node:fs').readFileSync(require.resolve('../index.d.ts'), 'utf8')
  const paged = new Set([...dts.matchAll(/export interface (\w+) \{[^}]*\bnextPageToken: string/g)].map((m) => m[1]))
  const client = new sk.ScalekitClient('http://127.0.0.1:9', 'skc_1', 'secret')
  const missing = []
  for (const [, cls, body] of dts.matchAll(/export declare class (\w+Client) \{([\s\S]*?)\n\}/g)) {
    for (const [, method, result] of body.matchAll(/^ {2}(\w+)\([^\n]*\): Promise<(\w+)>$/gm)) {
      if (!paged.has(result) || cls === 'ScalekitClient') continue
      const sub = Object.values(client).find((c) => c?.constructor?.name === cls)
      if (typeof sub?.[`${method}All`] !== 'function') missing.push(`${cls}.${method}`)
    }
  }
  // The official singular alias pages through listOrganizationsAll.
  t.deepEqual(missing, ['OrganizationClient.listOrganization'])
})

for (const [name, setup] of Object.entries(CASES)) {
  test(`${name}All: walks every page, resumes from its cursor, caps toArray, retries a page, stops on abort`, async (t) => {
    const emulator = await startEmulator(t)
    const client = clientFor(emulator, { maxRetries: 2 })
    const acme = emulator.seedOrganization({ displayName: 'Acme', users: Array.from({ length: 5 }, (_, i) => ({ email: `user${i}@acme.com` })) })
    // Five tools over three providers, and one connected account (the tool cases add the others).
    for (const [i, provider] of ['GMAIL', 'GMAIL', 'SLACK', 'SLACK', 'NOTION'].entries()) emulator.registerTool({ name: `tool_${i}`, provider })
    await client.connectedAccounts.createConnectedAccount({ connector: 'gmail', identifier: 'ada@acme.com', connectedAccount: { authorizationDetails: TOKEN } })
    const { args, expected } = await setup({ emulator, client, acme })
    t.true(expected >= 5, `at least five items (${expected})`)
    const [sub, method] = name.split('.')
    const all = (requestOptions) => client[sub][`${method}All`](...args, ...(requestOptions ? [requestOptions] : []))
    const key = (item) => JSON.stringify(item)

    // A full walk: every item once, over several pages.
    const walk = all()
    const items = []
    for await (const item of walk) items.push(key(item))
    t.is(items.length, expected)
    t.is(new Set(items).size, expected, 'no item twice')
    t.is(walk.cursor, null, 'done')
    const pages = []
    for await (const page of all().pages()) pages.push(page)
    t.true(pages.length >= 3, `${pages.length} pages`)

    // Stop after three items, then resume from the cursor: the rest, none skipped or repeated.
    const first = all()
    const head = []
    for await (const item of first) {
      head.push(key(item))
      if (head.length === 3) break
    }
    t.truthy(first.cursor)
    const rest = []
    for await (const item of all({ cursor: first.cursor })) rest.push(key(item))
    t.deepEqual([...head, ...rest], items)

    // toArray needs its cap, and keeps to it; its cursor resumes after the last item it took.
    await t.throwsAsync(all().toArray(), { instanceOf: sk.ScalekitValidationException })
    const capped = all()
    t.deepEqual((await capped.toArray({ limit: 4 })).map(key), items.slice(0, 4))
    t.deepEqual((await all({ cursor: capped.cursor }).toArray({ limit: 100 })).map(key), items.slice(4))

    // A page that fails with a 503 is retried, within the walk.
    const retried = []
    const before = emulator.requests().length
    for await (const item of all()) {
      if (retried.length === 0) emulator.injectFault({ status: 503, path: '/api/v1/' })
      retried.push(key(item))
    }
    t.deepEqual(retried, items, 'the walk survives a failed page')
    t.deepEqual(emulator.requests().slice(before).filter((r) => r.path !== '/oauth/token').filter((r) => r.status === 503).length, 1)

    // Aborting the signal stops the walk at the next page it fetches.
    const controller = new AbortController()
    const seen = []
    const error = await t.throwsAsync(async () => {
      for await (const item of all({ signal: controller.signal })) {
        seen.push(item)
        controller.abort()
      }
    }, { instanceOf: sk.ScalekitAbortedException })
    t.truthy(error)
    t.true(seen.length >= 1 && seen.length < expected, `${seen.length} items before the abort`)
  })
}

// The item iterator keeps an async generator's guarantees (a plain iterator was tried in its place, pagination.js).
test('calls of next() made while a page is fetched get the items in order, and a failed walk ends', async (t) => {
  const emulator = await startEmulator(t)
  emulator.seedOrganizations(5)
  const client = clientFor(emulator)
  const iterator = client.organization.listOrganizationsAll({ pageSize: 2 })[Symbol.asyncIterator]()
  const results = await Promise.all(Array.from({ length: 8 }, () => iterator.next()))
  const all = (await client.organization.listOrganizations({ pageSize: 10 })).organizations.map((o) => o.id)
  t.deepEqual(results.filter((r) => !r.done).map((r) => r.value.id), all)
  t.true(results.slice(all.length).every((r) => r.done))
  t.deepEqual(await iterator.next(), { value: undefined, done: true })

  const stopped = client.organization.listOrganizationsAll({ pageSize: 2 })[Symbol.asyncIterator]()
  t.false((await stopped.next()).done)
  t.deepEqual(await stopped.return('bye'), { value: 'bye', done: true })
  t.true((await stopped.next()).done)

  const aborted = client.organization.listOrganizationsAll({ pageSize: 2 }, { signal: AbortSignal.abort() })[Symbol.asyncIterator]()
  const [first, second] = await Promise.allSettled([aborted.next(), aborted.next()])
  t.is(first.status, 'rejected')
  t.is(first.reason.constructor.name, 'ScalekitAbortedException')
  t.deepEqual(second, { status: 'fulfilled', value: { value: undefined, done: true } })
})
