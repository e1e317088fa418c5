// Attack: a logout that happens to renew. The middleware appends its renewal Set-Cookie headers
// AFTER the handler ran (deliverRenewal after `await next()`), so when the handler ends the session
// — clearSessionCookies(c) in an app's own logout route, or the library's /auth/logout mounted
// behind edge.auth() — the renewed cookies come last and the browser keeps them (Set-Cookie headers
// apply in order). The user "logged out" on a shared machine is still signed in; with rotation the
// new refresh token was never revoked either.
//
// Precondition: the access cookie expired (or is about to, with refreshBefore) when the user clicks
// "log out" — the common case after an idle tab. No attacker action is needed to create the state;
// the next person at the browser inherits the session.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { type CognitoAuthVariables, clearSessionCookies, createCognitoEdge } from '../../src/hono'
import { authOptions, signingKey } from '../helpers/auth'
import { type CognitoHandler, fakeCognito } from '../helpers/fake-cognito'
import { NOW_SECONDS, accessClaims, idClaims, mint } from '../helpers/tokens'

const SESSION_COOKIES = ['__Host-cognito-id', '__Host-cognito-access', '__Host-cognito-refresh']
const expiredTimes = { iat: NOW_SECONDS - 3700, auth_time: NOW_SECONDS - 3700, exp: NOW_SECONDS - 100 }

const renewing: CognitoHandler = async () => ({
  AuthenticationResult: {
    IdToken: await mint(signingKey, idClaims({ jti: crypto.randomUUID() })),
    AccessToken: await mint(signingKey, accessClaims({ jti: crypto.randomUUID() })),
    RefreshToken: 'rotated-refresh-token',
    ExpiresIn: 3600,
    TokenType: 'Bearer',
  },
})

/** What a browser keeps after applying the response's Set-Cookie headers in order: name → value ('' = removed). */
function cookieJarAfter(res: Response): Map<string, string> {
  const jar = new Map<string, string>()
  for (const header of res.headers.getSetCookie()) {
    const [pair = ''] = header.split(';')
    const eq = pair.indexOf('=')
    const removed = /;\s*Max-Age=0(;|$)/i.test(header)
    jar.set(pair.slice(0, eq), removed ? '' : pair.slice(eq + 1))
  }
  return jar
}

async function expiredSessionCookies() {
  const expiredId = await mint(signingKey, idClaims(expiredTimes))
  // The access cookie is gone (the browser dropped it at its exp); the ID cookie is kept for the refresh lifetime.
  return `__Host-cognito-id=${expiredId}; __Host-cognito-refresh=old-refresh-token; csrftoken=t0k3n`
}

describe('a logout request that renews the session', () => {
  it("the app's own logout (clearSessionCookies behind edge.auth()) leaves no session cookie behind", async () => {
    const cognito = fakeCognito({ InitiateAuth: renewing, GetTokensFromRefreshToken: renewing })
    const edge = createCognitoEdge(authOptions({ fetch: cognito.fetch, cookies: {} }))
    const app = new Hono<{ Variables: CognitoAuthVariables }>()
    app.use('/api/*', edge.auth())
    app.post('/api/logout', (c) => {
      clearSessionCookies(c)
      return c.json({ bye: true })
    })

    const res = await app.request('/api/logout', {
      method: 'POST',
      headers: { cookie: await expiredSessionCookies(), CsrfToken: 't0k3n' },
    })
    expect(res.status).toBe(200)
    const jar = cookieJarAfter(res)
    // Before the fix: the clearing headers come first, the renewed ID and access cookies after them → still signed in.
    for (const name of SESSION_COOKIES) expect(jar.get(name) ?? '', `${name} after logout`).toBe('')
  })

  it("the library's /auth/logout behind edge.auth({ optional: true }) ends the session and no rotated token survives", async () => {
    const cognito = fakeCognito({ InitiateAuth: renewing, GetTokensFromRefreshToken: renewing, RevokeToken: () => ({}) })
    const edge = createCognitoEdge(authOptions({ fetch: cognito.fetch, cookies: {}, refresh: { rotation: true } }))
    const app = new Hono<{ Variables: CognitoAuthVariables }>()
    app.use('*', edge.auth({ optional: true })) // c.var.cognito everywhere, anonymous allowed
    app.route('/auth', edge.routes())

    const res = await app.request('/auth/logout', {
      method: 'POST',
      headers: { cookie: await expiredSessionCookies(), CsrfToken: 't0k3n', 'content-type': 'application/json' },
      body: '{}',
    })
    expect(res.status).toBe(200)
    const jar = cookieJarAfter(res)
    for (const name of SESSION_COOKIES) expect(jar.get(name) ?? '', `${name} after logout`).toBe('')
    // The refresh token the browser is left holding must not be a live one that nobody revoked.
    const revoked = cognito.calls.filter((call) => call.operation === 'RevokeToken').map((call) => call.body.Token)
    expect([...jar.values()].filter((value) => value !== '' && !revoked.includes(value))).toEqual([])
  })
})
