// Found while designing the renewal case of `npm run load` (the demo's short-lived client issues
// tokens that live 3 s): a renewal is remembered for the burst window (30 s) whatever its tokens'
// own lifetime, so a request with the same expired session later in the window is let through on
// claims that have expired, and the client is handed tokens that are expired already (its next
// request with them is 401 ERR_COGNITO_EXPIRED). Real Cognito tokens live at least 5 minutes, so
// this needs tokens shorter than `refresh.burstWindow` (an emulator, or a window set longer).
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { type CognitoAuthVariables, cognitoAuth } from '../../src/hono'
import { unverifiedClaims } from '../../src/token/unverified-claims'
import { authOptions, signingKey } from '../helpers/auth'
import { fakeCognito } from '../helpers/fake-cognito'
import { NOW, NOW_SECONDS, accessClaims, idClaims, mint } from '../helpers/tokens'

const LIFETIME_SECONDS = 3

describe('a remembered renewal', () => {
  it('is not served after its own tokens expired (tokens living 3 s, default 30 s burst window; was a bug)', async () => {
    const clock = { now: NOW }
    // Cognito issues tokens that live 3 s from the moment it is asked.
    const cognito = fakeCognito({
      InitiateAuth: async () => {
        const times = { iat: clock.now / 1000, auth_time: clock.now / 1000, exp: clock.now / 1000 + LIFETIME_SECONDS }
        const jti = crypto.randomUUID()
        return {
          AuthenticationResult: {
            IdToken: await mint(signingKey, idClaims({ ...times, jti })),
            AccessToken: await mint(signingKey, accessClaims({ ...times, jti: `${jti}-a` })),
            ExpiresIn: LIFETIME_SECONDS,
            TokenType: 'Bearer',
          },
        }
      },
    })
    const app = new Hono<{ Variables: CognitoAuthVariables }>()
    app.use('*', cognitoAuth(authOptions({ fetch: cognito.fetch, now: () => clock.now })))
    app.get('/', (c) => c.json({ exp: c.var.cognito.claims.exp }))
    const expired = { iat: NOW_SECONDS - 3700, auth_time: NOW_SECONDS - 3700, exp: NOW_SECONDS - 100 }
    const headers = {
      IDTOKEN: await mint(signingKey, idClaims(expired)),
      ACCESSTOKEN: await mint(signingKey, accessClaims(expired)),
      REFRESHTOKEN: 'refresh-token-1',
    }
    expect((await app.request('/', { headers })).status).toBe(200)

    clock.now += 10_000 // within the burst window, past the renewed tokens' exp
    const later = await app.request('/', { headers })
    const nowSeconds = clock.now / 1000
    expect(later.status).toBe(200)
    // The session the handler sees, and the tokens the client gets, must not be expired already.
    expect(((await later.json()) as { exp: number }).exp).toBeGreaterThan(nowSeconds)
    expect(unverifiedClaims(later.headers.get('IDTOKEN'))?.exp).toBeGreaterThan(nowSeconds)
    expect(unverifiedClaims(later.headers.get('ACCESSTOKEN'))?.exp).toBeGreaterThan(nowSeconds)
  })
})
