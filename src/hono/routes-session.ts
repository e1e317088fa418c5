// The /auth endpoints that open, renew and end sessions: login, confirm_login, refresh, logout,
// and generate_csrf. Challenges are answered, never skipped; an unknown user reads like a wrong
// password; CSRF spares GET and its own token endpoint.
import type { Context } from 'hono'
import { refreshTokens } from '../cognito/refresh'
import { CognitoAuthError } from '../errors'
import { clearedSessionCookies } from '../session/cookies'
import { CSRF_COOKIE, CSRF_HEADER, checkCsrf, issueCsrfToken } from '../session/csrf'
import { type RequestTokens, readTokens } from '../session/transport'
import { type Body, optionalString, readJsonBody, requiredString, stringMap } from './body'
import { type ResolvedRoutesOptions, type RouteHandler, limit, withSecretHash } from './routes-options'
import { authResult, unverifiedClaim } from './routes-results'

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

/** The double-submit check for endpoints that read or write the session cookies. */
function csrfGuard(c: Context, config: ResolvedRoutesOptions): void {
  if (config.cookies && config.csrf) {
    const cookies = readTokens(c.req.raw.headers, config.cookies).cookies
    checkCsrf(cookies.get(CSRF_COOKIE), c.req.header(CSRF_HEADER) ?? null)
  }
}

export const login: RouteHandler = async (c, config) => {
  csrfGuard(c, config)
  const body = await readJsonBody(c)
  const username = requiredString(body, 'username')
  const password = requiredString(body, 'password')
  await limit(c, config, 'login', username)
  const parameters = await withSecretHash(config, username, { USERNAME: username, PASSWORD: password }, 'SECRET_HASH')
  const answer = await config.client
    .call('InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: config.clientId, AuthParameters: parameters })
    .catch((error: unknown) => Promise.reject(hideAccountExistence(error, true)))
  return authResult(c, config, answer)
}

export const confirmLogin: RouteHandler = async (c, config) => {
  csrfGuard(c, config)
  const body = await readJsonBody(c)
  const username = requiredString(body, 'username')
  const challengeName = requiredString(body, 'challenge_name')
  const session = requiredString(body, 'session')
  const responses: Record<string, unknown> = stringMap(body, 'responses') ?? {}
  const newPassword = optionalString(body, 'new_password')
  if (challengeName === 'NEW_PASSWORD_REQUIRED' && newPassword && responses.NEW_PASSWORD === undefined)
    responses.NEW_PASSWORD = newPassword
  await limit(c, config, 'confirm_login', username)
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

export const generateCsrf: RouteHandler = async (c, config) => {
  const { token, cookie } = issueCsrfToken(config.csrfCookie)
  c.header('set-cookie', cookie, { append: true })
  c.header('cache-control', 'no-store')
  return c.json({ csrftoken: token })
}

/** The refresh token from the REFRESHTOKEN header, the refresh cookie, or the body's `refresh_token`. */
function refreshTokenOf(tokens: RequestTokens, body: Body): string {
  const token = tokens.refresh ?? optionalString(body, 'refresh_token')
  if (!token) {
    throw new CognitoAuthError(
      'ERR_COGNITO_BAD_REQUEST',
      'refresh_token is required (REFRESHTOKEN header, refresh cookie or body field)',
    )
  }
  return token
}

export const refresh: RouteHandler = async (c, config) => {
  csrfGuard(c, config)
  const body = await readJsonBody(c)
  const tokens = readTokens(c.req.raw.headers, config.cookies)
  const refreshToken = refreshTokenOf(tokens, body)
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

export const logout: RouteHandler = async (c, config) => {
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
