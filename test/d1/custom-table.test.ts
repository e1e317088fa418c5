// d1UserStore on an app's own drizzle table, with its own lookup claim, lookup column and mapping.
import { env } from 'cloudflare:test'
import { drizzle } from 'drizzle-orm/d1'
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { Hono } from 'hono'
import { beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest'
import { type CognitoAuthVariables, cognitoAuth } from '../../src/hono'
import { d1UserStore } from '../../src/d1'
import { accessToken, authOptions, idToken } from '../helpers/auth'
import { NOW, OTHER_ISSUER, OTHER_POOL_ID, POOL_ID, SUB } from '../helpers/tokens'
import { type CountingD1, countingD1, errorOf, userApp } from './d1'

/**
 * An app's member table: looked up by Cognito username, unique through an index rather than .unique(), with the
 * sub kept beside it (a lookup claim other than sub needs that column: a row is only ever its own sub's).
 */
const members = sqliteTable(
  'members',
  {
    memberId: integer('member_id').primaryKey({ autoIncrement: true }),
    cognitoName: text('cognito_name').notNull(),
    cognitoSub: text('cognito_sub').notNull().unique(),
    mail: text('mail'),
    displayName: text('display_name').notNull().default('anonymous'),
    verified: integer('verified', { mode: 'boolean' }),
    roles: text('roles', { mode: 'json' }).$type<string[]>(),
    joinedAt: integer('joined_at', { mode: 'timestamp_ms' }).notNull(),
    plan: text('plan').notNull().default('free'),
  },
  (table) => [uniqueIndex('members_cognito_name').on(table.cognitoName)],
)
type Member = typeof members.$inferSelect

const db = drizzle(env.DB)
let d1: CountingD1

function memberStore() {
  return d1UserStore({
    database: d1.database,
    table: members,
    tokenField: 'cognito:username',
    userField: 'cognito_name', // SQL names work as well as drizzle keys
    mapping: { cognitoSub: 'sub', mail: 'email', displayName: 'name', verified: 'email_verified', roles: 'cognito:groups' },
    timestamps: { created: 'joinedAt' },
    autoCreate: true,
    now: () => NOW,
  })
}

beforeAll(async () => {
  await env.DB.exec(
    "CREATE TABLE IF NOT EXISTS members (member_id integer PRIMARY KEY AUTOINCREMENT NOT NULL, cognito_name text NOT NULL, cognito_sub text NOT NULL UNIQUE, mail text, display_name text DEFAULT 'anonymous' NOT NULL, verified integer, roles text, joined_at integer NOT NULL, plan text DEFAULT 'free' NOT NULL)",
  )
  await env.DB.exec('CREATE UNIQUE INDEX IF NOT EXISTS members_cognito_name ON members (cognito_name)')
})

beforeEach(async () => {
  await db.delete(members)
  d1 = countingD1()
})

describe('a custom table', () => {
  it('creates the member from the mapped claims, keyed by the Cognito username', async () => {
    const { hono, handled } = userApp(memberStore())
    const response = await hono.request('/api/me', { headers: { IDTOKEN: await idToken({ name: 'Alice Liddell' }) } })
    expect(response.status).toBe(200)
    expect(d1.statements).toHaveLength(1)
    expect(d1.statements[0]).toMatch(/on conflict \("members"."cognito_name"\) do update/)
    const expected: Member = {
      memberId: expect.any(Number) as unknown as number,
      cognitoName: 'alice',
      cognitoSub: SUB,
      mail: 'alice@example.com',
      displayName: 'Alice Liddell',
      verified: true,
      roles: ['admins'],
      joinedAt: new Date(NOW),
      plan: 'free',
    }
    expect(await db.select().from(members)).toEqual([expected])
    expect(handled).toEqual([expected])
  })

  it('finds the same member from an access token alone (username instead of cognito:username)', async () => {
    const store = memberStore()
    await userApp(store).hono.request('/api/me', { headers: { IDTOKEN: await idToken({ name: 'Alice Liddell' }) } })
    const { hono, handled } = userApp(memberStore())
    const response = await hono.request('/api/me', { headers: { ACCESSTOKEN: await accessToken() } })
    expect(response.status).toBe(200)
    // no name or email in an access token: those columns keep what the ID token put there
    expect(handled[0]).toMatchObject({ cognitoName: 'alice', displayName: 'Alice Liddell', mail: 'alice@example.com' })
    expect(await db.select().from(members)).toHaveLength(1)
  })

  it('the lookup claim missing from the token → 401 ERR_COGNITO_CLAIM, never a 500, and no statement', async () => {
    const { hono, handled } = userApp(memberStore())
    const response = await hono.request('/api/me', { headers: { IDTOKEN: await idToken({ 'cognito:username': undefined }) } })
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="cognito-edge", error="invalid_token", error_description="the token has no cognito:username claim to find the user by"',
    )
    expect(await errorOf(response)).toBe('ERR_COGNITO_CLAIM')
    expect(handled).toEqual([])
    expect(d1.statements).toEqual([])
  })

  it('a claim that does not fit its column → 401 ERR_COGNITO_CLAIM, nothing written', async () => {
    const { hono } = userApp(memberStore())
    const response = await hono.request('/api/me', { headers: { IDTOKEN: await idToken({ email_verified: 'maybe' }) } })
    expect(response.status).toBe(401)
    expect(await errorOf(response)).toBe('ERR_COGNITO_CLAIM')
    expect(await db.select().from(members)).toEqual([])
  })

  it('AdminGetUser-style string attributes are stored in the column type ("true" → true)', async () => {
    const { hono, handled } = userApp(memberStore())
    await hono.request('/api/me', { headers: { IDTOKEN: await idToken({ email_verified: 'false' }) } })
    expect(handled[0]?.verified).toBe(false)
  })

  it("the same username in a second pool is another sub → 409 ERR_COGNITO_USER_CONFLICT, the first pool's row untouched", async () => {
    const hono = new Hono().use(
      cognitoAuth(authOptions({ pool: { userPoolId: [POOL_ID, OTHER_POOL_ID] }, users: memberStore() })),
    )
    hono.get('/', (c) => c.json(c.var.cognito.user))
    await hono.request('/', { headers: { IDTOKEN: await idToken() } })
    const first = await db.select().from(members)
    const otherPool = await idToken({ iss: OTHER_ISSUER, sub: 'ffffffff-0000-4000-8000-000000000001' })
    const response = await hono.request('/', { headers: { IDTOKEN: otherPool } })
    expect(response.status).toBe(409)
    expect(await errorOf(response)).toBe('ERR_COGNITO_USER_CONFLICT')
    expect(first).toMatchObject([{ cognitoName: 'alice', cognitoSub: SUB }])
    expect(await db.select().from(members)).toEqual(first)
  })

  it('c.var.cognito.user is the custom row type', () => {
    const hono = new Hono<{ Variables: CognitoAuthVariables<Member> }>()
    hono.use(cognitoAuth(authOptions({ users: memberStore() }))).get('/', (c) => {
      expectTypeOf(c.var.cognito.user).toEqualTypeOf<Member>()
      expectTypeOf(c.var.cognito.user.joinedAt).toEqualTypeOf<Date>()
      expectTypeOf(c.var.cognito.user.roles).toEqualTypeOf<string[] | null>()
      return c.text('ok')
    })
    expect(d1.statements).toEqual([])
  })
})
