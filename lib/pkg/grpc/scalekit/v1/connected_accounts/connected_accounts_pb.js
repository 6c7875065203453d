'use strict'
// @scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/connected_accounts/connected_accounts_pb, as public code imports it
// (`import { ConnectorStatus } from '…/connected_accounts_pb.js'`): the same names as the official module.
//
// The enums are string-valued, as this package's enums and results are (`ConnectorStatus.ACTIVE === 'ACTIVE'`,
// what `connectedAccount.status` holds), and keep the official reverse mapping from the official numbers
// (`ConnectorStatus[1] === 'ACTIVE'`; `ConnectorStatus['ACTIVE']` is 'ACTIVE' too), so `ConnectorStatus[status]`
// names a status either way. Inputs take the names or the official numbers.
//
// The schemas describe the messages by name only: results here are plain objects, not protobuf-es messages, so
// `create(Schema, …)` from @bufbuild/protobuf has nothing to do with them.
//
// Every export is a static `exports.Name = …` line, so that ESM's named imports see it.

/** A string-valued enum with the official numbers as reverse keys. */
function stringEnum(names) {
  const values = {}
  names.forEach((name, number) => {
    values[number] = name
    values[name] = name
  })
  return Object.freeze(values)
}

const message = (name) => Object.freeze({ kind: 'message', typeName: `scalekit.v1.connected_accounts.${name}` })

exports.ConnectorStatus = stringEnum(['CONNECTION_STATUS_UNSPECIFIED', 'ACTIVE', 'EXPIRED', 'PENDING_AUTH', 'PENDING_VERIFICATION', 'DISCONNECTED'])
exports.ConnectorType = stringEnum(['CONNECTION_TYPE_UNSPECIFIED', 'OAUTH', 'API_KEY', 'BASIC_AUTH', 'BEARER_TOKEN', 'CUSTOM', 'BASIC', 'OAUTH_M2M', 'TRELLO_OAUTH1', 'GOOGLE_DWD', 'TRUSTED_IDP', 'SMART_FHIR', 'NO_AUTH'])
exports.ConnectorStatusSchema = Object.freeze({ kind: 'enum', typeName: 'scalekit.v1.connected_accounts.ConnectorStatus', values: exports.ConnectorStatus })
exports.ConnectorTypeSchema = Object.freeze({ kind: 'enum', typeName: 'scalekit.v1.connected_accounts.ConnectorType', values: exports.ConnectorType })
exports.ListMyAppConnectionsRequestSchema = message('ListMyAppConnectionsRequest')
exports.MyAppConnectionEntrySchema = message('MyAppConnectionEntry')
exports.ListMyAppConnectionsResponseSchema = message('ListMyAppConnectionsResponse')
exports.DisconnectMyConnectedAccountRequestSchema = message('DisconnectMyConnectedAccountRequest')
exports.GetMyConnectionMagicLinkRequestSchema = message('GetMyConnectionMagicLinkRequest')
exports.GetMyConnectionMagicLinkResponseSchema = message('GetMyConnectionMagicLinkResponse')
exports.ListConnectedAccountsRequestSchema = message('ListConnectedAccountsRequest')
exports.ListConnectedAccountsResponseSchema = message('ListConnectedAccountsResponse')
exports.SearchConnectedAccountsRequestSchema = message('SearchConnectedAccountsRequest')
exports.SearchConnectedAccountsResponseSchema = message('SearchConnectedAccountsResponse')
exports.CreateConnectedAccountRequestSchema = message('CreateConnectedAccountRequest')
exports.CreateConnectedAccountResponseSchema = message('CreateConnectedAccountResponse')
exports.UpdateConnectedAccountRequestSchema = message('UpdateConnectedAccountRequest')
exports.UpdateConnectedAccountResponseSchema = message('UpdateConnectedAccountResponse')
exports.DeleteConnectedAccountRequestSchema = message('DeleteConnectedAccountRequest')
exports.DeleteConnectedAccountResponseSchema = message('DeleteConnectedAccountResponse')
exports.GetMagicLinkForConnectedAccountRequestSchema = message('GetMagicLinkForConnectedAccountRequest')
exports.GetMagicLinkForConnectedAccountResponseSchema = message('GetMagicLinkForConnectedAccountResponse')
exports.VerifyConnectedAccountUserRequestSchema = message('VerifyConnectedAccountUserRequest')
exports.VerifyConnectedAccountUserResponseSchema = message('VerifyConnectedAccountUserResponse')
exports.GetConnectedAccountByIdentifierRequestSchema = message('GetConnectedAccountByIdentifierRequest')
exports.GetConnectedAccountByIdentifierResponseSchema = message('GetConnectedAccountByIdentifierResponse')
exports.ConnectedAccountSchema = message('ConnectedAccount')
exports.CreateConnectedAccountSchema = message('CreateConnectedAccount')
exports.UpdateConnectedAccountSchema = message('UpdateConnectedAccount')
exports.ConnectedAccountForListSchema = message('ConnectedAccountForList')
exports.AuthorizationDetailsSchema = message('AuthorizationDetails')
exports.GoogleDWDAuthSchema = message('GoogleDWDAuth')
exports.TrustedIDPAuthSchema = message('TrustedIDPAuth')
exports.OauthTokenSchema = message('OauthToken')
exports.StaticAuthSchema = message('StaticAuth')
exports.GetConnectedAccountRequestSchema = message('GetConnectedAccountRequest')
exports.GetConnectedAccountResponseSchema = message('GetConnectedAccountResponse')
exports.DisconnectConnectedAccountRequestSchema = message('DisconnectConnectedAccountRequest')
exports.DisconnectConnectedAccountResponseSchema = message('DisconnectConnectedAccountResponse')
exports.GetRedirectUrlRequestSchema = message('GetRedirectUrlRequest')
exports.GetRedirectUrlResponseSchema = message('GetRedirectUrlResponse')
exports.file_scalekit_v1_connected_accounts_connected_accounts = Object.freeze({ kind: 'file', name: 'scalekit/v1/connected_accounts/connected_accounts.proto' })
exports.ConnectedAccountService = Object.freeze({
  kind: 'service',
  typeName: 'scalekit.v1.connected_accounts.ConnectedAccountService',
  method: Object.freeze({
    listConnectedAccounts: Object.freeze({ name: 'ListConnectedAccounts', input: exports.ListConnectedAccountsRequestSchema, output: exports.ListConnectedAccountsResponseSchema }),
    searchConnectedAccounts: Object.freeze({ name: 'SearchConnectedAccounts', input: exports.SearchConnectedAccountsRequestSchema, output: exports.SearchConnectedAccountsResponseSchema }),
    createConnectedAccount: Object.freeze({ name: 'CreateConnectedAccount', input: exports.CreateConnectedAccountRequestSchema, output: exports.CreateConnectedAccountResponseSchema }),
    updateConnectedAccount: Object.freeze({ name: 'UpdateConnectedAccount', input: exports.UpdateConnectedAccountRequestSchema, output: exports.UpdateConnectedAccountResponseSchema }),
    deleteConnectedAccount: Object.freeze({ name: 'DeleteConnectedAccount', input: exports.DeleteConnectedAccountRequestSchema, output: exports.DeleteConnectedAccountResponseSchema }),
    getMagicLinkForConnectedAccount: Object.freeze({ name: 'GetMagicLinkForConnectedAccount', input: exports.GetMagicLinkForConnectedAccountRequestSchema, output: exports.GetMagicLinkForConnectedAccountResponseSchema }),
    getConnectedAccount: Object.freeze({ name: 'GetConnectedAccount', input: exports.GetConnectedAccountRequestSchema, output: exports.GetConnectedAccountResponseSchema }),
    disconnectConnectedAccount: Object.freeze({ name: 'DisconnectConnectedAccount', input: exports.DisconnectConnectedAccountRequestSchema, output: exports.DisconnectConnectedAccountResponseSchema }),
    getRedirectUrl: Object.freeze({ name: 'GetRedirectUrl', input: exports.GetRedirectUrlRequestSchema, output: exports.GetRedirectUrlResponseSchema }),
    getConnectedAccountAuth: Object.freeze({ name: 'GetConnectedAccountAuth', input: exports.GetConnectedAccountByIdentifierRequestSchema, output: exports.GetConnectedAccountByIdentifierResponseSchema }),
    getConnectedAccountDetails: Object.freeze({ name: 'GetConnectedAccountDetails', input: exports.GetConnectedAccountByIdentifierRequestSchema, output: exports.GetConnectedAccountByIdentifierResponseSchema }),
    verifyConnectedAccountUser: Object.freeze({ name: 'VerifyConnectedAccountUser', input: exports.VerifyConnectedAccountUserRequestSchema, output: exports.VerifyConnectedAccountUserResponseSchema }),
    listMyAppConnections: Object.freeze({ name: 'ListMyAppConnections', input: exports.ListMyAppConnectionsRequestSchema, output: exports.ListMyAppConnectionsResponseSchema }),
    disconnectMyConnectedAccount: Object.freeze({ name: 'DisconnectMyConnectedAccount', input: exports.DisconnectMyConnectedAccountRequestSchema, output: exports.DisconnectConnectedAccountResponseSchema }),
    getMyConnectionMagicLink: Object.freeze({ name: 'GetMyConnectionMagicLink', input: exports.GetMyConnectionMagicLinkRequestSchema, output: exports.GetMyConnectionMagicLinkResponseSchema }),
  }),
})
