// The auth middleware: read the tokens, check CSRF for cookie sessions, verify every token present,
// refuse ended sessions (the revocation list), renew an expired session through Cognito, resolve
// the stored user, expose the session as `c.var.cognito`, and fail closed with a precise HTTP error.
import type { Context, MiddlewareHandler } from 'hono'
import { CognitoAuthError } from '../errors'
import { clearedSessionCookies } from '../session/cookies'
import { CSRF_COOKIE, CSRF_HEADER, checkCsrf, isUnsafeMethod } from '../session/csrf'
import { type RequestTokens, readTokens } from '../session/transport'
import type { CognitoAccessTokenClaims, CognitoClaims, CognitoIdTokenClaims } from '../token/claims'
import type { SessionRenewal } from '../session/refresh-memory'
import { clientNetwork } from './client-ip'
import { type RenewalDelivery, applyRenewal, deliverRenewal, expiresSoon, prepareDelivery, renewSession } from './renewal'
import { statusFor } from './challenge'
import { isSignInRoute, loginRedirect, wantsLoginPage } from './login-redirect'
import { editResponseHeaders, rememberRequest, respondWithError, withEditedHeaders } from './respond'
import type { ResolvedAuth, ResolvedEdge } from './settings'
import { type VerifiedSession, checkRequired, missingTokens, verifySession, waitUntilOf } from './verify-session'

/** What `c.var.cognito` holds for an authenticated request. */
export interface CognitoAuthContext<User = null> {
  /** The ID token's claims when one was presented, else the access token's. */
  readonly claims: CognitoClaims
  /** The verified ID token's claims, or null when none was presented. */
  readonly idClaims: CognitoIdTokenClaims | null
  /** The verified access token's claims, or null when none was presented. */
  readonly accessClaims: CognitoAccessTokenClaims | null
  /** The tokens the request is authenticated with (the new ones after a refresh). */
  readonly tokens: {
    /** The ID token, or null. */
    readonly id: string | null
    /** The access token, or null. */
    readonly access: string | null
    /** The refresh token, or null (a rotation's new one after a refresh). */
    readonly refresh: string | null
  }
  /** The stored user row when a user store is configured; `null` otherwise. */
  readonly user: User
  /** Whether the tokens were renewed through Cognito during this request. */
  readonly refreshed: boolean
}

/** The context variables the middleware sets. */
export type CognitoAuthVariables<User = null> = { cognito: CognitoAuthContext<User> }
/** The context variables of `auth({ optional: true })`: `null` for anonymous requests. */
export type CognitoAuthOptionalVariables<User = null> = { cognito: CognitoAuthContext<User> | null }

/**
 * A session and, when it was renewed here, how the renewal goes back to the client — or a failure
 * after a renewal: Cognito may have rotated the refresh token, so the new tokens go back even then.
 */
type Authenticated =
  | { readonly session: CognitoAuthContext<unknown> | null; readonly delivery: RenewalDelivery | null; readonly failure?: never }
  | { readonly failure: CognitoAuthError; readonly delivery: RenewalDelivery }

const ANONYMOUS: Authenticated = { session: null, delivery: null }

/**
 * Renews when a token expired, or a required token is gone (a browser drops the access cookie at
 * its token's exp), or (refreshBefore) when expiry is near. Never without a verified token.
 */
async function renewIfDue(
  edge: ResolvedEdge,
  auth: ResolvedAuth,
  tokens: RequestTokens,
  verified: VerifiedSession,
  client: () => string | null,
): Promise<SessionRenewal | null> {
  const incomplete = missingTokens(tokens, auth)
  if (verified.expired || incomplete) {
    if (edge.refresh && tokens.refresh) return renewSession(edge, tokens, verified, client())
    throw verified.expired ?? incomplete
  }
  if (tokens.refresh && expiresSoon(edge, verified)) {
    // Early renewal is a courtesy: the session is still valid, so a failure here fails nothing.
    return renewSession(edge, tokens, verified, client()).catch(() => null)
  }
  return null
}

/** Authenticates the request; a null session for an anonymous request in optional mode. */
async function authenticate(c: Context, edge: ResolvedEdge, auth: ResolvedAuth): Promise<Authenticated> {
  const tokens = readTokens(c.req.raw.headers, edge.cookies)
  const identified = tokens.id !== null || tokens.access !== null
  // A refresh token alone proves nothing: it is renewed only beside a verified ID or access token.
  if (!identified && auth.optional) return ANONYMOUS
  if (!identified) throw new CognitoAuthError('ERR_COGNITO_TOKEN_MISSING', 'an ID or access token is required')
  // Without a way to renew, a missing token fails now, before any crypto; otherwise after renewal.
  if (!(tokens.refresh && edge.refresh)) checkRequired(tokens, auth)
  if (tokens.source === 'cookie' && edge.csrf.check && isUnsafeMethod(c.req.method)) {
    checkCsrf(tokens.cookies.get(CSRF_COOKIE), c.req.header(CSRF_HEADER) ?? null)
  }
  const waitUntil = waitUntilOf(c)
  const verified = await verifySession(tokens, edge, waitUntil)
  // An ended session is refused before a renewal could ask Cognito about it; the copy answers without I/O when fresh.
  const pending = edge.revocations?.check(verified, waitUntil)
  if (pending) await pending
  // The client's network only when renewing: the hot path reads no more headers than it needs.
  const renewal = await renewIfDue(edge, auth, tokens, verified, () => clientNetwork(c))
  if (renewal && edge.revocations) {
    // Renewed elsewhere (another request's memory, the coordinator) before the logout reached this isolate: still ended.
    const renewed = edge.revocations.check(renewal, waitUntil)
    if (renewed) await renewed
  }
  const current = renewal ?? verified
  const sessionTokens = renewal ? renewal.tokens : { id: tokens.id, access: tokens.access, refresh: tokens.refresh }
  checkRequired(sessionTokens, auth)
  // Settled before the handler runs: a renewal that cannot be delivered fails here, not after side effects.
  const delivery = renewal ? prepareDelivery(edge, renewal, tokens.source) : null
  const { idClaims, accessClaims } = current
  let user: unknown = null
  try {
    if (edge.users) user = await edge.users.resolveUser({ idClaims, accessClaims, accessToken: sessionTokens.access })
  } catch (error) {
    if (!(error instanceof CognitoAuthError) || delivery === null) throw error
    return { failure: error, delivery }
  }
  const session: CognitoAuthContext<unknown> = {
    claims: (idClaims ?? accessClaims) as CognitoClaims,
    idClaims,
    accessClaims,
    tokens: Object.freeze({ ...sessionTokens }),
    user,
    refreshed: renewal !== null,
  }
  return { session: Object.freeze(session), delivery }
}

/** Lets the request on without a session (`c.var.cognito === null`), with any cookies to clear on its answer. */
async function anonymously(c: Context, next: () => Promise<void>, cookies: readonly string[] | undefined): Promise<void> {
  c.set('cognito', null)
  await next()
  if (cookies) editResponseHeaders(c, (headers) => cookies.forEach((cookie) => headers.append('set-cookie', cookie)))
}

/** The middleware for an edge resolved per env (`resolve(c.env)`) and the auth settings laid over its own. */
export function authMiddleware(
  resolve: (env: unknown) => ResolvedEdge,
  authFor: (edge: ResolvedEdge) => ResolvedAuth,
): MiddlewareHandler {
  return async function cognitoAuth(c: Context<{ Variables: CognitoAuthOptionalVariables<unknown> }>, next) {
    const edge = resolve(c.env)
    const auth = authFor(edge)
    rememberRequest(c, edge)
    let authenticated: Authenticated
    try {
      authenticated = await authenticate(c, edge, auth)
    } catch (error) {
      // A refused refresh token or a revoked session ends the cookie session; Cognito being down does not.
      const ended =
        error instanceof CognitoAuthError &&
        (error.code === 'ERR_COGNITO_REFRESH_REJECTED' || error.code === 'ERR_COGNITO_REVOKED')
      const cookies = ended && edge.cookies ? clearedSessionCookies(edge.cookies) : undefined
      if (auth.loginRedirect !== null && error instanceof CognitoAuthError && statusFor(error.code) === 401) {
        // The sign-in routes are for the signed-out: they go on as anonymous, never sent to themselves.
        if (isSignInRoute(c, auth.loginRedirect)) return anonymously(c, next, cookies)
        if (wantsLoginPage(c, error)) return loginRedirect(c, auth.loginRedirect, error, { onError: edge.onError, cookies })
      }
      return respondWithError(c, error, undefined, cookies)
    }
    const sessionCookieNames = edge.cookies ? Object.values(edge.cookies.names) : []
    if (authenticated.failure) {
      const { failure, delivery } = authenticated
      return withEditedHeaders(await respondWithError(c, failure), (headers) =>
        applyRenewal(headers, delivery, sessionCookieNames),
      )
    }
    c.set('cognito', authenticated.session)
    await next()
    if (authenticated.delivery) deliverRenewal(c, authenticated.delivery, sessionCookieNames)
  }
}
