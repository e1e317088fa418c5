// Managed login against cognito-local's hosted UI, over plain HTTP: the demo's /auth/oauth2/login,
// the emulator's login form and its redirect back, the callback (a cookie session and the D1 row),
// a renewal of that session through InitiateAuth, a replay refused, and logout.
import { describe, expect, it } from 'vitest'
import { csrf, d1, post, stack } from './helpers'

const TRANSACTION_COOKIE = 'cognito-oauth2'

/** The `name=value` pairs a response sets (cleared ones left out), joined as a Cookie header. */
function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .filter((cookie) => !cookie.includes('Max-Age=0'))
    .map((cookie) => cookie.split(';')[0])
    .join('; ')
}

/** What a browser does: /auth/oauth2/login, the emulator's form, back to the callback's URL. */
async function throughTheHostedUi(returnTo: string) {
  const login = await fetch(`${stack.url}/auth/oauth2/login?return_to=${encodeURIComponent(returnTo)}`, { redirect: 'manual' })
  expect(login.status).toBe(302)
  const authorize = new URL(login.headers.get('location') ?? '')
  expect(authorize.origin + authorize.pathname).toBe(`${stack.endpoint}/oauth2/authorize`)
  const transaction = cookiesOf(login)
  expect(transaction).toMatch(new RegExp(`^${TRANSACTION_COOKIE}=v1\\.`))

  const form = await fetch(authorize)
  expect(form.status).toBe(200)
  expect(await form.text()).toContain('<form method="POST" action="/oauth2/authorize">')

  const fields = new URLSearchParams(authorize.search)
  fields.set('username', stack.demoUser.username)
  fields.set('password', stack.demoUser.password)
  const back = await fetch(`${stack.endpoint}/oauth2/authorize`, { method: 'POST', body: fields, redirect: 'manual' })
  expect(back.status).toBe(302)
  const callback = back.headers.get('location') ?? ''
  expect(callback.startsWith(`${stack.url}/auth/oauth2/callback?code=`)).toBe(true)
  return { callback, transaction }
}

describe('managed login through cognito-local', () => {
  it('signs in through the hosted UI: a cookie session, the D1 row, renewal, and logout', async () => {
    const { callback, transaction } = await throughTheHostedUi('/api/me')
    const signedIn = await fetch(callback, { headers: { cookie: transaction }, redirect: 'manual' })
    expect(signedIn.status).toBe(302)
    expect(signedIn.headers.get('location')).toBe('/api/me')
    const session = cookiesOf(signedIn)
    expect(session).toMatch(/^cognito-id=.+; cognito-access=.+; cognito-refresh=.+$/)

    const me = await fetch(`${stack.url}/api/me`, { headers: { cookie: session } })
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({ user: { sub: stack.demoUser.sub, email: stack.demoUser.email } })
    expect(d1(`SELECT sub FROM cognito_users WHERE sub = '${stack.demoUser.sub}'`)).toEqual([{ sub: stack.demoUser.sub }])

    // The hosted UI's refresh token renews through InitiateAuth REFRESH_TOKEN_AUTH, as a password session's does.
    const renewed = await post('/auth/refresh', {}, { cookie: `${session}; ${csrf.cookie}` })
    expect(renewed.status).toBe(200)

    const logout = await fetch(`${stack.url}/auth/oauth2/logout`, { headers: { cookie: session }, redirect: 'manual' })
    expect(logout.status).toBe(302)
    expect(logout.headers.get('location')).toBe(`${stack.url}/`) // the emulator has no /logout
    expect(logout.headers.getSetCookie().filter((cookie) => cookie.includes('Max-Age=0'))).toHaveLength(3)
    const refused = await post('/auth/refresh', {}, { cookie: `${session}; ${csrf.cookie}` })
    expect(refused.status).toBe(401) // revoked at the emulator
  })

  it('refuses the same callback twice', async () => {
    const { callback, transaction } = await throughTheHostedUi('/')
    expect((await fetch(callback, { headers: { cookie: transaction }, redirect: 'manual' })).status).toBe(302)
    const replay = await fetch(callback, { headers: { cookie: transaction }, redirect: 'manual' })
    expect(replay.status).toBe(400)
    expect(await replay.json()).toMatchObject({ code: 'ERR_COGNITO_OAUTH2_STATE' })
  })

  it('sends an open-redirect return_to back to /', async () => {
    const { callback, transaction } = await throughTheHostedUi('//evil.example/phish')
    const signedIn = await fetch(callback, { headers: { cookie: transaction }, redirect: 'manual' })
    expect(signedIn.headers.get('location')).toBe('/')
  })
})
