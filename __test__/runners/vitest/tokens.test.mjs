// A second vitest file (its own worker and emulator): route guards with minted tokens.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { ScalekitClient, ScalekitValidateTokenFailureException } from 'scalekit-native'
import { ScalekitEmulator } from 'scalekit-native/testing'

let emulator
let scalekit
beforeAll(async () => {
  emulator = await ScalekitEmulator.start()
  scalekit = new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
})
afterAll(() => emulator.stop())

test('validateAccessToken accepts a minted token and refuses an expired one', async () => {
  const token = emulator.mintAccessToken({ claims: { sub: 'usr_1', scopes: ['read'] } })
  expect(await scalekit.validateAccessToken(token)).toBe(true)
  const expired = emulator.mintAccessToken({ expiresInSeconds: -60 })
  expect(await scalekit.validateAccessToken(expired)).toBe(false)
  await expect(scalekit.validateToken(expired)).rejects.toBeInstanceOf(ScalekitValidateTokenFailureException)
})
