// d1UserStore looked up by a verified email on an app's table that keeps each row's sub beside it: how
// rows are created, claimed and followed when the address changes. (What is refused: test/security/.)
import { env } from 'cloudflare:test'
import { drizzle } from 'drizzle-orm/d1'
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { d1UserStore } from '../../src/d1'
import { idToken } from '../helpers/auth'
import { SUB } from '../helpers/tokens'
import { type CountingD1, countingD1, userApp } from './d1'

/** Provisioned by the app before people sign in: sub stays NULL until its owner's first request. */
const staff = sqliteTable('staff', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  sub: text('sub').unique(),
  email: text('email').notNull().unique(),
  name: text('name'),
})

/** Keyed by the sub itself. */
const profiles = sqliteTable('profiles', {
  sub: text('sub').primaryKey(),
  email: text('email').notNull().unique(),
})

const db = drizzle(env.DB)
let d1: CountingD1

function staffStore(autoCreate: boolean) {
  return d1UserStore({
    database: d1.database,
    table: staff,
    tokenField: 'email',
    userField: 'email',
    mapping: { sub: 'sub', name: 'name' },
    autoCreate,
  })
}

type App = { request(path: string, init: RequestInit): Response | Promise<Response> }

async function me(hono: App, claims: Record<string, unknown> = {}) {
  const token = await idToken({ email_verified: true, name: 'Alice', ...claims })
  return hono.request('/api/me', { headers: { IDTOKEN: token } })
}

beforeAll(async () => {
  await env.DB.exec(
    'CREATE TABLE IF NOT EXISTS staff (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, sub text UNIQUE, email text NOT NULL UNIQUE, name text)',
  )
  await env.DB.exec('CREATE TABLE IF NOT EXISTS profiles (sub text PRIMARY KEY NOT NULL, email text NOT NULL UNIQUE)')
})

beforeEach(async () => {
  await db.delete(staff)
  await db.delete(profiles)
  d1 = countingD1()
})

describe('looked up by a verified email', () => {
  it('first sight creates the row with the sub beside the email, in one write', async () => {
    const { hono, handled } = userApp(staffStore(true))
    expect((await me(hono)).status).toBe(200)
    expect(d1.statements).toHaveLength(1)
    expect(await db.select().from(staff)).toEqual([
      { id: expect.any(Number), sub: SUB, email: 'alice@example.com', name: 'Alice' },
    ])
    expect(handled).toEqual(await db.select().from(staff))
  })

  for (const autoCreate of [false, true]) {
    it(`a provisioned row without a sub is claimed by the verified owner of its email (autoCreate ${autoCreate})`, async () => {
      const [provisioned] = await db.insert(staff).values({ email: 'alice@example.com' }).returning()
      const { hono, handled } = userApp(staffStore(autoCreate))
      expect((await me(hono)).status).toBe(200)
      expect(await db.select().from(staff)).toEqual([{ ...provisioned, sub: SUB, name: 'Alice' }])
      expect(handled).toEqual(await db.select().from(staff))
    })
  }

  it('a table keyed by sub fills its primary key from sub, and the row follows a changed email', async () => {
    const store = d1UserStore({
      database: d1.database,
      table: profiles,
      tokenField: 'email',
      userField: 'email',
      mapping: { sub: 'sub' },
      autoCreate: true,
    })
    expect((await me(userApp(store).hono)).status).toBe(200)
    expect((await me(userApp(store).hono, { email: 'alice@new.example' })).status).toBe(200)
    expect(await db.select().from(profiles)).toEqual([{ sub: SUB, email: 'alice@new.example' }])
  })
})
