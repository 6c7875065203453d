'use strict'
const net = require('node:net')
const { ScalekitClient } = require('..')
const { ScalekitEmulator } = require('../testing')

/** Starts an emulator for one test and stops it when the test ends. */
async function startEmulator(t, options) {
  const emulator = await ScalekitEmulator.start(options)
  t.teardown(() => emulator.stop())
  return emulator
}

function clientFor(emulator, options) {
  return new ScalekitClient(emulator.url, emulator.clientId, emulator.clientSecret, options)
}

const tokenRequests = (emulator) => emulator.requests().filter((r) => r.path === '/oauth/token').length

/** A loopback port nothing listens on. */
async function closedPort() {
  const server = net.createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  await new Promise((resolve) => server.close(resolve))
  return port
}

module.exports = { startEmulator, clientFor, tokenRequests, closedPort }
