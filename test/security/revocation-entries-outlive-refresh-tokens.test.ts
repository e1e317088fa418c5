// Found by an adversarial review (someone holding a copy of a session: its refresh token and an
// expired ID/access token, with a failing dependency): before the fix the list's entries lived
// `tokenLifetime` (a day, "the longest an ID or access token lives"). But a session is not bounded by
// its ID and access tokens: renewals mint new ones, with the same origin_jti and auth_time, for as
// long as the refresh token lives (30 days by default, up to 10 years). Whenever the list was the
// only thing that ended a session, the session came back once the entry was pruned:
//   - a logout whose RevokeToken failed (throttled, 5xx, timeout; the client got 503 and its cookies
//     were already cleared, so it could not retry the revocation);
//   - a sign-out everywhere Cognito refused (managed login's default scopes lack
//     aws.cognito.signin.user.admin) or that failed, or `list.revokeUser(sub)` called on its own.
//
// The defence: entries are kept as long as a refresh token can live (`refreshTokenLifetime`, 30
// days by default), so a session the list ended stays refused while any token of it can be minted.
import { beforeEach, describe, expect, it } from 'vitest'
import { signingKey } from '../helpers/auth'
import { errorOf } from '../helpers/errors'
import { cognitoError } from '../helpers/fake-cognito'
import { signOutEverywhere } from '../../src/index'
import { NOW, accessClaims, idClaims, mint } from '../helpers/tokens'
import { clock, isolate, logout, me, resetRevocations } from '../d1/revocation-rig'

beforeEach(resetRevocations)

const DAY_MS = 86_400_000
const seconds = () => Math.floor(clock.now / 1000)

/** One sign-in's tokens at the clock's time: expired (an hour old) or fresh; origin_jti and auth_time kept, as renewals keep them. */
async function tokensOf(signIn: { originJti: string; authTime: number }, expired: boolean) {
  const now = seconds()
  const times = expired ? { iat: now - 3700, exp: now - 100 } : { iat: now, exp: now + 3600 }
  const common = { origin_jti: signIn.originJti, auth_time: signIn.authTime, ...times }
  return {
    IDTOKEN: await mint(signingKey, idClaims({ ...common, jti: crypto.randomUUID() })),
    ACCESSTOKEN: await mint(signingKey, accessClaims({ ...common, jti: crypto.randomUUID() })),
  }
}

/** A Cognito whose refresh token was never revoked: it renews the sign-in it belongs to. */
function renewsForever(a: ReturnType<typeof isolate>, signIn: { originJti: string; authTime: number }) {
  a.cognito.on('InitiateAuth', async () => {
    const fresh = await tokensOf(signIn, false)
    return {
      AuthenticationResult: { IdToken: fresh.IDTOKEN, AccessToken: fresh.ACCESSTOKEN, ExpiresIn: 3600, TokenType: 'Bearer' },
    }
  })
}

describe('a session ended only by the list, a day later', () => {
  it('a logout whose RevokeToken failed: the stolen copy is still refused when it renews a day later', async () => {
    const a = isolate({}, { now: () => clock.now })
    const signIn = { originJti: crypto.randomUUID(), authTime: seconds() - 60 }
    renewsForever(a, signIn)
    a.cognito.on('RevokeToken', () => cognitoError('InternalErrorException', 'boom', 500))
    const stolen = { ...(await tokensOf(signIn, false)), REFRESHTOKEN: 'the-refresh-token' }

    const out = await logout(a, stolen)
    expect(out.status).toBe(503) // the user is told; their cookies are gone, the refresh token is not
    expect((await errorOf(await me(a, stolen))).code).toBe('ERR_COGNITO_REVOKED')

    clock.now = NOW + DAY_MS + 60_000
    const later = { ...(await tokensOf(signIn, true)), REFRESHTOKEN: 'the-refresh-token' }
    const res = await me(a, later)
    expect(res.status === 200 ? 'accepted' : (await errorOf(res)).code).toBe('ERR_COGNITO_REVOKED')
  })

  it('a sign-out everywhere Cognito refused (default managed-login scopes): sessions begun before it are still refused a day later', async () => {
    const a = isolate({}, { now: () => clock.now })
    const signIn = { originJti: crypto.randomUUID(), authTime: seconds() - 600 }
    renewsForever(a, signIn)
    a.cognito.on('GlobalSignOut', () => cognitoError('NotAuthorizedException', 'Access Token does not have required scopes'))
    const current = await tokensOf({ originJti: crypto.randomUUID(), authTime: seconds() - 60 }, false)
    const signedOut = await signOutEverywhere(a.edge, { accessToken: current.ACCESSTOKEN }).catch(
      (error: { code: string }) => error.code,
    )
    expect(signedOut).toBe('ERR_COGNITO_NOT_AUTHORIZED') // the caller is told; the list recorded the user all the same
    const expiredNow = { ...(await tokensOf(signIn, true)), REFRESHTOKEN: 'the-refresh-token' }
    expect((await errorOf(await me(a, expiredNow))).code).toBe('ERR_COGNITO_REVOKED')

    clock.now = NOW + DAY_MS + 60_000
    const later = { ...(await tokensOf(signIn, true)), REFRESHTOKEN: 'the-refresh-token' }
    const res = await me(a, later)
    expect(res.status === 200 ? 'accepted' : (await errorOf(res)).code).toBe('ERR_COGNITO_REVOKED')
  })
})
