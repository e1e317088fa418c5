// Rotation-safe renewal (cognito-edge/durable): two edges — two isolates' worth of caches — share
// one CognitoRenewals object per session through a namespace that hands out real instances of the
// class. (test/isolates runs the same across real workerd isolates with a real Durable Object.)
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { CognitoRenewals, type DurableObjectNamespaceBinding, durableRenewals } from '../../src/durable'
import { RENEWALS_ORIGIN } from '../../src/durable/protocol'
import { type CognitoAuthVariables, createCognitoEdge } from '../../src/hono'
import { authOptions, signingKey } from '../helpers/auth'
import { type CognitoHandler, type FakeCognito, cognitoError, fakeCognito } from '../helpers/fake-cognito'
import { errorOf } from '../helpers/errors'
import { renewalsNamespace, rotatedResult, unusedState } from '../helpers/renewals'
import { NOW, NOW_SECONDS, accessClaims, idClaims, mint } from '../helpers/tokens'

const expiredTimes = { iat: NOW_SECONDS - 3700, auth_time: NOW_SECONDS - 3700, exp: NOW_SECONDS - 100 }

/** A Cognito that rotates: each renewal is slow, and answers new tokens and a new refresh token. */
const rotating: CognitoHandler = async () => {
  await new Promise((resolve) => setTimeout(resolve, 50))
  return rotatedResult()
}

function isolateApp(cognito: FakeCognito, renewals: DurableObjectNamespaceBinding | null, now?: () => number) {
  const edge = createCognitoEdge(
    authOptions({
      ...(now ? { now } : {}),
      fetch: cognito.fetch,
      refresh: { rotation: true },
      ...(renewals ? { renewals: durableRenewals(renewals) } : {}),
    }),
  )
  const app = new Hono<{ Variables: CognitoAuthVariables }>().use(edge.auth())
  app.get('/', (c) => c.json({ refreshed: c.var.cognito.refreshed }))
  return app as unknown as Hono
}

async function expiredSession(refresh = 'refresh-token-1') {
  return {
    IDTOKEN: await mint(signingKey, idClaims(expiredTimes)),
    ACCESSTOKEN: await mint(signingKey, accessClaims(expiredTimes)),
    REFRESHTOKEN: refresh,
  }
}

/** `count` concurrent requests with one expired session, alternating between the apps. */
async function burst(apps: Hono[], count: number) {
  const headers = await expiredSession()
  return Promise.all(Array.from({ length: count }, (_, i) => (apps[i % apps.length] as Hono).request('/', { headers })))
}

const renewals = (cognito: FakeCognito) => cognito.calls.filter((call) => call.operation === 'GetTokensFromRefreshToken').length

describe('renewals across isolates (durableRenewals)', () => {
  it('10 concurrent renewals of one rotating session over two isolates: one Cognito call, the same tokens for all', async () => {
    const cognito = fakeCognito({ GetTokensFromRefreshToken: rotating })
    const { binding } = renewalsNamespace()
    const responses = await burst([isolateApp(cognito, binding), isolateApp(cognito, binding)], 10)
    expect(responses.map((res) => res.status)).toEqual(Array(10).fill(200))
    expect(renewals(cognito)).toBe(1)
    const tokens = new Set(
      responses.map((res) => ['ACCESSTOKEN', 'IDTOKEN', 'REFRESHTOKEN'].map((h) => res.headers.get(h)).join()),
    )
    expect(tokens.size).toBe(1)
    expect(responses[0]?.headers.get('REFRESHTOKEN')).toMatch(/^rotated-/)
  })

  it('without a coordinator each isolate renews on its own: one call per isolate (the rotation race)', async () => {
    const cognito = fakeCognito({ GetTokensFromRefreshToken: rotating })
    await burst([isolateApp(cognito, null), isolateApp(cognito, null)], 10)
    expect(renewals(cognito)).toBe(2)
  })

  it('a refused refresh token is shared: every caller gets 401 ERR_COGNITO_REFRESH_REJECTED from one call', async () => {
    const cognito = fakeCognito({
      GetTokensFromRefreshToken: async () => {
        await new Promise((resolve) => setTimeout(resolve, 50))
        return cognitoError('NotAuthorizedException', 'Invalid Refresh Token')
      },
    })
    const { binding } = renewalsNamespace()
    const responses = await burst([isolateApp(cognito, binding), isolateApp(cognito, binding)], 6)
    expect(await Promise.all(responses.map(async (res) => (await errorOf(res)).code))).toEqual(
      Array(6).fill('ERR_COGNITO_REFRESH_REJECTED'),
    )
    expect(renewals(cognito)).toBe(1)
  })

  it('the object is named by a SHA-256 of the refresh token, never by the token', async () => {
    const cognito = fakeCognito({ GetTokensFromRefreshToken: rotating })
    const { binding, names } = renewalsNamespace()
    await burst([isolateApp(cognito, binding)], 1)
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode('refresh-token-1')))
    expect(names).toEqual([
      btoa(String.fromCharCode(...digest))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, ''),
    ])
  })

  it('tokens are shared only while they live: past their exp the next caller renews (short-lived tokens, long burst window)', async () => {
    // An app client issuing 1-second tokens; the burst window is 30 s. (Found by npm run load with the demo's 3 s client.)
    const clock = { now: NOW }
    const shortLived = () => {
      const seconds = Math.floor(clock.now / 1000)
      return { iat: seconds, auth_time: NOW_SECONDS - 3700, exp: seconds + 1 }
    }
    const cognito = fakeCognito({ GetTokensFromRefreshToken: async () => rotatedResult(shortLived()) })
    const { binding } = renewalsNamespace()
    const [a, b] = [isolateApp(cognito, binding, () => clock.now), isolateApp(cognito, binding, () => clock.now)]
    const headers = await expiredSession()
    expect((await a.request('/', { headers })).status).toBe(200)
    // The tokens A renewed into have expired, on every clock: B's isolate and the object's.
    clock.now = NOW + 1500
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const res = await b.request('/', { headers })
    expect(res.status === 200 ? 200 : (await errorOf(res)).code).toBe(200)
    expect(renewals(cognito)).toBe(2)
  })

  it('the coordinator unreachable → 503 ERR_COGNITO_RENEWALS_UNAVAILABLE; Cognito is not asked', async () => {
    const cognito = fakeCognito({ GetTokensFromRefreshToken: rotating })
    const down: DurableObjectNamespaceBinding = {
      idFromName: () => 'x',
      get: () => ({ fetch: async () => Promise.reject(new Error('Durable Object reset')) }),
    }
    const [res] = await burst([isolateApp(cognito, down)], 1)
    expect(res?.status).toBe(503)
    expect((await errorOf(res as Response)).code).toBe('ERR_COGNITO_RENEWALS_UNAVAILABLE')
    expect(cognito.calls).toEqual([])
  })
})

describe('the CognitoRenewals object', () => {
  const post = (object: CognitoRenewals, path: string, body: unknown) =>
    object.fetch(new Request(`${RENEWALS_ORIGIN}${path}`, { method: 'POST', body: JSON.stringify(body) }))
  const acquire = async (object: CognitoRenewals, timing = { leaseMs: 1000, windowMs: 1000, failureWindowMs: 100 }) =>
    (await post(object, '/acquire', timing)).json() as Promise<Record<string, unknown>>
  const tokens = { id: 'id-token', access: 'access-token', refresh: 'refresh-token' }

  it('a leader that vanishes: its lease runs out, and the caller waiting leads', async () => {
    const object = new CognitoRenewals(unusedState, {})
    const timing = { leaseMs: 50, windowMs: 1000, failureWindowMs: 100 }
    const first = await acquire(object, timing)
    const started = Date.now()
    const second = await acquire(object, timing)
    expect([first.outcome, second.outcome]).toEqual(['lead', 'lead'])
    expect(second.lease).not.toBe(first.lease)
    expect(Date.now() - started).toBeGreaterThanOrEqual(40)
    // The first leader's tokens, late, are still taken; its failure would not be.
    expect((await post(object, '/settle', { lease: first.lease, tokens })).status).toBe(204)
    expect(await acquire(object)).toEqual({ outcome: 'tokens', tokens })
  })

  it('a failure only the current leader settles; one not worth sharing gives the lease back', async () => {
    const object = new CognitoRenewals(unusedState, {})
    const first = await acquire(object)
    await post(object, '/settle', { lease: 'someone-else', code: 'ERR_COGNITO_REFRESH_REJECTED', message: 'no' })
    await post(object, '/settle', { lease: first.lease })
    expect((await acquire(object)).outcome).toBe('lead')
  })

  it('the outcome is shared for its window only', async () => {
    const object = new CognitoRenewals(unusedState, {})
    const timing = { leaseMs: 1000, windowMs: 30, failureWindowMs: 10 }
    const leader = await acquire(object, timing)
    await post(object, '/settle', { lease: leader.lease, tokens })
    expect((await acquire(object, timing)).outcome).toBe('tokens')
    await new Promise((resolve) => setTimeout(resolve, 40))
    expect((await acquire(object, timing)).outcome).toBe('lead')
  })

  it('refuses what it is sent malformed: bounds, tokens, codes, paths', async () => {
    const object = new CognitoRenewals(unusedState, {})
    expect((await post(object, '/acquire', { leaseMs: 3_600_000, windowMs: 0, failureWindowMs: 0 })).status).toBe(400)
    expect((await post(object, '/acquire', 'x')).status).toBe(400)
    const { lease } = await acquire(object)
    expect((await post(object, '/settle', { lease, tokens: { ...tokens, id: 'x'.repeat(20_000) } })).status).toBe(400)
    expect((await post(object, '/settle', { lease, code: 'ERR_COGNITO_CONFIG', message: 'm' })).status).toBe(400)
    expect((await post(object, '/elsewhere', {})).status).toBe(404)
    expect((await object.fetch(new Request('https://example.com/acquire', { method: 'POST', body: '{}' }))).status).toBe(404)
  })
})
