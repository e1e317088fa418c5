// signOutEverywhere: every session of a user ends — at Cognito (GlobalSignOut with the user's access
// token, or AdminUserGlobalSignOut) and, with a revocation list, on every isolate: Cognito only
// stops the refresh tokens, the list also refuses the ID and access tokens already issued.
import { adminGetUser, adminUserGlobalSignOut } from './cognito/admin'
import { globalSignOut } from './cognito/sign-out'
import type { CognitoClient } from './cognito/transport'
import { CognitoAuthError } from './errors'
import type { RevocationList } from './revocation-list'
import type { CognitoAccessTokenClaims } from './token/claims'
import type { CognitoVerifier } from './token/verify'

/** What it works with: `edge.for(env)` (or `edge` made from a settings object) has all three. */
export interface SignOutEverywhereTarget {
  /** Verifies the access token of a self sign-out, and the subject of an admin one. */
  readonly verifier: CognitoVerifier
  /** Calls GlobalSignOut, or AdminUserGlobalSignOut (signed). */
  readonly cognito: CognitoClient
  /** Where the sign-out is recorded; null records nothing (Cognito alone). */
  readonly revocations: RevocationList | null
}

export type SignOutEverywhereInput =
  /** The user signs themself out: their access token, valid now (GlobalSignOut). */
  | { readonly accessToken: string }
  /**
   * An administrator signs a user out (AdminUserGlobalSignOut, IAM-signed). `sub` is read with
   * AdminGetUser unless given.
   */
  | { readonly userPoolId: string; readonly username: string; readonly sub?: string }

/**
 * Ends every session of a user. The revocation is recorded first, so that every isolate refuses
 * the user's earlier sessions even if Cognito then fails (the error is still thrown). An access
 * token the revocation list already refuses is ERR_COGNITO_REVOKED: it records nothing and asks
 * Cognito nothing. Resolves with the user's `sub` and the `notBefore` recorded (Unix seconds; null
 * without a revocation list).
 *
 * @example
 * ```ts
 * app.post('/api/sign-out-everywhere', async (c) => {
 *   await signOutEverywhere(edge.for(c.env), { accessToken: c.var.cognito.tokens.access ?? '' })
 *   return c.json({ signedOut: true })
 * })
 * ```
 */
export async function signOutEverywhere(
  target: SignOutEverywhereTarget,
  input: SignOutEverywhereInput,
): Promise<{ readonly sub: string; readonly notBefore: number | null }> {
  if ('accessToken' in input) {
    // Verified before anything is recorded: the sub to sign out comes from a valid token, never from the caller.
    const claims = (await target.verifier.verify(input.accessToken, { tokenUse: 'access' })) as CognitoAccessTokenClaims
    const { sub } = claims
    // A token the list already refuses (its sign-in ended, or its user signed out everywhere since)
    // signs nobody out: ERR_COGNITO_REVOKED, and a replay writes nothing.
    await target.revocations?.check({ idClaims: null, accessClaims: claims })
    const notBefore = target.revocations ? await target.revocations.revokeUser(sub) : null
    await globalSignOut(target.cognito, { accessToken: input.accessToken })
    return { sub, notBefore }
  }
  const { userPoolId, username } = input
  const sub = input.sub ?? (await adminGetUser(target.cognito, { userPoolId, username })).attributes.sub
  if (!sub) throw new CognitoAuthError('ERR_COGNITO_NO_SUCH_USER', 'Cognito named no sub for that user')
  const notBefore = target.revocations ? await target.revocations.revokeUser(sub) : null
  await adminUserGlobalSignOut(target.cognito, { userPoolId, username })
  return { sub, notBefore }
}
