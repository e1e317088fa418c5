// The places a fault can hit, each as one request through a fresh rig: the middleware renewing a
// cookie or a header session, the /auth routes, the first verification of a session (the key set),
// and the user store (D1). Each returns what the client got and what the request cost upstream.
import type { CognitoFault, CookieOutcome, D1Fault, KeySetFault, UpstreamCalls } from './fault-matrix'
import { COGNITO_FAULTS, KEY_SET_FAULTS } from './faults'
import { type Rig, CSRF, cookieHeader, cookieOutcome, issuing, newUser, rig, rowsOf, tokensOf, userRows } from './rig'

export interface Observed {
  readonly status: number
  readonly code: string
  readonly cookies: CookieOutcome | 'mixed'
  readonly calls: UpstreamCalls
}

export interface Observation {
  readonly observed: Observed
  /** The Retry-After header, if any. */
  readonly retryAfter: string | null
  /** Requests that reached the app's handler. */
  readonly handled: number
  /** The user table before and after the request. */
  readonly rows: { readonly before: string; readonly after: string }
  /** D1 cells: the same request once D1 heals, and the user's rows then. */
  readonly healed?: { readonly status: number; readonly rows: Record<string, unknown>[] }
}

async function observe(r: Rig, carried: boolean, request: () => Promise<Response>): Promise<Observation> {
  const before = await userRows()
  const baseline = r.calls()
  const handledBefore = r.handled()
  const res = await request()
  const body = (await res.json()) as { code?: string }
  const now = r.calls()
  const observed: Observed = {
    status: res.status,
    code: (body.code ?? '').replace(/^ERR_COGNITO_/, ''),
    cookies: cookieOutcome(res, carried),
    calls: { cognito: now.cognito - baseline.cognito, keySet: now.keySet - baseline.keySet, d1: now.d1 - baseline.d1 },
  }
  const retryAfter = res.headers.get('retry-after')
  return { observed, retryAfter, handled: r.handled() - handledBefore, rows: { before, after: await userRows() } }
}

const get = async (r: Rig, headers: Record<string, string>) => r.app.request('/api/me', { headers })
const post = async (r: Rig, path: string, cookie: string, body: unknown = {}) =>
  r.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, ...CSRF.header },
    body: JSON.stringify(body),
  })

type PlaceRun<Fault> = (fault: Fault) => Promise<Observation>

export const COGNITO_PLACES: Record<string, PlaceRun<CognitoFault>> = {
  async 'renewal, cookie session'(fault) {
    const r = rig({ cognito: COGNITO_FAULTS[fault] })
    const expired = await tokensOf(newUser(), { expired: true })
    // A browser has dropped the access cookie at its token's exp; the ID and refresh cookies remain.
    return observe(r, true, () => get(r, { cookie: cookieHeader({ id: expired.id, refresh: 'refresh-token' }) }))
  },
  async 'renewal, header session'(fault) {
    const r = rig({ cognito: COGNITO_FAULTS[fault] })
    const expired = await tokensOf(newUser(), { expired: true })
    return observe(r, false, () => get(r, { IDTOKEN: expired.id, ACCESSTOKEN: expired.access, REFRESHTOKEN: 'refresh-token' }))
  },
  async 'POST /auth/login'(fault) {
    const r = rig({ cognito: COGNITO_FAULTS[fault] })
    const { username } = newUser()
    return observe(r, false, () => post(r, '/auth/login', CSRF.cookie, { username, password: 'Correct-Horse-1' }))
  },
  async 'POST /auth/refresh'(fault) {
    const r = rig({ cognito: COGNITO_FAULTS[fault] })
    const expired = await tokensOf(newUser(), { expired: true })
    return observe(r, true, () => post(r, '/auth/refresh', cookieHeader({ id: expired.id, refresh: 'refresh-token' })))
  },
  async 'POST /auth/logout'(fault) {
    const r = rig({ cognito: COGNITO_FAULTS[fault] })
    const tokens = await tokensOf(newUser())
    return observe(r, true, () => post(r, '/auth/logout', cookieHeader({ ...tokens, refresh: 'refresh-token' })))
  },
}

export const KEY_SET_PLACES: Record<string, PlaceRun<KeySetFault>> = {
  async 'first sight, header session'(fault) {
    const user = newUser()
    const r = rig({ cognito: issuing(user), keySet: KEY_SET_FAULTS[fault], preload: false })
    const tokens = await tokensOf(user)
    return observe(r, false, () => get(r, { IDTOKEN: tokens.id, ACCESSTOKEN: tokens.access }))
  },
  async 'first sight, cookie session'(fault) {
    const user = newUser()
    const r = rig({ cognito: issuing(user), keySet: KEY_SET_FAULTS[fault], preload: false })
    const tokens = await tokensOf(user)
    return observe(r, true, () => get(r, { cookie: cookieHeader({ ...tokens, refresh: 'refresh-token' }) }))
  },
  async 'POST /auth/login'(fault) {
    const user = newUser()
    const r = rig({ cognito: issuing(user, 'refresh-token'), keySet: KEY_SET_FAULTS[fault], preload: false })
    return observe(r, false, () => post(r, '/auth/login', CSRF.cookie, { username: user.username, password: 'Correct-Horse-1' }))
  },
  async 'POST /auth/refresh'(fault) {
    const user = newUser()
    const r = rig({ cognito: issuing(user), keySet: KEY_SET_FAULTS[fault], preload: false })
    const expired = await tokensOf(user, { expired: true })
    return observe(r, true, () => post(r, '/auth/refresh', cookieHeader({ id: expired.id, refresh: 'refresh-token' })))
  },
}

/** Runs the request with D1 failing, then once more with D1 healed. */
async function withHealing(r: Rig, sub: string, fault: D1Fault, carried: boolean, request: () => Promise<Response>) {
  r.d1.fail(fault)
  const observation = await observe(r, carried, request)
  r.d1.fail(null)
  const again = await request()
  return { ...observation, healed: { status: again.status, rows: await rowsOf(sub) } }
}

export const D1_PLACES: Record<string, PlaceRun<D1Fault>> = {
  async 'first sight (auto-create)'(fault) {
    const user = newUser()
    const r = rig({ cognito: issuing(user) })
    const tokens = await tokensOf(user)
    return withHealing(r, user.sub, fault, false, () => get(r, { IDTOKEN: tokens.id, ACCESSTOKEN: tokens.access }))
  },
  async 'cached user past its TTL, email changed'(fault) {
    const user = newUser()
    const r = rig({ cognito: issuing(user) })
    const first = await tokensOf(user)
    const warm = await get(r, { IDTOKEN: first.id, ACCESSTOKEN: first.access })
    if (warm.status !== 200) throw new Error(`warming the user cache failed: ${warm.status}`)
    r.clock.now += 61_000 // past the store's cacheTtl (60 s)
    const changed = await tokensOf(user, { email: `new-${user.email}` })
    return withHealing(r, user.sub, fault, false, () => get(r, { IDTOKEN: changed.id, ACCESSTOKEN: changed.access }))
  },
  async 'renewal, cookie session'(fault) {
    const user = newUser()
    const r = rig({ cognito: issuing(user) })
    const expired = await tokensOf(user, { expired: true })
    const cookie = cookieHeader({ id: expired.id, refresh: 'refresh-token' })
    return withHealing(r, user.sub, fault, true, () => get(r, { cookie }))
  },
}
