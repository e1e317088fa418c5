// Found by an adversarial review: GET /auth/oauth2/logout is a plain GET with no CSRF check, which
// any other site can make a victim's browser send (an <img src>, or a top-level link: SameSite=Lax
// sends the cookies on navigations). Before the fix, with routes.globalSignOut, that GET ran the
// sign-out everywhere too: it recorded (sub, not_before = now) in the revocation list — before
// Cognito was asked — and called GlobalSignOut, so another site could end every session of the
// visitor on every device and isolate. With managed login's default scopes (openid email profile, no
// aws.cognito.signin.user.admin) Cognito refuses GlobalSignOut, and the list alone did it.
//
// The defence: the GET ends this browser's session only; signing out everywhere needs the
// CSRF-checked POST /auth/logout.
import { env } from 'cloudflare:test'
import { Hono } from 'hono'
import { beforeEach, describe, expect, it } from 'vitest'
import { d1Revocations } from '../../src/d1'
import { signingKey } from '../helpers/auth'
import { cognitoError } from '../helpers/fake-cognito'
import { NOW, NOW_SECONDS, accessClaims, idClaims, mint } from '../helpers/tokens'
import { HTML, hostedUi } from '../hono/routes/hosted-ui'

beforeEach(async () => {
  await env.DB.exec('DELETE FROM cognito_revocations')
})

/** The victim signed in through the hosted UI; another device of theirs holds a second sign-in. */
async function victim(globalSignOutAnswer: () => Response | object) {
  const clock = { now: NOW }
  const revocations = d1Revocations({ database: env.DB, now: () => clock.now, report: () => {} })
  const rig = hostedUi({ routes: { globalSignOut: true }, revocations, csrf: true })
  rig.cognito.on('GlobalSignOut', globalSignOutAnswer)
  const signedIn = await rig.signIn()
  const cookie = signedIn.headers
    .getSetCookie()
    .map((value) => value.split(';')[0] as string)
    .filter((pair) => !pair.endsWith('='))
    .join('; ')
  const api = new Hono().use(rig.edge.auth()).get('/api/me', (c) => c.text('ok'))
  const otherDevice = crypto.randomUUID()
  const laptop = {
    IDTOKEN: await mint(signingKey, idClaims({ origin_jti: otherDevice, auth_time: NOW_SECONDS - 600 })),
    ACCESSTOKEN: await mint(signingKey, accessClaims({ origin_jti: otherDevice, auth_time: NOW_SECONDS - 600 })),
  }
  return { rig, cookie, api, laptop }
}

/** What a page on https://evil.example makes the victim's browser send. */
const crossSite = { ...HTML, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', referer: 'https://evil.example/' }

describe('GET /auth/oauth2/logout forged by another site, routes.globalSignOut on', () => {
  it("records no sign-out everywhere: the victim's other device stays signed in", async () => {
    const { rig, cookie, api, laptop } = await victim(() => ({}))
    expect((await api.request('/api/me', { headers: laptop })).status).toBe(200)

    const res = await rig.get('/auth/oauth2/logout', { ...crossSite, cookie })
    expect(res.status).toBe(302) // this browser's session ends: accepted (documented)

    expect(rig.cognito.calls.map((call) => call.operation)).not.toContain('GlobalSignOut')
    const { results } = await env.DB.prepare("SELECT key FROM cognito_revocations WHERE kind = 'user'").all()
    expect(results).toEqual([])
    expect((await api.request('/api/me', { headers: laptop })).status).toBe(200)
  })

  it('default managed-login scopes (Cognito refuses GlobalSignOut): the list alone must not sign the user out everywhere', async () => {
    const refused = () => cognitoError('NotAuthorizedException', 'Access Token does not have required scopes')
    const { rig, cookie, api, laptop } = await victim(refused)
    await rig.get('/auth/oauth2/logout', { ...crossSite, cookie })
    const res = await api.request('/api/me', { headers: laptop })
    expect(res.status === 200 ? 'signed in' : ((await res.json()) as { code: string }).code).toBe('signed in') // before the fix: ERR_COGNITO_REVOKED
  })
})
