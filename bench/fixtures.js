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

const iso = (day, second = 0) => new Date(Date.UTC(2025, 0, 1 + day, 9, 30, second, 123)).toISOString().replace('Z', '456Z')

/**
 * `count` organizations as production ones look: every optional field set, 3 metadata entries,
 * 4 feature flags (REST JSON, for `importRecords`).
 */
function realisticOrganizations(count) {
  return Array.from({ length: count }, (_, i) => ({
    id: `org_${String(70_000_000_000_000_000n + BigInt(i))}`,
    environment_id: 'env_59615193906282001',
    display_name: `Customer Organization ${i} Holdings, Inc.`,
    external_id: `crm-account-${100_000 + i}`,
    region_code: i % 2 ? 'EU' : 'US',
    slug: `customer-organization-${i}`,
    logo_url: `https://cdn.example.com/logos/customer-${i}.png`,
    create_time: iso(i % 365),
    update_time: iso(i % 365, 42),
    metadata: { salesforce_account_id: `0015g00000${String(i).padStart(8, '0')}`, plan: i % 3 ? 'enterprise' : 'growth', billing_region: i % 2 ? 'emea' : 'amer' },
    settings: { features: [{ name: 'sso', enabled: true }, { name: 'dir_sync', enabled: i % 2 === 0 }, { name: 'mfa', enabled: true }, { name: 'audit_logs', enabled: false }] },
  }))
}

/**
 * `count` users, each with a full profile (custom attributes, external identities) and two
 * memberships with roles and metadata (REST JSON, for `importRecords`).
 */
function realisticUsers(count, organizationIds) {
  return Array.from({ length: count }, (_, i) => ({
    id: `usr_${String(80_000_000_000_000_000n + BigInt(i))}`,
    environment_id: 'env_59615193906282001',
    email: `firstname.lastname${i}@customer-domain.example`,
    external_id: `hr-${200_000 + i}`,
    create_time: iso(i % 365),
    update_time: iso(i % 365, 7),
    last_login_time: iso(i % 365, 30),
    metadata: { department: 'Engineering', cost_center: `CC-${i % 40}` },
    user_profile: {
      id: `usp_${String(90_000_000_000_000_000n + BigInt(i))}`,
      given_name: `Firstname${i}`, family_name: `Lastname${i}`, name: `Firstname${i} Lastname${i}`, preferred_username: `flastname${i}`,
      locale: 'en-US', email_verified: true, phone_number: `+1415555${String(i % 10_000).padStart(4, '0')}`, phone_number_verified: false,
      picture: `https://cdn.example.com/avatars/${i}.png`, gender: 'unspecified', groups: ['engineering', 'on-call'],
      metadata: { onboarding: 'complete' },
      custom_attributes: { employee_id: `E${10_000 + i}`, manager_email: `manager${i % 50}@customer-domain.example`, office: 'SF-3' },
      external_identities: [{
        connection_id: `conn_${String(60_000_000_000_000_000n + BigInt(i % 10))}`, connection_provider: 'OKTA', connection_type: 'OIDC',
        connection_user_id: `00u${String(i).padStart(17, '0')}`, is_social: false, last_login_time: iso(i % 365, 30), created_time: iso(i % 365), last_synced_time: iso(i % 365, 31),
      }],
    },
    memberships: [0, 1].map((k) => ({
      organization_id: organizationIds[(i + k) % organizationIds.length],
      join_time: iso(i % 365), membership_status: 'ACTIVE', name: `Customer Organization ${(i + k) % organizationIds.length}`,
      roles: [{ id: `role_${String(50_000_000_000_000_000n + BigInt(k))}`, name: k ? 'member' : 'admin', display_name: k ? 'Member' : 'Admin' }],
      metadata: { seat: k ? 'viewer' : 'full', invited_by: 'it-admin' },
      provisioning_method: 'jit', permissions: ['invoices:read', 'reports:read'],
    })),
  }))
}

module.exports.realisticOrganizations = realisticOrganizations
module.exports.realisticUsers = realisticUsers
