'use strict'
// Onboarding a user into a customer's organization: create them with a membership and roles,
// change the membership, and read what they may do.
const { connect, run } = require('./connect')

run(async () => {
  const { scalekit, emulator, close } = await connect()
  try {
    const { organization } = await scalekit.organization.createOrganization('Acme Corp', { externalId: `acme-${Date.now()}` })
    if (emulator) {
      await scalekit.permission.createPermission({ name: 'invoices:read', description: 'Read invoices' })
      await scalekit.role.createRole({ name: 'member', displayName: 'Member', permissions: ['invoices:read'] })
      await scalekit.role.createRole({ name: 'admin', displayName: 'Admin', extends: 'member' })
    }
    const { user } = await scalekit.user.createUserAndMembership(organization.id, {
      email: `ada+${Date.now()}@acme.example`,
      userProfile: { firstName: 'Ada', lastName: 'Lovelace' },
      metadata: { plan: 'pro' },
      membership: { roles: [{ name: 'member' }] },
      sendInvitationEmail: false,
    })
    console.log(`created ${user.id} (${user.email}) in ${organization.displayName}`)

    await scalekit.user.updateMembership(organization.id, user.id, { roles: ['admin'] })
    const { roles } = await scalekit.user.listUserRoles(organization.id, user.id)
    const { permissions } = await scalekit.user.listUserPermissions(organization.id, user.id)
    console.log(`roles: ${roles.map((r) => r.name).join(', ')}; permissions: ${permissions.map((p) => p.name).join(', ')}`)

    const members = await scalekit.user.listOrganizationUsersAll(organization.id, { pageSize: 50 }).toArray({ limit: 500 })
    console.log(`${organization.displayName} has ${members.length} member(s)`)
    await scalekit.organization.deleteOrganization(organization.id)
  } finally {
    await close()
  }
})
