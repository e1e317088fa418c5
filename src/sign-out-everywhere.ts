// signOutEverywhere: every session of a user ends — at Cognito (GlobalSignOut with the user's access
// token, or AdminUserGlobalSignOut) and, with a revocation list, on every isolate: Cognito only
// stops the refresh tokens, the list also refuses the ID and access tokens already issued.
import { adminGetUser, adminUserGlobalSignOut } from './cognito/admin'
import { globalSignOut } from './cognito/sign-out'
import type { CognitoClient } from './cognito/transport'
import { CognitoAuthError } from './errors'
import { type RevocationList, alreadyRevoked } from './revocation-list'
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
 * the user's earlier sessions even if Cognito then fails; Cognito is asked even if the list could not
 * take the record; the first failure (Cognito's, else the list's) is thrown once both were tried. An
 * access token the revocation list already refuses (its user signed out everywhere since, say on a
 * try whose Cognito call failed, or its own sign-in ended) records nothing, and Cognito is still
 * asked: a retry completes the sign-out, and Cognito refuses a token it revoked itself. Resolves
 * with the user's `sub` and the `notBefore` recorded (Unix seconds; null when nothing was recorded:
 * no revocation list, or the token already refused).
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
  const list = target.revocations
  let sub: string
  let record = list !== null
  let signOut: () => Promise<void>
  if ('accessToken' in input) {
    // Verified before anything is recorded: the sub to sign out comes from a valid token, never from the caller.
    const claims = await target.verifier.verify(input.accessToken, { tokenUse: 'access' })
    sub = claims.sub
    // A token the list already refuses (its sign-in ended, or its user signed out everywhere since)
    // writes nothing: a replay costs no D1 write, and an ended token signs nobody out.
    if (list && (await alreadyRevoked(list, claims))) record = false
    signOut = () => globalSignOut(target.cognito, { accessToken: input.accessToken })
  } else {
    const { userPoolId, username } = input
    const named = input.sub ?? (await adminGetUser(target.cognito, { userPoolId, username })).attributes.sub
    if (!named) throw new CognitoAuthError('ERR_COGNITO_NO_SUCH_USER', 'Cognito named no sub for that user')
    sub = named
    signOut = () => adminUserGlobalSignOut(target.cognito, { userPoolId, username })
  }
  let notBefore: number | null = null
  let unrecorded: unknown = null
  if (list && record) notBefore = await list.revokeUser(sub).catch((error: unknown) => ((unrecorded = error), null))
  await signOut()
  if (unrecorded !== null) throw unrecorded
  return { sub, notBefore }
}
