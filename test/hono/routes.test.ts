// The /auth endpoints against a fake Cognito behind an injected fetch.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { secretHash } from '../../src/cognito/secret-hash'
import { type CognitoRoutesOptions, cognitoRoutes } from '../../src/hono'
import { signingKey } from '../helpers/auth'
import { type CognitoHandler, cognitoError, fakeCognito } from '../helpers/fake-cognito'
import { CLIENT_ID, NOW, POOL_ID, accessClaims, idClaims, mint } from '../helpers/tokens'

const tokens = async () => ({
  AccessToken: await mint(signingKey, accessClaims()),
  IdToken: await mint(signingKey, idClaims()),
  RefreshToken: 'refresh-token-1',
  ExpiresIn: 3600,
  TokenType: 'Bearer',
})
const signedIn: CognitoHandler = async () => ({
  AuthenticationResult: await tokens(),
  ChallengeParameters: {},
  ResponseMetadata: { RequestId: 'x' },
})

function setup(handlers: Record<string, CognitoHandler>, extra: Partial<CognitoRoutesOptions> = {}) {
  const cognito = fakeCognito(signingKey, handlers)
  const app = new Hono().route(
    '/auth',
    cognitoRoutes({ userPoolId: POOL_ID, clientId: CLIENT_ID, fetch: cognito.fetch, now: () => NOW, ...extra }),
  )
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    app.request(`/auth/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  return { app, cognito, post }
}

const json = (res: Response) => res.json() as Promise<Record<string, unknown>>

describe('POST /auth/login', () => {
  it('signs in with USER_PASSWORD_AUTH and answers with the tokens, without AWS metadata', async () => {
    const { cognito, post } = setup({ InitiateAuth: signedIn })
    const res = await post('login', { username: 'alice', password: 'Passw0rd!' })
    expect(res.status).toBe(200)
    const body = await json(res)
    expect(Object.keys(body).sort()).toEqual(['AccessToken', 'ExpiresIn', 'IdToken', 'RefreshToken', 'TokenType'])
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(cognito.calls[0]).toMatchObject({
      operation: 'InitiateAuth',
      body: { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: CLIENT_ID, AuthParameters: { USERNAME: 'alice', PASSWORD: 'Passw0rd!' } },
    })
  })

  it('adds SECRET_HASH of the username given when the client has a secret', async () => {
    const { cognito, post } = setup({ InitiateAuth: signedIn }, { clientSecret: 's3cr3t' })
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
    expect(await json(res)).toEqual({ ExpiresIn: 3600, TokenType: 'Bearer' })
  })

  it('returns the tokens in the body too when the cookies are not HttpOnly (the page reads them anyway)', async () => {
    const { post } = setup({ InitiateAuth: signedIn }, { cookies: { httpOnly: false }, csrf: false })
    expect(await json(await post('login', { username: 'alice', password: 'p' }))).toHaveProperty('AccessToken')
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
    const { cognito, post } = setup({ InitiateAuth: signedIn }, { rateLimit: (_c, attempt) => (asked.push(attempt), false) })
    const res = await post('login', { username: 'alice', password: 'p' })
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('5')
    expect(await json(res)).toMatchObject({ error: 'ERR_COGNITO_THROTTLED' })
    expect(asked).toEqual([{ route: 'login', username: 'alice', key: 'alice', ip: null }])
    expect(cognito.calls).toHaveLength(0)
  })
})

describe('error mapping', () => {
  const cases: [string, string, number, string, number?][] = [
    ['login', 'NotAuthorizedException', 401, 'ERR_COGNITO_NOT_AUTHORIZED'],
    ['login', 'UserNotFoundException', 401, 'ERR_COGNITO_NOT_AUTHORIZED'],
    ['login', 'InvalidPasswordException', 401, 'ERR_COGNITO_NOT_AUTHORIZED'],
    ['login', 'UserNotConfirmedException', 403, 'ERR_COGNITO_USER_NOT_CONFIRMED'],
    ['login', 'PasswordResetRequiredException', 403, 'ERR_COGNITO_PASSWORD_RESET_REQUIRED'],
    ['login', 'TooManyRequestsException', 429, 'ERR_COGNITO_THROTTLED'],
    ['login', 'ResourceNotFoundException', 404, 'ERR_COGNITO_RESOURCE_NOT_FOUND'],
    ['login', 'InternalErrorException', 503, 'ERR_COGNITO_UNAVAILABLE', 500],
    ['signup', 'UsernameExistsException', 409, 'ERR_COGNITO_USER_EXISTS'],
    ['signup', 'InvalidPasswordException', 400, 'ERR_COGNITO_INVALID_PASSWORD'],
    ['signup', 'InvalidParameterException', 400, 'ERR_COGNITO_INVALID_PARAMETER'],
    ['confirm_signup', 'CodeMismatchException', 400, 'ERR_COGNITO_CODE_MISMATCH'],
    // An expired code reads like a wrong one: "expired" would tell that the account exists (test/security).
    ['confirm_signup', 'ExpiredCodeException', 400, 'ERR_COGNITO_CODE_MISMATCH'],
    ['forgot_password', 'LimitExceededException', 429, 'ERR_COGNITO_THROTTLED'],
    ['confirm_forgot_password', 'CodeMismatchException', 400, 'ERR_COGNITO_CODE_MISMATCH'],
    ['confirm_forgot_password', 'UnexpectedLambdaException', 400, 'ERR_COGNITO_REQUEST_FAILED'],
  ]
  const operations: Record<string, string> = {
    login: 'InitiateAuth',
    signup: 'SignUp',
    confirm_signup: 'ConfirmSignUp',
    forgot_password: 'ForgotPassword',
    confirm_forgot_password: 'ConfirmForgotPassword',
  }
  const fullBody = { username: 'alice', password: 'p', code: '123456', new_password: 'N3w-password' }
  for (const [path, type, status, code, upstream] of cases) {
    it(`${path}: ${type} → ${status} ${code}`, async () => {
      const { post } = setup({ [operations[path] as string]: () => cognitoError(type, 'from Cognito', upstream ?? 400) })
      const res = await post(path, fullBody)
      expect(res.status).toBe(status)
      expect(await json(res)).toMatchObject({ error: code })
    })
  }

  it('a Cognito that cannot be reached → 503', async () => {
    const app = new Hono().route(
      '/auth',
      cognitoRoutes({
        userPoolId: POOL_ID,
        clientId: CLIENT_ID,
        fetch: (async () => Promise.reject(new TypeError('fetch failed'))) as typeof fetch,
      }),
    )
    const res = await app.request('/auth/login', { method: 'POST', body: JSON.stringify({ username: 'a', password: 'b' }) })
    expect(res.status).toBe(503)
    expect(await json(res)).toMatchObject({ error: 'ERR_COGNITO_UNAVAILABLE' })
  })
})

describe('request bodies', () => {
  const required: [string, string[]][] = [
    ['login', ['username', 'password']],
    ['confirm_login', ['username', 'challenge_name', 'session']],
    ['signup', ['username', 'password']],
    ['confirm_signup', ['username', 'code']],
    ['forgot_password', ['username']],
    ['confirm_forgot_password', ['username', 'code', 'new_password']],
  ]
  const complete: Record<string, unknown> = {
    username: 'alice',
    password: 'p',
    challenge_name: 'SMS_MFA',
    session: 's',
    code: '1',
    new_password: 'n',
  }
  for (const [path, fields] of required) {
    for (const field of fields) {
      it(`${path} without ${field} → 400 naming it`, async () => {
        const { cognito, post } = setup({})
        const { [field]: _dropped, ...body } = complete
        const res = await post(path, body)
        expect(res.status).toBe(400)
        expect(await json(res)).toEqual({ error: 'ERR_COGNITO_BAD_REQUEST', message: `${field} is required` })
        expect(cognito.calls).toHaveLength(0)
      })
    }
    it(`${path} with malformed JSON → 400`, async () => {
      const res = await setup({}).post(path, '{"username": ')
      expect(res.status).toBe(400)
      expect(await json(res)).toEqual({ error: 'ERR_COGNITO_BAD_REQUEST', message: 'the body is not valid JSON' })
    })
  }

  it('a JSON array body → 400', async () => {
    expect(await json(await setup({}).post('login', '[1]'))).toEqual({
      error: 'ERR_COGNITO_BAD_REQUEST',
      message: 'the body must be a JSON object',
    })
  })

  it('a field of the wrong type → 400 naming it', async () => {
    expect(await json(await setup({}).post('login', { username: 7, password: 'p' }))).toEqual({
      error: 'ERR_COGNITO_BAD_REQUEST',
      message: 'username must be a string',
    })
  })

  it('an oversized body → 400', async () => {
    const res = await setup({}).post('login', { username: 'a', password: 'x'.repeat(70_000) })
    expect(res.status).toBe(400)
  })

  it('an endless streamed body is cut off at the limit, not read to the end', async () => {
    let pulled = 0
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++
        controller.enqueue(new Uint8Array(16 * 1024).fill(0x20))
      },
    })
    const { app } = setup({})
    const res = await app.request('/auth/login', { method: 'POST', body: endless, duplex: 'half' } as RequestInit)
    expect(res.status).toBe(400)
    expect(await json(res)).toEqual({ error: 'ERR_COGNITO_BAD_REQUEST', message: 'the body is larger than 65536 bytes' })
    expect(pulled).toBeLessThan(10)
  })

  it('a Cognito answer that is not a JSON object → 503, not a crash', async () => {
    const { post } = setup({ InitiateAuth: () => new Response('null', { status: 200 }) })
    const res = await post('login', { username: 'a', password: 'b' })
    expect(res.status).toBe(503)
    expect(await json(res)).toMatchObject({ error: 'ERR_COGNITO_UNAVAILABLE' })
  })
})

describe('confirm_login, signup and the password endpoints', () => {
  it('confirm_login answers NEW_PASSWORD_REQUIRED with RespondToAuthChallenge', async () => {
    const { cognito, post } = setup({ RespondToAuthChallenge: signedIn }, { clientSecret: 's3cr3t' })
    const res = await post('confirm_login', {
      username: 'alice',
      challenge_name: 'NEW_PASSWORD_REQUIRED',
      session: 'session-1',
      new_password: 'N3w-password!',
    })
    expect(res.status).toBe(200)
    expect(await json(res)).toHaveProperty('AccessToken')
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

  it('signup sends the attributes and validation data as Cognito lists', async () => {
    const { cognito, post } = setup(
      { SignUp: () => ({ UserConfirmed: false, UserSub: 'sub-1', CodeDeliveryDetails: { DeliveryMedium: 'EMAIL' } }) },
      { clientSecret: 's3cr3t' },
    )
    const res = await post('signup', {
      username: 'alice',
      password: 'p',
      user_attributes: { email: 'alice@example.com' },
      validation_data: [{ Name: 'invite', Value: 'x' }],
    })
    expect(await json(res)).toEqual({ UserConfirmed: false, UserSub: 'sub-1', CodeDeliveryDetails: { DeliveryMedium: 'EMAIL' } })
    expect(cognito.calls[0]?.body).toEqual({
      ClientId: CLIENT_ID,
      Username: 'alice',
      Password: 'p',
      SecretHash: await secretHash('s3cr3t', 'alice', CLIENT_ID),
      UserAttributes: [{ Name: 'email', Value: 'alice@example.com' }],
      ValidationData: [{ Name: 'invite', Value: 'x' }],
    })
  })

  it('user_attributes that are not strings → 400', async () => {
    expect((await setup({}).post('signup', { username: 'a', password: 'p', user_attributes: { age: 3 } })).status).toBe(400)
  })

  it('confirm_signup takes the code from `code`, not from `password` (a seed bug)', async () => {
    const { cognito, post } = setup({ ConfirmSignUp: () => ({}) })
    const res = await post('confirm_signup', { username: 'alice', password: '999999', code: '123456' })
    expect(await json(res)).toEqual({ confirmed: true })
    expect(cognito.calls[0]?.body).toEqual({ ClientId: CLIENT_ID, Username: 'alice', ConfirmationCode: '123456' })
  })

  it('forgot_password answers an unknown user like a known one', async () => {
    const delivered = { CodeDeliveryDetails: { Destination: 'a***@e***', DeliveryMedium: 'EMAIL' } }
    const known = await setup({ ForgotPassword: () => delivered }).post('forgot_password', { username: 'alice' })
    const unknown = await setup({ ForgotPassword: () => cognitoError('UserNotFoundException', 'User does not exist.') }).post(
      'forgot_password',
      {
        username: 'nobody',
      },
    )
    expect(unknown.status).toBe(known.status)
    expect(await json(known)).toEqual({ requested: true })
    expect(await json(unknown)).toEqual({ requested: true })
  })

  for (const [path, operation] of [
    ['confirm_signup', 'ConfirmSignUp'],
    ['confirm_forgot_password', 'ConfirmForgotPassword'],
  ] as const) {
    it(`${path} answers an unknown user like a wrong code`, async () => {
      const body = { username: 'x', code: '1', new_password: 'N3w!' }
      const mismatch = () => cognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.')
      const wrong = await setup({ [operation]: mismatch }).post(path, body)
      const unknown = await setup({
        [operation]: () => cognitoError('UserNotFoundException', 'Username/client id combination not found.'),
      }).post(path, body)
      expect(unknown.status).toBe(400)
      expect(await json(unknown)).toEqual(await json(wrong))
    })

    it(`${path} is rate-limited through the hook (codes are guessable)`, async () => {
      const asked: unknown[] = []
      const { cognito, post } = setup(
        { [operation]: () => ({}) },
        { rateLimit: (_c, attempt) => (asked.push(attempt.route), false) },
      )
      expect((await post(path, { username: 'x', code: '1', new_password: 'N3w!' })).status).toBe(429)
      expect(asked).toEqual([path])
      expect(cognito.calls).toHaveLength(0)
    })
  }

  it('forgot_password is rate-limited through the hook', async () => {
    const { post } = setup({ ForgotPassword: () => ({}) }, { rateLimit: (_c, attempt) => attempt.route !== 'forgot_password' })
    expect((await post('forgot_password', { username: 'alice' })).status).toBe(429)
  })

  it('confirm_forgot_password sends the code and the new password', async () => {
    const { cognito, post } = setup({ ConfirmForgotPassword: () => ({}) })
    expect(await json(await post('confirm_forgot_password', { username: 'alice', code: '42', new_password: 'N3w!' }))).toEqual({
      password_reset: true,
    })
    expect(cognito.calls[0]?.body).toEqual({ ClientId: CLIENT_ID, Username: 'alice', ConfirmationCode: '42', Password: 'N3w!' })
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
    expect(await json(res)).toHaveProperty('IdToken')
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
    const { cognito, post } = setup({ InitiateAuth: signedIn }, { clientSecret: 's3cr3t' })
    await post('refresh', { refresh_token: 'r' }, { IDTOKEN: await mint(signingKey, idClaims({ 'cognito:username': 'bob' })) })
    expect((cognito.calls[0]?.body.AuthParameters as Record<string, string>).SECRET_HASH).toBe(
      await secretHash('s3cr3t', 'bob', CLIENT_ID),
    )
  })

  it('without a refresh token → 400', async () => {
    expect(await json(await setup({}).post('refresh', {}))).toMatchObject({ error: 'ERR_COGNITO_BAD_REQUEST' })
  })

  it('a refused refresh token → 401 and the session cookies cleared', async () => {
    const { post } = setup(
      { InitiateAuth: () => cognitoError('NotAuthorizedException', 'Refresh Token has been revoked') },
      { cookies: {}, csrf: false },
    )
    const res = await post('refresh', '', { cookie: '__Host-cognito-refresh=revoked' })
    expect(res.status).toBe(401)
    expect(await json(res)).toMatchObject({ error: 'ERR_COGNITO_REFRESH_REJECTED' })
    expect(res.headers.getSetCookie().every((cookie) => cookie.includes('Max-Age=0'))).toBe(true)
    expect(res.headers.getSetCookie()).toHaveLength(3)
  })
})

describe('POST /auth/logout', () => {
  it('revokes the refresh token and clears the cookies', async () => {
    const { cognito, post } = setup({ RevokeToken: () => ({}) }, { cookies: {}, csrf: false, clientSecret: 's3cr3t' })
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
    const { cognito, post } = setup({ RevokeToken: () => ({}), GlobalSignOut: () => ({}) }, { globalSignOut: true })
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

describe('options', () => {
  it('are checked when the routes are built', () => {
    expect(() => cognitoRoutes({ userPoolId: POOL_ID, clientId: null })).toThrow(/needs clientId/)
    expect(() => cognitoRoutes({ userPoolId: POOL_ID, clientId: CLIENT_ID, rateLimit: 'yes' as never })).toThrow(
      /rateLimit must be a function/,
    )
  })
})
