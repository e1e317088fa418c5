import { env } from 'cloudflare:test'
import { eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import { describe, expect, it } from 'vitest'
import { cognitoUsers } from '../../src/d1'

describe('rig: D1 through drizzle with the committed migration', () => {
  it('inserts and reads back a user row, with the JSON column and the unique sub', async () => {
    const db = drizzle(env.DB)
    const now = Date.now()
    const [inserted] = await db
      .insert(cognitoUsers)
      .values({ sub: 'rig-sub', username: 'rig', email: 'rig@example.com', groups: ['admins'], createdAt: now, updatedAt: now })
      .returning()
    expect(inserted?.id).toBeTypeOf('number')

    const rows = await db.select().from(cognitoUsers).where(eq(cognitoUsers.sub, 'rig-sub'))
    expect(rows).toEqual([
      {
        id: inserted?.id,
        sub: 'rig-sub',
        username: 'rig',
        email: 'rig@example.com',
        groups: ['admins'],
        createdAt: now,
        updatedAt: now,
      },
    ])

    const duplicate = await db
      .insert(cognitoUsers)
      .values({ sub: 'rig-sub', createdAt: now, updatedAt: now })
      .then(
        () => null,
        (error: unknown) => error,
      )
    expect(duplicate).toBeInstanceOf(Error)
    expect(String((duplicate as Error).cause)).toMatch(/UNIQUE constraint failed/)
  })
})
