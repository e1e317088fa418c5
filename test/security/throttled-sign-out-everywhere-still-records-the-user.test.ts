// Found by an adversarial review of the logout limit. A thief holds a sign-in of the victim's account;
// the victim signs out everywhere (POST /auth/logout with routes.globalSignOut). Knowing only the
// username, anyone can first spend the account's budget of the README's limiter (keyed on `key`,
// shared by every route) with ten wrong passwords a minute. An intermediate fix let the limiter hold
// back every list write: Cognito was asked, but the user was not recorded, and the thief's tokens kept
// passing the middleware on every isolate until they expired (up to 24 h).
//
// The defence: the limiter bounds the rows of sign-ins only. A sign-out everywhere is one row per
// user (replaced, never added; a replay writes nothing) and is recorded whatever the budget says.
import { beforeEach, describe, expect, it } from 'vitest'
import { readmeLimiter } from '../helpers/edge-requests'
import { cognitoError } from '../helpers/fake-cognito'
import { isolate, logout, me, resetRevocations, rows, signIn } from '../d1/revocation-rig'

beforeEach(resetRevocations)

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

    await logout(a, { ...victims, REFRESHTOKEN: 'victims-refresh-token' })
    expect(a.cognito.calls.map((call) => call.operation)).toEqual(expect.arrayContaining(['RevokeToken', 'GlobalSignOut']))

    // Before the fix: no row at all, and the thief's tokens passed the middleware on every isolate.
    expect((await rows()).filter((row) => row.kind === 'user')).toHaveLength(1)
    expect((await me(a, thiefs)).status).toBe(401)
  })
})
