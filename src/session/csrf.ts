// Double-submit CSRF protection with the seed's names: cookie `csrftoken` must equal header
// `CsrfToken`. Only cookie-authenticated requests with unsafe methods are checked; a request that
// carries its token in a header has no ambient credential for a forged request to ride on.
import { CognitoAuthError } from '../errors'
import { encodeBase64Url } from '../token/base64url'
import { type ResolvedCookieOptions, serializeCookie } from './cookies'

export const CSRF_COOKIE = 'csrftoken'
export const CSRF_HEADER = 'CsrfToken'
/** Methods that must not change state (RFC 9110 §9.2.1); every other method is checked, PURGE included. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE'])
/** The CSRF cookie outlives sessions; a new one is issued by `/auth/generate_csrf` whenever asked. */
const CSRF_MAX_AGE = 31_536_000

/** Compares in time that depends only on the lengths, not on where the strings differ. */
export function timingSafeEqual(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a)
  const right = new TextEncoder().encode(b)
  let difference = left.length ^ right.length
  for (let i = 0; i < left.length; i++) difference |= (left[i] as number) ^ (right[i % right.length] ?? 0)
  return difference === 0
}

export function isUnsafeMethod(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase())
}

/** Throws ERR_COGNITO_CSRF unless the header repeats the cookie. */
export function checkCsrf(cookie: string | undefined, header: string | null): void {
  if (!cookie || !header)
    throw new CognitoAuthError('ERR_COGNITO_CSRF', `the ${CSRF_HEADER} header and ${CSRF_COOKIE} cookie are required`)
  if (!timingSafeEqual(cookie, header))
    throw new CognitoAuthError('ERR_COGNITO_CSRF', `the ${CSRF_HEADER} header does not match the ${CSRF_COOKIE} cookie`)
}

/**
 * A fresh random CSRF token (256 bits) and the Set-Cookie value that stores it: readable by scripts
 * unless `httpOnly` (then they echo the token the endpoint answered with).
 */
export function issueCsrfToken(options: ResolvedCookieOptions, httpOnly = false): { token: string; cookie: string } {
  const token = encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)))
  return { token, cookie: serializeCookie(CSRF_COOKIE, token, options, { maxAge: CSRF_MAX_AGE, httpOnly }) }
}
