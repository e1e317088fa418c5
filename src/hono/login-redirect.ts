// Telling a browser from an API client: a page navigation that is not signed in is sent to the
// sign-in page (auth.loginRedirect), and managed login's own failures are shown as a page; an API
// request keeps its JSON and its 401. Small on purpose: it is all the middleware carries of managed login.
import type { Context } from 'hono'
import type { CognitoAuthError } from '../errors'
import { statusFor } from './challenge'
import type { ErrorHook } from './settings'

/** A browser asking for a page: its navigations say `Accept: text/html`; fetch() and API clients do not. */
export function acceptsHtml(c: Context): boolean {
  return /\btext\/html\b/i.test(c.req.header('accept') ?? '')
}

/** Whether a failure of this request is answered with the sign-in page rather than the 401. */
export function wantsLoginPage(c: Context, error: CognitoAuthError): boolean {
  return (c.req.method === 'GET' || c.req.method === 'HEAD') && acceptsHtml(c) && statusFor(error.code) === 401
}

/**
 * Whether the request is for the sign-in route itself (or, for managed login's own route, one of its
 * siblings: the callback, the logout). Those are for the signed-out: never redirected to sign-in,
 * which would loop (and lose Cognito's code on the callback).
 */
export function isSignInRoute(c: Context, loginPath: string): boolean {
  const base = loginPath.split('?')[0] as string
  const { pathname } = new URL(c.req.url)
  return pathname === base || (base.endsWith('/oauth2/login') && pathname.startsWith(base.slice(0, -'login'.length)))
}

/** 302 to `loginPath` with this request's path and query as `return_to` (the login route sanitizes it again). */
export async function loginRedirect(
  c: Context,
  loginPath: string,
  error: CognitoAuthError,
  how: { onError: ErrorHook | null; cookies?: readonly string[] | undefined },
): Promise<Response> {
  const { pathname, search } = new URL(c.req.url)
  const location = `${loginPath}${loginPath.includes('?') ? '&' : '?'}return_to=${encodeURIComponent(pathname + search)}`
  const response = new Response(null, { status: 302, headers: { location, 'cache-control': 'no-store' } })
  for (const cookie of how.cookies ?? []) response.headers.append('set-cookie', cookie)
  return how.onError ? how.onError(error, c, response) : response
}
