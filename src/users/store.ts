// d1UserStore: the stored user for each verified session, kept in D1 through drizzle. A warm
// request is served from the per-isolate cache without a statement; a user first seen is found or
// created with one race-safe upsert; a cached user past its TTL is checked with one read.
import { LruCache } from '../lru'
import { drizzle } from 'drizzle-orm/d1'
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { CognitoClient, CognitoClientOptions } from '../cognito/client'
import { CognitoAuthError } from '../errors'
import { adminGetUserReader, claimReader } from './claims'
import { resolveStoreOptions } from './options'
import { type Row, type UserValues, hasChanged, userStatements, userValues } from './rows'
import type { cognitoUsers } from './schema'
import type { UserSession, UserStore } from './user-store'

/** Where mapped values come from. */
export type UserAttributeSource = 'claims' | 'admin-get-user'

export interface D1UserStoreOptions<Table extends SQLiteTable = typeof cognitoUsers> {
  /** The D1 binding, e.g. `env.DB`. Required. */
  database: D1Database
  /** The drizzle table users are kept in. Default `cognitoUsers` (`cognito_users`, created by the migration in `migrations/`). */
  table?: Table
  /**
   * The claim that identifies the user (`COGNITO_TOKEN_REF_FIELD`), a string read from the ID token, then the access
   * token (`cognito:username` and `username` stand for each other). Missing → ERR_COGNITO_CLAIM (401). Default `'sub'`.
   */
  tokenField?: string
  /**
   * The column that claim is looked up in (`COGNITO_USER_MODEL_FIELD_REF_FIELD`), by drizzle key or SQL name.
   * It must be a unique text column. Default `'sub'`.
   */
  userField?: string
  /**
   * Columns filled from claims, `{column: claim}` (`COGNITO_USER_FIELD_MAPPING`), laid over the table's default
   * mapping; `null` maps nothing. Default: for `cognitoUsers`, `{ username: 'cognito:username', email: 'email',
   * groups: 'cognito:groups' }`; for another table, `{}`.
   */
  mapping?: Readonly<Record<string, string>> | null
  /** Create a row for an unknown user (`AUTO_CREATE_USER`). Default `false`: unknown users get ERR_COGNITO_USER_NOT_FOUND. */
  autoCreate?: boolean
  /**
   * Columns stamped with the time: `created` when the row is created, `updated` when it is created or a mapped
   * value changes; `null` stamps nothing. Default: `{ created: 'createdAt', updated: 'updatedAt' }` for
   * `cognitoUsers`, `null` for another table.
   */
  timestamps?: { created?: string | null; updated?: string | null } | null
  /** Seconds a row is served from the per-isolate cache before D1 is asked again; `0` asks on every request. Default `60`. */
  cacheTtl?: number
  /** How many users the per-isolate cache holds, least recently used dropped first; `0` turns it off (every request asks D1). Default `1000`. */
  cacheSize?: number
  /**
   * Where mapped values come from: `'claims'` (the ID token's, then the access token's) or `'admin-get-user'`
   * (Cognito's `AdminGetUser`, called only when D1 is asked, so at most once per user per cache period; needs
   * `cognito` with credentials; claims Cognito keeps no attribute for, like `cognito:groups`, still come from the
   * tokens). Default `'claims'`.
   */
  attributes?: UserAttributeSource
  /** The signed Cognito client `'admin-get-user'` calls, or options to build one. Default none. */
  cognito?: CognitoClient | CognitoClientOptions | null
  /** The clock, in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number
}

interface CachedUser {
  readonly row: Row
  /** When the row was last read from or written to D1, in milliseconds since the epoch. */
  readonly storedAt: number
}

/**
 * The per-isolate user cache: a bounded LRU of plain rows keyed by the lookup value. Entries are data,
 * never promises: a promise shared between requests on Workers can hang them all when the request that
 * made it is cancelled (DESIGN.md, Caches). Expired entries stay, so a known user is checked with a read.
 */
/** Users by lookup key; rows are frozen on the way in (also when the cache is off), as every hit shares them. */
class UserCache {
  readonly #entries: LruCache<string, CachedUser>

  constructor(capacity: number) {
    this.#entries = new LruCache(capacity)
  }

  get(key: string): CachedUser | undefined {
    return this.#entries.get(key)
  }

  set(key: string, row: Row, storedAt: number): Row {
    deepFreeze(row)
    this.#entries.set(key, Object.freeze({ row, storedAt }))
    return row
  }

  delete(key: string): void {
    this.#entries.delete(key)
  }
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return
  Object.freeze(value)
  for (const inner of Object.values(value)) deepFreeze(inner)
}

/**
 * A user store on D1 for `cognitoAuth({ users })`: `c.var.cognito.user` becomes the row whose `userField`
 * equals the token's `tokenField` claim, typed from the table.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono'
 * import { optionsFromEnv } from 'cognito-edge'
 * import { cognitoAuth, type CognitoAuthVariables } from 'cognito-edge/hono'
 * import { type CognitoUserRow, d1UserStore } from 'cognito-edge/d1'
 *
 * const app = new Hono<{ Bindings: Env; Variables: CognitoAuthVariables<CognitoUserRow> }>()
 * app.use(
 *   '/api/*',
 *   cognitoAuth((env: Env) => {
 *     const settings = optionsFromEnv(env) // COGNITO_POOL_ID, …, AUTO_CREATE_USER
 *     return { ...settings, users: d1UserStore({ database: env.DB, ...settings.userLookup }) }
 *   }),
 * )
 * app.get('/api/me', (c) => c.json({ id: c.var.cognito.user.id, email: c.var.cognito.user.email }))
 * ```
 */
export function d1UserStore<Table extends SQLiteTable = typeof cognitoUsers>(
  options: D1UserStoreOptions<Table>,
): UserStore<Table['$inferSelect']> {
  const config = resolveStoreOptions(options)
  const { tokenField, autoCreate, cognito } = config
  const statements = userStatements(drizzle(config.database), config.userTable)
  const cache = new UserCache(config.cacheSize)

  function lookupKey(session: UserSession): string {
    const value = claimReader(session)(tokenField)
    if (typeof value !== 'string' || value === '')
      throw new CognitoAuthError('ERR_COGNITO_CLAIM', `the token has no ${tokenField} claim to find the user by`)
    return value
  }

  async function wanted(session: UserSession): Promise<UserValues> {
    const read = cognito ? await adminGetUserReader(cognito, session) : claimReader(session)
    return userValues(config.userTable, read)
  }

  function notFound(cacheKey: string): CognitoAuthError {
    cache.delete(cacheKey)
    return new CognitoAuthError('ERR_COGNITO_USER_NOT_FOUND', 'no user matches the token and autoCreate is off')
  }

  /** A known user past the TTL, or any user without auto-create: one read, and a write only for changes. */
  async function check(key: string, cacheKey: string, session: UserSession, now: number): Promise<Row> {
    const stored = await statements.find(key)
    if (stored === undefined) {
      if (autoCreate) return statements.upsert(key, await wanted(session), now)
      throw notFound(cacheKey)
    }
    const values = await wanted(session)
    if (!hasChanged(stored, values)) return stored
    const written = autoCreate ? await statements.upsert(key, values, now) : await statements.update(key, values, now)
    if (written === undefined) throw notFound(cacheKey)
    return written
  }

  return Object.freeze({
    async resolveUser(session: UserSession): Promise<Table['$inferSelect']> {
      const key = lookupKey(session)
      // Cached per issuer too: the same username in two pools is two users, whatever the table holds.
      const cacheKey = `${session.idClaims?.iss ?? session.accessClaims?.iss}\n${key}`
      const now = config.now()
      const cached = cache.get(cacheKey)
      if (cached && now - cached.storedAt < config.cacheTtlMs) return cached.row
      // First sight with auto-create: the upsert finds or creates the row in one write, so new users cost no read.
      const row =
        cached || !autoCreate
          ? await check(key, cacheKey, session, now)
          : await statements.upsert(key, await wanted(session), now)
      return cache.set(cacheKey, row, now)
    },
  })
}
