// Review item 1: a user row looked up by a claim the user can change. Cognito lets a user set their own
// email to someone else's address (UpdateUserAttributes with their access token; it stays unverified);
// with the seed's COGNITO_TOKEN_REF_FIELD=email and COGNITO_USER_MODEL_FIELD_REF_FIELD=email that token
// got the victim's row, and the auto-create upsert rewrote the row's sub to the attacker's.
import { env } from 'cloudflare:test'
import { drizzle } from 'drizzle-orm/d1'
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { userLookupFromEnv } from '../../src/index'
import { type D1UserStoreOptions, d1UserStore } from '../../src/d1'
import { idToken } from '../helpers/auth'
import { CLIENT_ID, NOW, POOL_ID } from '../helpers/tokens'
import { type CountingD1, countingD1, errorOf, userApp } from '../d1/d1'

/** An app's table with unique email, phone and badge columns to look users up by, and the sub kept beside them. */
const accounts = sqliteTable('accounts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  sub: text('sub').unique(),
  email: text('email').unique(),
  phone: text('phone').unique(),
  badge: text('badge').unique(),
  name: text('name'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
})
type Account = typeof accounts.$inferSelect

const VICTIM = '11111111-1111-4111-8111-111111111111'
const ATTACKER = '22222222-2222-4222-8222-222222222222'
const VICTIM_EMAIL = 'victim@example.com'
const EARLIER = NOW - 86_400_000

const db = drizzle(env.DB)
let d1: CountingD1
let clock: number

/** The store the seed's settings describe, on `accounts`: look users up by email, create them on first sight. */
function emailStore(overrides: Partial<D1UserStoreOptions<typeof accounts>> = {}) {
  const userLookup = userLookupFromEnv({
    COGNITO_POOL_ID: POOL_ID,
    APP_CLIENT_ID: CLIENT_ID,
    COGNITO_TOKEN_REF_FIELD: 'email',
    COGNITO_USER_MODEL_FIELD_REF_FIELD: 'email',
    COGNITO_USER_FIELD_MAPPING: '{"sub": "sub", "name": "name"}',
    AUTO_CREATE_USER: 'true',
  })
  const timestamps = { created: 'createdAt', updated: 'updatedAt' }
  return d1UserStore({ database: d1.database, table: accounts, ...userLookup, timestamps, now: () => clock, ...overrides })
}

/** The victim's row, as an earlier sign-in left it. */
async function victimRow(values: Partial<Account> = {}): Promise<Account> {
  const [row] = await db
    .insert(accounts)
    .values({ sub: VICTIM, email: VICTIM_EMAIL, name: 'Victim', createdAt: EARLIER, updatedAt: EARLIER, ...values })
    .returning()
  return row as Account
}

const attackerToken = (claims: Record<string, unknown> = {}) =>
  idToken({ sub: ATTACKER, 'cognito:username': 'mallory', name: 'Mallory', email: VICTIM_EMAIL, ...claims })

const rows = () => db.select().from(accounts).orderBy(accounts.id)

beforeAll(async () => {
  await env.DB.exec(
    'CREATE TABLE IF NOT EXISTS accounts (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, sub text UNIQUE, email text UNIQUE, phone text UNIQUE, badge text UNIQUE, name text, created_at integer NOT NULL, updated_at integer NOT NULL)',
  )
})

beforeEach(async () => {
  await db.delete(accounts)
  d1 = countingD1()
  clock = NOW
})

describe('an email or phone number that Cognito has not verified', () => {
  it("another user's email, email_verified false → 403 ERR_COGNITO_UNVERIFIED_CLAIM, the victim's row untouched", async () => {
    const victim = await victimRow()
    const { hono, handled } = userApp(emailStore())
    const response = await hono.request('/api/me', { headers: { IDTOKEN: await attackerToken({ email_verified: false }) } })
    expect(response.status).toBe(403)
    expect(await errorOf(response)).toBe('ERR_COGNITO_UNVERIFIED_CLAIM')
    expect(handled).toEqual([])
    expect(d1.statements).toEqual([])
    expect(await rows()).toEqual([victim])
  })

  // Cognito's tokens carry email_verified as JSON true; anything else is not a verification.
  for (const [form, verified] of [
    ['without email_verified', undefined],
    ['with email_verified "true" (a string)', 'true'],
  ] as const) {
    it(`another user's email ${form} → 403 ERR_COGNITO_UNVERIFIED_CLAIM, the victim's row untouched`, async () => {
      const victim = await victimRow()
      const { hono, handled } = userApp(emailStore())
      const response = await hono.request('/api/me', { headers: { IDTOKEN: await attackerToken({ email_verified: verified }) } })
      expect(response.status).toBe(403)
      expect(await errorOf(response)).toBe('ERR_COGNITO_UNVERIFIED_CLAIM')
      expect(handled).toEqual([])
      expect(await rows()).toEqual([victim])
    })
  }

  it("another user's phone_number, phone_number_verified false → 403 ERR_COGNITO_UNVERIFIED_CLAIM, row untouched", async () => {
    const victim = await victimRow({ phone: '+15550100' })
    const store = emailStore({ tokenField: 'phone_number', userField: 'phone', mapping: { sub: 'sub' } })
    const { hono, handled } = userApp(store)
    const token = await attackerToken({ phone_number: '+15550100', phone_number_verified: false })
    const response = await hono.request('/api/me', { headers: { IDTOKEN: token } })
    expect(response.status).toBe(403)
    expect(await errorOf(response)).toBe('ERR_COGNITO_UNVERIFIED_CLAIM')
    expect(handled).toEqual([])
    expect(await rows()).toEqual([victim])
  })
})

describe('a verified lookup value held by the row of another sub', () => {
  it('first sight with auto-create → 409 ERR_COGNITO_USER_CONFLICT, the guarded upsert writes nothing', async () => {
    const victim = await victimRow()
    const { hono, handled } = userApp(emailStore())
    const response = await hono.request('/api/me', { headers: { IDTOKEN: await attackerToken({ email_verified: true }) } })
    expect(response.status).toBe(409)
    expect(await errorOf(response)).toBe('ERR_COGNITO_USER_CONFLICT')
    expect(handled).toEqual([])
    expect(await rows()).toEqual([victim])
  })

  it('auto-create off → 409 ERR_COGNITO_USER_CONFLICT after one read, and no write', async () => {
    const victim = await victimRow()
    const { hono, handled } = userApp(emailStore({ autoCreate: false }))
    const response = await hono.request('/api/me', { headers: { IDTOKEN: await attackerToken({ email_verified: true }) } })
    expect(response.status).toBe(409)
    expect(await errorOf(response)).toBe('ERR_COGNITO_USER_CONFLICT')
    expect(handled).toEqual([])
    expect([d1.reads(), d1.writes()]).toEqual([1, 0])
    expect(await rows()).toEqual([victim])
  })

  it("a row cached for its owner is not served to another sub → 409, the victim's row untouched", async () => {
    const { hono, handled } = userApp(emailStore())
    const victimToken = await idToken({ sub: VICTIM, name: 'Victim', email: VICTIM_EMAIL, email_verified: true })
    expect((await hono.request('/api/me', { headers: { IDTOKEN: victimToken } })).status).toBe(200)
    const victim = await rows()
    clock += 1_000 // well within cacheTtl
    const response = await hono.request('/api/me', { headers: { IDTOKEN: await attackerToken({ email_verified: true }) } })
    expect(response.status).toBe(409)
    expect(await errorOf(response)).toBe('ERR_COGNITO_USER_CONFLICT')
    expect(handled.map((user) => user.sub)).toEqual([VICTIM])
    expect(await rows()).toEqual(victim)
  })

  it("a user whose verified email changed to one another sub's row holds → 409, both rows untouched", async () => {
    const victim = await victimRow()
    const [other] = await db
      .insert(accounts)
      .values({ sub: ATTACKER, email: 'mallory@example.com', createdAt: EARLIER, updatedAt: EARLIER })
      .returning()
    const { hono, handled } = userApp(emailStore())
    const response = await hono.request('/api/me', { headers: { IDTOKEN: await attackerToken({ email_verified: true }) } })
    expect(response.status).toBe(409)
    expect(await errorOf(response)).toBe('ERR_COGNITO_USER_CONFLICT')
    expect(handled).toEqual([])
    expect(await rows()).toEqual([victim, other])
  })

  it("a unique constraint D1 reports (an unclaimed row's email, for a sub that has a row) → 409, never a 5xx", async () => {
    const own = await victimRow({ email: 'old@example.com' })
    const [provisioned] = await db
      .insert(accounts)
      .values({ sub: null, email: VICTIM_EMAIL, createdAt: EARLIER, updatedAt: EARLIER })
      .returning()
    const { hono, handled } = userApp(emailStore())
    const token = await idToken({ sub: VICTIM, email: VICTIM_EMAIL, email_verified: true })
    const response = await hono.request('/api/me', { headers: { IDTOKEN: token } })
    expect(response.status).toBe(409)
    expect(await errorOf(response)).toBe('ERR_COGNITO_USER_CONFLICT')
    expect(handled).toEqual([])
    expect(await rows()).toEqual([own, provisioned])
  })
})

describe('the race: first requests of two subs with the same verified email, all at once', () => {
  it('one sub gets the row and keeps it; every request of the other → 409', async () => {
    const { hono } = userApp(emailStore())
    const tokens = {
      [VICTIM]: await idToken({ sub: VICTIM, email: VICTIM_EMAIL, email_verified: true }),
      [ATTACKER]: await attackerToken({ email_verified: true }),
    }
    const order = Array.from({ length: 12 }, (_, index) => (index % 2 ? VICTIM : ATTACKER))
    d1.gather(order.length) // every upsert reaches D1 before any runs
    const responses = await Promise.all(order.map((sub) => hono.request('/api/me', { headers: { IDTOKEN: tokens[sub]! } })))
    const [row] = await rows()
    expect(await rows()).toEqual([row])
    const owner = row?.sub
    expect([VICTIM, ATTACKER]).toContain(owner)
    for (const [index, response] of responses.entries()) {
      if (order[index] === owner) {
        expect(response.status).toBe(200)
        expect(((await response.json()) as { user: Account }).user).toEqual(row)
      } else {
        expect(response.status).toBe(409)
        expect(await errorOf(response)).toBe('ERR_COGNITO_USER_CONFLICT')
      }
    }
  })
})

describe("the user's own verified email changed (same sub, and no row holds the new address)", () => {
  it("with auto-create: the sub's row takes the new email in the one upsert, no 503 and no second row", async () => {
    const own = await victimRow()
    const { hono, handled } = userApp(emailStore())
    const token = await idToken({ sub: VICTIM, name: 'Victim', email: 'victim@new.example', email_verified: true })
    const response = await hono.request('/api/me', { headers: { IDTOKEN: token } })
    expect(response.status).toBe(200)
    expect(d1.writes()).toBe(1)
    expect(await rows()).toEqual([{ ...own, email: 'victim@new.example', updatedAt: NOW }])
    expect(handled).toEqual(await rows())
  })

  it('auto-create off: found by its sub and moved to the new email, not 403', async () => {
    const own = await victimRow()
    const { hono, handled } = userApp(emailStore({ autoCreate: false }))
    const token = await idToken({ sub: VICTIM, name: 'Victim', email: 'victim@new.example', email_verified: true })
    const response = await hono.request('/api/me', { headers: { IDTOKEN: token } })
    expect(response.status).toBe(200)
    expect(await rows()).toEqual([{ ...own, email: 'victim@new.example', updatedAt: NOW }])
    expect(handled).toEqual(await rows())
  })
})

describe('which claims may identify a user, checked when the store is built', () => {
  it('a claim users can set freely (custom:badge) as tokenField → ERR_COGNITO_CONFIG naming it and the opt-in', () => {
    expect(() => emailStore({ tokenField: 'custom:badge', userField: 'badge' })).toThrow(
      expect.objectContaining({
        code: 'ERR_COGNITO_CONFIG',
        message: expect.stringMatching(/^tokenField "custom:badge" is a claim .* unsafeLookupClaim: true$/),
      }),
    )
  })

  it('unsafeLookupClaim: true opts in, and a row of another sub is still refused → 409, row untouched', async () => {
    const victim = await victimRow({ badge: 'B-1' })
    const store = emailStore({ tokenField: 'custom:badge', userField: 'badge', unsafeLookupClaim: true })
    const { hono, handled } = userApp(store)
    const response = await hono.request('/api/me', { headers: { IDTOKEN: await attackerToken({ 'custom:badge': 'B-1' }) } })
    expect(response.status).toBe(409)
    expect(await errorOf(response)).toBe('ERR_COGNITO_USER_CONFLICT')
    expect(handled).toEqual([])
    expect(await rows()).toEqual([victim])
  })

  it('a tokenField other than sub with no column mapped from sub → ERR_COGNITO_CONFIG naming the fix', () => {
    expect(() => emailStore({ mapping: { name: 'name' } })).toThrow(
      expect.objectContaining({
        code: 'ERR_COGNITO_CONFIG',
        message: expect.stringMatching(
          /^tokenField "email" is not sub, .*map a unique text column from it, e\.g\. mapping: \{ sub: 'sub' \}$/,
        ),
      }),
    )
  })

  it('a column mapped from sub that is not unique → ERR_COGNITO_CONFIG naming it', () => {
    const loose = sqliteTable('loose', { email: text('email').unique(), cognitoSub: text('cognito_sub') })
    const build = () =>
      d1UserStore({ database: env.DB, table: loose, tokenField: 'email', userField: 'email', mapping: { cognitoSub: 'sub' } })
    expect(build).toThrow(
      expect.objectContaining({
        code: 'ERR_COGNITO_CONFIG',
        message: expect.stringMatching(/make "cognitoSub" a unique text column$/),
      }),
    )
  })
})
