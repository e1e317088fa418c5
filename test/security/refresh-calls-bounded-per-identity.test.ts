// Attack: make the Worker spend Cognito calls at will. SECURITY.md promises that "a random refresh
// cookie costs an attacker nothing and the Worker nothing" and that one session's burst makes at most
// 2 Cognito calls. Two ways around it:
//
// 1. POST /auth/refresh takes a refresh token from the body, the REFRESHTOKEN header or the cookie,
//    with no verified token beside it, no burst memory and no rate-limit hook: every request with a
//    random string is one InitiateAuth call. No account needed.
// 2. The middleware's "verified token" precondition is met by any self-registered user: their own
//    expired ID token (it stays valid "but for time" forever) next to a fresh random refresh token on
//    each request is one Cognito call per request; the burst memory is keyed by the refresh token,
//    so it never dedups, and 1000 distinct tokens also flush it for everyone else.
//
// What the attacker gains: Cognito's user-authentication quota is per account and region, shared
// with every sign-in, refresh and MFA step of every pool there. Driving InitiateAuth past it makes
// Cognito throttle real users' logins and renewals (503s) for as long as the flood lasts.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { type CognitoAuthVariables, cognitoAuth, cognitoRoutes } from '../../src/hono'
import { authOptions, signingKey } from '../helpers/auth'
import { throughCloudflare } from '../helpers/edge-requests'
import { cognitoError, fakeCognito } from '../helpers/fake-cognito'
import { NOW_SECONDS, idClaims, mint } from '../helpers/tokens'

const randomToken = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(48)))).replace(/[+/=]/g, 'x')
const refused = () => cognitoError('NotAuthorizedException', 'Invalid Refresh Token')

describe('POST /auth/refresh with random refresh tokens', () => {
  it('goes through the rate limiter before Cognito: a limiter that refuses means no Cognito call', async () => {
    const cognito = fakeCognito({ InitiateAuth: refused, GetTokensFromRefreshToken: refused })
    let asked = 0
    const rateLimit = () => {
      asked++
      return false
    }
    const app = new Hono().route('/auth', cognitoRoutes(authOptions({ fetch: cognito.fetch, routes: { rateLimit } })))
    const statuses = []
    for (let i = 0; i < 20; i++) {
      const res = await app.request('/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': '198.51.100.7' },
        body: JSON.stringify({ refresh_token: randomToken() }),
      })
      statuses.push(res.status)
    }
    // Before the fix: 20 × 401 ERR_COGNITO_REFRESH_REJECTED, 20 InitiateAuth calls, the limiter never asked.
    expect(asked).toBeGreaterThan(0)
    expect(cognito.calls).toHaveLength(0)
    expect(new Set(statuses)).toEqual(new Set([429]))
  })

  it('the same refresh token sent 10 times in a burst costs one Cognito call, as in the middleware', async () => {
    const cognito = fakeCognito({ InitiateAuth: refused, GetTokensFromRefreshToken: refused })
    const app = new Hono().route('/auth', cognitoRoutes(authOptions({ fetch: cognito.fetch })))
    const token = randomToken()
    await Promise.all(
      Array.from({ length: 10 }, () =>
        app.request('/auth/refresh', { method: 'POST', body: JSON.stringify({ refresh_token: token }) }),
      ),
    )
    expect(cognito.calls.length).toBeLessThanOrEqual(2)
  })
})

/** The attacker's app behind the middleware, and a genuine ID token of their own account, expired long ago. */
async function attackersOwnSession() {
  const cognito = fakeCognito({ InitiateAuth: refused, GetTokensFromRefreshToken: refused })
  const app = new Hono<{ Variables: CognitoAuthVariables }>()
  app.use('*', cognitoAuth(authOptions({ fetch: cognito.fetch })))
  app.get('/', (c) => c.text('ok'))
  // Expiry is the one failure renewal may fix.
  const ownExpiredId = await mint(
    signingKey,
    idClaims({
      sub: 'attacker-sub',
      'cognito:username': 'mallory',
      iat: NOW_SECONDS - 86_400 * 30,
      exp: NOW_SECONDS - 86_400 * 29,
    }),
  )
  return { cognito, app, ownExpiredId }
}

describe('the middleware, with a self-registered attacker', () => {
  it("one verified (expired) ID token of the attacker's own with 30 random refresh tokens costs at most 2 Cognito calls", async () => {
    const { cognito, app, ownExpiredId } = await attackersOwnSession()
    const statuses = new Set<number>()
    for (let i = 0; i < 30; i++) {
      const res = await app.request('/', { headers: { IDTOKEN: ownExpiredId, REFRESHTOKEN: randomToken() } })
      statuses.add(res.status)
    }
    // The first refusal is Cognito's (401); the identity's next refresh tokens wait out the window (429).
    expect([...statuses].sort()).toEqual([401, 429])
    // Before the fix: 30 InitiateAuth calls, one per request.
    expect(cognito.calls.length).toBeLessThanOrEqual(2)
  })

  // Found by an adversarial review of the renewal-failure memory: the identity a failure is remembered
  // for included the full CF-Connecting-IP, so each address of one IPv6 /64 (what any VPS comes with)
  // was a new identity with an unspent budget: 30 requests, 30 InitiateAuth calls. The defence: the
  // identity keys an IPv6 client by its /64, an IPv4 client by its address.
  it('the same from 30 addresses of one IPv6 /64 (through Cloudflare): still at most 2 Cognito calls', async () => {
    const { cognito, app, ownExpiredId } = await attackersOwnSession()
    for (let i = 0; i < 30; i++) {
      const ip = `2001:db8:77:1::${(i + 1).toString(16)}`
      const res = await app.request(
        throughCloudflare('/', ip, { headers: { IDTOKEN: ownExpiredId, REFRESHTOKEN: randomToken() } }),
      )
      expect([401, 429]).toContain(res.status)
    }
    expect(cognito.calls.length).toBeLessThanOrEqual(2)
  })
})
