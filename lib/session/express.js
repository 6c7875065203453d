'use strict'
// The session kit for Express (and any Connect-style app on node:http): the sign-in routes, a lazy
// `req.scalekit.getSession()`, and `requireSession()`.

const { ScalekitSessionError } = require('./errors.js')

/** Whether a request is a page navigation (redirect it to sign in) rather than fetch/XHR (answer 401). */
function isNavigation(req) {
  const mode = req.headers['sec-fetch-mode']
  if (mode) return mode === 'navigate'
  return req.method === 'GET' && /text\/html/.test(req.headers.accept ?? '')
}

function sendJson(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers })
  res.end(JSON.stringify(body))
}

function redirect(res, location, status = 302) {
  res.statusCode = status
  res.setHeader('location', location)
  res.setHeader('cache-control', 'private, no-store')
  res.end()
}

/**
 * Middleware: the sign-in routes under `basePath` (default `/auth`): GET `login` (`?returnTo=`), the callback (the path
 * of `redirectUri`), POST `logout`, GET `refresh` (`?returnTo=`), GET `switch-organization` (`?organizationId=`), and, for
 * every request, `req.scalekit.getSession()` (computed once per request). `revokeOnLogout` also ends the Scalekit session.
 */
function router(kit, { redirectUri, basePath = '/auth', afterLogoutPath, revokeOnLogout = false } = {}) {
  const callbackPath = new URL(redirectUri).pathname
  const route = (name) => `${basePath.replace(/\/$/, '')}/${name}`
  return async (req, res, next) => {
    let memo
    req.scalekit = { getSession: () => (memo ??= kit.getSession(req, res)) }
    const path = (req.originalUrl ?? req.url ?? '/').split('?')[0]
    const query = new URL(req.originalUrl ?? req.url ?? '/', 'https://app.invalid').searchParams
    try {
      if (req.method === 'GET' && path === route('login')) {
        const { url, setCookie } = kit.startLogin(req, { returnTo: query.get('returnTo') ?? '/', organizationId: query.get('organizationId') ?? undefined, loginHint: query.get('loginHint') ?? undefined })
        res.setHeader('set-cookie', setCookie)
        return redirect(res, url)
      }
      if (req.method === 'GET' && path === callbackPath) {
        const { returnTo } = await kit.handleCallback(req, res)
        return redirect(res, returnTo)
      }
      if (path === route('logout')) {
        const { url } = await kit.logout(req, res, { returnTo: afterLogoutPath, revoke: revokeOnLogout })
        return redirect(res, url, 303)
      }
      if (req.method === 'GET' && path === route('refresh')) {
        await req.scalekit.getSession()
        return redirect(res, sameOrigin(query.get('returnTo')))
      }
      if (req.method === 'GET' && path === route('switch-organization')) {
        const { url, setCookie } = kit.switchOrganization(req, query.get('organizationId'), { returnTo: query.get('returnTo') ?? '/' })
        res.setHeader('set-cookie', setCookie)
        return redirect(res, url)
      }
    } catch (error) {
      if (error instanceof ScalekitSessionError || error?.name === 'ScalekitValidationException') {
        return sendJson(res, error.status ?? 400, { error: error.code ?? 'invalid_request', error_description: error.message })
      }
      return next(error)
    }
    next()
  }
}

const sameOrigin = (path) => (typeof path === 'string' && path.startsWith('/') && !path.startsWith('//') && !path.includes('\\') ? path : '/')

/**
 * Middleware that lets only a signed-in user through (`req.scalekit.session` is the session): a page navigation is
 * redirected to the login route (back here afterwards), fetch/XHR gets 401 JSON, and an unavailable session (Scalekit
 * unreachable at refresh, no valid token left) 503 with Retry-After.
 */
function requireSession(kit, { loginPath = '/auth/login' } = {}) {
  return async (req, res, next) => {
    try {
      const session = await (req.scalekit?.getSession() ?? kit.getSession(req, res))
      if (session.status === 'authenticated') {
        req.scalekit = { ...req.scalekit, session }
        return next()
      }
      if (session.status === 'unavailable') return sendJson(res, 503, { error: 'temporarily_unavailable' }, { 'retry-after': String(session.retryAfter) })
      if (isNavigation(req)) return redirect(res, `${loginPath}?returnTo=${encodeURIComponent(req.originalUrl ?? req.url ?? '/')}`)
      return sendJson(res, 401, { error: 'unauthenticated', reason: session.reason })
    } catch (error) {
      next(error)
    }
  }
}

module.exports = { router, requireSession }
