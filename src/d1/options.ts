// d1UserStore's options, checked once when the store is built and resolved into a frozen copy: a bad
// setting fails at startup with ERR_COGNITO_CONFIG naming it, never per request.
import { is } from 'drizzle-orm'
import { SQLiteTable } from 'drizzle-orm/sqlite-core'
import { type CognitoClient, type CognitoClientOptions, createCognitoClient } from '../cognito/transport'
import { booleanOption, clockOption, configError, duration, nonEmpty, wholeNumber } from '../config'
import { checkLookupClaim } from './lookup-claim'
import { cognitoUsers } from './schema'
import { type UserTable, describeUserTable } from './table'

/**
 * What the store needs of a D1 binding (`env.DB`). Declared here rather than taken from
 * @cloudflare/workers-types, so the package's types stand alone — and anything else (a string, a
 * KV binding) fails to compile.
 */
export interface D1Binding {
  /** Prepares a statement (D1Database.prepare). */
  prepare(query: string): unknown
  /** Runs statements in one transaction (D1Database.batch). */
  batch(statements: unknown[]): Promise<unknown[]>
  /** Runs raw SQL (D1Database.exec). */
  exec(query: string): Promise<unknown>
}

/** Where mapped values come from. */
export type UserAttributeSource = 'claims' | 'admin-get-user'

export interface D1UserStoreOptions<Table extends SQLiteTable = typeof cognitoUsers> {
  /** The D1 binding, e.g. `env.DB`. Required. */
  database: D1Binding
  /** The drizzle table users are kept in. Default `cognitoUsers` (`cognito_users`, created by the migration in `migrations/`). */
  table?: Table
  /**
   * The claim that identifies the user (`COGNITO_TOKEN_REF_FIELD`), a string read from the ID token, then the access
   * token (`cognito:username` and `username` stand for each other). Missing → ERR_COGNITO_CLAIM (401). `sub`,
   * `cognito:username` and `username` identify users as they are; `email` and `phone_number` only while their
   * `email_verified` / `phone_number_verified` claim is `true` (else ERR_COGNITO_UNVERIFIED_CLAIM, 403); any other
   * claim needs `unsafeLookupClaim`. Other than `sub`, it needs a unique text column mapped from `sub`. Default `'sub'`.
   */
  tokenField?: string
  /**
   * Lets a tokenField other than `sub`, `cognito:username`, `username`, `email` or `phone_number` identify users. Only
   * for a claim users cannot change and no two users share (an attribute only admins write): whoever presents a
   * token carrying a value gets the row that holds it, unless that row holds another sub. Default `false`.
   */
  unsafeLookupClaim?: boolean
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

export interface ResolvedStoreOptions {
  readonly database: D1Binding
  readonly userTable: UserTable
  readonly tokenField: string
  readonly autoCreate: boolean
  readonly cacheTtlMs: number
  readonly cacheSize: number
  readonly cognito: CognitoClient | null
  readonly now: () => number
}

const DEFAULT_MAPPING = Object.freeze({ username: 'cognito:username', email: 'email', groups: 'cognito:groups' })
const DEFAULT_TIMESTAMPS = Object.freeze({ created: 'createdAt', updated: 'updatedAt' })

function mappingOption(mapping: unknown): Readonly<Record<string, string>> {
  if (mapping === undefined || mapping === null) return {}
  if (typeof mapping !== 'object' || Array.isArray(mapping)) throw configError('mapping must be an object of {column: claim}')
  for (const [column, claim] of Object.entries(mapping)) nonEmpty(claim, `mapping["${column}"]`)
  return { ...(mapping as Record<string, string>) }
}

function cognitoOption(options: D1UserStoreOptions<SQLiteTable>): CognitoClient | null {
  if ((options.attributes ?? 'claims') === 'claims') return null
  if (options.attributes !== 'admin-get-user') throw configError('attributes must be "claims" or "admin-get-user"')
  const given = options.cognito
  if (!given) throw configError('attributes "admin-get-user" needs cognito: a Cognito client or its options')
  const client = 'call' in given && typeof given.call === 'function' ? given : createCognitoClient(given as CognitoClientOptions)
  if (!client.signed)
    throw configError(
      'attributes "admin-get-user" needs a Cognito client with a signer: awsSigner(credentials) (AdminGetUser is signed)',
    )
  return client
}

/** Checks every option and resolves the defaults into a new frozen object; the caller's is not touched. */
export function resolveStoreOptions(options: D1UserStoreOptions<SQLiteTable>): ResolvedStoreOptions {
  if (typeof options !== 'object' || options === null) throw configError('d1UserStore options must be an object')
  if (typeof options.database?.prepare !== 'function') throw configError('database must be a D1 binding such as env.DB')
  const table = options.table ?? cognitoUsers
  if (!is(table, SQLiteTable)) throw configError('table must be a drizzle sqliteTable')
  const autoCreate = booleanOption(options.autoCreate, false, 'autoCreate')
  const cacheSize = wholeNumber(options.cacheSize, 1000, 'cacheSize', 0)
  const now = clockOption(options.now)
  const tokenField = nonEmpty(options.tokenField ?? 'sub', 'tokenField')
  const unsafeLookupClaim = booleanOption(options.unsafeLookupClaim, false, 'unsafeLookupClaim')
  checkLookupClaim(tokenField, unsafeLookupClaim)
  const isDefault = table === cognitoUsers
  const timestamps = options.timestamps === undefined ? (isDefault ? DEFAULT_TIMESTAMPS : null) : options.timestamps
  const userTable = describeUserTable(table, {
    tokenField,
    userField: nonEmpty(options.userField ?? 'sub', 'userField'),
    mapping: mappingOption(options.mapping),
    defaultMapping: isDefault && options.mapping !== null ? DEFAULT_MAPPING : {},
    created: timestamps?.created == null ? null : nonEmpty(timestamps.created, 'timestamps.created'),
    updated: timestamps?.updated == null ? null : nonEmpty(timestamps.updated, 'timestamps.updated'),
    autoCreate,
  })
  return Object.freeze({
    database: options.database,
    userTable,
    tokenField,
    autoCreate,
    cacheTtlMs: duration(options.cacheTtl, 60, 'cacheTtl', 1000),
    cacheSize,
    cognito: cognitoOption(options),
    now,
  })
}
