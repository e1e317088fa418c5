// What every /auth endpoint gets: its edge and routes settings, the CSRF guard of the cookie
// endpoints, and the rate limiter of the guessable ones.
import type { Context } from 'hono'
import { CognitoAuthError } from '../../errors'
import { parseCookieHeader } from '../../session/cookies'
import { CSRF_COOKIE, CSRF_HEADER, checkCsrf } from '../../session/csrf'
import { clientIp } from '../client-ip'
import type { RateLimitAttempt, RateLimitedRoute, ResolvedEdge, ResolvedRoutes } from '../settings'

export interface RouteContext {
  readonly edge: ResolvedEdge
  readonly routes: ResolvedRoutes
}

/** An /auth endpoint: the request and the settings resolved for its env. */
export type RouteHandler = (c: Context, context: RouteContext) => Promise<Response>

/** The double-submit check for endpoints that read or write the session cookies. */
export function csrfGuard(c: Context, { edge }: RouteContext): void {
  if (edge.cookies && edge.csrf.check) {
    checkCsrf(parseCookieHeader(c.req.header('cookie') ?? null).get(CSRF_COOKIE), c.req.header(CSRF_HEADER) ?? null)
  }
}

/** Asks the app's rate limiter about an attempt on `route` for `username`; a refusal is 429 ERR_COGNITO_THROTTLED. */
export async function limit(c: Context, { routes }: RouteContext, route: RateLimitedRoute, username: string): Promise<void> {
  if (!routes.rateLimit) return
  const attempt: RateLimitAttempt = {
    route,
    username,
    key: username.trim().toLowerCase(),
    ip: clientIp(c),
  }
  if (!(await routes.rateLimit(c, attempt)))
    throw new CognitoAuthError('ERR_COGNITO_THROTTLED', 'too many attempts; try again later')
}
