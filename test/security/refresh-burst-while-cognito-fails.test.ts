// Item 5 of the session-layer review: while Cognito fails, a burst of requests of one session
// must not multiply Cognito calls. Failed outcomes (unavailable, throttled, refused) are shared
// with the requests waiting on them for a short window, like successes: one burst → at most 2
// calls (the call and its one retry), whatever Cognito answers.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { type CognitoAuthVariables, cognitoAuth } from '../../src/hono'
import { authOptions, signingKey } from '../helpers/auth'
import { errorOf } from '../helpers/errors'
import { type CognitoHandler, cognitoError, fakeCognito } from '../helpers/fake-cognito'
import { NOW, NOW_SECONDS, accessClaims, idClaims, mint } from '../helpers/tokens'

const expiredTimes = { iat: NOW_SECONDS - 3700, auth_time: NOW_SECONDS - 3700, exp: NOW_SECONDS - 100 }

function burstApp(handler: CognitoHandler, timeoutMs?: number) {
  const cognito = fakeCognito({ InitiateAuth: handler })
  const app = new Hono<{ Variables: CognitoAuthVariables }>()
  app.use('*', cognitoAuth(authOptions({ fetch: cognito.fetch, ...(timeoutMs ? { cognito: { timeoutMs } } : {}) })))
  app.get('/', (c) => c.text('ok'))
  return { app, calls: () => cognito.calls.length }
}

async function burst(app: Hono<{ Variables: CognitoAuthVariables }>, size = 20) {
  const headers = {
    IDTOKEN: await mint(signingKey, idClaims(expiredTimes)),
    ACCESSTOKEN: await mint(signingKey, accessClaims(expiredTimes)),
    REFRESHTOKEN: 'refresh-token-of-the-session',
  }
  const responses = await Promise.all(Array.from({ length: size }, () => app.request('/', { headers })))
  return Promise.all(responses.map(async (res) => ({ status: res.status, code: (await errorOf(res)).code })))
}

const slowly =
  (answer: () => Response): CognitoHandler =>
  async () => {
    await new Promise((resolve) => setTimeout(resolve, 20))
    return answer()
  }

describe('one burst of one session while Cognito fails → at most 2 Cognito calls', () => {
  it('Cognito answers 500', async () => {
    const { app, calls } = burstApp(slowly(() => cognitoError('InternalErrorException', 'down', 500)))
    const outcomes = await burst(app)
    expect(outcomes.every((outcome) => outcome.status === 503)).toBe(true)
    expect(calls()).toBeLessThanOrEqual(2)
  })

  it('Cognito throttles', async () => {
    const { app, calls } = burstApp(slowly(() => cognitoError('TooManyRequestsException', 'Rate exceeded')))
    const outcomes = await burst(app)
    expect(new Set(outcomes.map((outcome) => `${outcome.status} ${outcome.code}`))).toEqual(
      new Set(['429 ERR_COGNITO_THROTTLED']),
    )
    expect(calls()).toBeLessThanOrEqual(2)
  })

  it('Cognito answers HTML (a proxy in the way)', async () => {
    const { app, calls } = burstApp(slowly(() => new Response('<html>bad gateway</html>', { status: 502 })))
    const outcomes = await burst(app)
    expect(outcomes.every((outcome) => outcome.status === 503)).toBe(true)
    expect(calls()).toBeLessThanOrEqual(2)
  })

  it('Cognito does not answer (timeout)', async () => {
    const { app, calls } = burstApp(() => new Promise<Response>(() => {}), 50)
    const outcomes = await burst(app, 10)
    expect(outcomes.every((outcome) => outcome.status === 503)).toBe(true)
    expect(calls()).toBeLessThanOrEqual(2)
  })

  it('the failure is remembered only briefly: the next burst after the window asks again', async () => {
    let now = NOW
    const cognito = fakeCognito({ InitiateAuth: () => cognitoError('InternalErrorException', 'down', 500) })
    const app = new Hono<{ Variables: CognitoAuthVariables }>()
    app.use('*', cognitoAuth(authOptions({ fetch: cognito.fetch, now: () => now })))
    app.get('/', (c) => c.text('ok'))
    await burst(app, 5)
    const first = cognito.calls.length
    now += 60_000
    await burst(app, 5)
    expect(cognito.calls.length).toBeGreaterThan(first)
  })
})
