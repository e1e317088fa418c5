// Key rotation under load: while a few hundred requests are in flight through the middleware, the
// pool's key set gains key B (tokens signed by B start arriving) and later drops key A. Tokens of
// either key are accepted while their key is published, no request fails, and the one isolate
// fetches the key set once per rotation step (counted at the fake origin). The clock is injected and
// stepped past the kid-miss cooldown (30 s) and the max age (1 h) as the rotation needs.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { type CognitoAuthVariables, cognitoAuth } from '../../src/hono'
import { type TestKey, jwksOf, rsaKey } from '../helpers/keys'
import { fakeOrigin } from '../helpers/origin'
import { CLIENT_ID, NOW, NOW_SECONDS, POOL_ID, accessClaims, idClaims, mint } from '../helpers/tokens'

const keyA = await rsaKey('key-a')
const keyB = await rsaKey('key-b')
const COOLDOWN_MS = 30_000 // the default jwksCooldown
const MAX_AGE_MS = 3_600_000 // the default jwksMaxAge
const SESSIONS_PER_KEY = 100
const CONCURRENCY = 200
const PER_STEP = 500

interface Session {
  readonly key: TestKey
  readonly sub: string
  readonly headers: Record<string, string>
}

/** Sessions of one key, valid for three days so they outlive every clock step. */
function sessionsOf(key: TestKey): Promise<Session[]> {
  const exp = NOW_SECONDS + 3 * 86_400
  return Promise.all(
    Array.from({ length: SESSIONS_PER_KEY }, async () => {
      const sub = crypto.randomUUID()
      const [id, access] = await Promise.all([mint(key, idClaims({ sub, exp })), mint(key, accessClaims({ sub, exp }))])
      return { key, sub, headers: { IDTOKEN: id, ACCESSTOKEN: access } }
    }),
  )
}

const [sessionsA, sessionsB] = await Promise.all([sessionsOf(keyA), sessionsOf(keyB)])

/** One isolate: the middleware over a fake key-set origin and a stepped clock, with an execution context for waitUntil. */
function isolate() {
  const clock = { now: NOW }
  const origin = fakeOrigin(jwksOf(keyA))
  const app = new Hono<{ Variables: CognitoAuthVariables }>()
  app.use(
    '/api/*',
    cognitoAuth({ pool: { userPoolId: POOL_ID, clientId: CLIENT_ID }, fetch: origin.fetch, now: () => clock.now }),
  )
  app.get('/api/me', (c) => c.json({ sub: c.var.cognito.claims.sub }))
  const background: Promise<unknown>[] = []
  const context = {
    waitUntil: (promise: Promise<unknown>) => void background.push(promise),
    passThroughOnException: () => {},
    props: {},
  }
  async function call(session: Session): Promise<{ status: number; code: string | null; sub: string | null }> {
    const res = await app.request('/api/me', { headers: session.headers }, {}, context)
    const body = (await res.json()) as { sub?: string; code?: string }
    return { status: res.status, code: body.code ?? null, sub: body.sub ?? null }
  }
  return { clock, origin, call, settled: () => Promise.all(background) }
}

describe('key rotation under load', () => {
  it('A → A+B → B while requests flow: no request fails, one key-set fetch per step', { timeout: 60_000 }, async () => {
    const { clock, origin, call, settled } = isolate()
    let step = 0 // 0: A only; 1: B published, A and B arrive; 2: Cognito signs with B only; 3: A dropped
    const fetchesAtStep = [0, 0, 0, 0]
    const failures: string[] = []
    let started = 0
    let inFlight = 0
    let peak = 0
    let inFlightA = 0
    const perKey = { 'key-a': 0, 'key-b': 0 }

    async function enter(next: number, change: () => void | Promise<void>) {
      step = next
      await change()
      fetchesAtStep[next] = origin.calls.length
    }

    async function worker() {
      while (started < 4 * PER_STEP) {
        const index = started++
        if (index === PER_STEP) {
          // Cognito publishes B; the isolate's last fetch is past the cooldown.
          await enter(1, () => {
            origin.serve(jwksOf(keyA, keyB))
            clock.now += COOLDOWN_MS + 1000
          })
        } else if (index === 2 * PER_STEP) {
          await enter(2, () => {}) // new tokens are signed by B only; those of A in flight finish
        } else if (index === 3 * PER_STEP) {
          await enter(3, async () => {
            while (inFlightA > 0) await new Promise((resolve) => setTimeout(resolve, 1))
            origin.serve(jwksOf(keyB)) // A is dropped, and the cached set is past its max age
            clock.now += MAX_AGE_MS + 1000
          })
        }
        const session =
          step === 0 || (step === 1 && index % 2 === 0)
            ? (sessionsA[index % SESSIONS_PER_KEY] as Session)
            : (sessionsB[index % SESSIONS_PER_KEY] as Session)
        const signedByA = session.key === keyA
        inFlight++
        peak = Math.max(peak, inFlight)
        if (signedByA) inFlightA++
        const outcome = await call(session)
        inFlight--
        if (signedByA) inFlightA--
        perKey[session.key.kid as keyof typeof perKey]++
        if (outcome.status !== 200 || outcome.sub !== session.sub)
          failures.push(`request ${index} (${session.key.kid}, step ${step}): ${outcome.status} ${outcome.code}`)
      }
    }

    await Promise.all(Array.from({ length: CONCURRENCY }, worker))
    await settled() // the background revalidation of step 3
    const fetchesPerStep = fetchesAtStep.map((at, i) => (fetchesAtStep[i + 1] ?? origin.calls.length) - at)
    console.log(
      `key rotation: ${4 * PER_STEP} requests (${perKey['key-a']} signed by A, ${perKey['key-b']} by B), ` +
        `${peak} in flight at most; key-set fetches per step ${JSON.stringify(fetchesPerStep)}`,
    )
    expect(failures).toEqual([])
    expect(peak).toBeGreaterThanOrEqual(CONCURRENCY - 1)
    // Step 0: the first sight of A. Step 1: the first B token misses its kid. Step 2: none.
    // Step 3: the set is past its max age and is revalidated once, in the background.
    expect(fetchesPerStep).toEqual([1, 1, 0, 1])

    // Once the revalidated set lands, A is no longer published: its tokens are refused, with no new
    // fetch within the cooldown; past it, a burst of them costs one fetch.
    expect(await call(sessionsA[0] as Session)).toMatchObject({ status: 401, code: 'ERR_COGNITO_KID' })
    expect(await call(sessionsB[0] as Session)).toMatchObject({ status: 200 })
    expect(origin.calls).toHaveLength(3)
    clock.now += COOLDOWN_MS + 1000
    const burst = await Promise.all(sessionsA.map((session) => call(session)))
    expect(new Set(burst.map((outcome) => `${outcome.status} ${outcome.code}`))).toEqual(new Set(['401 ERR_COGNITO_KID']))
    expect(origin.calls).toHaveLength(4)
  })

  it('the limit: a key published less than the cooldown after the last fetch is refused until the cooldown passes', async () => {
    const { clock, origin, call } = isolate()
    expect(await call(sessionsA[0] as Session)).toMatchObject({ status: 200 })
    origin.serve(jwksOf(keyA, keyB))
    clock.now += COOLDOWN_MS - 1000
    const early = await Promise.all(sessionsB.slice(0, 20).map((session) => call(session)))
    expect(new Set(early.map((outcome) => `${outcome.status} ${outcome.code}`))).toEqual(new Set(['401 ERR_COGNITO_KID']))
    expect(origin.calls).toHaveLength(1)
    clock.now += 2000
    const later = await Promise.all(sessionsB.slice(0, 20).map((session) => call(session)))
    expect(later.every((outcome) => outcome.status === 200)).toBe(true)
    expect(origin.calls).toHaveLength(2)
  })
})
