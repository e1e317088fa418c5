// The seed's /auth endpoints as a Hono sub-app, with its bugs fixed; every failure is a
// CognitoAuthError answered with its 4xx/5xx status, never a 500 for bad input.
import { type Context, Hono } from 'hono'
import { CognitoAuthError } from '../../errors'
import { answerError } from '../respond'
import type { ResolvedEdge, ResolvedRoutes } from '../settings'
import { confirmForgotPassword, confirmSignup, forgotPassword, resendConfirmationCode, signup } from './account'
import type { RouteHandler } from './context'
import { confirmLogin, generateCsrf, login, logout, refresh } from './session'

const POST: [string, RouteHandler][] = [
  ['/login', login],
  ['/confirm_login', confirmLogin],
  ['/signup', signup],
  ['/confirm_signup', confirmSignup],
  ['/resend_confirmation_code', resendConfirmationCode],
  ['/forgot_password', forgotPassword],
  ['/confirm_forgot_password', confirmForgotPassword],
  ['/refresh', refresh],
  ['/logout', logout],
]

/** The /auth endpoints of an edge resolved per env, with the routes settings laid over its own. */
export function authRoutes(resolve: (env: unknown) => ResolvedEdge, routesFor: (edge: ResolvedEdge) => ResolvedRoutes): Hono {
  function route(handler: RouteHandler) {
    return async function cognitoRoute(c: Context): Promise<Response> {
      const edge = resolve(c.env)
      try {
        return await handler(c, { edge, routes: routesFor(edge) })
      } catch (error) {
        if (!(error instanceof CognitoAuthError)) throw error
        // Cookies a handler set before failing (logout clears them whatever Cognito says) go out with the error.
        return answerError(c, error, { realm: edge.realm, onError: edge.onError, cookies: c.res.headers.getSetCookie() })
      }
    }
  }
  const app = new Hono()
  for (const [path, handler] of POST) app.post(path, route(handler))
  app.get('/generate_csrf', route(generateCsrf))
  return app
}
