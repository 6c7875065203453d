// The addon loads and works under jest (its own module registry and VM contexts).
const { ScalekitClient, ScalekitNotFoundException } = require('../..')
const { ScalekitEmulator } = require('../../testing')

let emulator
beforeAll(async () => {
  emulator = await ScalekitEmulator.start()
})
afterAll(() => emulator.stop())

test('quickstart calls work under jest', async () => {
  const org = emulator.createOrganization({ displayName: 'Jest Org' })
  const client = new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
  const { organizations, totalSize } = await client.organization.listOrganizations({ pageSize: 10 })
  expect(totalSize).toBe(1)
  expect(organizations[0].displayName).toBe('Jest Org')
  const { user } = await client.user.createUserAndMembership(org.id, { email: 'jest@example.com', userProfile: { firstName: 'Jest' } })
  expect(user.email).toBe('jest@example.com')
  await expect(client.user.createUserAndMembership('org_missing', { email: 'x@example.com' })).rejects.toBeInstanceOf(ScalekitNotFoundException)
})
