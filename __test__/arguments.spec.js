'use strict'
// A value of the wrong JS type is a ScalekitValidationException that names the
// argument and the expected type, and never shows the value: napi-rs's own
// message for a string argument echoes it whole.
const test = require('ava')
const util = require('node:util')
const sk = require('..')
const { ScalekitEmulator } = require('../testing')
const native = require('../native.js')

const binding = native.client()

const SECRET = 'sk_live_TOPSECRET_9f8e7d6c5b4a'
const VALID = { 'a string': 'x', 'a number': 1, 'a boolean': true, 'an object': {}, 'an array': [] }
// Both addons: the client's, and the emulator's (scalekit-native/testing).
const signatures = { ...binding.__jsParameters(), ...native.testing().__jsParameters() }
// Objects with required fields, so that a later argument is reached.
const VALID_OBJECTS = {
  'UserClient.createUserAndMembership.options': { email: 'a@example.com' },
  'OrganizationClient.updateOrganizationSettings.settings': { features: [] },
  'OrganizationClient.updateOrganizationSessionPolicy.policy': { policySource: 'APPLICATION' },
  'ConnectionClient.createConnection.connection': { provider: 'OKTA', type: 'SAML' },
  'DirectoryClient.createDirectory.directory': { directoryType: 'SCIM', directoryProvider: 'OKTA' },
  'RoleClient.createRole.role': { name: 'viewer' },
  'RoleClient.createOrganizationRole.role': { name: 'viewer' },
  'PermissionClient.createPermission.permission': { name: 'invoices:read' },
  'PermissionClient.updatePermission.permission': { name: 'invoices:read' },
  'ActionsClient.verifyConnectedAccountUser.params': { authRequestId: 'ar_1', identifier: 'a' },
  'ConnectedAccountsClient.verifyConnectedAccountUser.params': { authRequestId: 'ar_1', identifier: 'a' },
  'ActionsClient.executeTool.params': { toolName: 'x' },
  'ToolsClient.executeTool.params': { toolName: 'x' },
  'ActionsClient.request.params': { connectionName: 'c', identifier: 'a', path: '/x' },
  'McpClient.createMcpConfig.config': { name: 'x' },
  'ScalekitEmulator.registerTool.tool': { name: 'x', provider: 'X' },
  'McpEmulator.mintAccessToken.options': { resourceId: 'res_1' },
  'McpResourceServerCore.constructor.options': { environmentUrl: 'https://acme.scalekit.dev', resourceId: 'res_1', serverUrl: 'https://mcp.example.com/mcp' },
}

function parse(parameter) {
  const [, name, optional, type] = /^(\w+)(\??): (.*)$/.exec(parameter)
  return { name, optional: optional === '?', type }
}

/** The error of a call, sync or async, or null. */
async function failure(call) {
  try {
    await call()
  } catch (error) {
    return error
  }
  return null
}

function assertClean(t, error, label) {
  t.truthy(error, `${label}: must fail`)
  if (!error) return
  for (const text of [error.message, error.stack, String(error), util.inspect(error), JSON.stringify(error)]) {
    t.false(String(text).includes('TOPSECRET'), `${label}: the value leaked: ${text}`)
  }
}

test('every parameter of every method: a wrong type names the argument and hides the value', async (t) => {
  const emulator = await ScalekitEmulator.start()
  t.teardown(() => emulator.stop())
  const client = new sk.ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
  const targets = {
    ScalekitClient: (args) => new sk.ScalekitClient(...args),
    ScalekitEmulator: (method, args) => emulator[method](...args),
    McpEmulator: (method, args) => emulator.mcp[method](...args),
    // The two classes constructed on their own: a valid instance, or the constructor itself.
    McpResourceServerCore: (method, args) => (method === 'constructor' ? new sk.McpResourceServerCore(...args) : new sk.McpResourceServerCore(VALID_OBJECTS['McpResourceServerCore.constructor.options'])[method](...args)),
    SessionSealer: (method, args) => (method === 'constructor' ? new sk.SessionSealer(...args) : new sk.SessionSealer('x'.repeat(32))[method](...args)),
  }
  let checked = 0
  for (const [className, methods] of Object.entries(signatures)) {
    for (const [method, parameters] of Object.entries(methods)) {
      const params = parameters.map(parse)
      for (let position = 0; position < params.length; position++) {
        const { name, type } = params[position]
        if (className === 'ScalekitClient' && (name === 'onEvent' || name === 'parent')) continue // index.js passes them, never a user
        const args = params.map((p) => VALID_OBJECTS[`${className}.${method}.${p.name}`] ?? VALID[p.type])
        if (className === 'ScalekitClient') Object.assign(args, ['http://localhost:1', 'skc_1', 'secret'].slice(0, position))
        args[position] = type.split(' or ').includes('a string') ? { token: SECRET } : SECRET
        const label = `${className}.${method}(${name})`
        let call
        if (className === 'ScalekitClient' && method !== 'constructor') call = () => client[method](...args)
        else if (className === 'ScalekitClient') call = () => targets.ScalekitClient(args)
        else if (className === 'ScalekitEmulator') {
          if (method === 'start') call = () => ScalekitEmulator.start(...args)
          else call = () => targets.ScalekitEmulator(method, args)
        } else if (targets[className]) {
          call = () => targets[className](method, args)
        } else {
          const sub = Object.values(client).find((c) => c instanceof binding[className])
          call = () => sub[method](...args)
        }
        const error = await failure(call)
        assertClean(t, error, label)
        // An object where a webhook's raw body belongs is most likely a parsed body: the error says so.
        if (/^verify\w+Payload$/.test(method) && name === 'payload') {
          t.is(error?.reason, 'parsed_payload', label)
        } else if (method !== 'start') {
          // napi-rs defines static methods as non-configurable, so `ScalekitEmulator.start` keeps its own (value-free) message.
          t.true(error instanceof sk.ScalekitValidationException, `${label}: ${error?.constructor?.name}`)
          t.is(error?.field, name, label)
          t.regex(error?.message ?? '', new RegExp(`^${name} must be ${type}`), label)
        }
        checked++
      }
    }
  }
  t.true(checked >= 15, `checked ${checked} parameters`)
})

test('a wrong type inside an options object names its path and hides the value', async (t) => {
  const emulator = await ScalekitEmulator.start()
  t.teardown(() => emulator.stop())
  const client = new sk.ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
  const hidden = { token: SECRET }
  const cases = [
    [() => new sk.ScalekitClient({ environmentUrl: 'https://acme.scalekit.dev', clientId: 'skc_1', clientSecret: hidden }), 'clientSecret'],
    [() => new sk.ScalekitClient({ environmentUrl: hidden, clientId: 'skc_1', clientSecret: 'secret' }), 'environmentUrl'],
    [() => new sk.ScalekitClient('https://acme.scalekit.dev', 'skc_1', hidden), 'clientSecret'],
    [() => new sk.ScalekitClient('https://acme.scalekit.dev', 'skc_1', 'secret', { timeoutMs: SECRET }), 'options.timeoutMs'],
    [() => client.organization.listOrganizations({ pageToken: hidden }), 'options.pageToken'],
    [() => client.organization.listOrganizations({ pageSize: SECRET }), 'options.pageSize'],
    [() => client.user.createUserAndMembership('org_1', { email: hidden }), 'options.email'],
    [() => client.user.createUserAndMembership('org_1', { email: 'a@example.com', userProfile: { firstName: hidden } }), 'options.userProfile.firstName'],
    [() => client.user.createUserAndMembership('org_1', { email: 'a@example.com', metadata: { plan: 'pro', key: hidden } }), 'options.metadata.key'],
    [() => client.user.createUserAndMembership('org_1', { email: 'a@example.com', membership: { roles: [{ name: 'admin' }, { name: hidden }] } }), 'options.membership.roles[1].name'],
    [() => client.user.createUserAndMembership('org_1', { email: 'a@example.com', sendInvitationEmail: SECRET }), 'options.sendInvitationEmail'],
    [() => emulator.createOrganization({ displayName: hidden }), 'organization.displayName'],
  ]
  for (const [call, field] of cases) {
    const error = await failure(call)
    assertClean(t, error, field)
    t.true(error instanceof sk.ScalekitValidationException, field)
    t.is(error?.field, field)
  }
  t.is(emulator.stats().requests, 0, 'nothing was sent')
})

test('null in an optional field means left out, as in the official SDK (protobuf-es skips it); the caller\'s objects are not touched', async (t) => {
  const emulator = await ScalekitEmulator.start({ recordBodies: true })
  t.teardown(() => emulator.stop())
  const client = new sk.ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
  const lastBody = () => emulator.requests().at(-1).requestBody && JSON.parse(emulator.requests().at(-1).requestBody)
  const options = { externalId: null, metadata: null }
  const { organization } = await client.organization.createOrganization('Acme', options)
  t.deepEqual(lastBody(), { display_name: 'Acme' })
  t.deepEqual(options, { externalId: null, metadata: null }, 'the caller\'s object is unchanged')
  // A struct-valued field (V8 itself refuses it, naming nothing), a string, and a map entry.
  const user = { email: 'ada@example.com', userProfile: null, membership: { roles: null, inviterEmail: null }, metadata: { plan: 'pro', team: null } }
  await client.user.createUserAndMembership(organization.id, user)
  t.deepEqual(lastBody(), { email: 'ada@example.com', membership: {}, metadata: { plan: 'pro' } })
  t.is(user.metadata.team, null)
  t.regex(client.getAuthorizationUrl('https://app.example/cb', { loginHint: null, state: 's' }), /&scope=openid%20profile%20email&state=s$/)
  await client.organization.listOrganizations({ pageSize: 10, pageToken: null })
  // Your own JSON keeps its nulls.
  await client.tools.executeTool({ toolName: 'nothing_here', connector: null, params: { cursor: null, user: null } }).catch(() => {})
  t.deepEqual(lastBody(), { tool_name: 'nothing_here', params: { cursor: null, user: null } })
  await client.connectedAccounts.createConnectedAccount({
    connector: 'gmail', identifier: 'ada@example.com', connectedAccount: { apiConfig: { region: null }, authorizationDetails: { oauthToken: null, staticAuth: { details: { key: null } } } },
  })
  t.deepEqual(lastBody().connected_account, { authorization_details: { static_auth: { details: { key: null } } }, api_config: { region: null } })
  // A required field given null is still refused, naming it.
  const error = await failure(() => client.user.createUserAndMembership(organization.id, { email: null }))
  t.true(error instanceof sk.ScalekitValidationException)
  t.is(error.field, 'options.email')
})

test('per-request options of the wrong type are refused before any I/O, naming the field (a headers string was sent as headers "0", "1", …)', async (t) => {
  const emulator = await ScalekitEmulator.start()
  t.teardown(() => emulator.stop())
  const client = new sk.ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
  const cases = [
    [{ headers: `x-test: ${SECRET}` }, 'requestOptions.headers', /^requestOptions\.headers must be a plain object of header names to strings, got a string$/],
    [{ headers: ['x-test', SECRET] }, 'requestOptions.headers', /got an array$/],
    [{ headers: 5 }, 'requestOptions.headers', /got a number$/],
    [{ headers: new Map([['x-test', SECRET]]) }, 'requestOptions.headers', /got a Map$/],
    [{ headers: new Headers({ 'x-test': SECRET }) }, 'requestOptions.headers', /got a Headers$/],
    [{ headers: { 'x-test': 5 } }, 'requestOptions.headers.x-test', /must be a string, got a number$/],
    [{ signal: 5 }, 'requestOptions.signal', /must be an AbortSignal/],
    [{ timeoutMs: '10' }, 'requestOptions.timeoutMs', /must be a number, got a string$/],
    [{ deadlineMs: 10n }, 'requestOptions.deadlineMs', /must be a number, got a bigint$/],
    [{ maxRetries: () => 1 }, 'requestOptions.maxRetries', /must be a number, got a function$/],
    [{ idempotencyKey: 5 }, 'requestOptions.idempotencyKey', /must be a string, got a number$/],
    [{ withResponse: 'yes' }, 'requestOptions.withResponse', /must be a boolean, got a string$/],
    [[{ timeoutMs: 10 }], 'requestOptions', /^requestOptions must be an object or undefined, got an array$/],
    [`x-test: ${SECRET}`, 'requestOptions', /got a string$/],
  ]
  for (const [options, field, message] of cases) {
    for (const call of [() => client.organization.listOrganizations({ pageSize: 10 }, options), () => client.user.getUser('usr_1', options)]) {
      const error = await failure(call)
      assertClean(t, error, field)
      t.true(error instanceof sk.ScalekitValidationException, `${field}: ${error?.constructor?.name}`)
      t.is(error?.field, field)
      t.regex(error?.message ?? '', message, field)
    }
  }
  t.is(emulator.stats().requests, 0, 'nothing was sent')
})

test('the paginators check their per-request options, cursor, page token and list options as the list method does', async (t) => {
  const emulator = await ScalekitEmulator.start()
  t.teardown(() => emulator.stop())
  const client = new sk.ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
  const org = client.organization
  const cases = [
    // Refused at once, when the paginator is made.
    [() => org.listOrganizationsAll({}, { headers: 'x-test: 1' }), 'requestOptions.headers'],
    [() => org.listOrganizationsAll({}, ['x']), 'requestOptions'],
    [() => org.listOrganizationsAll({}, 'x'), 'requestOptions'],
    [() => org.listOrganizationsAll({}, { cursor: 5 }), 'requestOptions.cursor'],
    [() => org.listOrganizationsAll({}, { cursor: {} }), 'requestOptions.cursor'],
    [() => org.listOrganizationsAll({}, { withResponse: 'yes' }), 'requestOptions.withResponse'],
    // A falsy page token of the wrong type was dropped, and the walk started from the first page.
    [() => org.listOrganizationsAll({ pageToken: 0 }), 'options.pageToken'],
    [() => org.searchOrganizationAll('acme', 10, Number.NaN), 'pageToken'],
    // List options of the wrong type were spread into an object ({ 0: 'x', … }) that passed.
    [() => org.listOrganizationsAll('x').toArray({ limit: 1 }), 'options'],
    [() => org.listOrganizationsAll(['x']).toArray({ limit: 1 }), 'options'],
    [() => client.domain.listDomainsAll('org_1', { pageNumber: Symbol('x') }).toArray({ limit: 1 }), 'options.pageNumber'],
    // toArray(null) threw a TypeError (destructuring null).
    [() => org.listOrganizationsAll().toArray(null), 'limit'],
  ]
  for (const [call, field] of cases) {
    const error = await failure(call)
    t.true(error instanceof sk.ScalekitValidationException, `${field}: ${error?.constructor?.name} ${error?.message}`)
    t.is(error?.field, field)
  }
  t.is(emulator.stats().requests, 0, 'nothing was sent')
})

test('client options of the wrong type are refused, naming the field, in both constructor forms and in withOptions', (t) => {
  const url = 'https://acme.scalekit.dev'
  const client = new sk.ScalekitClient(url, 'skc_1', SECRET)
  const forms = {
    positional: (options) => new sk.ScalekitClient(url, 'skc_1', SECRET, options),
    object: (options) => new sk.ScalekitClient({ environmentUrl: url, clientId: 'skc_1', clientSecret: SECRET, ...options }),
    withOptions: (options) => client.withOptions(options),
  }
  const cases = [
    [{ logger: 'console' }, 'options.logger', /must have debug, info, warn and error methods/],
    [{ caCertificates: 5 }, 'options.caCertificates', /^options\.caCertificates must be a string or an array of strings, got a number$/],
    [{ caCertificates: [`-----BEGIN CERTIFICATE-----${SECRET}`, 5] }, 'options.caCertificates[1]', /^options\.caCertificates\[1\] must be a string, got a number$/],
    [{ appInfo: 'x' }, 'options.appInfo', /^options\.appInfo must be an object \(\{ name, version\?, url\? \}\), got a string$/],
    [{ appInfo: ['my-app'] }, 'options.appInfo', /got an array$/],
    [{ appInfo: { name: 5 } }, 'options.appInfo.name', /must be a string, got a number$/],
    [{ timeoutMs: '10' }, 'options.timeoutMs', /must be a number, got a string$/],
    [{ http2: 'yes' }, 'options.http2', /must be a boolean, got a string$/],
    [{ issuer: { url: SECRET } }, 'options.issuer', /must be a string, got an object$/],
    [{ onRequest: 'x' }, 'options.onRequest', /must be a function/],
  ]
  for (const [form, make] of Object.entries(forms)) {
    for (const [options, field, message] of cases) {
      const error = t.throws(() => make(options), { instanceOf: sk.ScalekitValidationException }, `${form} ${field}`)
      assertClean(t, error, `${form} ${field}`)
      // withOptions refuses what shapes the connection pool, whatever its value.
      if (form === 'withOptions' && /^options\.(caCertificates|appInfo|http2)/.test(field)) {
        t.regex(error.field, /^options\.(caCertificates|appInfo|http2)/, `${form} ${field}`)
        continue
      }
      t.is(error.field, field, `${form}: the field (it was envUrl.… or clientSecret.…)`)
      t.regex(error.message, message, `${form} ${field}`)
    }
  }
  for (const options of [['x'], [], 'x', 5]) {
    for (const make of [forms.positional, forms.withOptions]) {
      const error = t.throws(() => make(options), { instanceOf: sk.ScalekitValidationException })
      t.is(error.field, 'options')
    }
  }
})
