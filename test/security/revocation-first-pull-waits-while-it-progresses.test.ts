// Found by an adversarial review: a new isolate must read the whole list before its first answer,
// one page of 1,000 rows at a time, each page bounded by 5 s. Before the fix, the requests that
// arrived meanwhile stopped waiting after 4 × 5 s and, the copy being empty, answered 503
// ERR_COGNITO_REVOCATIONS_UNAVAILABLE ('closed', the default) although D1 answered every page in
// time: every cold start served 503s for as long as its first pull of a large list lasted (and the
// list could be made large: see sign-out-everywhere-replay-adds-no-rows.test.ts).
//
// Here: 5,000 rows, D1 answering each page in 4.5 s (under the page bound). The defence: a request
// waits for a pull for as long as it progresses (each page within its bound), at most 60 s overall.
import { env } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { errorOf } from '../helpers/errors'
import { isolate, me, resetRevocations, signIn } from '../d1/revocation-rig'

beforeEach(resetRevocations)

const ROWS = 5000
const PAGE_MS = 4500

/** env.DB, with every read of the revocation list answered after PAGE_MS. */
function slowListReads(inner: D1Database): D1Database {
  const slow = (statement: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(statement, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property)
        if (typeof value !== 'function') return value
        if (property === 'bind') return (...params: unknown[]) => slow(target.bind(...params))
        if (property === 'all' || property === 'raw' || property === 'first' || property === 'run')
          return async (...args: unknown[]) => {
            await new Promise((resolve) => setTimeout(resolve, PAGE_MS))
            return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args)
          }
        return (value as (...a: unknown[]) => unknown).bind(target)
      },
    })
  return new Proxy(inner, {
    get(target, property) {
      if (property === 'prepare')
        return (sql: string) => (/cognito_revocations/i.test(sql) ? slow(target.prepare(sql)) : target.prepare(sql))
      const value: unknown = Reflect.get(target, property)
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
    },
  })
}

describe('a new isolate and a list of 5,000 rows', () => {
  it('a request arriving while the first pull runs gets its answer, not 503', async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 86_400
    const statements = Array.from({ length: ROWS }, (_, i) =>
      env.DB.prepare('INSERT INTO cognito_revocations (kind, key, not_before, expires_at) VALUES (?, ?, 0, ?)').bind(
        'session',
        `sign-in-${i}`,
        expiresAt,
      ),
    )
    for (let i = 0; i < statements.length; i += 500) await env.DB.batch(statements.slice(i, i + 500))

    const cold = isolate({ database: slowListReads(env.DB), now: () => Date.now() })
    const session = await signIn()
    const first = me(cold, session)
    await new Promise((resolve) => setTimeout(resolve, 50))
    const [firstRes, secondRes] = await Promise.all([first, me(cold, session)])
    expect(firstRes.status).toBe(200) // D1 answered every page in time
    expect(secondRes.status === 200 ? 200 : (await errorOf(secondRes)).code).toBe(200) // before the fix: ERR_COGNITO_REVOCATIONS_UNAVAILABLE
  }, 60_000)
})
