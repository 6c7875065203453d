'use strict'
// What the Edge runtime (Next.js's `runtime = 'edge'`, and middleware unless it says
// `runtime: 'nodejs'`) and Cloudflare's workerd get for every entry point that loads the addon,
// through the "edge-light" and "workerd" conditions of package.json's exports: an error that names
// the fix, when the module is evaluated, instead of a bundler error about node:module or a .node
// file. It imports no Node.js builtin, so the bundle builds. The export lines (every name of
// index.js, testing.js, lib/mcp/index.js, lib/session/index.js; written by scripts/edge-stub.js) are there for bundlers that check named
// imports against a CommonJS module's exports (Turbopack fails the build on a missing one); the
// error is thrown before any of them is read. (No __esModule and default: a default import is
// module.exports, and publint flags a CommonJS default export.)
exports.ScalekitClient = undefined
exports.Scalekit = undefined
exports.OrganizationClient = undefined
exports.UserClient = undefined
exports.DomainClient = undefined
exports.SessionClient = undefined
exports.ConnectionClient = undefined
exports.DirectoryClient = undefined
exports.RoleClient = undefined
exports.PermissionClient = undefined
exports.PasswordlessClient = undefined
exports.WebAuthnClient = undefined
exports.TokenClient = undefined
exports.M2MClient = undefined
exports.AuthClient = undefined
exports.EventsClient = undefined
exports.ToolsClient = undefined
exports.ConnectedAccountsClient = undefined
exports.ActionsClient = undefined
exports.ProvidersClient = undefined
exports.AuditLogsClient = undefined
exports.McpClient = undefined
exports.McpResourceServerCore = undefined
exports.SessionSealer = undefined
exports.generatePkce = undefined
exports.GrantType = undefined
exports.ObjectType = undefined
exports.Source = undefined
exports.RegionCode = undefined
exports.DomainType = undefined
exports.TemplateType = undefined
exports.TimeUnit = undefined
exports.SessionPolicyType = undefined
exports.MembershipStatus = undefined
exports.isToolException = undefined
exports.ScalekitException = undefined
exports.WebhookVerificationError = undefined
exports.ScalekitValidateTokenFailureException = undefined
exports.ScalekitValidationException = undefined
exports.ScalekitTransportException = undefined
exports.ScalekitTimeoutException = undefined
exports.ScalekitAbortedException = undefined
exports.ScalekitOutcomeUnknownException = undefined
exports.ScalekitServerException = undefined
exports.ScalekitBadRequestException = undefined
exports.ScalekitUnauthorizedException = undefined
exports.ScalekitForbiddenException = undefined
exports.ScalekitNotFoundException = undefined
exports.ScalekitConflictException = undefined
exports.ScalekitTooManyRequestsException = undefined
exports.ScalekitCancelledException = undefined
exports.ScalekitInternalServerException = undefined
exports.ScalekitNotImplementedException = undefined
exports.ScalekitServiceUnavailableException = undefined
exports.ScalekitGatewayTimeoutException = undefined
exports.ScalekitUnknownException = undefined
exports.ScalekitToolException = undefined
exports.ScalekitToolRateLimitException = undefined
exports.ScalekitToolUnauthorizedException = undefined
exports.ScalekitToolForbiddenException = undefined
exports.ScalekitEmulator = undefined
exports.McpResourceServer = undefined
exports.createSessionKit = undefined
exports.createMemoryCoordinator = undefined
exports.ScalekitSessionError = undefined

const error = new Error(
  'scalekit-native is a Node.js native addon and cannot run in the Edge runtime. In Next.js, add ' +
    "`export const runtime = 'nodejs'` to the route, page or layout that imports it (in middleware, " +
    "`export const config = { runtime: 'nodejs' }`, Next.js 15.5 or later), or import it only from Node.js server code.",
)
error.code = 'SCALEKIT_NATIVE_UNSUPPORTED_RUNTIME'
throw error
