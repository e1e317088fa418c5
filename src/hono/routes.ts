// cognitoRoutes: the seed's /auth endpoints as a Hono sub-app, with its bugs fixed; every
// failure is a CognitoAuthError answered with its 4xx/5xx status, never a 500 for bad input.
import { type Context, Hono } from 'hono'
import { CognitoAuthError } from '../errors'
import { type CognitoAuthOptionsInput, optionsResolver } from './options'
import { answerError } from './respond'
import { confirmForgotPassword, confirmSignup, forgotPassword, resendConfirmationCode, signup } from './routes-account'
import { type CognitoRoutesOptions, type ResolvedRoutesOptions, type RouteHandler, resolveRoutesOptions } from './routes-options'
import { confirmLogin, generateCsrf, login, logout, refresh } from './routes-session'

function route(resolve: (env: unknown) => ResolvedRoutesOptions, handler: RouteHandler) {
  return async function cognitoRoute(c: Context): Promise<Response> {
    const config = resolve(c.env)
    try {
      return await handler(c, config)
    } catch (error) {
      if (!(error instanceof CognitoAuthError)) throw error
      // Cookies a handler set before failing (logout clears them whatever Cognito says) go out with the error.
      return answerError(c, error, { realm: config.realm, onError: config.onError, cookies: c.res.headers.getSetCookie() })
    }
  }
}

/**
 * The seed's `/auth/*` endpoints as a Hono app to mount. Give it options, a function of the
 * Worker `env`, or nothing to read the seed's settings from `env`.
 *
 * @example
 * ```ts
 * import { cognitoRoutes } from 'cognito-edge/hono'
 *
 * app.route('/auth', cognitoRoutes()) // POST /auth/login, /auth/refresh, /auth/logout, …
 * ```
 */
export function cognitoRoutes(options?: CognitoAuthOptionsInput<CognitoRoutesOptions>): Hono {
  const resolve = optionsResolver(options, resolveRoutesOptions)
  const handlers: [string, RouteHandler][] = [
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
  const app = new Hono()
  for (const [path, handler] of handlers) app.post(path, route(resolve, handler))
  app.get('/generate_csrf', route(resolve, generateCsrf))
  return app
}
