// What a user row should hold — claims from the tokens or attributes from AdminGetUser, in the
// column's type — and the three statements that read or write it. Every write is one statement, so
// a D1 failure leaves the old row or the new one, never half of each, and every write is guarded in
// SQL so that no row is ever rewritten for a sub other than its own, races included.
import { type SQL, and, eq, isNull, or, sql } from 'drizzle-orm'
import type { DrizzleD1Database } from 'drizzle-orm/d1'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import { CognitoAuthError } from '../errors'
import type { ClaimReader } from './claims'
import type { LookupIdentity } from './lookup-claim'
import type { MappedColumn, TableColumn, UserTable } from './table'

export type Row = Record<string, unknown>
/** The value each mapped column should hold, for the columns whose claim is present. */
export type UserValues = ReadonlyMap<MappedColumn, unknown>

function claimError(message: string): CognitoAuthError {
  return new CognitoAuthError('ERR_COGNITO_CLAIM', message)
}

/**
 * A claim value as the column stores it. Cognito's AdminGetUser answers every attribute as a string
 * (`"true"`, `"42"`), tokens carry JSON types; both land in the column's type or are refused.
 */
function storedValue(target: MappedColumn, value: unknown): unknown {
  const kind = target.column.dataType
  if (kind === 'json') return value
  if (kind === 'string')
    return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value)
  if (kind === 'number') {
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
    if (typeof number === 'number' && Number.isFinite(number)) return number
  }
  if (kind === 'boolean') {
    if (typeof value === 'boolean') return value
    if (value === 'true' || value === 'false') return value === 'true'
  }
  throw claimError(`claim ${target.claim} cannot be stored in the ${kind} column "${target.key}"`)
}

/** The values the mapped columns should hold; a claim that is absent leaves its column alone. */
export function userValues(userTable: UserTable, readClaim: ClaimReader): UserValues {
  const values = new Map<MappedColumn, unknown>()
  for (const target of userTable.mapped) {
    const value = readClaim(target.claim)
    if (value !== undefined && value !== null) values.set(target, storedValue(target, value))
  }
  return values
}

function sameValue(stored: unknown, wanted: unknown): boolean {
  return stored === wanted || JSON.stringify(stored) === JSON.stringify(wanted)
}

export function hasChanged(row: Row, values: UserValues): boolean {
  for (const [target, value] of values) if (!sameValue(row[target.key], value)) return true
  return false
}

function stamp(column: SQLiteColumn, now: number): number | Date {
  return column.dataType === 'date' ? new Date(now) : now
}

function excluded(column: SQLiteColumn): SQL {
  return sql`excluded.${sql.identifier(column.name)}`
}

/** SQLite's words for a UNIQUE or PRIMARY KEY violation, as D1 passes them on (drizzle wraps D1's error as `cause`). */
const UNIQUE_VIOLATION = /\bUNIQUE constraint failed\b|\bSQLITE_CONSTRAINT_(?:UNIQUE|PRIMARYKEY)\b/

function isUniqueViolation(error: unknown): boolean {
  for (let depth = 0; error instanceof Error && depth < 4; depth++, error = error.cause)
    if (UNIQUE_VIOLATION.test(error.message)) return true
  return false
}

/**
 * Runs a statement. A unique-constraint failure means the token's values belong to another user's row:
 * ERR_COGNITO_USER_CONFLICT (409), which retrying cannot fix. Whatever else D1 throws becomes
 * ERR_COGNITO_STORE_UNAVAILABLE (503). The cause is kept either way.
 */
async function d1<T>(query: PromiseLike<T>): Promise<T> {
  try {
    return await query
  } catch (error) {
    if (isUniqueViolation(error))
      throw new CognitoAuthError('ERR_COGNITO_USER_CONFLICT', "the user's values are held by another user's row", {
        cause: error,
      })
    throw new CognitoAuthError('ERR_COGNITO_STORE_UNAVAILABLE', 'the user store (D1) failed', { cause: error })
  }
}

export function userStatements(db: DrizzleD1Database, userTable: UserTable) {
  const { table, lookup, sub, created, updated } = userTable
  const keyedBySub = sub.column === lookup.column
  const first = (rows: unknown[]) => rows[0] as Row | undefined

  /** Assigns each target its inserted value; `updated` moves only when one really changes, so it keeps meaning "last changed". */
  function refresh(targets: readonly TableColumn[]): Record<string, SQL> {
    const set: Record<string, SQL> = {}
    for (const target of targets) set[target.key] = excluded(target.column)
    if (updated) {
      const changes = targets.map((target) => sql`${target.column} IS NOT ${excluded(target.column)}`)
      set[updated.key] = changes.length
        ? sql`CASE WHEN ${or(...changes)} THEN ${excluded(updated.column)} ELSE ${updated.column} END`
        : sql`${updated.column}`
    }
    // Nothing to refresh: a no-op assignment still makes RETURNING hand back the existing row.
    if (Object.keys(set).length === 0) set[lookup.key] = sql`${lookup.column}`
    return set
  }

  return {
    /**
     * The row holding the lookup value and the row holding the sub: one row for a known user, none for a new one,
     * the sub's row alone when the lookup value moved (a verified email changed), two when they are different rows.
     */
    async find(identity: LookupIdentity): Promise<Row[]> {
      const bySub = eq(sub.column, identity.sub)
      const where = keyedBySub ? bySub : or(eq(lookup.column, identity.key), bySub)
      return (await d1(db.select().from(table).where(where).limit(2))) as Row[]
    },

    /**
     * One race-safe statement that creates the row or refreshes it, and returns it; `undefined` when the lookup value
     * is held by another sub's row, which it leaves untouched:
     * `INSERT … ON CONFLICT (<lookup>) DO UPDATE … WHERE <sub> = excluded.<sub> OR <sub> IS NULL` (never rebinds a
     * row; an unbound row is claimed) `ON CONFLICT (<sub>) DO UPDATE SET <lookup> = excluded.<lookup>, …` (the
     * user's lookup value changed: the row follows) `RETURNING *`. DO NOTHING would return no row to the
     * requests that lost a creation race.
     */
    async upsert(identity: LookupIdentity, values: UserValues, now: number): Promise<Row | undefined> {
      for (const target of userTable.mapped) {
        if (target.requiredOnInsert && !values.has(target))
          throw claimError(`claim ${target.claim} is required to create the user (column "${target.key}")`)
      }
      const insert: Row = {}
      for (const [target, value] of values) insert[target.key] = value
      insert[lookup.key] = identity.key
      insert[sub.key] = identity.sub
      if (created) insert[created.key] = stamp(created.column, now)
      if (updated) insert[updated.key] = stamp(updated.column, now)
      const mapped = [...values.keys()]
      const insertRow = db.insert(table).values(insert)
      const statement = keyedBySub
        ? insertRow.onConflictDoUpdate({ target: lookup.column, set: refresh(mapped) })
        : insertRow
            .onConflictDoUpdate({
              target: lookup.column,
              set: refresh(mapped),
              setWhere: sql`${sub.column} = ${excluded(sub.column)} OR ${sub.column} IS NULL`,
            })
            .onConflictDoUpdate({ target: sub.column, set: refresh([...mapped, lookup]) })
      return first(await d1(statement.returning()))
    },

    /**
     * Writes the wanted values (auto-create off) into the row `find` answered, which holds this sub or none yet;
     * `undefined` when that row is gone or another sub claimed it meanwhile.
     */
    async update(stored: Row, identity: LookupIdentity, values: UserValues, now: number): Promise<Row | undefined> {
      const set: Row = {}
      for (const [target, value] of values) set[target.key] = value
      set[lookup.key] = identity.key
      set[sub.key] = identity.sub
      if (updated) set[updated.key] = stamp(updated.column, now)
      const owned =
        stored[sub.key] === identity.sub ? eq(sub.column, identity.sub) : and(eq(lookup.column, identity.key), isNull(sub.column))
      return first(await d1(db.update(table).set(set).where(owned).returning()))
    },
  }
}
