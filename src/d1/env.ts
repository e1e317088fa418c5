// settingsFromEnv: every setting from a Worker's env, the user table included — the seed's
// settings-only configuration. COGNITO_USERS_D1 names the D1 binding; with it AUTO_CREATE_USER,
// the COGNITO_*_REF_FIELDs and COGNITO_USER_FIELD_MAPPING take effect.
import { configError } from '../config'
import { USER_TABLE_SETTINGS, settingsOf, userLookupFromEnv } from '../env'
import type { CognitoSettings } from '../settings'
import type { UserStore } from '../user-store'
import type { CognitoUserRow } from './schema'
import type { D1Binding } from './options'
import { d1UserStore } from './store'

type Env = Record<string, unknown>

/**
 * `optionsFromEnv` plus the user table: `users` is a `d1UserStore` on the binding COGNITO_USERS_D1
 * names, with the seed's user settings; `null` without it. A user setting without COGNITO_USERS_D1
 * fails (it would do nothing), naming it. Pass the function itself: it runs once per env object.
 *
 * @example
 * ```ts
 * // wrangler.toml: COGNITO_POOL_ID, APP_CLIENT_ID, COGNITO_USERS_D1 = "DB", AUTO_CREATE_USER = "true", …
 * const edge = createCognitoEdge(settingsFromEnv)
 * app.route('/auth', edge.routes())
 * app.use('/api/*', edge.auth())
 * ```
 */
export function settingsFromEnv(env: object): CognitoSettings & { users: UserStore<CognitoUserRow | null> | null } {
  const vars = env as Env
  const settings = settingsOf(env)
  const binding = typeof vars.COGNITO_USERS_D1 === 'string' ? vars.COGNITO_USERS_D1.trim() : vars.COGNITO_USERS_D1
  if (binding === undefined || binding === null || binding === '') {
    const orphan = USER_TABLE_SETTINGS.find((name) => vars[name] !== undefined && vars[name] !== null && vars[name] !== '')
    if (orphan) throw configError(`${orphan} needs COGNITO_USERS_D1, the name of the D1 binding of the user table`)
    return { ...settings, users: null }
  }
  if (typeof binding !== 'string') throw configError('COGNITO_USERS_D1 must be the name of a D1 binding, e.g. "DB"')
  const database = vars[binding] as D1Binding | undefined
  if (typeof database?.prepare !== 'function') {
    throw configError(`COGNITO_USERS_D1 names "${binding}", which is not a D1 binding of this Worker`)
  }
  return { ...settings, users: d1UserStore({ database, ...userLookupFromEnv(env) }) }
}
