'use strict'
// npm run build / build:debug: both addons, with the same napi arguments (e.g. --target X in the
// release workflow). The client's addon (scalekit-native.<platform>.node, index.d.ts; native.js loads it),
// then the emulator's (scalekit-native-testing.<platform>.node, testing.d.ts), which only
// scalekit-native/testing loads.
const path = require('node:path')
const { execFileSync } = require('node:child_process')

const root = path.resolve(__dirname, '..')
const napi = path.join(root, 'node_modules', '@napi-rs', 'cli', 'dist', 'cli.js')
const args = process.argv.slice(2)
const common = ['build', '--platform', '--no-const-enum', '--runtime-string-enum', ...args]
const run = (extra) => execFileSync(process.execPath, [napi, ...common, ...extra], { cwd: root, stdio: 'inherit' })

run(['--no-js', '--dts', 'index.d.ts'])
run(['--manifest-path', 'crates/scalekit-native-testing/Cargo.toml', '--package-json-path', 'crates/scalekit-native-testing/package.json', '--output-dir', '.', '--no-js', '--dts', 'testing.d.ts'])
