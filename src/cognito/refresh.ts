// Renewing tokens with a refresh token: InitiateAuth REFRESH_TOKEN_AUTH (with SECRET_HASH when
// the client has a secret), AdminInitiateAuth in admin mode, or GetTokensFromRefreshToken when the
// app client rotates refresh tokens (REFRESH_TOKEN_AUTH is refused there).
import { configError } from '../config'
import { CognitoAuthError } from '../errors'
import { CognitoServiceError } from './service-error'
import { type CognitoTokens, signInResult } from './sign-in-result'
import type { CognitoClient } from './transport'

/** What a refresh needs: the token, and whose session it is. */
export interface RefreshInput {
  /** The refresh token. Required. */
  readonly refreshToken: string
  /**
   * Cognito's username of the session (`cognito:username` of its ID token, `username` of its access
   * token), for SECRET_HASH — never the email. Without it a client with a secret refreshes through
   * GetTokensFromRefreshToken, which takes the secret itself. Default none.
   */
  readonly username?: string | null
  /** The app client the refresh token was issued to (the session's `aud` / `client_id`). Default: the client's `clientId`. */
  readonly clientId?: string | null
  /** The session's pool: AdminInitiateAuth names it. Required with `admin`. */
  readonly userPoolId?: string | null
  /** The session's region (from its issuer), where the call goes. Default: the client's region. */
  readonly region?: string | null
  /** `'auto'`: REFRESH_TOKEN_AUTH, falling back to GetTokensFromRefreshToken when Cognito says the client rotates. Default `'auto'`. */
  readonly rotation?: 'auto' | boolean
  /** Refresh with AdminInitiateAuth (a signed call) instead of InitiateAuth. Default `false`. */
  readonly admin?: boolean
}

/**
 * Cognito's refusal of REFRESH_TOKEN_AUTH on a client that rotates refresh tokens: the flow is not
 * enabled for the client (`InvalidParameterException`), or a message naming rotation.
 */
function refusedForRotation(error: unknown): boolean {
  if (!(error instanceof CognitoServiceError)) return false
  return (
    (error.type === 'InvalidParameterException' && /refresh_token_auth|auth flow|not enabled/i.test(error.message)) ||
    /rotation|GetTokensFromRefreshToken/i.test(error.message)
  )
}

function tokensOf(answer: Record<string, unknown>, operation: string): CognitoTokens {
  let result: ReturnType<typeof signInResult>
  try {
    result = signInResult(answer, operation)
  } catch (cause) {
    // An answer without tokens to a refresh (`{}`): the exchange failed, which refreshFailure reports as such.
    throw new CognitoAuthError('ERR_COGNITO_REQUEST_FAILED', `Cognito ${operation} answered without new tokens`, { cause })
  }
  if (result.kind !== 'tokens')
    throw new CognitoAuthError('ERR_COGNITO_REQUEST_FAILED', `Cognito ${operation} answered with a challenge`)
  return result.tokens
}

/** Failures that are Cognito's or the network's, not the refresh token's: they end no session. */
const PASSED_THROUGH = new Set([
  'ERR_COGNITO_UNAVAILABLE',
  'ERR_COGNITO_THROTTLED',
  'ERR_COGNITO_TOKEN_MISSING',
  'ERR_COGNITO_CONFIG',
])

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
  const said = error instanceof CognitoServiceError ? (error.type ?? `HTTP ${error.status}`) : error.code
  return new CognitoAuthError(
    'ERR_COGNITO_REFRESH_FAILED',
    `renewing the session failed (${said}); check the app client settings and Cognito`,
    {
      cause: error,
    },
  )
}

/**
 * New tokens for a refresh token; `refreshToken` of the result is set only when Cognito rotated it.
 * A refused refresh token is ERR_COGNITO_REFRESH_REJECTED; any other failure is
 * ERR_COGNITO_REFRESH_FAILED, ERR_COGNITO_UNAVAILABLE or ERR_COGNITO_THROTTLED.
 *
 * @example
 * ```ts
 * const tokens = await refreshTokens(cognito, { refreshToken, username: claims['cognito:username'] })
 * ```
 */
export async function refreshTokens(cognito: CognitoClient, input: RefreshInput): Promise<CognitoTokens> {
  const clientId = input.clientId ?? cognito.clientId
  if (clientId === null) throw configError('refreshTokens needs the clientId of the refresh token')
  const rotation = input.rotation ?? 'auto'
  const admin = input.admin ?? false
  if (admin && !input.userPoolId) throw configError('refreshTokens with admin needs userPoolId')
  const secret = cognito.clientSecretFor(clientId)
  const username = input.username ?? null
  const callOptions = { region: input.region ?? null }

  async function viaGetTokens(): Promise<CognitoTokens> {
    const body: Record<string, unknown> = { ClientId: clientId, RefreshToken: input.refreshToken }
    if (secret !== null) body.ClientSecret = secret
    return tokensOf(await cognito.call('GetTokensFromRefreshToken', body, callOptions), 'GetTokensFromRefreshToken')
  }

  async function viaRefreshTokenAuth(): Promise<CognitoTokens> {
    const parameters: Record<string, string> = { REFRESH_TOKEN: input.refreshToken }
    const hash = username === null ? null : await cognito.secretHash(username, clientId as string)
    if (hash !== null) parameters.SECRET_HASH = hash
    const operation = admin ? 'AdminInitiateAuth' : 'InitiateAuth'
    const body: Record<string, unknown> = { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: parameters }
    if (admin) body.UserPoolId = input.userPoolId
    return tokensOf(await cognito.call(operation, body, callOptions), operation)
  }

  try {
    const rotates = rotation === true || (rotation === 'auto' && secret !== null && username === null)
    if (rotates && !admin) return await viaGetTokens()
    if (secret !== null && username === null) {
      throw new CognitoAuthError('ERR_COGNITO_TOKEN_MISSING', 'an ID or access token is needed to refresh with a client secret')
    }
    try {
      return await viaRefreshTokenAuth()
    } catch (error) {
      if (rotation === 'auto' && !admin && refusedForRotation(error)) return await viaGetTokens()
      throw error
    }
  } catch (error) {
    throw refreshFailure(error)
  }
}
