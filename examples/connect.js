'use strict'
// The examples' one piece of set-up: a client for the Scalekit environment in SCALEKIT_ENVIRONMENT_URL,
// SCALEKIT_CLIENT_ID and SCALEKIT_CLIENT_SECRET, or, without them, for a local emulator that
// `seed(emulator)` fills. `close()` stops the emulator.
const { ScalekitClient } = require('scalekit-native')
const { ScalekitEmulator } = require('scalekit-native/testing')

async function connect(seed = () => {}, emulatorOptions = {}) {
  const { SCALEKIT_ENVIRONMENT_URL: url, SCALEKIT_CLIENT_ID: id, SCALEKIT_CLIENT_SECRET: secret } = process.env
  if (url && id && secret) {
    console.log(`Using the Scalekit environment at ${url}`)
    return { scalekit: new ScalekitClient(), emulator: undefined, close: async () => {} }
  }
  const emulator = await ScalekitEmulator.start(emulatorOptions)
  await seed(emulator)
  console.log(`No SCALEKIT_* credentials set: using a local Scalekit emulator at ${emulator.url}`)
  const scalekit = new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret)
  return { scalekit, emulator, close: () => emulator.stop() }
}

/** Runs an example's main, with a non-zero exit code on failure. */
function run(main) {
  main().catch((error) => {
    console.error(`${error.name}: ${error.message}`)
    process.exitCode = 1
  })
}

module.exports = { connect, run }
