'use strict'
// The docs run: every examples/ file, and the README blocks marked `<!-- runs: … -->`, against
// the emulator, in a fresh Node with no SCALEKIT_* credentials, as a user would run them.
const test = require('ava')
const fs = require('node:fs')
const path = require('node:path')
const { execFile } = require('node:child_process')
const { promisify } = require('node:util')
const { ScalekitEmulator } = require('../testing')

const root = path.join(__dirname, '..')
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SCALEKIT_')))
const node = (args, env = cleanEnv()) => promisify(execFile)(process.execPath, args, { cwd: root, env, timeout: 60_000 })

// What each example must print (its result, not just its running).
const EXAMPLES = {
  'quickstart.js': [/listOrganizations\(\{ pageSize: 10 \}\) -> 2 of 2 organizations/, /ScalekitNotFoundException \(HTTP 404/],
  'list-organizations.js': [/first page: 10 of 25/, /walked 25 organizations/, /resumed: 12 then 13, 25 distinct/],
  'onboard-user.js': [/roles: admin; permissions: invoices:read/, /has 1 member/],
  'sso-connection.js': [/ACS URL\s+http:\/\/127\.0\.0\.1:\d+\/sso\/v1\/saml\/conn_\w+\/acs/, /\(COMPLETED, enabled\)/, /oauth\/authorize\?response_type=code/],
  'directory-sync.js': [/employee0@initech\.example: groups Finance, employee 100, cost_center CC-7/, /synced 12 users and 2 groups/],
  'm2m.js': [/the service got an access token/, /valid: organization org_\w+, client m2morg_\w+/, /rotated: new secret/],
  'webhook-handler.js': [/organization\.created: Umbrella \(crm_id 42\)/, /user\.organization_membership_created: alice@umbrella\.example/, /a forged delivery gets 400 bad_signature/],
}

test('every example is listed here', (t) => {
  const files = fs.readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.js') && !['connect.js', 'express-login.js', 'express-session.js', 'mcp-server.js'].includes(f))
  // Servers: __test__/express-login.spec.js drives express-login.js like a browser, __test__/session.spec.js drives
  // express-session.js (and runs it as a command), __test__/mcp-kit.spec.js drives mcp-server.js with the MCP SDK's
  // client (and runs it as a command). examples/nextjs-session is scripts/check-next-session.js's.
  t.deepEqual(files.sort(), Object.keys(EXAMPLES).sort())
})

for (const [file, expected] of Object.entries(EXAMPLES)) {
  test(`examples/${file} runs against the emulator`, async (t) => {
    const { stdout } = await node([path.join('examples', file)])
    for (const line of expected) t.regex(stdout, line)
  })
}

/** The ```js block after each `<!-- runs: … -->` marker of the README. */
function readmeBlocks() {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')
  return [...readme.matchAll(/<!-- runs:[^>]*-->\s*```js\n([\s\S]*?)```/g)].map((m) => m[1])
}

test('the README blocks marked to run, run against the emulator', async (t) => {
  const blocks = readmeBlocks()
  t.true(blocks.length >= 2, `${blocks.length} blocks`)
  const emulator = await ScalekitEmulator.start()
  t.teardown(() => emulator.stop())
  emulator.createOrganization({ displayName: 'Seeded' })
  const env = { ...cleanEnv(), SCALEKIT_ENVIRONMENT_URL: emulator.url, SCALEKIT_CLIENT_ID: emulator.clientId, SCALEKIT_CLIENT_SECRET: emulator.clientSecret }
  for (const [i, block] of blocks.entries()) {
    // A README block is module code with top-level await; run it as such, the package by name.
    const file = path.join(root, 'examples', `.readme-block-${i}.cjs`)
    fs.writeFileSync(file, `(async () => {\n${block}\n})().catch((error) => { console.error(error); process.exitCode = 1 })\n`)
    try {
      await t.notThrowsAsync(node([file], env), `README block ${i}`)
    } finally {
      fs.rmSync(file, { force: true })
    }
  }
  t.true(emulator.requests().some((r) => r.path === '/api/v1/users' && r.status === 200), 'the blocks made real calls')
})
