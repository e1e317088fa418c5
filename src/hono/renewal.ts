// Renewing an expired (or soon-expiring) session inside the request: one Cognito call per burst
// (per isolate, or across isolates with a coordinator), in the region of the session's own pool,
// the new tokens verified with the same verifier and held to the same user, then handed back to
// the client — as headers for header sessions, as cookies for cookie sessions (built before the
// handler runs).
import type { Context } from 'hono'
import { refreshTokens } from '../cognito/refresh'
import { CognitoAuthError } from '../errors'
import type { RenewedTokens } from '../renewal-coordinator'
import { sessionCookies } from '../session/cookies'
import type { SessionRenewal } from '../session/refresh-memory'
import { ACCESS_TOKEN_HEADER, ID_TOKEN_HEADER, REFRESH_TOKEN_HEADER, type RequestTokens } from '../session/transport'
import type { CognitoAccessTokenClaims, CognitoClaims, CognitoIdTokenClaims } from '../token/claims'
import { editResponseHeaders } from './respond'
import type { ResolvedEdge, ResolvedRefresh } from './settings'

/** What the presented (possibly expired) tokens said about whose session this is; their signatures were verified. */
export interface PresentedSession {
  readonly idClaims: CognitoIdTokenClaims | null
  readonly accessClaims: CognitoAccessTokenClaims | null
}

async function callCognito(
  edge: ResolvedEdge,
  refresh: ResolvedRefresh,
  refreshToken: string,
  proof: CognitoClaims,
  session: PresentedSession,
) {
  // The session's own app client, pool and region, from its verified claims: pools may live in several regions.
  const clientId = session.accessClaims?.client_id ?? session.idClaims?.aud ?? null
  const issuer = edge.core.options.issuers.find((known) => known.issuer === proof.iss)
  const fresh = await refreshTokens(edge.cognito, {
    refreshToken,
    username: session.idClaims?.['cognito:username'] ?? session.accessClaims?.username ?? null,
    clientId,
    userPoolId: issuer?.userPoolId ?? null,
    region: issuer?.region ?? null,
    rotation: refresh.rotation,
    admin: refresh.admin,
  })
  return verifiedRenewal(
    edge,
    { id: fresh.idToken, access: fresh.accessToken, refresh: fresh.refreshToken ?? refreshToken },
    refreshToken,
  )
}

/** New tokens verified with the edge's own verifier: Cognito's answer here, or another isolate's through the coordinator. */
async function verifiedRenewal(edge: ResolvedEdge, tokens: RenewedTokens, refreshToken: string): Promise<SessionRenewal> {
  const [idClaims, accessClaims] = await Promise.all([
    edge.core.verify(tokens.id, { tokenUse: 'id' }) as Promise<CognitoIdTokenClaims>,
    edge.core.verify(tokens.access, { tokenUse: 'access' }) as Promise<CognitoAccessTokenClaims>,
  ])
  const renewal: SessionRenewal = {
    tokens: { id: tokens.id, access: tokens.access, refresh: tokens.refresh },
    idClaims,
    accessClaims,
    rotated: tokens.refresh !== refreshToken,
  }
  return Object.freeze(renewal)
}

/** New tokens for the session, or a CognitoAuthError (refresh rejected, Cognito unavailable, another user). */
export async function renewSession(
  edge: ResolvedEdge,
  tokens: RequestTokens,
  session: PresentedSession,
): Promise<SessionRenewal> {
  const refresh = edge.refresh
  if (!refresh || !tokens.refresh)
    throw new CognitoAuthError('ERR_COGNITO_TOKEN_MISSING', 'no refresh token to renew the session with')
  // Only a session proven by a signature-verified (possibly expired) token is renewed: a refresh
  // token alone costs an attacker nothing, and must not cost a Cognito call.
  const proof = session.idClaims ?? session.accessClaims
  if (!proof) throw new CognitoAuthError('ERR_COGNITO_TOKEN_MISSING', 'an ID or access token is required')
  const refreshToken = tokens.refresh
  // Who asks: a failure stays with this sign-in of this user, whatever refresh token comes next.
  const identity = `${proof.iss} ${proof.sub} ${String(proof.origin_jti ?? proof.jti ?? proof.iat)}`
  const call = () => callCognito(edge, refresh, refreshToken, proof, session)
  // With a coordinator, one isolate calls Cognito and the others adopt its tokens (verified here):
  // a rotating refresh token is used once, whichever isolates the burst lands on.
  const { coordinator } = refresh
  const adopt = (tokens: RenewedTokens) => verifiedRenewal(edge, tokens, refreshToken)
  const renew = coordinator ? () => coordinator.renew(refreshToken, refresh.timing, call, adopt) : call
  const renewal = await refresh.memory.refresh(refreshToken, renew, identity)
  const { idClaims, accessClaims } = renewal
  if (
    idClaims.sub !== proof.sub ||
    accessClaims.sub !== proof.sub ||
    idClaims.iss !== proof.iss ||
    accessClaims.iss !== proof.iss
  ) {
    throw new CognitoAuthError('ERR_COGNITO_TOKEN_MISMATCH', 'the refreshed tokens belong to another user')
  }
  return renewal
}

/** Whether a valid session is close enough to expiry to renew it now (`refresh.refreshBefore`). */
export function expiresSoon(edge: ResolvedEdge, session: PresentedSession): boolean {
  const window = edge.refresh?.refreshBeforeSeconds ?? 0
  if (window === 0) return false
  const exp = Math.min(session.idClaims?.exp ?? Infinity, session.accessClaims?.exp ?? Infinity)
  return exp - edge.now() / 1000 < window
}

/** How renewed tokens go back to the client: Set-Cookie values for cookie sessions, else null (headers). */
export interface RenewalDelivery {
  readonly renewal: SessionRenewal
  readonly cookies: readonly string[] | null
}

/**
 * Prepares the delivery before the handler runs, so that a cookie over the size limit fails the
 * request before any of its side effects, as a structured error (never a 500 after the handler).
 */
export function prepareDelivery(edge: ResolvedEdge, renewal: SessionRenewal, source: RequestTokens['source']): RenewalDelivery {
  const tokens = renewal.rotated ? renewal.tokens : { id: renewal.tokens.id, access: renewal.tokens.access }
  const cookies = source === 'cookie' && edge.cookies ? sessionCookies(tokens, edge.cookies, edge.now()) : null
  return { renewal, cookies }
}

const EXPOSED = [ACCESS_TOKEN_HEADER, ID_TOKEN_HEADER, REFRESH_TOKEN_HEADER]

/**
 * Puts the renewed tokens on the response's headers: Set-Cookie for cookie sessions, the seed's
 * headers otherwise. When the response already sets one of the session cookies — the handler ended
 * or replaced the session (a logout) — its choice stands: renewal cookies after it would undo it.
 */
export function applyRenewal(
  headers: Headers,
  { renewal, cookies }: RenewalDelivery,
  sessionCookieNames: readonly string[],
): void {
  headers.set('cache-control', 'no-store')
  if (cookies) {
    const set = headers.getSetCookie().map((cookie) => cookie.slice(0, cookie.indexOf('=')))
    if (set.some((name) => sessionCookieNames.includes(name))) return
    // Never echo cookie-held tokens into headers a script could read: that would undo HttpOnly.
    for (const cookie of cookies) headers.append('set-cookie', cookie)
    return
  }
  headers.set(ACCESS_TOKEN_HEADER, renewal.tokens.access as string)
  headers.set(ID_TOKEN_HEADER, renewal.tokens.id as string)
  if (renewal.rotated) headers.set(REFRESH_TOKEN_HEADER, renewal.tokens.refresh as string)
  const exposed = headers.get('access-control-expose-headers')
  const names = exposed ? exposed.split(',').map((name) => name.trim()) : []
  const missing = EXPOSED.filter((name) => !names.some((known) => known.toLowerCase() === name.toLowerCase()))
  if (missing.length > 0) headers.set('access-control-expose-headers', [...names, ...missing].join(', '))
}

/** The renewal on the response the handler produced. */
export function deliverRenewal(c: Context, delivery: RenewalDelivery, sessionCookieNames: readonly string[]): void {
  editResponseHeaders(c, (headers) => applyRenewal(headers, delivery, sessionCookieNames))
}
