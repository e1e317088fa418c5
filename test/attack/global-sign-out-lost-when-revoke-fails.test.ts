// Failing dependency (Cognito's RevokeToken throttled, 5xx or timing out): POST /auth/logout with
// routes.globalSignOut records this request's sign-in, then awaits RevokeToken — and when that
// throws, endSession never reaches recordGlobalSignOut nor GlobalSignOut. The user who pressed
// "sign out everywhere" (say, to shut out someone holding a stolen session of a different sign-in)
// gets a 503, their cookies are already cleared (so a retry carries no access token and cannot sign
// out everywhere either), and the other sessions stay valid on every isolate and at Cognito.
// README: "The list is written first, Cognito asked second: if Cognito then fails, the error is
// returned, and the sessions are refused all the same" — here they are not. (Throttling is not only
// bad luck: /auth/logout calls RevokeToken for any refresh token, without a verified token and
// without asking the rate limiter, so a stranger can push the account's RevokeToken rate up.)
//
// Correct: the sign-out everywhere is recorded (from the verified access token) before any Cognito
// call, as the sign-in is; a RevokeToken failure is reported after GlobalSignOut has been tried.
import { beforeEach, describe, expect, it } from 'vitest'
import { errorOf } from '../helpers/errors'
import { cognitoError } from '../helpers/fake-cognito'
import { NOW_SECONDS, SUB } from '../helpers/tokens'
import { isolate, logout, me, resetRevocations, rows, signIn } from '../d1/revocation-rig'

beforeEach(resetRevocations)

const failures: [string, () => Response | Promise<Response>][] = [
  ['throttled', () => cognitoError('TooManyRequestsException', 'Rate exceeded')],
  ['5xx', () => cognitoError('InternalErrorException', 'boom', 500)],
  ['unreachable', () => Promise.reject(new TypeError('fetch failed'))],
]

describe('POST /auth/logout with routes.globalSignOut while RevokeToken fails', () => {
  for (const [name, answer] of failures) {
    it(`RevokeToken ${name}: the user's other sessions are refused all the same`, async () => {
      const a = isolate({}, { routes: { globalSignOut: true } })
      a.cognito.on('RevokeToken', answer)
      const stolen = await signIn({ auth_time: NOW_SECONDS - 3000 }) // another sign-in of the same user
      const mine = await signIn()
      expect((await me(a, stolen)).status).toBe(200)

      const res = await logout(a, { ...mine, REFRESHTOKEN: 'my-refresh-token' })
      expect(res.status).toBeGreaterThanOrEqual(400) // the failure is told: fine

      expect((await rows()).filter((row) => row.kind === 'user').map((row) => row.key)).toEqual([SUB])
      expect((await errorOf(await me(a, stolen))).code).toBe('ERR_COGNITO_REVOKED')
      expect(a.cognito.calls.map((call) => call.operation)).toContain('GlobalSignOut')
    })
  }
})
