// The revocation list (d1Revocations) in the middleware: one test per reason a session is refused,
// and what /auth/logout and signOutEverywhere record. Real D1, tokens signed by the test key.
import { beforeEach, describe, expect, it } from 'vitest'
import { awsSigner, signOutEverywhere } from '../../src/index'
import { signingKey } from '../helpers/auth'
import { errorOf } from '../helpers/errors'
import { CREDENTIALS } from '../helpers/fake-cognito'
import { NOW_SECONDS, SUB, accessClaims, idClaims, mint } from '../helpers/tokens'
import { expiredTimes, isolate, logout, me, resetRevocations, rows, signIn } from './revocation-rig'

beforeEach(resetRevocations)

const renewing = (claims: Record<string, unknown>) => async () => ({
  AuthenticationResult: {
    IdToken: await mint(signingKey, idClaims({ jti: crypto.randomUUID(), ...claims })),
    AccessToken: await mint(signingKey, accessClaims({ jti: crypto.randomUUID(), ...claims })),
    ExpiresIn: 3600,
    TokenType: 'Bearer',
  },
})

describe('sessions the list refuses: 401 ERR_COGNITO_REVOKED', () => {
  it('a sign-in ended by /auth/logout (its origin_jti), on every later request', async () => {
    const a = isolate()
    const session = await signIn()
    expect((await me(a, session)).status).toBe(200)
    const out = await logout(a, { ...session, REFRESHTOKEN: 'refresh-1' })
    expect(out.status).toBe(200)
    expect(a.cognito.calls.map((call) => call.operation)).toEqual(['RevokeToken'])

    const res = await me(a, session)
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="cognito-edge", error="invalid_token", error_description="this session was ended by a logout"',
    )
    expect(await errorOf(res)).toEqual({ code: 'ERR_COGNITO_REVOKED', message: 'this session was ended by a logout' })
    expect(a.handled()).toBe(1)
    expect((await rows()).map(({ kind, not_before }) => [kind, not_before])).toEqual([['session', 0]])
  })

  it("tokens without origin_jti: each token's jti is recorded, and either token alone is refused", async () => {
    const a = isolate()
    const id = await mint(signingKey, idClaims({ origin_jti: undefined, jti: crypto.randomUUID() }))
    const access = await mint(signingKey, accessClaims({ origin_jti: undefined, jti: crypto.randomUUID() }))
    await logout(a, { IDTOKEN: id, ACCESSTOKEN: access })
    expect(await rows()).toHaveLength(2)
    expect((await errorOf(await me(a, { IDTOKEN: id }))).code).toBe('ERR_COGNITO_REVOKED')
    expect((await errorOf(await me(a, { ACCESSTOKEN: access }))).code).toBe('ERR_COGNITO_REVOKED')
  })

  it('a user signed out everywhere: sign-ins begun before are refused, later ones and other users accepted', async () => {
    const a = isolate()
    const before = await signIn()
    const { sub, notBefore } = await signOutEverywhere(a.edge, { accessToken: before.ACCESSTOKEN as string })
    expect([sub, notBefore]).toEqual([SUB, Math.ceil(NOW_SECONDS)])
    expect(a.cognito.calls.map((call) => [call.operation, call.body.AccessToken])).toEqual([
      ['GlobalSignOut', before.ACCESSTOKEN],
    ])

    const res = await me(a, before)
    expect(res.status).toBe(401)
    expect(await errorOf(res)).toEqual({
      code: 'ERR_COGNITO_REVOKED',
      message: 'this session began before its user signed out everywhere',
    })
    expect((await me(a, await signIn({ auth_time: NOW_SECONDS, iat: NOW_SECONDS }))).status).toBe(200)
    expect((await me(a, await signIn({ sub: 'someone-else' }))).status).toBe(200)
    // Kept as long as a refresh token can renew a sign-in begun before (refreshTokenLifetime, 30 days).
    expect(await rows()).toEqual([{ kind: 'user', key: SUB, not_before: NOW_SECONDS, expires_at: NOW_SECONDS + 2_592_000 }])
  })

  it('auth_time decides, not iat: a sign-in begun before the sign-out, renewed after it, is refused', async () => {
    const a = isolate()
    await a.list.revokeUser(SUB, NOW_SECONDS - 600)
    const renewedLater = await signIn({ auth_time: NOW_SECONDS - 3000, iat: NOW_SECONDS - 60 })
    expect((await errorOf(await me(a, renewedLater))).code).toBe('ERR_COGNITO_REVOKED')
  })

  it('an expired session of an ended sign-in is refused before any renewal: Cognito is not asked', async () => {
    const a = isolate()
    a.cognito.on('InitiateAuth', renewing({}))
    const expired = await signIn(expiredTimes)
    await logout(a, expired)
    const res = await me(a, { ...expired, REFRESHTOKEN: 'refresh-1' })
    expect((await errorOf(res)).code).toBe('ERR_COGNITO_REVOKED')
    expect(a.cognito.calls.map((call) => call.operation)).toEqual([])
  })

  it('a refresh token of an ended sign-in, beside a live sign-in\u2019s expired tokens, renews into refused tokens', async () => {
    const a = isolate()
    const ended = crypto.randomUUID()
    await a.list.revokeSessions([accessClaims({ origin_jti: ended }) as never])
    a.cognito.on('InitiateAuth', renewing({ origin_jti: ended }))
    const res = await me(a, { ...(await signIn(expiredTimes)), REFRESHTOKEN: 'refresh-of-the-ended-sign-in' })
    expect((await errorOf(res)).code).toBe('ERR_COGNITO_REVOKED')
    expect(res.headers.get('ACCESSTOKEN')).toBeNull() // the refused tokens never reach the client
    expect(a.handled()).toBe(0)
  })

  it('a revoked cookie session is ended: the session cookies are cleared', async () => {
    const a = isolate({}, { cookies: {}, csrf: false })
    const session = await signIn()
    await a.list.revokeSessions([accessClaims({ origin_jti: idOf(session) }) as never])
    const res = await a.app.request('/api/me', {
      headers: { cookie: `__Host-cognito-id=${session.IDTOKEN}; __Host-cognito-access=${session.ACCESSTOKEN}` },
    })
    expect((await errorOf(res)).code).toBe('ERR_COGNITO_REVOKED')
    expect(res.headers.getSetCookie().map((cookie) => cookie.split('=')[0])).toEqual([
      '__Host-cognito-id',
      '__Host-cognito-access',
      '__Host-cognito-refresh',
    ])
  })
})

/** The origin_jti of a session's ID token (read back from its payload). */
function idOf(session: Record<string, string>): string {
  const payload = JSON.parse(atob((session.IDTOKEN as string).split('.')[1] as string)) as { origin_jti: string }
  return payload.origin_jti
}

describe('what a logout records', () => {
  it('a token whose signature does not verify records nothing: a stranger cannot fill the list', async () => {
    const a = isolate()
    const session = await signIn()
    const forged = `${(session.ACCESSTOKEN as string).slice(0, -4)}AAAA`
    expect((await logout(a, { ACCESSTOKEN: forged }, { access_token: forged })).status).toBe(200)
    expect(await rows()).toEqual([])
    expect((await me(a, session)).status).toBe(200)
  })

  it("an expired token's sign-in is recorded: its refresh token could still renew it", async () => {
    const a = isolate()
    await logout(a, await signIn(expiredTimes))
    expect(await rows()).toHaveLength(1)
  })

  it('the access token in the body counts as in the headers, and a repeated logout adds no row', async () => {
    const a = isolate()
    const session = await signIn()
    await logout(a, {}, { access_token: session.ACCESSTOKEN })
    await logout(a, {}, { access_token: session.ACCESSTOKEN })
    expect(await rows()).toHaveLength(1)
    expect((await errorOf(await me(a, session))).code).toBe('ERR_COGNITO_REVOKED')
  })

  it('routes.globalSignOut records the user of a valid access token before GlobalSignOut', async () => {
    const a = isolate({}, { routes: { globalSignOut: true } })
    const session = await signIn()
    const res = await logout(a, session)
    expect(await res.json()).toEqual({ logged_out: true, revoked: false, global: true })
    // The user's entry ends this sign-in too: it needs no row of its own (one write, whatever fails).
    expect((await rows()).map(({ kind, key }) => [kind, key])).toEqual([['user', SUB]])
    expect(a.cognito.calls.map((call) => call.operation)).toEqual(['GlobalSignOut'])
    expect((await errorOf(await me(a, session))).code).toBe('ERR_COGNITO_REVOKED')
  })

  it('signOutEverywhere as an administrator: AdminUserGlobalSignOut, the sub given', async () => {
    const a = isolate({}, { cognito: { signer: awsSigner(CREDENTIALS) } })
    const result = await signOutEverywhere(a.edge, { userPoolId: 'us-east-1_TestPool1', username: 'alice', sub: SUB })
    expect(result.sub).toBe(SUB)
    expect(a.cognito.calls.map((call) => [call.operation, call.body.Username])).toEqual([['AdminUserGlobalSignOut', 'alice']])
    expect((await errorOf(await me(a, await signIn()))).code).toBe('ERR_COGNITO_REVOKED')
  })

  it('signOutEverywhere refuses a token that does not verify, and records nothing', async () => {
    const a = isolate()
    const forged = `${((await signIn()).ACCESSTOKEN as string).slice(0, -4)}AAAA`
    await expect(signOutEverywhere(a.edge, { accessToken: forged })).rejects.toMatchObject({ code: 'ERR_COGNITO_SIGNATURE' })
    expect(await rows()).toEqual([])
    expect(a.cognito.calls).toEqual([])
  })
})
