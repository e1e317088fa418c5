// cognitoAuth: the auth middleware alone, without the /auth routes — so an app that only
// verifies sessions bundles none of the sign-in, account or routing code.
import type { MiddlewareHandler } from 'hono'
import { type CognitoAuthOptionalVariables, type CognitoAuthVariables, authMiddleware } from './middleware'
import { edgeResolver } from './resolver'
import type { CognitoEdgeInput, CognitoEdgeSettings } from './settings'

/**
 * The auth middleware alone: `createCognitoEdge(settings).auth()`.
 *
 * @example
 * ```ts
 * app.use('/api/*', cognitoAuth({ pool: { userPoolId: 'us-east-1_AbC123', clientId: '1example23456789abcdefghij' } }))
 * app.get('/api/me', (c) => c.json({ sub: c.var.cognito.claims.sub }))
 * ```
 */
export function cognitoAuth<User = null>(
  settings: CognitoEdgeSettings<User> & { auth: { optional: true } },
): MiddlewareHandler<{ Variables: CognitoAuthOptionalVariables<User> }>
export function cognitoAuth<User = null>(
  settings: CognitoEdgeInput<User>,
): MiddlewareHandler<{ Variables: CognitoAuthVariables<User> }>
export function cognitoAuth(settings: CognitoEdgeInput<unknown>): MiddlewareHandler {
  // A settings object is resolved now (a mistake fails at startup); a function of env per env object.
  return authMiddleware(edgeResolver(settings), (edge) => edge.auth)
}
