'use strict'
// Auto-pagination: every paged list method `m` gets `mAll(...the same arguments)`, a Paginator
// that walks the pages lazily (one page in memory at a time), through the normal native call,
// so each page gets the usual retries, deadline and `signal`. Its `cursor` names the next item
// not yet yielded: pass it back as `{ cursor }` in the per-request options to resume there.

const { classes, checkRequestOptions, convertError, jsTypeOf } = require('./errors.js')

// method: [the list's key in each page, where the paging arguments go]
//   { options: i }: `pageToken`/`pageSize` inside the options object at argument i
//   { token: i, size: j }: positional arguments
//   pageNumber: pages by `pageNumber` (0-based) instead of a token
const PAGINATED = {
  OrganizationClient: {
    listOrganizations: ['organizations', { options: 0 }],
    searchOrganization: ['organizations', { size: 1, token: 2 }],
  },
  UserClient: {
    listUsers: ['users', { options: 0 }],
    listOrganizationUsers: ['users', { options: 1 }],
    searchUsers: ['users', { size: 1, token: 2 }],
    searchOrganizationUsers: ['users', { size: 2, token: 3 }],
  },
  SessionClient: { getUserSessions: ['sessions', { options: 1 }] },
  DomainClient: { listDomains: ['domains', { options: 1, pageNumber: true }] },
  ConnectionClient: { listAppConnections: ['connections', { options: 0 }] },
  DirectoryClient: {
    listDirectoryUsers: ['users', { options: 2 }],
    listDirectoryGroups: ['groups', { options: 2 }],
  },
  PermissionClient: { listPermissions: ['permissions', { token: 0, size: 1 }] },
  TokenClient: { listTokens: ['tokens', { options: 1 }] },
  M2MClient: { listOrganizationClients: ['clients', { options: 1 }] },
  EventsClient: { listEventsPaginated: ['events', { size: 0, token: 1 }] },
  ToolsClient: {
    listTools: ['tools', { options: 0 }],
    listScopedTools: ['tools', { options: 1 }],
    listAvailableTools: ['tools', { options: 1 }],
  },
  ConnectedAccountsClient: {
    listConnectedAccounts: ['connectedAccounts', { options: 0 }],
    searchConnectedAccounts: ['connectedAccounts', { options: 1 }],
  },
  ActionsClient: {
    listConnectedAccounts: ['connectedAccounts', { options: 0 }],
    listConnections: ['connections', { options: 0 }],
  },
  McpClient: { listMcpConfigs: ['configs', { options: 0 }] },
  AuditLogsClient: { listAuthRequests: ['authRequests', { options: 0 }] },
}

const invalid = (field, message) => new classes.ScalekitValidationException(message, { field })

/** `{ t: page token or number, i: items of that page already yielded }`, opaque to callers. */
function encodeCursor(position) {
  return Buffer.from(JSON.stringify({ v: 1, ...position })).toString('base64url')
}

function decodeCursor(cursor) {
  try {
    const position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (position.v === 1 && Number.isInteger(position.i) && position.i >= 0 && ['string', 'number'].includes(typeof position.t)) return position
  } catch {}
  throw invalid('requestOptions.cursor', 'requestOptions.cursor is not a cursor this client gave')
}

class Paginator {
  #fetch
  #items
  #pageNumber
  #position
  #done = false
  #started = false
  #seen = new Set()

  /** `fetch(tokenOrNumber)` gets one page; `start` is where the walk begins. */
  constructor(fetch, items, pageNumber, start) {
    this.#fetch = fetch
    this.#items = items
    this.#pageNumber = pageNumber
    this.#position = { ...start }
  }

  /** Where a new walk would start: the next item not yet yielded; null once every page was read. */
  get cursor() {
    return this.#done ? null : encodeCursor(this.#position)
  }

  /** The pages, each as the list method returns it (the first may be partial when resuming mid-page). */
  async *pages() {
    this.#begin()
    while (!this.#done) {
      const { page, items, i, next } = await this.#page()
      this.#advance(next)
      yield i === 0 ? page : { ...page, [this.#items]: items.slice(i) }
    }
  }

  async *[Symbol.asyncIterator]() {
    this.#begin()
    while (!this.#done) {
      // The page itself never leaves this loop, so each item is dropped from it once yielded: an item the
      // caller does not keep can then die young instead of being kept (and promoted) by the rest of its page.
      const { items, i, next } = await this.#page()
      for (let k = i; k < items.length; k++) {
        const item = items[k]
        items[k] = undefined
        // Moved before the yield: a walk stopped after this item resumes with the next one.
        this.#position.i = k + 1
        if (k === items.length - 1) this.#advance(next)
        yield item
      }
      if (items.length <= i) this.#advance(next)
    }
  }

  /** Every item, up to a cap you must give: `toArray({ limit: 1000 })`. */
  async toArray(options) {
    const limit = options !== null && typeof options === 'object' ? options.limit : undefined
    if (!Number.isInteger(limit) || limit < 1) throw invalid('limit', 'toArray needs { limit }: a whole number above 0, the most items to collect')
    const out = []
    for await (const item of this) {
      out.push(item)
      if (out.length >= limit) break
    }
    return out
  }

  #begin() {
    if (this.#started) throw new classes.ScalekitException('a paginator walks once; start another (with its cursor) to walk again')
    this.#started = true
  }

  /** The page at the current position, its items, where in them to start, and the next position's token. */
  async #page() {
    const { t, i } = this.#position
    if (!this.#pageNumber) {
      if (this.#seen.has(t)) throw new classes.ScalekitException('the API returned a page token it had already given: stopping instead of looping')
      this.#seen.add(t)
    }
    const page = await this.#fetch(t)
    const items = Array.isArray(page?.[this.#items]) ? page[this.#items] : []
    const next = this.#pageNumber ? nextPageNumber(page, items, t) : page?.nextPageToken || null
    return { page, items, i, next }
  }

  #advance(next) {
    if (next === null) this.#done = true
    else this.#position = { t: next, i: 0 }
  }
}

/** Page-number lists carry no total: a short page is the last. */
function nextPageNumber(page, items, current) {
  const size = page?.pageSize || 0
  return size > 0 && items.length >= size ? current + 1 : null
}

const parameterName = (signature, i) => /^(\w+)/.exec(signature[i])[1]

/** The Paginator of `client[method](...args)`, its arguments checked now as the list method would check them. */
function paginator(client, method, items, paging, signature, args) {
  const optionsAt = signature.findIndex((p) => /^requestOptions\??:/.test(p))
  // A wrong type is never spread into an object that passes.
  const given = checkRequestOptions(args[optionsAt])
  const requestOptions = given == null ? undefined : { ...given }
  const cursor = requestOptions?.cursor
  const withResponse = requestOptions?.withResponse
  if (requestOptions) {
    delete requestOptions.cursor
    // Pages are walked for their items: there is no response to give.
    delete requestOptions.withResponse
  }
  if (cursor != null && typeof cursor !== 'string') throw invalid('requestOptions.cursor', `requestOptions.cursor must be a string (a paginator's cursor), got ${jsTypeOf(cursor)}`)
  if (withResponse != null && typeof withResponse !== 'boolean') throw invalid('requestOptions.withResponse', `requestOptions.withResponse must be a boolean, got ${jsTypeOf(withResponse)}`)
  const base = args.slice(0, optionsAt)
  // The list's own options, when they are an object; anything else goes to the list method as it is, to be refused there.
  const listOptions = paging.options !== undefined && jsTypeOf(base[paging.options]) === 'an object' ? base[paging.options] : undefined
  // A page token of the wrong type would be dropped below (a falsy one) or kept for later pages: refused now.
  const [field, token] = paging.pageNumber ? [] : paging.options !== undefined
    ? [`${parameterName(signature, paging.options)}.pageToken`, listOptions?.pageToken]
    : [parameterName(signature, paging.token), base[paging.token]]
  if (token != null && typeof token !== 'string') throw invalid(field, `${field} must be a string${field.includes('.') ? '' : ' or undefined'}, got ${jsTypeOf(token)}`)
  let start
  if (cursor != null) start = decodeCursor(cursor)
  else if (paging.pageNumber) start = { t: listOptions?.pageNumber ?? 0, i: 0 }
  else if (paging.options !== undefined) start = { t: listOptions?.pageToken ?? '', i: 0 }
  else start = { t: base[paging.token] ?? '', i: 0 }
  const fetch = (position) => {
    const call = [...base]
    try {
      if (paging.options !== undefined && base[paging.options] != null && !listOptions) {
        // Left as it is: the list method names it.
      } else if (paging.pageNumber) {
        call[paging.options] = { ...listOptions, pageNumber: position }
      } else if (paging.options !== undefined) {
        call[paging.options] = { ...listOptions, pageToken: position || undefined }
      } else {
        call[paging.token] = position || undefined
      }
    } catch (error) {
      return Promise.reject(convertError(error, signature, base))
    }
    call[optionsAt] = requestOptions
    return client[method](...call)
  }
  return new Paginator(fetch, items, Boolean(paging.pageNumber), start)
}

/** Adds `mAll` next to every paged method of the native classes. */
function install(binding, parameters) {
  for (const [className, methods] of Object.entries(PAGINATED)) {
    const Class = binding[className]
    for (const [method, [items, paging]] of Object.entries(methods)) {
      const signature = parameters[className][method]
      const all = {
        [`${method}All`](...args) {
          try {
            return paginator(this, method, items, paging, signature, args)
          } catch (error) {
            // A revoked Proxy or the like among the arguments: named as the list method would name it.
            throw convertError(error, signature, args)
          }
        },
      }[`${method}All`]
      Object.defineProperty(Class.prototype, `${method}All`, { value: all, writable: true, configurable: true })
    }
  }
}

module.exports = { install, Paginator, PAGINATED }
