'use strict'
// The official package's deep module paths that public code imports (Scalekit's AgentKit docs and examples:
// `ConnectorStatus` from …/connected_accounts/connected_accounts_pb, with and without `.js`), served with the
// official names; string-valued enums that match this package's results, with the official numbers as reverse keys.
const test = require('ava')
const path = require('node:path')
const { execFileSync } = require('node:child_process')
const sk = require('..')
const { startEmulator, clientFor } = require('./helpers')

const DEEP = 'scalekit-native/lib/pkg/grpc/scalekit/v1/connected_accounts/connected_accounts_pb'
// Object.keys(require(<the official module>)) of @scalekit-sdk/node 2.11.0, in its order.
const OFFICIAL_NAMES = [
  'file_scalekit_v1_connected_accounts_connected_accounts',
  'ListMyAppConnectionsRequestSchema', 'MyAppConnectionEntrySchema', 'ListMyAppConnectionsResponseSchema', 'DisconnectMyConnectedAccountRequestSchema',
  'GetMyConnectionMagicLinkRequestSchema', 'GetMyConnectionMagicLinkResponseSchema', 'ListConnectedAccountsRequestSchema', 'ListConnectedAccountsResponseSchema',
  'SearchConnectedAccountsRequestSchema', 'SearchConnectedAccountsResponseSchema', 'CreateConnectedAccountRequestSchema', 'CreateConnectedAccountResponseSchema',
  'UpdateConnectedAccountRequestSchema', 'UpdateConnectedAccountResponseSchema', 'DeleteConnectedAccountRequestSchema', 'DeleteConnectedAccountResponseSchema',
  'GetMagicLinkForConnectedAccountRequestSchema', 'GetMagicLinkForConnectedAccountResponseSchema', 'VerifyConnectedAccountUserRequestSchema',
  'VerifyConnectedAccountUserResponseSchema', 'GetConnectedAccountByIdentifierRequestSchema', 'GetConnectedAccountByIdentifierResponseSchema',
  'ConnectedAccountSchema', 'CreateConnectedAccountSchema', 'UpdateConnectedAccountSchema', 'ConnectedAccountForListSchema', 'AuthorizationDetailsSchema',
  'GoogleDWDAuthSchema', 'TrustedIDPAuthSchema', 'OauthTokenSchema', 'StaticAuthSchema', 'GetConnectedAccountRequestSchema', 'GetConnectedAccountResponseSchema',
  'DisconnectConnectedAccountRequestSchema', 'DisconnectConnectedAccountResponseSchema', 'GetRedirectUrlRequestSchema', 'GetRedirectUrlResponseSchema',
  'ConnectorStatusSchema', 'ConnectorStatus', 'ConnectorTypeSchema', 'ConnectorType', 'ConnectedAccountService',
]

test('the deep path resolves with and without .js, from require and from import, with the official names', (t) => {
  const withExtension = require(`${DEEP}.js`)
  t.is(require(DEEP), withExtension, 'one module either way')
  t.deepEqual(Object.keys(withExtension).sort(), [...OFFICIAL_NAMES].sort())
  // ESM: named imports (which Node's CommonJS lexer must see) with and without the extension. Node 23+ adds a
  // 'module.exports' name to every CommonJS namespace, beside 'default'; neither is one of the module's names.
  const esm = `
    import { ConnectorStatus, ConnectorType, ConnectedAccountService } from '${DEEP}.js'
    import * as bare from '${DEEP}'
    console.log(JSON.stringify([ConnectorStatus.ACTIVE, ConnectorType[2], Object.keys(bare).filter((k) => k !== 'default' && k !== 'module.exports').length, ConnectedAccountService.typeName]))`
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', esm], { cwd: path.join(__dirname, '..'), encoding: 'utf8' }))
  t.deepEqual(out, ['ACTIVE', 'API_KEY', OFFICIAL_NAMES.length, 'scalekit.v1.connected_accounts.ConnectedAccountService'])
  t.is(require('scalekit-native/lib/index.js'), sk, 'lib/index is the main entry, as the official main')
})

test('ConnectorStatus is string-valued like the results, and names the official numbers too', async (t) => {
  const { ConnectorStatus, ConnectorType } = require(DEEP)
  t.is(ConnectorStatus.ACTIVE, 'ACTIVE')
  t.is(ConnectorStatus[1], 'ACTIVE', 'the official number, by the reverse mapping')
  t.is(ConnectorStatus[ConnectorStatus.PENDING_AUTH], 'PENDING_AUTH', 'ConnectorStatus[status] names a status')
  t.is(ConnectorStatus.CONNECTION_STATUS_UNSPECIFIED, 'CONNECTION_STATUS_UNSPECIFIED', 'the official first member')
  t.is(ConnectorType.OAUTH, 'OAUTH')
  t.throws(() => { ConnectorStatus.ACTIVE = 1 }, { instanceOf: TypeError })

  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  const { connectedAccount } = await client.actions.getOrCreateConnectedAccount({ connectionName: 'gmail', identifier: 'ada' })
  t.is(connectedAccount.status, ConnectorStatus.PENDING_AUTH, 'the comparison AgentKit scripts make takes the right branch')
  t.not(connectedAccount.status, ConnectorStatus.ACTIVE)
  const linked = await client.actions.createConnectedAccount({ connectionName: 'slack', identifier: 'ada', authorizationDetails: { oauthToken: { accessToken: 'at' } } })
  t.is(linked.connectedAccount.status, ConnectorStatus.ACTIVE)
  t.is(ConnectorStatus[linked.connectedAccount.status], 'ACTIVE')
})
