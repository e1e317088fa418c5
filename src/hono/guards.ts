// Authorization guards that run after cognitoAuth: groups from `cognito:groups`, scopes from the
// access token's `scope`. Failures are 403 with an `insufficient_scope` challenge.
import type { MiddlewareHandler } from 'hono'
import { CognitoAuthError } from '../errors'
import type { CognitoAuthOptionalVariables } from './middleware'
import { respondWithError } from './respond'

/** Typed for any user row, so a guard fits apps whatever their user store. */
type Guard = MiddlewareHandler<{ Variables: CognitoAuthOptionalVariables<unknown> }>

function names(kind: string, values: readonly string[]): readonly string[] {
  if (values.length === 0 || values.some((value) => typeof value !== 'string' || value === '')) {
    throw new CognitoAuthError('ERR_COGNITO_CONFIG', `${kind} needs at least one non-empty name`)
  }
  return Object.freeze([...values])
}

const unauthenticated = () => new CognitoAuthError('ERR_COGNITO_TOKEN_MISSING', 'this route needs an authenticated user')

/**
 * Lets the request through when the user is in any of the groups.
 *
 * @example
 * ```ts
 * app.get('/admin', cognitoAuth(), requireGroups('admins', 'owners'), (c) => c.text('ok'))
 * ```
 */
export function requireGroups(...groups: string[]): Guard {
  const wanted = names('requireGroups', groups)
  return async function requireGroups(c, next) {
    const session = c.var.cognito
    if (!session) return respondWithError(c, unauthenticated())
    const held = (session.accessClaims ?? session.claims)['cognito:groups'] ?? []
    if (!wanted.some((group) => held.includes(group))) {
      return respondWithError(
        c,
        new CognitoAuthError('ERR_COGNITO_GROUP', `one of these groups is required: ${wanted.join(', ')}`),
      )
    }
    await next()
  }
}

/**
 * Lets the request through when the access token grants every one of the scopes.
 *
 * @example
 * ```ts
 * app.post('/orders', cognitoAuth({ ...settings, require: 'access' }), requireScopes('orders/write'), handler)
 * ```
 */
export function requireScopes(...scopes: string[]): Guard {
  const wanted = names('requireScopes', scopes)
  return async function requireScopes(c, next) {
    const session = c.var.cognito
    if (!session) return respondWithError(c, unauthenticated())
    const granted = new Set((session.accessClaims?.scope ?? '').split(' ').filter(Boolean))
    const lacking = wanted.filter((scope) => !granted.has(scope))
    if (lacking.length > 0) {
      const message = session.accessClaims
        ? `the access token lacks the scope ${lacking.join(', ')}`
        : 'scopes need an access token'
      return respondWithError(c, new CognitoAuthError('ERR_COGNITO_SCOPE', message), wanted)
    }
    await next()
  }
}
