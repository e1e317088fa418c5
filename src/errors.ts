// The one error class of cognito-edge and its closed list of codes. Callers branch on `code`;
// messages are for people and never contain a token, cookie or secret.

/** Every code cognito-edge can raise, with what it means. The list is closed: nothing else escapes. */
export const ERROR_CODES = {
  // Tokens
  ERR_COGNITO_TOKEN_MISSING: 'no token was presented where one is required',
  ERR_COGNITO_TOKEN_MALFORMED: 'the token is not a strictly well-formed compact JWS',
  ERR_COGNITO_ALGORITHM: 'the token header names an algorithm other than RS256',
  ERR_COGNITO_HEADER_UNSUPPORTED: 'the token header carries crit, jku, x5u, jwk, x5c or another member this verifier refuses',
  ERR_COGNITO_KID: 'the token header has no usable kid, or the kid is not in the issuer key set',
  ERR_COGNITO_SIGNATURE: 'the signature does not verify with the issuer key',
  ERR_COGNITO_ISSUER: 'iss is not an allowed Cognito user pool issuer',
  ERR_COGNITO_TOKEN_USE: 'token_use is missing, unknown, or not the kind of token that was asked for',
  ERR_COGNITO_AUDIENCE: 'aud (ID token) or client_id (access token) is not an allowed app client',
  ERR_COGNITO_EXPIRED: 'exp is in the past',
  ERR_COGNITO_NOT_YET_VALID: 'nbf or iat lies in the future',
  ERR_COGNITO_CLAIM: 'a claim is missing or has the wrong type or value',
  ERR_COGNITO_TOKEN_MISMATCH: 'the ID and access tokens belong to different users, pools or clients',
  ERR_COGNITO_REVOKED: 'the session was ended by a logout or a sign-out everywhere (the revocation list)',
  ERR_COGNITO_KEYS_UNAVAILABLE: 'the issuer key set could not be fetched and no good copy is cached',
  // Authorization
  ERR_COGNITO_GROUP: 'the user is in none of the required groups',
  ERR_COGNITO_SCOPE: 'the access token lacks a required scope',
  ERR_COGNITO_CSRF: 'the CSRF cookie and header are missing or differ',
  ERR_COGNITO_USER_NOT_FOUND: 'no user row matches the token and auto-create is off',
  ERR_COGNITO_UNVERIFIED_CLAIM: 'the claim that identifies the user is one the user can change, and it is not verified',
  ERR_COGNITO_USER_CONFLICT: 'the stored user row that matches the token belongs to another sub',
  // Sessions and Cognito calls
  ERR_COGNITO_COOKIE_TOO_LARGE: 'a session cookie would exceed 4096 bytes',
  ERR_COGNITO_REFRESH_REJECTED: 'Cognito refused the refresh token',
  ERR_COGNITO_REFRESH_FAILED: 'renewing the session failed for a reason other than the refresh token (configuration, Cognito)',
  ERR_COGNITO_NOT_AUTHORIZED: 'Cognito refused the credentials',
  ERR_COGNITO_NO_SUCH_USER: 'Cognito has no user by that name',
  ERR_COGNITO_PASSWORD_RESET_REQUIRED: 'the user must reset the password before signing in',
  ERR_COGNITO_USER_EXISTS: 'a user with that username already exists',
  ERR_COGNITO_USER_NOT_CONFIRMED: 'the user has not confirmed the account',
  ERR_COGNITO_CODE_MISMATCH: 'the confirmation code is wrong',
  ERR_COGNITO_CODE_EXPIRED: 'the confirmation code has expired',
  ERR_COGNITO_INVALID_PASSWORD: 'the password does not meet the pool policy',
  ERR_COGNITO_INVALID_PARAMETER: 'Cognito rejected a parameter of the request',
  ERR_COGNITO_RESOURCE_NOT_FOUND: 'Cognito could not find the pool, client or user named',
  ERR_COGNITO_THROTTLED: 'Cognito or the rate limiter asked to slow down',
  ERR_COGNITO_UNAVAILABLE: 'Cognito could not be reached, timed out or failed',
  ERR_COGNITO_REQUEST_FAILED: 'Cognito rejected the request for another reason',
  ERR_COGNITO_CREDENTIALS_MISSING: 'an Admin* operation needs AWS credentials and none are configured',
  ERR_COGNITO_STORE_UNAVAILABLE: 'the user store (D1) failed',
  // Managed login (OAuth 2.0 authorization code + PKCE through the hosted UI)
  ERR_COGNITO_OAUTH2_STATE: 'the sign-in transaction is missing, expired, already used, tampered with, or its state differs',
  ERR_COGNITO_OAUTH2_DENIED: 'Cognito redirected back with access_denied (the user or an identity provider declined)',
  ERR_COGNITO_OAUTH2_ERROR: 'Cognito redirected back with an OAuth 2.0 error other than access_denied',
  ERR_COGNITO_OAUTH2_CODE_REJECTED: 'the token endpoint refused the authorization code exchange',
  ERR_COGNITO_NONCE: "the ID token's nonce is missing or is not the one this sign-in sent",
  ERR_COGNITO_REVOCATIONS_UNAVAILABLE: 'the revocation list (D1) could not be read (past the fail-closed bound) or written',
  ERR_COGNITO_RENEWALS_UNAVAILABLE: 'the renewal coordinator (Durable Object) could not be reached',
  // Requests and configuration
  ERR_COGNITO_BAD_REQUEST: 'the request body is not valid JSON or lacks a required field',
  ERR_COGNITO_METHOD_NOT_ALLOWED: 'the endpoint does not answer this HTTP method',
  ERR_COGNITO_CONFIG: 'an option or setting is missing or invalid',
} as const

export type CognitoErrorCode = keyof typeof ERROR_CODES

/**
 * The only error cognito-edge throws. Branch on `code`, never on `message`.
 *
 * @example
 * ```ts
 * try {
 *   await verifier.verify(token)
 * } catch (error) {
 *   if (error instanceof CognitoAuthError && error.code === 'ERR_COGNITO_EXPIRED') {
 *     // refresh the session
 *   }
 * }
 * ```
 */
export class CognitoAuthError extends Error {
  override readonly name: string = 'CognitoAuthError'
  readonly code: CognitoErrorCode

  constructor(code: CognitoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

/** True for a `CognitoAuthError`, optionally with one of the given codes. */
export function isCognitoAuthError(error: unknown, ...codes: CognitoErrorCode[]): error is CognitoAuthError {
  return error instanceof CognitoAuthError && (codes.length === 0 || codes.includes(error.code))
}
