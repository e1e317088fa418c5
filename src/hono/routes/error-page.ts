// Managed login's failures as a page: its routes are browser navigations (a click, Cognito's
// redirect back), where a JSON body is a dead end. Same status and code as the JSON answer, the
// sentence escaped, nothing else on the page; other clients keep the JSON.
import type { Context } from 'hono'
import { CognitoAuthError } from '../../errors'
import { RETRY_AFTER_SECONDS, statusFor } from '../challenge'
import { acceptsHtml } from '../login-redirect'
import type { RouteContext, RouteHandler } from './context'

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] as string)
}

/** The page for a failed sign-in or sign-out: the sentence, the code, and a way back to the start. */
export function errorPage(error: CognitoAuthError): Response {
  const status = statusFor(error.code)
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign-in failed</title></head>
<body>
<h1>Sign-in failed</h1>
<p>${escapeHtml(error.message)}</p>
<p><small>${error.code}</small></p>
<p><a href="/">Back to the start</a></p>
</body>
</html>
`
  const headers = new Headers({
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // The page runs nothing and loads nothing.
    'content-security-policy': "default-src 'none'",
  })
  if (status === 429 || status === 503) headers.set('retry-after', String(RETRY_AFTER_SECONDS))
  return new Response(html, { status, headers })
}

/**
 * Runs the handler, answering its failures with the page for browser navigations (and still
 * through the app's onError). A call per request, not a wrapper made at import: a call at module
 * scope would keep every handler in bundles that never serve them.
 */
export async function withErrorPage(c: Context, context: RouteContext, handler: RouteHandler): Promise<Response> {
  try {
    return await handler(c, context)
  } catch (error) {
    if (!(error instanceof CognitoAuthError) || !acceptsHtml(c)) throw error
    const response = errorPage(error)
    // Cookies set before the failure (the spent transaction cookie, a cleared session) still go out.
    for (const cookie of c.res.headers.getSetCookie()) response.headers.append('set-cookie', cookie)
    return context.edge.onError ? context.edge.onError(error, c, response) : response
  }
}
