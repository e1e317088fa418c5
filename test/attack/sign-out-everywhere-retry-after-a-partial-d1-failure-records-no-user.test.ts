// Failure (D1 takes one write and not the next — an overloaded database, a write that times out): a
// user whose session was stolen presses "sign out everywhere" (POST /auth/logout with
// routes.globalSignOut). The logout writes the sign-in's row, then the user's row, as two writes; the
// second fails, so the answer is 503 ERR_COGNITO_REVOCATIONS_UNAVAILABLE and the client retries.
//
// What happens today: the retry finds the access token "already refused" — by its own sign-in's row,
// written on the first try — and plans no user row (`!accessEnded`, the same rule as alreadyRevoked in
// signOutEverywhere). It answers 200 { global: true }, yet the user's row is never written: the thief's
// sign-in is refused by no isolate, and its ID and access tokens keep working everywhere until they
// expire (an hour by default, up to a day), whatever GlobalSignOut did at Cognito.
//
// What should happen: "already refused" may skip the user's row only when the user's own row refuses
// the token (a sign-out everywhere recorded at or after its sign-in), not when the token's sign-in row
// does; the retry writes the user's row, and the thief's tokens are refused.
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
    // Today: 200 { logged_out: true, revoked: true, global: true } — and no user row, the thief still in.
    expect(retry.status).toBe(200)
    expect((await rows()).filter((row) => row.kind === 'user')).toHaveLength(1)
    expect((await me(a, thiefs)).status).toBe(401)
  })
})
