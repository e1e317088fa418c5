// Item 9 of the session-layer review: renewed cookies were built after the handler ran, so a
// renewed token too large for a cookie turned a request whose side effects were done into a bare
// 500. They are built and checked before the handler now; too large → a structured error, and
// the handler never runs.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { type CognitoAuthVariables, cognitoAuth } from '../../src/hono'
import { authOptions, signingKey } from '../helpers/auth'
import { errorOf } from '../helpers/errors'
import { fakeCognito } from '../helpers/fake-cognito'
import { NOW_SECONDS, accessClaims, idClaims, mint } from '../helpers/tokens'

const expiredTimes = { iat: NOW_SECONDS - 3700, auth_time: NOW_SECONDS - 3700, exp: NOW_SECONDS - 100 }

function app(groups: string[]) {
  const cognito = fakeCognito({
    InitiateAuth: async () => ({
      AuthenticationResult: {
        // A user in very many groups: Cognito puts every group in both tokens.
        IdToken: await mint(signingKey, idClaims({ 'cognito:groups': groups, jti: crypto.randomUUID() })),
        AccessToken: await mint(signingKey, accessClaims({ 'cognito:groups': groups, jti: crypto.randomUUID() })),
        ExpiresIn: 3600,
      },
    }),
  })
  const writes: string[] = []
  const hono = new Hono<{ Variables: CognitoAuthVariables }>()
  hono.use('*', cognitoAuth(authOptions({ fetch: cognito.fetch, cookies: {} })))
  hono.post('/orders', (c) => {
    writes.push(c.var.cognito.claims.sub) // the side effect that must not happen before a failure
    return c.json({ ordered: true }, 201)
  })
  return { hono, writes }
}

async function expiredCookieSession() {
  const id = await mint(signingKey, idClaims(expiredTimes))
  return { cookie: `__Host-cognito-id=${id}; __Host-cognito-refresh=r1; csrftoken=t`, CsrfToken: 't' }
}

describe('renewal cookies are settled before the handler runs', () => {
  it('a renewed token too large for a cookie → a structured error, and the handler never ran', async () => {
    const groups = Array.from({ length: 200 }, (_, i) => `group-with-a-long-name-${i}`)
    const { hono, writes } = app(groups)
    const res = await hono.request('/orders', { method: 'POST', headers: await expiredCookieSession() })
    expect(writes).toEqual([])
    expect(res.headers.get('content-type')).toMatch(/application\/json/)
    expect((await errorOf(res)).code).toBe('ERR_COGNITO_COOKIE_TOO_LARGE')
  })

  it('a renewal that fits: the handler runs once and the new cookies go out with its response', async () => {
    const { hono, writes } = app(['admins'])
    const res = await hono.request('/orders', { method: 'POST', headers: await expiredCookieSession() })
    expect(res.status).toBe(201)
    expect(writes).toHaveLength(1)
    expect(res.headers.getSetCookie().map((cookie) => cookie.split('=')[0])).toEqual([
      '__Host-cognito-id',
      '__Host-cognito-access',
    ])
  })
})
