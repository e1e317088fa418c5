// The default user table: one row per Cognito user, keyed by the immutable `sub`.
import { sql } from 'drizzle-orm'
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

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
