// Test rig for the revocation list: "isolates" that share one real D1 database, each an edge with
// its own d1Revocations (its own per-isolate copy) over a counting D1 binding, mounted on a Hono
// app with the /auth routes and a protected /api/me. The lists share a clock the test moves; the
// edges keep the frozen clock of the tokens.
import { env } from 'cloudflare:test'
import { Hono } from 'hono'
import { type D1RevocationsOptions, type RevocationList, d1Revocations } from '../../src/d1'
import type { CognitoAuthError } from '../../src/index'
import { type CognitoAuthVariables, type CognitoEdgeWithClients, createCognitoEdge } from '../../src/hono'
import { type EdgeOverrides, authOptions, signingKey } from '../helpers/auth'
import { type FakeCognito, fakeCognito } from '../helpers/fake-cognito'
import { NOW, NOW_SECONDS, accessClaims, idClaims, mint } from '../helpers/tokens'
import { type CountingD1, countingD1 } from './d1'

/** The lists' clock (milliseconds); tests move it. */
export const clock = { now: NOW }

export interface Isolate {
  readonly app: Hono
  readonly edge: CognitoEdgeWithClients
  readonly list: RevocationList
  readonly d1: CountingD1
  readonly cognito: FakeCognito
  /** What the list reported (failed reads and writes). */
  readonly reports: CognitoAuthError[]
  /** How many requests reached the handler. */
  handled(): number
}

export function isolate(options: Partial<D1RevocationsOptions> = {}, overrides: EdgeOverrides = {}): Isolate {
  const d1 = countingD1(env.DB)
  const reports: CognitoAuthError[] = []
  const list = d1Revocations({ database: d1.database, now: () => clock.now, report: (error) => reports.push(error), ...options })
  const cognito = fakeCognito({ RevokeToken: () => ({}), GlobalSignOut: () => ({}), AdminUserGlobalSignOut: () => ({}) })
  const edge = createCognitoEdge(authOptions({ fetch: cognito.fetch, revocations: list, ...overrides }))
  let handled = 0
  const app = new Hono<{ Variables: CognitoAuthVariables }>()
  app.route('/auth', edge.routes())
  app.use('/api/*', edge.auth())
  app.get('/api/me', (c) => {
    handled++
    return c.json({ sub: c.var.cognito.claims.sub, refreshed: c.var.cognito.refreshed })
  })
  return { app: app as unknown as Hono, edge, list, d1, cognito, reports, handled: () => handled }
}

/** A sign-in's ID and access tokens (their own origin_jti), as headers. */
export async function signIn(overrides: Record<string, unknown> = {}): Promise<Record<string, string>> {
  const signInId = crypto.randomUUID()
  return {
    IDTOKEN: await mint(signingKey, idClaims({ origin_jti: signInId, jti: crypto.randomUUID(), ...overrides })),
    ACCESSTOKEN: await mint(signingKey, accessClaims({ origin_jti: signInId, jti: crypto.randomUUID(), ...overrides })),
  }
}

export const expiredTimes = { iat: NOW_SECONDS - 3700, auth_time: NOW_SECONDS - 3700, exp: NOW_SECONDS - 100 }

export const me = (isolate: Isolate, headers: Record<string, string>) => isolate.app.request('/api/me', { headers })

export const logout = (isolate: Isolate, headers: Record<string, string>, body: object = {}) =>
  isolate.app.request('/auth/logout', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })

/** The rows of the revocation table, as D1 holds them. */
export async function rows(): Promise<{ kind: string; key: string; not_before: number; expires_at: number }[]> {
  const { results } = await env.DB.prepare('SELECT kind, key, not_before, expires_at FROM cognito_revocations ORDER BY id').all()
  return results as never
}

/** A fresh table and clock for each test. */
export async function resetRevocations(): Promise<void> {
  clock.now = NOW
  await env.DB.exec('DELETE FROM cognito_revocations')
}
