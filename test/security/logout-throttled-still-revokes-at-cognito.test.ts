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
import { cognitoError } from '../helpers/fake-cognito'
import { type Isolate, isolate, resetRevocations, signIn } from '../d1/revocation-rig'

beforeEach(resetRevocations)

/** The README's limiter: ACCOUNT_LIMIT (10 a minute per key) and IP_LIMIT (100 a minute per address). */
function readmeLimiter() {
  const account = new Map<string, number>()
  const address = new Map<string, number>()
  const take = (counts: Map<string, number>, key: string, limit: number) => {
    const count = (counts.get(key) ?? 0) + 1
    counts.set(key, count)
    return count <= limit
  }
  return (_c: unknown, { key, ip }: { key: string; ip: string | null }) =>
    (key === '' || take(account, key, 10)) && take(address, ip ?? 'no-ip', 100)
}

/** A request as it reaches a Worker through Cloudflare's edge: it carries `cf`, and CF-Connecting-IP is the client's. */
function throughCloudflare(a: Isolate, path: string, ip: string, headers: Record<string, string>, body: object) {
  const request = new Request(`http://localhost${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip, ...headers },
    body: JSON.stringify(body),
    cf: { colo: 'TST' },
  } as RequestInit)
  return a.app.request(request)
}

async function strangerExhaustsTheAccountBudget(a: Isolate) {
  a.cognito.on('InitiateAuth', () => cognitoError('NotAuthorizedException', 'Incorrect username or password.'))
  for (let i = 0; i < 10; i++) {
    const res = await throughCloudflare(
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
  return throughCloudflare(a, '/auth/logout', '203.0.113.9', { cookie, CsrfToken: 't0k3n' }, {})
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
