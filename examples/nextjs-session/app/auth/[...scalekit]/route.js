// /auth/login, /auth/callback, /auth/refresh, /auth/switch-organization (GET) and /auth/logout (POST).
import { getKit } from '../../../lib/scalekit'

export const dynamic = 'force-dynamic'
export const GET = (request) => getKit().next.handlers.GET(request)
export const POST = (request) => getKit().next.handlers.POST(request)
