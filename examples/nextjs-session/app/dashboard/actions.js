'use server'
import { getKit } from '../../lib/scalekit'

/** A Server Action reads the session the same way (and never writes cookies). */
export async function whoAmI() {
  const session = await getKit().next.getSession()
  return session.status === 'authenticated' ? `action sees ${session.user?.email}` : `action sees ${session.status}`
}
