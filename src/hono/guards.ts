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

/** Which token's `cognito:groups` a group guard reads. */
export interface GroupGuardOptions {
  /**
   * `'access'`: the access token only (a request without one is refused); `'id'`: the ID token only;
   * `'access-or-id'`: the access token when one was presented, else the ID token. Access tokens are
   * what Cognito means for authorization, and the ones a short `accessTokenValidity` keeps fresh
   * after a user leaves a group. Default `'access-or-id'`.
   */
  from?: 'access' | 'id' | 'access-or-id'
}

const GROUP_SOURCES = ['access', 'id', 'access-or-id'] as const

function groupSource(options: GroupGuardOptions): NonNullable<GroupGuardOptions['from']> {
  const from = options.from ?? 'access-or-id'
  if (!GROUP_SOURCES.includes(from))
    throw new CognitoAuthError('ERR_COGNITO_CONFIG', `from must be one of ${GROUP_SOURCES.join(', ')}`)
  return from
}

/**
 * Lets the request through when the user is in any of the groups. A last argument of options
 * chooses which token's groups count (see `GroupGuardOptions`).
 *
 * @example
 * ```ts
 * app.use('/api/*', edge.auth())
 * app.get('/api/admin', requireGroups('admins', 'owners'), (c) => c.text('ok'))
 * app.delete('/api/users/:id', requireGroups('admins', { from: 'access' }), handler)
 * ```
 */
export function requireGroups(...args: [...groups: string[], options: GroupGuardOptions] | string[]): Guard {
  const last = args.at(-1)
  const options = typeof last === 'object' && last !== null ? (last as GroupGuardOptions) : {}
  const wanted = names('requireGroups', (typeof last === 'object' ? args.slice(0, -1) : args) as string[])
  const from = groupSource(options)
  return async function requireGroups(c, next) {
    const session = c.var.cognito
    if (!session) return respondWithError(c, unauthenticated())
    const claims =
      from === 'id' ? session.idClaims : from === 'access' ? session.accessClaims : (session.accessClaims ?? session.idClaims)
    const held = claims?.['cognito:groups'] ?? []
    if (!wanted.some((group) => held.includes(group))) {
      const which = claims ? '' : ` (the ${from === 'id' ? 'ID' : 'access'} token was not presented)`
      return respondWithError(
        c,
        new CognitoAuthError('ERR_COGNITO_GROUP', `one of these groups is required: ${wanted.join(', ')}${which}`),
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
 * app.post('/api/orders', edge.auth({ require: 'access' }), requireScopes('orders/write'), handler)
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
