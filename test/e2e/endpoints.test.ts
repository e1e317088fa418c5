// The /auth endpoints against cognito-local: the whole life of an account, and a challenge met.
import { describe, expect, it } from 'vitest'
import { csrf, emulator, loginSession, post, stack } from './helpers'

describe('/auth endpoints against cognito-local', () => {
  it('signup → admin confirm → login → protected route → refresh → logout → session and refresh refused', async () => {
    const username = `life-${crypto.randomUUID()}@example.com`
    const signup = await post('/auth/signup', { username, password: 'Life-Passw0rd!', user_attributes: { email: username } })
    expect(await signup.json()).toMatchObject({ UserConfirmed: false, UserSub: expect.any(String) })

    const early = await post('/auth/login', { username, password: 'Life-Passw0rd!' })
    expect(early.status).toBe(403)
    expect(await early.json()).toMatchObject({ code: 'ERR_COGNITO_USER_NOT_CONFIRMED' })

    await emulator('AdminConfirmSignUp', { UserPoolId: stack.poolId, Username: username })
    const cookie = await loginSession(username, 'Life-Passw0rd!')
    const refreshCookie = cookie.split('; ').find((pair) => pair.startsWith('cognito-refresh=')) ?? ''
    expect(refreshCookie).not.toBe('')

    const me = await fetch(`${stack.url}/api/me`, { headers: { cookie } })
    expect(me.status).toBe(200)
    const admin = await fetch(`${stack.url}/api/admin`, { headers: { cookie } })
    expect(admin.status).toBe(403) // not in the admins group

    const refreshed = await post('/auth/refresh', {}, { cookie })
    expect(refreshed.status).toBe(200)
    expect(refreshed.headers.getSetCookie().map((set) => set.split('=')[0])).toContain('cognito-access')

    const logout = await post('/auth/logout', {}, { cookie })
    expect(await logout.json()).toMatchObject({ logged_out: true, revoked: true })
    expect(logout.headers.getSetCookie().every((set) => set.includes('Max-Age=0'))).toBe(true)

    // A copy of the old, unexpired access cookie is refused too: the demo keeps a revocation list.
    const accessCookie = cookie.split('; ').find((pair) => pair.startsWith('cognito-access=')) ?? ''
    const revoked = await fetch(`${stack.url}/api/me`, { headers: { cookie: accessCookie } })
    expect(revoked.status).toBe(401)
    expect(await revoked.json()).toMatchObject({ code: 'ERR_COGNITO_REVOKED' })

    // The browser forgot the cookies; a copy of the old refresh token is refused by Cognito now.
    const refused = await post('/auth/refresh', {}, { cookie: `${refreshCookie}; ${csrf.cookie}` })
    expect(refused.status).toBe(401)
    expect(await refused.json()).toMatchObject({ code: 'ERR_COGNITO_REFRESH_REJECTED' })
  })

  it('passes NEW_PASSWORD_REQUIRED through, and confirm_login completes it', async () => {
    const username = `invited-${crypto.randomUUID()}@example.com`
    await emulator('AdminCreateUser', {
      UserPoolId: stack.poolId,
      Username: username,
      TemporaryPassword: 'Temp-Passw0rd!',
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: username }],
    })
    const first = await post('/auth/login', { username, password: 'Temp-Passw0rd!' })
    expect(first.status).toBe(200)
    const challenge = (await first.json()) as { ChallengeName: string; Session: string }
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED')
    expect(first.headers.getSetCookie()).toEqual([]) // no session for an unmet challenge

    const done = await post('/auth/confirm_login', {
      username,
      challenge_name: 'NEW_PASSWORD_REQUIRED',
      session: challenge.Session,
      new_password: 'Chosen-Passw0rd!',
    })
    expect(done.status).toBe(200)
    expect(await done.json()).toMatchObject({ AuthenticationResult: { TokenType: 'Bearer' }, ChallengeParameters: {} })
    expect(done.headers.getSetCookie().map((set) => set.split('=')[0])).toEqual([
      'cognito-id',
      'cognito-access',
      'cognito-refresh',
    ])

    expect((await post('/auth/login', { username, password: 'Chosen-Passw0rd!' })).status).toBe(200)
  })

  it('answers a wrong password with 401 and the same message as an unknown user', async () => {
    const wrong = await post('/auth/login', { username: stack.demoUser.username, password: 'not-the-password' })
    const unknown = await post('/auth/login', { username: 'nobody@example.com', password: 'whatever' })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(await wrong.json()).toEqual(await unknown.json())
  })

  it('answers malformed JSON with 400, never 500', async () => {
    const res = await fetch(`${stack.url}/auth/login`, {
      method: 'POST',
      headers: { cookie: 'csrftoken=a', CsrfToken: 'a' },
      body: '{"user',
    })
    expect(res.status).toBe(400)
  })
})
