// What a user row should hold — claims from the tokens or attributes from AdminGetUser, in the
// column's type — and the three statements that read or write it. Every write is one statement, so
// a D1 failure leaves the old row or the new one, never half of each.
import { type SQL, eq, or, sql } from 'drizzle-orm'
import type { DrizzleD1Database } from 'drizzle-orm/d1'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import { CognitoAuthError } from '../errors'
import type { ClaimReader } from './claims'
import type { MappedColumn, UserTable } from './table'

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

/** Runs a statement; whatever D1 throws becomes ERR_COGNITO_STORE_UNAVAILABLE (503), with the cause kept. */
async function d1<T>(query: PromiseLike<T>): Promise<T> {
  try {
    return await query
  } catch (error) {
    throw new CognitoAuthError('ERR_COGNITO_STORE_UNAVAILABLE', 'the user store (D1) failed', { cause: error })
  }
}

export function userStatements(db: DrizzleD1Database, userTable: UserTable) {
  const { table, lookup, created, updated } = userTable
  const where = (key: string) => eq(lookup.column, key)
  const first = (rows: unknown[]) => rows[0] as Row | undefined

  return {
    async find(key: string): Promise<Row | undefined> {
      return first(await d1(db.select().from(table).where(where(key)).limit(1)))
    },

    /**
     * `INSERT … ON CONFLICT (<lookup>) DO UPDATE … RETURNING`: one statement that creates the row or, when a
     * concurrent request (or an earlier isolate) already did, refreshes its mapped columns and returns it.
     * DO NOTHING would return no row to the requests that lost the race.
     */
    async upsert(key: string, values: UserValues, now: number): Promise<Row> {
      const insert: Row = { [lookup.key]: key }
      const set: Record<string, SQL> = {}
      for (const [target, value] of values) {
        insert[target.key] = value
        set[target.key] = excluded(target.column)
      }
      for (const target of userTable.mapped) {
        if (target.requiredOnInsert && !values.has(target))
          throw claimError(`claim ${target.claim} is required to create the user (column "${target.key}")`)
      }
      if (created) insert[created.key] = stamp(created.column, now)
      if (updated) {
        insert[updated.key] = stamp(updated.column, now)
        // Moves only when a mapped value really changes, so it keeps meaning "last changed".
        const changes = [...values.keys()].map((target) => sql`${target.column} IS NOT ${excluded(target.column)}`)
        set[updated.key] = changes.length
          ? sql`CASE WHEN ${or(...changes)} THEN ${excluded(updated.column)} ELSE ${updated.column} END`
          : sql`${updated.column}`
      }
      // Nothing to refresh: a no-op assignment still makes RETURNING hand back the existing row.
      if (Object.keys(set).length === 0) set[lookup.key] = sql`${lookup.column}`
      const row = first(await d1(db.insert(table).values(insert).onConflictDoUpdate({ target: lookup.column, set }).returning()))
      if (row === undefined) throw new CognitoAuthError('ERR_COGNITO_STORE_UNAVAILABLE', 'the user store returned no row')
      return row
    },

    /** Refreshes the mapped columns of an existing row (auto-create off); `undefined` when the row is gone. */
    async update(key: string, values: UserValues, now: number): Promise<Row | undefined> {
      const set: Row = {}
      for (const [target, value] of values) set[target.key] = value
      if (updated) set[updated.key] = stamp(updated.column, now)
      return first(await d1(db.update(table).set(set).where(where(key)).returning()))
    },
  }
}
