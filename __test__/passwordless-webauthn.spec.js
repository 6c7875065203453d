'use strict'
// client.passwordless and client.webauthn against the emulator: the request each method sent and its result.
const test = require('ava')
const sk = require('..')
const { startEmulator, clientFor, lastRequest } = require('./helpers')

test('passwordless: send (name or the official enum number), verify by code, resend, verify by link token', async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)

  const sent = await client.passwordless.sendPasswordlessEmail('ada@example.com', {
    template: 'SIGNIN',
    state: 'resume-42',
    magiclinkAuthUri: 'https://app.example.com/auth/magic',
    expiresIn: 600,
    templateVariables: { first_name: 'Ada' },
  })
  t.like(lastRequest(emulator), { method: 'POST', path: '/api/v1/passwordless/email/send', status: 200 })
  t.deepEqual(lastRequest(emulator).body, {
    email: 'ada@example.com',
    template: 'SIGNIN',
    state: 'resume-42',
    magiclink_auth_uri: 'https://app.example.com/auth/magic',
    expires_in: 600,
    template_variables: { first_name: 'Ada' },
  })
  t.regex(sent.authRequestId, /^ar_/)
  t.is(typeof sent.expiresAt, 'number', 'int64 unix seconds as a number, not a bigint or a string')
  t.true(Math.abs(sent.expiresAt - (Date.now() / 1000 + 600)) < 30)
  t.is(sent.expiresIn, 600)
  t.truthy(sent.passwordlessType)

  const email = emulator.passwordlessEmail('ada@example.com')
  const verified = await client.passwordless.verifyPasswordlessEmail({ code: email.code }, sent.authRequestId)
  t.deepEqual(lastRequest(emulator).body, { code: email.code, auth_request_id: sent.authRequestId })
  t.like(verified, { email: 'ada@example.com', state: 'resume-42', template: 'SIGNIN' })
  await t.throwsAsync(client.passwordless.verifyPasswordlessEmail({ code: email.code }, sent.authRequestId), { instanceOf: sk.ScalekitServerException }, 'a code works once')

  // TemplateType.SIGNUP = 2 in the official SDK.
  const second = await client.passwordless.sendPasswordlessEmail('bob@example.com', { template: 2 })
  t.deepEqual(lastRequest(emulator).body, { email: 'bob@example.com', template: 'SIGNUP' })
  const resent = await client.passwordless.resendPasswordlessEmail(second.authRequestId)
  t.like(lastRequest(emulator), { method: 'POST', path: '/api/v1/passwordless/email/resend' })
  t.deepEqual(lastRequest(emulator).body, { auth_request_id: second.authRequestId })
  t.is(resent.authRequestId, second.authRequestId)
  const bob = emulator.passwordlessEmail('bob@example.com')
  t.is(bob.sentCount, 2)
  const byLink = await client.passwordless.verifyPasswordlessEmail({ linkToken: bob.linkToken })
  t.deepEqual(lastRequest(emulator).body, { link_token: bob.linkToken })
  t.like(byLink, { email: 'bob@example.com', template: 'SIGNUP' })

  for (const [call, field] of [
    [() => client.passwordless.sendPasswordlessEmail('not-an-email'), 'email'],
    [() => client.passwordless.sendPasswordlessEmail('a@example.com', { template: 'LOGIN' }), 'options.template'],
    [() => client.passwordless.sendPasswordlessEmail('a@example.com', { expiresIn: -5 }), 'options.expiresIn'],
    [() => client.passwordless.verifyPasswordlessEmail({}), 'credential'],
    [() => client.passwordless.verifyPasswordlessEmail({ code: '123456' }), 'authRequestId'],
    [() => client.passwordless.resendPasswordlessEmail(' '), 'authRequestId'],
  ]) {
    t.is((await t.throwsAsync(call, { instanceOf: sk.ScalekitValidationException })).field, field)
  }
  const bad = await t.throwsAsync(client.passwordless.sendPasswordlessEmail('not-an-email'), { instanceOf: sk.ScalekitValidationException })
  t.false(bad.message.includes('not-an-email'), 'the address is not echoed (it would reach logs)')
  // The official SDK's messages, for code that matches on them.
  for (const [call, message] of [
    [() => client.passwordless.sendPasswordlessEmail(''), 'Email must be a valid string'],
    [() => client.passwordless.sendPasswordlessEmail('a@example.com', { template: 'INVALID_TEMPLATE' }), 'Invalid template type'],
    [() => client.passwordless.verifyPasswordlessEmail({}), 'Either code or linkToken must be provided'],
  ]) {
    t.is((await t.throwsAsync(call, { instanceOf: Error })).message, message)
  }
})

test('webauthn: list, rename and delete a user’s passkeys', async (t) => {
  const emulator = await startEmulator(t)
  const acme = emulator.createOrganization({ displayName: 'Acme' })
  const client = clientFor(emulator)
  const { user } = await client.user.createUserAndMembership(acme.id, { email: 'ada@acme.com' })
  const added = emulator.addWebauthnCredential(user.id, 'MacBook')
  emulator.addWebauthnCredential(user.id)

  const listed = await client.webauthn.listCredentials(user.id)
  t.like(lastRequest(emulator), { method: 'GET', path: '/api/v1/webauthn/credentials', query: `user_id=${user.id}` })
  t.is(listed.credentials.length, 2)
  t.like(listed.credentials[0], { id: added.id, userId: user.id, displayName: 'MacBook', authenticatorFlags: { userPresent: true, userVerified: true } })
  t.deepEqual(listed.allAcceptedCredentialsOptions.allAcceptedCredentialIds.length, 2)
  t.is(listed.allAcceptedCredentialsOptions.userId, user.id)

  const { credential } = await client.webauthn.updateCredential(added.id, 'Work laptop')
  t.like(lastRequest(emulator), { method: 'PATCH', path: `/api/v1/webauthn/credentials/${added.id}` })
  t.deepEqual(lastRequest(emulator).body, { display_name: 'Work laptop' })
  t.is(credential.displayName, 'Work laptop')

  const deleted = await client.webauthn.deleteCredential(added.id)
  t.like(lastRequest(emulator), { method: 'DELETE', path: `/api/v1/webauthn/credentials/${added.id}` })
  t.true(deleted.success)
  t.is(deleted.unknownCredentialOptions.credentialId, added.credential_id)
  t.is((await client.webauthn.listCredentials(user.id)).credentials.length, 1)
  await t.throwsAsync(client.webauthn.deleteCredential(added.id), { instanceOf: sk.ScalekitNotFoundException })
  for (const [call, field] of [
    [() => client.webauthn.listCredentials(''), 'userId'],
    [() => client.webauthn.updateCredential(added.id, ' '), 'displayName'],
    [() => client.webauthn.deleteCredential(''), 'credentialId'],
  ]) {
    t.is((await t.throwsAsync(call, { instanceOf: sk.ScalekitValidationException })).field, field)
  }
})
