// Found by an adversarial review (someone holding a copy of a session whose logout could not revoke
// the refresh token at Cognito — RevokeToken throttled, 5xx or timing out): before the fix, POST
// /auth/refresh never consulted the revocation list. It called Cognito for the ended session and
// handed back fresh tokens. The middleware refused them, but the new access token is valid at
// Cognito itself for the user's own operations (GetUser, UpdateUserAttributes, ChangePassword,
// DeleteUser, MFA settings, …), and a rotating client handed out the next refresh token too.
//
// The defence: /auth/refresh verifies the ID and access tokens sent with it and refuses an ended
// session (401 ERR_COGNITO_REVOKED) before Cognito is asked; renewed tokens of an ended sign-in are
// refused as well (a bare refresh token renews nothing usable).
import { beforeEach, describe, expect, it } from 'vitest'
import { signingKey } from '../helpers/auth'
import { errorOf } from '../helpers/errors'
import { cognitoError } from '../helpers/fake-cognito'
import { accessClaims, idClaims, mint } from '../helpers/tokens'
import { expiredTimes, isolate, logout, resetRevocations, signIn } from '../d1/revocation-rig'

beforeEach(resetRevocations)

describe('POST /auth/refresh for a session the list ended', () => {
  it('is refused without a Cognito call', async () => {
    const a = isolate()
    const ended = await signIn(expiredTimes)
    const originJti = (JSON.parse(atob((ended.IDTOKEN as string).split('.')[1] as string)) as { origin_jti: string }).origin_jti
    a.cognito.on('RevokeToken', () => cognitoError('InternalErrorException', 'boom', 500))
    a.cognito.on('InitiateAuth', async () => ({
      AuthenticationResult: {
        IdToken: await mint(signingKey, idClaims({ origin_jti: originJti, jti: crypto.randomUUID() })),
        AccessToken: await mint(signingKey, accessClaims({ origin_jti: originJti, jti: crypto.randomUUID() })),
        ExpiresIn: 3600,
        TokenType: 'Bearer',
      },
    }))
    expect((await logout(a, { ...ended, REFRESHTOKEN: 'refresh-of-the-ended-session' })).status).toBe(503)

    const res = await a.app.request('/auth/refresh', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        IDTOKEN: ended.IDTOKEN as string,
        REFRESHTOKEN: 'refresh-of-the-ended-session',
      },
      body: '{}',
    })
    const outcome = res.status === 200 ? 'fresh tokens handed out' : (await errorOf(res)).code
    expect(outcome).toBe('ERR_COGNITO_REVOKED')
    expect(a.cognito.calls.map((call) => call.operation)).not.toContain('InitiateAuth')
  })
})
