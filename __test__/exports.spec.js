'use strict'
// What the package exports: every name reachable from ESM and CommonJS alike, the
// official package's top-level names, and the default import under TypeScript.
const test = require('ava')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { execFileSync } = require('node:child_process')
const sk = require('..')
const testing = require('../testing')

const root = path.join(__dirname, '..')
const node = (args, options) => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', ...options })

// Runtime names of @scalekit-sdk/node 2.11.0 (`Object.keys(require('@scalekit-sdk/node'))`).
const OFFICIAL_TOP_LEVEL = [
  'ScalekitClient', 'Scalekit', 'ObjectType', 'Source', 'default', 'GrantType', 'ScalekitException', 'WebhookVerificationError',
  'ScalekitValidateTokenFailureException', 'ScalekitServerException', 'ScalekitBadRequestException', 'ScalekitUnauthorizedException',
  'ScalekitForbiddenException', 'ScalekitNotFoundException', 'ScalekitConflictException', 'ScalekitTooManyRequestsException',
  'ScalekitInternalServerException', 'ScalekitNotImplementedException', 'ScalekitServiceUnavailableException',
  'ScalekitGatewayTimeoutException', 'ScalekitCancelledException', 'ScalekitUnknownException', 'ScalekitToolRateLimitException',
  'ScalekitToolUnauthorizedException', 'ScalekitToolForbiddenException', 'ScalekitToolException', 'isToolException',
]

test('every export of both entry points is importable by name from ESM, as the same object', (t) => {
  const report = JSON.parse(node([path.join(__dirname, 'fixtures', 'esm-exports.mjs')]))
  for (const entry of ['main', 'testing']) {
    t.true(report[entry].names.length > 0, entry)
    t.deepEqual(report[entry].missingInEsm, [], `${entry}: names ESM cannot see`)
    t.deepEqual(report[entry].notIdentical, [], `${entry}: names that are another object under ESM`)
  }
  t.true(report.namedImportsIdentical)
  t.true(report.instanceofAcross, 'one copy of each class')
  t.deepEqual(report.defaultImport, { isExports: true, defaultIsClient: true })
})

test("every runtime name the official package exports at its top level is exported", (t) => {
  for (const name of OFFICIAL_TOP_LEVEL) t.true(name in sk, name)
  t.is(sk.default, sk.ScalekitClient)
  t.is(sk.Scalekit, sk.ScalekitClient)
  t.true(sk.__esModule)
  t.deepEqual({ ...sk.GrantType }, { AuthorizationCode: 'authorization_code', RefreshToken: 'refresh_token', ClientCredentials: 'client_credentials' })
  t.is(sk.ObjectType.Organization, 'Organization')
  t.is(sk.Source.DIR_SYNC, 'DIR_SYNC')
  for (const name of OFFICIAL_TOP_LEVEL.filter((n) => /^[A-Z].*(Exception|Error)$/.test(n))) {
    t.true(sk[name].prototype instanceof Error, name)
    t.is(new sk[name]('m').name, name)
  }
})

test('the tool exceptions extend the class of their status and carry the tool fields', (t) => {
  t.true(sk.ScalekitToolRateLimitException.prototype instanceof sk.ScalekitTooManyRequestsException)
  t.true(sk.ScalekitToolUnauthorizedException.prototype instanceof sk.ScalekitUnauthorizedException)
  t.true(sk.ScalekitToolForbiddenException.prototype instanceof sk.ScalekitForbiddenException)
  t.true(sk.ScalekitToolException.prototype instanceof sk.ScalekitServerException)
  const details = [{ errorCode: 'TOOL_ERROR', toolErrorInfo: { executionId: 'ex_1', toolErrorCode: 'RATE', toolErrorMessage: 'slow' } }]
  const error = new sk.ScalekitToolRateLimitException('upstream', { httpStatus: 429, grpcStatus: 8, errDetails: details })
  t.like(error, { isToolError: true, executionId: 'ex_1', toolErrorCode: 'RATE', toolErrorMessage: 'slow', httpStatus: 429 })
  t.true(sk.isToolException(error))
  t.false(sk.isToolException(new sk.ScalekitTooManyRequestsException('plain', { httpStatus: 429 })))
  t.false(sk.isToolException(new Error('x')))
})

test('every class, enum and function index.d.ts declares exists at run time', (t) => {
  const dts = fs.readFileSync(path.join(root, 'index.d.ts'), 'utf8')
  // Names starting with __ are napi-rs's loader internals.
  const declared = [...dts.matchAll(/^export declare (?:class|enum|function|const) ([a-zA-Z]\w*)/gm)].map((m) => m[1])
  const aliases = [...dts.matchAll(/^export \{([^}]*)\}/gm)].flatMap((m) => m[1].split(',').map((s) => s.trim().split(/\s+as\s+/).pop()))
  t.true(declared.length > 20)
  for (const name of [...declared, ...aliases]) t.true(name in sk || name in testing, name)
})

test('the default import is the client under TypeScript with esModuleInterop', (t) => {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalekit-native-tsc-'))
  t.teardown(() => fs.rmSync(outDir, { recursive: true, force: true }))
  const source = path.join(__dirname, 'fixtures', 'types', 'default-import.ts')
  const tsc = require.resolve('typescript/bin/tsc')
  node([tsc, '--strict', '--esModuleInterop', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022',
    '--types', 'node', '--skipLibCheck', 'false', '--outDir', outDir, '--rootDir', path.dirname(source), source])
  // Run the CommonJS output from inside the package, where `scalekit-native` resolves to this checkout.
  const compiled = path.join(__dirname, 'fixtures', 'types', '.default-import.cjs')
  fs.copyFileSync(path.join(outDir, 'default-import.js'), compiled)
  t.teardown(() => fs.rmSync(compiled, { force: true }))
  t.deepEqual(JSON.parse(node([compiled])), { defaultIsClass: true, grant: 'client_credentials', notFound: true })
})

test('every method, option, result and error type-checks under tsc --strict, index.d.ts included', (t) => {
  const tsc = require.resolve('typescript/bin/tsc')
  const sources = ['usage.ts', 'surface.ts', 'surface-part2.ts', 'surface-part3.ts', 'official-names.ts', 'session.ts', 'emulator.ts'].map((f) => path.join(__dirname, 'fixtures', 'types', f))
  const args = [tsc, '--strict', '--noEmit', '--esModuleInterop', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--types', 'node', ...sources]
  try {
    node(args)
    t.pass()
  } catch (error) {
    t.fail(String(error.stdout || error.message))
  }
})
