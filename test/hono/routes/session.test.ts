// The /auth endpoints that open, renew and end sessions (src/hono/routes/session.ts): login,
// confirm_login, generate_csrf, refresh and logout, against the fake Cognito.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { optionsFromEnv, secretHash } from '../../../src/index'
import { cognitoRoutes } from '../../../src/hono'
import { signingKey } from '../../helpers/auth'
import { cognitoError } from '../../helpers/fake-cognito'
import { CLIENT_ID, POOL_ID, idClaims, mint } from '../../helpers/tokens'
import { json, setup, signedIn } from './app'

describe('POST /auth/login', () => {
  it("signs in with USER_PASSWORD_AUTH and answers in Cognito's shape (AuthenticationResult), without AWS metadata", async () => {
    const { cognito, post } = setup({ InitiateAuth: signedIn })
    const res = await post('login', { username: 'alice', password: 'Passw0rd!' })
    expect(res.status).toBe(200)
    const body = await json(res)
    expect(Object.keys(body).sort()).toEqual(['AuthenticationResult', 'ChallengeParameters'])
    expect(body.ChallengeParameters).toEqual({})
    expect(Object.keys(body.AuthenticationResult as object).sort()).toEqual([
      'AccessToken',
      'ExpiresIn',
      'IdToken',
      'RefreshToken',
      'TokenType',
    ])
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(cognito.calls[0]).toMatchObject({
      operation: 'InitiateAuth',
      body: { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: CLIENT_ID, AuthParameters: { USERNAME: 'alice', PASSWORD: 'Passw0rd!' } },
    })
  })

  it('adds SECRET_HASH of the username given when the client has a secret', async () => {
    const { cognito, post } = setup({ InitiateAuth: signedIn }, { cognito: { clientSecret: 's3cr3t' } })
    await post('login', { username: 'alice@example.com', password: 'p' })
    expect((cognito.calls[0]?.body.AuthParameters as Record<string, string>).SECRET_HASH).toBe(
      '2ha83cJKOY6MbkJ5wKngc0J3uENmijnCI7Qy/NAkAC8=',
    )
  })

  it('sets the session cookies in cookie mode, and keeps HttpOnly tokens out of the body', async () => {
    const { post } = setup({ InitiateAuth: signedIn }, { cookies: {}, csrf: false })
    const res = await post('login', { username: 'alice', password: 'p' })
    const names = res.headers.getSetCookie().map((cookie) => cookie.split('=')[0])
    expect(names).toEqual(['__Host-cognito-id', '__Host-cognito-access', '__Host-cognito-refresh'])
    // The shape stays; the token fields stay out (a script reading them would undo HttpOnly).
    expect(await json(res)).toEqual({ AuthenticationResult: { ExpiresIn: 3600, TokenType: 'Bearer' }, ChallengeParameters: {} })
  })

  it('returns the tokens in the body too when the cookies are not HttpOnly (the page reads them anyway)', async () => {
    const { post } = setup({ InitiateAuth: signedIn }, { cookies: { httpOnly: false }, csrf: false })
    expect(await json(await post('login', { username: 'alice', password: 'p' }))).toHaveProperty(
      'AuthenticationResult.AccessToken',
    )
  })

  for (const challenge of [
    'NEW_PASSWORD_REQUIRED',
    'SMS_MFA',
    'SOFTWARE_TOKEN_MFA',
    'EMAIL_OTP',
    'SELECT_MFA_TYPE',
    'CUSTOM_CHALLENGE',
  ]) {
    it(`returns a ${challenge} challenge and creates no session`, async () => {
      const { post } = setup(
        {
          InitiateAuth: () => ({
            ChallengeName: challenge,
            Session: 'session-1',
            ChallengeParameters: { USER_ID_FOR_SRP: 'alice' },
          }),
        },
        { cookies: {}, csrf: false },
      )
      const res = await post('login', { username: 'alice', password: 'p' })
      expect(res.status).toBe(200)
      expect(await json(res)).toEqual({
        ChallengeName: challenge,
        Session: 'session-1',
        ChallengeParameters: { USER_ID_FOR_SRP: 'alice' },
      })
      expect(res.headers.getSetCookie()).toEqual([])
    })
  }

  it('an unknown user reads exactly like a wrong password', async () => {
    const wrong = await setup({
      InitiateAuth: () => cognitoError('NotAuthorizedException', 'Incorrect username or password.'),
    }).post('login', { username: 'alice', password: 'x' })
    const unknown = await setup({ InitiateAuth: () => cognitoError('UserNotFoundException', 'User does not exist.') }).post(
      'login',
      { username: 'nobody', password: 'x' },
    )
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(await json(unknown)).toEqual(await json(wrong))
  })

  it('asks the rate limiter first, and a refusal is 429 without calling Cognito', async () => {
    const asked: unknown[] = []
    const { cognito, post } = setup(
      { InitiateAuth: signedIn },
      { routes: { rateLimit: (_c, attempt) => (asked.push(attempt), false) } },
    )
    const res = await post('login', { username: 'alice', password: 'p' })
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('5')
    expect(await json(res)).toMatchObject({ code: 'ERR_COGNITO_THROTTLED' })
    expect(asked).toEqual([{ route: 'login', username: 'alice', key: 'alice', ip: null }])
    expect(cognito.calls).toHaveLength(0)
  })
})

describe('POST /auth/confirm_login', () => {
  it('confirm_login answers NEW_PASSWORD_REQUIRED with RespondToAuthChallenge', async () => {
    const { cognito, post } = setup({ RespondToAuthChallenge: signedIn }, { cognito: { clientSecret: 's3cr3t' } })
    const res = await post('confirm_login', {
      username: 'alice',
      challenge_name: 'NEW_PASSWORD_REQUIRED',
      session: 'session-1',
      new_password: 'N3w-password!',
    })
    expect(res.status).toBe(200)
    expect(await json(res)).toHaveProperty('AuthenticationResult.AccessToken')
    expect(cognito.calls[0]?.body).toEqual({
      ClientId: CLIENT_ID,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: 'session-1',
      ChallengeResponses: {
        NEW_PASSWORD: 'N3w-password!',
        USERNAME: 'alice',
        SECRET_HASH: await secretHash('s3cr3t', 'alice', CLIENT_ID),
      },
    })
  })

  it('confirm_login passes MFA responses through and returns a further challenge as is', async () => {
    const { cognito, post } = setup({
      RespondToAuthChallenge: () => ({ ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 's2', ChallengeParameters: {} }),
    })
    const res = await post('confirm_login', {
      username: 'alice',
      challenge_name: 'SMS_MFA',
      session: 's1',
      responses: { SMS_MFA_CODE: '123456' },
    })
    expect(await json(res)).toEqual({ ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 's2', ChallengeParameters: {} })
    expect(cognito.calls[0]?.body.ChallengeResponses).toEqual({ SMS_MFA_CODE: '123456', USERNAME: 'alice' })
  })
})

describe('GET /auth/generate_csrf and CSRF on the cookie endpoints', () => {
  it('issues a token in a cookie and in JSON, Secure per setting, no Domain', async () => {
    for (const secure of [true, false]) {
      const res = await setup({}, { cookies: { secure } }).app.request('/auth/generate_csrf')
      const { csrftoken } = await json(res)
      expect(res.headers.get('set-cookie')).toBe(
        `csrftoken=${csrftoken}; Max-Age=31536000; Path=/;${secure ? ' Secure;' : ''} SameSite=Lax`,
      )
    }
  })

  it('outside cookie mode the csrf section sets Secure and HttpOnly of the cookie (SECURE_COOKIE, HTTP_ONLY_COOKIE)', async () => {
    const cases = [
      [{}, ' Secure;', ''],
      [{ csrf: { secure: false } }, '', ''],
      [{ csrf: { httpOnly: true } }, ' Secure;', ' HttpOnly;'],
      [{ csrf: { secure: false, httpOnly: true } }, '', ' HttpOnly;'],
    ] as const
    for (const [overrides, secure, httpOnly] of cases) {
      const res = await setup({}, overrides).app.request('/auth/generate_csrf')
      const { csrftoken } = await json(res)
      expect(res.headers.get('set-cookie')).toBe(
        `csrftoken=${csrftoken}; Max-Age=31536000; Path=/;${secure}${httpOnly} SameSite=Lax`,
      )
    }
  })

  it('settings from env (plain-http dev host, SECURE_COOKIE=false, no cookie mode) give a csrftoken cookie without Secure', async () => {
    const env = { COGNITO_POOL_ID: POOL_ID, APP_CLIENT_ID: CLIENT_ID, SECURE_COOKIE: 'false', HTTP_ONLY_COOKIE: 'false' }
    const app = new Hono().route('/auth', cognitoRoutes(optionsFromEnv))
    const res = await app.request('/auth/generate_csrf', {}, env)
    expect(res.headers.get('set-cookie')).toMatch(/^csrftoken=[\w-]+; Max-Age=31536000; Path=\/; SameSite=Lax$/)
  })

  it('is itself exempt from the CSRF check it enables', async () => {
    const res = await setup({}, { cookies: {} }).app.request('/auth/generate_csrf', { headers: { cookie: 'csrftoken=old' } })
    expect(res.status).toBe(200)
  })

  it('login in cookie mode needs the CsrfToken header matching the cookie', async () => {
    const { post } = setup({ InitiateAuth: signedIn }, { cookies: {} })
    expect((await post('login', { username: 'a', password: 'p' })).status).toBe(403)
    expect((await post('login', { username: 'a', password: 'p' }, { cookie: 'csrftoken=t1', CsrfToken: 't1' })).status).toBe(200)
  })

  it('signup needs no CSRF token: it neither reads nor writes the session', async () => {
    const { post } = setup({ SignUp: () => ({ UserSub: 's' }) }, { cookies: {} })
    expect((await post('signup', { username: 'a', password: 'p' })).status).toBe(200)
  })
})

describe('POST /auth/refresh', () => {
  it('takes the refresh token from the REFRESHTOKEN header', async () => {
    const { cognito, post } = setup({ InitiateAuth: signedIn })
    const res = await post('refresh', {}, { REFRESHTOKEN: 'from-header' })
    expect(res.status).toBe(200)
    expect(await json(res)).toHaveProperty('AuthenticationResult.IdToken')
    expect(cognito.calls[0]?.body.AuthParameters).toEqual({ REFRESH_TOKEN: 'from-header' })
  })

  it('takes it from the body field refresh_token', async () => {
    const { cognito, post } = setup({ InitiateAuth: signedIn })
    await post('refresh', { refresh_token: 'from-body' })
    expect(cognito.calls[0]?.body.AuthParameters).toEqual({ REFRESH_TOKEN: 'from-body' })
  })

  it('takes it from the refresh cookie in cookie mode, sets new cookies, and keeps the tokens out of the body', async () => {
    const { cognito, post } = setup({ InitiateAuth: signedIn }, { cookies: {}, csrf: false })
    const res = await post('refresh', '', { cookie: '__Host-cognito-refresh=from-cookie' })
    expect(cognito.calls[0]?.body.AuthParameters).toEqual({ REFRESH_TOKEN: 'from-cookie' })
    expect(res.headers.getSetCookie().length).toBeGreaterThanOrEqual(2)
    expect(JSON.stringify(await json(res))).not.toMatch(/eyJ/)
  })

  it('computes SECRET_HASH with the username of the ID token presented', async () => {
    const { cognito, post } = setup({ InitiateAuth: signedIn }, { cognito: { clientSecret: 's3cr3t' } })
    await post('refresh', { refresh_token: 'r' }, { IDTOKEN: await mint(signingKey, idClaims({ 'cognito:username': 'bob' })) })
    expect((cognito.calls[0]?.body.AuthParameters as Record<string, string>).SECRET_HASH).toBe(
      await secretHash('s3cr3t', 'bob', CLIENT_ID),
    )
  })

  it('without a refresh token → 400', async () => {
    expect(await json(await setup({}).post('refresh', {}))).toMatchObject({ code: 'ERR_COGNITO_BAD_REQUEST' })
  })

  it('a refused refresh token → 401 and the session cookies cleared', async () => {
    const { post } = setup(
      { InitiateAuth: () => cognitoError('NotAuthorizedException', 'Refresh Token has been revoked') },
      { cookies: {}, csrf: false },
    )
    const res = await post('refresh', '', { cookie: '__Host-cognito-refresh=revoked' })
    expect(res.status).toBe(401)
    expect(await json(res)).toMatchObject({ code: 'ERR_COGNITO_REFRESH_REJECTED' })
    expect(res.headers.getSetCookie().every((cookie) => cookie.includes('Max-Age=0'))).toBe(true)
    expect(res.headers.getSetCookie()).toHaveLength(3)
  })
})

describe('POST /auth/logout', () => {
  it('revokes the refresh token and clears the cookies', async () => {
    const { cognito, post } = setup(
      { RevokeToken: () => ({}) },
      { cookies: {}, csrf: false, cognito: { clientSecret: 's3cr3t' } },
    )
    const res = await post('logout', '', { cookie: '__Host-cognito-refresh=r1' })
    expect(await json(res)).toEqual({ logged_out: true, revoked: true, global: false })
    expect(cognito.calls[0]).toMatchObject({
      operation: 'RevokeToken',
      body: { Token: 'r1', ClientId: CLIENT_ID, ClientSecret: 's3cr3t' },
    })
    expect(res.headers.getSetCookie().map((cookie) => cookie.split(';')[0])).toEqual([
      '__Host-cognito-id=',
      '__Host-cognito-access=',
      '__Host-cognito-refresh=',
    ])
  })

  it('also signs out everywhere with globalSignOut', async () => {
    const { cognito, post } = setup({ RevokeToken: () => ({}), GlobalSignOut: () => ({}) }, { routes: { globalSignOut: true } })
    const res = await post('logout', {}, { REFRESHTOKEN: 'r1', ACCESSTOKEN: 'access-1' })
    expect(await json(res)).toEqual({ logged_out: true, revoked: true, global: true })
    expect(cognito.calls.map((call) => [call.operation, call.body])).toEqual([
      ['RevokeToken', { Token: 'r1', ClientId: CLIENT_ID }],
      ['GlobalSignOut', { AccessToken: 'access-1' }],
    ])
  })

  it('clears the cookies even when Cognito is down, and says it could not revoke', async () => {
    const { post } = setup(
      { RevokeToken: () => cognitoError('InternalErrorException', 'down', 500) },
      { cookies: {}, csrf: false },
    )
    const res = await post('logout', '', { cookie: '__Host-cognito-refresh=r1' })
    expect(res.status).toBe(503)
    expect(res.headers.getSetCookie()).toHaveLength(3)
  })

  it('needs the CSRF header in cookie mode', async () => {
    const { cognito, post } = setup({ RevokeToken: () => ({}) }, { cookies: {} })
    expect((await post('logout', '', { cookie: '__Host-cognito-refresh=r1' })).status).toBe(403)
    expect(cognito.calls).toHaveLength(0)
  })
})

describe('refresh memory and logout', () => {
  it('a refresh token revoked by logout is asked of Cognito again, never renewed from this isolate’s memory', async () => {
    let revoked = false
    const { cognito, post } = setup({
      InitiateAuth: async (body, call) =>
        revoked ? cognitoError('NotAuthorizedException', 'Refresh Token has been revoked') : signedIn(body, call),
      RevokeToken: () => {
        revoked = true
        return {}
      },
    })
    expect((await post('refresh', { refresh_token: 'r-1' })).status).toBe(200)
    expect((await post('refresh', { refresh_token: 'r-1' })).status).toBe(200) // a burst: from memory
    expect(cognito.calls.filter((call) => call.operation === 'InitiateAuth')).toHaveLength(1)
    expect((await post('logout', { refresh_token: 'r-1' })).status).toBe(200)
    const after = await post('refresh', { refresh_token: 'r-1' })
    expect(after.status).toBe(401)
    expect(cognito.calls.filter((call) => call.operation === 'InitiateAuth')).toHaveLength(2)
  })
})
