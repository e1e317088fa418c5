// cognitoRoutes: the seed's /auth endpoints as a Hono sub-app, with its bugs fixed — challenges
// are returned, never skipped; confirm_signup reads `code`; CSRF spares GET and its own token
// endpoint; an unknown user looks exactly like a wrong password; every failure has a 4xx/5xx code.
import { type Context, Hono } from 'hono'
import { refreshTokens } from '../cognito/refresh'
import { secretHash } from '../cognito/secret-hash'
import { toAttributeList } from '../cognito/actions'
import { CognitoAuthError } from '../errors'
import { clearedSessionCookies } from '../session/cookies'
import { CSRF_COOKIE, CSRF_HEADER, checkCsrf, issueCsrfToken } from '../session/csrf'
import { readTokens } from '../session/transport'
import { type Body, optionalString, readJsonBody, requiredString, stringMap } from './body'
import { errorResponse } from './challenge'
import { type CognitoAuthOptionsInput, optionsResolver } from './options'
import {
  type CognitoRoutesOptions,
  type RateLimitAttempt,
  type ResolvedRoutesOptions,
  resolveRoutesOptions,
} from './routes-options'
import { authResult, unverifiedClaim } from './routes-results'

type Handler = (c: Context, config: ResolvedRoutesOptions) => Promise<Response>

const WRONG_CREDENTIALS = 'Incorrect username or password.'

/**
 * Sign-in errors that would tell a stranger whether an account exists all read the same. On the
 * password step an "invalid password" can only mean a wrong one (cognito-local says it that way).
 */
function hideAccountExistence(error: unknown, passwordStep = false): unknown {
  const hidden = [
    'ERR_COGNITO_NOT_AUTHORIZED',
    'ERR_COGNITO_NO_SUCH_USER',
    ...(passwordStep ? ['ERR_COGNITO_INVALID_PASSWORD'] : []),
  ]
  if (error instanceof CognitoAuthError && hidden.includes(error.code))
    return new CognitoAuthError('ERR_COGNITO_NOT_AUTHORIZED', WRONG_CREDENTIALS)
  return error
}

async function withSecretHash(config: ResolvedRoutesOptions, username: string, parameters: Record<string, unknown>, key: string) {
  if (config.clientSecret !== null) parameters[key] = await secretHash(config.clientSecret, username, config.clientId)
  return parameters
}

async function limit(c: Context, config: ResolvedRoutesOptions, attempt: RateLimitAttempt): Promise<void> {
  if (config.rateLimit && !(await config.rateLimit(c, attempt))) {
    throw new CognitoAuthError('ERR_COGNITO_THROTTLED', 'too many attempts; try again later')
  }
}

/** The double-submit check for endpoints that read or write the session cookies. */
function csrfGuard(c: Context, config: ResolvedRoutesOptions): void {
  if (config.cookies && config.csrf) {
    const cookies = readTokens(c.req.raw.headers, config.cookies).cookies
    checkCsrf(cookies.get(CSRF_COOKIE), c.req.header(CSRF_HEADER) ?? null)
  }
}

const login: Handler = async (c, config) => {
  csrfGuard(c, config)
  const body = await readJsonBody(c)
  const username = requiredString(body, 'username')
  const password = requiredString(body, 'password')
  await limit(c, config, { route: 'login', username })
  const parameters = await withSecretHash(config, username, { USERNAME: username, PASSWORD: password }, 'SECRET_HASH')
  const answer = await config.client
    .call('InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: config.clientId, AuthParameters: parameters })
    .catch((error: unknown) => Promise.reject(hideAccountExistence(error, true)))
  return authResult(c, config, answer)
}

const confirmLogin: Handler = async (c, config) => {
  csrfGuard(c, config)
  const body = await readJsonBody(c)
  const username = requiredString(body, 'username')
  const challengeName = requiredString(body, 'challenge_name')
  const session = requiredString(body, 'session')
  const responses: Record<string, unknown> = stringMap(body, 'responses') ?? {}
  const newPassword = optionalString(body, 'new_password')
  if (challengeName === 'NEW_PASSWORD_REQUIRED' && newPassword && responses.NEW_PASSWORD === undefined)
    responses.NEW_PASSWORD = newPassword
  await limit(c, config, { route: 'confirm_login', username })
  const challengeResponses = await withSecretHash(config, username, { ...responses, USERNAME: username }, 'SECRET_HASH')
  const answer = await config.client
    .call('RespondToAuthChallenge', {
      ClientId: config.clientId,
      ChallengeName: challengeName,
      Session: session,
      ChallengeResponses: challengeResponses,
    })
    .catch((error: unknown) => Promise.reject(hideAccountExistence(error)))
  return authResult(c, config, answer)
}

const signup: Handler = async (c, config) => {
  const body = await readJsonBody(c)
  const username = requiredString(body, 'username')
  const input = await withSecretHash(
    config,
    username,
    { ClientId: config.clientId, Username: username, Password: requiredString(body, 'password') },
    'SecretHash',
  )
  const attributes = stringMap(body, 'user_attributes')
  const validation = stringMap(body, 'validation_data')
  if (attributes) input.UserAttributes = toAttributeList(attributes)
  if (validation) input.ValidationData = toAttributeList(validation)
  const answer = await config.client.call<Body>('SignUp', input)
  return c.json({
    UserConfirmed: answer.UserConfirmed ?? false,
    UserSub: answer.UserSub ?? null,
    CodeDeliveryDetails: answer.CodeDeliveryDetails ?? null,
  })
}

const confirmSignup: Handler = async (c, config) => {
  const body = await readJsonBody(c)
  const username = requiredString(body, 'username')
  const code = requiredString(body, 'code') // the seed read it from `password`
  await config.client.call(
    'ConfirmSignUp',
    await withSecretHash(
      config,
      username,
      { ClientId: config.clientId, Username: username, ConfirmationCode: code },
      'SecretHash',
    ),
  )
  return c.json({ confirmed: true })
}

const forgotPassword: Handler = async (c, config) => {
  const body = await readJsonBody(c)
  const username = requiredString(body, 'username')
  await limit(c, config, { route: 'forgot_password', username })
  try {
    const answer = await config.client.call<Body>(
      'ForgotPassword',
      await withSecretHash(config, username, { ClientId: config.clientId, Username: username }, 'SecretHash'),
    )
    return c.json({ CodeDeliveryDetails: answer.CodeDeliveryDetails ?? null })
  } catch (error) {
    // An unknown user gets the answer a known one gets: no account enumeration through this endpoint.
    if (error instanceof CognitoAuthError && error.code === 'ERR_COGNITO_NO_SUCH_USER')
      return c.json({ CodeDeliveryDetails: null })
    throw error
  }
}

const confirmForgotPassword: Handler = async (c, config) => {
  const body = await readJsonBody(c)
  const username = requiredString(body, 'username')
  const input = {
    ClientId: config.clientId,
    Username: username,
    ConfirmationCode: requiredString(body, 'code'),
    Password: requiredString(body, 'new_password'),
  }
  await config.client.call('ConfirmForgotPassword', await withSecretHash(config, username, input, 'SecretHash'))
  return c.json({ password_reset: true })
}

const generateCsrf: Handler = async (c, config) => {
  const { token, cookie } = issueCsrfToken(config.csrfCookie)
  c.header('set-cookie', cookie, { append: true })
  c.header('cache-control', 'no-store')
  return c.json({ csrftoken: token })
}

/** The refresh token from the REFRESHTOKEN header, the refresh cookie, or the body's `refresh_token`. */
function refreshTokenOf(c: Context, config: ResolvedRoutesOptions, body: Body): string {
  const fromRequest = readTokens(c.req.raw.headers, config.cookies)
  const token = fromRequest.refresh ?? optionalString(body, 'refresh_token')
  if (!token)
    throw new CognitoAuthError(
      'ERR_COGNITO_BAD_REQUEST',
      'refresh_token is required (REFRESHTOKEN header, refresh cookie or body field)',
    )
  return token
}

const refresh: Handler = async (c, config) => {
  csrfGuard(c, config)
  const body = await readJsonBody(c)
  const refreshToken = refreshTokenOf(c, config, body)
  const tokens = readTokens(c.req.raw.headers, config.cookies)
  // Only an input to Cognito's own check of SECRET_HASH, so an unverified claim is fine here.
  const username =
    optionalString(body, 'username') ??
    unverifiedClaim(tokens.id, 'cognito:username') ??
    unverifiedClaim(tokens.access, 'username')
  try {
    const fresh = await refreshTokens({ ...config, rotation: 'auto', admin: false }, refreshToken, username)
    return authResult(c, config, {
      AuthenticationResult: {
        IdToken: fresh.id,
        AccessToken: fresh.access,
        ExpiresIn: fresh.expiresIn,
        TokenType: 'Bearer',
        ...(fresh.refresh ? { RefreshToken: fresh.refresh } : {}),
      },
    })
  } catch (error) {
    if (config.cookies && error instanceof CognitoAuthError && error.code === 'ERR_COGNITO_REFRESH_REJECTED') {
      for (const cookie of clearedSessionCookies(config.cookies)) c.header('set-cookie', cookie, { append: true })
    }
    throw error
  }
}

const logout: Handler = async (c, config) => {
  csrfGuard(c, config)
  const body = await readJsonBody(c)
  const tokens = readTokens(c.req.raw.headers, config.cookies)
  const refreshToken = tokens.refresh ?? optionalString(body, 'refresh_token')
  const accessToken = tokens.access ?? optionalString(body, 'access_token')
  // The cookies go whatever Cognito says: the browser session ends here.
  if (config.cookies) for (const cookie of clearedSessionCookies(config.cookies)) c.header('set-cookie', cookie, { append: true })
  if (refreshToken) {
    const input: Record<string, unknown> = { Token: refreshToken, ClientId: config.clientId }
    if (config.clientSecret !== null) input.ClientSecret = config.clientSecret
    await config.client.call('RevokeToken', input)
  }
  if (config.globalSignOut && accessToken) await config.client.call('GlobalSignOut', { AccessToken: accessToken })
  return c.json({ logged_out: true, revoked: refreshToken !== null, global: Boolean(config.globalSignOut && accessToken) })
}

function route(resolve: (env: unknown) => ResolvedRoutesOptions, handler: Handler) {
  return async function cognitoRoute(c: Context): Promise<Response> {
    const config = resolve(c.env)
    try {
      return await handler(c, config)
    } catch (error) {
      if (!(error instanceof CognitoAuthError)) throw error
      const response = errorResponse(error, { realm: config.realm })
      for (const cookie of c.res.headers.getSetCookie()) response.headers.append('set-cookie', cookie)
      return config.onError ? config.onError(error, c, response) : response
    }
  }
}

/**
 * The seed's `/auth/*` endpoints as a Hono app to mount. Give it options, a function of the
 * Worker `env`, or nothing to read the seed's settings from `env`.
 *
 * @example
 * ```ts
 * import { cognitoRoutes } from 'cognito-edge/hono'
 *
 * app.route('/auth', cognitoRoutes()) // POST /auth/login, /auth/refresh, /auth/logout, …
 * ```
 */
export function cognitoRoutes(options?: CognitoAuthOptionsInput<CognitoRoutesOptions>): Hono {
  const resolve = optionsResolver(options, resolveRoutesOptions)
  const handlers: [string, Handler][] = [
    ['/login', login],
    ['/confirm_login', confirmLogin],
    ['/signup', signup],
    ['/confirm_signup', confirmSignup],
    ['/forgot_password', forgotPassword],
    ['/confirm_forgot_password', confirmForgotPassword],
    ['/refresh', refresh],
    ['/logout', logout],
  ]
  const app = new Hono()
  for (const [path, handler] of handlers) app.post(path, route(resolve, handler))
  app.get('/generate_csrf', route(resolve, generateCsrf))
  return app
}
