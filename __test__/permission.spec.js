'use strict'
// client.permission against the emulator: the request each method sent and its result.
const test = require('ava')
const sk = require('..')
const { startEmulator, clientFor, lastRequest } = require('./helpers')

test('createPermission, getPermission, updatePermission, deletePermission', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  const { permission } = await client.permission.createPermission({ name: 'invoices:read', description: 'Read invoices' })
  t.like(lastRequest(emulator), { method: 'POST', path: '/api/v1/permissions', status: 201 })
  t.deepEqual(lastRequest(emulator).body, { name: 'invoices:read', description: 'Read invoices' })
  t.regex(permission.id, /^perm_/)
  t.like(permission, { name: 'invoices:read', description: 'Read invoices', isScalekitPermission: false })
  t.regex(permission.createTime, /^\d{4}-\d\d-\d\dT.*Z$/)
  await client.permission.createPermission({ name: 'invoices:write' })
  t.deepEqual(lastRequest(emulator).body, { name: 'invoices:write' })

  t.deepEqual(await client.permission.getPermission('invoices:read'), { permission })
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/permissions/invoices:read' })

  const { permission: updated } = await client.permission.updatePermission('invoices:read', { name: 'invoices:read', description: 'Read all invoices' })
  t.like(lastRequest(emulator), { method: 'PUT', path: '/api/v1/permissions/invoices:read' })
  t.deepEqual(lastRequest(emulator).body, { name: 'invoices:read', description: 'Read all invoices' })
  t.like(updated, { id: permission.id, description: 'Read all invoices' })

  t.deepEqual(await client.permission.deletePermission('invoices:write'), {})
  t.like(lastRequest(emulator), { method: 'DELETE', path: '/api/v1/permissions/invoices:write' })
  await t.throwsAsync(client.permission.getPermission('invoices:write'), { instanceOf: sk.ScalekitNotFoundException })
  await t.throwsAsync(client.permission.createPermission({ name: 'invoices:read' }), { instanceOf: sk.ScalekitConflictException })
  await t.throwsAsync(client.permission.updatePermission('invoices:read', { name: 'renamed' }), { instanceOf: sk.ScalekitBadRequestException })
  for (const [call, field] of [
    [() => client.permission.createPermission({ name: '' }), 'permission.name'],
    [() => client.permission.getPermission(' '), 'permissionName'],
    [() => client.permission.updatePermission('', { name: 'x' }), 'permissionName'],
    [() => client.permission.deletePermission(''), 'permissionName'],
  ]) {
    t.is((await t.throwsAsync(call, { instanceOf: sk.ScalekitValidationException })).field, field)
  }
})

test('listPermissions: the official (pageToken, pageSize) order, plus the type filter', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  const names = ['a:read', 'b:read', 'c:read', 'd:read', 'e:read']
  for (const name of names) await client.permission.createPermission({ name })

  const first = await client.permission.listPermissions(undefined, 2)
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/permissions', query: 'page_size=2' })
  t.is(first.totalSize, 5)
  t.deepEqual(first.permissions.map((p) => p.name), ['a:read', 'b:read'])
  const second = await client.permission.listPermissions(first.nextPageToken, 2)
  t.is(lastRequest(emulator).query, `page_token=${encodeURIComponent(first.nextPageToken)}&page_size=2`)
  t.deepEqual(second.permissions.map((p) => p.name), ['c:read', 'd:read'])
  t.truthy(second.prevPageToken)
  const all = await client.permission.listPermissions()
  t.is(lastRequest(emulator).query, null)
  t.deepEqual(all.permissions.map((p) => p.name), names)

  t.deepEqual((await client.permission.listPermissions(undefined, undefined, { type: 'SCALEKIT' })).permissions, [], 'no predefined permissions here')
  t.is(lastRequest(emulator).query, 'type=SCALEKIT')
  // PermissionType.ENVIRONMENT = 2 in the official SDK; ALL (0) is the default and is not sent.
  t.is((await client.permission.listPermissions(null, 10, { type: 2 })).permissions.length, 5)
  t.is(lastRequest(emulator).query, 'page_size=10&type=ENVIRONMENT')
  await client.permission.listPermissions(undefined, undefined, { type: 'ALL' })
  t.is(lastRequest(emulator).query, null)
  await client.permission.listPermissions(undefined, undefined, { type: 0 })
  t.is(lastRequest(emulator).query, null)

  for (const [call, field] of [
    [() => client.permission.listPermissions(undefined, 0), 'pageSize'],
    [() => client.permission.listPermissions(undefined, undefined, { type: 'MINE' }), 'options.type'],
  ]) {
    t.is((await t.throwsAsync(call, { instanceOf: sk.ScalekitValidationException })).field, field)
  }
})

test('role permissions: list, add, remove, and effective ones through extends', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  for (const name of ['invoices:read', 'invoices:write', 'invoices:delete']) await client.permission.createPermission({ name })
  await client.role.createRole({ name: 'viewer', permissions: ['invoices:read'] })
  await client.role.createRole({ name: 'editor', extends: 'viewer' })

  const added = await client.permission.addPermissionsToRole('editor', ['invoices:write', 'invoices:delete'])
  t.like(lastRequest(emulator), { method: 'POST', path: '/api/v1/roles/editor/permissions' })
  t.deepEqual(lastRequest(emulator).body, { permission_names: ['invoices:write', 'invoices:delete'] })
  t.deepEqual(added.permissions.map((p) => [p.name, p.roleName]), [['invoices:write', 'editor'], ['invoices:delete', 'editor']])

  const own = await client.permission.listRolePermissions('editor')
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/roles/editor/permissions' })
  t.deepEqual(own.permissions.map((p) => p.name), ['invoices:write', 'invoices:delete'])
  t.regex(own.permissions[0].id, /^perm_/)

  const effective = await client.permission.listEffectiveRolePermissions('editor')
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/roles/editor/permissions:all' })
  t.deepEqual(effective.permissions.map((p) => [p.name, p.roleName]), [['invoices:write', 'editor'], ['invoices:delete', 'editor'], ['invoices:read', 'viewer']])

  t.deepEqual(await client.permission.removePermissionFromRole('editor', 'invoices:delete'), {})
  t.like(lastRequest(emulator), { method: 'DELETE', path: '/api/v1/roles/editor/permissions/invoices:delete' })
  t.deepEqual((await client.permission.listRolePermissions('editor')).permissions.map((p) => p.name), ['invoices:write'])
  await t.throwsAsync(client.permission.removePermissionFromRole('editor', 'invoices:delete'), { instanceOf: sk.ScalekitNotFoundException })
  await t.throwsAsync(client.permission.addPermissionsToRole('editor', ['nope:nope']), { instanceOf: sk.ScalekitBadRequestException })
  await t.throwsAsync(client.permission.listRolePermissions('nobody'), { instanceOf: sk.ScalekitNotFoundException })

  // Deleting a permission takes it off every role.
  await client.permission.deletePermission('invoices:read')
  t.deepEqual((await client.permission.listEffectiveRolePermissions('editor')).permissions.map((p) => p.name), ['invoices:write'])
  for (const [call, field] of [
    [() => client.permission.addPermissionsToRole('editor', ['ok', ' ']), 'permissionNames[1]'],
    [() => client.permission.addPermissionsToRole('', ['ok']), 'roleName'],
    [() => client.permission.removePermissionFromRole('editor', ''), 'permissionName'],
    [() => client.permission.listEffectiveRolePermissions(''), 'roleName'],
  ]) {
    t.is((await t.throwsAsync(call, { instanceOf: sk.ScalekitValidationException })).field, field)
  }
})
