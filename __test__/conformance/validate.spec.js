'use strict'

const test = require('ava')
const { loadSpec, validateExchange } = require('./validate')

const spec = loadSpec()

const org = {
  id: 'org_59615193906282635',
  display_name: 'Megasoft',
  external_id: 'my_unique_id',
  create_time: '2025-02-15T06:23:44.560000Z',
  update_time: '2025-02-15T06:23:44.560000Z',
  metadata: { tier: 'gold' },
}
const user = {
  id: 'usr_63261014063465935',
  email: 'user@example.com',
  create_time: '2025-02-15T06:23:44.560000Z',
  user_profile: { given_name: 'John', family_name: 'Doe' },
  memberships: [{ organization_id: org.id, roles: [{ name: 'admin' }] }],
}

function listOrganizations(responseBody, query = 'page_size=10&page_token=abc') {
  return validateExchange(spec, {
    method: 'GET',
    path: '/api/v1/organizations',
    query,
    requestBody: null,
    status: 200,
    responseBody: JSON.stringify(responseBody),
  })
}

function createUser(requestBody, status = 201) {
  return validateExchange(spec, {
    method: 'POST',
    path: `/api/v1/organizations/${org.id}/users`,
    query: 'send_invitation_email=false',
    requestBody: requestBody === null ? null : JSON.stringify(requestBody),
    status,
    responseBody: JSON.stringify({ user }),
  })
}

test('a correct list-organizations response passes', (t) => {
  const result = listOrganizations({ organizations: [org], next_page_token: 'next', total_size: 30 })
  t.deepEqual(result, { operationId: 'OrganizationService_ListOrganization', inSpec: true, problems: [] })
})

test('int64 as a string passes; null is no substitute for leaving an unset field out', (t) => {
  t.deepEqual(listOrganizations({ organizations: [org], total_size: '30' }).problems, [])
  const { external_id, ...withoutExternalId } = org
  t.deepEqual(listOrganizations({ organizations: [withoutExternalId] }).problems, [], 'an unset optional field is left out')
  t.deepEqual(listOrganizations({ organizations: [{ ...org, external_id: null, settings: null }], next_page_token: null }).problems, [
    'response 200 /next_page_token: must be string',
    'response 200 /organizations/0/external_id: must be string',
    'response 200 /organizations/0/settings: must be object',
  ])
  const problems = listOrganizations({ organizations: [{ ...org, create_time: null }] }).problems
  t.deepEqual(problems, ['response 200 /organizations/0/create_time: must be string'])
})

test('wrong response types fail and name the location', (t) => {
  t.deepEqual(listOrganizations({ organizations: [org], total_size: { n: 'x' } }).problems, [
    'response 200 /total_size: must be integer,string',
  ])
  t.deepEqual(listOrganizations({ organizations: org }).problems, ['response 200 /organizations: must be array'])
  t.deepEqual(listOrganizations({ organizations: [{ ...org, create_time: 'yesterday' }] }).problems, [
    'response 200 /organizations/0/create_time: must match format "date-time"',
  ])
})

test('query parameters must be declared and well-typed', (t) => {
  const body = { organizations: [] }
  t.deepEqual(listOrganizations(body, 'page_size=10&colour=red').problems, [
    'query colour: not a declared query parameter',
  ])
  t.deepEqual(listOrganizations(body, 'page_size=ten').problems, ['query page_size: must match pattern "^-?[0-9]+$"'])
  t.deepEqual(listOrganizations(body, 'page_size=10&page_size=20').problems, [
    'query page_size: repeated, but not an array parameter',
  ])
})

test('dotted and repeated query parameters are accepted when declared', (t) => {
  const result = validateExchange(spec, {
    method: 'GET',
    path: '/api/v1/users/usr_1/sessions',
    query: 'filter.status=ACTIVE&filter.status=EXPIRED&filter.start_time=2024-01-15T10:30:00.123456789Z',
    requestBody: null,
    status: 200,
    responseBody: '{}',
  })
  t.is(result.operationId, 'SessionService_GetUserSessions')
  t.deepEqual(result.problems, [])
})

test('a create-user request passes; a mistyped field in its body fails', (t) => {
  const body = { email: 'user@example.com', user_profile: { given_name: 'John' }, membership: { roles: [{ name: 'admin' }] } }
  t.deepEqual(createUser(body), { operationId: 'UserService_CreateUserAndMembership', inSpec: true, problems: [] })
  t.deepEqual(createUser({ email: 5 }).problems, ['request /email: must be string'])
})

test('a required request body that is missing fails', (t) => {
  t.deepEqual(createUser(null).problems, ['request: body required but missing'])
})

test('a path absent from the public spec is not checked', (t) => {
  const result = validateExchange(spec, { method: 'POST', path: '/oauth/token', query: null, status: 200, responseBody: '{}' })
  t.deepEqual(result, { operationId: null, inSpec: false, problems: [] })
  t.false(validateExchange(spec, { method: 'GET', path: '/api/v1/nothing/here', status: 200, responseBody: '{}' }).inSpec)
})

test('a literal colon suffix beats a path parameter', (t) => {
  const exchange = { method: 'GET', query: null, requestBody: null, status: 404, responseBody: null }
  t.is(validateExchange(spec, { ...exchange, path: '/api/v1/organizations:external/acme' }).operationId,
    'OrganizationService_GetOrganizationByExternalId')
  t.is(validateExchange(spec, { ...exchange, path: '/api/v1/organizations/org_1' }).operationId,
    'OrganizationService_GetOrganization')
})

test('a 404 error body in Scalekit shape passes; another shape fails', (t) => {
  const error = (responseBody) => validateExchange(spec, {
    method: 'GET', path: `/api/v1/organizations/${org.id}`, query: null, requestBody: null, status: 404, responseBody,
  })
  const scalekit = {
    code: 5,
    message: 'organization not found',
    details: [{ '@type': 'type.googleapis.com/scalekit.v1.errdetails.ErrorInfo', error_code: 'NOT_FOUND' }],
  }
  t.deepEqual(error(JSON.stringify(scalekit)).problems, [])
  t.deepEqual(error('{"error":"not found"}').problems, [
    "response 404: must have required property 'code'",
    "response 404: must have required property 'message'",
  ])
  t.deepEqual(error('Not Found').problems, ['response 404: body is not valid JSON'])
})

test('a create documented as 201 but answered 200 fails', (t) => {
  const result = validateExchange(spec, {
    method: 'POST',
    path: '/api/v1/organizations',
    query: null,
    requestBody: JSON.stringify({ display_name: 'Megasoft' }),
    status: 200,
    responseBody: JSON.stringify({ organization: org }),
  })
  t.is(result.operationId, 'OrganizationService_CreateOrganization')
  t.deepEqual(result.problems, ['response 200: spec documents 201 for this operation'])
})

test('a body-field binding artifact (required "membership" beside its own $ref) is not enforced', (t) => {
  const exchange = {
    method: 'POST',
    path: '/api/v1/memberships/organizations/org_1/users/usr_1',
    query: 'send_invitation_email=false',
    requestBody: JSON.stringify({ roles: [{ name: 'admin' }], metadata: {} }),
    status: 201,
    responseBody: JSON.stringify({ user: { id: 'usr_1', email: 'a@example.com', create_time: '2025-02-15T06:23:44Z' } }),
  }
  t.deepEqual(validateExchange(spec, exchange).problems, [])
  const mistyped = { ...exchange, requestBody: JSON.stringify({ roles: 'admin' }) }
  t.true(validateExchange(spec, mistyped).problems.some((p) => p.startsWith('request /roles')))
})
