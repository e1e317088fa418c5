// Found by an adversarial review of the logout fixes (D1 takes one write and not the next): POST
// /auth/logout with routes.globalSignOut writes the sign-in's row, then the user's; the second fails,
// the answer is 503, and the client retries. Before the fix the retry found the access token "already
// refused" by its own sign-in's row and planned no user row: it answered 200 { global: true }, yet no
// isolate refused the thief's other sign-in.
//
// The defence: a sign-out everywhere writes one row, the user's, which ends that user's sign-ins (this
// one included) by itself: no write is left half done, and the retry records the user.
import { beforeEach, describe, expect, it } from 'vitest'
import { isolate, logout, me, resetRevocations, rows, signIn } from '../d1/revocation-rig'

beforeEach(resetRevocations)

/** revokeUser's batch (prune, supersede, insert); revokeSessions' is a batch of 2. */
const USER_WRITE = /^batch of 3$/

describe('sign out everywhere retried after D1 took the sign-in but not the user', () => {
  it("POST /auth/logout with globalSignOut: the retry records the user, and the thief's sign-in is refused", async () => {
    const a = isolate({}, { routes: { globalSignOut: true } })
    const mine = await signIn()
    const thiefs = await signIn() // another sign-in of the same user (same sub)
    expect((await me(a, thiefs)).status).toBe(200)

    a.d1.failWhen(USER_WRITE)
    const first = await logout(a, { ...mine, REFRESHTOKEN: 'my-refresh-token' })
    expect(first.status).toBe(503)

    a.d1.failWhen(null)
    const retry = await logout(a, { ...mine, REFRESHTOKEN: 'my-refresh-token' })
    // Before the fix: 200 { logged_out: true, revoked: true, global: true } — and no user row, the thief still in.
    expect(retry.status).toBe(200)
    expect((await rows()).filter((row) => row.kind === 'user')).toHaveLength(1)
    expect((await me(a, thiefs)).status).toBe(401)
  })
})
