'use strict'
// client.user: each method against the emulator, checking the request it sent and the result.
const test = require('ava')
const sk = require('..')
const { startEmulator, clientFor, restFor, lastRequest } = require('./helpers')


async function setup(t) {
  const emulator = await startEmulator(t)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  const globex = emulator.createOrganization({ displayName: 'Globex' })
  const client = clientFor(emulator)
  const { user } = await client.user.createUserAndMembership(acme.id, {
    email: 'jane@example.com', externalId: 'jane-1', userProfile: { firstName: 'Jane', lastName: 'Roe' }, sendInvitationEmail: false,
  })
  return { emulator, client, acme, globex, user }
}

test('getUser, getUserByExternalId, listUsers and searchUsers', async (t) => {
  const { emulator, client, user } = await setup(t)
  for (let i = 0; i < 3; i++) await client.user.createUserAndMembership((await client.organization.listOrganizations()).organizations[1].id, { email: `u${i}@example.com`, sendInvitationEmail: false })

  const got = await client.user.getUser(user.id)
  t.like(lastRequest(emulator), { method: 'GET', path: `/api/v1/users/${user.id}` })
  t.like(got.user, { id: user.id, email: 'jane@example.com', externalId: 'jane-1' })
  t.is(got.user.userProfile.givenName, 'Jane')
  t.deepEqual(await client.user.getUserByExternalId('jane-1'), got)
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/users:external/jane-1' })

  const page = await client.user.listUsers({ pageSize: 2 })
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/users', query: 'page_size=2' })
  t.is(page.users.length, 2)
  t.is(page.totalSize, 4)
  const rest = await client.user.listUsers({ pageSize: 2, pageToken: page.nextPageToken })
  t.is(rest.users.length, 2)
  t.is(rest.nextPageToken, '')

  const found = await client.user.searchUsers('jane')
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/users:search', query: 'query=jane' })
  t.deepEqual(found.users.map((u) => u.id), [user.id])
  const first = await client.user.searchUsers('example', 2)
  t.is(lastRequest(emulator).query, 'query=example&page_size=2')
  await client.user.searchUsers('example', 2, first.nextPageToken)
  t.is(lastRequest(emulator).query, `query=example&page_size=2&page_token=${encodeURIComponent(first.nextPageToken)}`)
})

test('listOrganizationUsers and searchOrganizationUsers', async (t) => {
  const { emulator, client, acme, user } = await setup(t)
  await client.user.createUserAndMembership(acme.id, { email: 'john@example.com', sendInvitationEmail: false })
  const listed = await client.user.listOrganizationUsers(acme.id, { pageSize: 1 })
  t.like(lastRequest(emulator), { method: 'GET', path: `/api/v1/organizations/${acme.id}/users`, query: 'page_size=1' })
  t.is(listed.users.length, 1)
  t.is(listed.totalSize, 2)
  const found = await client.user.searchOrganizationUsers(acme.id, 'jane', 10)
  t.like(lastRequest(emulator), { method: 'GET', path: `/api/v1/organizations/${acme.id}/users:search`, query: 'query=jane&page_size=10' })
  t.deepEqual(found.users.map((u) => u.id), [user.id])
})

test('updateUser sends only the fields given, the whole profile included, and ignores email as the official SDK does', async (t) => {
  const { emulator, client, user } = await setup(t)
  const { user: updated } = await client.user.updateUser(user.id, {
    email: 'ignored@example.com', metadata: { plan: 'pro' }, userProfile: { firstName: 'Janet', locale: 'en-GB', customAttributes: { employee_id: '42' } },
  })
  t.like(lastRequest(emulator), { method: 'PATCH', path: `/api/v1/users/${user.id}` })
  t.deepEqual(lastRequest(emulator).body, { user_profile: { given_name: 'Janet', locale: 'en-GB', custom_attributes: { employee_id: '42' } }, metadata: { plan: 'pro' } })
  t.is(updated.email, 'jane@example.com')
  t.like(updated.userProfile, { givenName: 'Janet', familyName: 'Roe', locale: 'en-GB' })
  t.like(updated.userProfile, { firstName: 'Janet', lastName: 'Roe' }, 'the older names the API still sends, which code written for the official SDK reads')
  t.is(updated.environmentId, 'env_emulator')
  t.deepEqual(updated.userProfile.customAttributes, { employee_id: '42' }, 'keys kept as they are')
  t.deepEqual(updated.metadata, { plan: 'pro' })
  const byExternal = await client.user.updateUserByExternalId('jane-1', { userProfile: { lastName: 'Doe' } })
  t.like(lastRequest(emulator), { method: 'PATCH', path: '/api/v1/users:external/jane-1' })
  t.deepEqual(lastRequest(emulator).body, { user_profile: { family_name: 'Doe' } })
  t.is(byExternal.user.userProfile.familyName, 'Doe')
  t.is(byExternal.user.userProfile.lastName, 'Doe')
})

test('memberships: create with roles, metadata and inviter, update only what is given, delete (by id and external id)', async (t) => {
  const { emulator, client, globex, user } = await setup(t)
  const created = await client.user.createMembership(globex.id, user.id, { roles: ['admin'], metadata: { team: 'core' }, sendInvitationEmail: false, inviterEmail: 'boss@example.com' })
  t.like(lastRequest(emulator), { method: 'POST', path: `/api/v1/memberships/organizations/${globex.id}/users/${user.id}`, query: 'send_invitation_email=false', status: 201 })
  t.deepEqual(lastRequest(emulator).body, { roles: [{ name: 'admin' }], metadata: { team: 'core' }, inviter_email: 'boss@example.com' })
  const membership = created.user.memberships.find((m) => m.organizationId === globex.id)
  t.deepEqual(membership.roles.map((r) => r.name), ['admin'])
  t.like(membership, { membershipStatus: 'ACTIVE', inviterEmail: 'boss@example.com' })
  t.deepEqual(membership.metadata, { team: 'core' })

  const updated = await client.user.updateMembership(globex.id, user.id, { metadata: { team: 'infra' } })
  t.like(lastRequest(emulator), { method: 'PATCH', path: `/api/v1/memberships/organizations/${globex.id}/users/${user.id}` })
  t.deepEqual(lastRequest(emulator).body, { metadata: { team: 'infra' } }, 'roles are not sent, so they are kept')
  t.deepEqual(updated.user.memberships.find((m) => m.organizationId === globex.id).roles.map((r) => r.name), ['admin'])
  await client.user.updateMembershipByExternalId(globex.id, 'jane-1', { roles: ['viewer'] })
  t.like(lastRequest(emulator), { method: 'PATCH', path: `/api/v1/memberships/organizations/${globex.id}/users:external/jane-1` })
  t.deepEqual(lastRequest(emulator).body, { roles: [{ name: 'viewer' }] })

  t.deepEqual(await client.user.deleteMembership(globex.id, user.id), {})
  t.like(lastRequest(emulator), { method: 'DELETE', path: `/api/v1/memberships/organizations/${globex.id}/users/${user.id}` })
  await client.user.createMembershipByExternalId(globex.id, 'jane-1')
  t.like(lastRequest(emulator), { method: 'POST', path: `/api/v1/memberships/organizations/${globex.id}/users:external/jane-1`, query: null })
  t.deepEqual(lastRequest(emulator).body, { roles: [], metadata: {} }, 'as the official SDK sends it')
  t.deepEqual(await client.user.deleteMembershipByExternalId(globex.id, 'jane-1'), {})
  t.like(lastRequest(emulator), { method: 'DELETE', path: `/api/v1/memberships/organizations/${globex.id}/users:external/jane-1` })
  t.is((await client.user.getUser(user.id)).user.memberships.length, 1)
})

test('resendInvite', async (t) => {
  const { emulator, client, globex, user } = await setup(t)
  await client.user.createMembership(globex.id, user.id, { sendInvitationEmail: true })
  const { invite } = await client.user.resendInvite(globex.id, user.id)
  t.like(lastRequest(emulator), { method: 'PATCH', path: `/api/v1/invites/organizations/${globex.id}/users/${user.id}/resend`, body: {} })
  t.like(invite, { organizationId: globex.id, userId: user.id, status: 'PENDING_INVITE', resentCount: 1 })
  t.regex(invite.expiresAt, /^\d{4}-/)
})

test('user roles and permissions: list, assign (a bare array body), remove', async (t) => {
  const { emulator, client, acme, user } = await setup(t)
  const api = restFor(emulator)
  await api('POST', '/api/v1/permissions', { name: 'docs:read', description: 'Read docs' })
  await api('POST', '/api/v1/roles', { name: 'reader', display_name: 'Reader', permissions: ['docs:read'] })
  const assigned = await client.user.assignUserRoles(acme.id, user.id, ['reader'])
  t.like(lastRequest(emulator), { method: 'POST', path: `/api/v1/organizations/${acme.id}/users/${user.id}/roles` })
  t.deepEqual(lastRequest(emulator).body, [{ role_name: 'reader' }])
  t.true(assigned.roles.some((r) => r.name === 'reader'))
  const roles = await client.user.listUserRoles(acme.id, user.id)
  t.like(lastRequest(emulator), { method: 'GET', path: `/api/v1/organizations/${acme.id}/users/${user.id}/roles` })
  t.deepEqual(roles, assigned)
  const { permissions } = await client.user.listUserPermissions(acme.id, user.id)
  t.like(lastRequest(emulator), { method: 'GET', path: `/api/v1/organizations/${acme.id}/users/${user.id}/permissions` })
  t.true(permissions.some((p) => p.name === 'docs:read' && p.description === 'Read docs'))
  t.deepEqual(await client.user.removeUserRole(acme.id, user.id, 'reader'), {})
  t.like(lastRequest(emulator), { method: 'DELETE', path: `/api/v1/organizations/${acme.id}/users/${user.id}/roles/reader` })
  t.false((await client.user.listUserRoles(acme.id, user.id)).roles.some((r) => r.name === 'reader'))
})

test('deleteUser and deleteUserByExternalId', async (t) => {
  const { emulator, client, acme, user } = await setup(t)
  t.deepEqual(await client.user.deleteUser(user.id), {})
  t.like(lastRequest(emulator), { method: 'DELETE', path: `/api/v1/users/${user.id}` })
  await t.throwsAsync(client.user.getUser(user.id), { instanceOf: sk.ScalekitNotFoundException })
  await client.user.createUserAndMembership(acme.id, { email: 'x@example.com', externalId: 'x-1' })
  t.deepEqual(await client.user.deleteUserByExternalId('x-1'), {})
  t.like(lastRequest(emulator), { method: 'DELETE', path: '/api/v1/users:external/x-1' })
})

test('bad user arguments are typed errors with the official wording, before any request', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  const cases = [
    [() => client.user.getUser(''), 'userId', 'userId is required'],
    [() => client.user.getUserByExternalId(' '), 'externalId', 'externalId is required'],
    [() => client.user.searchUsers(''), 'query', 'query is required'],
    [() => client.user.searchOrganizationUsers('', 'x'), 'organizationId', 'organizationId is required'],
    [() => client.user.createMembership('org_1', ''), 'userId', 'userId is required'],
    [() => client.user.createMembership('org_1', 'usr_1', { inviterEmail: 'not-an-email' }), 'options.inviterEmail', /not a valid email/],
    [() => client.user.assignUserRoles('org_1', 'usr_1', ['']), 'roles[0]', 'roles[0] is required'],
    [() => client.user.removeUserRole('org_1', 'usr_1', ''), 'roleName', 'roleName is required'],
    [() => client.user.listUsers({ pageSize: -1 }), 'options.pageSize', /positive whole number/],
    [() => client.user.resendInvite('org_1', ' '), 'userId', 'userId is required'],
  ]
  for (const [call, field, message] of cases) {
    const error = await t.throwsAsync(call, { instanceOf: sk.ScalekitValidationException })
    t.is(error.field, field)
    if (typeof message === 'string') t.is(error.message, message)
    else t.regex(error.message, message)
  }
  t.is(emulator.stats().requests, 0)
})
