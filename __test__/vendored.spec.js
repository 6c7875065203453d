'use strict'
// The vendored reference data is what spec/SOURCE.md says it is, byte for byte.
const test = require('ava')
const fs = require('node:fs')
const path = require('node:path')
const crypto = require('node:crypto')

const specDir = path.join(__dirname, '..', 'spec')
const source = fs.readFileSync(path.join(specDir, 'SOURCE.md'), 'utf8')
const rows = [...source.matchAll(/^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|$/gm)].map(([, file, sha]) => ({ file, sha }))

test('spec/SOURCE.md lists every vendored file with its checksum', (t) => {
  const listed = rows.map((r) => r.file).sort()
  const present = fs.readdirSync(specDir).filter((f) => f !== 'SOURCE.md').sort()
  t.deepEqual(listed, present)
})

for (const { file, sha } of rows) {
  test(`spec/${file} is unmodified`, (t) => {
    const actual = crypto.createHash('sha256').update(fs.readFileSync(path.join(specDir, file))).digest('hex')
    t.is(actual, sha)
  })
}
