// The table d1UserStore writes, checked once when the store is built against the options that describe it: the
// lookup column (unique, so auto-create has an ON CONFLICT target), the column that holds the sub
// (what makes a row one user's), the columns claims fill, the columns stamped with the time.
import { getTableColumns } from 'drizzle-orm'
import { type SQLiteColumn, type SQLiteTable, getTableConfig } from 'drizzle-orm/sqlite-core'
import { configError } from '../config'

/** A column with its drizzle key: the key names the row property, the column the SQL. */
export interface TableColumn {
  readonly key: string
  readonly column: SQLiteColumn
}

export interface MappedColumn extends TableColumn {
  readonly claim: string
  /** NOT NULL without a default: a row cannot be created without this claim. */
  readonly requiredOnInsert: boolean
}

export interface UserTable {
  readonly table: SQLiteTable
  readonly lookup: TableColumn
  /**
   * The unique column that holds the user's `sub`: the lookup column when tokenField is `sub`, else the one mapped
   * from `sub`. A row belongs to the user whose sub it holds, and is never handed to or rewritten for another.
   */
  readonly sub: TableColumn
  readonly mapped: readonly MappedColumn[]
  readonly created: TableColumn | null
  readonly updated: TableColumn | null
}

interface UserTableSettings {
  readonly tokenField: string
  readonly userField: string
  /** The caller's `{column: claim}`; wins over `defaultMapping`, and may not name the lookup column. */
  readonly mapping: Readonly<Record<string, string>>
  /** The table's own mapping; entries for the lookup or a stamp column are dropped rather than refused. */
  readonly defaultMapping: Readonly<Record<string, string>>
  readonly created: string | null
  readonly updated: string | null
  readonly autoCreate: boolean
}

/** Column kinds a claim value can be stored in without loss (see `storedValue`). */
const CLAIM_TYPES = new Set(['string', 'number', 'boolean', 'json'])
const TIME_TYPES = new Set(['number', 'date'])

function tableName(table: SQLiteTable): string {
  return getTableConfig(table).name
}

/** Finds a column by its drizzle key (`createdAt`) or its SQL name (`created_at`). */
function findColumn(table: SQLiteTable, name: string, option: string): TableColumn {
  const columns = Object.entries(getTableColumns(table) as Record<string, SQLiteColumn>)
  const found = columns.find(([key]) => key === name) ?? columns.find(([, column]) => column.name === name)
  if (!found) {
    const known = columns.map(([key]) => key).join(', ')
    throw configError(`${option} names "${name}", which is not a column of table "${tableName(table)}" (columns: ${known})`)
  }
  return { key: found[0], column: found[1] }
}

function isPrimaryKey(table: SQLiteTable, column: SQLiteColumn): boolean {
  return column.primary || getTableConfig(table).primaryKeys.some((key) => key.columns.includes(column))
}

/** A lone primary key, UNIQUE column, unique constraint or full unique index: what ON CONFLICT can target. */
function isUnique(table: SQLiteTable, column: SQLiteColumn): boolean {
  if (column.primary || column.isUnique) return true
  const config = getTableConfig(table)
  const alone = (columns: readonly unknown[]) => columns.length === 1 && columns[0] === column
  return (
    config.primaryKeys.some((key) => alone(key.columns)) ||
    config.uniqueConstraints.some((constraint) => alone(constraint.columns)) ||
    config.indexes.some((index) => index.config.unique && index.config.where === undefined && alone(index.config.columns))
  )
}

function stampColumn(table: SQLiteTable, name: string | null, option: string): TableColumn | null {
  if (name === null) return null
  const found = findColumn(table, name, option)
  if (!TIME_TYPES.has(found.column.dataType))
    throw configError(`${option} "${found.key}" must be an integer (Unix milliseconds) or timestamp column`)
  return found
}

/**
 * Why a claim may not fill this column, or `null` when it may. A claim that picks the primary key or the lookup value
 * would let the token choose which row it writes; a generated column cannot be written at all.
 */
function unmappable(table: SQLiteTable, found: TableColumn, claim: string, fixed: FixedColumns): string | null {
  if (found.column === fixed.lookup.column) return 'which is the lookup column (userField): only tokenField fills it'
  if (found.column === fixed.created?.column || found.column === fixed.updated?.column)
    return 'which is a timestamp column: the store stamps it'
  // The sub never changes and is the user's own, so a table keyed by it may fill its key from it.
  if (isPrimaryKey(table, found.column) && claim !== 'sub')
    return `the primary key of table "${tableName(table)}": a claim must not choose the row's key`
  if (found.column.generated !== undefined) return 'a generated column: SQLite computes it, nothing may write it'
  return null
}

interface FixedColumns {
  readonly lookup: TableColumn
  readonly created: TableColumn | null
  readonly updated: TableColumn | null
}

function mappedColumns(table: SQLiteTable, settings: UserTableSettings, fixed: FixedColumns): MappedColumn[] {
  const byColumn = new Map<SQLiteColumn, MappedColumn>()
  const add = (entries: Readonly<Record<string, string>>, explicit: boolean) => {
    for (const [name, claim] of Object.entries(entries)) {
      const found = findColumn(table, name, 'mapping')
      const refusal = unmappable(table, found, claim, fixed)
      if (refusal !== null) {
        if (!explicit) continue
        throw configError(`mapping names "${found.key}", ${refusal}`)
      }
      if (!CLAIM_TYPES.has(found.column.dataType))
        throw configError(`mapping names "${found.key}", a ${found.column.dataType} column that cannot hold a claim`)
      const requiredOnInsert = found.column.notNull && !found.column.hasDefault
      byColumn.set(found.column, { ...found, claim, requiredOnInsert })
    }
  }
  add(settings.defaultMapping, false)
  add(settings.mapping, true)
  return [...byColumn.values()]
}

/** With auto-create, every NOT NULL column without a default must be filled by the store. */
function checkInsertable(table: SQLiteTable, filled: readonly TableColumn[]): void {
  for (const [key, column] of Object.entries(getTableColumns(table) as Record<string, SQLiteColumn>)) {
    const automatic = column.hasDefault || column.generated !== undefined || (column.primary && column.getSQLType() === 'integer')
    if (column.notNull && !automatic && !filled.some((other) => other.column === column)) {
      throw configError(
        `column "${key}" is NOT NULL without a default and neither userField, mapping nor timestamps fill it, so autoCreate cannot insert a row`,
      )
    }
  }
}

/** Checks the table against the settings; throws ERR_COGNITO_CONFIG naming the column or setting. */
export function describeUserTable(table: SQLiteTable, settings: UserTableSettings): UserTable {
  const lookup = findColumn(table, settings.userField, 'userField')
  if (lookup.column.dataType !== 'string') throw configError(`userField "${lookup.key}" must be a text column`)
  if (!isUnique(table, lookup.column)) {
    throw configError(
      `userField "${lookup.key}" must be unique in table "${tableName(table)}" (primary key, .unique() or a unique index on that column alone): ` +
        'lookups expect one row per user and auto-create needs it as the ON CONFLICT target',
    )
  }
  const created = stampColumn(table, settings.created, 'timestamps.created')
  const updated = stampColumn(table, settings.updated, 'timestamps.updated')
  if (created && created.column === updated?.column) throw configError('timestamps.created and timestamps.updated must differ')
  const mapped = mappedColumns(table, settings, { lookup, created, updated })
  const sub = settings.tokenField === 'sub' ? lookup : subColumn(table, settings.tokenField, mapped)
  const taken = [lookup, created, updated].filter((column): column is TableColumn => column !== null)
  if (settings.autoCreate) checkInsertable(table, [...taken, ...mapped])
  return Object.freeze({ table, lookup, sub, mapped: Object.freeze(mapped), created, updated })
}

/** With a lookup claim other than sub, the store checks each row's owner, so it must know where the sub is kept. */
function subColumn(table: SQLiteTable, tokenField: string, mapped: readonly MappedColumn[]): TableColumn {
  const fromSub = mapped.filter((target) => target.claim === 'sub')
  const found = fromSub.find((target) => target.column.dataType === 'string' && isUnique(table, target.column))
  if (found) return found
  const fix = fromSub.length
    ? `make "${fromSub[0]?.key}" a unique text column`
    : "map a unique text column from it, e.g. mapping: { sub: 'sub' }"
  throw configError(
    `tokenField "${tokenField}" is not sub, so the store needs the column that holds each row's sub, to never hand a ` +
      `row to another user: ${fix}`,
  )
}
