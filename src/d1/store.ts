// d1UserStore: the stored user for each verified session, kept in D1 through drizzle. A warm
// request is served from the per-isolate cache without a statement; a user first seen is found or
// created with one race-safe upsert; a cached user past its TTL is checked with one read. A row is
// only ever handed to, or written for, the sub it holds.
import { LruCache } from '../lru'
import { drizzle } from 'drizzle-orm/d1'
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import { CognitoAuthError } from '../errors'
import { adminGetUserReader, claimReader } from './claims'
import { type LookupIdentity, lookupIdentity } from './lookup-claim'
import { type D1UserStoreOptions, resolveStoreOptions } from './options'
import { type Row, type UserValues, hasChanged, userStatements, userValues } from './rows'
import type { cognitoUsers } from './schema'

export type { D1Binding, D1UserStoreOptions, UserAttributeSource } from './options'
import type { UserSession, UserStore } from '../user-store'

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
 * A user store on D1 for the edge's `users` setting: `c.var.cognito.user` becomes the row whose `userField`
 * equals the token's `tokenField` claim, typed from the table.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono'
 * import { optionsFromEnv, userLookupFromEnv } from 'cognito-edge'
 * import { createCognitoEdge, type CognitoAuthVariables } from 'cognito-edge/hono'
 * import { type CognitoUserRow, d1UserStore } from 'cognito-edge/d1'
 *
 * const edge = createCognitoEdge((env: Env) => ({
 *   ...optionsFromEnv(env), // COGNITO_POOL_ID, APP_CLIENT_ID, …
 *   users: d1UserStore({ database: env.DB, ...userLookupFromEnv(env) }), // COGNITO_TOKEN_REF_FIELD, …, AUTO_CREATE_USER
 * }))
 * const app = new Hono<{ Bindings: Env; Variables: CognitoAuthVariables<CognitoUserRow> }>()
 * app.use('/api/*', edge.auth())
 * app.get('/api/me', (c) => c.json({ id: c.var.cognito.user.id, email: c.var.cognito.user.email }))
 * ```
 */
export function d1UserStore<Table extends SQLiteTable = typeof cognitoUsers>(
  options: D1UserStoreOptions<Table>,
): UserStore<Table['$inferSelect']> {
  const config = resolveStoreOptions(options)
  const { tokenField, autoCreate, cognito } = config
  const { lookup, sub } = config.userTable
  const statements = userStatements(drizzle(config.database as D1Database), config.userTable)
  const cache = new UserCache(config.cacheSize)

  async function wanted(session: UserSession): Promise<UserValues> {
    const read = cognito ? await adminGetUserReader(cognito, session) : claimReader(session)
    return userValues(config.userTable, read)
  }

  function notFound(cacheKey: string): CognitoAuthError {
    cache.delete(cacheKey)
    return new CognitoAuthError('ERR_COGNITO_USER_NOT_FOUND', 'no user matches the token and autoCreate is off')
  }

  function conflict(): CognitoAuthError {
    return new CognitoAuthError('ERR_COGNITO_USER_CONFLICT', "the user row that matches the token holds another user's sub")
  }

  /** Creates or refreshes the row in one write; a lookup value in another sub's row is a conflict, and nothing is written. */
  async function upsert(identity: LookupIdentity, values: UserValues, now: number): Promise<Row> {
    const row = await statements.upsert(identity, values, now)
    if (row === undefined) throw conflict()
    return row
  }

  /**
   * A known user past the TTL, any user without auto-create, or a cached row another sub asks for: one read, and a
   * write only for changes.
   */
  async function check(identity: LookupIdentity, cacheKey: string, session: UserSession, now: number): Promise<Row> {
    const found = await statements.find(identity)
    const [stored] = found
    // Two rows: the lookup value is in one, the sub in another. One row that holds another sub: another user's.
    // A row that holds no sub yet (provisioned by the app with the lookup value) is claimed by this user.
    if (found.length > 1 || (stored !== undefined && stored[sub.key] != null && stored[sub.key] !== identity.sub))
      throw conflict()
    if (stored === undefined) {
      if (autoCreate) return upsert(identity, await wanted(session), now)
      throw notFound(cacheKey)
    }
    const values = await wanted(session)
    if (stored[lookup.key] === identity.key && !hasChanged(stored, values)) return stored
    const written = autoCreate ? await upsert(identity, values, now) : await statements.update(stored, identity, values, now)
    if (written === undefined) throw notFound(cacheKey)
    return written
  }

  return Object.freeze({
    async resolveUser(session: UserSession): Promise<Table['$inferSelect']> {
      const identity = lookupIdentity(session, tokenField)
      // Cached per issuer too: the same username in two pools is two users, whatever the table holds.
      const cacheKey = `${session.idClaims?.iss ?? session.accessClaims?.iss}\n${identity.key}`
      const now = config.now()
      const cached = cache.get(cacheKey)
      // Served only to the sub the row holds: another user presenting the same lookup value goes to D1, which decides.
      const own = cached?.row[sub.key] === identity.sub
      if (cached && own && now - cached.storedAt < config.cacheTtlMs) return cached.row
      // First sight with auto-create: the upsert finds or creates the row in one write, so new users cost no read.
      const row =
        cached || !autoCreate ? await check(identity, cacheKey, session, now) : await upsert(identity, await wanted(session), now)
      return cache.set(cacheKey, row, now)
    },
  })
}
