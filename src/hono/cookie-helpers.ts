// Writing and clearing session cookies on a Hono response, and issuing CSRF tokens, with the
// cookie options of the cognitoAuth that handled the request (or the ones given).
import type { Context } from 'hono'
import { CognitoAuthError } from '../errors'
import {
  type CookieOptions,
  type ResolvedCookieOptions,
  type SessionTokens,
  clearedSessionCookies,
  resolveCookieOptions,
  sessionCookies,
} from '../session/cookies'
import { issueCsrfToken } from '../session/csrf'
import { requestEdge } from './respond'

function cookieOptionsFor(c: Context, options: CookieOptions | undefined): ResolvedCookieOptions {
  if (options) return resolveCookieOptions(options)
  const fromMiddleware = requestEdge(c)?.cookies
  if (!fromMiddleware)
    throw new CognitoAuthError('ERR_COGNITO_CONFIG', 'cookie mode is off: pass cookie options or enable cookies in cognitoAuth')
  return fromMiddleware
}

/** Adds Set-Cookie headers for the tokens given (all-or-nothing: a cookie over 4096 bytes throws first). */
export function setSessionCookies(c: Context, tokens: Partial<SessionTokens>, options?: CookieOptions): void {
  const cookies = sessionCookies(tokens, cookieOptionsFor(c, options), requestEdge(c)?.now() ?? Date.now())
  for (const cookie of cookies) c.header('set-cookie', cookie, { append: true })
}

/** Adds Set-Cookie headers that remove the session cookies. */
export function clearSessionCookies(c: Context, options?: CookieOptions): void {
  for (const cookie of clearedSessionCookies(cookieOptionsFor(c, options))) c.header('set-cookie', cookie, { append: true })
}

/**
 * Sets a fresh `csrftoken` cookie and returns the token for the client to echo in `CsrfToken`.
 * Without options, the cookie is the one the edge's `csrf` section describes (Secure, HttpOnly),
 * as `GET /auth/generate_csrf` sets it; with options, those cookie attributes (not HttpOnly).
 */
export function setCsrfCookie(c: Context, options?: CookieOptions): string {
  const csrf = options ? null : requestEdge(c)?.csrf
  const { token, cookie } = csrf ? issueCsrfToken(csrf.cookie, csrf.httpOnly) : issueCsrfToken(cookieOptionsFor(c, options))
  c.header('set-cookie', cookie, { append: true })
  return token
}
