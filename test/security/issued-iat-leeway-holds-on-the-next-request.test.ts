// Found by an adversarial review of the revocation and renewal fixes (clock skew, no attacker
// needed): Cognito's clock runs 3 s ahead of the Worker's, so the tokens it issues carry an iat 3 s in
// the Worker's future. Tokens are accepted where they are issued (login, managed login, renewal:
// iat leeway 5 s) and handed to the client. Before the fix the leeway ended there: the client's very
// next request presented the same tokens to the middleware and was refused 401
// ERR_COGNITO_NOT_YET_VALID (the verified-token cache re-checked time without the leeway) until the
// Worker's clock caught up — the library opened a session, then refused it.
//
// The defence: a token accepted as just issued keeps its leeway in the verified-token cache, so the
// requests that present it next to this isolate are let in. (Another isolate, which never saw it
// issued, checks iat strictly: at most the seconds of skew, and only for iat.)
import { Hono } from 'hono'
import { type CognitoAuthVariables, createCognitoEdge } from 'cognito-edge/hono'
import { describe, expect, it } from 'vitest'
import { authOptions, signingKey } from '../helpers/auth'
import { errorOf } from '../helpers/errors'
import { fakeCognito } from '../helpers/fake-cognito'
import { NOW, NOW_SECONDS, accessClaims, idClaims, mint } from '../helpers/tokens'

/** Cognito's clock, 3 s ahead of the Worker's (within the 5 s the library grants just-issued tokens). */
const COGNITO_SECONDS = NOW_SECONDS + 3

async function issued() {
  const times = { iat: COGNITO_SECONDS, auth_time: COGNITO_SECONDS, exp: COGNITO_SECONDS + 3600 }
  return {
    IdToken: await mint(signingKey, idClaims(times)),
    AccessToken: await mint(signingKey, accessClaims(times)),
    RefreshToken: 'refresh-token',
    ExpiresIn: 3600,
    TokenType: 'Bearer',
  }
}

function app(clock: { now: number }) {
  const cognito = fakeCognito({
    InitiateAuth: async () => ({ AuthenticationResult: await issued(), ChallengeParameters: {} }),
  })
  const edge = createCognitoEdge(authOptions({ fetch: cognito.fetch, now: () => clock.now }))
  const hono = new Hono<{ Variables: CognitoAuthVariables }>()
  hono.route('/auth', edge.routes())
  hono.use('/api/*', edge.auth())
  hono.get('/api/me', (c) => c.json({ sub: c.var.cognito.claims.sub, refreshed: c.var.cognito.refreshed }))
  return hono
}

const outcome = async (res: Response) => (res.status === 200 ? 200 : `${res.status} ${(await errorOf(res)).code}`)

describe("tokens Cognito issued with an iat a moment ahead of the Worker's clock", () => {
  it('POST /auth/login answers them; the next request, a second later, is let in', async () => {
    const clock = { now: NOW }
    const hono = app(clock)
    const login = await hono.request('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'correct horse battery staple' }),
    })
    expect(login.status).toBe(200)
    const { AuthenticationResult } = (await login.json()) as { AuthenticationResult: { IdToken: string; AccessToken: string } }

    clock.now = NOW + 1000
    const me = await hono.request('/api/me', {
      headers: { IDTOKEN: AuthenticationResult.IdToken, ACCESSTOKEN: AuthenticationResult.AccessToken },
    })
    expect(await outcome(me)).toBe(200)
  })

  it('the middleware renews into them; the next request, a second later, is let in', async () => {
    const clock = { now: NOW }
    const hono = app(clock)
    const expired = { iat: NOW_SECONDS - 3700, auth_time: NOW_SECONDS - 3700, exp: NOW_SECONDS - 100 }
    const renewed = await hono.request('/api/me', {
      headers: {
        IDTOKEN: await mint(signingKey, idClaims(expired)),
        ACCESSTOKEN: await mint(signingKey, accessClaims(expired)),
        REFRESHTOKEN: 'refresh-token',
      },
    })
    expect(await renewed.json()).toMatchObject({ refreshed: true })

    clock.now = NOW + 1000
    const me = await hono.request('/api/me', {
      headers: { IDTOKEN: renewed.headers.get('IDTOKEN') ?? '', ACCESSTOKEN: renewed.headers.get('ACCESSTOKEN') ?? '' },
    })
    expect(await outcome(me)).toBe(200)
  })
})
