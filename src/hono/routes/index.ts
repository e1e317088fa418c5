// The seed's /auth endpoints as a Hono sub-app, with its bugs fixed; every failure is a
// CognitoAuthError answered with its 4xx/5xx status, never a 500 for bad input.
import { type Context, Hono } from 'hono'
import { CognitoServiceError } from '../../cognito/service-error'
import { CognitoAuthError, type CognitoErrorCode } from '../../errors'
import { answerError } from '../respond'
import type { ResolvedEdge, ResolvedRoutes } from '../settings'
import { confirmForgotPassword, confirmSignup, forgotPassword, resendConfirmationCode, signup } from './account'
import type { RouteHandler } from './context'
import { oauth2Callback, oauth2Login, oauth2Logout } from './oauth2'
import { confirmLogin, generateCsrf, login, logout, refresh } from './session'

/**
 * Cognito's sentences a user can act on ("Password did not conform with policy", "An account with
 * the given email already exists.") reach the client as the seed passed them on; the rest can name
 * an app client, a pool or an ARN ("User pool client 1ab… does not exist.") and become a sentence of
 * ours — Cognito's stays in `cause`.
 */
const COGNITO_SENTENCES_SHOWN = new Set<CognitoErrorCode>([
  'ERR_COGNITO_INVALID_PASSWORD',
  'ERR_COGNITO_USER_EXISTS',
  'ERR_COGNITO_USER_NOT_CONFIRMED',
  'ERR_COGNITO_PASSWORD_RESET_REQUIRED',
  'ERR_COGNITO_CODE_MISMATCH',
  'ERR_COGNITO_CODE_EXPIRED',
  'ERR_COGNITO_INVALID_PARAMETER',
])

function publicError(error: CognitoAuthError): CognitoAuthError {
  if (!(error instanceof CognitoServiceError) || COGNITO_SENTENCES_SHOWN.has(error.code)) return error
  const said =
    error.code === 'ERR_COGNITO_THROTTLED' ? 'Too many requests; try again later.' : 'Cognito could not complete the request.'
  return new CognitoAuthError(error.code, said, { cause: error })
}

/** Every endpoint, its method and handler. */
const ENDPOINTS: [path: string, method: 'POST' | 'GET', handler: RouteHandler][] = [
  ['/login', 'POST', login],
  ['/confirm_login', 'POST', confirmLogin],
  ['/signup', 'POST', signup],
  ['/confirm_signup', 'POST', confirmSignup],
  ['/resend_confirmation_code', 'POST', resendConfirmationCode],
  ['/forgot_password', 'POST', forgotPassword],
  ['/confirm_forgot_password', 'POST', confirmForgotPassword],
  ['/refresh', 'POST', refresh],
  ['/logout', 'POST', logout],
  ['/generate_csrf', 'GET', generateCsrf],
  // Managed login (hosted UI): browser navigations, hence GET; 404 without the managedLogin section.
  ['/oauth2/login', 'GET', oauth2Login],
  ['/oauth2/callback', 'GET', oauth2Callback],
  ['/oauth2/logout', 'GET', oauth2Logout],
]

/** The /auth endpoints of an edge resolved per env, with the routes settings laid over its own. */
export function authRoutes(resolve: (env: unknown) => ResolvedEdge, routesFor: (edge: ResolvedEdge) => ResolvedRoutes): Hono {
  async function fail(c: Context, edge: ResolvedEdge, error: unknown): Promise<Response> {
    if (!(error instanceof CognitoAuthError)) throw error
    // Cookies a handler set before failing (logout clears them whatever Cognito says) go out with the error.
    return answerError(c, publicError(error), {
      realm: edge.realm,
      onError: edge.onError,
      cookies: c.res.headers.getSetCookie(),
      challenge: false,
    })
  }
  function route(handler: RouteHandler) {
    return async function cognitoRoute(c: Context): Promise<Response> {
      const edge = resolve(c.env)
      try {
        return await handler(c, { edge, routes: routesFor(edge) })
      } catch (error) {
        return fail(c, edge, error)
      }
    }
  }
  function wrongMethod(allow: string) {
    return async function cognitoWrongMethod(c: Context): Promise<Response> {
      const error = new CognitoAuthError('ERR_COGNITO_METHOD_NOT_ALLOWED', `this endpoint answers ${allow} only`)
      const response = await fail(c, resolve(c.env), error)
      response.headers.set('allow', allow)
      return response
    }
  }
  const app = new Hono()
  for (const [path, method, handler] of ENDPOINTS) {
    // The seed's URL patterns matched a trailing slash too (`login/`): clients that send it keep working.
    for (const each of [path, `${path}/`]) {
      app.on(method, each, route(handler))
      app.all(each, wrongMethod(method === 'GET' ? 'GET, HEAD' : 'POST'))
    }
  }
  return app
}
