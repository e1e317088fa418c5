// Found by an adversarial review of the renewal-failure memory (one self-registered account, one
// IPv6 /64 — what any VPS comes with): the account's own expired ID token beside a new random refresh
// token each time, from a new address of the /64 each time. The identity a failure is remembered for
// included the full CF-Connecting-IP, so before the fix each address was a new identity with an
// unspent budget: 30 requests, 30 InitiateAuth calls (test/security/refresh-calls-bounded-per-identity
// promises at most 2).
//
// The defence: the identity keys an IPv6 client by its /64, an IPv4 client by its address.
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
    // Before the fix: 30 InitiateAuth calls, one per request.
    expect(cognito.calls.length).toBeLessThanOrEqual(2)
  })
})
