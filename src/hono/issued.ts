// Tokens Cognito has just issued — a sign-in, a managed-login exchange, a renewal (this isolate's, or
// one another isolate shared through the coordinator) — held to the verifier's rules before they
// become a session. One rule for all of them: an answer that does not verify (a proxy's garbage,
// another pool) is Cognito failing, never a session.
import { CognitoAuthError } from '../errors'
import type { CognitoAccessTokenClaims, CognitoIdTokenClaims } from '../token/claims'
import type { ResolvedEdge } from './settings'

/**
 * How far Cognito's clock may run ahead of this isolate's for tokens it just issued: at the turn of
 * a second their `iat` is the next one. Only `iat` is relaxed, and only here; `exp` is not.
 */
const ISSUED_LEEWAY_SECONDS = 5

export interface IssuedClaims {
  readonly idClaims: CognitoIdTokenClaims
  readonly accessClaims: CognitoAccessTokenClaims
}

/** The claims of tokens Cognito issued; ERR_COGNITO_UNAVAILABLE when they do not verify (ERR_COGNITO_KEYS_UNAVAILABLE when the key set cannot be had). */
export async function verifyIssued(edge: ResolvedEdge, idToken: string, accessToken: string): Promise<IssuedClaims> {
  const [id, access] = await Promise.all([
    edge.core.verifyDetailed(idToken, { tokenUse: 'id' }, ISSUED_LEEWAY_SECONDS),
    edge.core.verifyDetailed(accessToken, { tokenUse: 'access' }, ISSUED_LEEWAY_SECONDS),
  ])
  const error = id.error ?? access.error
  if (error?.code === 'ERR_COGNITO_KEYS_UNAVAILABLE') throw error
  if (error)
    throw new CognitoAuthError('ERR_COGNITO_UNAVAILABLE', 'Cognito answered with tokens that do not verify', { cause: error })
  return { idClaims: id.claims as CognitoIdTokenClaims, accessClaims: access.claims as CognitoAccessTokenClaims }
}
