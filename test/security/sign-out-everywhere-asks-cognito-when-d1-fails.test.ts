// Found by an adversarial review of the revocation fixes (D1 cannot take a write: an outage, or a
// write queue that times out): a user, or an administrator, signs a user out everywhere through
// signOutEverywhere — typically because a session was stolen. Before the fix the list's
// ERR_COGNITO_REVOCATIONS_UNAVAILABLE escaped before Cognito was asked: neither GlobalSignOut nor
// AdminUserGlobalSignOut was called, and every refresh token of the user stayed valid at Cognito.
//
// The defence: as in POST /auth/logout, Cognito is asked whatever the list answered; the list's
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
