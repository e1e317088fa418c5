// Attack: pick your own IP for the rate limiter. The attempt's `ip` is read from the
// CF-Connecting-IP request header whatever carried the request; the docs say it is "null when the
// request did not come through Cloudflare". Only Cloudflare's edge sets (and overwrites) that
// header. The library runs on Node, Deno and Bun too (DESIGN.md, proven from the tarball); there, and
// for any request that did not pass Cloudflare's edge, the header is whatever the client sent, so an
// attacker sends a new CF-Connecting-IP per request and an IP-keyed budget (the README's recipe)
// never runs out — password and code guessing proceed unthrottled per IP.
//
// A request that came through Cloudflare carries `request.cf`; app.request() here builds one
// without it, as a Node/Deno/Bun server or a non-Cloudflare proxy hop would.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { type RateLimitAttempt, cognitoRoutes } from '../../src/hono'
import { authOptions } from '../helpers/auth'
import { cognitoError, fakeCognito } from '../helpers/fake-cognito'

describe('the rate limiter’s ip', () => {
  it('is null for a request that did not come through Cloudflare, whatever CF-Connecting-IP it claims', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => cognitoError('NotAuthorizedException', 'Incorrect username or password.') })
    const attempts: RateLimitAttempt[] = []
    const app = new Hono().route(
      '/auth',
      cognitoRoutes(
        authOptions({ fetch: cognito.fetch, routes: { rateLimit: (_c, attempt) => (attempts.push(attempt), true) } }),
      ),
    )
    for (let i = 1; i <= 5; i++) {
      const request = new Request('http://worker.example/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': `203.0.113.${i}` },
        body: JSON.stringify({ username: 'alice', password: `guess-${i}` }),
      })
      expect((request as { cf?: unknown }).cf).toBeUndefined() // not through Cloudflare's edge
      await app.request(request)
    }
    // Before the fix: ['203.0.113.1', …, '203.0.113.5'] — five "different clients", one budget each.
    expect(attempts.map((attempt) => attempt.ip)).toEqual([null, null, null, null, null])
  })
})
