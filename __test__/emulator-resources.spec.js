'use strict'
// Resource semantics of the emulator over raw REST. Every exchange is also
// validated against the public OpenAPI spec when each test ends (helpers.js).
const test = require('ava')
const { startEmulator, restFor, clientFor } = require('./helpers')

test('organizations: get, by external id, update, settings, delete', async (t) => {
  const emulator = await startEmulator(t)
  const api = restFor(emulator)
  const created = await api('POST', '/api/v1/organizations', { display_name: 'Acme', external_id: 'acme', metadata: { tier: 'gold' } })
  t.is(created.status, 201)
  const org = created.body.organization
  t.regex(org.id, /^org_\d+$/)
  t.is((await api('GET', `/api/v1/organizations/${org.id}`)).body.organization.display_name, 'Acme')
  t.is((await api('GET', '/api/v1/organizations:external/acme')).body.organization.id, org.id)
  t.is((await api('GET', '/api/v1/organizations:external/nope')).status, 404)

  const updated = await api('PATCH', `/api/v1/organizations/${org.id}`, { display_name: 'Acme Inc', metadata: { tier: 'platinum' } })
  t.is(updated.status, 200)
  t.is(updated.body.organization.display_name, 'Acme Inc')
  t.deepEqual(updated.body.organization.metadata, { tier: 'platinum' })
  t.is((await api('PATCH', `/api/v1/organizations/${org.id}`, { display_name: '' })).status, 400)

  const other = (await api('POST', '/api/v1/organizations', { display_name: 'Other' })).body.organization
  const clash = await api('PATCH', `/api/v1/organizations/${other.id}`, { external_id: 'acme' })
  t.is(clash.status, 409)
  t.is(clash.body.details[0].error_code, 'ALREADY_EXISTS')

  const settings = await api('PATCH', `/api/v1/organizations/${org.id}/settings`, { features: [{ name: 'sso', enabled: true }] })
  t.deepEqual(settings.body.organization.settings.features.find((f) => f.name === 'sso'), { name: 'sso', enabled: true })
  t.is((await api('PATCH', `/api/v1/organizations/${org.id}/settings`, { features: [{ name: 'teleport', enabled: true }] })).status, 400)

  t.deepEqual((await api('DELETE', `/api/v1/organizations/${org.id}`)).body, {})
  t.is((await api('GET', `/api/v1/organizations/${org.id}`)).status, 404)
  t.is((await api('DELETE', `/api/v1/organizations/${org.id}`)).status, 404)
})

test('organizations: validation and page bounds', async (t) => {
  const emulator = await startEmulator(t)
  const api = restFor(emulator)
  const missing = await api('POST', '/api/v1/organizations', { external_id: 'x' })
  t.is(missing.status, 400)
  t.is(missing.body.code, 3)
  t.is(missing.body.details[0].validation_error_info.field_violations[0].field, 'display_name')
  t.is((await api('POST', '/api/v1/organizations', { display_name: 'A', logo_url: 'http://insecure.example/logo.png' })).status, 400)
  t.is((await api('POST', '/api/v1/organizations', { display_name: 'A', external_id: 'dup' })).status, 201)
  t.is((await api('POST', '/api/v1/organizations', { display_name: 'B', external_id: 'dup' })).status, 409)
  t.is((await api('GET', '/api/v1/organizations?page_size=101')).status, 400)
  emulator.seedOrganizations(6)
  t.is((await api('GET', '/api/v1/organizations?page_size=5')).body.organizations.length, 5, 'small pages, as the live service allows')
  t.is((await api('GET', '/api/v1/organizations?page_token=forged')).status, 400)
  emulator.seedOrganizations(30)
  const hits = await api('GET', '/api/v1/organizations:search?query=organization%202&page_size=5')
  t.is(hits.status, 200)
  t.true(hits.body.organizations.every((o) => o.display_name.toLowerCase().includes('organization 2')))
  t.is((await api('GET', '/api/v1/organizations:search?query=ab')).status, 400)
})

test('organizations: portal links, session policy, user-management settings', async (t) => {
  const emulator = await startEmulator(t)
  const api = restFor(emulator)
  const org = emulator.createOrganization({ displayName: 'Acme' })
  const link = await api('PUT', `/api/v1/organizations/${org.id}/portal_links?features=sso&features=dir_sync`)
  t.is(link.status, 200)
  t.regex(link.body.link.id, /^lnk_/)
  t.true(link.body.link.location.startsWith(emulator.url))
  t.true(Date.parse(link.body.link.expire_time) > Date.now())

  t.deepEqual((await api('GET', `/api/v1/organizations/${org.id}/session-policy`)).body, { policy: { policy_source: 'APPLICATION' } })
  const custom = { policy_source: 'CUSTOM', absolute_session_timeout: 8, absolute_session_timeout_unit: 'HOURS', idle_session_timeout_enabled: true, idle_session_timeout: 30, idle_session_timeout_unit: 'MINUTES' }
  t.deepEqual((await api('PATCH', `/api/v1/organizations/${org.id}/session-policy`, custom)).body.policy, custom)
  t.deepEqual((await api('GET', `/api/v1/organizations/${org.id}/session-policy`)).body.policy, custom)
  t.is((await api('PATCH', `/api/v1/organizations/${org.id}/session-policy`, { policy_source: 'CUSTOM' })).status, 400)

  const upserted = await api('PATCH', `/api/v1/organizations/${org.id}/settings/usermanagement`, { settings: { max_allowed_users: 25 } })
  t.deepEqual(upserted.body, { settings: { max_allowed_users: 25 } })
  t.deepEqual((await api('GET', `/api/v1/organizations/${org.id}/settings/usermanagement`)).body, { settings: { max_allowed_users: 25 } })
  t.is((await api('GET', '/api/v1/organizations/org_missing/session-policy')).status, 404)
})

test('users and memberships: the full lifecycle', async (t) => {
  const emulator = await startEmulator(t)
  const api = restFor(emulator)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  const globex = emulator.createOrganization({ displayName: 'Globex' })
  const created = await api('POST', `/api/v1/organizations/${acme.id}/users?send_invitation_email=true`, {
    email: 'Jane@Example.com',
    external_id: 'jane-1',
    user_profile: { given_name: 'Jane', family_name: 'Roe' },
    membership: { roles: [{ name: 'admin' }], inviter_email: 'boss@example.com' },
  })
  t.is(created.status, 201)
  const user = created.body.user
  t.regex(user.id, /^usr_\d+$/)
  t.true(user.id.length >= 19 && user.id.length <= 25)
  t.is(user.memberships[0].membership_status, 'PENDING_INVITE')
  t.is((await api('POST', `/api/v1/organizations/${acme.id}/users`, { email: 'jane@example.com' })).status, 409, 'same email, same org')

  t.is((await api('GET', `/api/v1/users/${user.id}`)).body.user.email, 'Jane@Example.com')
  t.is((await api('GET', '/api/v1/users:external/jane-1')).body.user.id, user.id)
  const patched = await api('PATCH', `/api/v1/users/${user.id}`, { user_profile: { given_name: 'Janet' }, metadata: { team: 'a' } })
  t.is(patched.body.user.user_profile.given_name, 'Janet')
  t.deepEqual(patched.body.user.metadata, { team: 'a' })
  t.is((await api('PATCH', '/api/v1/users:external/jane-1', { user_profile: { nickname: 'J' } })).status, 400)

  const joined = await api('POST', `/api/v1/memberships/organizations/${globex.id}/users/${user.id}?send_invitation_email=false`, { roles: [{ name: 'member' }] })
  t.is(joined.status, 201)
  t.deepEqual(joined.body.user.memberships.map((m) => m.organization_id), [acme.id, globex.id])
  t.is((await api('POST', `/api/v1/memberships/organizations/${globex.id}/users/${user.id}`, {})).status, 409)
  const promoted = await api('PATCH', `/api/v1/memberships/organizations/${globex.id}/users:external/jane-1`, { roles: [{ name: 'admin' }] })
  t.deepEqual(promoted.body.user.memberships[1].roles.map((r) => r.name), ['admin'])
  t.deepEqual((await api('GET', `/api/v1/organizations/${globex.id}/users/${user.id}/roles`)).body.roles.map((r) => r.name), ['admin'])
  t.deepEqual((await api('GET', `/api/v1/organizations/${globex.id}/users/${user.id}/permissions`)).body, { permissions: [] })

  const invite = await api('PATCH', `/api/v1/invites/organizations/${acme.id}/users/${user.id}/resend`, {})
  t.is(invite.body.invite.resent_count, 1)
  t.is((await api('PATCH', `/api/v1/invites/organizations/${globex.id}/users/${user.id}/resend`, {})).status, 400, 'active members have no invite')

  const listed = await api('GET', `/api/v1/organizations/${globex.id}/users?page_size=10`)
  t.deepEqual(listed.body.users.map((u) => u.id), [user.id])
  t.is(listed.body.total_size, 1)
  t.is((await api('GET', '/api/v1/users:search?query=janet')).body.users[0].id, user.id)
  t.is((await api('GET', `/api/v1/organizations/${acme.id}/users:search?query=example.com`)).body.total_size, 1)

  t.deepEqual((await api('DELETE', `/api/v1/memberships/organizations/${globex.id}/users/${user.id}`)).body, {})
  t.is((await api('GET', `/api/v1/organizations/${globex.id}/users`)).body.total_size, 0)
  t.deepEqual((await api('DELETE', '/api/v1/users:external/jane-1')).body, {})
  t.is((await api('GET', `/api/v1/users/${user.id}`)).status, 404)
  t.is((await api('GET', '/api/v1/users?page_size=10')).body.total_size, 0)
})

test('domains: create, list by page number, filter, get, delete', async (t) => {
  const emulator = await startEmulator(t)
  const api = restFor(emulator)
  const org = emulator.createOrganization({ displayName: 'Acme' })
  const created = await api('POST', `/api/v1/organizations/${org.id}/domains`, { domain: 'Acme.com', domain_type: 'ORGANIZATION_DOMAIN' })
  t.is(created.status, 200)
  t.regex(created.body.domain.id, /^dom_/)
  t.is(created.body.domain.domain, 'acme.com')
  t.is(created.body.domain.verification_status, 'PENDING')
  const allowed = await api('POST', `/api/v1/organizations/${org.id}/domains`, { domain: 'acme.io', domain_type: 'ALLOWED_EMAIL_DOMAIN' })
  t.is(allowed.body.domain.verification_status, 'AUTO_VERIFIED')
  t.is((await api('POST', `/api/v1/organizations/${org.id}/domains`, { domain: 'acme.com', domain_type: 'ORGANIZATION_DOMAIN' })).status, 409)
  t.is((await api('POST', `/api/v1/organizations/${org.id}/domains`, { domain: 'not a domain' })).status, 400)
  t.is((await api('POST', '/api/v1/organizations/org_missing/domains', { domain: 'x.com' })).status, 404)

  const page0 = await api('GET', `/api/v1/organizations/${org.id}/domains?page_size=1&page_number=0`)
  const page1 = await api('GET', `/api/v1/organizations/${org.id}/domains?page_size=1&page_number=1`)
  t.deepEqual([page0.body.domains[0].domain, page1.body.domains[0].domain], ['acme.com', 'acme.io'])
  t.is(page1.body.page_number, 1)
  const filtered = await api('GET', `/api/v1/organizations/${org.id}/domains?domain_type=ALLOWED_EMAIL_DOMAIN`)
  t.deepEqual(filtered.body.domains.map((d) => d.domain), ['acme.io'])
  t.is((await api('GET', `/api/v1/organizations/${org.id}/domains/${created.body.domain.id}`)).body.domain.domain, 'acme.com')
  t.deepEqual((await api('DELETE', `/api/v1/organizations/${org.id}/domains/${created.body.domain.id}`)).body, {})
  t.is((await api('GET', `/api/v1/organizations/${org.id}/domains/${created.body.domain.id}`)).status, 404)
})

test('roles and permissions: inheritance, defaults, organization roles, and what a member gets', async (t) => {
  const emulator = await startEmulator(t)
  const api = restFor(emulator)
  for (const name of ['docs:read', 'docs:write', 'billing:manage']) {
    t.is((await api('POST', '/api/v1/permissions', { name, description: `can ${name}` })).status, 201)
  }
  t.is((await api('POST', '/api/v1/permissions', { name: 'docs:read' })).status, 409)
  t.is((await api('POST', '/api/v1/permissions', { name: 'Bad Name' })).status, 400)
  const viewer = await api('POST', '/api/v1/roles', { name: 'viewer', display_name: 'Viewer', permissions: ['docs:read'] })
  t.is(viewer.status, 201)
  t.regex(viewer.body.role.id, /^role_/)
  t.is((await api('POST', '/api/v1/roles', { name: 'editor', extends: 'viewer', permissions: ['docs:write'] })).status, 201)
  t.is((await api('POST', '/api/v1/roles', { name: 'ghost', extends: 'nobody' })).status, 400)
  t.is((await api('POST', '/api/v1/roles', { name: 'bad', permissions: ['no:such'] })).status, 400)

  const effective = await api('GET', '/api/v1/roles/editor/permissions:all')
  t.deepEqual(effective.body.permissions.map((p) => p.name), ['docs:write', 'docs:read'])
  t.deepEqual((await api('GET', '/api/v1/roles/editor/permissions')).body.permissions.map((p) => p.name), ['docs:write'])
  t.deepEqual((await api('GET', '/api/v1/roles/viewer/dependents')).body.roles.map((r) => r.name), ['editor'])
  t.is((await api('GET', '/api/v1/roles/viewer')).body.role.dependent_roles_count, 1)
  t.is((await api('DELETE', '/api/v1/roles/viewer')).status, 400, 'a role others extend cannot go')

  t.deepEqual((await api('POST', '/api/v1/roles/viewer/permissions', { permission_names: ['billing:manage'] })).body.permissions.map((p) => p.name), ['docs:read', 'billing:manage'])
  t.deepEqual((await api('DELETE', '/api/v1/roles/viewer/permissions/billing:manage')).body, {})
  const updated = await api('PUT', '/api/v1/roles/viewer', { display_name: 'Reader', description: 'reads docs' })
  t.is(updated.body.role.display_name, 'Reader')

  // Only the member default is set here: the unset creator default is left out, not null.
  t.deepEqual(Object.keys((await api('PATCH', '/api/v1/roles:set_defaults', { default_member_role: 'viewer' })).body), ['default_member'])
  const defaults = await api('PATCH', '/api/v1/roles:set_defaults', { default_member_role: 'viewer', default_creator_role: 'editor' })
  t.is(defaults.body.default_member.name, 'viewer')
  t.true((await api('GET', '/api/v1/roles/viewer')).body.role.default_member)

  const org = emulator.createOrganization({ displayName: 'Acme' })
  const orgRole = await api('POST', `/api/v1/organizations/${org.id}/roles`, { name: 'acme-auditor', extends: 'viewer' })
  t.is(orgRole.status, 201)
  t.true(orgRole.body.role.is_org_role)
  const orgRoles = (await api('GET', `/api/v1/organizations/${org.id}/roles`)).body.roles.map((r) => r.name)
  t.true(orgRoles.includes('acme-auditor') && orgRoles.includes('viewer'))
  t.false((await api('GET', '/api/v1/roles')).body.roles.some((r) => r.name === 'acme-auditor'), 'not an environment role')

  const user = (await api('POST', `/api/v1/organizations/${org.id}/users`, { email: 'ed@example.com', membership: { roles: [{ name: 'editor' }] } })).body.user
  const granted = await api('GET', `/api/v1/organizations/${org.id}/users/${user.id}/permissions`)
  t.deepEqual(granted.body.permissions.map((p) => p.name).sort(), ['docs:read', 'docs:write'])
  t.is((await api('GET', '/api/v1/roles/editor/users:count')).body.count, '1')
  t.deepEqual((await api('DELETE', `/api/v1/organizations/${org.id}/roles/acme-auditor`)).body, {})
  t.deepEqual((await api('DELETE', '/api/v1/permissions/docs:write')).body, {})
  t.deepEqual((await api('GET', '/api/v1/roles/editor/permissions')).body.permissions, [])
  const page = await api('GET', '/api/v1/permissions?page_size=1')
  t.is(page.body.total_size, 2)
  t.truthy(page.body.next_page_token)
})

test('passwordless email: send, verify by code or link, resend, attempts and expiry rules', async (t) => {
  const emulator = await startEmulator(t)
  const api = restFor(emulator)
  const sent = await api('POST', '/api/v1/passwordless/email/send', { email: 'pw@example.com', state: 'st', template: 'SIGNIN', expires_in: 120 })
  t.is(sent.status, 200)
  t.regex(sent.body.auth_request_id, /^ar_/)
  t.is(sent.body.passwordless_type, 'OTP')
  t.is(sent.body.expires_in, 120)
  t.regex(sent.body.expires_at, /^\d+$/, 'int64 as a JSON string')
  const mail = emulator.passwordlessEmail('pw@example.com')
  t.regex(mail.code, /^\d{6}$/)
  t.is(mail.authRequestId, sent.body.auth_request_id)

  const wrong = await api('POST', '/api/v1/passwordless/email/verify', { auth_request_id: mail.authRequestId, code: mail.code === '000000' ? '111111' : '000000' })
  t.is(wrong.status, 400)
  const ok = await api('POST', '/api/v1/passwordless/email/verify', { auth_request_id: mail.authRequestId, code: mail.code })
  t.deepEqual(ok.body, { email: 'pw@example.com', state: 'st', template: 'SIGNIN', passwordless_type: 'OTP' })
  t.is((await api('POST', '/api/v1/passwordless/email/verify', { auth_request_id: mail.authRequestId, code: mail.code })).status, 400, 'single use')

  const linked = await api('POST', '/api/v1/passwordless/email/send', { email: 'link@example.com', magiclink_auth_uri: 'https://app.example.com/auth/magic' })
  t.is(linked.body.passwordless_type, 'LINK_OTP')
  const first = emulator.passwordlessEmail('link@example.com')
  const resent = await api('POST', '/api/v1/passwordless/email/resend', { auth_request_id: linked.body.auth_request_id })
  t.is(resent.body.auth_request_id, linked.body.auth_request_id)
  const second = emulator.passwordlessEmail('link@example.com')
  t.is(second.sentCount, 2)
  t.not(second.linkToken, first.linkToken)
  t.true(second.magicLink.startsWith('https://app.example.com/auth/magic?link_token='))
  t.is((await api('POST', '/api/v1/passwordless/email/verify', { link_token: first.linkToken })).status, 400, 'the old link died with the resend')
  t.is((await api('POST', '/api/v1/passwordless/email/verify', { link_token: second.linkToken })).body.email, 'link@example.com')

  t.is((await api('POST', '/api/v1/passwordless/email/send', { email: 'not-an-email' })).status, 400)
  t.is((await api('POST', '/api/v1/passwordless/email/send', { email: 'a@example.com', template: 'HELLO' })).status, 400)
  t.is(emulator.passwordlessEmail('nobody@example.com'), null)
})

test('M2M organization clients: create with a secret, rotate secrets, and get tokens with them', async (t) => {
  const emulator = await startEmulator(t)
  const api = restFor(emulator)
  const org = emulator.createOrganization({ displayName: 'Acme' })
  const created = await api('POST', `/api/v1/organizations/${org.id}/clients`, {
    name: 'Billing sync', scopes: ['invoices:read'], audience: ['https://api.example.com'], custom_claims: [{ key: 'tier', value: 'gold' }], expiry: '600',
  })
  t.is(created.status, 201)
  const { client, plain_secret: secret } = created.body
  t.regex(client.client_id, /^m2morg_/)
  t.is(client.secrets.length, 1)
  t.is(client.secrets[0].secret_suffix, secret.slice(-4))
  t.false(JSON.stringify(client).includes(secret), 'the plain secret is shown once, outside the client')

  const token = await fetch(`${emulator.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.client_id, client_secret: secret }),
  }).then((r) => r.json())
  t.is(token.expires_in, 600)
  const claims = JSON.parse(Buffer.from(token.access_token.split('.')[1], 'base64url'))
  t.is(claims.sub, client.client_id)
  t.is(claims.oid, org.id)
  t.is(claims.tier, 'gold')
  t.deepEqual(claims.scopes, ['invoices:read'])

  const second = await api('POST', `/api/v1/organizations/${org.id}/clients/${client.client_id}/secrets`)
  t.is(second.status, 201)
  t.regex(second.body.secret.id, /^sec_/)
  t.deepEqual((await api('DELETE', `/api/v1/organizations/${org.id}/clients/${client.client_id}/secrets/${client.secrets[0].id}`)).body, {})
  const oldSecret = await fetch(`${emulator.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.client_id, client_secret: secret }),
  })
  t.is(oldSecret.status, 401, 'a removed secret stops working')

  const renamed = await api('PATCH', `/api/v1/organizations/${org.id}/clients/${client.client_id}`, { name: 'Billing sync v2' })
  t.is(renamed.body.client.name, 'Billing sync v2')
  t.is((await api('PATCH', `/api/v1/organizations/${org.id}/clients/${client.client_id}`, { expiry: '5' })).status, 400)
  t.is((await api('GET', `/api/v1/organizations/${org.id}/clients?page_size=10`)).body.total_size, 1)
  t.is((await api('POST', `/api/v1/organizations/${org.id}/clients`, { description: 'no name' })).status, 400)
  t.deepEqual((await api('DELETE', `/api/v1/organizations/${org.id}/clients/${client.client_id}`)).body, {})
  t.is((await api('GET', `/api/v1/organizations/${org.id}/clients/${client.client_id}`)).status, 404)
})

test('connections: create, list by organization and domain, enable, disable, delete', async (t) => {
  const emulator = await startEmulator(t)
  const api = restFor(emulator)
  const org = emulator.createOrganization({ displayName: 'Acme' })
  await api('POST', `/api/v1/organizations/${org.id}/domains`, { domain: 'acme.com', domain_type: 'ORGANIZATION_DOMAIN' })
  const created = await api('POST', `/api/v1/organizations/${org.id}/connections`, { provider: 'OKTA', type: 'SAML' })
  t.is(created.status, 201)
  const connection = created.body.connection
  t.regex(connection.id, /^conn_/)
  t.is(connection.status, 'DRAFT')
  t.false(connection.enabled)
  t.is((await api('POST', `/api/v1/organizations/${org.id}/connections`, { provider: 'OKTA', type: 'SMOKE_SIGNALS' })).status, 400)

  t.deepEqual((await api('GET', `/api/v1/connections?organization_id=${org.id}`)).body.connections, [], 'only active connections unless include=all')
  t.deepEqual((await api('GET', `/api/v1/connections?organization_id=${org.id}&include=all`)).body.connections.map((c) => c.id), [connection.id])
  t.deepEqual((await api('GET', '/api/v1/connections?domain=acme.com')).body.connections, [], 'only enabled connections by domain')
  t.deepEqual((await api('PATCH', `/api/v1/organizations/${org.id}/connections/${connection.id}:enable`)).body, { enabled: true })
  const byDomain = (await api('GET', '/api/v1/connections?domain=acme.com')).body.connections
  t.is(byDomain[0].organization_name, 'Acme')
  t.deepEqual(byDomain[0].domains, ['acme.com'])
  const fetched = (await api('GET', `/api/v1/organizations/${org.id}/connections/${connection.id}`)).body.connection
  t.true(fetched.enabled)
  t.is(fetched.domains[0].domain, 'acme.com')
  t.deepEqual((await api('PATCH', `/api/v1/organizations/${org.id}/connections/${connection.id}:disable`)).body, { enabled: false })
  t.deepEqual((await api('DELETE', `/api/v1/organizations/${org.id}/connections/${connection.id}`)).body, {})
  t.is((await api('GET', `/api/v1/organizations/${org.id}/connections/${connection.id}`)).status, 404)
  t.deepEqual(emulator.events().map((e) => e.type).filter((type) => type.includes('sso')), ['organization.sso_created', 'organization.sso_enabled', 'organization.sso_disabled', 'organization.sso_deleted'])
})

test('directories: create, seed users and groups, page and filter them, enable, delete', async (t) => {
  const emulator = await startEmulator(t)
  const api = restFor(emulator)
  const org = emulator.createOrganization({ displayName: 'Acme' })
  const created = await api('POST', `/api/v1/organizations/${org.id}/directories`, { directory_type: 'SCIM', directory_provider: 'OKTA' })
  t.is(created.status, 201)
  const directory = created.body.directory
  t.regex(directory.id, /^dir_/)
  t.is((await api('POST', `/api/v1/organizations/${org.id}/directories`, { directory_type: 'FAX', directory_provider: 'OKTA' })).status, 400)
  emulator.seedDirectory(directory.id, {
    groups: ['Engineering', 'Sales'],
    users: Array.from({ length: 12 }, (_, i) => ({ email: `u${i}@acme.com`, givenName: `U${i}`, groups: [i % 2 ? 'Sales' : 'Engineering'] })),
  })
  t.throws(() => emulator.seedDirectory(directory.id, { users: [{ email: 'x@acme.com', groups: ['Nope'] }] }), { message: /no group named Nope/ })

  const listed = (await api('GET', `/api/v1/organizations/${org.id}/directories`)).body.directories
  t.is(listed[0].total_users, 12)
  t.is(listed[0].total_groups, 2)
  const page = await api('GET', `/api/v1/organizations/${org.id}/directories/${directory.id}/users?page_size=5`)
  t.is(page.body.users.length, 5)
  t.is(page.body.total_size, 12)
  t.is(page.body.users[0].user_detail, undefined)
  const detailed = await api('GET', `/api/v1/organizations/${org.id}/directories/${directory.id}/users?page_size=5&include_detail=true`)
  t.is(detailed.body.users[0].user_detail.userName, 'u0@acme.com')
  const groups = (await api('GET', `/api/v1/organizations/${org.id}/directories/${directory.id}/groups`)).body.groups
  const sales = groups.find((g) => g.display_name === 'Sales')
  t.is(sales.total_users, 6)
  const salesUsers = await api('GET', `/api/v1/organizations/${org.id}/directories/${directory.id}/users?directory_group_id=${sales.id}&page_size=30`)
  t.is(salesUsers.body.total_size, 6)
  t.is((await api('GET', `/api/v1/organizations/${org.id}/directories/${directory.id}/users?page_size=31`)).status, 400)

  t.deepEqual((await api('PATCH', `/api/v1/organizations/${org.id}/directories/${directory.id}:enable`)).body, { enabled: true })
  t.true((await api('GET', `/api/v1/organizations/${org.id}/directories/${directory.id}`)).body.directory.enabled)
  t.deepEqual((await api('DELETE', `/api/v1/organizations/${org.id}/directories/${directory.id}`)).body, {})
  t.deepEqual((await api('GET', `/api/v1/organizations/${org.id}/directories`)).body.directories, [])
})

test('API tokens: create, validate, update claims, list, invalidate', async (t) => {
  const emulator = await startEmulator(t)
  const api = restFor(emulator)
  const org = emulator.createOrganization({ displayName: 'Acme' })
  const created = await api('POST', '/api/v1/tokens', { organization_id: org.id, custom_claims: { env: 'prod', team: 'core' }, description: 'CI' })
  t.is(created.status, 201)
  t.regex(created.body.token_id, /^apit_/)
  const token = created.body.token
  t.is((await api('POST', '/api/v1/tokens:validate', { token })).body.token_info.description, 'CI')
  const updated = await api('POST', '/api/v1/tokens:update', { token, custom_claims: { team: '', region: 'eu' } })
  t.deepEqual(updated.body.token_info.custom_claims, { env: 'prod', region: 'eu' })
  await api('POST', '/api/v1/tokens', { organization_id: org.id })
  const list = await api('GET', `/api/v1/tokens?organization_id=${org.id}&page_size=1`)
  t.is(list.body.total_count, 2)
  t.is(list.body.tokens.length, 1)
  t.deepEqual((await api('POST', '/api/v1/tokens:invalidate', { token })).body, {})
  t.is((await api('POST', '/api/v1/tokens:validate', { token })).status, 401)
  t.is((await api('POST', '/api/v1/tokens:validate', { token: 'skapi_unknown' })).status, 404)
  t.is((await api('POST', '/api/v1/tokens', { organization_id: org.id, expiry: '2001-01-01T00:00:00Z' })).status, 400)
  t.is((await api('GET', '/api/v1/tokens')).status, 400)
})

test('WebAuthn credentials and the event log', async (t) => {
  const emulator = await startEmulator(t)
  const api = restFor(emulator)
  const org = emulator.createOrganization({ displayName: 'Acme' })
  const user = (await api('POST', `/api/v1/organizations/${org.id}/users`, { email: 'pk@example.com' })).body.user
  const credential = emulator.addWebauthnCredential(user.id, 'MacBook')
  const list = await api('GET', `/api/v1/webauthn/credentials?user_id=${user.id}`)
  t.deepEqual(list.body.credentials.map((c) => c.display_name), ['MacBook'])
  t.deepEqual(list.body.all_accepted_credentials_options.all_accepted_credential_ids, [credential.credential_id])
  t.is((await api('PATCH', `/api/v1/webauthn/credentials/${credential.id}`, { display_name: 'Work laptop' })).body.credential.display_name, 'Work laptop')
  t.true((await api('DELETE', `/api/v1/webauthn/credentials/${credential.id}`)).body.success)
  t.deepEqual((await api('GET', `/api/v1/webauthn/credentials?user_id=${user.id}`)).body.credentials, [])

  const events = await api('POST', '/api/v1/events/paginated?page_size=10', { event_types: ['user.organization_membership_created'] })
  t.deepEqual(events.body.events.map((e) => e.type), ['user.organization_membership_created'])
  t.is(events.body.events[0].organization_id, org.id)
  const all = await api('POST', '/api/v1/events/paginated?page_size=1', {})
  t.is(all.body.events[0].type, 'organization.created')
  t.truthy(all.body.next_page_token)
})

test('seedOrganization creates an organization with members in one call', async (t) => {
  const emulator = await startEmulator(t)
  const { organization, users } = emulator.seedOrganization({
    displayName: 'Seeded Inc',
    externalId: 'seeded',
    users: [{ email: 'a@seeded.com', givenName: 'Ann', roles: ['admin'] }, { email: 'b@seeded.com' }],
  })
  t.regex(organization.id, /^org_/)
  t.is(organization.externalId, 'seeded')
  t.deepEqual(users.map((u) => u.email), ['a@seeded.com', 'b@seeded.com'])
  t.is(users[0].userProfile.givenName, 'Ann')
  t.deepEqual(users[0].memberships[0].roles.map((r) => r.name), ['admin'])
  t.is(users[1].memberships[0].membershipStatus, 'ACTIVE')
  const page = await clientFor(emulator).organization.listOrganizations({ externalId: 'seeded' })
  t.is(page.organizations[0].id, organization.id)
  t.throws(() => emulator.seedOrganization({ displayName: 'Bad', users: [{ email: 'not-an-email' }] }), { message: /email/ })
})

test('user role assignment, base roles, organization defaults and app connections', async (t) => {
  const emulator = await startEmulator(t)
  const api = restFor(emulator)
  const { organization: org, users } = emulator.seedOrganization({ displayName: 'Acme', users: [{ email: 'r@acme.com' }] })
  const user = users[0]
  await api('POST', '/api/v1/roles', { name: 'viewer' })
  await api('POST', '/api/v1/roles', { name: 'editor', extends: 'viewer' })
  await api('POST', `/api/v1/organizations/${org.id}/roles`, { name: 'acme-lead', extends: 'editor' })

  // The binding's body is a bare array (REFERENCE.md §4).
  const assigned = await api('POST', `/api/v1/organizations/${org.id}/users/${user.id}/roles`, [{ role_name: 'editor' }, { role_name: 'acme-lead' }])
  t.deepEqual(assigned.body.roles.map((r) => r.name), ['member', 'editor', 'acme-lead'])
  t.is((await api('GET', `/api/v1/organizations/${org.id}/roles/acme-lead/users:count`)).body.count, '1')
  t.deepEqual((await api('DELETE', `/api/v1/organizations/${org.id}/users/${user.id}/roles/member`)).body, {})
  t.is((await api('DELETE', `/api/v1/organizations/${org.id}/users/${user.id}/roles/member`)).status, 404)
  t.deepEqual((await api('GET', `/api/v1/organizations/${org.id}/users/${user.id}/roles`)).body.roles.map((r) => r.name), ['editor', 'acme-lead'])

  t.deepEqual((await api('DELETE', '/api/v1/roles/editor/base')).body, {})
  t.is((await api('GET', '/api/v1/roles/editor')).body.role.extends, undefined)
  t.is((await api('DELETE', '/api/v1/roles/editor/base')).status, 400)
  t.deepEqual((await api('DELETE', `/api/v1/organizations/${org.id}/roles/acme-lead/base`)).body, {})
  const defaults = await api('PATCH', `/api/v1/organizations/${org.id}/roles:set_defaults`, { default_member_role: 'acme-lead' })
  t.is(defaults.body.default_member.name, 'acme-lead')

  await api('POST', `/api/v1/organizations/${org.id}/connections`, { provider: 'GOOGLE', type: 'OIDC' })
  await api('POST', `/api/v1/organizations/${org.id}/connections`, { provider: 'OKTA', type: 'SAML' })
  const app = await api('GET', '/api/v1/connections/app?provider=OKTA&page_size=10')
  t.is(app.body.total_size, 1)
  t.is(app.body.connections[0].provider, 'OKTA')
})

test('importRecords adds organizations and users exactly as given, served through the API', async (t) => {
  const emulator = await startEmulator(t)
  const api = restFor(emulator)
  const organization = {
    id: 'org_700', display_name: 'Imported', external_id: 'crm-1', region_code: 'EU', slug: 'imported', logo_url: 'https://cdn.example.com/l.png',
    create_time: '2025-01-01T09:30:00.123456Z', update_time: '2025-01-01T09:30:42.123456Z', metadata: { a: '1', b: '2', c: '3' },
    settings: { features: [{ name: 'sso', enabled: true }, { name: 'dir_sync', enabled: false }] }, unset: null,
  }
  const user = { id: 'usr_700', email: 'a@imported.example', create_time: '2025-01-01T09:30:00Z', memberships: [{ organization_id: 'org_700', membership_status: 'ACTIVE', roles: [{ name: 'admin' }], metadata: { seat: 'full' } }], user_profile: { id: 'usp_700', given_name: 'A', custom_attributes: { employee_id: 'E1' } } }
  t.deepEqual(emulator.importRecords({ organizations: [organization], users: [user] }), { organizations: 1, users: 1 })
  const { unset, ...served } = organization
  t.deepEqual((await api('GET', '/api/v1/organizations/org_700')).body.organization, served, 'as given, the null left out')
  t.deepEqual((await api('GET', '/api/v1/users/usr_700')).body.user, user)
  t.throws(() => emulator.importRecords({ organizations: [organization] }), { message: /already in use/ })
  t.throws(() => emulator.importRecords({ users: [{ email: 'x' }] }), { message: /needs an id/ })
})

test('records imported without the lists the emulator keeps (settings, memberships, roles) can still be changed', async (t) => {
  // Found by fuzzing the emulator: each of these panicked on a record imported without the list.
  const emulator = await startEmulator(t, { checkConformance: false })
  const api = restFor(emulator)
  emulator.importRecords({ organizations: [{ id: 'org_800', display_name: 'Bare' }], users: [{ id: 'usr_800', email: 'bare@imported.example' }, { id: 'usr_801', email: 'roleless@imported.example', memberships: [{ organization_id: 'org_800' }] }] })
  const settings = await api('PATCH', '/api/v1/organizations/org_800/settings', { features: [{ name: 'sso', enabled: true }] })
  t.is(settings.status, 200)
  t.deepEqual(settings.body.organization.settings.features, [{ name: 'sso', enabled: true }])
  t.is((await api('POST', '/api/v1/memberships/organizations/org_800/users/usr_800', { roles: [{ name: 'admin' }] })).status, 201)
  t.is((await api('DELETE', '/api/v1/memberships/organizations/org_800/users/usr_800')).status, 200)
  t.is((await api('POST', '/api/v1/organizations/org_800/users/usr_801/roles', [{ role_name: 'admin' }])).status, 200)
  t.is((await api('DELETE', '/api/v1/organizations/org_800/users/usr_801/roles/admin')).status, 200)
})

test('requests refused before any handler runs still get Scalekit-shaped (or OAuth-shaped) errors', async (t) => {
  // Found by fuzzing the emulator: axum's own answers were an empty 405 and plain-text 400 and 415.
  const emulator = await startEmulator(t, { checkConformance: false })
  const api = restFor(emulator)
  await api('GET', '/api/v1/organizations')
  const token = emulator.issuedTokens().at(-1)
  const wrongMethod = await fetch(`${emulator.url}/api/v1/organizations`, { method: 'PUT', headers: { authorization: `Bearer ${token}` } })
  t.is(wrongMethod.status, 405)
  t.like(await wrongMethod.json(), { code: 12, details: [{ error_code: 'UNIMPLEMENTED' }] })
  const badUtf8 = await fetch(`${emulator.url}/api/v1/organizations/%FF`, { headers: { authorization: `Bearer ${token}` } })
  t.is(badUtf8.status, 400)
  t.like(await badUtf8.json(), { code: 3, details: [{ error_code: 'INVALID_ARGUMENT' }] })
  const notAForm = await fetch(`${emulator.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  t.is(notAForm.status, 415)
  t.like(await notAForm.json(), { error: 'invalid_request' })
  // Each OAuth endpoint refuses a method it does not serve as OAuth does, with its Allow header.
  const oauthEndpoints = { '/oauth/token': 'POST', '/oauth/authorize': 'GET', '/resources/res_1/oauth/token': 'POST', '/resources/res_1/oauth/authorize': 'GET', '/api/v1/resources/res_1/clients:register': 'POST' }
  for (const [path, allowed] of Object.entries(oauthEndpoints)) {
    const response = await fetch(`${emulator.url}${path}`, { method: 'PUT' })
    t.is(response.status, 405, path)
    t.is(response.headers.get('allow'), allowed === 'GET' ? 'GET,HEAD' : allowed, path)
    t.like(await response.json(), { error: 'invalid_request' }, path)
  }
  // Paths that only look like them answer in Scalekit's shape. Found by fuzzing: the tool proxy's
  // /proxy/clients:register was once taken for registration.
  const lookalikes = [['GET', '/proxy/clients:register', 400], ['PUT', '/api/v1/proxy/x/oauth/token', 400], ['POST', '/resources/a/b/oauth/token', 404], ['POST', '/api/v1/clients:register', 404], ['POST', '/x/oauth/token', 404]]
  for (const [method, path, status] of lookalikes) {
    const response = await fetch(`${emulator.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } })
    t.is(response.status, status, path)
    const body = await response.json()
    t.is(typeof body.code, 'number', path)
    t.is(body.error, undefined, path)
  }
})
