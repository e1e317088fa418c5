// Renewing an expired (or soon-expiring) session inside the request: one Cognito call per burst,
// the new tokens verified with the same verifier and held to the same user, then handed back to
// the client — as headers for header sessions, as cookies for cookie sessions.
import type { Context } from 'hono'
import { refreshTokens } from '../cognito/refresh'
import { CognitoAuthError } from '../errors'
import { type SessionTokens, sessionCookies } from '../session/cookies'
import { ACCESS_TOKEN_HEADER, ID_TOKEN_HEADER, REFRESH_TOKEN_HEADER, type RequestTokens } from '../session/transport'
import type { CognitoAccessTokenClaims, CognitoIdTokenClaims } from '../token/claims'
import type { ResolvedAuthOptions, ResolvedRefresh } from './options'
import { editResponseHeaders } from './respond'

export interface SessionRenewal {
  readonly tokens: SessionTokens
  readonly idClaims: CognitoIdTokenClaims
  readonly accessClaims: CognitoAccessTokenClaims
  /** Cognito issued a new refresh token (rotation). */
  readonly rotated: boolean
}

/** What the expired tokens said about whose session this is (their signatures were verified). */
export interface ExpiredSession {
  readonly idClaims: CognitoIdTokenClaims | null
  readonly accessClaims: CognitoAccessTokenClaims | null
}

async function callCognito(config: ResolvedAuthOptions, refresh: ResolvedRefresh, refreshToken: string, expired: ExpiredSession) {
  const clientId = expired.accessClaims?.client_id ?? expired.idClaims?.aud ?? refresh.defaultClientId
  if (clientId === null) throw new CognitoAuthError('ERR_COGNITO_CONFIG', 'refreshing needs clientId (APP_CLIENT_ID) to be set')
  const username = expired.idClaims?.['cognito:username'] ?? expired.accessClaims?.username ?? null
  // The session's own pool and region, from its verified issuer: pools may live in several regions.
  const iss = (expired.idClaims ?? expired.accessClaims)?.iss
  const issuer = config.verifier.options.issuers.find((known) => known.issuer === iss)
  const fresh = await refreshTokens(
    { ...refresh, clientId, userPoolId: issuer?.userPoolId ?? refresh.userPoolId, region: issuer?.region ?? null },
    refreshToken,
    username,
  )
  const [idClaims, accessClaims] = await Promise.all([
    config.verifier.verify(fresh.id, { tokenUse: 'id' }) as Promise<CognitoIdTokenClaims>,
    config.verifier.verify(fresh.access, { tokenUse: 'access' }) as Promise<CognitoAccessTokenClaims>,
  ])
  const renewal: SessionRenewal = {
    tokens: { id: fresh.id, access: fresh.access, refresh: fresh.refresh ?? refreshToken },
    idClaims,
    accessClaims,
    rotated: fresh.refresh !== null && fresh.refresh !== refreshToken,
  }
  return Object.freeze(renewal)
}

/** New tokens for the session, or a CognitoAuthError (refresh rejected, Cognito unavailable, another user). */
export async function renewSession(
  config: ResolvedAuthOptions,
  tokens: RequestTokens,
  expired: ExpiredSession,
): Promise<SessionRenewal> {
  const refresh = config.refresh
  if (!refresh || !tokens.refresh)
    throw new CognitoAuthError('ERR_COGNITO_TOKEN_MISSING', 'no refresh token to renew the session with')
  // Only a session proven by a signature-verified (possibly expired) token is renewed: a refresh
  // token alone costs an attacker nothing, and must not cost a Cognito call.
  const proof = expired.idClaims ?? expired.accessClaims
  if (!proof) throw new CognitoAuthError('ERR_COGNITO_TOKEN_MISSING', 'an ID or access token is required')
  const refreshToken = tokens.refresh
  const renewal = await refresh.memory.refresh(refreshToken, () => callCognito(config, refresh, refreshToken, expired))
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

/** Whether a valid session is close enough to expiry to renew it now (the `refreshBefore` option). */
export function expiresSoon(config: ResolvedAuthOptions, session: ExpiredSession): boolean {
  const window = config.refresh?.refreshBeforeSeconds ?? 0
  if (window === 0) return false
  const exp = Math.min(session.idClaims?.exp ?? Infinity, session.accessClaims?.exp ?? Infinity)
  return exp - config.now() / 1000 < window
}

const EXPOSED = [ACCESS_TOKEN_HEADER, ID_TOKEN_HEADER, REFRESH_TOKEN_HEADER]

/** How renewed tokens go back to the client: Set-Cookie values for cookie sessions, else null (headers). */
export interface RenewalDelivery {
  readonly renewal: SessionRenewal
  readonly cookies: readonly string[] | null
}

/**
 * Prepares the delivery before the handler runs, so that a cookie over the size limit fails the
 * request before any of its side effects, as a structured error (never a 500 after the handler).
 */
export function prepareDelivery(
  config: ResolvedAuthOptions,
  renewal: SessionRenewal,
  source: RequestTokens['source'],
): RenewalDelivery {
  const tokens = renewal.rotated ? renewal.tokens : { id: renewal.tokens.id, access: renewal.tokens.access }
  const cookies = source === 'cookie' && config.cookies ? sessionCookies(tokens, config.cookies, config.now()) : null
  return { renewal, cookies }
}

/** Puts the renewed tokens on the response: Set-Cookie for cookie sessions, the seed's headers otherwise. */
export function deliverRenewal(c: Context, { renewal, cookies }: RenewalDelivery): void {
  editResponseHeaders(c, (headers) => {
    headers.set('cache-control', 'no-store')
    if (cookies) {
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
  })
}
