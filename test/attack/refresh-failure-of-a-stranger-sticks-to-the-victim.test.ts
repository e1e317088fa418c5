// Attack (holder of any token of the victim's sign-in, an expired one will do — ID tokens are
// forwarded to backends, logged, kept in browser storage; none of that is the refresh token): POST
// /auth/refresh with the victim's expired ID token beside a made-up refresh token. Since 257b438 the
// route renews through the middleware's RefreshMemory, which remembers a refusal for the identity
// that asked (issuer, sub, sign-in) for the burst window (30 s), "whatever refresh token comes next".
//
// Today the victim's own renewal in that window — their expired tokens and their real refresh token
// — is answered from that memory: 401 ERR_COGNITO_REFRESH_REJECTED without asking Cognito, and a
// cookie session is cleared (the refusal ends the session). One request per 30 s per isolate keeps
// the victim signed out; the attacker never held the refresh token. (The middleware path, with the
// made-up refresh token in REFRESHTOKEN on any protected route, does the same.)
//
// What should happen: a refusal of one refresh token may bound the Cognito calls of an identity, but
// must not answer for a different refresh token — at most it costs the victim's renewal nothing
// more than a Cognito call; their real refresh token renews their session.
import { Hono } from 'hono'
import { type CognitoAuthVariables, createCognitoEdge } from 'cognito-edge/hono'
import { describe, expect, it } from 'vitest'
import { authOptions, signingKey } from '../helpers/auth'
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
  it("POST /auth/refresh with the victim's expired ID token and a made-up refresh token", async () => {
    const { app, cognito } = setup()
    const victimIdToken = await mint(signingKey, idClaims(expired))
    const victimAccessToken = await mint(signingKey, accessClaims(expired))

    const attack = await app.request('/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json', IDTOKEN: victimIdToken, REFRESHTOKEN: 'made-up' },
      body: '{}',
    })
    expect(attack.status).toBe(401)

    const victim = await app.request('/api/me', {
      headers: { IDTOKEN: victimIdToken, ACCESSTOKEN: victimAccessToken, REFRESHTOKEN: 'the-victims-refresh-token' },
    })
    expect(await outcome(victim)).toBe(200)
    const asked = cognito.calls.map((call) => (call.body.AuthParameters as Record<string, string>).REFRESH_TOKEN)
    expect(asked).toEqual(['made-up', 'the-victims-refresh-token'])
  })
})
