// The /auth endpoints that open, renew and end sessions: login, confirm_login, refresh, logout and
// generate_csrf — adapters over the Cognito operations. CSRF spares GET and its own token endpoint.
import type { Context } from 'hono'
import { refreshTokens } from '../../cognito/refresh'
import { respondToChallenge, signIn } from '../../cognito/sign-in'
import { globalSignOut, revokeToken } from '../../cognito/sign-out'
import { CognitoAuthError, isCognitoAuthError } from '../../errors'
import { clearedSessionCookies } from '../../session/cookies'
import { issueCsrfToken } from '../../session/csrf'
import { readTokens } from '../../session/transport'
import { unverifiedClaims } from '../../token/unverified-claims'
import type { CognitoAuthOptionalVariables } from '../middleware'
import { signInAnswer } from './answer'
import { recordGlobalSignOut, recordLogout } from './record-logout'
import { optionalString, readJsonBody, requiredString, stringMap } from './body'
import { type RouteContext, type RouteHandler, csrfGuard, limit } from './context'

export const login: RouteHandler = async (c, context) => {
  csrfGuard(c, context)
  const body = await readJsonBody(c)
  const username = requiredString(body, 'username')
  const password = requiredString(body, 'password')
  await limit(c, context, 'login', username)
  return signInAnswer(c, context.edge, await signIn(context.edge.cognito, { username, password }))
}

export const confirmLogin: RouteHandler = async (c, context) => {
  csrfGuard(c, context)
  const body = await readJsonBody(c)
  const username = requiredString(body, 'username')
  const challengeName = requiredString(body, 'challenge_name')
  const session = requiredString(body, 'session')
  const responses: Record<string, string> = stringMap(body, 'responses') ?? {}
  const newPassword = optionalString(body, 'new_password')
  if (challengeName === 'NEW_PASSWORD_REQUIRED' && newPassword && responses.NEW_PASSWORD === undefined) {
    responses.NEW_PASSWORD = newPassword
  }
  await limit(c, context, 'confirm_login', username)
  const result = await respondToChallenge(context.edge.cognito, { username, challengeName, session, responses })
  return signInAnswer(c, context.edge, result)
}

export const generateCsrf: RouteHandler = async (c, { edge }) => {
  const { token, cookie } = issueCsrfToken(edge.csrf.cookie, edge.csrf.httpOnly)
  c.header('set-cookie', cookie, { append: true })
  c.header('cache-control', 'no-store')
  return c.json({ csrftoken: token })
}

/** A string claim read without verification: only an input to Cognito's own check of SECRET_HASH. */
function unverifiedClaim(token: string | null, name: string): string | null {
  const value = unverifiedClaims(token)?.[name]
  return typeof value === 'string' ? value : null
}

export const refresh: RouteHandler = async (c, context) => {
  csrfGuard(c, context)
  const { edge } = context
  const body = await readJsonBody(c)
  const tokens = readTokens(c.req.raw.headers, edge.cookies)
  const refreshToken = tokens.refresh ?? optionalString(body, 'refresh_token')
  if (!refreshToken) {
    throw new CognitoAuthError(
      'ERR_COGNITO_BAD_REQUEST',
      'refresh_token is required (REFRESHTOKEN header, refresh cookie or body field)',
    )
  }
  const username =
    optionalString(body, 'username') ??
    unverifiedClaim(tokens.id, 'cognito:username') ??
    unverifiedClaim(tokens.access, 'username')
  // Anyone can post a refresh token: the limiter is asked (keyed on the claimed username and the IP), and a burst with one token makes one call.
  await limit(c, context, 'refresh', username ?? '')
  try {
    const fresh = await edge.routeRefreshes.refresh(refreshToken, () => refreshTokens(edge.cognito, { refreshToken, username }))
    return await signInAnswer(c, edge, { kind: 'tokens', tokens: fresh })
  } catch (error) {
    if (edge.cookies && isCognitoAuthError(error, 'ERR_COGNITO_REFRESH_REJECTED')) {
      for (const cookie of clearedSessionCookies(edge.cookies)) c.header('set-cookie', cookie, { append: true })
    }
    throw error
  }
}

/**
 * Ends a session: the cookies go whatever Cognito says (the browser session ends here), this
 * isolate forgets what it remembers of the refresh token, the token is revoked — and the one this
 * very request renewed into, if any —, and GlobalSignOut runs when the routes ask for it.
 */
export async function endSession(
  c: Context,
  { edge, routes }: RouteContext,
  { idToken, refreshToken, accessToken }: { idToken: string | null; refreshToken: string | null; accessToken: string | null },
): Promise<{ revoked: boolean; global: boolean }> {
  if (edge.cookies) for (const cookie of clearedSessionCookies(edge.cookies)) c.header('set-cookie', cookie, { append: true })
  // What this isolate remembers of the token goes with it: no renewal from memory after a logout.
  if (refreshToken) await Promise.all([edge.routeRefreshes.forget(refreshToken), edge.refresh?.memory.forget(refreshToken)])
  // The revocation list first: whatever Cognito answers next, every isolate will refuse the session's
  // ID and access tokens. Its failure is told once Cognito has been asked too.
  const unrecorded = await recordLogout(c, edge, { id: idToken, access: accessToken }).then(
    () => null,
    (error: unknown) => error,
  )
  if (refreshToken) await revokeToken(edge.cognito, { refreshToken })
  // Behind the auth middleware this very request may have renewed the session, and with rotation
  // Cognito issued a refresh token the client never saw: it is revoked too.
  const renewed = (c as Context<{ Variables: CognitoAuthOptionalVariables<unknown> }>).get('cognito')
  if (renewed?.refreshed && renewed.tokens.refresh && renewed.tokens.refresh !== refreshToken) {
    await revokeToken(edge.cognito, { refreshToken: renewed.tokens.refresh })
  }
  const global = routes.globalSignOut && accessToken !== null
  if (global) {
    await recordGlobalSignOut(edge, accessToken)
    await globalSignOut(edge.cognito, { accessToken })
  }
  if (unrecorded) throw unrecorded
  return { revoked: refreshToken !== null, global }
}

export const logout: RouteHandler = async (c, context) => {
  csrfGuard(c, context)
  const body = await readJsonBody(c)
  const tokens = readTokens(c.req.raw.headers, context.edge.cookies)
  const { revoked, global } = await endSession(c, context, {
    idToken: tokens.id,
    refreshToken: tokens.refresh ?? optionalString(body, 'refresh_token'),
    accessToken: tokens.access ?? optionalString(body, 'access_token'),
  })
  return c.json({ logged_out: true, revoked, global })
}
