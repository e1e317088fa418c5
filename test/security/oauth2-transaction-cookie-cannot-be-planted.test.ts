// Found by an adversarial review: login CSRF by cookie tossing. With cookies.secure false (SECURE_COOKIE=false, meant for
// the emulator) the transaction cookie loses its __Host- prefix and Secure, yet the edge accepts it
// for an https app on a public host. Then anyone who can set a cookie for the app's host — a sibling
// subdomain (Domain=example.com), or a network attacker on any plain-http response of the host —
// plants their own sealed transaction (from their own /auth/oauth2/login) under a longer Path, so
// the browser sends it first and "the first occurrence wins". Feeding the victim the attacker's own
// callback URL (their code and state) then signs the victim's browser into the attacker's account.
// The unsafeEmulator flag is refused off loopback for the same reason; this setting is not.
// Correct: either the configuration is refused at startup for an https redirect URI, or the
// transaction cookie stays __Host-/Secure (the callback is https anyway), so a tossed cookie is ignored.
import { describe, expect, it } from 'vitest'
import { isCognitoAuthError } from '../../src/index'
import { HOSTED_REFRESH_TOKEN, cookieOf, cookiesSet, hostedUi } from '../hono/routes/hosted-ui'

/** The rig with cookies.secure false, or null when the edge refuses that setting for an https app. */
function insecureRig() {
  try {
    return hostedUi({ cookies: { secure: false }, csrf: { secure: false } })
  } catch (error) {
    if (isCognitoAuthError(error, 'ERR_COGNITO_CONFIG')) return null
    throw error
  }
}

describe('the transaction cookie of an https app cannot be tossed', () => {
  it("a planted transaction cookie does not finish the attacker's sign-in in the victim's browser", async () => {
    const rig = insecureRig()
    if (rig === null) return // refused at startup: fixed
    // The attacker, in their own browser: starts a sign-in, signs in at Cognito, keeps the callback URL unused.
    const attacker = await rig.start()
    const sealed = (attacker.res.headers.getSetCookie()[0] ?? '').split(';')[0]?.split('=')[1] ?? ''
    const attackerCallback = rig.signInAtCognito(attacker.authorize)
    // The victim's browser: has the victim's own sign-in in progress, and the cookie the attacker
    // tossed from a sibling subdomain (Set-Cookie: cognito-oauth2=…; Domain=example.com;
    // Path=/auth/oauth2/callback), which the browser sends first (longer path).
    const victim = await rig.start()
    const victimOwn = cookieOf(victim.res, 'cognito-oauth2') ?? cookieOf(victim.res, '__Host-cognito-oauth2') ?? ''
    const res = await rig.callback(attackerCallback, `cognito-oauth2=${sealed}; ${victimOwn}`)
    expect(cookiesSet(res)).toEqual([]) // no session of the attacker's account in the victim's browser
    expect(res.headers.getSetCookie().join('\n')).not.toContain(HOSTED_REFRESH_TOKEN)
    expect(res.status).toBe(400)
  })
})
