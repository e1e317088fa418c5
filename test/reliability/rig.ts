// The rig of the fault matrix: one app per cell (the /auth routes and the auth middleware of one
// edge, users in the test D1 through a faulty binding), a fake Cognito, a fake key-set origin and a
// clock, each upstream counting its calls; and what a response did to the session cookies.
import { env } from 'cloudflare:test'
import { Hono } from 'hono'
import { type CognitoUserRow, d1UserStore } from '../../src/d1'
import { type CognitoAuthVariables, createCognitoEdge } from '../../src/hono'
import { authOptions, signingKey } from '../helpers/auth'
import { type CognitoHandler, type FakeCognito, fakeCognito } from '../helpers/fake-cognito'
import { jwksOf } from '../helpers/keys'
import { type FakeOrigin, type OriginReply, fakeOrigin } from '../helpers/origin'
import { NOW, NOW_SECONDS, accessClaims, idClaims, mint } from '../helpers/tokens'
import type { CookieOutcome, UpstreamCalls } from './fault-matrix'
import { type FaultyD1, faultyD1 } from './faults'

/** What every cell runs with: one retry, short timeouts (so a hang costs 50 or 100 ms, not 5 s). */
export const COGNITO_SECTION = { timeoutMs: 50, retries: 1 }
export const JWKS_TIMEOUT_MS = 100

export const SESSION_COOKIES = ['__Host-cognito-id', '__Host-cognito-access', '__Host-cognito-refresh'] as const
export const CSRF = { cookie: 'csrftoken=matrix-csrf', header: { CsrfToken: 'matrix-csrf' } }

/** A user of its own per cell, so a cell's rows are its own. */
export function newUser() {
  const sub = crypto.randomUUID()
  const username = `user-${sub.slice(0, 8)}`
  return { sub, username, email: `${username}@example.com` }
}
export type User = ReturnType<typeof newUser>

const EXPIRED = { iat: NOW_SECONDS - 3700, auth_time: NOW_SECONDS - 3700, exp: NOW_SECONDS - 100 }

export async function tokensOf(user: User, { expired = false, email = user.email } = {}) {
  const times = expired ? EXPIRED : {}
  const jti = crypto.randomUUID()
  return {
    id: await mint(signingKey, idClaims({ sub: user.sub, 'cognito:username': user.username, email, jti, ...times })),
    access: await mint(signingKey, accessClaims({ sub: user.sub, username: user.username, jti: `${jti}-a`, ...times })),
  }
}

/** Cognito issuing fresh tokens for `user` (sign-in or refresh), with a refresh token when `refreshToken` is given. */
export function issuing(user: User, refreshToken?: string): CognitoHandler {
  return async () => {
    const fresh = await tokensOf(user)
    const result = { IdToken: fresh.id, AccessToken: fresh.access, ExpiresIn: 3600, TokenType: 'Bearer' }
    return { AuthenticationResult: refreshToken ? { ...result, RefreshToken: refreshToken } : result, ChallengeParameters: {} }
  }
}

export interface Rig {
  readonly app: Hono
  readonly cognito: FakeCognito
  readonly origin: FakeOrigin
  readonly d1: FaultyD1
  readonly clock: { now: number }
  /** Requests that reached the app's handler. */
  handled(): number
  calls(): UpstreamCalls
}

export interface RigOptions {
  /** What every Cognito operation answers. */
  readonly cognito: CognitoHandler
  /** What the key-set origin serves. Default: the signing key's set. */
  readonly keySet?: OriginReply
  /** Preload the key set (`pool.jwks`): no fetch unless a kid misses. Default true. */
  readonly preload?: boolean
}

const OPERATIONS = ['InitiateAuth', 'GetTokensFromRefreshToken', 'RevokeToken', 'GlobalSignOut']

export function rig(options: RigOptions): Rig {
  const cognito = fakeCognito(Object.fromEntries(OPERATIONS.map((operation) => [operation, options.cognito])))
  const origin = fakeOrigin(options.keySet ?? jwksOf(signingKey))
  const d1 = faultyD1(env.DB)
  const clock = { now: NOW }
  const isKeySet = (url: string) => url.endsWith('/.well-known/jwks.json')
  const fetcher = ((input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    return (isKeySet(url) ? origin.fetch : cognito.fetch)(input, init)
  }) as typeof fetch
  const edge = createCognitoEdge(
    authOptions<CognitoUserRow>({
      pool: { jwksTimeoutMs: JWKS_TIMEOUT_MS, ...(options.preload === false ? {} : { jwks: jwksOf(signingKey) }) },
      fetch: fetcher,
      now: () => clock.now,
      cognito: COGNITO_SECTION,
      cookies: {},
      users: d1UserStore({ database: d1.database, autoCreate: true, now: () => clock.now }),
    }),
  )
  let handled = 0
  const app = new Hono<{ Variables: CognitoAuthVariables<CognitoUserRow> }>()
  app.route('/auth', edge.routes())
  app.use('/api/*', edge.auth())
  app.get('/api/me', (c) => {
    handled++
    return c.json({ sub: c.var.cognito.claims.sub, user: c.var.cognito.user })
  })
  return {
    app: app as unknown as Hono,
    cognito,
    origin,
    d1,
    clock,
    handled: () => handled,
    calls: () => ({ cognito: cognito.calls.length, keySet: origin.calls.length, d1: d1.attempted.length }),
  }
}

/** The session cookies as a Cookie header, with the CSRF cookie. */
export function cookieHeader(tokens: { id?: string; access?: string; refresh?: string }): string {
  const [id, access, refresh] = SESSION_COOKIES
  const pairs = [
    tokens.id ? `${id}=${tokens.id}` : null,
    tokens.access ? `${access}=${tokens.access}` : null,
    tokens.refresh ? `${refresh}=${tokens.refresh}` : null,
    CSRF.cookie,
  ]
  return pairs.filter((pair) => pair !== null).join('; ')
}

/** What the response's Set-Cookie headers do to the session cookies; 'mixed' is never a good answer. */
export function cookieOutcome(res: Response, carried: boolean): CookieOutcome | 'mixed' {
  const session = res.headers.getSetCookie().filter((cookie) => SESSION_COOKIES.some((name) => cookie.startsWith(`${name}=`)))
  const cleared = session.filter((cookie) => /;\s*Max-Age=0(;|$)/.test(cookie))
  if (session.length === 0) return carried ? 'kept' : 'none'
  if (cleared.length === SESSION_COOKIES.length && session.length === cleared.length) return 'cleared'
  if (cleared.length === 0) return 'renewed'
  return 'mixed'
}

/** Every row of the user table, in order: compared before and after a cell. */
export async function userRows(): Promise<string> {
  const { results } = await env.DB.prepare('SELECT * FROM cognito_users ORDER BY id').all()
  return JSON.stringify(results)
}

export async function rowsOf(sub: string): Promise<Record<string, unknown>[]> {
  const { results } = await env.DB.prepare('SELECT * FROM cognito_users WHERE sub = ?').bind(sub).all()
  return results
}
