'use strict'
// Directory sync (SCIM): a customer's directory, its users and groups page by page, with the raw
// SCIM attributes their IdP sends (keys unchanged), and mapping groups to your roles.
const { connect, run } = require('./connect')

run(async () => {
  const { scalekit, emulator, close } = await connect()
  try {
    const { organization } = await scalekit.organization.createOrganization('Initech', { externalId: `initech-${Date.now()}` })
    const { directory } = await scalekit.directory.createDirectory(organization.id, { directoryType: 'SCIM', directoryProvider: 'OKTA' })
    console.log(`directory ${directory.id}: give the IdP this SCIM endpoint: ${directory.directoryEndpoint}`)
    await scalekit.directory.enableDirectory(organization.id, directory.id)

    if (emulator) {
      // What the customer's Okta pushes over SCIM.
      emulator.seedDirectory(directory.id, {
        groups: ['Engineering', 'Finance'],
        users: Array.from({ length: 12 }, (_, i) => ({
          email: `employee${i}@initech.example`,
          givenName: `Employee${i}`,
          groups: [i % 3 === 0 ? 'Finance' : 'Engineering'],
          userDetail: { userName: `employee${i}@initech.example`, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: String(100 + i), cost_center: 'CC-7' } },
        })),
      })
    }

    const primary = await scalekit.directory.getPrimaryDirectoryByOrganizationId(organization.id)
    let synced = 0
    for await (const user of scalekit.directory.listDirectoryUsersAll(organization.id, primary.id, { pageSize: 5, includeDetail: true })) {
      const enterprise = user.userDetail?.['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']
      if (synced < 2) console.log(`  ${user.email}: groups ${user.groups.map((g) => g.displayName).join(', ')}, employee ${enterprise?.employeeNumber}, cost_center ${enterprise?.cost_center}`)
      synced++
    }
    const groups = await scalekit.directory.listDirectoryGroupsAll(organization.id, primary.id).toArray({ limit: 100 })
    console.log(`synced ${synced} users and ${groups.length} groups (${groups.map((g) => `${g.displayName}: ${g.totalUsers}`).join(', ')})`)
    await scalekit.organization.deleteOrganization(organization.id)
  } finally {
    await close()
  }
})
