// Found by an adversarial review of the revocation fixes (a failure, then an ordinary retry): a user
// presses "sign out everywhere" (POST /auth/logout with routes.globalSignOut, or an app route over
// signOutEverywhere({ accessToken })) while Cognito fails. The list records the user first, so this
// isolate then refuses the very access token the client retries with. Before the fix the retry
// never reached Cognito: the logout found the token "already ended" and dropped GlobalSignOut
// (200 { global: false }); signOutEverywhere answered ERR_COGNITO_REVOKED. Every refresh token of the
// user, a stolen one included, stayed valid at Cognito.
//
// The defence: a token the list already refuses writes no new row, and Cognito is asked all the
// same (it refuses a token it revoked itself).
import { signOutEverywhere } from 'cognito-edge'
import { beforeEach, describe, expect, it } from 'vitest'
import { errorOf } from '../helpers/errors'
import { cognitoError } from '../helpers/fake-cognito'
import { isolate, logout, resetRevocations, rows, signIn } from '../d1/revocation-rig'

beforeEach(resetRevocations)

const down = () => cognitoError('InternalErrorException', 'boom', 500)

describe('sign out everywhere retried after Cognito failed', () => {
  it('POST /auth/logout with globalSignOut: the retry asks Cognito for GlobalSignOut', async () => {
    const a = isolate({}, { routes: { globalSignOut: true } })
    const mine = await signIn()
    a.cognito.on('RevokeToken', down)
    a.cognito.on('GlobalSignOut', down)
    const first = await logout(a, { ...mine, REFRESHTOKEN: 'my-refresh-token' })
    expect(first.status).toBe(503)

    // Cognito is back; the client retries the same request.
    a.cognito.on('RevokeToken', () => ({}))
    a.cognito.on('GlobalSignOut', () => ({}))
    const callsBefore = a.cognito.calls.length
    const retry = await logout(a, { ...mine, REFRESHTOKEN: 'my-refresh-token' })
    const asked = a.cognito.calls.slice(callsBefore).map((call) => call.operation)
    const answer = retry.status === 200 ? ((await retry.json()) as { global: boolean }) : await errorOf(retry)
    expect({ asked, answer }).toEqual({
      asked: ['RevokeToken', 'GlobalSignOut'],
      answer: { logged_out: true, revoked: true, global: true },
    })
    expect((await rows()).filter((row) => row.kind === 'user')).toHaveLength(1) // still one row
  })

  it('signOutEverywhere({ accessToken }): the retry asks Cognito for GlobalSignOut', async () => {
    const a = isolate()
    const mine = await signIn()
    const target = a.edge
    a.cognito.on('GlobalSignOut', down)
    await expect(signOutEverywhere(target, { accessToken: mine.ACCESSTOKEN as string })).rejects.toMatchObject({
      code: 'ERR_COGNITO_UNAVAILABLE',
    })

    a.cognito.on('GlobalSignOut', () => ({}))
    const callsBefore = a.cognito.calls.length
    const outcome = await signOutEverywhere(target, { accessToken: mine.ACCESSTOKEN as string }).then(
      () => 'signed out',
      (error: { code?: string }) => error.code,
    )
    expect(outcome).toBe('signed out')
    expect(a.cognito.calls.slice(callsBefore).map((call) => call.operation)).toEqual(['GlobalSignOut'])
  })
})
