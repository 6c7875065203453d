'use strict'
// The session kit for the Next.js App Router: route handlers for the sign-in routes, a middleware (Node.js runtime)
// that refreshes the session and forwards it to the render sealed in a request header (a client's copy of that header
// is always dropped), and getSession() / requireSession() for Server Components and Server Actions, which never write
// cookies: they redirect to the refresh route when the token has expired. Edge runtimes cannot load the addon.

const { ScalekitSessionError } = require('./errors.js')

/** The sealed session the middleware forwards, and the path being rendered. */
const FORWARD_HEADER = 'x-scalekit-session'
const PATH_HEADER = 'x-scalekit-path'

const sameOrigin = (path) => (typeof path === 'string' && path.startsWith('/') && !path.startsWith('//') && !path.includes('\\') ? path : '/')

function redirectResponse(location, cookies = [], status = 302) {
  const headers = new Headers({ location, 'cache-control': 'private, no-store' })
  for (const cookie of cookies) headers.append('set-cookie', cookie)
  return new Response(null, { status, headers })
}

function errorResponse(error) {
  return Response.json({ error: error.code ?? 'invalid_request', error_description: error.message }, { status: error.status ?? 400, headers: { 'cache-control': 'no-store' } })
}

function adapter(kit, { redirectUri, basePath = '/auth', loginPath = `${basePath}/login`, refreshPath = `${basePath}/refresh` }) {
  const callbackPath = new URL(redirectUri).pathname
  const route = (name) => `${basePath.replace(/\/$/, '')}/${name}`

  async function GET(request) {
    const url = new URL(request.url)
    try {
      if (url.pathname === callbackPath) {
        const { returnTo, setCookie } = await kit.handleCallback(request)
        return redirectResponse(returnTo, setCookie)
      }
      if (url.pathname === route('login')) {
        const { url: to, setCookie } = kit.startLogin(request, { returnTo: url.searchParams.get('returnTo') ?? '/', organizationId: url.searchParams.get('organizationId') ?? undefined, loginHint: url.searchParams.get('loginHint') ?? undefined })
        return redirectResponse(to, setCookie)
      }
      if (url.pathname === route('refresh')) {
        const session = await kit.getSession(request)
        return redirectResponse(session.status === 'authenticated' ? sameOrigin(url.searchParams.get('returnTo')) : `${loginPath}?returnTo=${encodeURIComponent(sameOrigin(url.searchParams.get('returnTo')))}`, session.setCookie)
      }
      if (url.pathname === route('switch-organization')) {
        const { url: to, setCookie } = kit.switchOrganization(request, url.searchParams.get('organizationId'), { returnTo: url.searchParams.get('returnTo') ?? '/' })
        return redirectResponse(to, setCookie)
      }
    } catch (error) {
      if (error instanceof ScalekitSessionError || error?.name === 'ScalekitValidationException') {
        const response = errorResponse(error)
        for (const cookie of error.setCookie ?? []) response.headers.append('set-cookie', cookie)
        return response
      }
      throw error
    }
    return new Response('Not Found', { status: 404 })
  }

  async function POST(request) {
    const url = new URL(request.url)
    if (url.pathname !== route('logout')) return new Response('Not Found', { status: 404 })
    try {
      const { url: to, setCookie } = await kit.logout(request)
      return redirectResponse(to, setCookie, 303)
    } catch (error) {
      if (error instanceof ScalekitSessionError) return errorResponse(error)
      throw error
    }
  }

  /**
   * The middleware (`export const config = { runtime: 'nodejs' }`, Next.js 15.2+): refreshes the session when it is
   * due and forwards it to the render. Returns the `NextResponse` to answer with.
   */
  async function middleware(request) {
    const { NextResponse } = require('next/server')
    const headers = new Headers(request.headers)
    // Never trust a client's copy of the forwarded session.
    headers.delete(FORWARD_HEADER)
    const url = new URL(request.url)
    headers.set(PATH_HEADER, `${url.pathname}${url.search}`)
    const session = await kit.getSession(request)
    headers.set(FORWARD_HEADER, kit._forward.forward(session))
    const response = NextResponse.next({ request: { headers } })
    for (const cookie of session.setCookie) response.headers.append('set-cookie', cookie)
    if (session.setCookie.length > 0) response.headers.set('cache-control', 'private, no-store')
    return response
  }

  /** The session, in a Server Component or Server Action: the middleware's, else read from the cookie (never written). */
  async function getSession() {
    const { headers, cookies } = require('next/headers')
    const forwarded = kit._forward.forwarded((await headers()).get(FORWARD_HEADER) ?? undefined)
    if (forwarded) return forwarded
    const jar = await cookies()
    const cookie = jar.getAll().map(({ name, value }) => `${name}=${value}`).join('; ')
    return kit.getSession({ headers: { cookie } }, undefined, { refresh: false })
  }

  /** The session of a signed-in user, else a redirect: to the refresh route when only a refresh is due, else to sign in. */
  async function requireSession() {
    const { headers } = require('next/headers')
    const { redirect } = require('next/navigation')
    const session = await getSession()
    if (session.status === 'authenticated') return session
    const here = (await headers()).get(PATH_HEADER) ?? '/'
    if (session.needsRefresh) redirect(`${refreshPath}?returnTo=${encodeURIComponent(here)}`)
    if (session.status === 'unavailable') throw Object.assign(new Error('the session cannot be checked now (Scalekit unreachable); try again'), { retryAfter: session.retryAfter })
    redirect(`${loginPath}?returnTo=${encodeURIComponent(here)}`)
  }

  return { handlers: { GET, POST }, middleware, getSession, requireSession }
}

module.exports = { adapter, FORWARD_HEADER, PATH_HEADER }
