'use strict'
// Loads the two addons. The client's (scalekit-native.<platform>.node) comes through the
// generated loader, binding.js. The emulator's (scalekit-native-testing.<platform>.node), which
// only scalekit-native/testing loads, lies beside it: in this folder after a build from source,
// or in the same platform package. When none fits, the error says which platform it looked for
// and how to build from source.

function platformName() {
  let name = `${process.platform}-${process.arch}`
  if (process.platform === 'linux') {
    const glibc = typeof process.report?.getReport === 'function' && process.report.getReport().header?.glibcVersionRuntime
    name += glibc ? '-gnu' : '-musl'
  } else if (process.platform === 'win32') {
    name += '-msvc'
  }
  return name
}

function missingBinary(binaryName, cause, platform = platformName()) {
  const error = new Error(
    `scalekit-native has no prebuilt binary for ${platform} (looked for the optional package ` +
      `scalekit-native-${platform} and for ./${binaryName}.${platform}.node). ` +
      'Reinstall without --no-optional / --omit=optional, or build it from source: install Rust ' +
      '(https://rustup.rs), run `npm ci && npm run build` in a clone of scalekit-native, and copy the two ' +
      `scalekit-native*.${platform}.node files it writes into node_modules/scalekit-native/.`,
  )
  error.code = 'SCALEKIT_NATIVE_BINARY_MISSING'
  error.platform = platform
  error.cause = cause
  return error
}

/** The client's addon. */
function client() {
  try {
    return require('./binding.js')
  } catch (error) {
    throw missingBinary('scalekit-native', error)
  }
}

/** The emulator's addon. */
function testing() {
  // process.report builds a whole report to tell glibc from musl: once.
  const platform = platformName()
  const file = `scalekit-native-testing.${platform}.node`
  let cause
  for (const candidate of [`./${file}`, `scalekit-native-${platform}/${file}`]) {
    try {
      return require(candidate)
    } catch (error) {
      // A binary that exists but cannot load is the error to show; a missing one, only if no other fits.
      if (error.code !== 'MODULE_NOT_FOUND') throw missingBinary('scalekit-native-testing', error, platform)
      cause ??= error
    }
  }
  throw missingBinary('scalekit-native-testing', cause, platform)
}

module.exports = { client, testing }
