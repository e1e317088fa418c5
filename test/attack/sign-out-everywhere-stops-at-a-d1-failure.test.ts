// Failure (D1 cannot take a write: an outage, or a write queue that times out — the revocation list
// is one database every isolate leans on): a user, or an administrator, signs a user out everywhere
// through signOutEverywhere — the app's own "sign out everywhere" route (its @example), or the admin
// path — typically because a session was stolen.
//
// Today signOutEverywhere awaits revokeUser first and lets its ERR_COGNITO_REVOCATIONS_UNAVAILABLE
// escape before Cognito is asked: neither GlobalSignOut nor AdminUserGlobalSignOut is called. The
// sign-out is recorded nowhere — every refresh token of the user, the thief's included, stays valid at
// Cognito and on every isolate. POST /auth/logout with routes.globalSignOut, fixed in 257b438, tries
// every step ("its failure is told once Cognito has been asked too"); this entry point does not.
//
// What should happen: as for the route, Cognito is asked whatever the list answered, and the list's
// failure is thrown afterwards.
import { awsSigner, signOutEverywhere } from 'cognito-edge'
import { beforeEach, describe, expect, it } from 'vitest'
import { CREDENTIALS } from '../helpers/fake-cognito'
import { SUB } from '../helpers/tokens'
import { isolate, me, resetRevocations, signIn } from '../d1/revocation-rig'

beforeEach(resetRevocations)

const D1_DOWN = /cognito_revocations|^batch/

describe('signOutEverywhere while D1 cannot take the write', () => {
  it('{ accessToken }: the list fails, and GlobalSignOut is still asked', async () => {
    const a = isolate()
    const mine = await signIn()
    expect((await me(a, mine)).status).toBe(200) // the copy is fresh
    a.d1.failWhen(D1_DOWN)
    await expect(signOutEverywhere(a.edge, { accessToken: mine.ACCESSTOKEN as string })).rejects.toMatchObject({
      code: 'ERR_COGNITO_REVOCATIONS_UNAVAILABLE',
    })
    expect(a.cognito.calls.map((call) => call.operation)).toEqual(['GlobalSignOut'])
  })

  it('{ userPoolId, username, sub }: the list fails, and AdminUserGlobalSignOut is still asked', async () => {
    const a = isolate({}, { cognito: { signer: awsSigner(CREDENTIALS) } })
    a.d1.failWhen(D1_DOWN)
    await expect(
      signOutEverywhere(a.edge, { userPoolId: 'us-east-1_TestPool1', username: 'alice', sub: SUB }),
    ).rejects.toMatchObject({ code: 'ERR_COGNITO_REVOCATIONS_UNAVAILABLE' })
    expect(a.cognito.calls.map((call) => call.operation)).toEqual(['AdminUserGlobalSignOut'])
  })
})
