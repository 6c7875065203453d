'use strict'
// client.role against the emulator: the request each method sent and its result.
const test = require('ava')
const sk = require('..')
const { startEmulator, clientFor, lastRequest } = require('./helpers')

/** Permissions and a role hierarchy: viewer ← editor (extends viewer). */
async function hierarchy(client) {
  await client.permission.createPermission({ name: 'invoices:read', description: 'Read invoices' })
  await client.permission.createPermission({ name: 'invoices:write', description: 'Write invoices' })
  await client.role.createRole({ name: 'viewer', displayName: 'Viewer', permissions: ['invoices:read'] })
  await client.role.createRole({ name: 'editor', displayName: 'Editor', description: 'Edits', extends: 'viewer', permissions: ['invoices:write'] })
}

test('createRole, getRole (with include), listRoles, updateRole', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  await client.permission.createPermission({ name: 'invoices:read' })
  const { role: viewer } = await client.role.createRole({ name: 'viewer', displayName: 'Viewer', description: 'Reads', permissions: ['invoices:read'] })
  t.like(lastRequest(emulator), { method: 'POST', path: '/api/v1/roles', status: 201 })
  t.deepEqual(lastRequest(emulator).body, { name: 'viewer', display_name: 'Viewer', description: 'Reads', permissions: ['invoices:read'] })
  t.regex(viewer.id, /^role_/)
  t.like(viewer, { name: 'viewer', displayName: 'Viewer', description: 'Reads', isOrgRole: false, defaultCreator: false, defaultMember: false, dependentRolesCount: 0 })
  t.deepEqual(viewer.permissions.map((p) => [p.name, p.roleName]), [['invoices:read', 'viewer']])
  await client.role.createRole({ name: 'editor', extends: 'viewer' })
  t.deepEqual(lastRequest(emulator).body, { name: 'editor', extends: 'viewer' }, 'only the fields given')

  const plain = await client.role.getRole('viewer')
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/roles/viewer', query: null })
  t.like(plain.role, { name: 'viewer', dependentRolesCount: 1 })
  t.deepEqual(plain.role.permissions, [], 'no permissions without include')
  const own = await client.role.getRole('editor', { include: 'permissions' })
  t.is(lastRequest(emulator).query, 'include=permissions')
  t.deepEqual(own.role.permissions, [])
  t.is(own.role.extends, 'viewer')
  const inherited = await client.role.getRole('editor', { include: 'permissions:all' })
  t.is(lastRequest(emulator).query, 'include=permissions%3Aall')
  t.deepEqual(inherited.role.permissions.map((p) => [p.name, p.roleName]), [['invoices:read', 'viewer']], 'inherited, with the role it comes from')

  const listed = await client.role.listRoles()
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/roles', query: null })
  t.deepEqual(listed.roles.map((r) => r.name), ['viewer', 'editor'])
  t.deepEqual((await client.role.listRoles({ include: 'permissions' })).roles.map((r) => r.permissions.length), [1, 0])
  t.is(lastRequest(emulator).query, 'include=permissions')

  const { role: updated } = await client.role.updateRole('viewer', { displayName: 'Reader' })
  t.like(lastRequest(emulator), { method: 'PUT', path: '/api/v1/roles/viewer' })
  t.deepEqual(lastRequest(emulator).body, { display_name: 'Reader' })
  t.like(updated, { name: 'viewer', displayName: 'Reader', description: 'Reads' })
  t.deepEqual(updated.permissions.map((p) => p.name), ['invoices:read'], 'permissions untouched when not given')
  t.deepEqual((await client.role.updateRole('viewer', { permissions: [] })).role.permissions, [])
  t.deepEqual(lastRequest(emulator).body, { permissions: [] })

  // The server's rules come back typed.
  await t.throwsAsync(client.role.createRole({ name: 'viewer' }), { instanceOf: sk.ScalekitConflictException })
  const invalid = await t.throwsAsync(client.role.createRole({ name: 'Bad Name' }), { instanceOf: sk.ScalekitBadRequestException })
  // The field violation reaches the caller, camelCase.
  const violations = invalid.errDetails.flatMap((d) => d.validationErrorInfo?.fieldViolations ?? [])
  t.like(violations[0], { field: 'name', constraint: 'string.pattern' })
  await t.throwsAsync(client.role.createRole({ name: 'x', permissions: ['nope'] }), { instanceOf: sk.ScalekitBadRequestException })
  await t.throwsAsync(client.role.updateRole('viewer', { extends: 'editor' }), { instanceOf: sk.ScalekitBadRequestException, message: /extend itself/ })
  await t.throwsAsync(client.role.getRole('nobody'), { instanceOf: sk.ScalekitNotFoundException })
  for (const [call, field] of [
    [() => client.role.createRole({ name: ' ' }), 'role.name'],
    [() => client.role.getRole(''), 'roleName'],
    [() => client.role.getRole('viewer', { include: 'everything' }), 'options.include'],
    [() => client.role.updateRole(' ', {}), 'roleName'],
  ]) {
    t.is((await t.throwsAsync(call, { instanceOf: sk.ScalekitValidationException })).field, field)
  }
})

test('deleteRole (with reassignment), deleteRoleBase, listDependentRoles, getRoleUsersCount', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  await hierarchy(client)
  await client.role.createRole({ name: 'legacy' })
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  for (const email of ['a@acme.com', 'b@acme.com']) {
    await client.user.createUserAndMembership(acme.id, { email, membership: { roles: [{ name: 'legacy' }] } })
  }

  const count = await client.role.getRoleUsersCount('legacy')
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/roles/legacy/users:count' })
  t.deepEqual(count, { count: 2 }, 'int64 as a number')
  t.deepEqual(await client.role.getRoleUsersCount('viewer'), { count: 0 })

  const dependents = await client.role.listDependentRoles('viewer')
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/roles/viewer/dependents' })
  t.deepEqual(dependents.roles.map((r) => r.name), ['editor'])
  // A role others extend cannot go; its dependents must change first.
  await t.throwsAsync(client.role.deleteRole('viewer'), { instanceOf: sk.ScalekitBadRequestException, message: /extend this role/ })

  t.deepEqual(await client.role.deleteRoleBase('editor'), {})
  t.like(lastRequest(emulator), { method: 'DELETE', path: '/api/v1/roles/editor/base' })
  t.is((await client.role.getRole('editor')).role.extends, undefined)
  t.deepEqual((await client.role.listDependentRoles('viewer')).roles, [])
  await t.throwsAsync(client.role.deleteRoleBase('editor'), { instanceOf: sk.ScalekitBadRequestException, message: /extends no other role/ })

  t.deepEqual(await client.role.deleteRole('legacy', 'viewer'), {})
  t.like(lastRequest(emulator), { method: 'DELETE', path: '/api/v1/roles/legacy', query: 'reassign_role_name=viewer' })
  t.deepEqual(await client.role.getRoleUsersCount('viewer'), { count: 2 }, 'members moved to the reassigned role')
  await t.throwsAsync(client.role.getRole('legacy'), { instanceOf: sk.ScalekitNotFoundException })
  t.deepEqual(await client.role.deleteRole('viewer'), {})
  t.like(lastRequest(emulator), { path: '/api/v1/roles/viewer', query: null })
  await t.throwsAsync(client.role.deleteRole('editor', 'nobody'), { instanceOf: sk.ScalekitBadRequestException })
})

test('updateDefaultRoles: only the roles given change', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  await hierarchy(client)
  const both = await client.role.updateDefaultRoles({ defaultCreatorRole: 'editor', defaultMemberRole: 'viewer' })
  t.like(lastRequest(emulator), { method: 'PATCH', path: '/api/v1/roles:set_defaults' })
  t.deepEqual(lastRequest(emulator).body, { default_creator_role: 'editor', default_member_role: 'viewer' })
  t.like(both, { defaultCreator: { name: 'editor', defaultCreator: true }, defaultMember: { name: 'viewer', defaultMember: true } })
  const member = await client.role.updateDefaultRoles({ defaultMemberRole: 'editor' })
  t.deepEqual(lastRequest(emulator).body, { default_member_role: 'editor' })
  t.like(member, { defaultCreator: { name: 'editor' }, defaultMember: { name: 'editor' } })
  t.true((await client.role.getRole('editor')).role.defaultMember)
  await t.throwsAsync(client.role.updateDefaultRoles({ defaultMemberRole: 'nobody' }), { instanceOf: sk.ScalekitNotFoundException })
  t.is((await t.throwsAsync(client.role.updateDefaultRoles({ defaultCreatorRole: '' }), { instanceOf: sk.ScalekitValidationException })).field, 'options.defaultCreatorRole')
})

test('organization roles: create, get, list, update, delete, base, users count and default', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  await hierarchy(client)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  const other = emulator.createOrganization({ displayName: 'Other' })

  const { role } = await client.role.createOrganizationRole(acme.id, { name: 'auditor', displayName: 'Auditor', extends: 'viewer', permissions: ['invoices:write'] })
  t.like(lastRequest(emulator), { method: 'POST', path: `/api/v1/organizations/${acme.id}/roles`, status: 201 })
  t.deepEqual(lastRequest(emulator).body, { name: 'auditor', display_name: 'Auditor', extends: 'viewer', permissions: ['invoices:write'] })
  t.like(role, { name: 'auditor', isOrgRole: true, extends: 'viewer' })

  const got = await client.role.getOrganizationRole(acme.id, 'auditor', { include: 'permissions:all' })
  t.like(lastRequest(emulator), { method: 'GET', path: `/api/v1/organizations/${acme.id}/roles/auditor`, query: 'include=permissions%3Aall' })
  t.deepEqual(got.role.permissions.map((p) => [p.name, p.roleName]), [['invoices:write', 'auditor'], ['invoices:read', 'viewer']])
  t.deepEqual((await client.role.getOrganizationRole(acme.id, 'auditor')).role.permissions, [])
  await t.throwsAsync(client.role.getOrganizationRole(other.id, 'auditor'), { instanceOf: sk.ScalekitNotFoundException }, 'another organization’s role')

  const listed = await client.role.listOrganizationRoles(acme.id)
  t.like(lastRequest(emulator), { method: 'GET', path: `/api/v1/organizations/${acme.id}/roles`, query: null })
  t.deepEqual(listed.roles.map((r) => r.name), ['viewer', 'editor', 'auditor'], 'the environment’s roles and its own')
  await client.role.listOrganizationRoles(acme.id, { include: 'permissions' })
  t.is(lastRequest(emulator).query, 'include=permissions')
  t.deepEqual((await client.role.listOrganizationRoles(other.id)).roles.map((r) => r.name), ['viewer', 'editor'])

  const { role: updated } = await client.role.updateOrganizationRole(acme.id, 'auditor', { description: 'Audits' })
  t.like(lastRequest(emulator), { method: 'PUT', path: `/api/v1/organizations/${acme.id}/roles/auditor` })
  t.deepEqual(lastRequest(emulator).body, { description: 'Audits' })
  t.like(updated, { description: 'Audits', displayName: 'Auditor' })

  await client.user.createUserAndMembership(acme.id, { email: 'a@acme.com', membership: { roles: [{ name: 'auditor' }] } })
  t.deepEqual(await client.role.getOrganizationRoleUsersCount(acme.id, 'auditor'), { count: 1 })
  t.like(lastRequest(emulator), { method: 'GET', path: `/api/v1/organizations/${acme.id}/roles/auditor/users:count` })

  const defaults = await client.role.updateDefaultOrganizationRoles(acme.id, 'auditor')
  t.like(lastRequest(emulator), { method: 'PATCH', path: `/api/v1/organizations/${acme.id}/roles:set_defaults` })
  t.deepEqual(lastRequest(emulator).body, { default_member_role: 'auditor' })
  t.like(defaults, { defaultMember: { name: 'auditor', defaultMember: true } })
  t.is((await t.throwsAsync(client.role.updateDefaultOrganizationRoles(acme.id, ' '), { instanceOf: sk.ScalekitValidationException })).field, 'defaultMemberRole')

  t.deepEqual(await client.role.deleteOrganizationRoleBase(acme.id, 'auditor'), {})
  t.like(lastRequest(emulator), { method: 'DELETE', path: `/api/v1/organizations/${acme.id}/roles/auditor/base` })
  t.is((await client.role.getOrganizationRole(acme.id, 'auditor')).role.extends, undefined)

  await client.role.createOrganizationRole(acme.id, { name: 'reviewer' })
  t.deepEqual(await client.role.deleteOrganizationRole(acme.id, 'auditor', 'reviewer'), {})
  t.like(lastRequest(emulator), { method: 'DELETE', path: `/api/v1/organizations/${acme.id}/roles/auditor`, query: 'reassign_role_name=reviewer' })
  t.deepEqual(await client.role.getOrganizationRoleUsersCount(acme.id, 'reviewer'), { count: 1 })
  await t.throwsAsync(client.role.getOrganizationRole(acme.id, 'auditor'), { instanceOf: sk.ScalekitNotFoundException })
  await t.throwsAsync(client.role.createOrganizationRole('org_missing', { name: 'x' }), { instanceOf: sk.ScalekitNotFoundException })
  t.is((await t.throwsAsync(client.role.createOrganizationRole('', { name: 'x' }), { instanceOf: sk.ScalekitValidationException })).field, 'orgId')
})
