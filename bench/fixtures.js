'use strict'
// Bench data shaped like production, independent of what the emulator writes by itself.

/**
 * `count` directory users as an Okta SCIM app sends them: each has a raw SCIM
 * resource (`user_detail`, about 1 KB) with the core and enterprise schemas,
 * two emails, an address, a phone number, and custom attributes whose keys are
 * snake_case (they must come back unchanged), plus one of three groups.
 */
function directoryUsersSeed(count) {
  const groups = ['Engineering', 'Sales', 'Support']
  const users = Array.from({ length: count }, (_, i) => {
    const email = `employee${i}@acme-corp.example`
    return {
      email,
      given_name: `Given${i}`,
      family_name: `Family${i}`,
      groups: [groups[i % groups.length]],
      user_detail: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
        id: `00u${String(i).padStart(17, '0')}`,
        externalId: `ext-${i}`,
        userName: email,
        name: { givenName: `Given${i}`, familyName: `Family${i}`, formatted: `Given${i} Family${i}` },
        displayName: `Given${i} Family${i}`,
        title: 'Senior Software Engineer',
        active: true,
        emails: [{ value: email, type: 'work', primary: true }, { value: `g.f${i}@personal.example`, type: 'home', primary: false }],
        phoneNumbers: [{ value: `+1-555-01${String(i % 100).padStart(2, '0')}`, type: 'work' }],
        addresses: [{ streetAddress: `${100 + i} Market St`, locality: 'San Francisco', region: 'CA', postalCode: '94105', country: 'US', type: 'work', primary: true }],
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
          employeeNumber: String(10000 + i),
          costCenter: 'CC-42',
          organization: 'Acme Corp',
          division: 'Product',
          department: groups[i % groups.length],
          manager: { value: '00u00000000000000001', displayName: 'Manager One' },
        },
        custom_attributes: { badge_id: 5000 + i, start_date: '2021-03-01', remote: i % 2 === 0, office_location: 'SF-3' },
        meta: { resourceType: 'User', created: '2024-01-15T10:30:00Z', lastModified: '2026-11-30T08:00:00Z', version: `W/"${i}"` },
      },
    }
  })
  return { groups, users }
}

module.exports = { directoryUsersSeed }
