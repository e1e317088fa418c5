// Attack (a signed-up user, one access token): sign-out everywhere appends a new `user` row each
// second it is replayed. The unique index is (kind, key, not_before) and not_before is "now, rounded
// up", so the same token posted to POST /auth/logout (routes.globalSignOut) or to an app's
// signOutEverywhere endpoint once a second adds one row per second — for as long as the token
// verifies locally (an hour by default, up to a day), even after its own sign-in is already refused
// by the list and Cognito has revoked it (the row is written before Cognito is asked, and Cognito's
// refusal comes too late). Per isolate memory stays one entry per sub, but D1 keeps every row for
// tokenLifetime, and every new isolate must read them all (one read per 1,000) before its first
// answer: N accounts × 86,400 rows a day, i.e. cold starts that wait (then 503) and D1 rows-read cost,
// bought with no Cognito sign-in at all.
//
// Correct: sign-out everywhere of a user already signed out everywhere since this token's sign-in
// (the list already refuses it) records nothing more — at most one row per sign-in, as a logout.
import { env } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { signOutEverywhere } from '../../src/index'
import { cognitoError } from '../helpers/fake-cognito'
import { NOW } from '../helpers/tokens'
import { clock, isolate, logout, me, resetRevocations, rows, signIn } from '../d1/revocation-rig'

beforeEach(resetRevocations)

/** Cognito as it is: the first GlobalSignOut revokes the access token, later ones are refused. */
function realisticGlobalSignOut(a: ReturnType<typeof isolate>) {
  let signedOut = false
  a.cognito.on('GlobalSignOut', () => {
    if (signedOut) return cognitoError('NotAuthorizedException', 'Access Token has been revoked')
    signedOut = true
    return {}
  })
}

const userRows = async () => (await rows()).filter((row) => row.kind === 'user')

describe('sign-out everywhere, replayed with one access token', () => {
  it('POST /auth/logout (routes.globalSignOut) once a second for a minute: one user row, not sixty', async () => {
    const a = isolate({}, { routes: { globalSignOut: true } })
    realisticGlobalSignOut(a)
    const session = await signIn()
    for (let second = 0; second < 60; second++) {
      clock.now = NOW + second * 1000
      await logout(a, { ACCESSTOKEN: session.ACCESSTOKEN as string })
    }
    // The token's own sign-in has been refused since the first call…
    expect((await me(a, session)).status).toBe(401)
    // …yet every call appended a row every isolate must load.
    expect(await userRows()).toHaveLength(1)
  })

  it('signOutEverywhere(edge, { accessToken }) behind an app route: one user row however often it is called', async () => {
    const a = isolate()
    realisticGlobalSignOut(a)
    const session = await signIn()
    for (let second = 0; second < 60; second++) {
      clock.now = NOW + second * 1000
      await signOutEverywhere(a.edge, { accessToken: session.ACCESSTOKEN as string }).catch(() => {})
    }
    expect(await userRows()).toHaveLength(1)
  })

  it('a new isolate reads the list once after 1,001 replays (today: one read per 1,000 replayed rows)', async () => {
    const a = isolate()
    realisticGlobalSignOut(a)
    const session = await signIn()
    for (let second = 0; second <= 1000; second++) {
      clock.now = NOW + second * 1000
      await signOutEverywhere(a.edge, { accessToken: session.ACCESSTOKEN as string }).catch(() => {})
    }
    const cold = isolate()
    const someoneElse = await signIn({ sub: 'bbbbbbbb-0000-4000-8000-000000000001' })
    expect((await me(cold, someoneElse)).status).toBe(200)
    expect(cold.d1.reads()).toBe(1)
    const { results } = await env.DB.prepare('SELECT COUNT(*) AS n FROM cognito_revocations').all<{ n: number }>()
    expect(results[0]?.n).toBe(1)
  }, 60_000)
})
