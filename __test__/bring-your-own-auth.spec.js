'use strict'
// "Bring your own auth" end to end: the emulator sends the browser to the app's own login page with a
// login request it issued; the page reports the user with auth.updateLoginUserDetails and sends the
// browser to partner:callback, which finishes the sign-in with a code the app can exchange.
const test = require('ava')
const http = require('node:http')
const sk = require('..')
const { startEmulator, clientFor } = require('./helpers')

const REDIRECT = 'http://localhost:3000/callback'

/**
 * The app's own login page, as a bring-your-own-auth connection: it "authenticates" whoever `who()` names,
 * reports them with auth.updateLoginUserDetails, and redirects to Scalekit's partner:callback.
 */
async function customAuth(t, emulator, client, who) {
  let connectionId
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost')
    await client.auth.updateLoginUserDetails(connectionId, url.searchParams.get('login_request_id'), who())
    res.writeHead(302, { location: `${emulator.url}/sso/v1/connections/${connectionId}/partner:callback?state=${encodeURIComponent(url.searchParams.get('state'))}` })
    res.end()
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  connectionId = emulator.addCustomAuthConnection({ loginEndpoint: `http://127.0.0.1:${server.address().port}/auth/login` }).id
  return connectionId
}

/** Follows redirects by hand until the app's redirect URI; returns its query. */
async function browse(url) {
  for (let hops = 0; hops < 5; hops++) {
    const answer = await fetch(url, { redirect: 'manual' })
    const location = answer.headers.get('location')
    if (!location) throw new Error(`stopped at ${url}: ${answer.status} ${await answer.text()}`)
    if (location.startsWith(REDIRECT)) return new URL(location).searchParams
    url = location
  }
  throw new Error('too many redirects')
}

test("a sign-in through the app's own login page ends with a code the app exchanges", async (t) => {
  const emulator = await startEmulator(t)
  const client = clientFor(emulator)
  const connectionId = await customAuth(t, emulator, client, () => ({ sub: 'user-42', email: 'ada@acme.test', givenName: 'Ada' }))

  const callback = await browse(client.getAuthorizationUrl(REDIRECT, { connectionId, state: 'app-state', nonce: 'n-1' }))
  t.is(callback.get('state'), 'app-state', "the app's own state comes back")
  const auth = await client.authenticateWithCode(callback.get('code'), REDIRECT, { nonce: 'n-1' })
  t.is(auth.user.email, 'ada@acme.test')
  t.is(auth.user.givenName, 'Ada')
  const { user } = await client.user.getUser(auth.user.id)
  t.is(user.externalId, 'user-42', 'the user the page reported exists in the environment, its sub as external id')

  // A second sign-in finds the same user.
  const again = await browse(client.getAuthorizationUrl(REDIRECT, { connectionId }))
  t.is((await client.authenticateWithCode(again.get('code'), REDIRECT)).user.id, auth.user.id)
})

test('the callback needs the login request the emulator issued, reported first; a failed login is access_denied', async (t) => {
  const emulator = await startEmulator(t, { checkConformance: false })
  const client = clientFor(emulator)
  const connection = emulator.addCustomAuthConnection({ loginEndpoint: 'http://127.0.0.1:9/login', default: true })
  // With `default`, every sign-in of the environment's client goes to the login page.
  const first = await fetch(client.getAuthorizationUrl(REDIRECT, { state: 's1' }), { redirect: 'manual' })
  const sent = new URL(first.headers.get('location'))
  t.is(sent.origin + sent.pathname, 'http://127.0.0.1:9/login')
  const loginRequestId = sent.searchParams.get('login_request_id')
  const state = sent.searchParams.get('state')
  t.truthy(loginRequestId)
  t.truthy(state)
  const callback = (s) => fetch(`${emulator.url}/sso/v1/connections/${connection.id}/partner:callback?state=${encodeURIComponent(s)}`, { redirect: 'manual' })

  const early = await callback(state)
  t.is(early.status, 400, 'nothing reported yet')
  t.regex((await early.json()).error_description, /updateLoginUserDetails/)
  t.is((await callback('st_forged')).status, 400, 'a state the emulator never gave')
  await t.throwsAsync(client.auth.updateLoginUserDetails(connection.id, 'lri_forged', { email: 'bob@acme.test' }), { instanceOf: sk.ScalekitNotFoundException })

  await client.auth.updateLoginUserDetails(connection.id, loginRequestId, { loginFailed: true })
  const denied = new URL((await callback(state)).headers.get('location'))
  t.is(denied.searchParams.get('error'), 'access_denied')
  t.is(denied.searchParams.get('state'), 's1')
  t.is((await callback(state)).status, 400, 'a login request finishes once')
})
