// The contract between the middleware and a revocation list (d1Revocations, or an app's own): what
// ended sessions every isolate must refuse, answered from verified claims. It names no database,
// so the middleware stays free of drizzle.
import { CognitoAuthError } from './errors'
import type { CognitoAccessTokenClaims, CognitoClaims, CognitoIdTokenClaims } from './token/claims'
import type { WaitUntil } from './token/keys'

/** The verified (possibly expired) claims of one request's session. */
export interface RevocationSubject {
  /** The verified ID token's claims, or null. */
  readonly idClaims: CognitoIdTokenClaims | null
  /** The verified access token's claims, or null. */
  readonly accessClaims: CognitoAccessTokenClaims | null
}

export interface RevocationList {
  /**
   * Refuses an ended session: ERR_COGNITO_REVOKED when a token's sign-in (`origin_jti`, else `jti`)
   * was logged out, or its user signed out everywhere after the sign-in began (`auth_time`, else
   * `iat`); ERR_COGNITO_REVOCATIONS_UNAVAILABLE when the list cannot answer and fails closed.
   * Returns nothing when it answered without I/O (the hot path), else a promise to await.
   * `waitUntil` keeps a background refresh of the list alive after the response.
   */
  check(subject: RevocationSubject, waitUntil?: WaitUntil): void | Promise<void>
  /** Records that the sign-ins of these verified tokens ended (a logout). Tokens with neither `origin_jti` nor `jti` are skipped. */
  revokeSessions(claims: readonly CognitoClaims[]): Promise<void>
  /**
   * Records that every sign-in of `sub` that began before `notBefore` (Unix seconds) ended: sign-out
   * everywhere. Default `notBefore`: now, rounded up to the second (token times are whole seconds,
   * so a sign-in in the same second as the sign-out is refused too). Resolves with the `notBefore` recorded.
   */
  revokeUser(sub: string, notBefore?: number): Promise<number>
}

/**
 * Whether the list refuses this verified token already (its sign-in ended, or its user signed out
 * everywhere since): what a logout or sign-out everywhere then need not write again. A list that
 * cannot answer says nothing (false): the entry is written, and that write reports the failure.
 */
export async function alreadyRevoked(list: RevocationList, claims: CognitoClaims, waitUntil?: WaitUntil): Promise<boolean> {
  const subject =
    claims.token_use === 'id'
      ? { idClaims: claims as CognitoIdTokenClaims, accessClaims: null }
      : { idClaims: null, accessClaims: claims as CognitoAccessTokenClaims }
  try {
    await list.check(subject, waitUntil)
    return false
  } catch (error) {
    return error instanceof CognitoAuthError && error.code === 'ERR_COGNITO_REVOKED'
  }
}
