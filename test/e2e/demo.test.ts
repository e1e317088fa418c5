// The demo Worker over real HTTP: seed headers, bearer, cookie sessions with CSRF, one D1 row per user.
import { describe, expect, it } from 'vitest'
import { csrf, d1, emulator, login, loginSession, post, stack } from './helpers'

const me = (headers: Record<string, string>) => fetch(`${stack.url}/api/me`, { headers })

describe('the demo Worker over HTTP', () => {
  it('serves the page', async () => {
    const res = await fetch(`${stack.url}/`)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('<form id="login">')
  })

  it('authenticates the seed headers IDTOKEN + ACCESSTOKEN, and returns the D1 row and claims', async () => {
    const tokens = await login(stack.demoUser.username, stack.demoUser.password)
    const res = await me({ IDTOKEN: tokens.IdToken, ACCESSTOKEN: tokens.AccessToken })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { user: { sub: string; email: string; groups: string[] }; claims: { token_use: string } }
    expect(body.user).toMatchObject({ sub: stack.demoUser.sub, email: stack.demoUser.email, groups: ['admins'] })
    expect(body.claims.token_use).toBe('id')
  })

  it('authenticates Authorization: Bearer, and requireGroups lets an admin in', async () => {
    const tokens = await login(stack.demoUser.username, stack.demoUser.password)
    expect((await me({ authorization: `Bearer ${tokens.AccessToken}` })).status).toBe(200)
    const admin = await fetch(`${stack.url}/api/admin`, { headers: { authorization: `Bearer ${tokens.AccessToken}` } })
    expect(await admin.json()).toMatchObject({ hello: 'admin' })
  })

  it('refuses a request without a token: 401 with a Bearer challenge', async () => {
    const res = await me({})
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="cognito-edge"') // no credentials: no error code (RFC 6750 §3.1)
  })

  it('keeps a cookie session, and CSRF guards its unsafe requests', async () => {
    const cookie = await loginSession(stack.demoUser.username, stack.demoUser.password)
    expect(cookie).toMatch(/^cognito-id=.+; cognito-access=.+; cognito-refresh=.+; csrftoken=.+$/)
    expect((await me({ cookie })).status).toBe(200)
    const note = (headers: Record<string, string>) =>
      fetch(`${stack.url}/api/notes`, { method: 'POST', headers: { cookie, ...headers } })
    const forged = await note({})
    expect(forged.status).toBe(403)
    expect(await forged.json()).toMatchObject({ code: 'ERR_COGNITO_CSRF' })
    expect((await note(csrf.header)).status).toBe(201)
  })

  it('keeps exactly one D1 row per user, even for concurrent first requests', async () => {
    const username = `race-${crypto.randomUUID()}@example.com`
    const password = 'Race-Passw0rd!'
    expect((await post('/auth/signup', { username, password, user_attributes: { email: username } })).status).toBe(200)
    await emulator('AdminConfirmSignUp', { UserPoolId: stack.poolId, Username: username })
    const tokens = await login(username, password)
    const statuses = await Promise.all(Array.from({ length: 12 }, async () => (await me({ IDTOKEN: tokens.IdToken })).status))
    expect(statuses).toEqual(Array(12).fill(200))
    const rows = d1(`SELECT count(*) AS n FROM cognito_users WHERE email = '${username}'`)
    expect(rows).toEqual([{ n: 1 }])
  })
})
