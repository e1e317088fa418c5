// Review item 7: past its max age the key set is revalidated in the background. A token whose kid
// the cached set holds is answered at once; only an unknown kid waits for the fetch; a hanging
// origin never stalls valid tokens, and is still asked at most once per cooldown.
import { describe, expect, it } from 'vitest'
import { createCognitoVerifier } from '../../src/index'
import { jwksOf, rsaKey } from '../helpers/keys'
import { CLIENT_ID, NOW, NOW_SECONDS, POOL_ID, idClaims, mint, signJsonText } from '../helpers/tokens'
import { answerOf, heldOrigin } from './held-origin'

const main = await rsaKey('main-key')
const next = await rsaKey('next-key')
const MAX_AGE_MS = 3_600_000 // the default jwksMaxAge
const COOLDOWN_MS = 30_000 // the default jwksCooldown

/** A token of `key` valid for three days, so it outlives every clock jump below. */
const longLived = (key = main, jti = crypto.randomUUID()) => mint(key, idClaims({ jti, exp: NOW_SECONDS + 3 * 86_400 }))

function randomKidToken(): Promise<string> {
  const header = JSON.stringify({ kid: `random-${crypto.randomUUID()}`, alg: 'RS256' })
  return signJsonText(header, JSON.stringify(idClaims({ exp: NOW_SECONDS + 3 * 86_400 })), main)
}

/** A verifier whose set was fetched at NOW; the clock then stands at its max age and the origin holds. */
async function staleVerifier(extra: { jwksTimeoutMs?: number; jwksStaleIfError?: number } = {}) {
  const clock = { now: NOW }
  const origin = heldOrigin()
  // The timeout is short enough that a verification that waits for the fetch fails an assertion
  // rather than the test's own time limit, and long enough never to expire while a test runs.
  const verifier = createCognitoVerifier({
    userPoolId: POOL_ID,
    clientId: CLIENT_ID,
    fetch: origin.fetch,
    now: () => clock.now,
    jwksTimeoutMs: 2000,
    ...extra,
  })
  origin.release(jwksOf(main))
  const warm = await longLived()
  await verifier.verify(warm)
  origin.hold()
  clock.now += MAX_AGE_MS
  return { clock, origin, verifier, warm, fetchesBefore: origin.calls.length }
}

describe('key set past its max age: stale-while-revalidate', () => {
  it('20 concurrent valid tokens are answered while the one refetch is still held', async () => {
    const { origin, verifier, fetchesBefore } = await staleVerifier()
    const tokens = await Promise.all(Array.from({ length: 20 }, () => longLived()))
    const answers = await Promise.all(tokens.map((token) => answerOf(origin, verifier.verify(token))))
    expect(answers).toEqual(Array(20).fill({ code: 'ok', originPending: 1 }))
    expect(origin.calls.length - fetchesBefore).toBe(1)
    // Without waitUntil the refetch runs unawaited, and still lands: the kid it brings verifies with no further fetch.
    const fromNewSet = answerOf(origin, verifier.verify(await longLived(next)))
    origin.release(jwksOf(main, next))
    expect(await fromNewSet).toEqual({ code: 'ok', originPending: 0 })
    expect(origin.calls.length - fetchesBefore).toBe(1)
  })

  it('a token the verified-token cache remembers is answered at once and starts the refetch', async () => {
    const { origin, verifier, warm, fetchesBefore } = await staleVerifier()
    expect(await answerOf(origin, verifier.verify(warm))).toEqual({ code: 'ok', originPending: 1 })
    expect(origin.calls.length - fetchesBefore).toBe(1)
    origin.release(jwksOf(main))
  })

  it('an unknown kid waits for the refetch and verifies with the key it brings', async () => {
    const { origin, verifier, fetchesBefore } = await staleVerifier()
    expect(await answerOf(origin, verifier.verify(await longLived()))).toEqual({ code: 'ok', originPending: 1 })
    const unknownKid = answerOf(origin, verifier.verify(await longLived(next)))
    origin.release(jwksOf(main, next))
    expect(await unknownKid).toEqual({ code: 'ok', originPending: 0 })
    expect(origin.calls.length - fetchesBefore).toBe(1)
  })

  it('an unknown kid waits for the refetch and fails with ERR_COGNITO_KID when it fails; no new fetch within the cooldown', async () => {
    const { clock, origin, verifier, fetchesBefore } = await staleVerifier()
    expect(await answerOf(origin, verifier.verify(await longLived()))).toEqual({ code: 'ok', originPending: 1 })
    const unknownKid = answerOf(origin, verifier.verify(await longLived(next)))
    origin.release(new Response('down', { status: 503 }))
    expect(await unknownKid).toEqual({ code: 'ERR_COGNITO_KID', originPending: 0 })
    clock.now += COOLDOWN_MS - 1
    expect((await answerOf(origin, verifier.verify(await longLived(next)))).code).toBe('ERR_COGNITO_KID')
    expect(origin.calls.length - fetchesBefore).toBe(1)
  })

  it('while the origin is held, valid tokens never wait and a random-kid flood still costs one fetch per cooldown', async () => {
    const { clock, origin, verifier, fetchesBefore } = await staleVerifier()
    const valid = await Promise.all(Array.from({ length: 20 }, () => longLived()))
    const flood = await Promise.all(Array.from({ length: 200 }, randomKidToken))
    const verifyAll = (tokens: string[]) => Promise.all(tokens.map((token) => answerOf(origin, verifier.verify(token))))
    const codes = (answers: { code: string }[]) => new Set(answers.map((answer) => answer.code))
    const failHeldFetch = () => {
      origin.release(new Response('down', { status: 503 }))
      origin.hold()
    }

    const floodFirst = verifyAll(flood) // the flood starts the one refetch and waits for it
    expect(await verifyAll(valid)).toEqual(Array(20).fill({ code: 'ok', originPending: 1 }))
    failHeldFetch()
    expect(codes(await floodFirst)).toEqual(new Set(['ERR_COGNITO_KID']))
    expect(origin.calls.length - fetchesBefore).toBe(1)

    clock.now += COOLDOWN_MS - 1_000 // within the cooldown: no fetch, and nothing waits
    const [floodSecond, validSecond] = await Promise.all([verifyAll(flood), verifyAll(valid)])
    expect(validSecond).toEqual(Array(20).fill({ code: 'ok', originPending: 0 }))
    expect(codes(floodSecond)).toEqual(new Set(['ERR_COGNITO_KID']))
    expect(origin.calls.length - fetchesBefore).toBe(1)

    clock.now += 1_000 // the cooldown has passed: exactly one more fetch
    const floodThird = verifyAll(flood)
    expect(await verifyAll(valid)).toEqual(Array(20).fill({ code: 'ok', originPending: 1 }))
    failHeldFetch()
    expect(codes(await floodThird)).toEqual(new Set(['ERR_COGNITO_KID']))
    expect(origin.calls.length - fetchesBefore).toBe(2)
  })

  it('past the stale-if-error bound a cached kid waits for a hanging origin and is refused with ERR_COGNITO_KEYS_UNAVAILABLE', async () => {
    // A real timeout here: the held fetch is abandoned after 300 ms, as a hanging origin would be.
    const { clock, origin, verifier } = await staleVerifier({ jwksTimeoutMs: 300, jwksStaleIfError: 7200 })
    const token = await longLived()
    expect(await answerOf(origin, verifier.verify(token))).toEqual({ code: 'ok', originPending: 1 })
    clock.now = NOW + 7_200_000 - 1 // the last moment the set may serve
    expect((await answerOf(origin, verifier.verify(token))).code).toBe('ok')
    clock.now = NOW + 7_200_000
    expect(await answerOf(origin, verifier.verify(token))).toEqual({ code: 'ERR_COGNITO_KEYS_UNAVAILABLE', originPending: 0 })
    expect((await answerOf(origin, verifier.verify(await longLived()))).code).toBe('ERR_COGNITO_KEYS_UNAVAILABLE')
  })

  it('the refetch is handed to waitUntil, and once it lands a key removed upstream stops verifying', async () => {
    const { origin, verifier, fetchesBefore } = await staleVerifier()
    const background: Promise<unknown>[] = []
    const waitUntil = (promise: Promise<unknown>) => void background.push(promise)
    const answers = await Promise.all(
      [1, 2, 3].map(async () => answerOf(origin, verifier.verify(await longLived(), { waitUntil }))),
    )
    expect(answers).toEqual(Array(3).fill({ code: 'ok', originPending: 1 }))
    expect(background).toHaveLength(1) // one refetch, handed over once
    origin.release(jwksOf(next)) // Cognito rotated main-key out
    await Promise.all(background)
    expect(origin.calls.length - fetchesBefore).toBe(1)
    expect((await answerOf(origin, verifier.verify(await longLived(main), { waitUntil }))).code).toBe('ERR_COGNITO_KID')
    expect((await answerOf(origin, verifier.verify(await longLived(next), { waitUntil }))).code).toBe('ok')
    expect(background).toHaveLength(1) // the set is fresh again: nothing more in the background
  })
})
