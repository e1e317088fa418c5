// Attack on c3912c8's throttled logout (src/hono/routes/session.ts endSession). A thief holds a
// sign-in of the victim's account (stolen password, or a copy of a session). The victim notices and
// signs out everywhere (POST /auth/logout with routes.globalSignOut). Knowing only the username, the
// thief (or anyone) first spends the account's budget of the README's limiter (ACCOUNT_LIMIT keyed on
// `key`, shared by every route) with ten wrong passwords — and can keep it spent at ten a minute.
//
// Today: the victim's sign-out everywhere is refused by the limiter, which "holds back the writes
// only": RevokeToken and GlobalSignOut reach Cognito, but the revocation list records neither the
// sign-in nor the user. The edge verifies tokens locally, so the thief's access and ID tokens keep
// passing the auth middleware on every isolate until they expire (Cognito's access-token lifetime:
// up to 24 h) — the one thing the revocation list exists to stop — and the victim's every retry is
// refused again while the stranger keeps the budget spent.
//
// Should: the user's row is recorded whatever the account budget says — it adds no row (a user is one
// row, replaced by a later sign-out everywhere, and a replay writes nothing), so the budget that
// bounds one account's sign-in rows need not hold it back; the thief's sign-in is then refused.
import { beforeEach, describe, expect, it } from 'vitest'
import { cognitoError } from '../helpers/fake-cognito'
import { isolate, logout, me, resetRevocations, rows, signIn } from '../d1/revocation-rig'

beforeEach(resetRevocations)

/** The README's limiter: ACCOUNT_LIMIT (10 a minute per key) and IP_LIMIT (100 a minute per address). */
function readmeLimiter() {
  const account = new Map<string, number>()
  const address = new Map<string, number>()
  const take = (counts: Map<string, number>, key: string, limit: number) => {
    const count = (counts.get(key) ?? 0) + 1
    counts.set(key, count)
    return count <= limit
  }
  return (_c: unknown, { key, ip }: { key: string; ip: string | null }) =>
    (key === '' || take(account, key, 10)) && take(address, ip ?? 'no-ip', 100)
}

describe("a stranger's failed logins and the victim's sign-out everywhere", () => {
  it("the thief's sign-in is refused at the edge after the victim signs out everywhere", async () => {
    const a = isolate({}, { routes: { rateLimit: readmeLimiter(), globalSignOut: true } })
    const thiefs = await signIn() // the thief's sign-in of the victim's account (same sub, username 'alice')
    const victims = await signIn()
    expect((await me(a, thiefs)).status).toBe(200)

    // Ten wrong passwords for 'alice' spend the account budget (the limiter is keyed on the username alone).
    a.cognito.on('InitiateAuth', () => cognitoError('NotAuthorizedException', 'Incorrect username or password.'))
    for (let i = 0; i < 10; i++) {
      const res = await a.app.request('/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'alice', password: `guess-${i}` }),
      })
      expect(res.status).toBe(401)
    }

    await logout(a, { ...victims, REFRESHTOKEN: 'victims-refresh-token' }) // today 429, once Cognito was asked
    expect(a.cognito.calls.map((call) => call.operation)).toEqual(expect.arrayContaining(['RevokeToken', 'GlobalSignOut']))

    // Today: no row at all, and the thief's tokens still pass the middleware on every isolate.
    expect((await rows()).filter((row) => row.kind === 'user')).toHaveLength(1)
    expect((await me(a, thiefs)).status).toBe(401)
  })
})
