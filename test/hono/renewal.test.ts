// Session renewal inside cognitoAuth (src/hono/renewal.ts), against the fake Cognito.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { awsSigner, secretHash } from '../../src/index'
import { type CognitoAuthContext, type CognitoAuthVariables, cognitoAuth, cognitoRoutes } from '../../src/hono'
import { type EdgeOverrides, authOptions, signingKey } from '../helpers/auth'
import { CREDENTIALS, type CognitoHandler, cognitoError, fakeCognito } from '../helpers/fake-cognito'
import { rsaKey } from '../helpers/keys'
import { CLIENT_ID, NOW_SECONDS, POOL_ID, SUB, accessClaims, idClaims, mint } from '../helpers/tokens'

const expiredTimes = { iat: NOW_SECONDS - 3700, auth_time: NOW_SECONDS - 3700, exp: NOW_SECONDS - 100 }
const expiredId = () => mint(signingKey, idClaims(expiredTimes))
const expiredAccess = () => mint(signingKey, accessClaims(expiredTimes))

/** A Cognito that renews any refresh token into fresh tokens for `sub`, optionally rotating it. */
function renewing(options: { sub?: string; rotate?: boolean } = {}): CognitoHandler {
  return async () => ({
    AuthenticationResult: {
      IdToken: await mint(signingKey, idClaims({ sub: options.sub ?? SUB, jti: crypto.randomUUID() })),
      AccessToken: await mint(signingKey, accessClaims({ sub: options.sub ?? SUB, jti: crypto.randomUUID() })),
      ExpiresIn: 3600,
      TokenType: 'Bearer',
      ...(options.rotate ? { RefreshToken: 'rotated-refresh-token' } : {}),
    },
  })
}

function setup(handlers: Record<string, CognitoHandler>, overrides: EdgeOverrides = {}) {
  const cognito = fakeCognito(handlers)
  const seen: CognitoAuthContext[] = []
  const app = new Hono<{ Variables: CognitoAuthVariables }>()
  app.use('*', cognitoAuth(authOptions({ fetch: cognito.fetch, ...overrides })))
  app.all('/', (c) => {
    seen.push(c.var.cognito)
    return c.json({ sub: c.var.cognito.claims.sub, refreshed: c.var.cognito.refreshed })
  })
  const refreshCalls = () => cognito.calls.filter((call) => call.operation !== 'GetUser').length
  return { app, cognito, seen, refreshCalls }
}

async function expiredHeaders(refresh = 'refresh-token-1'): Promise<Record<string, string>> {
  return { IDTOKEN: await expiredId(), ACCESSTOKEN: await expiredAccess(), REFRESHTOKEN: refresh }
}

describe('refresh on expiry (header sessions)', () => {
  it('renews through InitiateAuth, continues as the same user, and returns the new tokens in headers', async () => {
    const { app, cognito, seen } = setup({ InitiateAuth: renewing() })
    const res = await app.request('/', { headers: await expiredHeaders() })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ sub: SUB, refreshed: true })
    expect(cognito.calls).toHaveLength(1)
    expect(cognito.calls[0]).toMatchObject({
      operation: 'InitiateAuth',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
      body: { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: CLIENT_ID, AuthParameters: { REFRESH_TOKEN: 'refresh-token-1' } },
    })
    const newAccess = res.headers.get('ACCESSTOKEN')
    const newId = res.headers.get('IDTOKEN')
    expect(newAccess).toBe(seen[0]?.tokens.access)
    expect(newId).toBe(seen[0]?.tokens.id)
    expect(res.headers.get('REFRESHTOKEN')).toBeNull() // not rotated: the client keeps its refresh token
    expect(res.headers.get('access-control-expose-headers')).toBe('ACCESSTOKEN, IDTOKEN, REFRESHTOKEN')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(seen[0]?.tokens.refresh).toBe('refresh-token-1')

    // The new tokens work on their own, without another refresh.
    const next = await app.request('/', { headers: { IDTOKEN: newId as string, ACCESSTOKEN: newAccess as string } })
    expect(await next.json()).toEqual({ sub: SUB, refreshed: false })
    expect(cognito.calls).toHaveLength(1)
  })

  it('sends SECRET_HASH computed with cognito:username, never the email', async () => {
    const { app, cognito } = setup({ InitiateAuth: renewing() }, { cognito: { clientSecret: 's3cr3t' } })
    await app.request('/', { headers: await expiredHeaders() })
    expect(cognito.calls[0]?.body.AuthParameters).toEqual({
      REFRESH_TOKEN: 'refresh-token-1',
      SECRET_HASH: await secretHash('s3cr3t', 'alice', CLIENT_ID),
    })
    expect(JSON.stringify(cognito.calls[0]?.body)).not.toContain('alice@example.com')
  })

  it('works with only an expired access token (username from the access token)', async () => {
    const { app, cognito } = setup({ InitiateAuth: renewing() }, { cognito: { clientSecret: 's3cr3t' } })
    const res = await app.request('/', { headers: { ACCESSTOKEN: await expiredAccess(), REFRESHTOKEN: 'r' } })
    expect(res.status).toBe(200)
    expect((cognito.calls[0]?.body.AuthParameters as Record<string, string>).SECRET_HASH).toBe(
      await secretHash('s3cr3t', 'alice', CLIENT_ID),
    )
  })

  it('hands a rotated refresh token back in REFRESHTOKEN (rotation fallback)', async () => {
    const { app, cognito } = setup({
      InitiateAuth: () => cognitoError('InvalidParameterException', 'REFRESH_TOKEN_AUTH flow not enabled for this client'),
      GetTokensFromRefreshToken: renewing({ rotate: true }),
    })
    const res = await app.request('/', { headers: await expiredHeaders() })
    expect(res.status).toBe(200)
    expect(res.headers.get('REFRESHTOKEN')).toBe('rotated-refresh-token')
    expect(cognito.calls.map((call) => call.operation)).toEqual(['InitiateAuth', 'GetTokensFromRefreshToken'])
  })

  it('20 concurrent requests with the same expired session make one Cognito call', async () => {
    const { app, refreshCalls } = setup({
      InitiateAuth: async (body, call) => {
        await new Promise((resolve) => setTimeout(resolve, 30))
        return renewing()(body, call)
      },
    })
    const headers = await expiredHeaders()
    const statuses = await Promise.all(Array.from({ length: 20 }, async () => (await app.request('/', { headers })).status))
    expect(statuses).toEqual(Array(20).fill(200))
    expect(refreshCalls()).toBe(1)
    // …and a later request in the window is answered from memory too.
    expect((await app.request('/', { headers })).status).toBe(200)
    expect(refreshCalls()).toBe(1)
  })

  it('a refused refresh token → 401 ERR_COGNITO_REFRESH_REJECTED, remembered for the burst', async () => {
    const { app, refreshCalls } = setup({ InitiateAuth: () => cognitoError('NotAuthorizedException', 'Invalid Refresh Token.') })
    const headers = await expiredHeaders()
    for (let i = 0; i < 3; i++) {
      const res = await app.request('/', { headers })
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/)
      expect(await res.json()).toMatchObject({ code: 'ERR_COGNITO_REFRESH_REJECTED' })
    }
    expect(refreshCalls()).toBe(1)
  })

  it('Cognito unreachable → 503 with Retry-After', async () => {
    const { app } = setup({ InitiateAuth: () => cognitoError('InternalErrorException', 'down', 500) })
    const res = await app.request('/', { headers: await expiredHeaders() })
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('5')
    expect(await res.json()).toMatchObject({ code: 'ERR_COGNITO_UNAVAILABLE' })
  })

  it('refreshed tokens of another user → 401 ERR_COGNITO_TOKEN_MISMATCH', async () => {
    const { app, seen } = setup({ InitiateAuth: renewing({ sub: 'someone-else' }) })
    const res = await app.request('/', { headers: await expiredHeaders() })
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ code: 'ERR_COGNITO_TOKEN_MISMATCH' })
    expect(seen).toHaveLength(0)
  })

  it('refreshed tokens that do not verify are refused', async () => {
    const forger = await rsaKey('main-key')
    const { app } = setup({
      InitiateAuth: async () => ({
        AuthenticationResult: {
          IdToken: await mint(forger, idClaims()),
          AccessToken: await mint(forger, accessClaims()),
          ExpiresIn: 3600,
        },
      }),
    })
    // Cognito's answer that does not verify is Cognito failing (as on the /auth routes), never a session.
    expect(await (await app.request('/', { headers: await expiredHeaders() })).json()).toMatchObject({
      code: 'ERR_COGNITO_UNAVAILABLE',
    })
  })
})

describe('no refresh where it does not belong', () => {
  it('never for a header request carrying only a refresh token (no verified identity)', async () => {
    const { app, refreshCalls } = setup({ InitiateAuth: renewing() })
    const res = await app.request('/', { headers: { REFRESHTOKEN: 'anything' } })
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ code: 'ERR_COGNITO_TOKEN_MISSING' })
    expect(refreshCalls()).toBe(0)
  })

  it('never for a tampered token, even with a refresh token', async () => {
    const forger = await rsaKey('main-key')
    const { app, refreshCalls } = setup({ InitiateAuth: renewing() })
    const res = await app.request('/', {
      headers: { ACCESSTOKEN: await mint(forger, accessClaims(expiredTimes)), REFRESHTOKEN: 'r' },
    })
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ code: 'ERR_COGNITO_SIGNATURE' })
    expect(refreshCalls()).toBe(0)
  })

  it('never for a token of another issuer', async () => {
    const { app, refreshCalls } = setup({ InitiateAuth: renewing() })
    const res = await app.request('/', {
      headers: {
        ACCESSTOKEN: await mint(signingKey, accessClaims({ ...expiredTimes, iss: 'https://evil.example' })),
        REFRESHTOKEN: 'r',
      },
    })
    expect(await res.json()).toMatchObject({ code: 'ERR_COGNITO_ISSUER' })
    expect(refreshCalls()).toBe(0)
  })

  it('never when one token is expired and the other is wrong', async () => {
    const { app, refreshCalls } = setup({ InitiateAuth: renewing() })
    const res = await app.request('/', {
      headers: {
        ACCESSTOKEN: await expiredAccess(),
        IDTOKEN: await mint(signingKey, idClaims({ aud: 'other' })),
        REFRESHTOKEN: 'r',
      },
    })
    expect(await res.json()).toMatchObject({ code: 'ERR_COGNITO_AUDIENCE' })
    expect(refreshCalls()).toBe(0)
  })

  it('not with refresh: false', async () => {
    const { app, refreshCalls } = setup({ InitiateAuth: renewing() }, { refresh: false })
    const res = await app.request('/', { headers: await expiredHeaders() })
    expect(await res.json()).toMatchObject({ code: 'ERR_COGNITO_EXPIRED' })
    expect(refreshCalls()).toBe(0)
  })

  it('with refresh: false, POST /auth/refresh (the seed endpoint) still renews; only the middleware does not', async () => {
    const cognito = fakeCognito({ InitiateAuth: renewing() })
    const app = new Hono()
    app.route('/auth', cognitoRoutes(authOptions({ fetch: cognito.fetch, refresh: false })))
    const res = await app.request('/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await expiredHeaders()) },
      body: '{}',
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ AuthenticationResult: { TokenType: 'Bearer' } })
    expect(cognito.calls.map((call) => call.operation)).toEqual(['InitiateAuth'])
  })

  it('not for a valid session, unless refreshBefore says it expires soon', async () => {
    const soon = { iat: NOW_SECONDS - 3500, exp: NOW_SECONDS + 100 }
    const headers = {
      IDTOKEN: await mint(signingKey, idClaims(soon)),
      ACCESSTOKEN: await mint(signingKey, accessClaims(soon)),
      REFRESHTOKEN: 'r',
    }
    const plain = setup({ InitiateAuth: renewing() })
    expect(await (await plain.app.request('/', { headers })).json()).toEqual({ sub: SUB, refreshed: false })
    expect(plain.refreshCalls()).toBe(0)

    const early = setup({ InitiateAuth: renewing() }, { refresh: { refreshBefore: 300 } })
    const res = await early.app.request('/', { headers })
    expect(await res.json()).toEqual({ sub: SUB, refreshed: true })
    expect(res.headers.get('ACCESSTOKEN')).toBe(early.seen[0]?.tokens.access)
    expect(res.headers.get('ACCESSTOKEN')).not.toBe(headers.ACCESSTOKEN)
    expect(early.refreshCalls()).toBe(1)
  })

  it('an early refresh that fails leaves the still-valid session working', async () => {
    const soon = { iat: NOW_SECONDS - 3500, exp: NOW_SECONDS + 100 }
    const { app } = setup(
      { InitiateAuth: () => cognitoError('InternalErrorException', 'down', 500) },
      { refresh: { refreshBefore: 300 } },
    )
    const res = await app.request('/', {
      headers: { ACCESSTOKEN: await mint(signingKey, accessClaims(soon)), REFRESHTOKEN: 'r' },
    })
    expect(await res.json()).toEqual({ sub: SUB, refreshed: false })
  })
})

describe('refresh in cookie mode', () => {
  const cookieNames = { id: '__Host-cognito-id', access: '__Host-cognito-access', refresh: '__Host-cognito-refresh' }

  it('renews from the kept ID cookie and the refresh cookie and sets new cookies, never token headers', async () => {
    const { app } = setup({ InitiateAuth: renewing() }, { cookies: {} })
    const res = await app.request('/', {
      headers: { cookie: `${cookieNames.id}=${await expiredId()}; ${cookieNames.refresh}=refresh-token-1` },
    })
    expect(res.status).toBe(200)
    const cookies = res.headers.getSetCookie()
    expect(cookies.map((cookie) => cookie.split('=')[0])).toEqual([cookieNames.id, cookieNames.access])
    expect(cookies[1]).toMatch(/; Max-Age=3600; Path=\/; Secure; HttpOnly; SameSite=Lax$/)
    expect(res.headers.get('ACCESSTOKEN')).toBeNull()
  })

  it('a rotated refresh token replaces the refresh cookie', async () => {
    const { app } = setup({ GetTokensFromRefreshToken: renewing({ rotate: true }) }, { cookies: {}, refresh: { rotation: true } })
    const res = await app.request('/', {
      headers: { cookie: `${cookieNames.access}=${await expiredAccess()}; ${cookieNames.refresh}=old` },
    })
    expect(res.headers.getSetCookie().find((cookie) => cookie.startsWith(cookieNames.refresh))).toMatch(
      /^__Host-cognito-refresh=rotated-refresh-token; Max-Age=2592000;/,
    )
  })

  it('a refused refresh token clears the session cookies', async () => {
    const { app } = setup(
      { InitiateAuth: () => cognitoError('NotAuthorizedException', 'Refresh Token has been revoked') },
      { cookies: {} },
    )
    const res = await app.request('/', {
      headers: { cookie: `${cookieNames.access}=${await expiredAccess()}; ${cookieNames.refresh}=revoked` },
    })
    expect(res.status).toBe(401)
    expect(res.headers.getSetCookie()).toEqual(
      Object.values(cookieNames).map((name) => `${name}=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax`),
    )
  })

  it('Cognito unreachable keeps the cookies', async () => {
    const { app } = setup({ InitiateAuth: () => new Response('bad gateway', { status: 502 }) }, { cookies: {} })
    const res = await app.request('/', {
      headers: { cookie: `${cookieNames.id}=${await expiredId()}; ${cookieNames.refresh}=r` },
    })
    expect(res.status).toBe(503)
    expect(res.headers.getSetCookie()).toEqual([])
  })

  it('an unsafe cookie request is CSRF-checked before any refresh', async () => {
    const { app, refreshCalls } = setup({ InitiateAuth: renewing() }, { cookies: {} })
    const res = await app.request('/', {
      method: 'POST',
      headers: { cookie: `${cookieNames.id}=${await expiredId()}; ${cookieNames.refresh}=r` },
    })
    expect(res.status).toBe(403)
    expect(refreshCalls()).toBe(0)
  })
})

describe('admin mode', () => {
  it('refreshes with AdminInitiateAuth, signed', async () => {
    const { app, cognito } = setup(
      { AdminInitiateAuth: renewing() },
      { cognito: { signer: awsSigner(CREDENTIALS) }, refresh: { admin: true } },
    )
    const res = await app.request('/', { headers: await expiredHeaders() })
    expect(res.status).toBe(200)
    expect(cognito.calls[0]).toMatchObject({ operation: 'AdminInitiateAuth', body: { UserPoolId: POOL_ID } })
    expect(cognito.calls[0]?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//)
  })

  it('needs credentials, said when the middleware is built', () => {
    expect(() => cognitoAuth({ pool: { userPoolId: POOL_ID, clientId: CLIENT_ID }, refresh: { admin: true } })).toThrow(
      expect.objectContaining({
        code: 'ERR_COGNITO_CONFIG',
        message: expect.stringMatching(/^refresh.admin needs cognito.signer/),
      }),
    )
  })
})
