import { getKit } from '../../lib/scalekit'
import { whoAmI } from './actions'

export const dynamic = 'force-dynamic'

export default async function Dashboard() {
  // Signed-in users only: others are sent to sign in, a due refresh goes through /auth/refresh.
  const session = await getKit().next.requireSession()
  return (
    <main>
      <h1 id="email">{session.user?.email}</h1>
      <p id="organization">{session.organizationId}</p>
      <p id="permissions">{session.permissions.join(' ')}</p>
      <p id="refreshed">{session.refreshed ? 'refreshed' : 'not refreshed'}</p>
      <form action={whoAmI}>
        <button>Who am I (a Server Action)</button>
      </form>
      <form method="post" action="/auth/logout">
        <button>Log out</button>
      </form>
    </main>
  )
}
