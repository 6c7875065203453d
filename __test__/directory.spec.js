'use strict'
// client.directory against the emulator: the request each method sent and its result.
const test = require('ava')
const sk = require('..')
const { startEmulator, clientFor, lastRequest } = require('./helpers')

/** A SCIM user as Okta sends it: URN keys, snake_case and camelCase side by side, nulls, numbers. */
function scimUser(email, i) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
    userName: email,
    name: { givenName: `Given${i}`, familyName: `Family${i}`, formatted: null },
    emails: [{ value: email, primary: true, type: 'work' }],
    active: true,
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: String(1000 + i), cost_center: 'R&D', manager: { value: 'diruser_0', $ref: null } },
    custom_attributes: { first_name: `Given${i}`, badge_id: i, 'x-unicode': 'Zoë \u{1F600}' },
  }
}

test('createDirectory, listDirectories, getDirectory, enable, disable and delete', async (t) => {
  const emulator = await startEmulator(t)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  const client = clientFor(emulator)

  const { directory } = await client.directory.createDirectory(acme.id, { directoryType: 'SCIM', directoryProvider: 'OKTA' })
  t.like(lastRequest(emulator), { method: 'POST', path: `/api/v1/organizations/${acme.id}/directories`, status: 201 })
  t.deepEqual(lastRequest(emulator).body, { directory_type: 'SCIM', directory_provider: 'OKTA' })
  t.regex(directory.id, /^dir_/)
  t.like(directory, { organizationId: acme.id, directoryType: 'SCIM', directoryProvider: 'OKTA', enabled: false, totalUsers: 0, totalGroups: 0 })
  t.is(directory.directoryEndpoint, `${emulator.url}/api/v1/directoryservice/${directory.id}/scim/v2`)
  // DirectoryType.LDAP = 2, DirectoryProvider.MICROSOFT_AD = 3 in the official SDK.
  await client.directory.createDirectory(acme.id, { directoryType: 2, directoryProvider: 3 })
  t.deepEqual(lastRequest(emulator).body, { directory_type: 'LDAP', directory_provider: 'MICROSOFT_AD' })

  const listed = await client.directory.listDirectories(acme.id)
  t.like(lastRequest(emulator), { method: 'GET', path: `/api/v1/organizations/${acme.id}/directories`, query: null })
  t.is(listed.directories.length, 2)
  t.deepEqual(await client.directory.getDirectory(acme.id, directory.id), { directory: listed.directories[0] })
  t.like(lastRequest(emulator), { method: 'GET', path: `/api/v1/organizations/${acme.id}/directories/${directory.id}` })

  t.deepEqual(await client.directory.enableDirectory(acme.id, directory.id), { enabled: true })
  t.like(lastRequest(emulator), { method: 'PATCH', path: `/api/v1/organizations/${acme.id}/directories/${directory.id}:enable`, body: null })
  t.true((await client.directory.getDirectory(acme.id, directory.id)).directory.enabled)
  t.deepEqual(await client.directory.disableDirectory(acme.id, directory.id), { enabled: false })
  t.like(lastRequest(emulator), { method: 'PATCH', path: `/api/v1/organizations/${acme.id}/directories/${directory.id}:disable` })

  t.deepEqual(await client.directory.deleteDirectory(acme.id, directory.id), {})
  t.like(lastRequest(emulator), { method: 'DELETE', path: `/api/v1/organizations/${acme.id}/directories/${directory.id}` })
  await t.throwsAsync(client.directory.getDirectory(acme.id, directory.id), { instanceOf: sk.ScalekitNotFoundException })

  for (const [call, field] of [
    [() => client.directory.createDirectory(acme.id, { directoryType: 'SCIMM', directoryProvider: 'OKTA' }), 'directory.directoryType'],
    [() => client.directory.createDirectory(acme.id, { directoryType: 'SCIM', directoryProvider: 'GITHUB' }), 'directory.directoryProvider'],
    [() => client.directory.getDirectory(acme.id, ' '), 'directoryId'],
    [() => client.directory.listDirectories(''), 'organizationId'],
  ]) {
    t.is((await t.throwsAsync(call, { instanceOf: sk.ScalekitValidationException })).field, field)
  }
})

test('getPrimaryDirectoryByOrganizationId: the first directory, or a typed not-found error (the official SDK rejects with a bare string)', async (t) => {
  const emulator = await startEmulator(t)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  const client = clientFor(emulator)

  const error = await t.throwsAsync(client.directory.getPrimaryDirectoryByOrganizationId(acme.id), { instanceOf: sk.ScalekitNotFoundException })
  t.true(error instanceof sk.ScalekitServerException)
  t.is(error.httpStatus, 404)
  t.is(error.message, 'directory does not exist for organization')
  t.like(lastRequest(emulator), { method: 'GET', path: `/api/v1/organizations/${acme.id}/directories`, status: 200 })

  const { directory: first } = await client.directory.createDirectory(acme.id, { directoryType: 'SCIM', directoryProvider: 'OKTA' })
  await client.directory.createDirectory(acme.id, { directoryType: 'SCIM', directoryProvider: 'GOOGLE' })
  const primary = await client.directory.getPrimaryDirectoryByOrganizationId(acme.id)
  t.is(primary.id, first.id)
  t.like(primary, { directoryProvider: 'OKTA', totalUsers: 0 })
  await t.throwsAsync(client.directory.getPrimaryDirectoryByOrganizationId('org_missing'), { instanceOf: sk.ScalekitNotFoundException })
  await t.throwsAsync(client.directory.getPrimaryDirectoryByOrganizationId(''), { instanceOf: sk.ScalekitValidationException, message: 'organizationId is required' })
})

test('listDirectoryUsers: pages, group and time filters, and raw SCIM attributes with their keys unchanged', async (t) => {
  const emulator = await startEmulator(t)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  const client = clientFor(emulator)
  const { directory } = await client.directory.createDirectory(acme.id, { directoryType: 'SCIM', directoryProvider: 'OKTA' })
  const users = Array.from({ length: 12 }, (_, i) => {
    const email = `user${i}@acme.com`
    return { email, givenName: `Given${i}`, groups: i % 3 === 0 ? ['Engineering'] : [], userDetail: scimUser(email, i) }
  })
  const seeded = emulator.seedDirectory(directory.id, { groups: ['Engineering', 'Sales'], users })
  const engineering = seeded.groups.find((g) => g.display_name === 'Engineering')

  const first = await client.directory.listDirectoryUsers(acme.id, directory.id, { pageSize: 5 })
  t.like(lastRequest(emulator), { method: 'GET', path: `/api/v1/organizations/${acme.id}/directories/${directory.id}/users`, query: 'page_size=5' })
  t.is(first.users.length, 5)
  t.is(first.totalSize, 12)
  t.is(first.users[0].userDetail, undefined, 'no raw resource without includeDetail')
  t.like(first.users[0], { email: 'user0@acme.com', givenName: 'Given0', preferredUsername: 'user0@acme.com' })
  t.deepEqual(first.users[0].groups.map((g) => g.displayName), ['Engineering'])

  // Every page once, in order, with the raw SCIM resource byte for byte.
  const all = []
  let pageToken
  do {
    const page = await client.directory.listDirectoryUsers(acme.id, directory.id, { pageSize: 5, pageToken, includeDetail: true })
    all.push(...page.users)
    pageToken = page.nextPageToken
  } while (pageToken)
  t.deepEqual(all.map((u) => u.email), users.map((u) => u.email))
  for (const [i, user] of all.entries()) t.deepEqual(user.userDetail, scimUser(user.email, i), `${user.email}: keys and values as sent`)
  t.is(all[4].userDetail.custom_attributes.first_name, 'Given4', 'a user attribute named first_name stays first_name')
  t.deepEqual(Object.keys(all[4].userDetail['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']).sort(), ['cost_center', 'employeeNumber', 'manager'])

  const inGroup = await client.directory.listDirectoryUsers(acme.id, directory.id, { directoryGroupId: engineering.id, includeDetail: false })
  t.is(lastRequest(emulator).query, `include_detail=false&directory_group_id=${engineering.id}`)
  t.deepEqual(inGroup.users.map((u) => u.email), ['user0@acme.com', 'user3@acme.com', 'user6@acme.com', 'user9@acme.com'])

  const future = new Date(Date.now() + 3_600_000)
  t.deepEqual((await client.directory.listDirectoryUsers(acme.id, directory.id, { updatedAfter: future })).users, [])
  const sent = new URLSearchParams(lastRequest(emulator).query).get('updated_after')
  t.regex(sent, /Z$/, 'RFC 3339 in UTC')
  t.is(Date.parse(sent), future.getTime())
  t.is((await client.directory.listDirectoryUsers(acme.id, directory.id, { updatedAfter: '2000-01-01T00:00:00Z', pageSize: 30 })).users.length, 12)

  for (const [options, field] of [[{ pageSize: 1.5 }, 'options.pageSize'], [{ updatedAfter: 'yesterday' }, 'options.updatedAfter']]) {
    t.is((await t.throwsAsync(client.directory.listDirectoryUsers(acme.id, directory.id, options), { instanceOf: sk.ScalekitValidationException })).field, field)
  }
  // The server's bound (30 per page) comes back as a typed error.
  await t.throwsAsync(client.directory.listDirectoryUsers(acme.id, directory.id, { pageSize: 31 }), { instanceOf: sk.ScalekitBadRequestException })
})

test('listDirectoryGroups: pages, details, and include_external_groups', async (t) => {
  const emulator = await startEmulator(t)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  const client = clientFor(emulator)
  const { directory } = await client.directory.createDirectory(acme.id, { directoryType: 'SCIM', directoryProvider: 'OKTA' })
  emulator.seedDirectory(directory.id, {
    groups: ['Engineering', 'Sales', 'Support'],
    users: [{ email: 'a@acme.com', groups: ['Engineering', 'Sales'] }, { email: 'b@acme.com', groups: ['Engineering'] }],
  })

  const page = await client.directory.listDirectoryGroups(acme.id, directory.id, { pageSize: 2, includeDetail: true, includeExternalGroups: true })
  t.like(lastRequest(emulator), {
    method: 'GET',
    path: `/api/v1/organizations/${acme.id}/directories/${directory.id}/groups`,
    query: 'page_size=2&include_detail=true&include_external_groups=true',
  })
  t.is(page.totalSize, 3)
  t.deepEqual(page.groups.map((g) => [g.displayName, g.totalUsers]), [['Engineering', 2], ['Sales', 1]])
  t.deepEqual(page.groups[0].groupDetail, { displayName: 'Engineering' })
  const rest = await client.directory.listDirectoryGroups(acme.id, directory.id, { pageSize: 2, pageToken: page.nextPageToken })
  t.deepEqual(rest.groups.map((g) => g.displayName), ['Support'])
  t.is(rest.groups[0].groupDetail, undefined)
  t.is(rest.nextPageToken, '')
  t.is((await client.directory.listDirectoryGroups(acme.id, directory.id, { updatedAfter: new Date(Date.now() + 60_000) })).groups.length, 0)
  await t.throwsAsync(client.directory.listDirectoryGroups(acme.id, 'dir_missing'), { instanceOf: sk.ScalekitNotFoundException })
  const error = await t.throwsAsync(client.directory.listDirectoryGroups(acme.id, '', {}), { instanceOf: sk.ScalekitValidationException })
  t.is(error.field, 'directoryId')
})

test('user data keeps its keys byte for byte: SCIM resources, group details, metadata and attribute mappings', async (t) => {
  const http = require('node:http')
  // Raw text as a server may send it: key order, escapes, nulls and number spellings a re-encoder would change.
  const userDetail = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"z\\u00f6e@acme.com","first_name":"Zo\\u00eb","name":{"givenName":"Zo\\u00eb","family_name":null},"emails":[{"value":"zoe@acme.com","primary":true}],"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employee_number":"007","costCenter":1.50e2},"badge":12345678901234567890,"tags":[],"x":{}}'
  const groupDetail = '{"displayName":"Eng","member_count":2,"members":[{"value":"diruser_1","display":null}]}'
  const bodies = {
    '/api/v1/organizations/org_1/directories/dir_1/users': `{"users":[{"id":"diruser_1","email":"zoe@acme.com","user_detail":${userDetail},"groups":[{"id":"dirgroup_1","display_name":"Eng","group_detail":${groupDetail}}]}],"total_size":"1"}`,
    '/api/v1/organizations/org_1/directories/dir_1/groups': `{"groups":[{"id":"dirgroup_1","group_detail":${groupDetail}}]}`,
    '/api/v1/users/usr_1': '{"user":{"id":"usr_1","email":"zoe@acme.com","metadata":{"crm_id":"42","Plan-Tier":"pro"},"user_profile":{"id":"usp_1","custom_attributes":{"first_name":"Zoë","employee_id":"7"},"metadata":{"legacy_id":"x"}},"memberships":[{"organization_id":"org_1","metadata":{"seat_type":"full"}}]}}',
    '/api/v1/organizations/org_1/connections/conn_1': '{"connection":{"id":"conn_1","attribute_mapping":{"first_name":"user.given_name","Email-Address":"mail"},"static_config":{"static_config":{"api_key_header":"X-Api-Key","nested_value":{"snake_case":[1,null]}}}}}',
  }
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json')
    if (req.url === '/oauth/token') return res.end(JSON.stringify({ access_token: 'tok', token_type: 'Bearer', expires_in: 3600 }))
    res.end(bodies[new URL(req.url, 'http://x').pathname] ?? '{}')
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  const client = new sk.ScalekitClient(`http://127.0.0.1:${server.address().port}`, 'skc_1', 'secret')

  const { users } = await client.directory.listDirectoryUsers('org_1', 'dir_1', { includeDetail: true })
  t.is(JSON.stringify(users[0].userDetail), JSON.stringify(JSON.parse(userDetail)), 'same keys, same order, same values')
  t.is(users[0].userDetail.first_name, 'Zoë')
  t.is(users[0].userDetail.name.family_name, null, 'null kept inside user data')
  t.is(JSON.stringify(users[0].groups[0].groupDetail), JSON.stringify(JSON.parse(groupDetail)))
  const { groups } = await client.directory.listDirectoryGroups('org_1', 'dir_1', { includeDetail: true })
  t.deepEqual(groups[0].groupDetail, JSON.parse(groupDetail))
  const { user } = await client.user.getUser('usr_1')
  t.deepEqual(user.metadata, { crm_id: '42', 'Plan-Tier': 'pro' })
  t.deepEqual(user.userProfile.customAttributes, { first_name: 'Zoë', employee_id: '7' })
  t.deepEqual(user.userProfile.metadata, { legacy_id: 'x' })
  t.deepEqual(user.memberships[0].metadata, { seat_type: 'full' })
  const { connection } = await client.connection.getConnection('org_1', 'conn_1')
  t.deepEqual(connection.attributeMapping, { first_name: 'user.given_name', 'Email-Address': 'mail' })
  t.deepEqual(connection.staticConfig, { staticConfig: { api_key_header: 'X-Api-Key', nested_value: { snake_case: [1, null] } } })
})
