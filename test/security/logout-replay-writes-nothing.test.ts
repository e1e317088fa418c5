// Found by an adversarial review (a signed-up user with one token — an expired one will do, logout
// accepts it for as long as its key is in the pool's key set): before the fix every POST /auth/logout
// carrying a verified token ran a D1 write batch, even when the sign-in was already in the list — in
// D1 and in this isolate's copy. /auth/logout asks no rate limiter, so one token bought an unbounded
// stream of write transactions on the one D1 database every isolate's revocation pull also waits on;
// pulls that queue past their 5 s bound fail, and after failAfter every isolate refuses every session
// with 503 ERR_COGNITO_REVOCATIONS_UNAVAILABLE ('closed', the default).
//
// The defence: a logout whose sign-ins the list (this isolate's copy, read from D1) already refuses
// writes nothing.
import { beforeEach, describe, expect, it } from 'vitest'
import { expiredTimes, isolate, logout, me, resetRevocations, rows, signIn } from '../d1/revocation-rig'

beforeEach(resetRevocations)

describe('a logout replayed with a sign-in the list already holds', () => {
  it('50 replays on one isolate: one D1 write, not fifty', async () => {
    const a = isolate()
    const session = await signIn(expiredTimes)
    for (let i = 0; i < 50; i++) expect((await logout(a, session)).status).toBe(200)
    expect(await rows()).toHaveLength(1)
    expect(a.d1.writes()).toBe(1)
  })

  it('replayed on another isolate whose copy already holds the entry: no D1 write', async () => {
    const a = isolate()
    const b = isolate()
    const session = await signIn(expiredTimes)
    await logout(a, session)
    expect((await me(b, await signIn())).status).toBe(200) // b's copy now holds the entry
    b.d1.reset()
    for (let i = 0; i < 10; i++) await logout(b, session)
    expect(b.d1.writes()).toBe(0)
  })
})
