// Item 4 of the session-layer review: a request that carries only a refresh token (a random
// cookie costs an attacker nothing) must not make the Worker call Cognito. Renewal needs a
// signature-verified, possibly expired, ID or access token of the same session; cookie sessions
// keep their expired ID cookie for the refresh lifetime so they can still renew.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { type CognitoAuthVariables, cognitoAuth } from '../../src/hono'
import { authOptions, signingKey } from '../helpers/auth'
import { errorOf } from '../helpers/errors'
import { type CognitoHandler, cognitoError, fakeCognito } from '../helpers/fake-cognito'
import { rsaKey } from '../helpers/keys'
import { NOW_SECONDS, accessClaims, idClaims, mint } from '../helpers/tokens'

const expiredTimes = { iat: NOW_SECONDS - 3700, auth_time: NOW_SECONDS - 3700, exp: NOW_SECONDS - 100 }
const REFRESH_MAX_AGE = 2_592_000

const renewing: CognitoHandler = async () => ({
  AuthenticationResult: {
    IdToken: await mint(signingKey, idClaims({ jti: crypto.randomUUID() })),
    AccessToken: await mint(signingKey, accessClaims({ jti: crypto.randomUUID() })),
    ExpiresIn: 3600,
    TokenType: 'Bearer',
  },
})

function cookieApp(handler: CognitoHandler = renewing) {
  const cognito = fakeCognito({ InitiateAuth: handler, GetTokensFromRefreshToken: handler })
  const app = new Hono<{ Variables: CognitoAuthVariables }>()
  app.use('*', cognitoAuth(authOptions({ fetch: cognito.fetch, cookies: {} })))
  app.get('/', (c) => c.json({ sub: c.var.cognito.claims.sub, refreshed: c.var.cognito.refreshed }))
  return { app, cognito }
}

const randomToken = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(48)))).replace(/[+/=]/g, 'x')

describe('no Cognito call without a verified session', () => {
  it('50 requests with only a random refresh cookie → 50 × 401 and no Cognito call', async () => {
    const { app, cognito } = cookieApp()
    for (let i = 0; i < 50; i++) {
      const res = await app.request('/', { headers: { cookie: `__Host-cognito-refresh=${randomToken()}` } })
      expect(res.status).toBe(401)
      expect((await errorOf(res)).code).toBe('ERR_COGNITO_TOKEN_MISSING')
    }
    expect(cognito.calls).toHaveLength(0)
  })

  it('the same while Cognito throttles: still no call at all', async () => {
    const { app, cognito } = cookieApp(() => cognitoError('TooManyRequestsException', 'Rate exceeded'))
    for (let i = 0; i < 10; i++) {
      await app.request('/', { headers: { cookie: `__Host-cognito-refresh=${randomToken()}` } })
    }
    expect(cognito.calls).toHaveLength(0)
  })

  it('a refresh cookie beside a forged expired ID cookie → 401, no call', async () => {
    const forger = await rsaKey('main-key')
    const { app, cognito } = cookieApp()
    const forged = await mint(forger, idClaims(expiredTimes))
    const res = await app.request('/', { headers: { cookie: `__Host-cognito-id=${forged}; __Host-cognito-refresh=r` } })
    expect(res.status).toBe(401)
    expect((await errorOf(res)).code).toBe('ERR_COGNITO_SIGNATURE')
    expect(cognito.calls).toHaveLength(0)
  })

  it('a refresh header alone → 401, no call', async () => {
    const { app, cognito } = cookieApp()
    const res = await app.request('/', { headers: { REFRESHTOKEN: randomToken() } })
    expect(res.status).toBe(401)
    expect(cognito.calls).toHaveLength(0)
  })
})

describe('cookie sessions still renew', () => {
  it('the ID cookie outlives its token: it is kept for the refresh lifetime, the access cookie is not', async () => {
    const { app } = cookieApp()
    const expiredId = await mint(signingKey, idClaims(expiredTimes))
    const res = await app.request('/', { headers: { cookie: `__Host-cognito-id=${expiredId}; __Host-cognito-refresh=r1` } })
    expect(res.status).toBe(200)
    const maxAge = (name: string) =>
      Number(/Max-Age=(\d+)/.exec(res.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`)) ?? '')?.[1])
    expect(maxAge('__Host-cognito-id')).toBe(REFRESH_MAX_AGE)
    expect(maxAge('__Host-cognito-access')).toBe(3600)
  })

  it('an expired (verified) ID cookie and the refresh cookie, the access cookie gone → renewed with one call', async () => {
    const { app, cognito } = cookieApp()
    const expiredId = await mint(signingKey, idClaims(expiredTimes))
    const res = await app.request('/', { headers: { cookie: `__Host-cognito-id=${expiredId}; __Host-cognito-refresh=r1` } })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ sub: idClaims().sub, refreshed: true })
    expect(cognito.calls).toHaveLength(1)
  })
})
