'use strict'
// Listing organizations: one page, every page with auto-pagination, and resuming a walk.
const { connect, run } = require('./connect')

run(async () => {
  const { scalekit, close } = await connect((emulator) => emulator.seedOrganizations(25))
  try {
    // One page at a time, by hand.
    const first = await scalekit.organization.listOrganizations({ pageSize: 10 })
    console.log(`first page: ${first.organizations.length} of ${first.totalSize}, next page token ${first.nextPageToken ? 'set' : 'empty'}`)

    // Every organization, a page of 10 at a time (each page a normal call: retries, deadline, signal).
    let count = 0
    for await (const org of scalekit.organization.listOrganizationsAll({ pageSize: 10 })) {
      if (count < 3) console.log(`  ${org.id}  ${org.displayName}`)
      count++
    }
    console.log(`walked ${count} organizations`)

    // Stop after 12, keep the cursor (e.g. in a job's state), resume later exactly there.
    const walk = scalekit.organization.listOrganizationsAll({ pageSize: 10 })
    const batch = await walk.toArray({ limit: 12 })
    const rest = await scalekit.organization.listOrganizationsAll({ pageSize: 10 }, { cursor: walk.cursor }).toArray({ limit: 1000 })
    console.log(`resumed: ${batch.length} then ${rest.length}, ${new Set([...batch, ...rest].map((o) => o.id)).size} distinct`)
  } finally {
    await close()
  }
})
