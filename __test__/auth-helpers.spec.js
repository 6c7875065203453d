'use strict'
// The sign-in helpers that make no request: authorization and logout URLs (byte for byte
// what @scalekit-sdk/node 2.11.0 builds), PKCE, and webhook/interceptor verification,
// checked against an independent Standard Webhooks implementation (the standardwebhooks package).
const test = require('ava')
const crypto = require('node:crypto')
const { Webhook } = require('standardwebhooks')
const sk = require('..')

const client = new sk.ScalekitClient('https://acme.scalekit.dev', 'skc_1', 'secret')

// Produced by the official SDK's getAuthorizationUrl / getLogoutUrl for the same arguments.
const OFFICIAL_URLS = [
  [['https://app.example/cb?x=1&y=2', {}],
    'https://acme.scalekit.dev/oauth/authorize?response_type=code&client_id=skc_1&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1%26y%3D2&scope=openid%20profile%20email'],
  [['http://localhost:3000/callback', { state: "st:1/2 ~'!*()", nonce: 'n', loginHint: 'a+b@example.com', domainHint: 'acme.com', connectionId: 'conn_1', organizationId: 'org_1', codeChallenge: 'abc-_', codeChallengeMethod: 'S256', provider: 'google', prompt: 'login', scopes: ['openid', 'offline_access', 'ü'] }],
    'https://acme.scalekit.dev/oauth/authorize?response_type=code&client_id=skc_1&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcallback&scope=openid%20offline_access%20%C3%BC&state=st%3A1%2F2%20~%27%21%2A%28%29&nonce=n&login_hint=a%2Bb%40example.com&domain_hint=acme.com&domain=acme.com&connection_id=conn_1&organization_id=org_1&code_challenge=abc-_&code_challenge_method=S256&provider=google&prompt=login'],
]

test('getAuthorizationUrl builds the official URL, parameters in the official order and encoding', (t) => {
  for (const [args, expected] of OFFICIAL_URLS) t.is(client.getAuthorizationUrl(...args), expected)
  t.regex(client.getAuthorizationUrl('https://app/cb', { state: '', nonce: undefined }), /scope=openid%20profile%20email$/, 'blank options are left out')
  const error = t.throws(() => client.getAuthorizationUrl('https://app/cb', { codeChallenge: 'x', codeChallengeMethod: 'plain' }), { instanceOf: sk.ScalekitValidationException })
  t.is(error.field, 'options.codeChallengeMethod')
  t.is(t.throws(() => client.getAuthorizationUrl(''), { instanceOf: sk.ScalekitValidationException }).message, 'redirectUri is required')
})

test('getLogoutUrl adds only the options given, in the official order', (t) => {
  t.is(client.getLogoutUrl(), 'https://acme.scalekit.dev/oidc/logout')
  t.is(client.getLogoutUrl({ idTokenHint: 'tok', postLogoutRedirectUri: 'https://app/?a=b c', state: 's' }),
    'https://acme.scalekit.dev/oidc/logout?id_token_hint=tok&post_logout_redirect_uri=https%3A%2F%2Fapp%2F%3Fa%3Db%20c&state=s')
  t.is(client.getLogoutUrl({ state: 'only' }), 'https://acme.scalekit.dev/oidc/logout?state=only')
})

test('generatePkce gives a fresh verifier and its S256 challenge', (t) => {
  const pkce = sk.generatePkce()
  t.regex(pkce.codeVerifier, /^[A-Za-z0-9_-]{43}$/)
  t.is(pkce.codeChallenge, crypto.createHash('sha256').update(pkce.codeVerifier).digest('base64url'))
  t.is(pkce.codeChallengeMethod, 'S256')
  t.not(sk.generatePkce().codeVerifier, pkce.codeVerifier)
})

const SECRET = `whsec_${crypto.randomBytes(24).toString('base64')}`
const OTHER = `whsec_${crypto.randomBytes(24).toString('base64')}`

/** Headers of a payload signed by the standardwebhooks package. */
function signed(payload, { secret = SECRET, id = 'msg_1', at = new Date(), prefix = 'webhook' } = {}) {
  const signature = new Webhook(secret).sign(id, at, typeof payload === 'string' ? payload : Buffer.from(payload).toString())
  return { [`${prefix}-id`]: id, [`${prefix}-timestamp`]: String(Math.floor(at.getTime() / 1000)), [`${prefix}-signature`]: signature }
}

function reasonOf(t, call) {
  const error = t.throws(call, { instanceOf: sk.WebhookVerificationError })
  t.true(error instanceof sk.ScalekitException)
  return [error.reason, error.message]
}

test('verifyWebhookPayload accepts what standardwebhooks signs and rejects the rest, with a reason', (t) => {
  const body = '{"type":"organization.created","data":{"id":"org_1"}}'
  const headers = signed(body)
  t.true(client.verifyWebhookPayload(SECRET, headers, body))
  t.notThrows(() => new Webhook(SECRET).verify(body, headers), 'the independent implementation agrees')

  t.deepEqual(reasonOf(t, () => client.verifyWebhookPayload(SECRET, headers, body.replace('org_1', 'org_2'))), ['bad_signature', 'Invalid Signature'])
  t.throws(() => new Webhook(SECRET).verify(body.replace('org_1', 'org_2'), headers), undefined, 'so does the independent one')
  t.deepEqual(reasonOf(t, () => client.verifyWebhookPayload(OTHER, headers, body)), ['bad_signature', 'Invalid Signature'])
  t.deepEqual(reasonOf(t, () => client.verifyWebhookPayload(SECRET, signed(body, { at: new Date(Date.now() - 301_000) }), body)), ['too_old', 'Message timestamp too old'])
  t.deepEqual(reasonOf(t, () => client.verifyWebhookPayload(SECRET, signed(body, { at: new Date(Date.now() + 301_000) }), body)), ['too_new', 'Message timestamp too new'])
  t.true(client.verifyWebhookPayload(SECRET, signed(body, { at: new Date(Date.now() - 290_000) }), body), 'within the 300 s tolerance')
  const { 'webhook-id': _, ...withoutId } = headers
  t.deepEqual(reasonOf(t, () => client.verifyWebhookPayload(SECRET, withoutId, body)), ['missing_header', 'Missing required headers'])
  t.deepEqual(reasonOf(t, () => client.verifyWebhookPayload('nounderscore', headers, body)), ['invalid_secret', 'Invalid secret'])
  t.deepEqual(reasonOf(t, () => client.verifyWebhookPayload(SECRET, { ...headers, 'webhook-timestamp': 'soon' }, body)), ['invalid_timestamp', 'Invalid Signature Headers'])
})

test('a secret that is not strict base64 is keyed as the official SDK keys it: with Node\'s own base64 decoding', (t) => {
  const body = '{"type":"user.signup"}'
  // The official SDK's own test fixture is `whsec_test-secret`; it signs with Buffer.from(parts[1], 'base64').
  for (const secret of ['whsec_test-secret', `whsec_${crypto.randomBytes(24).toString('base64').replace(/=+$/, '')}`, 'whsec_dG Vz\ndA==', 'whsec_']) {
    const key = Buffer.from(secret.split('_')[1], 'base64')
    const id = 'msg_2'
    const at = Math.floor(Date.now() / 1000)
    const signature = crypto.createHmac('sha256', key).update(`${id}.${at}.${body}`).digest('base64')
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(at), 'webhook-signature': `v1,${signature}` }
    t.true(client.verifyWebhookPayload(secret, headers, body), secret)
    t.true(client.verifyInterceptorPayload(secret, { 'interceptor-id': id, 'interceptor-timestamp': String(at), 'interceptor-signature': `v1,${signature.replace(/=+$/, '')}` }, body))
    t.deepEqual(reasonOf(t, () => client.verifyWebhookPayload(secret, headers, `${body} `)), ['bad_signature', 'Invalid Signature'])
  }
})

test('several signatures, rotated secrets, Buffer and Uint8Array payloads, any header shape', (t) => {
  const body = '{"a":1}'
  const headers = signed(body)
  const several = { ...headers, 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')} v2,abc ${headers['webhook-signature']}` }
  t.true(client.verifyWebhookPayload(SECRET, several, body))
  t.true(client.verifyWebhookPayload([OTHER, SECRET], headers, body), 'the old and the new secret during rotation')
  t.true(client.verifyWebhookPayload(SECRET, headers, Buffer.from(body)))
  t.true(client.verifyWebhookPayload(SECRET, headers, new TextEncoder().encode(body)))
  t.true(client.verifyWebhookPayload(SECRET, new Headers(headers), body), 'a fetch Headers')
  const shouted = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), [v]]))
  t.true(client.verifyWebhookPayload(SECRET, shouted, body), 'any case, and array values as IncomingHttpHeaders may hold')
  const [reason, message] = reasonOf(t, () => client.verifyWebhookPayload(SECRET, headers, JSON.parse(body)))
  t.is(reason, 'parsed_payload')
  t.regex(message, /pass the raw body/)
})

test('verifyInterceptorPayload reads the interceptor-* headers', (t) => {
  const body = '{"interceptor":"pre-signup"}'
  t.true(client.verifyInterceptorPayload(SECRET, signed(body, { prefix: 'interceptor' }), body))
  t.deepEqual(reasonOf(t, () => client.verifyInterceptorPayload(SECRET, signed(body), body)), ['missing_header', 'Missing required headers'])
})

test('constructWebhookEvent verifies, then gives the event in camelCase, your own data untouched', (t) => {
  const event = { spec_version: '1', id: 'evt_1', type: 'organization.created', object: 'Organization', occurred_at: '2026-01-01T00:00:00Z',
    environment_id: 'env_1', organization_id: 'org_1', data: { id: 'org_1', display_name: 'Acme', metadata: { plan_tier: 'pro' } } }
  const body = JSON.stringify(event)
  const parsed = client.constructWebhookEvent(SECRET, signed(body), Buffer.from(body))
  t.deepEqual(parsed, { specVersion: '1', id: 'evt_1', type: 'organization.created', object: 'Organization', occurredAt: '2026-01-01T00:00:00Z',
    environmentId: 'env_1', organizationId: 'org_1', data: { id: 'org_1', displayName: 'Acme', metadata: { plan_tier: 'pro' } } })
  t.is(t.throws(() => client.constructWebhookEvent(SECRET, signed(body), body.replace('Acme', 'Evil'))).reason, 'bad_signature')
})
