// The /auth endpoints that open, renew and end sessions: login, confirm_login, refresh, logout and
// generate_csrf — adapters over the Cognito operations. CSRF spares GET and its own token endpoint.
import type { Context } from 'hono'
import { respondToChallenge, signIn } from '../../cognito/sign-in'
import { globalSignOut, revokeToken } from '../../cognito/sign-out'
import { CognitoAuthError, isCognitoAuthError } from '../../errors'
import { clearedSessionCookies } from '../../session/cookies'
import { issueCsrfToken } from '../../session/csrf'
import { readTokens } from '../../session/transport'
import { unverifiedClaims } from '../../token/unverified-claims'
import type { RevocationSubject } from '../../revocation-list'
import type { WaitUntil } from '../../token/keys'
import type { CognitoAuthOptionalVariables } from '../middleware'
import { clientNetwork } from '../client-ip'
import { renew } from '../renewal'
import type { ResolvedEdge } from '../settings'
import { verifySession, waitUntilOf } from '../verify-session'
import { signInAnswer, tokensAnswer } from './answer'
import { planLogout, recordLogout } from './record-logout'
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
  const username = optionalString(body, 'username') ?? null
  // Anyone can post a refresh token: the limiter is asked (keyed on the claimed username and the IP), and a burst with one token makes one call.
  const claimed = username ?? unverifiedClaim(tokens.id, 'cognito:username') ?? unverifiedClaim(tokens.access, 'username')
  await limit(c, context, 'refresh', claimed ?? '')
  try {
    const waitUntil = waitUntilOf(c)
    // Whose session this is: the ID and access tokens sent with it must verify (expired is fine).
    const session = await verifySession(tokens, edge, waitUntil)
    // An ended session is refused before Cognito is asked; and so are renewed tokens of an ended sign-in
    // (a bare refresh token whose logout could not revoke it at Cognito renews nothing usable).
    await checkNotRevoked(edge, session, waitUntil)
    // The middleware's path: one memory per isolate, the coordinator across isolates.
    const renewal = await renew(edge, refreshToken, session, clientNetwork(c), username)
    await checkNotRevoked(edge, renewal, waitUntil)
    const { tokens: fresh, accessClaims } = renewal
    return tokensAnswer(c, edge, {
      idToken: fresh.id as string,
      accessToken: fresh.access as string,
      refreshToken: renewal.rotated ? fresh.refresh : null,
      expiresIn: accessClaims.exp - accessClaims.iat,
      tokenType: 'Bearer',
    })
  } catch (error) {
    if (edge.cookies && isCognitoAuthError(error, 'ERR_COGNITO_REFRESH_REJECTED', 'ERR_COGNITO_REVOKED')) {
      for (const cookie of clearedSessionCookies(edge.cookies)) c.header('set-cookie', cookie, { append: true })
    }
    throw error
  }
}

/** ERR_COGNITO_REVOKED when the revocation list refuses the session. */
async function checkNotRevoked(edge: ResolvedEdge, subject: RevocationSubject, waitUntil: WaitUntil | undefined): Promise<void> {
  const pending = edge.revocations?.check(subject, waitUntil)
  if (pending) await pending
}

/**
 * Ends a session: the cookies go whatever Cognito says (the browser session ends here), this
 * isolate forgets what it remembers of the refresh token, the revocation list records the ended
 * sign-ins (and, `everywhere`, the user) before Cognito is asked, then the token is revoked — and
 * the one this very request renewed into, if any — and, `everywhere`, GlobalSignOut runs. Every step
 * is tried; the first failure is thrown at the end.
 */
export async function endSession(
  c: Context,
  context: RouteContext,
  { idToken, refreshToken, accessToken }: { idToken: string | null; refreshToken: string | null; accessToken: string | null },
  everywhere: boolean,
): Promise<{ revoked: boolean; global: boolean }> {
  const { edge } = context
  if (edge.cookies) for (const cookie of clearedSessionCookies(edge.cookies)) c.header('set-cookie', cookie, { append: true })
  // What this isolate and the coordinator remember of the token goes with it: no renewal from memory after a logout.
  const { memory, coordinator } = edge.renewal
  if (refreshToken) await Promise.all([memory.forget(refreshToken), coordinator?.forget(refreshToken)])
  const plan = await planLogout(c, edge, { id: idToken, access: accessToken }, everywhere)
  // Each sign-in a logout records is a row every isolate holds for refreshTokenLifetime: the rows one
  // account can add go through the rate limiter (sign-ins made at Cognito directly never did). A
  // refusal holds back those rows only: a user signed out everywhere is one row however often, and is
  // recorded all the same, and Cognito is asked; the 429 is told at the end.
  const throttled =
    plan.sessions.length > 0
      ? await limit(c, context, 'logout', plan.username).then(
          () => null,
          (error: unknown) => error,
        )
      : null
  // The revocation list first, the sign-out everywhere included: whatever Cognito answers next, every
  // isolate refuses the session's tokens. Its failure is told once Cognito has been asked too.
  const unrecorded = await recordLogout(edge, throttled ? { ...plan, sessions: [] } : plan).then(
    () => throttled,
    (error: unknown) => error,
  )
  const failures: unknown[] = []
  const attempt = (call: Promise<void>) => call.catch((error: unknown) => void failures.push(error))
  if (refreshToken) await attempt(revokeToken(edge.cognito, { refreshToken }))
  // Behind the auth middleware this very request may have renewed the session, and with rotation
  // Cognito issued a refresh token the client never saw: it is revoked too.
  const renewed = (c as Context<{ Variables: CognitoAuthOptionalVariables<unknown> }>).get('cognito')
  if (renewed?.refreshed && renewed.tokens.refresh && renewed.tokens.refresh !== refreshToken) {
    await attempt(revokeToken(edge.cognito, { refreshToken: renewed.tokens.refresh }))
  }
  if (plan.everywhere && accessToken) await attempt(globalSignOut(edge.cognito, { accessToken }))
  if (failures.length > 0) throw failures[0]
  if (unrecorded) throw unrecorded
  return { revoked: refreshToken !== null, global: plan.everywhere }
}

export const logout: RouteHandler = async (c, context) => {
  csrfGuard(c, context)
  const body = await readJsonBody(c)
  const tokens = readTokens(c.req.raw.headers, context.edge.cookies)
  // Signing out everywhere only here: a CSRF-checked POST, never a GET another site can make the browser send.
  const { revoked, global } = await endSession(
    c,
    context,
    {
      idToken: tokens.id,
      refreshToken: tokens.refresh ?? optionalString(body, 'refresh_token'),
      accessToken: tokens.access ?? optionalString(body, 'access_token'),
    },
    context.routes.globalSignOut,
  )
  return c.json({ logged_out: true, revoked, global })
}
