import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['__test__/runners/vitest/**/*.test.mjs'],
    // One process per file: each file starts its own emulator, as with jest.
    pool: 'forks',
  },
})
