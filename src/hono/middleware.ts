// cognitoAuth: read the tokens, check CSRF for cookie sessions, verify every token present,
// renew an expired session through Cognito, resolve the stored user, expose the session as
// `c.var.cognito`, and fail closed with a precise HTTP error.
import type { Context, MiddlewareHandler } from 'hono'
import { CognitoAuthError } from '../errors'
import { clearedSessionCookies } from '../session/cookies'
import { CSRF_COOKIE, CSRF_HEADER, checkCsrf, isUnsafeMethod } from '../session/csrf'
import { type RequestTokens, readTokens } from '../session/transport'
import type { CognitoAccessTokenClaims, CognitoClaims, CognitoIdTokenClaims } from '../token/claims'
import { type PresentedSession, checkRequired, missingTokens, verifyPresented, waitUntilOf } from './presented'
import { type RenewalDelivery, type SessionRenewal, deliverRenewal, expiresSoon, prepareDelivery, renewSession } from './refresh'
import {
  type CognitoAuthOptions,
  type CognitoAuthOptionsInput,
  type ResolvedAuthOptions,
  optionsResolver,
  resolveAuthOptions,
} from './options'
import { rememberRequest, respondWithError } from './respond'

/** What `c.var.cognito` holds for an authenticated request. */
export interface CognitoAuthContext<User = null> {
  /** The ID token's claims when one was presented, else the access token's. */
  readonly claims: CognitoClaims
  readonly idClaims: CognitoIdTokenClaims | null
  readonly accessClaims: CognitoAccessTokenClaims | null
  /** The tokens the request is authenticated with (the new ones after a refresh). */
  readonly tokens: { readonly id: string | null; readonly access: string | null; readonly refresh: string | null }
  /** The stored user row when a user store is configured; `null` otherwise. */
  readonly user: User
  /** Whether the tokens were renewed through Cognito during this request. */
  readonly refreshed: boolean
}

/** The context variables `cognitoAuth` sets. */
export type CognitoAuthVariables<User = null> = { cognito: CognitoAuthContext<User> }
/** The context variables of `cognitoAuth({ optional: true })`: `null` for anonymous requests. */
export type CognitoAuthOptionalVariables<User = null> = { cognito: CognitoAuthContext<User> | null }

/** A session and, when it was renewed here, how the renewal goes back to the client. */
interface Authenticated {
  readonly session: CognitoAuthContext<unknown> | null
  readonly delivery: RenewalDelivery | null
}

const ANONYMOUS: Authenticated = { session: null, delivery: null }

/**
 * Renews when a token expired, or a required token is gone (a browser drops the access cookie at
 * its token's exp), or (refreshBefore) when expiry is near. Never without a verified token.
 */
async function renewIfDue(
  config: ResolvedAuthOptions,
  tokens: RequestTokens,
  presented: PresentedSession,
): Promise<SessionRenewal | null> {
  const incomplete = missingTokens(tokens, config)
  if (presented.expired || incomplete) {
    if (config.refresh && tokens.refresh) return renewSession(config, tokens, presented)
    throw presented.expired ?? incomplete
  }
  if (tokens.refresh && expiresSoon(config, presented)) {
    // Early renewal is a courtesy: the session is still valid, so a failure here fails nothing.
    return renewSession(config, tokens, presented).catch(() => null)
  }
  return null
}

/** Authenticates the request; a null session for an anonymous request in optional mode. */
async function authenticate(c: Context, config: ResolvedAuthOptions): Promise<Authenticated> {
  const tokens = readTokens(c.req.raw.headers, config.cookies)
  const identified = tokens.id !== null || tokens.access !== null
  // A refresh token alone proves nothing: it is renewed only beside a verified ID or access token.
  if (!identified && config.optional) return ANONYMOUS
  if (!identified) throw new CognitoAuthError('ERR_COGNITO_TOKEN_MISSING', 'an ID or access token is required')
  // Without a way to renew, a missing token fails now, before any crypto; otherwise after renewal.
  if (!(tokens.refresh && config.refresh)) checkRequired(tokens, config)
  if (tokens.source === 'cookie' && config.csrf && isUnsafeMethod(c.req.method)) {
    checkCsrf(tokens.cookies.get(CSRF_COOKIE), c.req.header(CSRF_HEADER) ?? null)
  }
  const presented = await verifyPresented(tokens, config, waitUntilOf(c))
  const renewal = await renewIfDue(config, tokens, presented)
  const current = renewal ?? presented
  const sessionTokens = renewal ? renewal.tokens : { id: tokens.id, access: tokens.access, refresh: tokens.refresh }
  checkRequired(sessionTokens, config)
  // Settled before the handler runs: a renewal that cannot be delivered fails here, not after side effects.
  const delivery = renewal ? prepareDelivery(config, renewal, tokens.source) : null
  const { idClaims, accessClaims } = current
  const user = config.users ? await config.users.resolveUser({ idClaims, accessClaims, accessToken: sessionTokens.access }) : null
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

/**
 * Hono middleware that authenticates requests with Cognito tokens and sets `c.var.cognito`.
 * Give it options, a function of the Worker `env`, or nothing to read the seed's settings from
 * `env` with `optionsFromEnv`.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono'
 * import { cognitoAuth, requireGroups, type CognitoAuthVariables } from 'cognito-edge/hono'
 *
 * const app = new Hono<{ Variables: CognitoAuthVariables }>()
 * app.use('/api/*', cognitoAuth({ userPoolId: 'us-east-1_AbC123', clientId: '1example23456789abcdefghij' }))
 * app.get('/api/me', (c) => c.json({ sub: c.var.cognito.claims.sub }))
 * app.get('/api/admin', requireGroups('admins'), (c) => c.text('hello, admin'))
 * ```
 */
export function cognitoAuth<User = null>(
  options: CognitoAuthOptionsInput<CognitoAuthOptions<User> & { optional: true }>,
): MiddlewareHandler<{ Variables: CognitoAuthOptionalVariables<User> }>
export function cognitoAuth<User = null>(
  options?: CognitoAuthOptionsInput<CognitoAuthOptions<User>>,
): MiddlewareHandler<{ Variables: CognitoAuthVariables<User> }>
export function cognitoAuth(options?: CognitoAuthOptionsInput<CognitoAuthOptions<unknown>>): MiddlewareHandler {
  const resolve = optionsResolver(options, resolveAuthOptions)
  return async function cognitoAuth(c: Context<{ Variables: CognitoAuthOptionalVariables<unknown> }>, next) {
    const config = resolve(c.env)
    rememberRequest(c, config)
    let authenticated: Authenticated
    try {
      authenticated = await authenticate(c, config)
    } catch (error) {
      // A refused refresh token ends the cookie session; Cognito being down does not.
      const ended = error instanceof CognitoAuthError && error.code === 'ERR_COGNITO_REFRESH_REJECTED'
      return respondWithError(c, error, undefined, ended && config.cookies ? clearedSessionCookies(config.cookies) : undefined)
    }
    c.set('cognito', authenticated.session)
    await next()
    if (authenticated.delivery) deliverRenewal(c, authenticated.delivery)
  }
}
