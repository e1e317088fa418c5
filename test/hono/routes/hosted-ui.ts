// Test rig for managed login (src/hono/routes/oauth2.ts): a real Hono app with the /auth routes in
// cookie mode and a managedLogin section, over the fake Cognito — whose hosted UI hands out codes
// and whose token endpoint, like Cognito's, checks the PKCE verifier and the redirect URI and puts
// the authorize request's nonce into the ID token.
import { Hono } from 'hono'
import { type ManagedLoginSettings, pkceChallenge } from '../../../src/index'
import { createCognitoEdge } from '../../../src/hono'
import { type EdgeOverrides, authOptions, signingKey } from '../../helpers/auth'
import { type CognitoHandler, fakeCognito } from '../../helpers/fake-cognito'
import { NOW, accessClaims, idClaims, mint } from '../../helpers/tokens'

export const DOMAIN = 'https://example.auth.us-east-1.amazoncognito.com'
export const APP = 'https://app.example.com'
export const REDIRECT_URI = `${APP}/auth/oauth2/callback`
export const COOKIE_SECRET = 'a test secret of at least 32 bytes, never used in production'
export const TRANSACTION_COOKIE = '__Host-cognito-oauth2'
export const SESSION_COOKIES = ['__Host-cognito-id', '__Host-cognito-access', '__Host-cognito-refresh']
export const HOSTED_REFRESH_TOKEN = 'hosted-ui-refresh-token'
export const MANAGED: ManagedLoginSettings = { domain: DOMAIN, redirectUri: REDIRECT_URI, cookieSecret: COOKIE_SECRET }
export const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' }

export interface HostedUiOptions extends Omit<EdgeOverrides<unknown>, 'managedLogin'> {
  managedLogin?: Partial<ManagedLoginSettings>
  /** Claims laid over the ID token the token endpoint issues (`{ nonce: undefined }` drops it). */
  issuedIdClaims?: Record<string, unknown>
  /** Replaces the token endpoint. */
  tokenEndpoint?: CognitoHandler
}

/** `name=value` of a Set-Cookie header of the response, or null. */
export function cookieOf(res: Response, name: string): string | null {
  const header = res.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`))
  return header ? (header.split(';')[0] as string) : null
}

/** The names of the cookies a response sets to a value (not the ones it clears). */
export function cookiesSet(res: Response): string[] {
  return res.headers
    .getSetCookie()
    .filter((cookie) => !/;\s*Max-Age=0(;|$)/i.test(cookie))
    .map((cookie) => cookie.slice(0, cookie.indexOf('=')))
}

export function hostedUi(options: HostedUiOptions = {}) {
  const { managedLogin, issuedIdClaims = {}, tokenEndpoint, ...overrides } = options
  const codes = new Map<string, { nonce: string; challenge: string; redirectUri: string }>()
  const issue: CognitoHandler = async (body) => {
    const issued = codes.get(String(body.code))
    codes.delete(String(body.code)) // single-use, as Cognito's
    const verified = issued && (await pkceChallenge(String(body.code_verifier))) === issued.challenge
    if (!verified || body.redirect_uri !== issued.redirectUri) return Response.json({ error: 'invalid_grant' }, { status: 400 })
    return {
      id_token: await mint(signingKey, idClaims({ nonce: issued.nonce, ...issuedIdClaims })),
      access_token: await mint(signingKey, accessClaims()),
      refresh_token: HOSTED_REFRESH_TOKEN,
      expires_in: 3600,
      token_type: 'Bearer',
    }
  }
  const cognito = fakeCognito({ '/oauth2/token': tokenEndpoint ?? issue, RevokeToken: () => ({}) })
  const clock = { now: NOW }
  const edge = createCognitoEdge(
    authOptions<unknown>({
      fetch: cognito.fetch,
      now: () => clock.now,
      cookies: {},
      managedLogin: { ...MANAGED, ...managedLogin },
      ...overrides,
    }),
  )
  const app = new Hono()
  app.route('/auth', edge.routes())
  const get = (path: string, headers: Record<string, string> = {}) => app.request(`${APP}${path}`, { headers })

  /** GET /auth/oauth2/login: the redirect to Cognito, its authorize URL, and the transaction cookie as `name=value`. */
  async function start(query = '', headers: Record<string, string> = {}) {
    const res = await get(`/auth/oauth2/login${query}`, headers)
    const authorize = new URL(res.headers.get('location') ?? 'about:blank')
    return { res, authorize, cookie: cookieOf(res, TRANSACTION_COOKIE) ?? '' }
  }

  /** The user signs in at the hosted UI: the query Cognito redirects back with (a fresh code, the state as sent). */
  function signInAtCognito(authorize: URL): string {
    const code = crypto.randomUUID()
    const param = (name: string) => authorize.searchParams.get(name) ?? ''
    codes.set(code, { nonce: param('nonce'), challenge: param('code_challenge'), redirectUri: param('redirect_uri') })
    return `?code=${code}&state=${encodeURIComponent(param('state'))}`
  }

  const callback = (query: string, cookie: string, headers: Record<string, string> = {}) =>
    get(`/auth/oauth2/callback${query}`, { cookie, ...headers })

  /** The whole round trip: login, the hosted UI, the callback's response. */
  async function signIn(loginQuery = '', headers: Record<string, string> = {}) {
    const { authorize, cookie } = await start(loginQuery)
    return callback(signInAtCognito(authorize), cookie, headers)
  }

  return { app, edge, cognito, clock, get, start, signInAtCognito, callback, signIn }
}
