// Managed login's endpoints (src/hono/routes/oauth2.ts) against the fake Cognito: /oauth2/login's
// redirect and cookie, the callback opening a session as a password login does (and the user row
// in D1), renewal of that session, /oauth2/logout, and pages for browsers, JSON for the rest.
import { env } from 'cloudflare:test'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { cognitoRoutes, createCognitoEdge } from '../../../src/hono'
import { d1UserStore } from '../../../src/d1'
import { authOptions, signingKey } from '../../helpers/auth'
import { errorOf } from '../../helpers/errors'
import { CLIENT_ID, NOW_SECONDS, SUB, accessClaims, idClaims, mint } from '../../helpers/tokens'
import { setup, signedIn } from './app'
import {
  APP,
  DOMAIN,
  HOSTED_REFRESH_TOKEN,
  HTML,
  MANAGED,
  REDIRECT_URI,
  SESSION_COOKIES,
  TRANSACTION_COOKIE,
  cookieOf,
  cookiesSet,
  hostedUi,
} from './hosted-ui'

/** A Set-Cookie header with its value blanked: what stays is the name and the attributes. */
const shape = (cookie: string) => cookie.replace(/=[^;]*/, '=…')

describe('GET /auth/oauth2/login', () => {
  it('redirects to the authorize endpoint with code, PKCE S256, state and nonce, and keeps them in an encrypted cookie', async () => {
    const { res, authorize, cookie } = await hostedUi().start('?return_to=/account')
    expect(res.status).toBe(302)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(authorize.origin + authorize.pathname).toBe(`${DOMAIN}/oauth2/authorize`)
    const params = Object.fromEntries(authorize.searchParams)
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    })
    for (const name of ['state', 'nonce', 'code_challenge']) expect(params[name]).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(params.state).not.toBe(params.nonce)
    // Nothing of the transaction can be read from the cookie: no state, no nonce, no return path.
    expect(cookie).toMatch(/^__Host-cognito-oauth2=v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/)
    for (const secret of [params.state, params.nonce, 'account']) expect(cookie).not.toContain(secret)
    const header = res.headers.getSetCookie().find((value) => value.startsWith(TRANSACTION_COOKIE)) ?? ''
    expect(shape(header)).toBe('__Host-cognito-oauth2=…; Max-Age=600; Path=/; Secure; HttpOnly; SameSite=Lax')
  })

  it('a fresh state, nonce and verifier for every sign-in', async () => {
    const rig = hostedUi()
    const [first, second] = [await rig.start(), await rig.start()]
    for (const name of ['state', 'nonce', 'code_challenge'])
      expect(first.authorize.searchParams.get(name)).not.toBe(second.authorize.searchParams.get(name))
  })

  it('names the identity provider from the query, else from the settings; refuses a malformed one', async () => {
    const provider = async (query: string, identityProvider?: string) =>
      (await hostedUi({ managedLogin: identityProvider ? { identityProvider } : {} }).start(query)).authorize.searchParams.get(
        'identity_provider',
      )
    expect(await provider('?identity_provider=Google')).toBe('Google')
    expect(await provider('', 'SignInWithApple')).toBe('SignInWithApple')
    expect(await provider('?identity_provider=Google', 'SignInWithApple')).toBe('Google')
    expect(await provider('')).toBeNull()
    const { res } = await hostedUi().start('?identity_provider=a%20b%0d')
    expect(res.status).toBe(400)
    expect((await errorOf(res)).code).toBe('ERR_COGNITO_BAD_REQUEST')
  })

  it('keeps the transaction cookie Lax and host-only whatever the session cookies are; Secure per SECURE_COOKIE', async () => {
    const strict = await hostedUi({ cookies: { sameSite: 'Strict', domain: 'example.com' } }).start()
    expect(shape(strict.res.headers.getSetCookie()[0] ?? '')).toBe(
      '__Host-cognito-oauth2=…; Max-Age=600; Path=/; Secure; HttpOnly; SameSite=Lax',
    )
    // Plain http only for an app on this machine (a dev host): elsewhere an insecure sign-in cookie can be planted.
    const plain = await hostedUi({
      cookies: { secure: false },
      csrf: { secure: false },
      managedLogin: { ...MANAGED, redirectUri: 'http://127.0.0.1:8787/auth/oauth2/callback' },
    }).start()
    expect(shape(plain.res.headers.getSetCookie()[0] ?? '')).toBe('cognito-oauth2=…; Max-Age=600; Path=/; HttpOnly; SameSite=Lax')
  })

  it('refuses insecure cookies for an app that is not on this machine, naming SECURE_COOKIE', () => {
    expect(() => hostedUi({ cookies: { secure: false }, csrf: { secure: false } })).toThrow(
      /managedLogin needs Secure cookies \(SECURE_COOKIE\)/,
    )
  })

  it('answers POST with 405', async () => {
    const res = await hostedUi().app.request(`${APP}/auth/oauth2/login`, { method: 'POST' })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET, HEAD')
  })
})

describe('GET /auth/oauth2/callback', () => {
  it('exchanges the code with the PKCE verifier, clears the transaction cookie, sets the session, and returns to return_to', async () => {
    const rig = hostedUi()
    const res = await rig.signIn('?return_to=%2Faccount%3Ftab%3Dkeys')
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/account?tab=keys')
    expect(res.headers.get('cache-control')).toBe('no-store')
    const cleared = res.headers.getSetCookie().find((cookie) => cookie.startsWith(`${TRANSACTION_COOKIE}=;`))
    expect(cleared).toContain('Max-Age=0')
    expect(cookiesSet(res)).toEqual(SESSION_COOKIES)
    // The fake token endpoint checked the verifier against the challenge sent to /authorize.
    expect(rig.cognito.calls.map((call) => call.operation)).toEqual(['/oauth2/token'])
  })

  it('sets the session cookies exactly as a password login in cookie mode does', async () => {
    const hosted = await hostedUi().signIn()
    const password = await setup({ InitiateAuth: signedIn }, { cookies: {}, csrf: false }).post('login', {
      username: 'a',
      password: 'p',
    })
    const sessionShapes = (res: Response) =>
      res.headers
        .getSetCookie()
        .filter((cookie) => !cookie.startsWith(TRANSACTION_COOKIE))
        .map(shape)
    expect(sessionShapes(hosted)).toEqual(sessionShapes(password))
  })

  it('resolves the user row in D1 before the session is set', async () => {
    const users = d1UserStore({ database: env.DB, autoCreate: true })
    const res = await hostedUi({ users }).signIn()
    expect(res.status).toBe(302)
    const row = await env.DB.prepare('SELECT sub, username, email FROM cognito_users WHERE sub = ?').bind(SUB).first()
    expect(row).toEqual({ sub: SUB, username: 'alice', email: 'alice@example.com' })
  })

  it('a user the store refuses gets no session', async () => {
    await env.DB.prepare('DELETE FROM cognito_users').run()
    const users = d1UserStore({ database: env.DB, autoCreate: false })
    const res = await hostedUi({ users }).signIn()
    expect(res.status).toBe(403)
    expect((await errorOf(res)).code).toBe('ERR_COGNITO_USER_NOT_FOUND')
    expect(cookiesSet(res)).toEqual([])
  })

  it('authenticates with HTTP Basic at the token endpoint when the app client has a secret (APP_SECRET_KEY)', async () => {
    const rig = hostedUi({ cognito: { clientSecret: 's3cr3t' } })
    expect((await rig.signIn()).status).toBe(302)
    expect(rig.cognito.calls[0]?.headers.authorization).toBe(`Basic ${btoa(`${CLIENT_ID}:s3cr3t`)}`)
  })

  it('a hosted-UI session renews through InitiateAuth REFRESH_TOKEN_AUTH, like a password session', async () => {
    const rig = hostedUi()
    const signedInRes = await rig.signIn()
    const cookie = SESSION_COOKIES.map((name) => cookieOf(signedInRes, name)).join('; ')
    const later = { iat: NOW_SECONDS + 3650, exp: NOW_SECONDS + 7250 }
    rig.cognito.on('InitiateAuth', async () => ({
      AuthenticationResult: {
        IdToken: await mint(signingKey, idClaims(later)),
        AccessToken: await mint(signingKey, accessClaims(later)),
      },
    }))
    const api = new Hono().use('/api/*', rig.edge.auth())
    api.get('/api/me', (c) => c.json({ refreshed: c.var.cognito.refreshed }))
    rig.clock.now = (NOW_SECONDS + 3650) * 1000 // the hosted UI's tokens have expired
    const res = await api.request(`${APP}/api/me`, { headers: { cookie } })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ refreshed: true })
    const renewal = rig.cognito.calls.find((call) => call.operation === 'InitiateAuth')
    expect(renewal?.body).toMatchObject({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: HOSTED_REFRESH_TOKEN },
    })
  })

  it('answers a browser with a page and anything else with JSON', async () => {
    const rig = hostedUi()
    const page = await rig.callback('?code=x&state=y', '', HTML)
    expect(page.status).toBe(400)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toBe("default-src 'none'")
    expect(await page.text()).toContain('ERR_COGNITO_OAUTH2_STATE')
    const json = await rig.callback('?code=x&state=y', '', { accept: 'application/json' })
    expect(json.headers.get('content-type')).toMatch(/^application\/json/)
    expect((await errorOf(json)).code).toBe('ERR_COGNITO_OAUTH2_STATE')
  })

  it("the page goes through the app's onError hook too", async () => {
    const seen: string[] = []
    const rig = hostedUi({ onError: (error, _c, response) => (seen.push(error.code), response) })
    expect((await rig.callback('?code=x&state=y', '', HTML)).status).toBe(400)
    expect(seen).toEqual(['ERR_COGNITO_OAUTH2_STATE'])
  })
})

describe('GET /auth/oauth2/logout', () => {
  it("revokes the refresh token, clears the cookies and sends the browser to the domain's /logout", async () => {
    const rig = hostedUi()
    const res = await rig.get('/auth/oauth2/logout', { cookie: `__Host-cognito-refresh=${HOSTED_REFRESH_TOKEN}` })
    expect(res.status).toBe(302)
    const location = new URL(res.headers.get('location') ?? '')
    expect(location.origin + location.pathname).toBe(`${DOMAIN}/logout`)
    expect(Object.fromEntries(location.searchParams)).toEqual({ client_id: CLIENT_ID, logout_uri: `${APP}/` })
    expect(rig.cognito.calls).toMatchObject([
      { operation: 'RevokeToken', body: { Token: HOSTED_REFRESH_TOKEN, ClientId: CLIENT_ID } },
    ])
    const cleared = res.headers.getSetCookie().filter((cookie) => cookie.includes('Max-Age=0'))
    expect(cleared.map((cookie) => cookie.slice(0, cookie.indexOf('=')))).toEqual(SESSION_COOKIES)
  })

  it('uses the configured logout URI', async () => {
    const res = await hostedUi({ managedLogin: { logoutUri: `${APP}/goodbye` } }).get('/auth/oauth2/logout')
    expect(new URL(res.headers.get('location') ?? '').searchParams.get('logout_uri')).toBe(`${APP}/goodbye`)
  })

  it('goes straight to the logout URI for the emulator, which has no /logout', async () => {
    const rig = hostedUi({ managedLogin: { domain: 'http://127.0.0.1:9229', unsafeEmulator: true } })
    const res = await rig.get('/auth/oauth2/logout')
    expect(res.headers.get('location')).toBe(`${APP}/`)
  })
})

describe('without managedLogin', () => {
  it('the /auth/oauth2 endpoints are 404', async () => {
    const app = new Hono().route('/auth', cognitoRoutes(authOptions({ cookies: {} })))
    for (const path of ['login', 'callback', 'logout']) expect((await app.request(`/auth/oauth2/${path}`)).status).toBe(404)
  })

  it('the edge builds as before', () => {
    expect(() => createCognitoEdge(authOptions({ managedLogin: null }))).not.toThrow()
  })
})
