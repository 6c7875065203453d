'use strict'
// Loads the two addons: the client's (scalekit-native.<platform>.node) and the emulator's
// (scalekit-native-testing.<platform>.node, which only scalekit-native/testing loads). Each lies
// in this package's folder after a build from source, or in the platform package
// scalekit-native-<platform> (an optional dependency of this one).
//
// Bundlers (webpack and Turbopack in Next.js, esbuild, Vite) follow every require() whose
// argument they can read, and a .node file, or a platform package that is not installed, breaks
// the bundle. So no require() here names a binary: it is required at run time through Node's own
// createRequire (reached through process.getBuiltinModule, which no bundler rewrites), from the
// folder this package is installed in. Unbundled, that is __dirname. Bundled, __dirname is the
// bundle's folder (webpack, esbuild), made up (Turbopack: /ROOT/…) or undefined (an ES module
// bundle), so the folder is found as the app's own require() would find the package: from the
// working directory and from the entry script. Node's require cache holds each binary once per
// process, however many copies of this file bundlers or test runners make.

const PACKAGE = 'scalekit-native'
// The names this package may be installed under: its own, and the official SDK's through an npm
// alias ("@scalekit-sdk/node": "npm:scalekit-native@…"). A folder counts only if its package.json
// is named scalekit-native.
const INSTALLED_AS = [PACKAGE, '@scalekit-sdk/node']

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

function missingBinary(binaryName, platform, folders) {
  const remedy =
    'Reinstall without --no-optional / --omit=optional, or build it from source: install Rust ' +
    '(https://rustup.rs), run `npm ci && npm run build` in a clone of scalekit-native, and copy the two ' +
    `scalekit-native*.${platform}.node files it writes into node_modules/scalekit-native/.`
  // Not found from the working directory either: a bundle that runs without its node_modules.
  const bundled =
    `${PACKAGE} was bundled, and neither it nor ${PACKAGE}-${platform} is found from ${process.cwd()}. ` +
    "A bundle that runs without its node_modules (Next.js's output: 'standalone', a Docker image of the build) needs " +
    "them copied beside it: in Next.js, add serverExternalPackages: ['scalekit-native'] to next.config " +
    '(Next.js 14: experimental.serverComponentsExternalPackages), so that its file tracing copies them. '
  const error = new Error(
    `${PACKAGE} has no prebuilt binary for ${platform} (looked for the optional package ${PACKAGE}-${platform} ` +
      `and for ./${binaryName}.${platform}.node${folders.length ? ` in ${folders.join(' and ')}` : ''}). ` +
      (folders.length ? '' : bundled) +
      remedy,
  )
  error.code = 'SCALEKIT_NATIVE_BINARY_MISSING'
  error.platform = platform
  return error
}

function unloadableBinary(file, platform, cause) {
  const error = new Error(
    `${PACKAGE} could not load ${file} (${cause?.message ?? cause}). Reinstall it (the binary is for ${platform}), ` +
      'or build it from source: install Rust (https://rustup.rs), run `npm ci && npm run build` in a clone of scalekit-native.',
  )
  error.code = 'SCALEKIT_NATIVE_BINARY_MISSING'
  error.platform = platform
  error.cause = cause
  return error
}

/** Throws, naming the fix, where no addon can load (edge.js serves the Edge runtime before this is reached). */
function assertNode() {
  if (typeof EdgeRuntime !== 'string' && typeof process?.dlopen === 'function') return
  const error = new Error(
    `${PACKAGE} is a Node.js native addon and cannot run here (this runtime cannot load addons). ` +
      "In Next.js, add `export const runtime = 'nodejs'` to the route, page or layout that imports it, " +
      'and import it only from server code (not from a client component).',
  )
  error.code = 'SCALEKIT_NATIVE_UNSUPPORTED_RUNTIME'
  throw error
}

/** Node's `module` builtin: through process.getBuiltinModule (Node 20.16+, 22.3+), which bundlers leave alone. */
function nodeModule() {
  return typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule('node:module') : require('node:module')
}

/** Where `req(request)` would load from, or undefined if nothing is there; loads nothing. */
function resolvable(req, request) {
  try {
    return req.resolve(request)
  } catch (error) {
    if (error.code === 'MODULE_NOT_FOUND' || error.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return undefined
    throw error
  }
}

/** The folders this package is installed in (each with a trailing /), best first, and a require() from each place searched. */
function installed(createRequire) {
  const folders = []
  const add = (packageJson) => {
    const folder = packageJson.slice(0, -'package.json'.length)
    try {
      if (!folders.includes(folder) && createRequire(packageJson)(packageJson).name === PACKAGE) folders.push(folder)
    } catch {
      // no package.json there, or not ours
    }
  }
  // Unbundled: this file's folder (the name check rules out a bundle's folder).
  if (typeof __dirname === 'string') add(`${__dirname}/package.json`)
  // Bundled: the package as the app resolves it, from the working directory (Next.js runs in the
  // app's folder; its standalone server.js changes into its own) and from the entry script.
  const requires = []
  for (const anchor of [`${process.cwd()}/`, process.argv?.[1]]) {
    let req
    try {
      req = createRequire(anchor) // no absolute path under `node -e` or `node -`
    } catch {
      continue
    }
    requires.push(req)
    for (const name of INSTALLED_AS) {
      const packageJson = resolvable(req, `${name}/package.json`)
      if (packageJson) add(packageJson)
    }
  }
  return { folders, requires }
}

/**
 * Loads `<binaryName>.<platform>.node`, from the first of: each folder the package is installed
 * in (the binary beside it, then its platform package as that folder resolves it); `paths(platform)`,
 * absolute paths that the caller writes out for file tracing (see clientPaths); the platform
 * package as the app resolves it.
 */
function load(binaryName, paths, override) {
  assertNode()
  const platform = platformName()
  const file = `${binaryName}.${platform}.node`
  const { createRequire } = nodeModule()
  const attempt = (req, request) => {
    const found = resolvable(req, request)
    if (found === undefined) return undefined
    try {
      return { binding: req(found) }
    } catch (error) {
      // A binary that is there but cannot load (another libc, a truncated file) is the error to show.
      throw unloadableBinary(found, platform, error)
    }
  }
  if (override) {
    const found = attempt(createRequire(`${process.cwd()}/`), override)
    if (found) return found.binding
    throw unloadableBinary(override, platform, new Error('NAPI_RS_NATIVE_LIBRARY_PATH names no file'))
  }
  const { folders, requires } = installed(createRequire)
  for (const folder of folders) {
    const req = createRequire(`${folder}package.json`)
    const found = attempt(req, `${folder}${file}`) ?? attempt(req, `${PACKAGE}-${platform}/${file}`)
    if (found) return found.binding
  }
  for (const path of paths(platform)) {
    const found = typeof path === 'string' ? attempt(createRequire(path), path) : undefined
    if (found) return found.binding
  }
  for (const req of requires) {
    const found = attempt(req, `${PACKAGE}-${platform}/${file}`)
    if (found) return found.binding
  }
  throw missingBinary(binaryName, platform, folders)
}

/**
 * Where the client's binary may be, written out for @vercel/nft, the file tracing of Next.js's
 * `output: 'standalone'` and of Vercel: it reads these paths without running them, with a wildcard
 * for the platform, and copies the files that match. The __dirname paths serve a trace of this
 * package's own files (unbundled, or Next.js's serverExternalPackages): the binary beside this file,
 * or in the platform package next to this one (also when installed as @scalekit-sdk/node). The
 * working-directory paths serve a trace of a Next.js webpack bundle, where nft knows no other anchor
 * and follows only an expression that starts at __dirname, hence `__dirname &&`; in an ES module
 * bundle __dirname is not defined, hence the try.
 */
function clientPaths(platform) {
  try {
    return [
      `${__dirname}/scalekit-native.${platform}.node`,
      `${__dirname}/../scalekit-native-${platform}/scalekit-native.${platform}.node`,
      `${__dirname}/../../scalekit-native-${platform}/scalekit-native.${platform}.node`,
      __dirname && `${process.cwd()}/node_modules/scalekit-native-${platform}/scalekit-native.${platform}.node`,
      __dirname && `${process.cwd()}/node_modules/.pnpm/node_modules/scalekit-native-${platform}/scalekit-native.${platform}.node`,
      __dirname && `${process.cwd()}/node_modules/scalekit-native/scalekit-native.${platform}.node`,
    ]
  } catch {
    return []
  }
}

/** The client's addon; NAPI_RS_NATIVE_LIBRARY_PATH names another file, as in napi-rs's generated loader. */
function client() {
  return load(PACKAGE, clientPaths, process.env.NAPI_RS_NATIVE_LIBRARY_PATH || undefined)
}

/** The emulator's addon; testing.js passes the paths that trace it, so that only apps that use it ship it. */
function testing(paths = () => []) {
  return load(`${PACKAGE}-testing`, paths)
}

module.exports = { client, testing }
