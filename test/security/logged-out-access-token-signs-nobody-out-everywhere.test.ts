// Found by an adversarial review of the sign-out-everywhere fixes. The attacker holds a copy of a
// victim's access token (a stolen cookie jar, a shared computer). The victim ends that session with
// GET /auth/oauth2/logout (this browser only): the list records the sign-in, and every isolate refuses
// the token. An intermediate fix asked the list about the user's entry alone, so the attacker's POST
// /auth/logout (routes.globalSignOut, his own CSRF pair) with that logged-out token recorded the user
// as signed out everywhere: every other session of the victim, on every device, was refused.
//
// The defence: a token the list already refuses — its sign-in ended, or its user signed out — signs
// nobody out everywhere and writes nothing.
import { env } from 'cloudflare:test'
import { Hono } from 'hono'
import { beforeEach, describe, expect, it } from 'vitest'
import { d1Revocations } from 'cognito-edge/d1'
import { signingKey } from '../helpers/auth'
import { cognitoError } from '../helpers/fake-cognito'
import { NOW, NOW_SECONDS, accessClaims, idClaims, mint } from '../helpers/tokens'
import { APP, hostedUi } from '../hono/routes/hosted-ui'

beforeEach(async () => {
  await env.DB.exec('DELETE FROM cognito_revocations')
})

/** `name=value` pairs of the cookies a response sets (not the ones it clears). */
function cookieJar(res: Response): Map<string, string> {
  const jar = new Map<string, string>()
  for (const header of res.headers.getSetCookie()) {
    const pair = header.split(';')[0] as string
    const at = pair.indexOf('=')
    if (at > 0 && at < pair.length - 1) jar.set(pair.slice(0, at), pair.slice(at + 1))
  }
  return jar
}

describe('a logged-out access token replayed at POST /auth/logout (routes.globalSignOut)', () => {
  it("records no sign-out everywhere: the victim's other device stays signed in", async () => {
    const revocations = d1Revocations({ database: env.DB, now: () => NOW, report: () => {} })
    const rig = hostedUi({ routes: { globalSignOut: true }, revocations })
    // Real Cognito refuses GlobalSignOut with an access token whose refresh token was revoked.
    rig.cognito.on('GlobalSignOut', () => cognitoError('NotAuthorizedException', 'Access Token has been revoked'))
    const api = new Hono().use(rig.edge.auth()).get('/api/me', (c) => c.text('ok'))

    // The victim's laptop: another sign-in of the same user, ten minutes earlier.
    const laptopSignIn = crypto.randomUUID()
    const laptop = {
      IDTOKEN: await mint(signingKey, idClaims({ origin_jti: laptopSignIn, auth_time: NOW_SECONDS - 600 })),
      ACCESSTOKEN: await mint(signingKey, accessClaims({ origin_jti: laptopSignIn, auth_time: NOW_SECONDS - 600 })),
    }
    expect((await api.request('/api/me', { headers: laptop })).status).toBe(200)

    // The victim's browser signs in through the hosted UI; the attacker copies its access token.
    const jar = cookieJar(await rig.signIn())
    const stolenAccessToken = jar.get('__Host-cognito-access') as string
    expect(stolenAccessToken).toBeTruthy()
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ')

    // The victim logs this browser out: its sign-in is recorded, the stolen token is refused everywhere.
    expect((await rig.get('/auth/oauth2/logout', { cookie })).status).toBe(302)
    const refused = await api.request('/api/me', { headers: { ACCESSTOKEN: stolenAccessToken } })
    expect(refused.status).toBe(401)

    // The attacker replays the logged-out token at the CSRF-checked POST (his own double-submit pair).
    await rig.app.request(`${APP}/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'csrftoken=mine', CsrfToken: 'mine' },
      body: JSON.stringify({ access_token: stolenAccessToken }),
    })

    const { results } = await env.DB.prepare("SELECT key FROM cognito_revocations WHERE kind = 'user'").all()
    // Before the fix: the victim's user row, written by a token the list already refused.
    expect(results).toEqual([])
    const res = await api.request('/api/me', { headers: laptop })
    // Before the fix: 401 ERR_COGNITO_REVOKED — the victim's laptop signed out by a logged-out token.
    expect(res.status === 200 ? 'signed in' : ((await res.json()) as { code: string }).code).toBe('signed in')
  })
})
