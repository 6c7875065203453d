'use strict'
// The clients a benchmark worker can drive. Each is required lazily, so that
// the cold-start measurement includes loading it.
//
// The two baselines are what a team would hand-write instead of an SDK: a
// minimal REST client that caches its token (one request in flight) and
// returns JSON.parse of the body.

class BaselineClient {
  constructor(envUrl, clientId, clientSecret, send) {
    this.envUrl = envUrl
    this.form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString()
    this.send = send
    this.token = null
  }

  async bearer() {
    if (!this.token) {
      this.token = this.send('POST', '/oauth/token', { 'content-type': 'application/x-www-form-urlencoded' }, this.form).then(
        ({ status, json }) => {
          if (status !== 200) throw new Error(`token: HTTP ${status}`)
          return `Bearer ${json.access_token}`
        },
        (error) => {
          this.token = null
          throw error
        },
      )
    }
    return this.token
  }

  /** What a hand-written backend does instead of an SDK: jose's jwtVerify over the JWKS, fetched once with this client's HTTP. */
  async validateAccessToken(token) {
    const jose = require('jose')
    this.keySet ??= this.send('GET', '/keys', {}).then(({ json }) => jose.createLocalJWKSet(json))
    try {
      await jose.jwtVerify(token, await this.keySet)
      return true
    } catch {
      return false
    }
  }

  /**
   * An MCP server's auth middleware as one writes it by hand with jose: the bearer header, jwtVerify over the JWKS
   * (fetched once with this client's HTTP), the environment or resource issuer, the resource id and the server URL
   * in `aud`, the scopes a tool needs, and `req.auth`.
   */
  mcpMiddleware({ environmentUrl, resourceId, serverUrl, toolScopes }) {
    const jose = require('jose')
    const keySet = this.send('GET', '/keys', {}).then(({ json }) => jose.createLocalJWKSet(json))
    const issuer = [environmentUrl, `${environmentUrl}/resources/${resourceId}`]
    const refuse = (res, status, error) => {
      res.writeHead(status, { 'content-type': 'application/json', 'www-authenticate': `Bearer error="${error}"` })
      res.end(JSON.stringify({ error }))
    }
    return async (req, res, next) => {
      const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(req.headers.authorization ?? '')
      if (!match) return refuse(res, 401, 'invalid_token')
      let payload
      try {
        ;({ payload } = await jose.jwtVerify(match[1], await keySet, { issuer, audience: resourceId, requiredClaims: ['exp'] }))
      } catch {
        return refuse(res, 401, 'invalid_token')
      }
      if (!(Array.isArray(payload.aud) ? payload.aud : [payload.aud]).includes(serverUrl)) return refuse(res, 401, 'invalid_token')
      const scopes = [...(typeof payload.scope === 'string' ? payload.scope.split(' ') : []), ...(Array.isArray(payload.scopes) ? payload.scopes : [])]
      const messages = Array.isArray(req.body) ? req.body : [req.body]
      const needed = messages.filter((m) => m?.method === 'tools/call').flatMap((m) => toolScopes[m.params?.name] ?? [])
      if (needed.some((scope) => !scopes.includes(scope))) return refuse(res, 403, 'insufficient_scope')
      req.auth = { token: match[1], clientId: payload.client_id ?? payload.sub, scopes, expiresAt: payload.exp, resource: new URL(serverUrl), extra: { subject: payload.sub, claims: payload } }
      next()
    }
  }

  /**
   * A session check as one writes it by hand with iron-webcrypto (the sealed-cookie format of iron-session and
   * Auth0/WorkOS-style kits) and jose: find the cookie, unseal it, jwtVerify the access token over the JWKS (fetched
   * once with this client's HTTP) with the environment issuer and the client id as audience, and build the session
   * from the verified claims. Resolves a function from a token to the `Cookie` header to check.
   */
  async sessionChecker(clientId, password) {
    const jose = require('jose')
    const iron = require('iron-webcrypto')
    const keySet = await this.send('GET', '/keys', {}).then(({ json }) => jose.createLocalJWKSet(json))
    const cookieOf = async (token) => `theme=dark; skn_session=${await iron.seal({ v: 1, sid: 'ses_1', at: token, user: { email: 'ada@acme.test' } }, password, iron.defaults)}`
    const check = async (cookie) => {
      const sealed = /(?:^|;\s*)skn_session=([^;]+)/.exec(cookie)?.[1]
      if (!sealed) return { status: 'unauthenticated', reason: 'no_session' }
      const payload = await iron.unseal(sealed, password, iron.defaults)
      const { payload: claims } = await jose.jwtVerify(payload.at, keySet, { issuer: this.envUrl, audience: clientId })
      const refreshDue = claims.exp - Date.now() / 1000 <= Math.min(120, Math.max(15, (claims.exp - claims.iat) / 5))
      return { status: 'authenticated', user: payload.user, sessionId: payload.sid, organizationId: claims.oid, roles: claims.roles ?? [], permissions: claims.permissions ?? [], expiresAt: claims.exp, refreshed: false, refreshDue }
    }
    return { cookieOf, check }
  }

  async call(method, path, body) {
    const headers = { authorization: await this.bearer() }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const { status, json } = await this.send(method, path, headers, body === undefined ? undefined : JSON.stringify(body))
    if (status >= 400) throw new Error(`${method} ${path}: HTTP ${status} ${json && json.message}`)
    return json
  }

  listOrganizations({ pageSize }) {
    return this.call('GET', `/api/v1/organizations?page_size=${pageSize}`)
  }

  /** Every organization, page by page, as a hand-written loop over page tokens would. */
  async walkOrganizations(pageSize) {
    let count = 0
    let token = ''
    do {
      const page = await this.call('GET', `/api/v1/organizations?page_size=${pageSize}${token ? `&page_token=${encodeURIComponent(token)}` : ''}`)
      // Each organization visited, as the for-await walk of the native client does.
      for (const org of page.organizations) if (org.id) count++
      token = page.next_page_token
    } while (token)
    return count
  }

  listUsers({ pageSize }) {
    return this.call('GET', `/api/v1/users?page_size=${pageSize}`)
  }

  getOrganization(id) {
    return this.call('GET', `/api/v1/organizations/${encodeURIComponent(id)}`)
  }

  listDirectoryUsers(organizationId, directoryId, { pageSize, includeDetail }) {
    const path = `/api/v1/organizations/${encodeURIComponent(organizationId)}/directories/${encodeURIComponent(directoryId)}/users`
    return this.call('GET', `${path}?page_size=${pageSize}&include_detail=${includeDetail}`)
  }

  createUserAndMembership(organizationId, { email, userProfile, membership, sendInvitationEmail }) {
    const body = {
      email,
      user_profile: { given_name: userProfile.firstName, family_name: userProfile.lastName },
      membership: { roles: membership.roles.map((r) => ({ name: r.name })) },
    }
    return this.call('POST', `/api/v1/organizations/${encodeURIComponent(organizationId)}/users?send_invitation_email=${sendInvitationEmail}`, body)
  }
}

/** scalekit-native loaded from `dir`: this checkout, or another build of it to compare with. */
function nativeFrom(dir) {
  return (envUrl, clientId, clientSecret) => {
    const { ScalekitClient } = require(dir)
    const client = new ScalekitClient(envUrl, clientId, clientSecret)
    return {
      listOrganizations: (options) => client.organization.listOrganizations(options),
      listUsers: (options) => client.user.listUsers(options),
      walkOrganizations: async (pageSize) => {
        let count = 0
        for await (const org of client.organization.listOrganizationsAll({ pageSize })) if (org.id) count++
        return count
      },
      getOrganization: (id) => client.organization.getOrganization(id),
      listDirectoryUsers: (orgId, directoryId, options) => client.directory.listDirectoryUsers(orgId, directoryId, options),
      createUserAndMembership: (orgId, request) => client.user.createUserAndMembership(orgId, request),
      validateAccessToken: (token) => client.validateAccessToken(token),
      sessionChecker: async (clientId, password) => {
        const { createSessionKit } = require(`${dir}/lib/session`)
        const kit = createSessionKit({ client, cookiePassword: password, redirectUri: 'http://app.example.com/auth/callback' })
        return {
          cookieOf: async (token) => `theme=dark; ${kit.testing.sealSession({ accessToken: token, user: { email: 'ada@acme.test' } }).cookie}`,
          check: (cookie) => kit.getSession({ headers: { cookie } }),
        }
      },
      mcpMiddleware: (options) => {
        const { McpResourceServer } = require(`${dir}/lib/mcp`)
        return new McpResourceServer({ ...options, scopesSupported: ['todo:read', 'todo:write'] }).express()
      },
    }
  }
}

const factories = {
  native: nativeFrom('..'),
  // `--baseline DIR`: an earlier build, measured side by side in the same run.
  baseline: (...args) => nativeFrom(process.env.SCALEKIT_BENCH_BASELINE)(...args),

  undici(envUrl, clientId, clientSecret) {
    const { Pool } = require('undici')
    const pool = new Pool(envUrl, { connections: 256 })
    return new BaselineClient(envUrl, clientId, clientSecret, async (method, path, headers, body) => {
      const response = await pool.request({ method, path, headers, body })
      const text = await response.body.text()
      return { status: response.statusCode, json: text ? JSON.parse(text) : null }
    })
  },

  fetch(envUrl, clientId, clientSecret) {
    return new BaselineClient(envUrl, clientId, clientSecret, async (method, path, headers, body) => {
      const response = await fetch(envUrl + path, { method, headers, body })
      const text = await response.text()
      return { status: response.status, json: text ? JSON.parse(text) : null }
    })
  },
}

/** A client-credentials access token from the emulator at `url`. */
async function fetchToken(url, clientId, clientSecret) {
  const response = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  })
  return (await response.json()).access_token
}

module.exports = { factories, fetchToken }
