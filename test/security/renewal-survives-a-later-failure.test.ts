// Failing dependency: D1 down while a cookie session renews with refresh-token rotation. The middleware
// renews (Cognito rotates: the old refresh token stops working once Cognito's grace period ends), then
// the user store fails and the request answers 503 — "keep the cookies", as designed. But the cookies
// it keeps hold the OLD refresh token: the renewal, prepared before the user lookup, is delivered only
// after the handler, never on an error response. The burst memory hands the renewal to retries for
// 30 s; a D1 outage (or any 403/409 from the store) that outlasts it signs the user out for good:
// the next attempt presents the rotated-away token, Cognito refuses it, 401 and cookies cleared.
// SECURITY.md: "Only Cognito refusing the refresh token ends a session … 5xx … keep the cookies".
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { type CognitoAuthVariables, cognitoAuth } from '../../src/hono'
import { d1UserStore } from '../../src/d1'
import { authOptions, signingKey } from '../helpers/auth'
import { type CognitoHandler, cognitoError, fakeCognito } from '../helpers/fake-cognito'
import { NOW, NOW_SECONDS, accessClaims, idClaims, mint } from '../helpers/tokens'
import { countingD1 } from '../d1/d1'

const expiredTimes = { iat: NOW_SECONDS - 3700, auth_time: NOW_SECONDS - 3700, exp: NOW_SECONDS - 100 }

describe('a rotation followed by a user-store outage', () => {
  it('the 503 carries the rotated refresh token, so the session outlives an outage longer than the burst window', async () => {
    let clock = NOW
    const live = new Set(['refresh-0'])
    let issued = 0
    // Cognito with rotation: each refresh token works once; the new one replaces it.
    const rotate: CognitoHandler = async (body) => {
      const presented = String(body.RefreshToken)
      if (!live.delete(presented)) return cognitoError('NotAuthorizedException', 'Invalid Refresh Token')
      const next = `refresh-${++issued}`
      live.add(next)
      return {
        AuthenticationResult: {
          IdToken: await mint(signingKey, idClaims({ jti: crypto.randomUUID(), iat: clock / 1000, exp: clock / 1000 + 3600 })),
          AccessToken: await mint(
            signingKey,
            accessClaims({ jti: crypto.randomUUID(), iat: clock / 1000, exp: clock / 1000 + 3600 }),
          ),
          RefreshToken: next,
          ExpiresIn: 3600,
          TokenType: 'Bearer',
        },
      }
    }
    const cognito = fakeCognito({ GetTokensFromRefreshToken: rotate, InitiateAuth: rotate })
    const d1 = countingD1()
    const app = new Hono<{ Variables: CognitoAuthVariables }>()
    const users = d1UserStore({ database: d1.database, autoCreate: true, now: () => clock })
    app.use(
      '*',
      cognitoAuth(authOptions({ fetch: cognito.fetch, cookies: {}, refresh: { rotation: true }, users, now: () => clock })),
    )
    app.get('/', (c) => c.text('ok'))

    // The browser's cookie jar, updated from every response as a browser would.
    const jar = new Map<string, string>([
      ['__Host-cognito-id', await mint(signingKey, idClaims(expiredTimes))],
      ['__Host-cognito-refresh', 'refresh-0'],
    ])
    const send = async () => {
      const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
      const res = await app.request('/', { headers: { cookie } })
      for (const header of res.headers.getSetCookie()) {
        const [pair = ''] = header.split(';')
        const eq = pair.indexOf('=')
        if (/Max-Age=0(;|$)/.test(header)) jar.delete(pair.slice(0, eq))
        else jar.set(pair.slice(0, eq), pair.slice(eq + 1))
      }
      return res.status
    }

    d1.failWhen(/./) // D1 unreachable
    expect(await send()).toBe(503) // renewed at Cognito (refresh-0 → refresh-1), then the store failed
    clock += 40_000 // the outage lasts 40 s: past the 30 s burst window
    expect(await send()).toBe(503) // still down; must not have lost the session meanwhile
    d1.failWhen(null) // D1 is back
    // Before the fix: the jar still holds refresh-0, which Cognito rotated away → 401 ERR_COGNITO_REFRESH_REJECTED, cookies cleared.
    expect(await send()).toBe(200)
    expect(jar.has('__Host-cognito-refresh')).toBe(true)
  })
})
