// createCognitoEdge: one resolved configuration (per settings object, or per Worker env object)
// behind the middleware, the guards and the /auth routes of an app. cognitoAuth and cognitoRoutes
// are thin wrappers over it.
import type { Hono, MiddlewareHandler } from 'hono'
import type { CognitoClient } from '../cognito/transport'
import { configError } from '../config'
import type { RevocationList } from '../revocation-list'
import type { AuthSettings } from '../settings'
import type { CognitoVerifier } from '../token/verify'
import { type CognitoAuthOptionalVariables, type CognitoAuthVariables, authMiddleware } from './middleware'
import { authRoutes } from './routes'
import { resolveAuth, resolveRoutes } from './resolve'
import { resolveManagedLogin } from './resolve-managed-login'
import { edgeResolver, perEdge } from './resolver'
import type { CognitoEdgeInput, CognitoEdgeSettings, ResolvedAuth, RoutesSettings } from './settings'

export interface CognitoEdge<User = null> {
  /** The auth middleware; `overrides` lay over the `auth` section (e.g. `{ optional: true }` for one route). */
  auth(overrides: AuthSettings & { optional: true }): MiddlewareHandler<{ Variables: CognitoAuthOptionalVariables<User> }>
  auth(overrides?: AuthSettings): MiddlewareHandler<{ Variables: CognitoAuthVariables<User> }>
  /** The `/auth/*` endpoints as a Hono app to mount; `overrides` lay over the `routes` section. */
  routes(overrides?: RoutesSettings): Hono
  /**
   * The verifier, Cognito client and revocation list of the edge for a Worker env (the same objects every
   * request of that env uses): what `signOutEverywhere(edge.for(c.env), …)` works with.
   */
  for(env: unknown): EdgeParts
}

/** The parts of an edge the framework-free functions work with. */
export interface EdgeParts {
  /** The verifier every request uses. */
  readonly verifier: CognitoVerifier
  /** The Cognito client of the routes and renewals. */
  readonly cognito: CognitoClient
  /** The revocation list, when the edge has one (`revocations` setting). */
  readonly revocations: RevocationList | null
}

/** An edge whose settings are an object: its verifier and Cognito client exist now. */
export interface CognitoEdgeWithClients<User = null> extends CognitoEdge<User> {
  /** The verifier every request uses: call `verify` on it elsewhere and share its caches. */
  readonly verifier: CognitoVerifier
  /** The Cognito client of the routes and renewals, for the framework-free operations (`signIn(edge.cognito, …)`). */
  readonly cognito: CognitoClient
  /** The revocation list the middleware honours, if any (`signOutEverywhere(edge, …)`). */
  readonly revocations: RevocationList | null
}

/**
 * One configuration for the middleware, the guards and the `/auth` routes: settings, or a function
 * of the Worker env that returns them (e.g. `optionsFromEnv`, called once per env object).
 *
 * @example
 * ```ts
 * import { Hono } from 'hono'
 * import { createCognitoEdge, requireGroups, type CognitoAuthVariables } from 'cognito-edge/hono'
 *
 * const edge = createCognitoEdge({ pool: { userPoolId: 'us-east-1_AbC123', clientId: '1example23456789abcdefghij' } })
 * const app = new Hono<{ Variables: CognitoAuthVariables }>()
 * app.route('/auth', edge.routes())
 * app.use('/api/*', edge.auth())
 * app.get('/api/admin', requireGroups('admins'), (c) => c.json(c.var.cognito.claims))
 * ```
 */
export function createCognitoEdge<User = null>(settings: CognitoEdgeSettings<User>): CognitoEdgeWithClients<User>
export function createCognitoEdge<User = null>(settings: (env: never) => CognitoEdgeSettings<User>): CognitoEdge<User>
export function createCognitoEdge(input: CognitoEdgeInput<unknown>): CognitoEdge<unknown> {
  // The edge that serves the routes resolves managed login too (cognitoAuth alone carries none of it).
  const resolve = edgeResolver(input, resolveManagedLogin)
  const edge: CognitoEdge<unknown> = {
    auth(overrides?: AuthSettings): MiddlewareHandler {
      const authFor = perEdge((resolved): ResolvedAuth => resolveAuth(overrides, resolved.managedLogin !== null, resolved.auth))
      if (typeof input !== 'function') authFor(resolve(undefined)) // a bad override fails now, not per request
      return authMiddleware(resolve, authFor)
    },
    routes(overrides?: RoutesSettings): Hono {
      const routesFor = perEdge((resolved) => {
        // Every sign-in and account endpoint names the app client: without one, fail when built, not per request.
        if (resolved.cognito.clientId === null)
          throw configError('the /auth routes need pool.clientId (APP_CLIENT_ID): the app client users sign in with')
        return resolveRoutes(overrides, resolved.routes)
      })
      if (typeof input !== 'function') routesFor(resolve(undefined))
      return authRoutes(resolve, routesFor)
    },
    for(env: unknown): EdgeParts {
      const { verifier, cognito, revocations } = resolve(env)
      return { verifier, cognito, revocations }
    },
  } as CognitoEdge<unknown>
  if (typeof input === 'function') return Object.freeze(edge)
  const { verifier, cognito, revocations } = resolve(undefined)
  return Object.freeze({ ...edge, verifier, cognito, revocations })
}

/**
 * The seed's `/auth/*` endpoints alone: `createCognitoEdge(settings).routes()`.
 *
 * @example
 * ```ts
 * app.route('/auth', cognitoRoutes(optionsFromEnv)) // POST /auth/login, /auth/refresh, /auth/logout, …
 * ```
 */
export function cognitoRoutes(settings: CognitoEdgeInput<unknown>): Hono {
  return createCognitoEdge(settings as CognitoEdgeSettings<unknown>).routes()
}
