// Failure, then an ordinary retry: a user presses "sign out everywhere" (POST /auth/logout with
// routes.globalSignOut, or the app's route over signOutEverywhere({ accessToken })) while Cognito
// fails (throttled, 5xx, unreachable). The list records the user first, so this isolate's copy now
// refuses the very access token the client still holds — and the client retries with it.
//
// Today the retry never reaches Cognito: planLogout finds the access token "already ended" and drops
// GlobalSignOut, answering 200 { global: false }; signOutEverywhere answers ERR_COGNITO_REVOKED and
// asks Cognito nothing. Cognito never signs the user out: every refresh token of the user stays
// valid at Cognito (a stolen one mints access tokens that Cognito's own user APIs — GetUser,
// UpdateUserAttributes, … — and every other service of the pool accept), and the client was told
// the retry succeeded. No retry with that token can ever complete the sign-out.
//
// What should happen: a token the list refuses only because of the user's own sign-out everywhere
// (recorded, but not confirmed by Cognito) still gets GlobalSignOut asked on a retry — or the
// failure is kept until Cognito has answered; the retry writes no new row all the same.
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
    const outcome = await signOutEverywhere(target, { accessToken: mine.ACCESSTOKEN as string }).then(
      () => 'signed out',
      (error: { code?: string }) => error.code,
    )
    expect(outcome).toBe('signed out')
    expect(a.cognito.calls.filter((call) => call.operation === 'GlobalSignOut')).toHaveLength(2)
  })
})
