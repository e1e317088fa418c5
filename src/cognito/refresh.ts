// Renewing tokens with a refresh token: InitiateAuth REFRESH_TOKEN_AUTH (with SECRET_HASH when
// the client has a secret), AdminInitiateAuth in admin mode, or GetTokensFromRefreshToken when the
// app client rotates refresh tokens (REFRESH_TOKEN_AUTH is refused there).
import { CognitoAuthError } from '../errors'
import type { CognitoClient } from './client'
import { secretHash } from './secret-hash'

export interface RefreshSettings {
  readonly client: CognitoClient
  readonly clientId: string
  /** The app client secret, or null for a public client. */
  readonly clientSecret: string | null
  /** The session's pool: AdminInitiateAuth names it. */
  readonly userPoolId: string
  /** The session's region (from its issuer), where the call goes. Default: the client's region. */
  readonly region?: string | null
  /** `'auto'`: REFRESH_TOKEN_AUTH, falling back to GetTokensFromRefreshToken when Cognito says the client rotates. */
  readonly rotation: 'auto' | boolean
  /** Refresh with AdminInitiateAuth (server-side, IAM credentials) instead of InitiateAuth. */
  readonly admin: boolean
}

export interface RefreshedTokens {
  readonly id: string
  readonly access: string
  /** A new refresh token when Cognito rotated it, else null (keep the old one). */
  readonly refresh: string | null
  readonly expiresIn: number
}

interface AuthenticationResult {
  AuthenticationResult?: { IdToken?: unknown; AccessToken?: unknown; RefreshToken?: unknown; ExpiresIn?: unknown }
}

function tokensFrom(answer: AuthenticationResult, operation: string): RefreshedTokens {
  const result = answer.AuthenticationResult
  if (!result || typeof result.IdToken !== 'string' || typeof result.AccessToken !== 'string') {
    throw new CognitoAuthError('ERR_COGNITO_REQUEST_FAILED', `Cognito ${operation} answered without new tokens`)
  }
  return {
    id: result.IdToken,
    access: result.AccessToken,
    refresh: typeof result.RefreshToken === 'string' ? result.RefreshToken : null,
    expiresIn: typeof result.ExpiresIn === 'number' ? result.ExpiresIn : 3600,
  }
}

/**
 * Cognito's refusal of REFRESH_TOKEN_AUTH on a client that rotates refresh tokens: the flow is not
 * enabled for the client (`InvalidParameterException`), or a message naming rotation.
 */
function refusedForRotation(error: unknown): boolean {
  if (!(error instanceof CognitoAuthError)) return false
  const { type, message } = (error.cause ?? {}) as { type?: string; message?: string }
  return (
    (type === 'InvalidParameterException' && /refresh_token_auth|auth flow|not enabled/i.test(message ?? '')) ||
    /rotation|GetTokensFromRefreshToken/i.test(message ?? '')
  )
}

async function viaGetTokens(settings: RefreshSettings, refreshToken: string): Promise<RefreshedTokens> {
  const body: Record<string, unknown> = { ClientId: settings.clientId, RefreshToken: refreshToken }
  if (settings.clientSecret !== null) body.ClientSecret = settings.clientSecret
  return tokensFrom(
    await settings.client.call<AuthenticationResult>('GetTokensFromRefreshToken', body, { region: settings.region ?? null }),
    'GetTokensFromRefreshToken',
  )
}

async function viaRefreshTokenAuth(settings: RefreshSettings, refreshToken: string, username: string): Promise<RefreshedTokens> {
  const parameters: Record<string, string> = { REFRESH_TOKEN: refreshToken }
  if (settings.clientSecret !== null)
    parameters.SECRET_HASH = await secretHash(settings.clientSecret, username, settings.clientId)
  const operation = settings.admin ? 'AdminInitiateAuth' : 'InitiateAuth'
  const body: Record<string, unknown> = {
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    ClientId: settings.clientId,
    AuthParameters: parameters,
  }
  if (settings.admin) body.UserPoolId = settings.userPoolId
  return tokensFrom(
    await settings.client.call<AuthenticationResult>(operation, body, { region: settings.region ?? null }),
    operation,
  )
}

/**
 * New tokens for a refresh token. `username` is Cognito's username of the session (for
 * SECRET_HASH); without it a client with a secret refreshes through GetTokensFromRefreshToken,
 * which takes the secret itself. A refused refresh token is ERR_COGNITO_REFRESH_REJECTED.
 */
export async function refreshTokens(
  settings: RefreshSettings,
  refreshToken: string,
  username: string | null,
): Promise<RefreshedTokens> {
  try {
    const rotates =
      settings.rotation === true || (settings.rotation === 'auto' && settings.clientSecret !== null && username === null)
    if (rotates && !settings.admin) return await viaGetTokens(settings, refreshToken)
    if (settings.clientSecret !== null && username === null) {
      throw new CognitoAuthError('ERR_COGNITO_TOKEN_MISSING', 'an ID or access token is needed to refresh with a client secret')
    }
    try {
      return await viaRefreshTokenAuth(settings, refreshToken, username ?? '')
    } catch (error) {
      if (settings.rotation === 'auto' && !settings.admin && refusedForRotation(error))
        return await viaGetTokens(settings, refreshToken)
      throw error
    }
  } catch (error) {
    throw refreshFailure(error)
  }
}

/** Failures that are Cognito's or the network's, not the refresh token's: they end no session. */
const PASSED_THROUGH = new Set(['ERR_COGNITO_UNAVAILABLE', 'ERR_COGNITO_THROTTLED', 'ERR_COGNITO_TOKEN_MISSING'])

/**
 * What a failed refresh means. Only Cognito refusing the token itself (invalid, expired, revoked,
 * its user disabled) is ERR_COGNITO_REFRESH_REJECTED, which ends the session. NotAuthorized about
 * the app client ("Unable to verify secret hash for client …") is a misconfiguration, and like any
 * other unexpected answer (a WAF page, `{}`, a missing pool) it is ERR_COGNITO_REFRESH_FAILED: a
 * wrong setting must not sign every user out. Cognito's own message stays in `cause` only.
 */
function refreshFailure(error: unknown): unknown {
  if (!(error instanceof CognitoAuthError) || PASSED_THROUGH.has(error.code)) return error
  if (error.code === 'ERR_COGNITO_NOT_AUTHORIZED' && !/secret|client/i.test(error.message)) {
    return new CognitoAuthError('ERR_COGNITO_REFRESH_REJECTED', 'Cognito refused the refresh token; sign in again', {
      cause: error,
    })
  }
  return new CognitoAuthError(
    'ERR_COGNITO_REFRESH_FAILED',
    `renewing the session failed (${error.code}); check the app client settings and Cognito`,
    { cause: error },
  )
}
