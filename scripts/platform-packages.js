'use strict'
// node scripts/platform-packages.js [DIR]: the release workflow's step after `napi artifacts`.
// `napi artifacts` puts each client binary (scalekit-native.<platform>.node) into its platform
// package, npm/<platform>/; this puts the emulator's binary (scalekit-native-testing.<platform>.node,
// which only scalekit-native/testing loads) found anywhere under DIR beside it, and lists both in
// that package's `files`. Without DIR it only updates `files`. Fails when a platform has none.
const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
const { napi } = require(path.join(root, 'package.json'))
const source = process.argv[2] && path.resolve(process.argv[2])
const binaries = source ? fs.readdirSync(source, { recursive: true }).filter((f) => f.endsWith('.node')).map((f) => path.join(source, f)) : []

for (const platform of fs.readdirSync(path.join(root, 'npm'))) {
  const dir = path.join(root, 'npm', platform)
  const names = [napi.binaryName, `${napi.binaryName}-testing`].map((name) => `${name}.${platform}.node`)
  if (source) {
    const binary = binaries.find((f) => path.basename(f) === names[1])
    if (!binary) {
      console.error(`platform-packages: no ${names[1]} under ${source}`)
      process.exit(1)
    }
    fs.copyFileSync(binary, path.join(dir, names[1]))
  }
  const manifest = path.join(dir, 'package.json')
  const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'))
  pkg.files = names
  fs.writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`)
}
