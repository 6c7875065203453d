'use strict'
// client.domain and client.session against the emulator: the request each method sent and its result.
const test = require('ava')
const sk = require('..')
const { startEmulator, clientFor, lastRequest } = require('./helpers')


test('domains: create (name or the official enum number), get, list by page number and type, delete', async (t) => {
  const emulator = await startEmulator(t)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  const client = clientFor(emulator)
  const { domain } = await client.domain.createDomain(acme.id, 'acme.com', { domainType: 'ORGANIZATION_DOMAIN' })
  t.like(lastRequest(emulator), { method: 'POST', path: `/api/v1/organizations/${acme.id}/domains` })
  t.deepEqual(lastRequest(emulator).body, { domain: 'acme.com', domain_type: 'ORGANIZATION_DOMAIN' })
  t.regex(domain.id, /^dom_/)
  t.like(domain, { domain: 'acme.com', domainType: 'ORGANIZATION_DOMAIN', organizationId: acme.id, txtRecordKey: '_scalekit-verification.acme.com' })
  t.regex(domain.txtRecordSecret, /^scalekit-verification=\d+$/, 'the DNS record to add, as the official SDK reads it')
  // DomainType.ALLOWED_EMAIL_DOMAIN is 1 in the official SDK.
  await client.domain.createDomain(acme.id, 'acme.io', { domainType: 1 })
  t.deepEqual(lastRequest(emulator).body, { domain: 'acme.io', domain_type: 'ALLOWED_EMAIL_DOMAIN' })
  await client.domain.createDomain(acme.id, 'acme.org')
  t.deepEqual(lastRequest(emulator).body, { domain: 'acme.org' })

  t.deepEqual(await client.domain.getDomain(acme.id, domain.id), { domain })
  t.like(lastRequest(emulator), { method: 'GET', path: `/api/v1/organizations/${acme.id}/domains/${domain.id}` })

  const all = await client.domain.listDomains(acme.id)
  t.like(lastRequest(emulator), { method: 'GET', path: `/api/v1/organizations/${acme.id}/domains`, query: null })
  t.deepEqual(all.domains.map((d) => d.domain).sort(), ['acme.com', 'acme.io', 'acme.org'])
  const allowed = await client.domain.listDomains(acme.id, { domainType: 'ALLOWED_EMAIL_DOMAIN' })
  t.is(lastRequest(emulator).query, 'domain_type=ALLOWED_EMAIL_DOMAIN')
  t.deepEqual(allowed.domains.map((d) => d.domain), ['acme.io'])
  const second = await client.domain.listDomains(acme.id, { pageSize: 2, pageNumber: 1 })
  t.is(lastRequest(emulator).query, 'page_size=2&page_number=1')
  t.like(second, { pageSize: 2, pageNumber: 1 })
  t.is(second.domains.length, 1)

  t.deepEqual(await client.domain.deleteDomain(acme.id, domain.id), {})
  t.like(lastRequest(emulator), { method: 'DELETE', path: `/api/v1/organizations/${acme.id}/domains/${domain.id}` })
  await t.throwsAsync(client.domain.getDomain(acme.id, domain.id), { instanceOf: sk.ScalekitNotFoundException })

  for (const [call, field] of [[() => client.domain.createDomain('', 'a.com'), 'organizationId'], [() => client.domain.createDomain(acme.id, ' '), 'name'],
    [() => client.domain.createDomain(acme.id, 'a.com', { domainType: 'PRIMARY' }), 'options.domainType'], [() => client.domain.getDomain(acme.id, ''), 'domainId'],
    [() => client.domain.listDomains(acme.id, { pageNumber: -1 }), 'options.pageNumber']]) {
    t.is((await t.throwsAsync(call, { instanceOf: sk.ScalekitValidationException })).field, field)
  }
})

const REDIRECT = 'http://localhost:3000/callback'

/** Signs `email` in `times` times through the emulator's OAuth server, opening that many sessions. */
async function signIn(emulator, email, times) {
  for (let i = 0; i < times; i++) {
    const query = new URLSearchParams({ response_type: 'code', client_id: emulator.clientId, redirect_uri: REDIRECT, scope: 'openid', login_hint: email })
    const location = new URL((await fetch(`${emulator.url}/oauth/authorize?${query}`, { redirect: 'manual' })).headers.get('location'))
    await fetch(`${emulator.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: location.searchParams.get('code'), redirect_uri: REDIRECT, client_id: emulator.clientId, client_secret: emulator.clientSecret }),
    })
  }
}

test('sessions: list a user\'s with paging and filters, get one, revoke one, revoke all', async (t) => {
  const emulator = await startEmulator(t)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  const client = clientFor(emulator)
  const { user } = await client.user.createUserAndMembership(acme.id, { email: 'jane@example.com', sendInvitationEmail: false })
  await signIn(emulator, 'jane@example.com', 3)

  const page = await client.session.getUserSessions(user.id, { pageSize: 2 })
  t.like(lastRequest(emulator), { method: 'GET', path: `/api/v1/users/${user.id}/sessions`, query: 'page_size=2' })
  t.is(page.sessions.length, 2)
  t.is(page.totalSize, 3)
  t.truthy(page.nextPageToken)
  const session = page.sessions[0]
  t.regex(session.sessionId, /^ses_/)
  t.like(session, { userId: user.id, status: 'ACTIVE' })

  const since = new Date(Date.now() - 60_000)
  await client.session.getUserSessions(user.id, { filter: { status: ['ACTIVE', 'REVOKED'], startTime: since, endTime: '2999-01-01T00:00:00+01:00' } })
  const query = new URLSearchParams(lastRequest(emulator).query)
  t.deepEqual(query.getAll('filter.status'), ['ACTIVE', 'REVOKED'])
  t.regex(query.get('filter.start_time'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, 'a Date, as RFC 3339 in UTC')
  t.is(Date.parse(query.get('filter.start_time')), since.getTime(), 'to the millisecond')
  t.is(query.get('filter.end_time'), '2998-12-31T23:00:00Z', 'converted to UTC')

  const details = await client.session.getSession(session.sessionId)
  t.like(lastRequest(emulator), { method: 'GET', path: `/api/v1/sessions/${session.sessionId}` })
  t.is(details.sessionId, session.sessionId)

  const { revokedSession } = await client.session.revokeSession(session.sessionId)
  t.like(lastRequest(emulator), { method: 'POST', path: `/api/v1/sessions/${session.sessionId}/revoke`, body: null })
  t.like(revokedSession, { sessionId: session.sessionId, status: 'REVOKED' })

  const all = await client.session.revokeAllUserSessions(user.id)
  t.like(lastRequest(emulator), { method: 'POST', path: `/api/v1/users/${user.id}/sessions/revoke`, body: null })
  t.is(all.totalRevoked, 2)
  t.is(all.revokedSessions.length, 2)
  t.is((await client.session.getUserSessions(user.id, { filter: { status: ['ACTIVE'] } })).totalSize, 0)

  for (const [call, field] of [[() => client.session.getSession(''), 'sessionId'], [() => client.session.revokeAllUserSessions(' '), 'userId'],
    [() => client.session.getUserSessions(user.id, { filter: { startTime: 'yesterday' } }), 'options.filter.startTime'],
    [() => client.session.getUserSessions(user.id, { filter: { startTime: new Date(NaN) } }), 'options.filter.startTime']]) {
    t.is((await t.throwsAsync(call, { instanceOf: sk.ScalekitValidationException })).field, field)
  }
})
