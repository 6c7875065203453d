// The README's jest set-up, as a user writes it: the package by name, one emulator per test file.
const { ScalekitClient, ScalekitNotFoundException } = require('scalekit-native')
const { ScalekitEmulator } = require('scalekit-native/testing')

let emulator
let scalekit
beforeAll(async () => {
  emulator = await ScalekitEmulator.start()
  scalekit = new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
})
afterAll(() => emulator.stop())
beforeEach(() => emulator.reset())

test('quickstart calls work under jest', async () => {
  const org = emulator.createOrganization({ displayName: 'Jest Org' })
  const { organizations, totalSize } = await scalekit.organization.listOrganizations({ pageSize: 10 })
  expect(totalSize).toBe(1)
  expect(organizations[0].displayName).toBe('Jest Org')
  const { user } = await scalekit.user.createUserAndMembership(org.id, { email: 'jest@example.com', userProfile: { firstName: 'Jest' } })
  expect(user.email).toBe('jest@example.com')
  await expect(scalekit.user.createUserAndMembership('org_missing', { email: 'x@example.com' })).rejects.toBeInstanceOf(ScalekitNotFoundException)
})

test('each test file has its own emulator: this one sees only its own data', async () => {
  emulator.seedOrganizations(3)
  const names = []
  for await (const org of scalekit.organization.listOrganizationsAll({ pageSize: 2 })) names.push(org.displayName)
  expect(names).toEqual(['Organization 1', 'Organization 2', 'Organization 3'])
})
