'use strict'

// Checks recorded HTTP exchanges against Scalekit's public OpenAPI 3.1 spec.
// Leniencies follow spec/REFERENCE.md §4 (proto3 JSON as served by grpc-gateway).

const fs = require('node:fs')
const path = require('node:path')
const Ajv2020 = require('ajv/dist/2020')
const addFormats = require('ajv-formats')

const DEFAULT_SPEC = path.join(__dirname, '..', '..', 'spec', 'scalekit.openapi.json')
const SPEC_ID = 'spec' // $id under which the spec's components are registered with Ajv
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']
const ANNOTATIONS = new Set(['description', 'title', 'example', 'examples'])
// Schema keywords whose values are schemas, lists of schemas, or maps of schemas.
const SUB = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames',
  'unevaluatedItems', 'unevaluatedProperties']
const SUB_LIST = ['allOf', 'anyOf', 'oneOf', 'prefixItems']
const SUB_MAP = ['properties', 'patternProperties', '$defs', 'dependentSchemas']
// Scalekit's REST error body (REFERENCE.md §5.1), used where the spec documents no error schema.
const ERROR_SHAPE = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'integer' }, message: { type: 'string' }, details: { type: 'array', items: { type: 'object' } } },
}
const ABSENT = Symbol('absent')
const INVALID = Symbol('invalid')

const contexts = new WeakMap() // spec -> { spec, ajv, validators, operations }

function loadSpec(file = process.env.SCALEKIT_OPENAPI_SPEC || DEFAULT_SPEC) {
  return JSON.parse(fs.readFileSync(file, 'utf8'))
}

function validateExchange(spec, exchange) {
  const ctx = context(spec)
  const method = String(exchange.method).toUpperCase()
  const [pathname, inlineQuery] = String(exchange.path).split('?')
  const found = ctx.operations.find((o) => o.method === method && o.re.test(pathname))
  if (!found) return { operationId: null, inSpec: false, problems: [] }

  const problems = []
  checkQuery(ctx, found.params, exchange.query ?? inlineQuery ?? '', problems)
  checkRequest(ctx, method, found.op, exchange.requestBody, problems)
  checkResponse(ctx, found.op, Number(exchange.status), exchange.responseBody, problems)
  return { operationId: found.op.operationId ?? null, inSpec: true, problems: [...new Set(problems)] }
}

function context(spec) {
  let ctx = contexts.get(spec)
  if (ctx) return ctx
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false })
  addFormats(ajv, ['date-time', 'uri', 'email'])
  // OpenAPI's numeric and binary formats carry no constraint we check.
  for (const format of ['int32', 'int64', 'uint32', 'uint64', 'float', 'double', 'byte', 'binary', 'password']) {
    ajv.addFormat(format, true)
  }
  const schemas = Object.fromEntries(Object.entries(spec.components?.schemas ?? {}).map(([k, v]) => [k, adapt(v)]))
  ajv.addSchema({ $id: SPEC_ID, components: { schemas } })
  ctx = { spec, ajv, validators: new Map(), operations: indexOperations(spec) }
  contexts.set(spec, ctx)
  return ctx
}

// Most specific template first: more literal characters wins, e.g. `users:search` over `{user_id}`.
function indexOperations(spec) {
  const operations = []
  for (const [template, item] of Object.entries(spec.paths ?? {})) {
    const parts = template.split(/(\{[^}/]+\})/) // odd indexes are `{param}` placeholders
    const re = new RegExp('^' + parts.map((p, i) => (i % 2 ? '[^/]+' : escapeRegExp(p))).join('') + '$')
    const literal = parts.filter((_, i) => i % 2 === 0).join('').length
    for (const method of METHODS) {
      const op = item[method]
      if (!op) continue
      const params = new Map()
      for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => resolve(spec, p))) {
        params.set(`${p.in} ${p.name}`, p) // operation-level overrides path-level
      }
      operations.push({ method: method.toUpperCase(), re, literal, op, params: [...params.values()] })
    }
  }
  return operations.sort((a, b) => b.literal - a.literal)
}

function checkQuery(ctx, params, query, problems) {
  const declared = new Map(params.filter((p) => p.in === 'query').map((p) => [p.name, p]))
  const given = new Map()
  for (const [key, value] of new URLSearchParams(query)) given.set(key, [...(given.get(key) ?? []), value])
  for (const [name, values] of given) {
    const param = declared.get(name)
    const where = `query ${name}`
    if (!param) {
      problems.push(`${where}: not a declared query parameter`)
      continue
    }
    const schema = resolve(ctx.spec, param.schema) ?? {}
    if (schema.type === 'array') {
      const items = resolve(ctx.spec, schema.items)
      check(ctx, param.schema, values.map((v) => coerce(items, v)), where, problems)
    } else if (values.length > 1) {
      problems.push(`${where}: repeated, but not an array parameter`)
    } else {
      check(ctx, param.schema, coerce(schema, values[0]), where, problems)
    }
  }
  for (const [name, param] of declared) {
    if (param.required && !given.has(name)) problems.push(`query ${name}: required but missing`)
  }
}

// Query values are text; turn them into the JSON value the schema expects so Ajv can check them.
function coerce(schema, value) {
  const type = schema?.type
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value)
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true'
  return value
}

function checkRequest(ctx, method, op, text, problems) {
  const requestBody = resolve(ctx.spec, op.requestBody)
  const body = parse(text, 'request', problems)
  if (body === INVALID) return
  if (body === ABSENT) {
    if (requestBody?.required && method !== 'GET' && method !== 'DELETE') problems.push('request: body required but missing')
    return
  }
  if (!requestBody) {
    // grpc-gateway ignores a body here, so anything but `{}` is data the server never sees.
    if (!isEmptyObject(body)) problems.push('request: operation takes no body')
    return
  }
  const schema = requestBody.content?.['application/json']?.schema
  if (schema) checkBody(ctx, withoutForeignRequired(ctx.spec, schema), body, 'request', problems)
}

// grpc-gateway artifact: a `body: "membership"` binding leaves `required: ["membership"]`
// beside a $ref to the membership schema itself. Keep only names the target defines.
function withoutForeignRequired(spec, schema) {
  if (!schema.$ref || !Array.isArray(schema.required)) return schema
  const target = resolve(spec, { $ref: schema.$ref })
  const defined = new Set(Object.keys(target?.properties ?? {}))
  return { ...schema, required: schema.required.filter((name) => defined.has(name)) }
}

function checkResponse(ctx, op, status, text, problems) {
  const where = `response ${status}`
  const responses = op.responses ?? {}
  const documented2xx = Object.keys(responses).filter((code) => /^2/.test(code))
  let key = [String(status), `${Math.floor(status / 100)}XX`].find((code) => code in responses)
  if (!key && status >= 200 && status < 300 && documented2xx.length) {
    problems.push(`${where}: spec documents ${documented2xx.join('/')} for this operation`)
    key = documented2xx[0] // still check the body against the documented success schema
  }
  if (!key && 'default' in responses) key = 'default'
  if (!key && status < 400) return problems.push(`${where}: status not documented`)

  const schema = key && resolve(ctx.spec, responses[key])?.content?.['application/json']?.schema
  const body = parse(text, where, problems)
  if (body === INVALID) return
  const anything = isAnything(ctx.spec, schema)
  if (anything && status < 400) return
  if (body === ABSENT) return problems.push(`${where}: body missing`)
  checkBody(ctx, anything ? ERROR_SHAPE : schema, body, where, problems)
}

// No leniency for `null`: the spec types unset optional fields as plain strings, so they must be left out.
function checkBody(ctx, schema, body, where, problems) {
  check(ctx, schema, body, where, problems)
}

function check(ctx, schema, data, where, problems) {
  let validate = ctx.validators.get(schema)
  if (!validate) {
    try {
      validate = ctx.ajv.compile(adapt(schema))
    } catch (error) {
      validate = { error: error.message }
    }
    ctx.validators.set(schema, validate)
  }
  if (validate.error) return problems.push(`schema: ${where}: ${validate.error}`)
  if (validate(data)) return
  for (const e of validate.errors) {
    const detail = e.params?.additionalProperty ?? e.params?.allowedValues?.join('|')
    problems.push(`${where}${e.instancePath ? ' ' + e.instancePath : ''}: ${e.message}${detail ? ` (${detail})` : ''}`)
  }
}

// Copy of a schema that Ajv 2020 accepts and that reads values the way proto3 JSON writes them.
function adapt(schema) {
  if (!schema || typeof schema !== 'object') return schema
  const out = { ...schema }
  for (const k of SUB) if (k in out) out[k] = adapt(out[k])
  for (const k of SUB_LIST) if (Array.isArray(out[k])) out[k] = out[k].map(adapt)
  for (const k of SUB_MAP) {
    if (out[k]) out[k] = Object.fromEntries(Object.entries(out[k]).map(([name, s]) => [name, adapt(s)]))
  }
  if (typeof out.$ref === 'string' && out.$ref.startsWith('#/')) out.$ref = SPEC_ID + out.$ref
  // OpenAPI 3.0 `nullable`: Ajv throws on it without `type`, so express it as a type list.
  if (out.nullable === true && out.type) out.type = [...[out.type].flat(), 'null']
  delete out.nullable
  // 64-bit integers are JSON strings in proto3 JSON; 32-bit ones annotated int64 stay numbers. Accept both.
  if (out.type === 'integer' && /^u?int64$/.test(out.format)) {
    out.type = ['integer', 'string']
    out.pattern = '^-?[0-9]+$'
  }
  return out
}

function parse(text, where, problems) {
  if (text == null || text === '') return ABSENT
  if (typeof text !== 'string') return structuredClone(text) // already parsed; copy before stripping
  try {
    return JSON.parse(text)
  } catch {
    problems.push(`${where}: body is not valid JSON`)
    return INVALID
  }
}

// Follows local `$ref`s (`#/components/...`) within the spec.
function resolve(spec, node) {
  for (let hops = 0; node && typeof node.$ref === 'string' && node.$ref.startsWith('#/') && hops < 32; hops++) {
    node = node.$ref.slice(2).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((o, k) => o?.[k], spec)
  }
  return node
}

function isAnything(spec, schema) {
  const s = resolve(spec, schema)
  return s == null || s === true || (typeof s === 'object' && Object.keys(s).every((k) => ANNOTATIONS.has(k)))
}

function isEmptyObject(v) {
  return v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

module.exports = { loadSpec, validateExchange }
