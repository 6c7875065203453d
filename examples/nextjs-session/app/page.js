import { getKit } from '../lib/scalekit'

export const dynamic = 'force-dynamic'

export default async function Home() {
  const session = await getKit().next.getSession()
  if (session.status !== 'authenticated') {
    return (
      <main>
        <p id="status">{session.status}</p>
        <a href="/auth/login?returnTo=/dashboard">Sign in</a>
      </main>
    )
  }
  return (
    <main>
      <p id="status">signed in as {session.user?.email}</p>
      <a href="/dashboard">Dashboard</a>
    </main>
  )
}
