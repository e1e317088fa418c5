// Cookie mode: attributes per setting, the size limit, clearing (src/hono/cookie-helpers.ts); and the
// double-submit CSRF check the middleware runs on cookie sessions.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { CookieOptions } from '../../src/index'
import { type CognitoAuthVariables, clearSessionCookies, cognitoAuth, setCsrfCookie, setSessionCookies } from '../../src/hono'
import { type EdgeOverrides, accessToken, authOptions, idToken } from '../helpers/auth'
import { NOW_SECONDS } from '../helpers/tokens'

function app(overrides: EdgeOverrides = {}) {
  let runs = 0
  const hono = new Hono<{ Variables: CognitoAuthVariables }>()
  hono.get('/csrf', (c) => c.json({ token: setCsrfCookie(c, overrides.cookies ?? {}) }))
  hono.use('/api/*', cognitoAuth(authOptions({ cookies: {}, ...overrides })))
  hono.on(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE', 'PURGE'], '/api/thing', (c) => {
    runs++
    return c.text('done')
  })
  hono.post('/api/cookies', async (c) => {
    setSessionCookies(c, await c.req.json())
    return c.text('set')
  })
  hono.post('/api/logout', (c) => {
    clearSessionCookies(c)
    return c.text('bye')
  })
  return { hono, runs: () => runs }
}

const sessionCookie = async () => `__Host-cognito-access=${await accessToken()}`

describe('CSRF (double submit: cookie csrftoken = header CsrfToken)', () => {
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'PURGE']) {
    it(`${method} with a cookie session and no CsrfToken header → 403, handler not run`, async () => {
      const { hono, runs } = app()
      const res = await hono.request('/api/thing', { method, headers: { cookie: `${await sessionCookie()}; csrftoken=abc` } })
      expect(res.status).toBe(403)
      expect(await res.json()).toMatchObject({ code: 'ERR_COGNITO_CSRF' })
      expect(res.headers.get('www-authenticate')).toBeNull()
      expect(runs()).toBe(0)
    })

    it(`${method} with a cookie session and the matching header → 200`, async () => {
      const { hono, runs } = app()
      const res = await hono.request('/api/thing', {
        method,
        headers: { cookie: `${await sessionCookie()}; csrftoken=abc123`, CsrfToken: 'abc123' },
      })
      expect(res.status).toBe(200)
      expect(runs()).toBe(1)
    })
  }

  it('a header that differs from the cookie → 403', async () => {
    const res = await app().hono.request('/api/thing', {
      method: 'POST',
      headers: { cookie: `${await sessionCookie()}; csrftoken=abc123`, CsrfToken: 'abc124' },
    })
    expect(res.status).toBe(403)
  })

  it('a header without the cookie → 403', async () => {
    const res = await app().hono.request('/api/thing', {
      method: 'POST',
      headers: { cookie: await sessionCookie(), CsrfToken: 'abc123' },
    })
    expect(res.status).toBe(403)
  })

  for (const method of ['GET', 'HEAD', 'OPTIONS']) {
    it(`${method} is a safe method and is not checked`, async () => {
      const res = await app().hono.request('/api/thing', { method, headers: { cookie: await sessionCookie() } })
      expect(res.status).toBe(200)
    })
  }

  it('a header-authenticated POST carries no ambient credential and is exempt', async () => {
    const res = await app().hono.request('/api/thing', { method: 'POST', headers: { ACCESSTOKEN: await accessToken() } })
    expect(res.status).toBe(200)
  })

  it('a bearer-authenticated POST is exempt', async () => {
    const res = await app().hono.request('/api/thing', {
      method: 'POST',
      headers: { authorization: `Bearer ${await accessToken()}` },
    })
    expect(res.status).toBe(200)
  })

  it('csrf: false turns the check off', async () => {
    const res = await app({ csrf: false }).hono.request('/api/thing', {
      method: 'POST',
      headers: { cookie: await sessionCookie() },
    })
    expect(res.status).toBe(200)
  })

  it('the CSRF check runs before token verification (a forged request learns nothing about the session)', async () => {
    const res = await app().hono.request('/api/thing', {
      method: 'POST',
      headers: { cookie: '__Host-cognito-access=not-a-token' },
    })
    expect(await res.json()).toMatchObject({ code: 'ERR_COGNITO_CSRF' })
  })

  it('setCsrfCookie issues a random token in a script-readable cookie', async () => {
    const { hono } = app()
    const first = await hono.request('/csrf')
    const second = await hono.request('/csrf')
    const { token } = (await first.json()) as { token: string }
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(first.headers.get('set-cookie')).toBe(`csrftoken=${token}; Max-Age=31536000; Path=/; Secure; SameSite=Lax`)
    expect(((await second.json()) as { token: string }).token).not.toBe(token)
  })
})

describe('session cookie attributes', () => {
  async function cookiesFor(cookies: CookieOptions, tokens: Record<string, string>) {
    const res = await app({ cookies }).hono.request('/api/cookies', {
      method: 'POST',
      headers: { ACCESSTOKEN: await accessToken() },
      body: JSON.stringify(tokens),
    })
    expect(res.status).toBe(200)
    return res.headers.getSetCookie()
  }

  it('defaults: __Host- names, access Max-Age from exp, ID and refresh 30 days, Path=/, Secure, HttpOnly, SameSite=Lax', async () => {
    const access = await accessToken({ exp: NOW_SECONDS + 3600 })
    const id = await idToken({ exp: NOW_SECONDS + 1800 })
    expect(await cookiesFor({}, { access, id, refresh: 'eyJjdHkiOiJKV1QifQ.refresh' })).toEqual([
      // The ID cookie outlives its token: expired, it still proves whose session the refresh cookie renews.
      `__Host-cognito-id=${id}; Max-Age=2592000; Path=/; Secure; HttpOnly; SameSite=Lax`,
      `__Host-cognito-access=${access}; Max-Age=3600; Path=/; Secure; HttpOnly; SameSite=Lax`,
      '__Host-cognito-refresh=eyJjdHkiOiJKV1QifQ.refresh; Max-Age=2592000; Path=/; Secure; HttpOnly; SameSite=Lax',
    ])
  })

  it('SECURE_COOKIE off: no Secure and no __Host- prefix', async () => {
    const access = await accessToken()
    expect(await cookiesFor({ secure: false }, { access })).toEqual([
      `cognito-access=${access}; Max-Age=3600; Path=/; HttpOnly; SameSite=Lax`,
    ])
  })

  it('HTTP_ONLY_COOKIE off: no HttpOnly', async () => {
    const access = await accessToken()
    expect(await cookiesFor({ httpOnly: false }, { access })).toEqual([
      `__Host-cognito-access=${access}; Max-Age=3600; Path=/; Secure; SameSite=Lax`,
    ])
  })

  it('SameSite=Strict, a Domain (with the __Secure- prefix) and a shorter refresh cookie', async () => {
    expect(await cookiesFor({ sameSite: 'Strict', domain: 'example.com', refreshMaxAge: 86_400 }, { refresh: 'r.t' })).toEqual([
      '__Secure-cognito-refresh=r.t; Max-Age=86400; Path=/; Domain=example.com; Secure; HttpOnly; SameSite=Strict',
    ])
  })

  it('a cookie over 4096 bytes is an error, never cut short', async () => {
    const hono = new Hono()
    let error: unknown
    hono.get('/', (c) => {
      try {
        setSessionCookies(c, { refresh: 'x'.repeat(4100) }, {})
      } catch (caught) {
        error = caught
      }
      return c.text('checked')
    })
    const res = await hono.request('/')
    expect(error).toMatchObject({ code: 'ERR_COGNITO_COOKIE_TOO_LARGE' })
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('clearSessionCookies expires every session cookie', async () => {
    const res = await app().hono.request('/api/logout', { method: 'POST', headers: { ACCESSTOKEN: await accessToken() } })
    expect(res.headers.getSetCookie()).toEqual([
      '__Host-cognito-id=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax',
      '__Host-cognito-access=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax',
      '__Host-cognito-refresh=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax',
    ])
  })

  it('refuses cookie settings browsers would reject', () => {
    expect(() => cognitoAuth(authOptions({ cookies: { sameSite: 'None', secure: false } }))).toThrow(
      /sameSite "None" needs cookies.secure/,
    )
    expect(() => cognitoAuth(authOptions({ cookies: { secure: false, names: { access: '__Host-x' } } }))).toThrow(/needs Secure/)
  })
})
