// settingsFromEnv: every setting from a Worker's env, the objects behind bindings included — the
// seed's settings-only configuration. COGNITO_USERS_D1 names the user table's D1 binding (then
// AUTO_CREATE_USER, the COGNITO_*_REF_FIELDs and COGNITO_USER_FIELD_MAPPING take effect);
// COGNITO_REVOCATIONS_D1 the revocation list's; COGNITO_RENEWAL_DO the renewal coordinator's
// Durable Object namespace.
import { configError } from '../config'
import { durableRenewals } from '../durable/client'
import { USER_TABLE_SETTINGS, settingsOf, userLookupFromEnv } from '../env'
import type { RenewalCoordinator } from '../renewal-coordinator'
import type { RevocationList } from '../revocation-list'
import type { CognitoSettings } from '../settings'
import type { UserStore } from '../user-store'
import type { CognitoUserRow } from './schema'
import type { D1Binding } from './options'
import { d1Revocations } from './revocations'
import { d1UserStore } from './store'

type Env = Record<string, unknown>

/** The settings that tune the revocation list; they need COGNITO_REVOCATIONS_D1 to take effect. */
const REVOCATION_SETTINGS = [
  'COGNITO_REVOCATION_MAX_STALENESS',
  'COGNITO_REVOCATION_ON_UNAVAILABLE',
  'COGNITO_REVOCATION_REFRESH_TOKEN_LIFETIME',
] as const

const isSet = (value: unknown) => value !== undefined && value !== null && value !== ''

/**
 * The binding `setting` names, checked by `accepts`; null when the setting is absent. A setting that
 * only takes effect with it (`dependents`) fails without it, naming both: it would do nothing.
 */
function binding(env: Env, setting: string, what: string, accepts: (value: unknown) => boolean, dependents: readonly string[]) {
  const name = typeof env[setting] === 'string' ? (env[setting] as string).trim() : env[setting]
  if (!isSet(name)) {
    const orphan = dependents.find((dependent) => isSet(env[dependent]))
    if (orphan) throw configError(`${orphan} needs ${setting}, the name of the ${what}`)
    return null
  }
  if (typeof name !== 'string') throw configError(`${setting} must be the name of a binding, e.g. "DB"`)
  if (!accepts(env[name])) throw configError(`${setting} names "${name}", which is not a ${what} of this Worker`)
  return env[name]
}

const isD1 = (value: unknown) => typeof (value as D1Binding | undefined)?.prepare === 'function'
const isNamespace = (value: unknown) => typeof (value as { idFromName?: unknown } | undefined)?.idFromName === 'function'

function revocationsFromEnv(env: Env): RevocationList | null {
  const database = binding(env, 'COGNITO_REVOCATIONS_D1', 'D1 binding', isD1, REVOCATION_SETTINGS)
  if (database === null) return null
  const staleness = env.COGNITO_REVOCATION_MAX_STALENESS
  const maxStaleness = isSet(staleness) ? Number(staleness) : undefined
  if (maxStaleness !== undefined && !(maxStaleness > 0 && Number.isFinite(maxStaleness)))
    throw configError(`COGNITO_REVOCATION_MAX_STALENESS must be a number of seconds above 0, not "${String(staleness)}"`)
  const mode = env.COGNITO_REVOCATION_ON_UNAVAILABLE
  const onUnavailable = isSet(mode) ? String(mode).trim().toLowerCase() : undefined
  if (onUnavailable !== undefined && onUnavailable !== 'closed' && onUnavailable !== 'open')
    throw configError(`COGNITO_REVOCATION_ON_UNAVAILABLE must be "closed" or "open", not "${String(mode)}"`)
  const lifetime = env.COGNITO_REVOCATION_REFRESH_TOKEN_LIFETIME
  const refreshTokenLifetime = isSet(lifetime) ? Number(lifetime) : undefined
  if (refreshTokenLifetime !== undefined && !(Number.isSafeInteger(refreshTokenLifetime) && refreshTokenLifetime > 0))
    throw configError(
      `COGNITO_REVOCATION_REFRESH_TOKEN_LIFETIME must be whole seconds above 0 (the app client's refresh token expiration), not "${String(lifetime)}"`,
    )
  return d1Revocations({
    database: database as D1Binding,
    ...(maxStaleness === undefined ? {} : { maxStaleness }),
    ...(onUnavailable === undefined ? {} : { onUnavailable }),
    ...(refreshTokenLifetime === undefined ? {} : { refreshTokenLifetime }),
  })
}

/**
 * `optionsFromEnv` plus what bindings hold: `users`, a `d1UserStore` on the binding COGNITO_USERS_D1
 * names, with the seed's user settings; `revocations`, a `d1Revocations` on COGNITO_REVOCATIONS_D1
 * (COGNITO_REVOCATION_MAX_STALENESS, COGNITO_REVOCATION_ON_UNAVAILABLE,
 * COGNITO_REVOCATION_REFRESH_TOKEN_LIFETIME); `renewals`, a
 * `durableRenewals` on the Durable Object namespace COGNITO_RENEWAL_DO names (the Worker exports
 * `CognitoRenewals` from cognito-edge/durable). Each is `null` without its setting. A setting that
 * needs one of those and comes without it fails, naming both. Pass the function itself: it runs once
 * per env object.
 *
 * @example
 * ```ts
 * // wrangler.toml: COGNITO_POOL_ID, APP_CLIENT_ID, COGNITO_USERS_D1 = "DB", COGNITO_REVOCATIONS_D1 = "DB", …
 * const edge = createCognitoEdge(settingsFromEnv)
 * app.route('/auth', edge.routes())
 * app.use('/api/*', edge.auth())
 * ```
 */
export function settingsFromEnv(env: object): CognitoSettings & {
  users: UserStore<CognitoUserRow | null> | null
  revocations: RevocationList | null
  renewals: RenewalCoordinator | null
} {
  const vars = env as Env
  const settings = settingsOf(env)
  const users = binding(vars, 'COGNITO_USERS_D1', 'D1 binding', isD1, USER_TABLE_SETTINGS)
  const namespace = binding(vars, 'COGNITO_RENEWAL_DO', 'Durable Object namespace', isNamespace, [])
  return {
    ...settings,
    users: users === null ? null : d1UserStore({ database: users as D1Binding, ...userLookupFromEnv(env) }),
    revocations: revocationsFromEnv(vars),
    renewals: namespace === null ? null : durableRenewals(namespace as Parameters<typeof durableRenewals>[0]),
  }
}
