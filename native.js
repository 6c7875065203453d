'use strict'
// Loads the generated loader (binding.js), which picks this platform's prebuilt binary; when none
// fits, says which platform it looked for and how to build from source.

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

function load() {
  try {
    return require('./binding.js')
  } catch (error) {
    const platform = platformName()
    const wrapped = new Error(
      `scalekit-native has no prebuilt binary for ${platform} (looked for the optional package ` +
        `scalekit-native-${platform} and for ./scalekit-native.${platform}.node). ` +
        'Reinstall without --no-optional / --omit=optional, or build it from source: install Rust ' +
        '(https://rustup.rs), then run `npm run build` in node_modules/scalekit-native (or `npx napi build --platform --release` in a clone).',
    )
    wrapped.code = 'SCALEKIT_NATIVE_BINARY_MISSING'
    wrapped.platform = platform
    wrapped.cause = error
    throw wrapped
  }
}

module.exports = load()
