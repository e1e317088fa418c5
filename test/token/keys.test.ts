// The key-set cache, seen through verify(): fetch counts, failures, cooldown, max age, stale use.
import { describe, expect, it } from 'vitest'
import { createCognitoVerifier } from '../../src/index'
import { jwksOf, rsaKey } from '../helpers/keys'
import { type OriginReply, fakeOrigin } from '../helpers/origin'
import { CLIENT_ID, JWKS_URI, NOW, POOL_ID, idClaims, mint, signJsonText } from '../helpers/tokens'

const main = await rsaKey('main-key')
const next = await rsaKey('next-key')
const weak = await rsaKey('weak-key', 1024)

function setup(reply: OriginReply, extra: Partial<Parameters<typeof createCognitoVerifier>[0]> = {}) {
  const clock = { now: NOW }
  const origin = fakeOrigin(reply)
  const verifier = createCognitoVerifier({
    userPoolId: POOL_ID,
    clientId: CLIENT_ID,
    fetch: origin.fetch,
    now: () => clock.now,
    ...extra,
  })
  return { clock, origin, verifier }
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { code?: string }) => error.code,
  )

function randomKidToken(i: number): Promise<string> {
  const header = JSON.stringify({ kid: `random-${i}-${crypto.randomUUID()}`, alg: 'RS256' })
  return signJsonText(header, JSON.stringify(idClaims()), main)
}

describe('key-set fetching', () => {
  it('a flood of 1000 tokens with random kids causes at most 2 fetches', async () => {
    const { verifier, origin } = setup(jwksOf(main))
    const tokens = await Promise.all(Array.from({ length: 1000 }, (_, i) => randomKidToken(i)))
    const codes = [
      ...(await Promise.all(tokens.slice(0, 500).map((token) => codeOf(verifier.verify(token))))),
      ...(await Promise.all(tokens.slice(500).map((token) => codeOf(verifier.verify(token))))),
    ]
    expect(new Set(codes)).toEqual(new Set(['ERR_COGNITO_KID']))
    expect(origin.calls.length).toBeLessThanOrEqual(2)
    expect(origin.calls.length).toBeGreaterThanOrEqual(1)
  })

  it('concurrent first requests share one fetch through plain data, and all succeed', async () => {
    const slow: OriginReply = async () => {
      await new Promise((resolve) => setTimeout(resolve, 40))
      return Response.json(jwksOf(main))
    }
    const { verifier, origin } = setup(slow)
    const token = await mint(main, idClaims())
    const results = await Promise.all(Array.from({ length: 20 }, () => codeOf(verifier.verify(token))))
    expect(results).toEqual(Array(20).fill('ok'))
    expect(origin.calls).toEqual([JWKS_URI])
  })

  const broken: [string, OriginReply][] = [
    ['answering 500', new Response('boom', { status: 500 })],
    ['answering 404', new Response('missing', { status: 404 })],
    ['sending HTML', new Response('<html><body>Login</body></html>', { status: 200, headers: { 'content-type': 'text/html' } })],
    ['sending malformed JSON', new Response('{"keys": [', { status: 200 })],
    ['sending JSON that is not a key set', Response.json({ keys: 'none' })],
    ['sending only unusable keys', Response.json(jwksOf(weak))],
    ['sending more than 20 keys', Response.json({ keys: Array(21).fill(main.jwk) })],
    ['sending a body over 64 KiB', Response.json({ keys: [main.jwk], padding: 'x'.repeat(70_000) })],
    ['failing at the network', 'network-error'],
  ]
  for (const [name, reply] of broken) {
    it(`an origin ${name} yields keys-unavailable without a fetch storm`, async () => {
      const { verifier, origin } = setup(reply)
      const token = await mint(main, idClaims())
      const codes = await Promise.all(Array.from({ length: 50 }, () => codeOf(verifier.verify(token))))
      expect(new Set(codes)).toEqual(new Set(['ERR_COGNITO_KEYS_UNAVAILABLE']))
      expect(await codeOf(verifier.verify(token))).toBe('ERR_COGNITO_KEYS_UNAVAILABLE')
      expect(origin.calls).toHaveLength(1)
    })
  }

  it('an origin that never answers times out into keys-unavailable', async () => {
    const { verifier, origin } = setup('hang', { jwksTimeoutMs: 50 })
    const started = Date.now()
    expect(await codeOf(verifier.verify(await mint(main, idClaims())))).toBe('ERR_COGNITO_KEYS_UNAVAILABLE')
    expect(Date.now() - started).toBeLessThan(2000)
    expect(await codeOf(verifier.verify(await mint(main, idClaims())))).toBe('ERR_COGNITO_KEYS_UNAVAILABLE')
    expect(origin.calls).toHaveLength(1)
  })

  it('even a fetch that ignores the abort signal cannot hang verify', async () => {
    const never: OriginReply = () => new Promise<Response>(() => {})
    const { verifier } = setup(never, { jwksTimeoutMs: 50 })
    expect(await codeOf(verifier.verify(await mint(main, idClaims())))).toBe('ERR_COGNITO_KEYS_UNAVAILABLE')
  })

  it('recovers once the cooldown has passed after a failure', async () => {
    const { verifier, origin, clock } = setup(new Response('down', { status: 503 }))
    const token = await mint(main, idClaims())
    expect(await codeOf(verifier.verify(token))).toBe('ERR_COGNITO_KEYS_UNAVAILABLE')
    origin.serve(jwksOf(main))
    clock.now += 29_000
    expect(await codeOf(verifier.verify(token))).toBe('ERR_COGNITO_KEYS_UNAVAILABLE')
    clock.now += 1_000
    expect(await codeOf(verifier.verify(token))).toBe('ok')
    expect(origin.calls).toHaveLength(2)
  })

  it('picks up a new kid after the cooldown, not before', async () => {
    const { verifier, origin, clock } = setup(jwksOf(main))
    await verifier.verify(await mint(main, idClaims()))
    origin.serve(jwksOf(main, next)) // Cognito publishes a new key
    const token = await mint(next, idClaims())
    clock.now += 10_000
    expect(await codeOf(verifier.verify(token))).toBe('ERR_COGNITO_KID') // within 30 s of the last fetch
    clock.now += 20_000
    expect(await codeOf(verifier.verify(token))).toBe('ok')
    expect(origin.calls).toHaveLength(2)
  })

  it('stops verifying a removed key once the refetch at max age lands, and refetches no sooner', async () => {
    const { verifier, origin, clock } = setup(jwksOf(main, next), { jwksMaxAge: 600 })
    const token = await mint(next, idClaims({ exp: NOW / 1000 + 7200 }))
    await verifier.verify(token)
    origin.serve(jwksOf(main))
    clock.now += 599_000
    expect(await codeOf(verifier.verify(token))).toBe('ok')
    expect(origin.calls).toHaveLength(1)
    clock.now += 1_000
    // At max age the cached set still answers while the refetch runs in the background.
    const background: Promise<unknown>[] = []
    expect(await codeOf(verifier.verify(token, { waitUntil: (promise) => void background.push(promise) }))).toBe('ok')
    expect(origin.calls).toHaveLength(2)
    await Promise.all(background)
    expect(await codeOf(verifier.verify(token))).toBe('ERR_COGNITO_KID')
    expect(origin.calls).toHaveLength(2)
  })

  it('serves the last good set while the origin fails, up to the stale bound', async () => {
    const { verifier, origin, clock } = setup(jwksOf(main), { jwksMaxAge: 600, jwksStaleIfError: 3600 })
    await verifier.verify(await mint(main, idClaims({ jti: 'a' })))
    origin.serve(new Response('down', { status: 500 }))
    clock.now += 601_000
    expect(await codeOf(verifier.verify(await mint(main, idClaims({ jti: 'b' }))))).toBe('ok')
    clock.now += 3_000_000 // 3601 s after the last good fetch
    expect(await codeOf(verifier.verify(await mint(main, idClaims({ jti: 'c', exp: NOW / 1000 + 7200 }))))).toBe(
      'ERR_COGNITO_KEYS_UNAVAILABLE',
    )
  })

  it('a preloaded set verifies without any fetch until a kid misses', async () => {
    const { verifier, origin } = setup(jwksOf(main, next), { jwks: jwksOf(main) })
    await verifier.verify(await mint(main, idClaims()))
    expect(origin.calls).toHaveLength(0)
    await verifier.verify(await mint(next, idClaims()))
    expect(origin.calls).toEqual([JWKS_URI])
  })

  it('a preloaded set with no usable key is a configuration error', () => {
    expect(() => setup(jwksOf(main), { jwks: jwksOf(weak) })).toThrow(expect.objectContaining({ code: 'ERR_COGNITO_CONFIG' }))
  })
})

describe('key validation: a key that fails a rule is never used', () => {
  const cases: [string, (jwk: JsonWebKey) => unknown][] = [
    ['use enc', (jwk) => ({ ...jwk, use: 'enc' })],
    ['alg RS512', (jwk) => ({ ...jwk, alg: 'RS512' })],
    ['alg none', (jwk) => ({ ...jwk, alg: 'none' })],
    ['kty oct', (jwk) => ({ ...jwk, kty: 'oct', k: 'c2VjcmV0' })],
    ['key_ops without verify', (jwk) => ({ ...jwk, key_ops: ['sign'] })],
    ['exponent 1', (jwk) => ({ ...jwk, e: 'AQ' })],
    ['modulus with padding', (jwk) => ({ ...jwk, n: `${jwk.n}=` })],
    ['kid missing', (jwk) => ({ ...jwk, kid: undefined })],
    ['kid a number', (jwk) => ({ ...jwk, kid: 5 })],
  ]
  for (const [name, edit] of cases) {
    it(name, async () => {
      const { verifier } = setup({ keys: [edit(main.jwk)] as JsonWebKey[] })
      expect(await codeOf(verifier.verify(await mint(main, idClaims())))).toBe('ERR_COGNITO_KEYS_UNAVAILABLE')
    })
  }

  it('a kid published twice is ambiguous and neither copy is used', async () => {
    const { verifier } = setup({ keys: [main.jwk, { ...next.jwk, kid: main.kid }, next.jwk] })
    expect(await codeOf(verifier.verify(await mint(main, idClaims())))).toBe('ERR_COGNITO_KID')
    expect(await codeOf(verifier.verify(await mint(next, idClaims())))).toBe('ok')
  })

  it('private members published by mistake are ignored; only n and e are imported', async () => {
    const { key_ops: _signOnly, ...privateJwk } = (await crypto.subtle.exportKey('jwk', main.privateKey)) as JsonWebKey
    const withPrivate = { ...privateJwk, kid: main.kid }
    const { verifier } = setup({ keys: [withPrivate] })
    expect(await codeOf(verifier.verify(await mint(main, idClaims())))).toBe('ok')
  })
})

describe('the shared key-set tier', () => {
  function memoryCache(): Cache & { puts: number } {
    const store = new Map<string, Response>()
    const cache = {
      puts: 0,
      async match(request: RequestInfo | URL) {
        return store.get(String(request))?.clone()
      },
      async put(request: RequestInfo | URL, response: Response) {
        cache.puts++
        store.set(String(request), response.clone())
      },
      async delete(request: RequestInfo | URL) {
        return store.delete(String(request))
      },
    }
    return cache as unknown as Cache & { puts: number }
  }

  it('a cold isolate reads the set another isolate stored, without going to the origin', async () => {
    const shared = memoryCache()
    const first = setup(jwksOf(main), { jwksSharedCache: shared })
    await first.verifier.verify(await mint(main, idClaims()))
    expect(first.origin.calls).toHaveLength(1)
    expect(shared.puts).toBe(1)

    const second = setup(jwksOf(main), { jwksSharedCache: shared })
    await second.verifier.verify(await mint(main, idClaims({ jti: 'other' })))
    expect(second.origin.calls).toHaveLength(0)
  })

  it('goes to the origin when the shared copy lacks the kid or is older than the max age', async () => {
    const shared = memoryCache()
    const first = setup(jwksOf(main), { jwksSharedCache: shared })
    await first.verifier.verify(await mint(main, idClaims()))

    const missingKid = setup(jwksOf(main, next), { jwksSharedCache: shared })
    await missingKid.verifier.verify(await mint(next, idClaims()))
    expect(missingKid.origin.calls).toHaveLength(1)

    const late = setup(jwksOf(main), { jwksSharedCache: shared })
    late.clock.now += 3_600_000
    await late.verifier.verify(await mint(main, idClaims({ exp: NOW / 1000 + 7200 })))
    expect(late.origin.calls).toHaveLength(1)
  })
})
