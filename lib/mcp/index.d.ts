// scalekit-native/mcp: protect an MCP server with Scalekit (see lib/mcp/index.js and the README, "Protecting an MCP server").
import type { IncomingMessage, ServerResponse } from 'node:http'
import { McpResourceServerCore, type McpResourceServerOptions, type ProtectedResourceMetadata, type TokenClaims } from '../../index'

export type { McpResourceServerOptions, ProtectedResourceMetadata, McpCaller } from '../../index'

/** The MCP TypeScript SDK's `AuthInfo` (`@modelcontextprotocol/sdk/server/auth/types.js`), as tools see it in `extra.authInfo`. */
export interface AuthInfo {
  token: string
  clientId: string
  scopes: string[]
  /** Unix seconds. */
  expiresAt?: number
  resource?: URL
  extra?: { subject?: string; organizationId?: string; sessionId?: string; claims: TokenClaims; [key: string]: unknown }
}

/** An answer the kit gives instead of the MCP server. */
export interface McpAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

export declare class McpResourceServer extends McpResourceServerCore {
  constructor(options: McpResourceServerOptions)
  /** The RFC 9728 protected-resource metadata, as served. */
  protectedResourceMetadata(): ProtectedResourceMetadata
  /** The SDK's `AuthInfo` of a bearer token, for the SDK's own `requireBearerAuth({ verifier: auth })`. */
  verifyAccessToken(token: string): Promise<AuthInfo>
  /** What a request gets: an answer, the caller, or nothing (not a path of this server). */
  decide(method: string, url: string, authorization: string | undefined, readBody: () => Promise<{ value?: unknown; respond?: McpAnswer }>): Promise<{ respond?: McpAnswer; auth?: AuthInfo }>
  /** node:http: true when it answered; otherwise `req.auth` and `req.body` are set for the MCP transport. */
  handle(req: IncomingMessage & { auth?: AuthInfo; body?: unknown; originalUrl?: string }, res: ServerResponse): Promise<boolean>
  /** Express (or Connect) middleware. */
  express(): (req: IncomingMessage & { auth?: AuthInfo; body?: unknown }, res: ServerResponse, next: (error?: unknown) => void) => void
  /** Fetch-style servers: a `Response` to send, or null to go on to the MCP server (caller: `authInfo(request)`). */
  fetch(request: Request): Promise<Response | null>
  /** The caller `fetch(request)` let through. */
  authInfo(request: Request): AuthInfo | undefined
}
