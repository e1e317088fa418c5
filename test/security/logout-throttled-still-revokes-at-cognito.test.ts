// Found by an adversarial review of the logout limit (needs only the victim's username): POST
// /auth/login with the victim's username and wrong passwords spends the account budget of the
// README's recommended limiter (keyed on `key`, shared by every route). A logout that writes to the
// revocation list asks the same limiter (route 'logout'). Before the fix a refusal stopped the whole
// logout: 429 with the cookies cleared, nothing recorded, and neither RevokeToken nor GlobalSignOut
// asked — the thief's copy of the refresh token lived on at Cognito.
//
// The defence: the limiter holds back the list's writes only; Cognito is asked all the same, and
// the 429 is answered once it has been.
import { beforeEach, describe, expect, it } from 'vitest'
import { readmeLimiter, throughCloudflare } from '../helpers/edge-requests'
import { cognitoError } from '../helpers/fake-cognito'
import { type Isolate, isolate, resetRevocations, signIn } from '../d1/revocation-rig'

beforeEach(resetRevocations)

/** A JSON POST through Cloudflare's edge, to the isolate's app. */
function postThroughCloudflare(a: Isolate, path: string, ip: string, headers: Record<string, string>, body: object) {
  return a.app.request(
    throughCloudflare(path, ip, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }),
  )
}

async function strangerExhaustsTheAccountBudget(a: Isolate) {
  a.cognito.on('InitiateAuth', () => cognitoError('NotAuthorizedException', 'Incorrect username or password.'))
  for (let i = 0; i < 10; i++) {
    const res = await postThroughCloudflare(
      a,
      '/auth/login',
      '198.51.100.66',
      { cookie: 'csrftoken=mine', CsrfToken: 'mine' },
      { username: 'alice', password: `guess-${i}` },
    )
    expect(res.status).toBe(401)
  }
}

async function victimLogsOut(a: Isolate) {
  const tokens = await signIn()
  const cookie = `__Host-cognito-id=${tokens.IDTOKEN}; __Host-cognito-access=${tokens.ACCESSTOKEN}; __Host-cognito-refresh=victims-refresh-token; csrftoken=t0k3n`
  return postThroughCloudflare(a, '/auth/logout', '203.0.113.9', { cookie, CsrfToken: 't0k3n' }, {})
}

describe("a stranger's failed logins make the victim's logout revoke nothing", () => {
  it('POST /auth/logout: the refresh token is still revoked at Cognito', async () => {
    const a = isolate({}, { cookies: {}, routes: { rateLimit: readmeLimiter() } })
    await strangerExhaustsTheAccountBudget(a)

    const res = await victimLogsOut(a)
    const operations = a.cognito.calls.map((call) => call.operation).filter((name) => name !== 'InitiateAuth')
    // Before the fix: 429 with the refresh cookie cleared, no row, and operations [] — the refresh token lives on at Cognito.
    expect(res.headers.getSetCookie().some((cookie) => cookie.startsWith('__Host-cognito-refresh=;'))).toBe(true)
    expect(operations).toContain('RevokeToken')
  })

  it('POST /auth/logout with routes.globalSignOut: GlobalSignOut is still asked', async () => {
    const a = isolate({}, { cookies: {}, routes: { rateLimit: readmeLimiter(), globalSignOut: true } })
    await strangerExhaustsTheAccountBudget(a)

    await victimLogsOut(a)
    const operations = a.cognito.calls.map((call) => call.operation).filter((name) => name !== 'InitiateAuth')
    // Before the fix: []. The victim signing out everywhere after a theft signs nobody out anywhere.
    expect(operations).toEqual(expect.arrayContaining(['RevokeToken', 'GlobalSignOut']))
  })
})
