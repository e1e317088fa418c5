// What a logout writes into the revocation list, so that every isolate refuses the ended session's
// ID and access tokens, not only Cognito its refresh token. Only tokens whose signature verifies
// count (an expired one included: its sign-in may still renew): an unverified claim would let
// anyone post garbage that every isolate then loads, or end a session by its guessed id. What the
// list already refuses is never written again: a replayed logout costs no D1 write. Cognito is
// asked all the same: a retry after Cognito failed must still reach it.
import type { Context } from 'hono'
import type { TokenUse } from '../../options'
import { alreadyRevoked } from '../../revocation-list'
import type { CognitoClaims } from '../../token/claims'
import type { CognitoAuthOptionalVariables } from '../middleware'
import type { ResolvedEdge } from '../settings'
import { waitUntilOf } from '../verify-session'

/** The tokens a logout request carries (headers, cookies or body). */
export interface LoggedOutTokens {
  readonly id: string | null
  readonly access: string | null
}

/** What a logout does, decided from verified claims before anything is written or Cognito is asked. */
export interface LogoutPlan {
  /** The tokens whose sign-ins the list is to record as ended (none it already refuses). */
  readonly sessions: readonly CognitoClaims[]
  /** The user the list is to record as signed out everywhere, or null. */
  readonly user: string | null
  /** Whether Cognito is asked to sign the user out everywhere (GlobalSignOut). */
  readonly everywhere: boolean
  /** Whose sign-ins these are, from the verified claims (`cognito:username`, `username`, else `sub`): the rate limiter's key. */
  readonly username: string
}

/** A token whose signature and every rule but time verify: its claims, and whether it is valid now. */
async function signedClaims(
  edge: ResolvedEdge,
  token: string | null,
  tokenUse: TokenUse,
): Promise<{ claims: CognitoClaims; valid: boolean } | null> {
  if (!token) return null
  const outcome = await edge.core.verifyDetailed(token, { tokenUse })
  if (outcome.error === null) return { claims: outcome.claims, valid: true }
  return outcome.error.code === 'ERR_COGNITO_EXPIRED' && outcome.claims ? { claims: outcome.claims, valid: false } : null
}

/**
 * The sign-ins this logout ends: those of the tokens it carries, and of the session the auth
 * middleware renewed in this very request (its new tokens never reached the client). `everywhere`:
 * the user of an access token valid now (as GlobalSignOut itself needs) is recorded as signed out
 * everywhere unless the list already refuses that token (a token whose sign-in ended signs nobody
 * out); the user's entry then stands for that user's sign-ins, which need no entries of their own
 * (one write, whatever fails). Cognito is asked whatever the list holds: a sign-out everywhere
 * recorded while Cognito failed must reach Cognito on the retry, and a token Cognito revoked already
 * is refused by Cognito itself. Without a revocation list, Cognito alone decides.
 */
export async function planLogout(
  c: Context,
  edge: ResolvedEdge,
  tokens: LoggedOutTokens,
  everywhere: boolean,
): Promise<LogoutPlan> {
  const list = edge.revocations
  if (!list) return { sessions: [], user: null, everywhere: everywhere && tokens.access !== null, username: '' }
  const session = (c as Context<{ Variables: CognitoAuthOptionalVariables<unknown> }>).get('cognito')
  const [id, access] = await Promise.all([signedClaims(edge, tokens.id, 'id'), signedClaims(edge, tokens.access, 'access')])
  const claims = [id?.claims, access?.claims, session?.idClaims, session?.accessClaims].filter(
    (each): each is CognitoClaims => each != null,
  )
  const waitUntil = waitUntilOf(c)
  const ended = await Promise.all(claims.map((each) => alreadyRevoked(list, each, waitUntil)))
  const accessEnded = access !== null && ended[claims.indexOf(access.claims)] === true
  const user = everywhere && access?.valid && !accessEnded ? access.claims.sub : null
  return {
    // Sign-ins of the user signed out everywhere are ended by the user's entry (not_before = now).
    sessions: claims.filter((each, index) => !ended[index] && each.sub !== user),
    user,
    everywhere: everywhere && tokens.access !== null,
    username: usernameOf(claims[0]),
  }
}

function usernameOf(claims: CognitoClaims | undefined): string {
  if (!claims) return ''
  const name = claims.token_use === 'id' ? claims['cognito:username'] : claims.username
  return typeof name === 'string' ? name : claims.sub
}

/**
 * Writes the plan into the revocation list: the sign-ins, then the user — both tried, so that a
 * failure of one loses not the other. Rejects with ERR_COGNITO_REVOCATIONS_UNAVAILABLE when D1 cannot take it.
 */
export async function recordLogout(edge: ResolvedEdge, { sessions, user }: LogoutPlan): Promise<void> {
  const list = edge.revocations
  if (!list) return
  let failure: unknown = null
  if (sessions.length > 0) await list.revokeSessions(sessions).catch((error: unknown) => (failure = error))
  if (user !== null) await list.revokeUser(user).catch((error: unknown) => (failure ??= error))
  if (failure !== null) throw failure
}
