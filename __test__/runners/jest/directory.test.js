// A second jest file, run in a parallel worker with an emulator of its own.
const { ScalekitClient } = require('scalekit-native')
const { ScalekitEmulator } = require('scalekit-native/testing')

let emulator
let scalekit
beforeAll(async () => {
  emulator = await ScalekitEmulator.start()
  scalekit = new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
})
afterAll(() => emulator.stop())

test('directory sync under jest, alongside the other file', async () => {
  const org = emulator.createOrganization({ displayName: 'Jest Directory Org' })
  const { directory } = await scalekit.directory.createDirectory(org.id, { directoryType: 'SCIM', directoryProvider: 'OKTA' })
  emulator.seedDirectory(directory.id, { users: [{ email: 'a@jest.dev', userDetail: { first_name: 'A' } }] })
  const { users } = await scalekit.directory.listDirectoryUsers(org.id, directory.id, { includeDetail: true })
  expect(users[0].userDetail).toEqual({ first_name: 'A' })
  // Only this file's organization: the other file's emulator is another server.
  expect((await scalekit.organization.listOrganizations()).organizations.map((o) => o.displayName)).toEqual(['Jest Directory Org'])
  expect(process.env.JEST_WORKER_ID).toBeDefined()
})
