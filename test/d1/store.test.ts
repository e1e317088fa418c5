// d1UserStore through a real Hono app on real local D1: what lands in the table, and how many
// statements each path costs (counted on the binding).
import { env } from 'cloudflare:test'
import { count, eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import { Hono } from 'hono'
import { beforeEach, describe, expect, expectTypeOf, it } from 'vitest'
import { optionsFromEnv, userLookupFromEnv } from '../../src/index'
import { type CognitoAuthVariables, cognitoAuth } from '../../src/hono'
import { type CognitoUserRow, type D1UserStoreOptions, cognitoUsers, d1UserStore } from '../../src/d1'
import { accessToken, authOptions, idToken } from '../helpers/auth'
import { CLIENT_ID, NOW, POOL_ID, SUB } from '../helpers/tokens'
import { type CountingD1, countingD1, errorOf, userApp } from './d1'

const db = drizzle(env.DB)
let d1: CountingD1
let clock: number

function store(options: Partial<D1UserStoreOptions> = {}) {
  return d1UserStore({ database: d1.database, autoCreate: true, now: () => clock, ...options })
}

const rows = () => db.select().from(cognitoUsers)
const rowCount = async () => (await db.select({ rows: count() }).from(cognitoUsers))[0]?.rows

type App = { request(path: string, init: RequestInit): Response | Promise<Response> }

async function me(hono: App, headers: Record<string, string>) {
  const response = await hono.request('/api/me', { headers })
  return {
    status: response.status,
    response,
    user: response.ok ? ((await response.json()) as { user: CognitoUserRow }).user : null,
  }
}

beforeEach(async () => {
  await db.delete(cognitoUsers)
  d1 = countingD1()
  clock = NOW
})

describe('first sight, warm requests, expiry', () => {
  it('first sight creates the row with the default mapping in one write statement', async () => {
    const { hono, handled } = userApp(store())
    const { status, user } = await me(hono, { IDTOKEN: await idToken() })
    expect(status).toBe(200)
    expect(d1.statements).toHaveLength(1)
    expect(d1.statements[0]).toMatch(
      /^insert into "cognito_users" .* on conflict \("cognito_users"."sub"\) do update set .* returning /,
    )
    const [row] = await rows()
    expect(row).toEqual({
      id: expect.any(Number),
      sub: SUB,
      username: 'alice',
      email: 'alice@example.com',
      groups: ['admins'],
      createdAt: NOW,
      updatedAt: NOW,
    })
    expect(user).toEqual(row)
    expect(handled[0]).toEqual(row)
  })

  it('a warm request for a known user issues no statement', async () => {
    const { hono } = userApp(store())
    const headers = { IDTOKEN: await idToken() }
    await me(hono, headers)
    d1.reset()
    clock += 59_999
    const { status, user } = await me(hono, headers)
    expect(status).toBe(200)
    expect(user?.sub).toBe(SUB)
    expect(d1.statements).toEqual([])
  })

  it('a known user past the TTL costs one read, and no write when nothing changed', async () => {
    const { hono } = userApp(store())
    const headers = { IDTOKEN: await idToken() }
    await me(hono, headers)
    d1.reset()
    clock += 60_000
    const { user } = await me(hono, headers)
    expect(d1.reads()).toBe(1)
    expect(d1.writes()).toBe(0)
    expect(user?.updatedAt).toBe(NOW)
    d1.reset()
    await me(hono, headers) // the read renewed the entry
    expect(d1.statements).toEqual([])
  })

  it('cacheTtl is in seconds, and 0 checks D1 (one read) on every request', async () => {
    const { hono } = userApp(store({ cacheTtl: 0 }))
    const headers = { ACCESSTOKEN: await accessToken() }
    await me(hono, headers)
    d1.reset()
    await me(hono, headers)
    await me(hono, headers)
    expect([d1.reads(), d1.writes()]).toEqual([2, 0])
  })

  it('the cache is bounded: the least recently used user is dropped first', async () => {
    const { hono } = userApp(store({ cacheSize: 2 }))
    const users = ['user-a', 'user-b', 'user-c'].map((sub) => ({ ACCESSTOKEN: '', sub }))
    for (const user of users) user.ACCESSTOKEN = await accessToken({ sub: user.sub, username: user.sub })
    for (const { ACCESSTOKEN } of users) await me(hono, { ACCESSTOKEN })
    d1.reset()
    await me(hono, { ACCESSTOKEN: users[2]!.ACCESSTOKEN }) // still cached
    await me(hono, { ACCESSTOKEN: users[1]!.ACCESSTOKEN }) // still cached
    expect(d1.statements).toEqual([])
    await me(hono, { ACCESSTOKEN: users[0]!.ACCESSTOKEN }) // dropped: a first sight again
    expect(d1.writes()).toBe(1)
    expect(await rowCount()).toBe(3)
  })

  it('rows handed out are frozen, so no handler can change the cached row for the others', async () => {
    const hono = new Hono().use(cognitoAuth(authOptions({ users: store() })))
    hono.get('/', (c) =>
      c.json({ frozen: Object.isFrozen(c.var.cognito.user), groups: Object.isFrozen(c.var.cognito.user.groups) }),
    )
    const response = await hono.request('/', { headers: { IDTOKEN: await idToken() } })
    expect(await response.json()).toEqual({ frozen: true, groups: true })
  })
})

describe('changed attributes', () => {
  it('a changed claim updates the row after the TTL (one read, one write), never a second row', async () => {
    const { hono } = userApp(store())
    await me(hono, { IDTOKEN: await idToken() })
    const [created] = await rows()
    const changed = { IDTOKEN: await idToken({ email: 'alice@new.example', 'cognito:groups': ['admins', 'billing'] }) }

    d1.reset()
    clock += 1_000
    const within = await me(hono, changed) // at most once per cache period: the cached row is served
    expect(within.user?.email).toBe('alice@example.com')
    expect(d1.statements).toEqual([])

    clock += 60_000
    const after = await me(hono, changed)
    expect([d1.reads(), d1.writes()]).toEqual([1, 1])
    expect(after.user).toEqual({ ...created, email: 'alice@new.example', groups: ['admins', 'billing'], updatedAt: clock })
    expect(await rows()).toEqual([after.user])
  })

  it('another isolate seeing a known user for the first time refreshes it in the same single upsert', async () => {
    await me(userApp(store()).hono, { IDTOKEN: await idToken() })
    const [created] = await rows()
    clock += 5_000
    d1.reset()
    const { user } = await me(userApp(store()).hono, { IDTOKEN: await idToken({ email: 'alice@new.example' }) })
    expect(d1.writes()).toBe(1)
    expect(d1.reads()).toBe(0)
    expect(user).toEqual({ ...created, email: 'alice@new.example', updatedAt: clock })
    expect(await rowCount()).toBe(1)
  })

  it('an upsert that changes nothing leaves updatedAt alone', async () => {
    await me(userApp(store()).hono, { IDTOKEN: await idToken() })
    clock += 5_000
    const { user } = await me(userApp(store()).hono, { IDTOKEN: await idToken() })
    expect(user?.updatedAt).toBe(NOW)
    expect(user?.createdAt).toBe(NOW)
  })

  it('a user dropped from every group (Cognito omits cognito:groups) gets groups []', async () => {
    await me(userApp(store()).hono, { IDTOKEN: await idToken() })
    const { user } = await me(userApp(store()).hono, { IDTOKEN: await idToken({ 'cognito:groups': undefined }) })
    expect(user?.groups).toEqual([])
  })

  it('with only an access token: username from its username claim, absent claims leave columns alone', async () => {
    await me(userApp(store()).hono, { IDTOKEN: await idToken() })
    const { user } = await me(userApp(store()).hono, { ACCESSTOKEN: await accessToken({ username: 'alice2' }) })
    expect(user).toMatchObject({ username: 'alice2', email: 'alice@example.com' })
    const [row] = await rows()
    expect(row?.username).toBe('alice2')
  })

  it('claims of the ID token win over those of the access token', async () => {
    const { user } = await me(userApp(store()).hono, {
      IDTOKEN: await idToken({ 'cognito:groups': ['from-id'] }),
      ACCESSTOKEN: await accessToken({ 'cognito:groups': ['from-access'] }),
    })
    expect(user?.groups).toEqual(['from-id'])
  })

  it('mapping lays columns over the default mapping; mapping null maps nothing', async () => {
    const mapped = await me(userApp(store({ mapping: { email: 'custom:work_email' } })).hono, {
      IDTOKEN: await idToken({ 'custom:work_email': 'alice@work.example' }),
    })
    expect(mapped.user).toMatchObject({ username: 'alice', email: 'alice@work.example', groups: ['admins'] })
    await db.delete(cognitoUsers)
    const bare = await me(userApp(store({ mapping: null })).hono, { IDTOKEN: await idToken() })
    expect(bare.user).toMatchObject({ sub: SUB, username: null, email: null, groups: [] })
  })
})

describe('auto-create off', () => {
  it('an unknown user → 403 ERR_COGNITO_USER_NOT_FOUND, the handler never runs, nothing is written', async () => {
    const { hono, handled } = userApp(store({ autoCreate: false }))
    const { status, response } = await me(hono, { IDTOKEN: await idToken() })
    expect(status).toBe(403)
    expect(response.headers.get('www-authenticate')).toBeNull()
    expect(await response.json()).toEqual({
      error: 'no user matches the token and autoCreate is off',
      code: 'ERR_COGNITO_USER_NOT_FOUND',
    })
    expect(handled).toEqual([])
    expect([d1.reads(), d1.writes()]).toEqual([1, 0])
    expect(await rowCount()).toBe(0)
  })

  it('a known user is found with one read, and changed claims are written with one update', async () => {
    const now = NOW - 10_000
    await db
      .insert(cognitoUsers)
      .values({ sub: SUB, username: 'alice', email: 'old@example.com', createdAt: now, updatedAt: now })
    const { hono } = userApp(store({ autoCreate: false }))
    const { user } = await me(hono, { IDTOKEN: await idToken() })
    expect([d1.reads(), d1.writes()]).toEqual([1, 1])
    expect(d1.statements[1]).toMatch(/^update "cognito_users" set .* where "cognito_users"."sub" = \? returning/)
    expect(user).toMatchObject({ email: 'alice@example.com', groups: ['admins'], createdAt: now, updatedAt: NOW })
    d1.reset()
    await me(hono, { IDTOKEN: await idToken() })
    expect(d1.statements).toEqual([])
  })

  it('a row deleted while cached is noticed after the TTL → 403', async () => {
    await db.insert(cognitoUsers).values({ sub: SUB, createdAt: NOW, updatedAt: NOW })
    const { hono } = userApp(store({ autoCreate: false }))
    const headers = { ACCESSTOKEN: await accessToken() }
    expect((await me(hono, headers)).status).toBe(200)
    await db.delete(cognitoUsers).where(eq(cognitoUsers.sub, SUB))
    clock += 60_000
    const { response } = await me(hono, headers)
    expect(response.status).toBe(403)
    expect(await errorOf(response)).toBe('ERR_COGNITO_USER_NOT_FOUND')
  })
})

describe('D1 failures', () => {
  it('D1 throwing on first sight → 503 ERR_COGNITO_STORE_UNAVAILABLE with Retry-After, nothing written', async () => {
    d1.failWhen(/./)
    const { hono, handled } = userApp(store())
    const { response } = await me(hono, { IDTOKEN: await idToken() })
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toBe('5')
    expect(await response.json()).toEqual({ error: 'the user store (D1) failed', code: 'ERR_COGNITO_STORE_UNAVAILABLE' })
    expect(handled).toEqual([])
    expect(await rowCount()).toBe(0)
  })

  it('a write failing after a good read → 503, the row untouched, and the next request recovers', async () => {
    const { hono } = userApp(store())
    await me(hono, { IDTOKEN: await idToken() })
    const [before] = await rows()
    clock += 60_000
    d1.failWhen(/^insert|^update/)
    const changed = { IDTOKEN: await idToken({ email: 'alice@new.example' }) }
    expect((await me(hono, changed)).status).toBe(503)
    expect(await rows()).toEqual([before])
    d1.failWhen(null)
    const { user } = await me(hono, changed)
    expect(user?.email).toBe('alice@new.example')
    expect(await rowCount()).toBe(1)
  })

  it('the store error keeps the D1 error as its cause', async () => {
    d1.failWhen(/./)
    const users = store({ autoCreate: false })
    const error = await users
      .resolveUser({ idClaims: null, accessClaims: { sub: SUB } as never, accessToken: null })
      .catch((caught: unknown) => caught)
    // drizzle wraps D1's error in its own (with the SQL), which keeps D1's as its cause
    expect(error).toMatchObject({
      code: 'ERR_COGNITO_STORE_UNAVAILABLE',
      cause: expect.objectContaining({ cause: expect.objectContaining({ message: expect.stringMatching(/D1_ERROR/) }) }),
    })
  })
})

describe('the race: 25 concurrent first requests for a new user', () => {
  it('through the middleware: 25 upserts reach D1 at once, every request gets the one row', async () => {
    const { hono } = userApp(store())
    const headers = { IDTOKEN: await idToken(), ACCESSTOKEN: await accessToken() }
    d1.gather(25) // no statement runs before all 25 requests have sent theirs
    const results = await Promise.all(Array.from({ length: 25 }, () => me(hono, headers)))
    expect(results.map((result) => result.status)).toEqual(Array(25).fill(200))
    expect(d1.writes()).toBe(25)
    const [row] = await rows()
    expect(await rowCount()).toBe(1)
    for (const { user } of results) expect(user).toEqual(row)
  })

  it('straight into the store: 25 upserts in flight at once, one row, all 25 get it', async () => {
    const users = store()
    d1.gather(25)
    const claims = { sub: 'racer', 'cognito:username': 'racer', token_use: 'id' } as never
    const resolved = await Promise.all(
      Array.from({ length: 25 }, () => users.resolveUser({ idClaims: claims, accessClaims: null, accessToken: null })),
    )
    expect(d1.writes()).toBe(25)
    expect(await rowCount()).toBe(1)
    const [row] = await rows()
    expect(new Set(resolved.map((user) => user.id))).toEqual(new Set([row?.id]))
    expect(resolved.every((user) => user.username === 'racer')).toBe(true)
  })
})

describe('settings and types', () => {
  it("d1UserStore({ database, ...userLookupFromEnv(env) }) follows the seed's settings", async () => {
    const userLookup = userLookupFromEnv({
      COGNITO_POOL_ID: POOL_ID,
      APP_CLIENT_ID: CLIENT_ID,
      AUTO_CREATE_USER: 'true',
      COGNITO_USER_FIELD_MAPPING: '{"email": "custom:contact"}',
    })
    const users = d1UserStore({ database: d1.database, ...userLookup, now: () => clock })
    const { user } = await me(userApp(users).hono, { IDTOKEN: await idToken({ 'custom:contact': 'contact@example.com' }) })
    expect(user).toMatchObject({ sub: SUB, username: 'alice', email: 'contact@example.com' })
  })

  it('c.var.cognito.user is the row type of the table', async () => {
    const hono = new Hono<{ Variables: CognitoAuthVariables<CognitoUserRow> }>()
    const middleware = cognitoAuth(authOptions({ users: store() }))
    hono.use(middleware).get('/', (c) => {
      expectTypeOf(c.var.cognito.user).toEqualTypeOf<CognitoUserRow>()
      expectTypeOf(c.var.cognito.user.groups).toEqualTypeOf<string[]>()
      expectTypeOf(c.var.cognito.user.email).toEqualTypeOf<string | null>()
      return c.json({ sub: c.var.cognito.user.sub, groups: c.var.cognito.user.groups })
    })
    type Bindings = { DB: D1Database; COGNITO_POOL_ID: string; APP_CLIENT_ID: string; AUTO_CREATE_USER: string }
    const fromEnv = new Hono<{ Bindings: Bindings }>().use(
      cognitoAuth((bindings: Bindings) => ({
        ...authOptions(), // the test key set and clock; the pool comes from env
        ...optionsFromEnv(bindings, { users: 'in code' }), // the user store is built right here
        users: d1UserStore({ database: bindings.DB, ...userLookupFromEnv(bindings), now: () => clock }),
      })),
    )
    fromEnv.get('/', (c) => {
      expectTypeOf(c.var.cognito.user).toEqualTypeOf<CognitoUserRow>()
      return c.text(c.var.cognito.user.email ?? '')
    })
    // What the types promise is what the handlers get: the row of the token's user.
    const headers = { IDTOKEN: await idToken() }
    expect(await (await hono.request('/', { headers })).json()).toEqual({ sub: SUB, groups: ['admins'] })
    const bindings = { DB: d1.database, COGNITO_POOL_ID: POOL_ID, APP_CLIENT_ID: CLIENT_ID, AUTO_CREATE_USER: 'true' }
    expect(await (await fromEnv.request('/', { headers }, bindings)).text()).toBe('alice@example.com')
  })
})
