// @scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/connected_accounts/connected_accounts_pb (see the .js beside it).
import type {
  ConnectedAccount as Account, AuthorizationDetails as Details, ConnectedAccountInput, ConnectedAccountResponse,
  ListConnectedAccountsResponse as ListResponse, MagicLinkResponse, OAuthToken as Token, StaticAuth as Static,
  GoogleDwdAuth, TrustedIdpAuth, Empty,
} from '../../../../../../index'

/** A status of a connected account, as results carry it (`connectedAccount.status`). */
export type ConnectorStatus = 'CONNECTION_STATUS_UNSPECIFIED' | 'ACTIVE' | 'EXPIRED' | 'PENDING_AUTH' | 'PENDING_VERIFICATION' | 'DISCONNECTED' | (string & {})
/** The statuses by name, and by the official numbers (`ConnectorStatus[1] === 'ACTIVE'`). */
export declare const ConnectorStatus: {
  readonly CONNECTION_STATUS_UNSPECIFIED: 'CONNECTION_STATUS_UNSPECIFIED'
  readonly ACTIVE: 'ACTIVE'
  readonly EXPIRED: 'EXPIRED'
  readonly PENDING_AUTH: 'PENDING_AUTH'
  readonly PENDING_VERIFICATION: 'PENDING_VERIFICATION'
  readonly DISCONNECTED: 'DISCONNECTED'
  readonly [nameOrNumber: string | number]: ConnectorStatus
}
/** How a connected account authorizes (`authorizationType`). */
export type ConnectorType = 'CONNECTION_TYPE_UNSPECIFIED' | 'OAUTH' | 'API_KEY' | 'BASIC_AUTH' | 'BEARER_TOKEN' | 'CUSTOM' | 'BASIC' | 'OAUTH_M2M' | 'TRELLO_OAUTH1' | 'GOOGLE_DWD' | 'TRUSTED_IDP' | 'SMART_FHIR' | 'NO_AUTH' | (string & {})
export declare const ConnectorType: {
  readonly CONNECTION_TYPE_UNSPECIFIED: 'CONNECTION_TYPE_UNSPECIFIED'
  readonly OAUTH: 'OAUTH'
  readonly API_KEY: 'API_KEY'
  readonly BASIC_AUTH: 'BASIC_AUTH'
  readonly BEARER_TOKEN: 'BEARER_TOKEN'
  readonly CUSTOM: 'CUSTOM'
  readonly BASIC: 'BASIC'
  readonly OAUTH_M2M: 'OAUTH_M2M'
  readonly TRELLO_OAUTH1: 'TRELLO_OAUTH1'
  readonly GOOGLE_DWD: 'GOOGLE_DWD'
  readonly TRUSTED_IDP: 'TRUSTED_IDP'
  readonly SMART_FHIR: 'SMART_FHIR'
  readonly NO_AUTH: 'NO_AUTH'
  readonly [nameOrNumber: string | number]: ConnectorType
}
/** Names a message: results here are plain objects, not protobuf-es messages. */
export interface MessageSchema<Name extends string = string> {
  readonly kind: 'message'
  readonly typeName: `scalekit.v1.connected_accounts.${Name}`
}
export interface EnumSchema<T> {
  readonly kind: 'enum'
  readonly typeName: string
  readonly values: T
}
export declare const ConnectorStatusSchema: EnumSchema<typeof ConnectorStatus>
export declare const ConnectorTypeSchema: EnumSchema<typeof ConnectorType>
export declare const file_scalekit_v1_connected_accounts_connected_accounts: { readonly kind: 'file'; readonly name: string }
export type ListMyAppConnectionsRequest = Record<string, unknown>
export declare const ListMyAppConnectionsRequestSchema: MessageSchema<'ListMyAppConnectionsRequest'>
export type MyAppConnectionEntry = Record<string, unknown>
export declare const MyAppConnectionEntrySchema: MessageSchema<'MyAppConnectionEntry'>
export type ListMyAppConnectionsResponse = Record<string, unknown>
export declare const ListMyAppConnectionsResponseSchema: MessageSchema<'ListMyAppConnectionsResponse'>
export type DisconnectMyConnectedAccountRequest = Record<string, unknown>
export declare const DisconnectMyConnectedAccountRequestSchema: MessageSchema<'DisconnectMyConnectedAccountRequest'>
export type GetMyConnectionMagicLinkRequest = Record<string, unknown>
export declare const GetMyConnectionMagicLinkRequestSchema: MessageSchema<'GetMyConnectionMagicLinkRequest'>
export type GetMyConnectionMagicLinkResponse = Record<string, unknown>
export declare const GetMyConnectionMagicLinkResponseSchema: MessageSchema<'GetMyConnectionMagicLinkResponse'>
export type ListConnectedAccountsRequest = Record<string, unknown>
export declare const ListConnectedAccountsRequestSchema: MessageSchema<'ListConnectedAccountsRequest'>
export type ListConnectedAccountsResponse = ListResponse
export declare const ListConnectedAccountsResponseSchema: MessageSchema<'ListConnectedAccountsResponse'>
export type SearchConnectedAccountsRequest = Record<string, unknown>
export declare const SearchConnectedAccountsRequestSchema: MessageSchema<'SearchConnectedAccountsRequest'>
export type SearchConnectedAccountsResponse = ListResponse
export declare const SearchConnectedAccountsResponseSchema: MessageSchema<'SearchConnectedAccountsResponse'>
export type CreateConnectedAccountRequest = Record<string, unknown>
export declare const CreateConnectedAccountRequestSchema: MessageSchema<'CreateConnectedAccountRequest'>
export type CreateConnectedAccountResponse = ConnectedAccountResponse
export declare const CreateConnectedAccountResponseSchema: MessageSchema<'CreateConnectedAccountResponse'>
export type UpdateConnectedAccountRequest = Record<string, unknown>
export declare const UpdateConnectedAccountRequestSchema: MessageSchema<'UpdateConnectedAccountRequest'>
export type UpdateConnectedAccountResponse = ConnectedAccountResponse
export declare const UpdateConnectedAccountResponseSchema: MessageSchema<'UpdateConnectedAccountResponse'>
export type DeleteConnectedAccountRequest = Record<string, unknown>
export declare const DeleteConnectedAccountRequestSchema: MessageSchema<'DeleteConnectedAccountRequest'>
export type DeleteConnectedAccountResponse = Empty
export declare const DeleteConnectedAccountResponseSchema: MessageSchema<'DeleteConnectedAccountResponse'>
export type GetMagicLinkForConnectedAccountRequest = Record<string, unknown>
export declare const GetMagicLinkForConnectedAccountRequestSchema: MessageSchema<'GetMagicLinkForConnectedAccountRequest'>
export type GetMagicLinkForConnectedAccountResponse = MagicLinkResponse
export declare const GetMagicLinkForConnectedAccountResponseSchema: MessageSchema<'GetMagicLinkForConnectedAccountResponse'>
export type VerifyConnectedAccountUserRequest = Record<string, unknown>
export declare const VerifyConnectedAccountUserRequestSchema: MessageSchema<'VerifyConnectedAccountUserRequest'>
export type VerifyConnectedAccountUserResponse = Record<string, unknown>
export declare const VerifyConnectedAccountUserResponseSchema: MessageSchema<'VerifyConnectedAccountUserResponse'>
export type GetConnectedAccountByIdentifierRequest = Record<string, unknown>
export declare const GetConnectedAccountByIdentifierRequestSchema: MessageSchema<'GetConnectedAccountByIdentifierRequest'>
export type GetConnectedAccountByIdentifierResponse = ConnectedAccountResponse
export declare const GetConnectedAccountByIdentifierResponseSchema: MessageSchema<'GetConnectedAccountByIdentifierResponse'>
export type ConnectedAccount = Account
export declare const ConnectedAccountSchema: MessageSchema<'ConnectedAccount'>
export type CreateConnectedAccount = ConnectedAccountInput
export declare const CreateConnectedAccountSchema: MessageSchema<'CreateConnectedAccount'>
export type UpdateConnectedAccount = ConnectedAccountInput
export declare const UpdateConnectedAccountSchema: MessageSchema<'UpdateConnectedAccount'>
export type ConnectedAccountForList = Account
export declare const ConnectedAccountForListSchema: MessageSchema<'ConnectedAccountForList'>
export type AuthorizationDetails = Details
export declare const AuthorizationDetailsSchema: MessageSchema<'AuthorizationDetails'>
export type GoogleDWDAuth = GoogleDwdAuth
export declare const GoogleDWDAuthSchema: MessageSchema<'GoogleDWDAuth'>
export type TrustedIDPAuth = TrustedIdpAuth
export declare const TrustedIDPAuthSchema: MessageSchema<'TrustedIDPAuth'>
export type OauthToken = Token
export declare const OauthTokenSchema: MessageSchema<'OauthToken'>
export type StaticAuth = Static
export declare const StaticAuthSchema: MessageSchema<'StaticAuth'>
export type GetConnectedAccountRequest = Record<string, unknown>
export declare const GetConnectedAccountRequestSchema: MessageSchema<'GetConnectedAccountRequest'>
export type GetConnectedAccountResponse = ConnectedAccountResponse
export declare const GetConnectedAccountResponseSchema: MessageSchema<'GetConnectedAccountResponse'>
export type DisconnectConnectedAccountRequest = Record<string, unknown>
export declare const DisconnectConnectedAccountRequestSchema: MessageSchema<'DisconnectConnectedAccountRequest'>
export type DisconnectConnectedAccountResponse = Empty
export declare const DisconnectConnectedAccountResponseSchema: MessageSchema<'DisconnectConnectedAccountResponse'>
export type GetRedirectUrlRequest = Record<string, unknown>
export declare const GetRedirectUrlRequestSchema: MessageSchema<'GetRedirectUrlRequest'>
export type GetRedirectUrlResponse = Record<string, unknown>
export declare const GetRedirectUrlResponseSchema: MessageSchema<'GetRedirectUrlResponse'>
export declare const ConnectedAccountService: {
  readonly kind: 'service'
  readonly typeName: 'scalekit.v1.connected_accounts.ConnectedAccountService'
  readonly method: {
    readonly listConnectedAccounts: { readonly name: string; readonly input: MessageSchema<'ListConnectedAccountsRequest'>; readonly output: MessageSchema<'ListConnectedAccountsResponse'> }
    readonly searchConnectedAccounts: { readonly name: string; readonly input: MessageSchema<'SearchConnectedAccountsRequest'>; readonly output: MessageSchema<'SearchConnectedAccountsResponse'> }
    readonly createConnectedAccount: { readonly name: string; readonly input: MessageSchema<'CreateConnectedAccountRequest'>; readonly output: MessageSchema<'CreateConnectedAccountResponse'> }
    readonly updateConnectedAccount: { readonly name: string; readonly input: MessageSchema<'UpdateConnectedAccountRequest'>; readonly output: MessageSchema<'UpdateConnectedAccountResponse'> }
    readonly deleteConnectedAccount: { readonly name: string; readonly input: MessageSchema<'DeleteConnectedAccountRequest'>; readonly output: MessageSchema<'DeleteConnectedAccountResponse'> }
    readonly getMagicLinkForConnectedAccount: { readonly name: string; readonly input: MessageSchema<'GetMagicLinkForConnectedAccountRequest'>; readonly output: MessageSchema<'GetMagicLinkForConnectedAccountResponse'> }
    readonly getConnectedAccount: { readonly name: string; readonly input: MessageSchema<'GetConnectedAccountRequest'>; readonly output: MessageSchema<'GetConnectedAccountResponse'> }
    readonly disconnectConnectedAccount: { readonly name: string; readonly input: MessageSchema<'DisconnectConnectedAccountRequest'>; readonly output: MessageSchema<'DisconnectConnectedAccountResponse'> }
    readonly getRedirectUrl: { readonly name: string; readonly input: MessageSchema<'GetRedirectUrlRequest'>; readonly output: MessageSchema<'GetRedirectUrlResponse'> }
    readonly getConnectedAccountAuth: { readonly name: string; readonly input: MessageSchema<'GetConnectedAccountByIdentifierRequest'>; readonly output: MessageSchema<'GetConnectedAccountByIdentifierResponse'> }
    readonly getConnectedAccountDetails: { readonly name: string; readonly input: MessageSchema<'GetConnectedAccountByIdentifierRequest'>; readonly output: MessageSchema<'GetConnectedAccountByIdentifierResponse'> }
    readonly verifyConnectedAccountUser: { readonly name: string; readonly input: MessageSchema<'VerifyConnectedAccountUserRequest'>; readonly output: MessageSchema<'VerifyConnectedAccountUserResponse'> }
    readonly listMyAppConnections: { readonly name: string; readonly input: MessageSchema<'ListMyAppConnectionsRequest'>; readonly output: MessageSchema<'ListMyAppConnectionsResponse'> }
    readonly disconnectMyConnectedAccount: { readonly name: string; readonly input: MessageSchema<'DisconnectMyConnectedAccountRequest'>; readonly output: MessageSchema<'DisconnectConnectedAccountResponse'> }
    readonly getMyConnectionMagicLink: { readonly name: string; readonly input: MessageSchema<'GetMyConnectionMagicLinkRequest'>; readonly output: MessageSchema<'GetMyConnectionMagicLinkResponse'> }
  }
}
