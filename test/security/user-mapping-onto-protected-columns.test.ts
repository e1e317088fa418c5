// Review item 11: COGNITO_USER_FIELD_MAPPING could map a claim onto the primary key ({"id": "custom:id"}) or
// a generated column, letting a token choose the key of the row it writes (or fail every write). The store
// now refuses such a mapping when it is built, naming the column, before any request.
import { env } from 'cloudflare:test'
import { sql } from 'drizzle-orm'
import { primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { describe, expect, it } from 'vitest'
import { userLookupFromEnv } from '../../src/index'
import { d1UserStore } from '../../src/d1'
import { CLIENT_ID, POOL_ID } from '../helpers/tokens'
import { countingD1 } from '../d1/d1'

function refusal(message: RegExp) {
  return expect.objectContaining({ code: 'ERR_COGNITO_CONFIG', message: expect.stringMatching(message) })
}

describe('mapping a claim onto a column the store must not let a token choose', () => {
  it('COGNITO_USER_FIELD_MAPPING={"id":"custom:id"}: the primary key of cognito_users → ERR_COGNITO_CONFIG naming "id"', () => {
    const userLookup = userLookupFromEnv({
      COGNITO_POOL_ID: POOL_ID,
      APP_CLIENT_ID: CLIENT_ID,
      COGNITO_USER_FIELD_MAPPING: '{"id": "custom:id"}',
      AUTO_CREATE_USER: 'true',
    })
    const d1 = countingD1()
    expect(() => d1UserStore({ database: d1.database, ...userLookup })).toThrow(
      refusal(/^mapping names "id", the primary key of table "cognito_users"/),
    )
    expect(d1.statements).toEqual([])
  })

  it('a column of a composite primary key → ERR_COGNITO_CONFIG naming it', () => {
    const memberships = sqliteTable(
      'memberships',
      { sub: text('sub').notNull().unique(), tenant: text('tenant').notNull(), account: text('account').notNull() },
      (table) => [primaryKey({ columns: [table.tenant, table.account] })],
    )
    const build = () => d1UserStore({ database: env.DB, table: memberships, mapping: { tenant: 'custom:tenant' } })
    expect(build).toThrow(refusal(/^mapping names "tenant", the primary key of table "memberships"/))
  })

  it('a generated column → ERR_COGNITO_CONFIG naming it', () => {
    const people = sqliteTable('people', {
      sub: text('sub').notNull().unique(),
      email: text('email'),
      domain: text('domain').generatedAlwaysAs(sql`substr(email, instr(email, '@') + 1)`),
    })
    const build = () => d1UserStore({ database: env.DB, table: people, mapping: { domain: 'custom:domain' } })
    expect(build).toThrow(refusal(/^mapping names "domain", a generated column/))
  })
})
