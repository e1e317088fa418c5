// d1UserStore checks its options when it is built: a bad table, mapping or setting fails at startup
// with ERR_COGNITO_CONFIG naming it, never per request.
import { env } from 'cloudflare:test'
import { index, integer, sqliteTable, text, unique, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { describe, expect, it } from 'vitest'
import { type D1UserStoreOptions, cognitoUsers, d1UserStore } from '../../src/d1'
import { CREDENTIALS } from '../helpers/fake-cognito'
import { countingD1 } from './d1'

function configError(message: RegExp) {
  return expect.objectContaining({ code: 'ERR_COGNITO_CONFIG', message: expect.stringMatching(message) })
}

function build(options: Partial<D1UserStoreOptions>) {
  return () => d1UserStore({ database: env.DB, ...options })
}

describe('the lookup column', () => {
  it('a userField that is not unique is refused at startup', () => {
    expect(build({ userField: 'email' })).toThrow(
      configError(/^userField "email" must be unique in table "cognito_users" \(primary key, \.unique\(\) or a unique index/),
    )
  })

  it('a userField that is not a column is refused, naming it and the columns there are', () => {
    expect(build({ userField: 'cognito_sub' })).toThrow(
      configError(
        /^userField names "cognito_sub", which is not a column of table "cognito_users" \(columns: id, sub, username, email, groups, createdAt, updatedAt\)$/,
      ),
    )
  })

  it('a userField that is not a text column is refused', () => {
    expect(build({ userField: 'id' })).toThrow(configError(/^userField "id" must be a text column$/))
  })

  const uniqueWays = {
    'primary key': sqliteTable('a', { login: text('login').primaryKey() }),
    '.unique()': sqliteTable('b', { login: text('login').unique() }),
    'unique index': sqliteTable('c', { login: text('login') }, (t) => [uniqueIndex('c_login').on(t.login)]),
    'unique constraint': sqliteTable('d', { login: text('login') }, (t) => [unique('d_login').on(t.login)]),
  }
  for (const [way, table] of Object.entries(uniqueWays)) {
    it(`a lookup column made unique by a ${way} is accepted`, () => {
      expect(() => d1UserStore({ database: env.DB, table, userField: 'login', autoCreate: true })).not.toThrow()
    })
  }

  const notUniqueWays = {
    'plain index': sqliteTable('e', { login: text('login') }, (t) => [index('e_login').on(t.login)]),
    'unique index over two columns': sqliteTable('f', { login: text('login'), pool: text('pool') }, (t) => [
      uniqueIndex('f_login_pool').on(t.login, t.pool),
    ]),
  }
  for (const [way, table] of Object.entries(notUniqueWays)) {
    it(`a lookup column with only a ${way} is refused`, () => {
      expect(() => d1UserStore({ database: env.DB, table, userField: 'login' })).toThrow(configError(/must be unique in table/))
    })
  }
})

describe('the mapping', () => {
  it('a mapping that names a missing column is refused, naming it', () => {
    expect(build({ mapping: { nickname: 'nickname' } })).toThrow(
      configError(/^mapping names "nickname", which is not a column of table "cognito_users"/),
    )
  })

  it('the lookup column cannot be mapped: tokenField fills it', () => {
    expect(build({ mapping: { sub: 'custom:id' } })).toThrow(configError(/^mapping names "sub", which is the lookup column/))
  })

  it('a column that cannot hold a claim is refused', () => {
    const table = sqliteTable('g', { sub: text('sub').unique(), seen: integer('seen', { mode: 'timestamp' }) })
    expect(() => d1UserStore({ database: env.DB, table, mapping: { seen: 'auth_time' } })).toThrow(
      configError(/^mapping names "seen", a date column that cannot hold a claim$/),
    )
  })

  for (const mapping of [[], 'email', { email: '' }, { email: 42 }]) {
    it(`a malformed mapping ${JSON.stringify(mapping)} is refused`, () => {
      expect(build({ mapping: mapping as never })).toThrow(configError(/mapping/))
    })
  }
})

describe('the lookup claim', () => {
  const logins = sqliteTable('logins', { sub: text('sub').unique(), login: text('login').unique() })
  for (const tokenField of ['sub', 'cognito:username', 'username', 'email', 'phone_number']) {
    it(`tokenField "${tokenField}" needs no opt-in`, () => {
      const options = { database: env.DB, table: logins, tokenField, userField: 'login', mapping: { sub: 'sub' } }
      expect(() => d1UserStore(options)).not.toThrow()
    })
  }
})

describe('auto-create needs every NOT NULL column filled', () => {
  it('a NOT NULL column without a default that nothing fills is refused, naming it', () => {
    expect(build({ autoCreate: true, timestamps: null })).toThrow(
      configError(/^column "createdAt" is NOT NULL without a default and neither userField, mapping nor timestamps fill it/),
    )
  })

  it('without auto-create the store never inserts, so the same table is fine', () => {
    expect(build({ autoCreate: false, timestamps: null })).not.toThrow()
  })

  it('timestamps must name integer or timestamp columns', () => {
    expect(build({ timestamps: { updated: 'email' } })).toThrow(
      configError(/^timestamps.updated "email" must be an integer \(Unix milliseconds\) or timestamp column$/),
    )
  })
})

describe('other options', () => {
  const cases: [string, Partial<D1UserStoreOptions>, RegExp][] = [
    ['database missing', { database: undefined as never }, /^database must be a D1 binding such as env.DB$/],
    ['table not a drizzle table', { table: { name: 'users' } as never }, /^table must be a drizzle sqliteTable$/],
    ['tokenField empty', { tokenField: '' }, /^tokenField must be a non-empty string/],
    ['userField padded', { userField: ' sub' }, /^userField must be a non-empty string without padding$/],
    ['autoCreate a string', { autoCreate: 'yes' as never }, /^autoCreate must be true or false$/],
    ['unsafeLookupClaim a string', { unsafeLookupClaim: 'yes' as never }, /^unsafeLookupClaim must be true or false$/],
    ['cacheTtl negative', { cacheTtl: -1 }, /^cacheTtl must be a finite number ≥ 0$/],
    ['cacheTtl infinite', { cacheTtl: Infinity }, /^cacheTtl must be a finite number ≥ 0$/],
    ['cacheSize fractional', { cacheSize: 1.5 }, /^cacheSize must be a whole number from 0$/],
    ['now not a function', { now: 5 as never }, /^now must be a function$/],
    ['attributes unknown', { attributes: 'ldap' as never }, /^attributes must be "claims" or "admin-get-user"$/],
    ['admin-get-user without cognito', { attributes: 'admin-get-user' }, /needs cognito: a Cognito client or its options$/],
    [
      'admin-get-user with an unsigned client',
      { attributes: 'admin-get-user', cognito: { region: 'us-east-1' } },
      /needs a Cognito client with a signer: awsSigner\(credentials\)/,
    ],
    ['admin-get-user with a bad region', { attributes: 'admin-get-user', cognito: { region: 'mars' } }, /region "mars"/],
    [
      'admin-get-user with the old credentials option (a signer now)',
      { attributes: 'admin-get-user', cognito: { region: 'us-east-1', credentials: CREDENTIALS } as never },
      /^Cognito client options have no "credentials"/,
    ],
  ]
  for (const [name, options, message] of cases) {
    it(`${name} → ERR_COGNITO_CONFIG`, () => {
      expect(build(options)).toThrow(configError(message))
    })
  }

  it("takes the caller's options as they are: frozen objects work and nothing is changed", () => {
    const mapping = Object.freeze({ email: 'custom:mail' })
    const timestamps = Object.freeze({ created: 'createdAt', updated: 'updatedAt' })
    const options = Object.freeze({ database: env.DB, table: cognitoUsers, mapping, timestamps, autoCreate: true })
    expect(() => d1UserStore(options)).not.toThrow()
    expect(options).toEqual({
      database: env.DB,
      table: cognitoUsers,
      mapping: { email: 'custom:mail' },
      timestamps,
      autoCreate: true,
    })
  })

  it('building a store runs no statement, and the store itself is frozen', () => {
    const d1 = countingD1()
    const store = d1UserStore({ database: d1.database, autoCreate: true })
    expect(d1.statements).toEqual([])
    expect(Object.isFrozen(store)).toBe(true)
  })
})
