// Found by an adversarial review of the renewal fixes (holder of any token of the victim's sign-in,
// an expired one will do — ID tokens are forwarded to backends, logged, kept in browser storage; none
// of that is the refresh token): POST /auth/refresh with the victim's expired ID token beside a
// made-up refresh token. Renewal remembers a failure for the identity that asked, so that a new
// random refresh token per request buys no new Cognito call (refresh-calls-bounded-per-identity).
// Before the fix that identity was (issuer, sub, sign-in) and the memory answered the identity's next
// renewal with the remembered refusal, 401 ERR_COGNITO_REFRESH_REJECTED: the victim's own renewal
// with the real refresh token was refused for 30 s, and a cookie session cleared.
//
// The defence: the identity includes the client's trusted address (CF-Connecting-IP on a request
// through Cloudflare), so a stranger elsewhere spends only their own budget; and another refresh token
// of a failed identity is answered 429 ERR_COGNITO_THROTTLED (retry later), never a refusal that ends
// the session. From the victim's own address a stranger can still delay the renewal, not end it.
import { Hono } from 'hono'
import { type CognitoAuthVariables, createCognitoEdge } from 'cognito-edge/hono'
import { describe, expect, it } from 'vitest'
import { authOptions, signingKey } from '../helpers/auth'
import { throughCloudflare } from '../helpers/edge-requests'
import { errorOf } from '../helpers/errors'
import { cognitoError, fakeCognito } from '../helpers/fake-cognito'
import { NOW_SECONDS, accessClaims, idClaims, mint } from '../helpers/tokens'

const expired = { iat: NOW_SECONDS - 3700, auth_time: NOW_SECONDS - 3700, exp: NOW_SECONDS - 100 }

function setup() {
  const cognito = fakeCognito({
    InitiateAuth: async (body) => {
      const parameters = body.AuthParameters as Record<string, string>
      if (parameters.REFRESH_TOKEN !== 'the-victims-refresh-token')
        return cognitoError('NotAuthorizedException', 'Invalid Refresh Token')
      const times = { iat: NOW_SECONDS, auth_time: expired.auth_time, exp: NOW_SECONDS + 3600 }
      return {
        AuthenticationResult: {
          IdToken: await mint(signingKey, idClaims(times)),
          AccessToken: await mint(signingKey, accessClaims(times)),
          ExpiresIn: 3600,
          TokenType: 'Bearer',
        },
      }
    },
  })
  const edge = createCognitoEdge(authOptions({ fetch: cognito.fetch }))
  const app = new Hono<{ Variables: CognitoAuthVariables }>()
  app.route('/auth', edge.routes())
  app.use('/api/*', edge.auth())
  app.get('/api/me', (c) => c.json({ refreshed: c.var.cognito.refreshed }))
  return { app, cognito }
}

const outcome = async (res: Response) => (res.status === 200 ? 200 : `${res.status} ${(await errorOf(res)).code}`)

describe("a stranger's refusal, remembered for the victim's sign-in", () => {
  it("POST /auth/refresh with the victim's expired ID token and a made-up refresh token, from elsewhere", async () => {
    const { app, cognito } = setup()
    const victimIdToken = await mint(signingKey, idClaims(expired))
    const victimAccessToken = await mint(signingKey, accessClaims(expired))

    const attack = await app.request(
      throughCloudflare('/auth/refresh', '198.51.100.7', {
        method: 'POST',
        headers: { 'content-type': 'application/json', IDTOKEN: victimIdToken, REFRESHTOKEN: 'made-up' },
        body: '{}',
      }),
    )
    expect(attack.status).toBe(401)

    const victim = await app.request(
      throughCloudflare('/api/me', '203.0.113.9', {
        headers: { IDTOKEN: victimIdToken, ACCESSTOKEN: victimAccessToken, REFRESHTOKEN: 'the-victims-refresh-token' },
      }),
    )
    expect(await outcome(victim)).toBe(200)
    const asked = cognito.calls.map((call) => (call.body.AuthParameters as Record<string, string>).REFRESH_TOKEN)
    expect(asked).toEqual(['made-up', 'the-victims-refresh-token'])
  })

  it('from the same address (or where none can be trusted): the victim is asked to retry (429), never signed out', async () => {
    const { app, cognito } = setup()
    const victimIdToken = await mint(signingKey, idClaims(expired))
    const victimAccessToken = await mint(signingKey, accessClaims(expired))
    await app.request('/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json', IDTOKEN: victimIdToken, REFRESHTOKEN: 'made-up' },
      body: '{}',
    })
    const victim = await app.request('/api/me', {
      headers: { IDTOKEN: victimIdToken, ACCESSTOKEN: victimAccessToken, REFRESHTOKEN: 'the-victims-refresh-token' },
    })
    expect(await outcome(victim)).toBe('429 ERR_COGNITO_THROTTLED')
    expect(victim.headers.get('set-cookie')).toBeNull()
    expect(cognito.calls).toHaveLength(1) // the identity's budget bounds the calls all the same
  })
})
