// Review item 7, in the middleware: past the key set's max age, cognitoAuth answers from the cached
// set and hands the background refetch to the request's executionCtx.waitUntil when there is one.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { type CognitoAuthVariables, cognitoAuth } from '../../src/hono'
import { jwksOf, rsaKey } from '../helpers/keys'
import { CLIENT_ID, NOW, NOW_SECONDS, POOL_ID, idClaims, mint } from '../helpers/tokens'
import { heldOrigin } from './held-origin'

const main = await rsaKey('main-key')
const next = await rsaKey('next-key')
const MAX_AGE_MS = 3_600_000

const longLived = (key = main) => mint(key, idClaims({ jti: crypto.randomUUID(), exp: NOW_SECONDS + 86_400 }))

/** An execution context that records what is handed to waitUntil, and refuses a detached call as Workers does. */
function executionContext() {
  const background: Promise<unknown>[] = []
  const context = {
    waitUntil(promise: Promise<unknown>) {
      if (this !== context) throw new TypeError('Illegal invocation')
      background.push(promise)
    },
    passThroughOnException: () => {},
    props: {},
  }
  return { background, context }
}

/** An app whose key set was fetched at NOW; the clock then stands at its max age and the origin holds. */
async function staleApp() {
  const clock = { now: NOW }
  const origin = heldOrigin()
  const app = new Hono<{ Variables: CognitoAuthVariables }>()
  app.use(
    '/api/*',
    cognitoAuth({
      // jwksTimeoutMs: a request that waited for the fetch would fail an assertion, not the test's time limit
      pool: { userPoolId: POOL_ID, clientId: CLIENT_ID, jwksTimeoutMs: 2000 },
      fetch: origin.fetch,
      now: () => clock.now,
      refresh: false,
    }),
  )
  app.get('/api/me', (c) => c.json({ sub: c.var.cognito.claims.sub, originPending: origin.pending }))
  origin.release(jwksOf(main))
  expect((await app.request('/api/me', { headers: { IDTOKEN: await longLived() } })).status).toBe(200)
  origin.hold()
  clock.now += MAX_AGE_MS
  return { app, origin, fetchesBefore: origin.calls.length }
}

describe('cognitoAuth past the key set max age', () => {
  it('answers from the cached set and hands the one refetch to executionCtx.waitUntil', async () => {
    const { app, origin, fetchesBefore } = await staleApp()
    const { background, context } = executionContext()
    const responses = await Promise.all(
      [1, 2, 3].map(async () => app.request('/api/me', { headers: { IDTOKEN: await longLived() } }, {}, context)),
    )
    for (const response of responses) {
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ originPending: 1 }) // the handler ran while the fetch was held
    }
    expect(background).toHaveLength(1)
    expect(origin.calls.length - fetchesBefore).toBe(1)
    origin.release(jwksOf(main, next))
    await Promise.all(background)
    // What the refetch brought is in use: a token of the new key passes with no further fetch.
    const fromNewSet = await app.request('/api/me', { headers: { IDTOKEN: await longLived(next) } }, {}, context)
    expect(fromNewSet.status).toBe(200)
    expect(origin.calls.length - fetchesBefore).toBe(1)
  })

  it('without an execution context it still answers at once, and the refetch runs unawaited', async () => {
    const { app, origin, fetchesBefore } = await staleApp()
    const response = await app.request('/api/me', { headers: { IDTOKEN: await longLived() } })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ originPending: 1 })
    expect(origin.calls.length - fetchesBefore).toBe(1)
    origin.release(jwksOf(main))
  })
})
