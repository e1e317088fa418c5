// Found by an adversarial review: before the fix, sign-out everywhere appended a new `user` row each
// second it was replayed. The unique index was (kind, key, not_before) and not_before is "now,
// rounded up", so one access token posted to POST /auth/logout (routes.globalSignOut) or to an
// app's signOutEverywhere endpoint once a second added a row a second — for as long as the token
// verified locally, even after its own sign-in was refused by the list and Cognito had revoked it.
// D1 kept every row, and every new isolate had to read them all (one read per 1,000) before its
// first answer: cold starts that wait (then 503) and D1 rows-read cost, bought with one sign-in.
//
// The defence: a sign-out everywhere with a token the list already refuses records nothing, and the
// list keeps one row per entry (unique on kind and key; a later sign-out everywhere replaces the
// user's row with a new one).
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
    // …and the replays add no row every isolate must load (before the fix: one a second).
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

  it('a new isolate reads the list once after 1,001 replays (before the fix: one read per 1,000 replayed rows)', async () => {
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
