'use strict'
// Cookies of the session kit: reading them from any request, writing them as Set-Cookie headers, and splitting a
// value too big for one cookie into chunks (browsers drop a cookie over 4 kB without a word).

/** The largest value one cookie holds here: browsers cap name, value and attributes at 4 096 bytes. */
const CHUNK_BYTES = 3800
/** At most this many cookies per value; more than two is warned about. */
const MAX_CHUNKS = 3

/** A request header, from a node:http / Express request, a fetch Request, or a plain headers object. */
function header(req, name) {
  const headers = req?.headers
  if (!headers) return undefined
  if (typeof headers.get === 'function') return headers.get(name) ?? undefined
  const value = headers[name] ?? headers[name.toLowerCase()]
  return Array.isArray(value) ? value.join(', ') : value
}

/** The request's cookies by name (the first of each name). */
function parseCookies(req) {
  const cookies = new Map()
  const text = header(req, 'cookie')
  if (!text) return cookies
  for (const part of text.split(';')) {
    const at = part.indexOf('=')
    if (at < 0) continue
    const name = part.slice(0, at).trim()
    if (!name || cookies.has(name)) continue
    let value = part.slice(at + 1).trim()
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1)
    cookies.set(name, value)
  }
  return cookies
}

/** A Set-Cookie header: HttpOnly, SameSite=Lax, Path=/, Secure when the app is served over HTTPS. */
function serialize(name, value, { maxAge, secure }) {
  let cookie = `${name}=${value}; Path=/; HttpOnly; SameSite=Lax`
  if (secure) cookie += '; Secure'
  if (maxAge !== undefined) cookie += `; Max-Age=${Math.max(0, Math.floor(maxAge))}`
  return cookie
}

const chunkName = (name, index) => (index === 0 ? name : `${name}.${index}`)

/** A value written across as many chunks as it needs, and stale chunks (of an earlier, longer value) cleared. */
function writeChunked(cookies, name, value, { maxAge, secure, warn }) {
  const chunks = []
  for (let at = 0; at < value.length; at += CHUNK_BYTES) chunks.push(value.slice(at, at + CHUNK_BYTES))
  if (chunks.length > MAX_CHUNKS) {
    const error = new Error(`the session is ${value.length} bytes, over ${MAX_CHUNKS} cookies of ${CHUNK_BYTES}: keep fewer claims in its tokens`)
    error.code = 'SCALEKIT_SESSION_TOO_LARGE'
    throw error
  }
  if (chunks.length > 2) warn?.(`scalekit-native/session: the session cookie needs ${chunks.length} chunks (${value.length} bytes); browsers may refuse that many`)
  const headers = chunks.map((chunk, i) => serialize(chunkName(name, i), chunk, { maxAge, secure }))
  for (let i = chunks.length; i < MAX_CHUNKS; i++) if (cookies.has(chunkName(name, i))) headers.push(serialize(chunkName(name, i), '', { maxAge: 0, secure }))
  return headers
}

/** A chunked value read back (undefined when its first chunk is missing). */
function readChunked(cookies, name) {
  if (!cookies.has(name)) return undefined
  let value = cookies.get(name)
  for (let i = 1; i < MAX_CHUNKS && cookies.has(chunkName(name, i)); i++) value += cookies.get(chunkName(name, i))
  return value
}

/** Set-Cookie headers that clear every chunk of `name`. */
function clearChunked(name, { secure }) {
  return Array.from({ length: MAX_CHUNKS }, (_, i) => serialize(chunkName(name, i), '', { maxAge: 0, secure }))
}

module.exports = { CHUNK_BYTES, MAX_CHUNKS, header, parseCookies, serialize, writeChunked, readChunked, clearChunked }
