// Bounded cost, bounded staleness: each "isolate" (its own d1Revocations over the same D1) answers
// from its copy without D1 while the copy is fresh, reads D1 about once per maxStaleness whatever
// its traffic — in the background — and honours another isolate's revocation once its copy is
// maxStaleness old at the latest.
import { env } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { errorOf } from '../helpers/errors'
import { NOW, SUB } from '../helpers/tokens'
import { clock, isolate, logout, me, resetRevocations, rows, signIn } from './revocation-rig'

beforeEach(resetRevocations)

const S = 10_000 // the default maxStaleness, in milliseconds

/** An execution context that collects what is handed to waitUntil. */
function executionContext() {
  const handed: Promise<unknown>[] = []
  return {
    handed,
    ctx: { waitUntil: (promise: Promise<unknown>) => void handed.push(promise), passThroughOnException() {}, props: {} },
  }
}

describe('cost: reads of D1', () => {
  it('a fresh copy answers without D1: after the first read, 50 requests within maxStaleness read nothing', async () => {
    const a = isolate()
    const session = await signIn()
    for (let i = 0; i < 50; i++) {
      clock.now = NOW + i * 100
      expect((await me(a, session)).status).toBe(200)
    }
    expect(a.d1.reads()).toBe(1)
  })

  it('one read per window whatever the traffic: 3,000 requests over 60 s → 6 reads after the first', async () => {
    const a = isolate()
    const sessions = await Promise.all(Array.from({ length: 20 }, () => signIn()))
    for (let i = 0; i <= 3000; i++) {
      clock.now = NOW + i * 20
      expect((await me(a, sessions[i % sessions.length] as Record<string, string>)).status).toBe(200)
    }
    // One read on first sight, then one per window of maxStaleness − the lead (≤ 10 % of it).
    expect(a.d1.reads()).toBe(7)
  })

  it('under traffic the pull runs in the background: the request that starts it neither waits nor queries on its path', async () => {
    const a = isolate()
    const session = await signIn()
    await me(a, session) // the first read
    a.d1.gather(2) // holds the next statement (the pull) until a second one arrives
    clock.now = NOW + S - 20 // inside the lead: the pull is due soon, the copy still fresh
    const { ctx, handed } = executionContext()
    const res = await a.app.request('/api/me', { headers: session }, {}, ctx)
    expect(res.status).toBe(200)
    expect(handed).toHaveLength(1) // the pull, kept alive past the response
    expect(a.d1.reads()).toBe(2) // started, and still held
    await a.d1.database.prepare('SELECT 1').all() // releases the gathered pull
    await Promise.all(handed)
  })

  it('a new isolate reads the whole list once, a page of 1,000 entries per read, before its first answer', async () => {
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)
       INSERT INTO cognito_revocations (kind, key, not_before, expires_at) SELECT 'session', 'sign-in-' || i, 0, ? FROM n`,
    )
      .bind(NOW / 1000 + 3600)
      .run()
    const b = isolate()
    expect((await me(b, await signIn({ origin_jti: 'sign-in-1234' }))).status).toBe(401)
    expect(b.d1.reads()).toBe(2)
    expect((await me(b, await signIn())).status).toBe(200)
    expect(b.d1.reads()).toBe(2)
  })
})

describe('staleness: another isolate’s revocation', () => {
  it('is refused here once this copy is maxStaleness old, at the latest — and not a moment before at a cost', async () => {
    const a = isolate()
    const b = isolate()
    const session = await signIn()
    expect((await me(b, session)).status).toBe(200) // b's copy, as of NOW
    clock.now = NOW + 1000
    await logout(a, session)
    expect((await me(a, session)).status).toBe(401) // the isolate that logged out refuses at once
    clock.now = NOW + S - 500
    expect((await me(b, session)).status).toBe(200) // b's copy is fresh: stale by design, no read
    expect(b.d1.reads()).toBe(1)
    clock.now = NOW + S
    const res = await me(b, session)
    expect((await errorOf(res)).code).toBe('ERR_COGNITO_REVOKED')
    expect(b.d1.reads()).toBe(2)
  })

  it('an idle isolate whose copy went stale reads D1 before deciding (one read, on that request)', async () => {
    const a = isolate()
    const b = isolate()
    const session = await signIn()
    await me(b, session)
    clock.now = NOW + 5 * 60_000
    await a.list.revokeUser(SUB)
    clock.now = NOW + 5 * 60_000 + 1
    expect((await errorOf(await me(b, session))).code).toBe('ERR_COGNITO_REVOKED')
    expect(b.d1.reads()).toBe(2)
  })
})

describe('pruning', () => {
  it('a write deletes the rows whose tokens have all expired; the isolate that wrote refuses the new one at once', async () => {
    const a = isolate({ refreshTokenLifetime: 3600 })
    const first = await signIn()
    await logout(a, first)
    clock.now = NOW + 3601_000
    const second = await signIn()
    await logout(a, second)
    expect(await rows()).toHaveLength(1)
    expect((await errorOf(await me(a, second))).code).toBe('ERR_COGNITO_REVOKED')
  })
})
