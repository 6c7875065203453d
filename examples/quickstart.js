'use strict'
// Scalekit's quickstart, end to end: list organizations, then create a user in one.
// Runs against an in-process emulator unless SCALEKIT_ENVIRONMENT_URL,
// SCALEKIT_CLIENT_ID and SCALEKIT_CLIENT_SECRET are all set.

const { ScalekitClient, ScalekitException } = require('scalekit-native')
const { ScalekitEmulator } = require('scalekit-native/testing')

async function main() {
  const { SCALEKIT_ENVIRONMENT_URL: envUrl, SCALEKIT_CLIENT_ID: clientId, SCALEKIT_CLIENT_SECRET: clientSecret } = process.env
  let emulator
  let scalekit
  if (envUrl && clientId && clientSecret) {
    console.log(`Using the Scalekit environment at ${envUrl}`)
    scalekit = new ScalekitClient(envUrl, clientId, clientSecret)
  } else {
    emulator = await ScalekitEmulator.start()
    emulator.createOrganization({ displayName: 'Acme Corp', externalId: 'acme' })
    emulator.createOrganization({ displayName: 'Globex', externalId: 'globex' })
    console.log(`No SCALEKIT_* credentials set: using a local Scalekit emulator at ${emulator.url} (2 organizations seeded)`)
    scalekit = new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
  }

  try {
    const { organizations, nextPageToken, totalSize } = await scalekit.organization.listOrganizations({ pageSize: 10 })
    console.log(`\nlistOrganizations({ pageSize: 10 }) -> ${organizations.length} of ${totalSize} organizations${nextPageToken ? ' (more pages)' : ''}`)
    for (const org of organizations) console.log(`  ${org.id}  ${org.displayName}  created ${org.createTime}`)
    if (organizations.length === 0) {
      console.log('No organization to add a user to; stopping here.')
      return
    }

    const organizationId = organizations[0].id
    const email = `user+${Date.now()}@example.com`
    const { user } = await scalekit.user.createUserAndMembership(organizationId, {
      email,
      userProfile: { firstName: 'John', lastName: 'Doe' },
      membership: { roles: [{ name: 'admin' }] },
      sendInvitationEmail: false,
    })
    const membership = user.memberships.find((m) => m.organizationId === organizationId)
    console.log(`\ncreateUserAndMembership('${organizationId}', { email: '${email}', ... })`)
    console.log(`  -> user ${user.id} (${user.userProfile?.givenName} ${user.userProfile?.familyName}), roles [${membership?.roles.map((r) => r.name).join(', ')}], status ${membership?.membershipStatus}`)

    try {
      await scalekit.user.createUserAndMembership('org_does_not_exist', { email: 'someone@example.com' })
    } catch (error) {
      if (!(error instanceof ScalekitException)) throw error
      console.log(`\nA failing call rejects with a typed error: ${error.name} (HTTP ${error.httpStatus}, ${error.errorCode}): ${error.message}`)
    }
    if (emulator) {
      const requests = emulator.requests()
      console.log(`\nThe emulator saw ${requests.length} requests (${requests.filter((r) => r.path === '/oauth/token').length} token request):`)
      for (const r of requests) console.log(`  ${r.method} ${r.path}${r.query ? `?${r.query}` : ''} -> ${r.status}`)
    }
  } finally {
    if (emulator) await emulator.stop()
  }
}

main().catch((error) => {
  console.error(`${error.name}: ${error.message}`)
  process.exitCode = 1
})
