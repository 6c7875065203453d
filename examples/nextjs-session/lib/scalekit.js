// The app's Scalekit client and session kit, made on first use (next build imports modules without the
// environment's secrets). In your app: SCALEKIT_ENVIRONMENT_URL, SCALEKIT_CLIENT_ID, SCALEKIT_CLIENT_SECRET, APP_URL
// and SESSION_PASSWORD (32+ characters; a comma-separated list rotates it: the first seals).
import { ScalekitClient } from 'scalekit-native'
import { createSessionKit } from 'scalekit-native/session'

let kit
export function getKit() {
  if (!kit) {
    const appUrl = process.env.APP_URL ?? 'http://localhost:3000'
    const client = new ScalekitClient(process.env.SCALEKIT_ENVIRONMENT_URL, process.env.SCALEKIT_CLIENT_ID, process.env.SCALEKIT_CLIENT_SECRET)
    kit = createSessionKit({
      client,
      cookiePassword: (process.env.SESSION_PASSWORD ?? '').split(','),
      redirectUri: `${appUrl}/auth/callback`,
      postLogoutRedirectUri: `${appUrl}/`,
    })
  }
  return kit
}
