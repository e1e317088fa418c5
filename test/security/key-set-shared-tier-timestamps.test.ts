// Review item 12: the shared key-set tier (Cache API) must not be trusted for its own timestamp. An
// entry stamped in the future beyond the small clock-skew allowance, or older than the max age, is
// ignored and the origin is asked; the next good origin answer replaces it; and a set taken from
// the tier never ages from a time later than the local clock.
import { describe, expect, it } from 'vitest'
import { createCognitoVerifier } from '../../src/index'
import { jwksOf, rsaKey } from '../helpers/keys'
import { fakeOrigin } from '../helpers/origin'
import { CLIENT_ID, JWKS_URI, NOW, NOW_SECONDS, POOL_ID, idClaims, mint } from '../helpers/tokens'

const main = await rsaKey('main-key')
const FETCHED_AT = 'x-cognito-edge-fetched-at' // the stamp the library writes on shared entries
const MAX_AGE_MS = 3_600_000 // the default jwksMaxAge
const SKEW_MS = 60_000 // the documented clock-skew allowance for stamps ahead of the local clock

/** A Cache API stand-in kept in memory, so these tests also run outside workerd. */
function memoryCache(): Cache {
  const store = new Map<string, Response>()
  const cache: Pick<Cache, 'match' | 'put' | 'delete'> = {
    async match(request) {
      return store.get(String(request))?.clone()
    },
    async put(request, response) {
      store.set(String(request), response.clone())
    },
    async delete(request) {
      return store.delete(String(request))
    },
  }
  return cache as Cache
}

// Inside workerd the real Cache API runs the same tests.
const backends: [string, () => Promise<Cache>][] = [['a memory cache', async () => memoryCache()]]
if (typeof caches !== 'undefined') backends.push(['the workerd Cache API', () => caches.open(`jwks-${crypto.randomUUID()}`)])

async function plant(cache: Cache, fetchedAt: number): Promise<void> {
  const headers = { 'content-type': 'application/json', 'cache-control': 'max-age=3600', [FETCHED_AT]: String(fetchedAt) }
  await cache.put(JWKS_URI, new Response(JSON.stringify(jwksOf(main)), { headers }))
}

async function stampOf(cache: Cache): Promise<string | null | undefined> {
  return (await cache.match(JWKS_URI))?.headers.get(FETCHED_AT)
}

function isolate(cache: Cache) {
  const clock = { now: NOW }
  const origin = fakeOrigin(jwksOf(main))
  const verifier = createCognitoVerifier({
    userPoolId: POOL_ID,
    clientId: CLIENT_ID,
    fetch: origin.fetch,
    now: () => clock.now,
    jwksSharedCache: cache,
  })
  return { clock, origin, verifier }
}

const token = () => mint(main, idClaims({ jti: crypto.randomUUID(), exp: NOW_SECONDS + 86_400 }))

for (const [backend, open] of backends) {
  describe(`shared key-set tier timestamps (${backend})`, () => {
    const future: [string, number][] = [
      ['a year ahead', 365 * 86_400_000],
      ['just past the skew allowance', SKEW_MS + 1],
    ]
    for (const [name, ahead] of future) {
      it(`an entry stamped ${name} is ignored: the origin is asked and the entry replaced`, async () => {
        const cache = await open()
        await plant(cache, NOW + ahead)
        const { origin, verifier } = isolate(cache)
        await verifier.verify(await token())
        expect(origin.calls).toEqual([JWKS_URI])
        expect(await stampOf(cache)).toBe(String(NOW))
      })
    }

    it('an entry stamped within the skew allowance is used, but ages from the local clock', async () => {
      const cache = await open()
      await plant(cache, NOW + SKEW_MS / 2)
      const { clock, origin, verifier } = isolate(cache)
      await verifier.verify(await token())
      expect(origin.calls).toHaveLength(0)
      await cache.delete(JWKS_URI) // evicted: the next refetch must go to the origin
      clock.now = NOW + MAX_AGE_MS - 1
      await verifier.verify(await token())
      expect(origin.calls).toHaveLength(0)
      clock.now = NOW + MAX_AGE_MS // max age on the local clock, though not by the entry's stamp
      const background: Promise<unknown>[] = []
      await verifier.verify(await token(), { waitUntil: (promise) => void background.push(promise) })
      await Promise.all(background)
      expect(origin.calls).toEqual([JWKS_URI])
    })

    // Already so before the fix; kept so that trusting stamps up to the allowance cannot make an aged entry young.
    it('an entry older than the max age is ignored: the origin is asked and the entry replaced', async () => {
      const cache = await open()
      await plant(cache, NOW - MAX_AGE_MS)
      const { origin, verifier } = isolate(cache)
      await verifier.verify(await token())
      expect(origin.calls).toEqual([JWKS_URI])
      expect(await stampOf(cache)).toBe(String(NOW))
    })
  })
}
