// auth.loginRedirect sends a browser that is not signed in to the sign-in page — only a page
// navigation (GET or HEAD asking for text/html) and only for a 401. An API client keeps its 401 and
// its Bearer challenge (a 302 to an HTML page would break it), a failing POST is never turned into
// a GET elsewhere, and 403 or 503 mean something a sign-in cannot fix.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { type CognitoAuthVariables, createCognitoEdge } from '../../src/hono'
import { isCognitoAuthError } from '../../src/index'
import { authOptions, signingKey } from '../helpers/auth'
import { fakeCognito } from '../helpers/fake-cognito'
import { fakeOrigin } from '../helpers/origin'
import { NOW_SECONDS, accessClaims, idClaims, mint } from '../helpers/tokens'
import { HTML, MANAGED } from '../hono/routes/hosted-ui'

function app(loginRedirect: boolean | string = true, overrides: Parameters<typeof authOptions>[0] = {}) {
  const edge = createCognitoEdge(authOptions({ cookies: {}, managedLogin: MANAGED, ...overrides }))
  const hono = new Hono<{ Variables: CognitoAuthVariables }>()
  hono.use('/account/*', edge.auth({ loginRedirect }))
  hono.get('/account/*', (c) => c.text('your account'))
  hono.post('/account/*', (c) => c.text('saved'))
  return hono
}

describe('auth.loginRedirect', () => {
  it('a page navigation without a session gets a 302 to the sign-in route, with its path and query as return_to', async () => {
    const res = await app().request('/account/keys?tab=2', { headers: HTML })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/auth/oauth2/login?return_to=%2Faccount%2Fkeys%3Ftab%3D2')
    expect(res.headers.get('cache-control')).toBe('no-store')
  })

  it('HEAD is a navigation too', async () => {
    expect((await app().request('/account/', { method: 'HEAD', headers: HTML })).status).toBe(302)
  })

  for (const [what, accept] of [
    ['JSON', 'application/json'],
    ['fetch() from a page', '*/*'],
    ['no Accept header', undefined],
  ] as const) {
    it(`an API request (${what}) keeps the 401 and its Bearer challenge`, async () => {
      const res = await app().request('/account/keys', { headers: accept ? { accept } : {} })
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="cognito-edge"/)
    })
  }

  it('a POST that accepts HTML keeps the 401', async () => {
    expect((await app().request('/account/keys', { method: 'POST', headers: HTML })).status).toBe(401)
  })

  it('an expired session whose refresh Cognito refuses is sent to sign in, its cookies cleared', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => Response.json({ __type: 'NotAuthorizedException' }, { status: 400 }) })
    const expired = { iat: NOW_SECONDS - 7200, exp: NOW_SECONDS - 60 }
    const cookie = `__Host-cognito-id=${await mint(signingKey, idClaims(expired))}; __Host-cognito-refresh=revoked`
    const res = await app(true, { fetch: cognito.fetch }).request('/account/', { headers: { ...HTML, cookie } })
    expect(res.status).toBe(302)
    expect(res.headers.getSetCookie().filter((value) => value.includes('Max-Age=0'))).toHaveLength(3)
  })

  it('a navigation Cognito cannot serve (503) is not sent to sign in', async () => {
    const down = fakeOrigin('network-error')
    const cookie = `__Host-cognito-access=${await mint(signingKey, accessClaims())}`
    const res = await app(true, { fetch: down.fetch }).request('/account/', { headers: { ...HTML, cookie } })
    expect(res.status).toBe(503)
  })

  it('a path names another sign-in page', async () => {
    const res = await app('/signin?via=hosted').request('/account/', { headers: HTML })
    expect(res.headers.get('location')).toBe('/signin?via=hosted&return_to=%2Faccount%2F')
  })

  it('is off by default: a navigation gets the 401', async () => {
    const edge = createCognitoEdge(authOptions({ cookies: {}, managedLogin: MANAGED }))
    const hono = new Hono().use('/account/*', edge.auth())
    expect((await hono.request('/account/', { headers: HTML })).status).toBe(401)
  })

  it('true without managedLogin, or a path off this origin, fails at startup', () => {
    const configError = (build: () => unknown) => {
      try {
        build()
      } catch (error) {
        return isCognitoAuthError(error, 'ERR_COGNITO_CONFIG')
      }
      return false
    }
    expect(configError(() => createCognitoEdge(authOptions({ auth: { loginRedirect: true } })))).toBe(true)
    expect(configError(() => createCognitoEdge(authOptions()).auth({ loginRedirect: true }))).toBe(true)
    for (const path of ['//evil.example', 'https://evil.example/login', '/\\evil', 'login', '/a b'])
      expect(
        configError(() => app(path)),
        path,
      ).toBe(true)
  })
})
