// The README's vitest set-up, as a user writes it: ESM imports of the package by name.
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import { ScalekitClient, ScalekitNotFoundException } from 'scalekit-native'
import { ScalekitEmulator } from 'scalekit-native/testing'

let emulator
let scalekit
beforeAll(async () => {
  emulator = await ScalekitEmulator.start()
  scalekit = new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
})
afterAll(() => emulator.stop())
beforeEach(() => emulator.reset())

test('quickstart calls work under vitest', async () => {
  const org = emulator.createOrganization({ displayName: 'Vitest Org' })
  const { organizations } = await scalekit.organization.listOrganizations()
  expect(organizations.map((o) => o.displayName)).toEqual(['Vitest Org'])
  const { user } = await scalekit.user.createUserAndMembership(org.id, { email: 'vitest@example.com' })
  expect(user.email).toBe('vitest@example.com')
  await expect(scalekit.organization.getOrganization('org_missing')).rejects.toBeInstanceOf(ScalekitNotFoundException)
})

test('auto-pagination and toArray under vitest', async () => {
  emulator.seedOrganizations(5)
  const all = await scalekit.organization.listOrganizationsAll({ pageSize: 2 }).toArray({ limit: 10 })
  expect(all).toHaveLength(5)
})
