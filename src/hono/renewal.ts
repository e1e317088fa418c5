// Renewing a session: one Cognito call per burst (per isolate, or across isolates with a
// coordinator), in the region of the session's own pool, the new tokens verified with the same
// verifier and held to the same user — for the middleware (an expired or soon-expiring session,
// handed back as headers or as cookies built before the handler runs) and for POST /auth/refresh.
import type { Context } from 'hono'
import { refreshTokens } from '../cognito/refresh'
import { CognitoAuthError } from '../errors'
import type { RenewedTokens } from '../renewal-coordinator'
import { sessionCookies } from '../session/cookies'
import type { SessionRenewal } from '../session/refresh-memory'
import { ACCESS_TOKEN_HEADER, ID_TOKEN_HEADER, REFRESH_TOKEN_HEADER, type RequestTokens } from '../session/transport'
import type { CognitoAccessTokenClaims, CognitoIdTokenClaims } from '../token/claims'
import { unverifiedClaims } from '../token/unverified-claims'
import { verifyIssued } from './issued'
import { editResponseHeaders } from './respond'
import type { ResolvedEdge } from './settings'

/** What the presented (possibly expired) tokens said about whose session this is; their signatures were verified. */
export interface PresentedSession {
  readonly idClaims: CognitoIdTokenClaims | null
  readonly accessClaims: CognitoAccessTokenClaims | null
}

/** Cognito's new tokens for this refresh token (the refresh token to keep: the rotated one, or this one). */
async function callCognito(
  edge: ResolvedEdge,
  refreshToken: string,
  session: PresentedSession,
  username: string | null,
): Promise<RenewedTokens> {
  const { rotation, admin } = edge.renewal
  const proof = session.idClaims ?? session.accessClaims
  // The session's own app client, pool and region, from its verified claims: pools may live in several
  // regions. A refresh token alone (POST /auth/refresh) goes to the client's defaults, the first pool.
  const { issuers } = edge.core.options
  const issuer = proof ? issuers.find((known) => known.issuer === proof.iss) : undefined
  const fresh = await refreshTokens(edge.cognito, {
    refreshToken,
    username: username ?? session.idClaims?.['cognito:username'] ?? session.accessClaims?.username ?? null,
    clientId: session.accessClaims?.client_id ?? session.idClaims?.aud ?? null,
    userPoolId: (proof ? issuer : issuers[0])?.userPoolId ?? null,
    region: issuer?.region ?? null,
    rotation,
    admin,
  })
  // Read unverified, only to bound how long a coordinator shares them: every isolate verifies what it adopts.
  const expires = Math.min(...[fresh.idToken, fresh.accessToken].map((token) => Number(unverifiedClaims(token)?.exp)))
  const validForMs = Number.isFinite(expires) ? expires * 1000 - edge.core.options.now() : undefined
  return {
    id: fresh.idToken,
    access: fresh.accessToken,
    refresh: fresh.refreshToken ?? refreshToken,
    ...(validForMs === undefined ? {} : { validForMs }),
  }
}

/** Cognito's tokens (this isolate's call, or another isolate's through the coordinator), verified here. */
async function verifiedRenewal(edge: ResolvedEdge, tokens: RenewedTokens, refreshToken: string): Promise<SessionRenewal> {
  const { idClaims, accessClaims } = await verifyIssued(edge, tokens.id, tokens.access)
  const renewal: SessionRenewal = {
    tokens: { id: tokens.id, access: tokens.access, refresh: tokens.refresh },
    idClaims,
    accessClaims,
    rotated: tokens.refresh !== refreshToken,
  }
  return Object.freeze(renewal)
}

/**
 * New tokens for a refresh token, the one way every renewal goes (the middleware's and POST
 * /auth/refresh's): one Cognito call per burst in this isolate's memory, and across isolates through
 * the coordinator, so a rotating refresh token is spent once; the new tokens verified and, when
 * `session` names whose it is, held to the same user. `username` (SECRET_HASH) overrides the
 * session's; `client` is the caller's trusted network (`clientNetwork`: an IPv6 /64), or null. A
 * CognitoAuthError otherwise (refresh rejected, Cognito unavailable, another user, too many attempts).
 */
export async function renew(
  edge: ResolvedEdge,
  refreshToken: string,
  session: PresentedSession,
  client: string | null,
  username: string | null = null,
): Promise<SessionRenewal> {
  const { memory, coordinator, timing } = edge.renewal
  const proof = session.idClaims ?? session.accessClaims
  // Who asks — this sign-in of this user, from this client: a failure bounds the calls that identity
  // makes with other refresh tokens; a stranger elsewhere holding one of its tokens cannot spend it.
  const identity = proof
    ? `${proof.iss} ${proof.sub} ${String(proof.origin_jti ?? proof.jti ?? proof.iat)} ${client ?? ''}`
    : undefined
  const call = () => callCognito(edge, refreshToken, session, username)
  const tokens = coordinator ? () => coordinator.renew(refreshToken, timing, call) : call
  const renewal = await memory.refresh(refreshToken, async () => verifiedRenewal(edge, await tokens(), refreshToken), identity)
  const { idClaims, accessClaims } = renewal
  if (
    proof &&
    (idClaims.sub !== proof.sub || accessClaims.sub !== proof.sub || idClaims.iss !== proof.iss || accessClaims.iss !== proof.iss)
  ) {
    throw new CognitoAuthError('ERR_COGNITO_TOKEN_MISMATCH', 'the refreshed tokens belong to another user')
  }
  return renewal
}

/** The middleware's renewal: only of a session proven by a signature-verified (possibly expired) token. */
export async function renewSession(
  edge: ResolvedEdge,
  tokens: RequestTokens,
  session: PresentedSession,
  client: string | null,
): Promise<SessionRenewal> {
  if (!edge.refresh || !tokens.refresh)
    throw new CognitoAuthError('ERR_COGNITO_TOKEN_MISSING', 'no refresh token to renew the session with')
  // A refresh token alone costs an attacker nothing, and must not cost a Cognito call.
  if (!session.idClaims && !session.accessClaims)
    throw new CognitoAuthError('ERR_COGNITO_TOKEN_MISSING', 'an ID or access token is required')
  return renew(edge, tokens.refresh, session, client)
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
