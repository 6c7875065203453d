// Refreshes the session when it is due (cookies can be written here, not in Server Components) and forwards it,
// sealed, to the render. The Node.js runtime: the addon cannot load on the Edge runtime.
import { getKit } from './lib/scalekit'

export const config = { runtime: 'nodejs', matcher: ['/((?!auth/|_next/|favicon.ico).*)'] }

export function middleware(request) {
  return getKit().next.middleware(request)
}
