// scalekit-native/session: sign-in sessions for Express and Next.js (see lib/session/index.js and the README, "Sessions").
import type { IncomingMessage, ServerResponse } from 'node:http'
import { ScalekitException, type ScalekitClient, type User } from '../../index'

/** Anything with request headers: a node:http / Express request, a fetch `Request`, or `{ headers }`. */
export type RequestLike = IncomingMessage | Request | { headers: Headers | Record<string, string | string[] | undefined>; method?: string; url?: string }

/**
 * Where refreshes meet across instances. The default keeps them in this process; for several instances, back it by a
 * shared store (Redis: `SET key value EX ttl`, and a lock for `singleFlight`). Keys never hold a token, only a keyed
 * fingerprint of one; values are sealed sessions or flags.
 */
export interface SessionCoordinator {
  /** Runs `task` once per key at a time; callers that come while it runs get its result. */
  singleFlight<T>(key: string, task: () => Promise<T>): Promise<T>
  get(key: string): Promise<unknown>
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>
}

export interface SessionKitOptions {
  client: ScalekitClient
  /** At least 32 characters each. A list gives rotation: the first seals, all of them unseal. */
  cookiePassword: string | string[]
  /** The absolute URL of the callback route, registered with Scalekit. Its origin is the app's (cookies, logout check). */
  redirectUri: string
  /** Where Scalekit sends the browser after logout (registered with Scalekit). */
  postLogoutRedirectUri?: string
  /** Default `['openid', 'profile', 'email', 'offline_access']`. */
  scopes?: string[]
  /** Refresh this long before the access token expires. Default: a fifth of its lifetime, from 15 to 120 seconds. */
  refreshBufferSeconds?: number
  /** Leeway for `exp`/`nbf` when validating tokens. Default 0. */
  clockToleranceSeconds?: number
  /** The clock, in milliseconds (default `Date.now`): give `() => emulator.now()` in tests that move time. */
  now?: () => number
  coordinator?: SessionCoordinator
  /** Where warnings go (a cookie needing 3 chunks, a revocation that failed). Default `console`. */
  logger?: { warn(message: string): void } | null
  /** Default `skn_session` (`__Host-skn_session` over HTTPS). */
  cookieName?: string
}

/** The Set-Cookie headers a call produced (not enumerable: results stay plain to log and serialize). */
interface WithCookies {
  readonly setCookie: string[]
}

export interface AuthenticatedSession {
  status: 'authenticated'
  /** The signed-in user, as the callback gave it. */
  user: User
  sessionId: string
  organizationId?: string
  /** From the verified access token only. */
  roles: string[]
  /** From the verified access token only. */
  permissions: string[]
  accessToken: string
  /** Unix seconds. */
  expiresAt: number
  /** Whether this call refreshed the tokens (and wrote the cookie). */
  refreshed: boolean
  /** `getSession(req, res, { refresh: false })` only: the token is due for a refresh this call did not make. */
  needsRefresh?: boolean
}

export type UnauthenticatedReason =
  | 'no_session'
  | 'invalid_cookie'
  | 'invalid_token'
  | 'expired'
  | 'logged_out'
  | 'session_ended'
  | 'refresh_outcome_unknown'

export interface UnauthenticatedSession {
  status: 'unauthenticated'
  reason: UnauthenticatedReason
  needsRefresh?: boolean
}

/** Scalekit cannot be reached (keys, refresh) and no valid token is left: try again after `retryAfter` seconds. */
export interface UnavailableSession {
  status: 'unavailable'
  retryAfter: number
}

export type Session = (AuthenticatedSession | UnauthenticatedSession | UnavailableSession) & WithCookies

export interface StartLoginOptions {
  /** A path of this site (default `/`); anything else is refused. */
  returnTo?: string
  organizationId?: string
  connectionId?: string
  loginHint?: string
  prompt?: string
}

export interface LogoutOptions {
  /** A path of this site to land on after Scalekit's logout (default: `postLogoutRedirectUri`). */
  returnTo?: string
  /** Also revoke the session at Scalekit (every device's tokens stop refreshing). Default false. */
  revoke?: boolean
}

export interface GetSessionOptions {
  /** `false`: never refresh (where cookies cannot be written); `needsRefresh` then says one is due. Default true. */
  refresh?: boolean
}

export interface SessionKit {
  /** The Scalekit URL to redirect to, and the sealed transaction cookie to set. */
  startLogin(req: RequestLike, options?: StartLoginOptions): { url: string } & WithCookies
  /** Checks state, exchanges the code (PKCE, nonce), seals the session. Rejects with `ScalekitSessionError`. */
  handleCallback(req: RequestLike, res?: ServerResponse): Promise<{ session: AuthenticatedSession; returnTo: string } & WithCookies>
  /** POST from this site only: ends the session (also for in-flight refreshes), clears the cookies, gives Scalekit's logout URL. */
  logout(req: RequestLike, options?: LogoutOptions): Promise<{ url: string } & WithCookies>
  logout(req: RequestLike, res: ServerResponse | undefined, options?: LogoutOptions): Promise<{ url: string } & WithCookies>
  /** The request's session, refreshed when due (cookies written to `res` when given; always in `setCookie`). */
  getSession(req: RequestLike, options?: GetSessionOptions): Promise<Session>
  getSession(req: RequestLike, res: ServerResponse | undefined, options?: GetSessionOptions): Promise<Session>
  /** A sign-in into another organization of the user (`prompt=select_account`); the callback checks the new token's. */
  switchOrganization(req: RequestLike, organizationId: string, options?: { returnTo?: string }): { url: string } & WithCookies
  readonly cookieNames: { session: string; transaction(state: string): string }
  readonly testing: {
    /** A sealed session cookie from tokens you hold: `cookie` for a `Cookie` header, `setCookie` as the kit writes it. */
    sealSession(tokens: { accessToken: string; refreshToken?: string; idToken?: string; user?: User }): { cookie: string; setCookie: string[] }
  }
  /**
   * Express: the routes under `basePath` (default `/auth`): GET login, the callback (the path of `redirectUri`), POST
   * logout, GET refresh, GET switch-organization; and `req.scalekit.getSession()` on every request.
   */
  express(options?: { basePath?: string; afterLogoutPath?: string; revokeOnLogout?: boolean }): (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void
  /** Express: signed-in users only (`req.scalekit.session`); navigations are redirected, fetch/XHR get 401, an unavailable session 503. */
  requireSession(options?: { loginPath?: string }): (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void
  /** Next.js App Router (Node.js runtime). */
  readonly next: {
    /** `export const { GET, POST } = kit.next.handlers` in `app/auth/[...scalekit]/route.ts` (and the callback's route). */
    handlers: { GET(request: Request): Promise<Response>; POST(request: Request): Promise<Response> }
    /** `export const config = { runtime: 'nodejs' }`: refreshes when due and forwards the session to the render. */
    middleware(request: Request): Promise<Response>
    /** Server Components and Server Actions: never writes cookies. */
    getSession(): Promise<Session>
    /** The signed-in user's session, else a redirect (to the refresh route when only a refresh is due, else to sign in). */
    requireSession(): Promise<AuthenticatedSession & WithCookies>
  }
}

export declare function createSessionKit(options: SessionKitOptions): SessionKit
export declare function createMemoryCoordinator(): SessionCoordinator

/** A sign-in or logout that could not complete. */
export declare class ScalekitSessionError extends ScalekitException {
  /** The IdP's (`access_denied`, `login_required`, …) or the kit's: `state_mismatch`, `missing_code`, `organization_mismatch`, `cross_site`, `method_not_allowed`. */
  code: string
  /** The HTTP status an adapter answers with. */
  status: number
  /** The Set-Cookie headers clearing the login transaction. */
  readonly setCookie?: string[]
}
