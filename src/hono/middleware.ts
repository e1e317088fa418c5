// cognitoAuth: read the tokens, check CSRF for cookie sessions, verify every token present,
// make sure ID and access tokens belong together, expose the session as `c.var.cognito`, and
// fail closed with a precise HTTP error.
import type { Context, MiddlewareHandler } from 'hono'
import { CognitoAuthError } from '../errors'
import { CSRF_COOKIE, CSRF_HEADER, checkCsrf, isUnsafeMethod } from '../session/csrf'
import { type RequestTokens, readTokens } from '../session/transport'
import type { CognitoAccessTokenClaims, CognitoClaims, CognitoIdTokenClaims } from '../token/claims'
import { verifyOutcome } from '../token/verify'
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

function missing(message: string): CognitoAuthError {
  return new CognitoAuthError('ERR_COGNITO_TOKEN_MISSING', message)
}

function checkRequired(tokens: RequestTokens, config: ResolvedAuthOptions): void {
  const { id, access } = tokens
  switch (config.require) {
    case 'any':
      if (!id && !access) throw missing('an ID or access token is required')
      break
    case 'access':
      if (!access) throw missing('an access token is required')
      break
    case 'id':
      if (!id) throw missing('an ID token is required')
      break
    case 'both':
      if (!id || !access) throw missing('both an ID token and an access token are required')
  }
}

function checkSameSession(id: CognitoIdTokenClaims, access: CognitoAccessTokenClaims): void {
  if (id.sub !== access.sub || id.iss !== access.iss || id.aud !== access.client_id) {
    throw new CognitoAuthError(
      'ERR_COGNITO_TOKEN_MISMATCH',
      'the ID and access tokens belong to different users, pools or clients',
    )
  }
}

async function verifyPresented(tokens: RequestTokens, config: ResolvedAuthOptions) {
  const verify = config.verifier[verifyOutcome]
  const id = tokens.id ? verify(tokens.id, { tokenUse: 'id' }) : null
  const access = tokens.access ? await verify(tokens.access, { tokenUse: 'access' }) : null
  const idResult = id ? await id : null // both verifications were started before either is awaited
  // A definite rejection outranks expiry: only a session that is valid but for time may be renewed.
  const failures = [access?.error, idResult?.error].filter((error): error is CognitoAuthError => Boolean(error))
  const rejection = failures.find((error) => error.code !== 'ERR_COGNITO_EXPIRED') ?? failures[0]
  if (rejection) throw rejection
  const idClaims = (idResult?.claims ?? null) as CognitoIdTokenClaims | null
  const accessClaims = (access?.claims ?? null) as CognitoAccessTokenClaims | null
  if (idClaims && accessClaims) checkSameSession(idClaims, accessClaims)
  return { idClaims, accessClaims }
}

/** Authenticates the request; `null` for an anonymous request in optional mode. */
async function authenticate(c: Context, config: ResolvedAuthOptions): Promise<CognitoAuthContext<unknown> | null> {
  const tokens = readTokens(c.req.raw.headers, config.cookies)
  if (tokens.source === null && config.optional) return null
  checkRequired(tokens, config)
  if (tokens.source === 'cookie' && config.csrf && isUnsafeMethod(c.req.method)) {
    checkCsrf(tokens.cookies.get(CSRF_COOKIE), c.req.header(CSRF_HEADER) ?? null)
  }
  const { idClaims, accessClaims } = await verifyPresented(tokens, config)
  const claims = (idClaims ?? accessClaims) as CognitoClaims
  const user = config.users ? await config.users.resolveUser({ idClaims, accessClaims, accessToken: tokens.access }) : null
  return Object.freeze({
    claims,
    idClaims,
    accessClaims,
    tokens: Object.freeze({ id: tokens.id, access: tokens.access, refresh: tokens.refresh }),
    user,
    refreshed: false,
  })
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
    let session: CognitoAuthContext<unknown> | null
    try {
      session = await authenticate(c, config)
    } catch (error) {
      return respondWithError(c, error)
    }
    c.set('cognito', session)
    await next()
  }
}
