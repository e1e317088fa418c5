// What a logout writes into the revocation list, so that every isolate refuses the ended session's
// ID and access tokens, not only Cognito its refresh token. Only tokens whose signature verifies
// count (an expired one included: its sign-in may still renew): an unverified claim would let
// anyone post garbage that every isolate then loads, or end a session by its guessed id.
import type { Context } from 'hono'
import type { TokenUse } from '../../options'
import type { CognitoClaims } from '../../token/claims'
import type { CognitoAuthOptionalVariables } from '../middleware'
import type { ResolvedEdge } from '../settings'

/** The tokens a logout request carries (headers, cookies or body). */
export interface LoggedOutTokens {
  readonly id: string | null
  readonly access: string | null
}

/** The claims of a token whose signature and every rule but time verify; null otherwise. */
async function signedClaims(edge: ResolvedEdge, token: string | null, tokenUse: TokenUse): Promise<CognitoClaims | null> {
  if (!token) return null
  const outcome = await edge.core.verifyDetailed(token, { tokenUse })
  return outcome.error === null || outcome.error.code === 'ERR_COGNITO_EXPIRED' ? outcome.claims : null
}

/**
 * Records the sign-ins this logout ends: those of the tokens it carries, and of the session the auth
 * middleware renewed in this very request (its new tokens never reached the client). Nothing without
 * a revocation list. Rejects with ERR_COGNITO_REVOCATIONS_UNAVAILABLE when D1 cannot take it.
 */
export async function recordLogout(c: Context, edge: ResolvedEdge, tokens: LoggedOutTokens): Promise<void> {
  if (!edge.revocations) return
  const session = (c as Context<{ Variables: CognitoAuthOptionalVariables<unknown> }>).get('cognito')
  const presented = await Promise.all([signedClaims(edge, tokens.id, 'id'), signedClaims(edge, tokens.access, 'access')])
  const claims = [...presented, session?.idClaims ?? null, session?.accessClaims ?? null]
  const ended = claims.filter((each): each is CognitoClaims => each !== null)
  if (ended.length > 0) await edge.revocations.revokeSessions(ended)
}

/**
 * Records that the user of this access token signed out everywhere (logout with `globalSignOut`):
 * only from a token valid now, as GlobalSignOut itself needs; otherwise Cognito's refusal speaks.
 */
export async function recordGlobalSignOut(edge: ResolvedEdge, accessToken: string): Promise<void> {
  if (!edge.revocations) return
  const outcome = await edge.core.verifyDetailed(accessToken, { tokenUse: 'access' })
  if (outcome.error === null) await edge.revocations.revokeUser(outcome.claims.sub)
}
