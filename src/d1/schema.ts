// The tables of cognito-edge/d1: users (one row per Cognito user, keyed by the immutable `sub`) and the revocation list.
import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

/**
 * `cognito_users`, the table `d1UserStore` uses unless given another. `sub` is unique, so the
 * race-free `INSERT … ON CONFLICT (sub)` of auto-create has a conflict target.
 */
export const cognitoUsers = sqliteTable('cognito_users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  sub: text('sub').notNull().unique(),
  username: text('username'),
  email: text('email'),
  /** JSON array of the user's `cognito:groups`. */
  groups: text('groups', { mode: 'json' })
    .$type<string[]>()
    .notNull()
    .default(sql`'[]'`),
  /** Unix milliseconds. */
  createdAt: integer('created_at').notNull(),
  /** Unix milliseconds. */
  updatedAt: integer('updated_at').notNull(),
})

export type CognitoUserRow = typeof cognitoUsers.$inferSelect

/**
 * `cognito_revocations`, the revocation list `d1Revocations` keeps. Rows are never updated in place:
 * the AUTOINCREMENT `id` (never reused, even after a prune) is the cursor each isolate pulls from
 * (`WHERE id > ?`). A `session` row ends one sign-in (`key` = its `origin_jti`, or a token's `jti`); a
 * `user` row ends every sign-in of `key` (a `sub`) that began before `not_before`. Times are Unix
 * seconds, as in the tokens' claims. One row per entry (`kind`, `key`): a logout posted twice is one
 * row, and a later sign-out everywhere of the same user replaces its row with a new one (a new `id`,
 * so every isolate pulls it) — the list grows with users and sign-ins, never with replays.
 */
export const cognitoRevocations = sqliteTable(
  'cognito_revocations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: ['session', 'user'] }).notNull(),
    key: text('key').notNull(),
    /** `user` rows: sessions that began (auth_time) before this are refused. `0` for `session` rows. */
    notBefore: integer('not_before').notNull(),
    /** When no token the row refuses can still be valid: then it is pruned. */
    expiresAt: integer('expires_at').notNull(),
  },
  (table) => [
    uniqueIndex('cognito_revocations_entry').on(table.kind, table.key),
    index('cognito_revocations_expires_at').on(table.expiresAt),
  ],
)

export type CognitoRevocationRow = typeof cognitoRevocations.$inferSelect
