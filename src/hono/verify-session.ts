// The tokens a request presented: which are required, verifying each, and holding ID and access
// tokens to one session. Expiry is reported rather than thrown: the middleware may renew it.
import type { Context } from 'hono'
import { CognitoAuthError } from '../errors'
import type { TokenUse } from '../options'
import type { SessionTokens } from '../session/cookies'
import type { CognitoAccessTokenClaims, CognitoIdTokenClaims } from '../token/claims'
import type { VerifyOptions } from '../token/verify'
import type { ResolvedAuth, ResolvedEdge } from './settings'

export interface VerifiedSession {
  readonly idClaims: CognitoIdTokenClaims | null
  readonly accessClaims: CognitoAccessTokenClaims | null
  /** ERR_COGNITO_EXPIRED when a token was valid but for time; the claims above are then the expired ones. */
  readonly expired: CognitoAuthError | null
}

function missing(message: string): CognitoAuthError {
  return new CognitoAuthError('ERR_COGNITO_TOKEN_MISSING', message)
}

/** ERR_COGNITO_TOKEN_MISSING when a token the settings require is absent, else null. */
export function missingTokens(tokens: SessionTokens, auth: ResolvedAuth): CognitoAuthError | null {
  const { id, access } = tokens
  switch (auth.require) {
    case 'any':
      return !id && !access ? missing('an ID or access token is required') : null
    case 'access':
      return !access ? missing('an access token is required') : null
    case 'id':
      return !id ? missing('an ID token is required') : null
    case 'both':
      return !id || !access ? missing('both an ID token and an access token are required') : null
  }
}

/** Throws ERR_COGNITO_TOKEN_MISSING unless the tokens the settings require are there. */
export function checkRequired(tokens: SessionTokens, auth: ResolvedAuth): void {
  const error = missingTokens(tokens, auth)
  if (error) throw error
}

/** Throws ERR_COGNITO_TOKEN_MISMATCH unless the two tokens share user, pool and client. */
export function checkSameSession(id: CognitoIdTokenClaims | null, access: CognitoAccessTokenClaims | null): void {
  if (id && access && (id.sub !== access.sub || id.iss !== access.iss || id.aud !== access.client_id)) {
    throw new CognitoAuthError(
      'ERR_COGNITO_TOKEN_MISMATCH',
      'the ID and access tokens belong to different users, pools or clients',
    )
  }
}

type WaitUntil = NonNullable<VerifyOptions['waitUntil']>

/**
 * The request's `waitUntil`, for the key-set refetch verification may start in the background;
 * undefined without an execution context (Node, Bun, Deno, `app.request()` without one), where
 * Hono's `c.executionCtx` getter throws instead of answering.
 */
export function waitUntilOf(c: Context): WaitUntil | undefined {
  try {
    const executionCtx = c.executionCtx
    return (promise) => executionCtx.waitUntil(promise) // called as a method: detached, Workers throws "Illegal invocation"
  } catch {
    return undefined
  }
}

/** Verifies every token present; throws any rejection but expiry, which it reports. */
export async function verifySession(tokens: SessionTokens, edge: ResolvedEdge, waitUntil?: WaitUntil): Promise<VerifiedSession> {
  const { verifyDetailed } = edge.core
  const options = (tokenUse: TokenUse): VerifyOptions => (waitUntil ? { tokenUse, waitUntil } : { tokenUse })
  const id = tokens.id ? verifyDetailed(tokens.id, options('id')) : null
  const access = tokens.access ? await verifyDetailed(tokens.access, options('access')) : null
  const idResult = id ? await id : null // both verifications were started before either is awaited
  // A definite rejection outranks expiry: only a session that is valid but for time may be renewed.
  const failures = [access?.error, idResult?.error].filter((error): error is CognitoAuthError => Boolean(error))
  const rejection = failures.find((error) => error.code !== 'ERR_COGNITO_EXPIRED')
  if (rejection) throw rejection
  const idClaims = (idResult?.claims ?? null) as CognitoIdTokenClaims | null
  const accessClaims = (access?.claims ?? null) as CognitoAccessTokenClaims | null
  checkSameSession(idClaims, accessClaims)
  return { idClaims, accessClaims, expired: failures[0] ?? null }
}
