// Item 10 of the session-layer review: the rate-limit hook was keyed on what the client typed,
// so case variants of one account got separate budgets, and several guessable routes were not
// limited at all. It now gets a normalized key and the client IP, on every guessable route.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { type RateLimitAttempt, cognitoRoutes } from '../../src/hono'
import { authOptions } from '../helpers/auth'
import { fakeCognito } from '../helpers/fake-cognito'

function limitedRoutes(allow = true) {
  const attempts: RateLimitAttempt[] = []
  const cognito = fakeCognito()
  const rateLimit = (_c: unknown, attempt: RateLimitAttempt) => {
    attempts.push(attempt)
    return allow
  }
  const app = new Hono().route('/auth', cognitoRoutes(authOptions({ fetch: cognito.fetch, routes: { rateLimit } })))
  // Through Cloudflare's edge: the request carries `cf`, and CF-Connecting-IP is Cloudflare's.
  const post = (path: string, body: unknown, headers: Record<string, string> = {}, viaCloudflare = true) =>
    app.request(`/auth/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': '203.0.113.7', ...headers },
      body: JSON.stringify(body),
      ...(viaCloudflare ? { cf: { colo: 'TST' } } : {}),
    })
  return { attempts, post, cognito }
}

const ROUTES: [string, Record<string, unknown>][] = [
  ['login', { password: 'p' }],
  ['signup', { password: 'Passw0rd!' }],
  ['forgot_password', {}],
  ['confirm_signup', { code: '123456' }],
  ['confirm_forgot_password', { code: '123456', new_password: 'N3w-Passw0rd!' }],
  ['resend_confirmation_code', {}],
  ['refresh', { refresh_token: 'r' }],
]

describe('the rate-limit hook', () => {
  for (const [route, body] of ROUTES) {
    it(`is asked before ${route} reaches Cognito, with a normalized key and the client IP`, async () => {
      const { attempts, post, cognito } = limitedRoutes(false)
      const res = await post(route, { username: '  Alice@Example.COM ', ...body })
      expect(res.status).toBe(429)
      expect(cognito.calls).toHaveLength(0)
      expect(attempts).toEqual([{ route, username: '  Alice@Example.COM ', key: 'alice@example.com', ip: '203.0.113.7' }])
    })
  }

  it('case and padding variants of one username share one key', async () => {
    const { attempts, post } = limitedRoutes(false)
    for (const username of ['alice@example.com', 'ALICE@example.com', ' alice@EXAMPLE.com']) {
      await post('login', { username, password: 'p' })
    }
    expect(new Set(attempts.map((attempt) => attempt.key))).toEqual(new Set(['alice@example.com']))
  })

  it('the IP is null when Cloudflare gave none', async () => {
    const limiter = limitedRoutes(false)
    await limiter.post('login', { username: 'a', password: 'p' }, { 'cf-connecting-ip': '' })
    expect(limiter.attempts[0]?.ip).toBeNull()
  })

  it('the IP is null for a request that did not come through Cloudflare, whatever CF-Connecting-IP it claims', async () => {
    const limiter = limitedRoutes(false)
    await limiter.post('login', { username: 'a', password: 'p' }, {}, false)
    expect(limiter.attempts[0]?.ip).toBeNull()
  })
})
