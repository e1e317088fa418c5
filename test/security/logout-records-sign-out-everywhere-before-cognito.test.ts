// Found by an adversarial review: before the fix, POST /auth/logout with routes.globalSignOut recorded
// this request's sign-in, then awaited RevokeToken — and when that threw (throttled, 5xx, timing
// out), endSession never reached the recording of the sign-out everywhere nor GlobalSignOut. The
// user who pressed "sign out everywhere" (say, to shut out someone holding a stolen session of
// another sign-in) got an error, their cookies were already cleared (so a retry carried no access
// token), and the other sessions stayed valid on every isolate and at Cognito. (/auth/logout calls
// RevokeToken for any refresh token, so a stranger can push the account's RevokeToken rate up.)
//
// The defence: the sign-out everywhere is recorded (from the verified access token) before any
// Cognito call, as the sign-in is; GlobalSignOut is tried even when RevokeToken failed, and the
// first failure is answered at the end.
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
