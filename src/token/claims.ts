// The claim rules for Cognito ID and access tokens, checked after the signature: kind, audience,
// subject and claim types first, time last (so "expired" means "valid but for the time", the
// only failure a refresh may fix).
import { CognitoAuthError, type CognitoErrorCode } from '../errors'
import type { ResolvedVerifierOptions, TokenUse } from '../options'

interface CommonClaims {
  /** The user's immutable id in the pool: a non-empty string. */
  readonly sub: string
  /** The pool's issuer, one of those the verifier accepts. */
  readonly iss: string
  /** Expiry, in seconds since the epoch (a finite number, in the future when verified). */
  readonly exp: number
  /** Issue time, in seconds since the epoch (not in the future, not after `exp`). */
  readonly iat: number
  /** Not-before time, in seconds since the epoch, when present. */
  readonly nbf?: number
  /** When the user signed in, in seconds since the epoch. */
  readonly auth_time?: number
  /** The user's groups (absent for a user in none). */
  readonly 'cognito:groups'?: readonly string[]
  /** Every other claim, as Cognito put it in the token. */
  readonly [claim: string]: unknown
}

/** Claims of a verified Cognito ID token. */
export interface CognitoIdTokenClaims extends CommonClaims {
  /** Always `'id'`. */
  readonly token_use: 'id'
  /** The app client the token was issued to (one of the allowed clients). */
  readonly aud: string
  /** The user's Cognito username (what SECRET_HASH takes). */
  readonly 'cognito:username'?: string
  /** The user's email, when the pool keeps one (trust it only with `email_verified: true`). */
  readonly email?: string
}

/** Claims of a verified Cognito access token. */
export interface CognitoAccessTokenClaims extends CommonClaims {
  /** Always `'access'`. */
  readonly token_use: 'access'
  /** The app client the token was issued to (one of the allowed clients). */
  readonly client_id: string
  /** The user's Cognito username. */
  readonly username?: string
  /** The granted scopes, space-separated. */
  readonly scope?: string
}

export type CognitoClaims = CognitoIdTokenClaims | CognitoAccessTokenClaims

function fail(code: CognitoErrorCode, message: string): never {
  throw new CognitoAuthError(code, message)
}

function finiteNumber(payload: Record<string, unknown>, name: string, required: boolean): void {
  const value = payload[name]
  if (value === undefined && !required) return
  if (typeof value !== 'number' || !Number.isFinite(value)) fail('ERR_COGNITO_CLAIM', `${name} must be a finite number`)
}

function optionalString(payload: Record<string, unknown>, name: string): void {
  if (payload[name] !== undefined && typeof payload[name] !== 'string') fail('ERR_COGNITO_CLAIM', `${name} must be a string`)
}

/** Checks everything but time; returns the payload typed and frozen. */
export function checkClaims(
  payload: Record<string, unknown>,
  options: ResolvedVerifierOptions,
  wanted: TokenUse | null,
): CognitoClaims {
  const use = payload.token_use
  if (use !== 'id' && use !== 'access') fail('ERR_COGNITO_TOKEN_USE', 'token_use must be "id" or "access"')
  if (wanted !== null && use !== wanted) fail('ERR_COGNITO_TOKEN_USE', `expected an ${wanted} token, got an ${use} token`)
  const clientClaim = use === 'id' ? 'aud' : 'client_id'
  const client = payload[clientClaim]
  if (typeof client !== 'string') fail('ERR_COGNITO_CLAIM', `${clientClaim} must be a string`)
  if (options.clientIds !== null && !options.clientIds.includes(client)) {
    fail('ERR_COGNITO_AUDIENCE', `${clientClaim} is not an allowed app client`)
  }
  if (typeof payload.sub !== 'string' || payload.sub === '') fail('ERR_COGNITO_CLAIM', 'sub must be a non-empty string')
  finiteNumber(payload, 'exp', true)
  finiteNumber(payload, 'iat', true)
  finiteNumber(payload, 'nbf', false)
  finiteNumber(payload, 'auth_time', false)
  if ((payload.iat as number) > (payload.exp as number)) fail('ERR_COGNITO_CLAIM', 'iat is after exp')
  const groups = payload['cognito:groups']
  if (groups !== undefined && !(Array.isArray(groups) && groups.every((group) => typeof group === 'string'))) {
    fail('ERR_COGNITO_CLAIM', 'cognito:groups must be an array of strings')
  }
  optionalString(payload, 'scope')
  optionalString(payload, 'username')
  optionalString(payload, 'cognito:username')
  if (groups !== undefined) Object.freeze(groups)
  return Object.freeze(payload) as unknown as CognitoClaims
}

function timestamp(seconds: number): string {
  const date = new Date(seconds * 1000)
  return Number.isNaN(date.getTime()) ? `${seconds} (seconds since the epoch)` : date.toISOString()
}

/**
 * Checks `exp`, `nbf` and `iat` against the clock; `now` in milliseconds. `issuedLeewaySeconds`
 * more for `iat` only: tokens Cognito has just issued to us, whose clock may be a moment ahead.
 */
export function checkTime(claims: CognitoClaims, now: number, toleranceSeconds: number, issuedLeewaySeconds = 0): void {
  const seconds = now / 1000
  if (seconds >= claims.exp + toleranceSeconds) fail('ERR_COGNITO_EXPIRED', `token expired at ${timestamp(claims.exp)}`)
  if (claims.nbf !== undefined && claims.nbf > seconds + toleranceSeconds)
    fail('ERR_COGNITO_NOT_YET_VALID', 'nbf lies in the future')
  if (claims.iat > seconds + toleranceSeconds + issuedLeewaySeconds) fail('ERR_COGNITO_NOT_YET_VALID', 'iat lies in the future')
}
