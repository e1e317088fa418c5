// Found by an adversarial review: a 5xx from a crafted sign-in link. safeReturnPath bounds return_to at 1024 characters
// before it serializes it, but the serialized path percent-encodes every non-ASCII character (up to
// 9 characters for one: "€" → "%E2%82%AC"), so a 1000-character return_to becomes a ~9 KB path,
// the sealed transaction outgrows a cookie, and GET /auth/oauth2/login answers
// 500 ERR_COGNITO_COOKIE_TOO_LARGE (a server error in the operator's logs and alerts, and a dead
// sign-in link for whoever clicks it). As for any other unusable return_to (one over 1024
// characters, say), the sign-in should go ahead and land on `/`.
import { describe, expect, it } from 'vitest'
import { MAX_COOKIE_BYTES } from '../../src/session/cookies'
import { DOMAIN, HTML, hostedUi } from '../hono/routes/hosted-ui'

const LONG = [
  ['three-byte characters', `/${'€'.repeat(1000)}`],
  ['four-byte characters', `/${'😀'.repeat(500)}`],
  ['characters the path encodes (<, >, ", space)', `/${'<>" '.repeat(250)}`],
] as const

describe('a long return_to never makes GET /auth/oauth2/login fail', () => {
  for (const [what, returnTo] of LONG) {
    it(`${what} (${returnTo.length} characters): 302 to the hosted UI with a cookie a browser keeps`, async () => {
      const rig = hostedUi()
      const { res, authorize } = await rig.start(`?return_to=${encodeURIComponent(returnTo)}`, HTML)
      expect(res.status).toBe(302)
      expect(authorize.origin).toBe(DOMAIN)
      for (const cookie of res.headers.getSetCookie())
        expect(new TextEncoder().encode(cookie.split(';')[0]).length).toBeLessThanOrEqual(MAX_COOKIE_BYTES)
    })
  }

  it('and the sign-in started from such a link completes on this origin', async () => {
    const res = await hostedUi().signIn(`?return_to=${encodeURIComponent(LONG[0][1])}`)
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toMatch(/^\/(?![/\\])/)
  })
})
