// Attack (one self-registered account, one IPv6 /64 — what any VPS comes with): present the account's
// own expired ID token to any route behind edge.auth(), with a new random refresh token each time,
// from a new address of the /64 each time. test/security/refresh-calls-bounded-per-identity holds that
// such a flood costs at most 2 Cognito calls: after the first refusal the identity's other refresh
// tokens wait out the window (429). The middleware asks no rate limiter; that memory is the only bound.
//
// What happens today: since 3d248b6 the identity is (iss, sub, sign-in, CF-Connecting-IP), the full
// address. A /64 holds 2^64 of them, so every request is a new identity with an unspent budget: 30
// requests, 30 InitiateAuth calls — one per request, exactly the amplification the bound was for
// (Cognito's per-account quota, shared with every real sign-in and renewal, throttled at will).
//
// What should happen: addresses one client holds by the billion count as one — e.g. an IPv6 address
// keyed by its /64, or the sign-in's budget bounded whatever the address — so the flood stays at a
// couple of Cognito calls.
import { Hono } from 'hono'
import { type CognitoAuthVariables, cognitoAuth } from 'cognito-edge/hono'
import { describe, expect, it } from 'vitest'
import { authOptions, signingKey } from '../helpers/auth'
import { cognitoError, fakeCognito } from '../helpers/fake-cognito'
import { NOW_SECONDS, idClaims, mint } from '../helpers/tokens'

const randomToken = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(48)))).replace(/[+/=]/g, 'x')
const refused = () => cognitoError('NotAuthorizedException', 'Invalid Refresh Token')

describe('the middleware, with a self-registered attacker on one IPv6 /64', () => {
  it('one expired ID token of their own, 30 random refresh tokens from 30 addresses of the /64: at most 2 Cognito calls', async () => {
    const cognito = fakeCognito({ InitiateAuth: refused, GetTokensFromRefreshToken: refused })
    const app = new Hono<{ Variables: CognitoAuthVariables }>()
    app.use('*', cognitoAuth(authOptions({ fetch: cognito.fetch })))
    app.get('/', (c) => c.text('ok'))
    const ownExpiredId = await mint(
      signingKey,
      idClaims({
        sub: 'attacker-sub',
        'cognito:username': 'mallory',
        iat: NOW_SECONDS - 86_400 * 30,
        exp: NOW_SECONDS - 86_400 * 29,
      }),
    )
    for (let i = 0; i < 30; i++) {
      const request = new Request('http://localhost/', {
        headers: {
          IDTOKEN: ownExpiredId,
          REFRESHTOKEN: randomToken(),
          'cf-connecting-ip': `2001:db8:77:1::${(i + 1).toString(16)}`,
        },
        cf: { colo: 'TST' },
      } as RequestInit)
      const res = await app.request(request)
      expect([401, 429]).toContain(res.status)
    }
    // Today: 30 InitiateAuth calls, one per request.
    expect(cognito.calls.length).toBeLessThanOrEqual(2)
  })
})
