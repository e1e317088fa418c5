// The claim rules for Cognito ID and access tokens, checked after the signature: kind, audience,
// subject and claim types first, time last (so "expired" means "valid but for the time", the
// only failure a refresh may fix).
import { CognitoAuthError, type CognitoErrorCode } from '../errors'
import type { ResolvedVerifierOptions, TokenUse } from '../options'

interface CommonClaims {
  readonly sub: string
  readonly iss: string
  readonly exp: number
  readonly iat: number
  readonly nbf?: number
  readonly auth_time?: number
  readonly 'cognito:groups'?: readonly string[]
  readonly [claim: string]: unknown
}

/** Claims of a verified Cognito ID token. */
export interface CognitoIdTokenClaims extends CommonClaims {
  readonly token_use: 'id'
  readonly aud: string
  readonly 'cognito:username'?: string
  readonly email?: string
}

/** Claims of a verified Cognito access token. */
export interface CognitoAccessTokenClaims extends CommonClaims {
  readonly token_use: 'access'
  readonly client_id: string
  readonly username?: string
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

/** Checks `exp`, `nbf` and `iat` against the clock; `now` in milliseconds. */
export function checkTime(claims: CognitoClaims, now: number, toleranceSeconds: number): void {
  const seconds = now / 1000
  if (seconds >= claims.exp + toleranceSeconds) fail('ERR_COGNITO_EXPIRED', `token expired at ${timestamp(claims.exp)}`)
  if (claims.nbf !== undefined && claims.nbf > seconds + toleranceSeconds)
    fail('ERR_COGNITO_NOT_YET_VALID', 'nbf lies in the future')
  if (claims.iat > seconds + toleranceSeconds) fail('ERR_COGNITO_NOT_YET_VALID', 'iat lies in the future')
}
