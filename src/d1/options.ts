// d1UserStore's options, checked once when the store is built and resolved into a frozen copy: a bad
// setting fails at startup with ERR_COGNITO_CONFIG naming it, never per request.
import { is } from 'drizzle-orm'
import { SQLiteTable } from 'drizzle-orm/sqlite-core'
import { type CognitoClient, type CognitoClientOptions, createCognitoClient } from '../cognito/transport'
import { booleanOption, clockOption, configError, duration, nonEmpty, wholeNumber } from '../config'
import { checkLookupClaim } from './lookup-claim'
import { cognitoUsers } from './schema'
import type { D1UserStoreOptions } from './store'
import { type UserTable, describeUserTable } from './table'

export interface ResolvedStoreOptions {
  readonly database: D1Database
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
