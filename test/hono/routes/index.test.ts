// The /auth sub-app (src/hono/routes/index.ts): every failure is a CognitoAuthError answered with its
// status, and the settings are checked when the routes are built.
import { describe, expect, it } from 'vitest'
import { cognitoRoutes } from '../../../src/hono'
import { cognitoError } from '../../helpers/fake-cognito'
import { CLIENT_ID, POOL_ID } from '../../helpers/tokens'
import { json, setup, signedIn } from './app'

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
    // Account-wide throttling; the per-user LimitExceededException reads like any user's answer (test/attack).
    ['forgot_password', 'TooManyRequestsException', 429, 'ERR_COGNITO_THROTTLED'],
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
      expect(await json(res)).toMatchObject({ code })
    })
  }

  it('a Cognito that cannot be reached → 503', async () => {
    const unreachable = () => {
      throw new TypeError('fetch failed')
    }
    const { app } = setup({ InitiateAuth: unreachable })
    const res = await app.request('/auth/login', { method: 'POST', body: JSON.stringify({ username: 'a', password: 'b' }) })
    expect(res.status).toBe(503)
    expect(await json(res)).toMatchObject({ code: 'ERR_COGNITO_UNAVAILABLE' })
  })
})

describe('options', () => {
  it('are checked when the routes are built', () => {
    const configError = (message: RegExp) =>
      expect.objectContaining({ code: 'ERR_COGNITO_CONFIG', message: expect.stringMatching(message) })
    expect(() => cognitoRoutes({ pool: { userPoolId: POOL_ID, clientId: null } })).toThrow(configError(/need pool.clientId/))
    expect(() =>
      cognitoRoutes({ pool: { userPoolId: POOL_ID, clientId: CLIENT_ID }, routes: { rateLimit: 'yes' as never } }),
    ).toThrow(configError(/^routes.rateLimit must be a function$/))
  })
})

describe('paths and methods, as the seed matched them', () => {
  it('a trailing slash reaches the same endpoint (`login/`)', async () => {
    const { cognito, post } = setup({ InitiateAuth: signedIn })
    const res = await post('login/', { username: 'alice', password: 'p' })
    expect(res.status).toBe(200)
    expect(cognito.calls.map((call) => call.operation)).toEqual(['InitiateAuth'])
  })

  it('GET /auth/generate_csrf/ works too', async () => {
    const res = await setup({}).app.request('/auth/generate_csrf/')
    expect(res.status).toBe(200)
    expect(await json(res)).toHaveProperty('csrftoken')
  })

  for (const [method, path, allow] of [
    ['GET', 'login', 'POST'],
    ['PUT', 'logout/', 'POST'],
    ['DELETE', 'refresh', 'POST'],
    ['POST', 'generate_csrf', 'GET, HEAD'],
  ] as const) {
    it(`${method} /auth/${path} → 405 with Allow: ${allow}, nothing sent to Cognito`, async () => {
      const { app, cognito } = setup({ InitiateAuth: signedIn })
      const res = await app.request(`/auth/${path}`, { method })
      expect(res.status).toBe(405)
      expect(res.headers.get('allow')).toBe(allow)
      expect(await json(res)).toEqual({ error: `this endpoint answers ${allow} only`, code: 'ERR_COGNITO_METHOD_NOT_ALLOWED' })
      expect(cognito.calls).toHaveLength(0)
    })
  }

  it('an unknown path is still 404', async () => {
    expect((await setup({}).app.request('/auth/nothing', { method: 'POST' })).status).toBe(404)
  })
})

describe("Cognito's own sentences", () => {
  it('one that can name the app client or pool is replaced (kept in cause); the code stays', async () => {
    const { post } = setup({
      SignUp: () => cognitoError('ResourceNotFoundException', `User pool client ${CLIENT_ID} does not exist.`),
    })
    const res = await post('signup', { username: 'alice', password: 'Passw0rd!' })
    const text = await res.text()
    expect(text).not.toContain(CLIENT_ID)
    expect(JSON.parse(text)).toEqual({ error: 'Cognito could not complete the request.', code: 'ERR_COGNITO_RESOURCE_NOT_FOUND' })
  })

  it('one a user can act on reaches the client as the seed passed it on', async () => {
    const { post } = setup({ SignUp: () => cognitoError('InvalidPasswordException', 'Password did not conform with policy') })
    expect(await json(await post('signup', { username: 'alice', password: 'short' }))).toEqual({
      error: 'Password did not conform with policy',
      code: 'ERR_COGNITO_INVALID_PASSWORD',
    })
  })

  it('the /auth endpoints send no Bearer challenge: they are no Bearer resource', async () => {
    const { post } = setup({})
    const res = await post('login', '{')
    expect(res.status).toBe(400)
    expect(res.headers.get('www-authenticate')).toBeNull()
  })
})
