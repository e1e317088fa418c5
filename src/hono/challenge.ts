// The one place HTTP status codes live: how a CognitoAuthError becomes a response (RFC 6750 §3
// for the Bearer challenge). Bodies are `{"error": "<sentence>", "code": "ERR_COGNITO_…"}` and never carry a
// token, cookie or secret.
import type { CognitoAuthError, CognitoErrorCode } from '../errors'

type Challenge = 'invalid_request' | 'invalid_token' | 'insufficient_scope' | null

const STATUS: Record<
  CognitoErrorCode,
  readonly [status: 400 | 401 | 403 | 404 | 405 | 409 | 429 | 500 | 503, challenge: Challenge]
> = {
  ERR_COGNITO_TOKEN_MISSING: [401, 'invalid_request'],
  ERR_COGNITO_TOKEN_MALFORMED: [401, 'invalid_token'],
  ERR_COGNITO_ALGORITHM: [401, 'invalid_token'],
  ERR_COGNITO_HEADER_UNSUPPORTED: [401, 'invalid_token'],
  ERR_COGNITO_KID: [401, 'invalid_token'],
  ERR_COGNITO_SIGNATURE: [401, 'invalid_token'],
  ERR_COGNITO_ISSUER: [401, 'invalid_token'],
  ERR_COGNITO_TOKEN_USE: [401, 'invalid_token'],
  ERR_COGNITO_AUDIENCE: [401, 'invalid_token'],
  ERR_COGNITO_EXPIRED: [401, 'invalid_token'],
  ERR_COGNITO_NOT_YET_VALID: [401, 'invalid_token'],
  ERR_COGNITO_CLAIM: [401, 'invalid_token'],
  ERR_COGNITO_TOKEN_MISMATCH: [401, 'invalid_token'],
  ERR_COGNITO_REVOKED: [401, 'invalid_token'],
  ERR_COGNITO_REFRESH_REJECTED: [401, 'invalid_token'],
  ERR_COGNITO_REFRESH_FAILED: [503, null],
  ERR_COGNITO_KEYS_UNAVAILABLE: [503, null],
  ERR_COGNITO_GROUP: [403, 'insufficient_scope'],
  ERR_COGNITO_SCOPE: [403, 'insufficient_scope'],
  ERR_COGNITO_CSRF: [403, null],
  ERR_COGNITO_USER_NOT_FOUND: [403, null],
  ERR_COGNITO_UNVERIFIED_CLAIM: [403, null],
  ERR_COGNITO_USER_CONFLICT: [409, null],
  ERR_COGNITO_COOKIE_TOO_LARGE: [500, null],
  ERR_COGNITO_NOT_AUTHORIZED: [401, null],
  ERR_COGNITO_NO_SUCH_USER: [404, null],
  ERR_COGNITO_PASSWORD_RESET_REQUIRED: [403, null],
  ERR_COGNITO_USER_EXISTS: [409, null],
  ERR_COGNITO_USER_NOT_CONFIRMED: [403, null],
  ERR_COGNITO_CODE_MISMATCH: [400, null],
  ERR_COGNITO_CODE_EXPIRED: [400, null],
  ERR_COGNITO_INVALID_PASSWORD: [400, null],
  ERR_COGNITO_INVALID_PARAMETER: [400, null],
  ERR_COGNITO_RESOURCE_NOT_FOUND: [404, null],
  ERR_COGNITO_THROTTLED: [429, null],
  ERR_COGNITO_UNAVAILABLE: [503, null],
  ERR_COGNITO_REQUEST_FAILED: [400, null],
  ERR_COGNITO_CREDENTIALS_MISSING: [500, null],
  ERR_COGNITO_STORE_UNAVAILABLE: [503, null],
  ERR_COGNITO_OAUTH2_STATE: [400, null],
  ERR_COGNITO_OAUTH2_DENIED: [401, null],
  ERR_COGNITO_OAUTH2_ERROR: [400, null],
  ERR_COGNITO_OAUTH2_CODE_REJECTED: [401, null],
  ERR_COGNITO_NONCE: [401, null],
  ERR_COGNITO_REVOCATIONS_UNAVAILABLE: [503, null],
  ERR_COGNITO_RENEWALS_UNAVAILABLE: [503, null],
  ERR_COGNITO_BAD_REQUEST: [400, 'invalid_request'],
  ERR_COGNITO_METHOD_NOT_ALLOWED: [405, null],
  ERR_COGNITO_CONFIG: [500, null],
}

/** Seconds a client should wait before retrying a 429 or 503. */
export const RETRY_AFTER_SECONDS = 5

/**
 * The HTTP status an error code answers with, for apps that answer errors themselves.
 *
 * @example
 * ```ts
 * app.onError((error, c) => (isCognitoAuthError(error) ? c.json({ code: error.code }, statusFor(error.code)) : c.text('oops', 500)))
 * ```
 */
export function statusFor(code: CognitoErrorCode): number {
  return STATUS[code][0]
}

/** A quoted-string per RFC 9110 §5.6.4: backslash and double quote escaped, controls dropped. */
function quoted(value: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${value.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/[\\"]/g, '\\$&')}"`
}

export interface ChallengeOptions {
  /** The `realm` of the Bearer challenge. */
  realm: string
  /** Scopes to name in an `insufficient_scope` challenge. */
  scope?: readonly string[]
  /** Whether the answer may carry a Bearer challenge: the middleware's do; the /auth endpoints' (no Bearer resource) do not. Default `true`. */
  challenge?: boolean
}

/** The response for an error: status, JSON body, and the Bearer challenge or Retry-After it calls for. */
export function errorResponse(error: CognitoAuthError, options: ChallengeOptions): Response {
  const [status, challenge] = STATUS[error.code]
  const headers = new Headers({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  if (challenge !== null && options.challenge !== false) {
    // RFC 6750 §3.1: a request without any credentials gets the realm only, no error code.
    const parts = [`realm=${quoted(options.realm)}`]
    if (error.code !== 'ERR_COGNITO_TOKEN_MISSING')
      parts.push(`error=${quoted(challenge)}`, `error_description=${quoted(error.message)}`)
    if (challenge === 'insufficient_scope' && options.scope?.length) parts.push(`scope=${quoted(options.scope.join(' '))}`)
    headers.set('www-authenticate', `Bearer ${parts.join(', ')}`)
  }
  if (status === 429 || status === 503) headers.set('retry-after', String(RETRY_AFTER_SECONDS))
  // `error` is a sentence, as the seed's clients show it; `code` is the stable one to branch on.
  return new Response(JSON.stringify({ error: error.message, code: error.code }), { status, headers })
}
