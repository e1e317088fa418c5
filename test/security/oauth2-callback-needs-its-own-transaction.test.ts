// A callback is accepted only for the sign-in this browser started, and only while it lasts: the
// state in Cognito's redirect must equal the one sealed in this browser's transaction cookie, and
// that cookie must be present, unexpired and untouched. Otherwise an attacker could feed a victim's
// browser a callback for the attacker's own account (login CSRF, RFC 6749 §10.12) or reuse one.
// Each refusal is 400 ERR_COGNITO_OAUTH2_STATE, before the token endpoint is called, with no session.
import { describe, expect, it } from 'vitest'
import { errorOf } from '../helpers/errors'
import { NOW } from '../helpers/tokens'
import { TRANSACTION_COOKIE, cookiesSet, hostedUi } from '../hono/routes/hosted-ui'

async function refused(res: Response, rig: ReturnType<typeof hostedUi>): Promise<string> {
  expect(res.status).toBe(400)
  expect(cookiesSet(res)).toEqual([])
  expect(rig.cognito.calls).toEqual([])
  const { code, message } = await errorOf(res)
  expect(code).toBe('ERR_COGNITO_OAUTH2_STATE')
  return message
}

/** The cookie with the character at `index` (negative: from the end) changed. */
function tamper(cookie: string, index: number): string {
  const at = index < 0 ? cookie.length + index : index
  return cookie.slice(0, at) + (cookie[at] === 'A' ? 'B' : 'A') + cookie.slice(at + 1)
}

describe('the callback needs the transaction this browser started', () => {
  it('refuses a callback without the transaction cookie (another browser, or cookies blocked)', async () => {
    const rig = hostedUi()
    const { authorize } = await rig.start()
    const res = await rig.callback(rig.signInAtCognito(authorize), '')
    expect(await refused(res, rig)).toMatch(/no sign-in is in progress/)
  })

  it('refuses a state other than the one this browser sent (login CSRF: the attacker’s own callback)', async () => {
    const rig = hostedUi()
    const victim = await rig.start()
    const attacker = await rig.start()
    const res = await rig.callback(rig.signInAtCognito(attacker.authorize), victim.cookie)
    expect(await refused(res, rig)).toMatch(/state does not match/)
  })

  it('refuses a callback without a state', async () => {
    const rig = hostedUi()
    const { authorize, cookie } = await rig.start()
    const query = rig.signInAtCognito(authorize).replace(/&state=[^&]*/, '')
    expect(await refused(await rig.callback(query, cookie), rig)).toMatch(/state does not match/)
  })

  it('refuses a transaction past its 600 seconds', async () => {
    const rig = hostedUi()
    const { authorize, cookie } = await rig.start()
    rig.clock.now = NOW + 600_000
    expect(await refused(await rig.callback(rig.signInAtCognito(authorize), cookie), rig)).toMatch(/took too long/)
  })

  it('refuses a shorter transactionMaxAge past its end, and accepts it just before', async () => {
    const rig = hostedUi({ managedLogin: { transactionMaxAge: 60 } })
    const late = await rig.start()
    const early = await rig.start()
    rig.clock.now = NOW + 59_999
    expect((await rig.callback(rig.signInAtCognito(early.authorize), early.cookie)).status).toBe(302)
    rig.cognito.calls.length = 0
    rig.clock.now = NOW + 60_000
    expect(await refused(await rig.callback(rig.signInAtCognito(late.authorize), late.cookie), rig)).toMatch(/took too long/)
  })

  for (const [where, at] of [
    ['in the tag (last character)', -1],
    ['in the ciphertext', -30],
    ['in the IV', `${TRANSACTION_COOKIE}=v1.`.length + 1],
  ] as const) {
    it(`refuses a cookie tampered with ${where}`, async () => {
      const rig = hostedUi()
      const { authorize, cookie } = await rig.start()
      const damaged = tamper(cookie, at)
      expect(await refused(await rig.callback(rig.signInAtCognito(authorize), damaged), rig)).toMatch(/cookie is not valid/)
    })
  }

  it('refuses a cookie sealed under another COGNITO_COOKIE_SECRET', async () => {
    const other = hostedUi({ managedLogin: { cookieSecret: 'another secret, also at least 32 bytes long' } })
    const rig = hostedUi()
    const { authorize, cookie } = await other.start()
    expect(await refused(await rig.callback(rig.signInAtCognito(authorize), cookie), rig)).toMatch(/cookie is not valid/)
  })

  for (const [what, value] of [
    ['an unknown version', 'v2.AAAAAAAAAAAAAAAA.AAAA'],
    ['a missing part', 'v1.AAAAAAAAAAAAAAAA'],
    ['an extra part', 'v1.AAAAAAAAAAAAAAAA.AAAA.AAAA'],
    ['a short IV', 'v1.AAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['non-base64url', 'v1.!!!!!!!!!!!!!!!!.AAAA'],
  ]) {
    it(`refuses a cookie with ${what}`, async () => {
      const rig = hostedUi()
      const { authorize } = await rig.start()
      const res = await rig.callback(rig.signInAtCognito(authorize), `${TRANSACTION_COOKIE}=${value}`)
      expect(await refused(res, rig)).toMatch(/cookie is not valid/)
    })
  }
})
