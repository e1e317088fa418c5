// One issuer's key set, cached per isolate: fetched with a timeout, validated, imported once,
// fetched again after its max age or for an unknown kid (at most once per cooldown), and served
// stale, within a bound, while the origin fails. Past its max age the set is revalidated in the
// background: a token whose kid it holds is answered at once, and only an unknown kid waits for
// the fetch. Requests share plain data here, never a promise: on Workers a promise born in one
// request can hang another (panva/jose#355, #509).
import { readBoundedText } from '../bounded-read'
import { withDeadline } from '../deadline'
import { CognitoAuthError } from '../errors'
import type { JsonWebKeySet, ResolvedVerifierOptions } from '../options'
import { type RsaVerificationKey, usableKeys } from './jwk'
import { type FetchedKeySet, readSharedKeySet, writeSharedKeySet } from './shared-key-set'

const RS256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const

/** Key-set responses larger than this are refused (Cognito's are about 1 KiB). */
export const MAX_JWKS_BYTES = 64 * 1024
const WAIT_STEP_MS = 10

/** Keeps the runtime alive for work a request starts but does not await (Workers' `ctx.waitUntil`). */
export type WaitUntil = (promise: Promise<unknown>) => void

/** A usable key; `cryptoKey` is filled on first use and kept for the life of the isolate. */
export interface KeyEntry extends RsaVerificationKey {
  cryptoKey: CryptoKey | null
}

interface Snapshot {
  readonly keys: ReadonlyMap<string, KeyEntry>
  readonly fetchedAt: number
  /** Came from the `jwks` option: used until a kid misses, never aged out. */
  readonly preloaded: boolean
}

function toEntries(keys: Map<string, RsaVerificationKey>, previous: Snapshot | null): Map<string, KeyEntry> {
  const entries = new Map<string, KeyEntry>()
  for (const [kid, key] of keys) {
    const known = previous?.keys.get(kid)
    // An unchanged key keeps its entry, so its imported CryptoKey and verified tokens stay valid.
    entries.set(kid, known && known.n === key.n && known.e === key.e ? known : { ...key, cryptoKey: null })
  }
  return entries
}

export class IssuerKeySet {
  readonly issuer: string
  readonly #jwksUri: string
  readonly #options: ResolvedVerifierOptions
  #snapshot: Snapshot | null = null
  #lastAttemptAt = -Infinity
  /** While a fetch by some request is under way: when it will have timed out. */
  #fetchingUntil = -Infinity

  constructor(issuer: string, jwksUri: string, options: ResolvedVerifierOptions, preload: JsonWebKeySet | null) {
    this.issuer = issuer
    this.#jwksUri = jwksUri
    this.#options = options
    if (preload) {
      const keys = usableKeys(preload)
      if (!keys) throw new CognitoAuthError('ERR_COGNITO_CONFIG', 'jwks holds no usable RS256 key of 2048 bits or more')
      this.#snapshot = { keys: toEntries(keys, null), fetchedAt: options.now(), preloaded: true }
    }
  }

  /** Whether the set can answer without I/O: present, and preloaded or younger than its max age. */
  isFresh(now: number): boolean {
    const snapshot = this.#snapshot
    return snapshot !== null && (snapshot.preloaded || now - snapshot.fetchedAt < this.#options.jwksMaxAgeMs)
  }

  /** The entry now serving `kid`, if any (no I/O). Used to drop verified tokens whose key left. */
  entry(kid: string): KeyEntry | undefined {
    return this.#snapshot?.keys.get(kid)
  }

  /** The imported key for `kid` when the set is fresh and the key already imported: the no-I/O, no-await path. */
  readyKey(kid: string, now: number): { entry: KeyEntry; cryptoKey: CryptoKey } | null {
    const entry = this.isFresh(now) ? this.entry(kid) : undefined
    return entry?.cryptoKey ? { entry, cryptoKey: entry.cryptoKey } : null
  }

  /** Whether the set may still answer at `now`: preloaded, or younger than the larger of max age and stale-if-error. */
  #isUsable(snapshot: Snapshot, now: number): boolean {
    const bound = Math.max(this.#options.jwksMaxAgeMs, this.#options.jwksStaleIfErrorMs)
    return snapshot.preloaded || now - snapshot.fetchedAt < bound
  }

  /**
   * The key for `kid`. A fresh set answers without I/O. A stale but usable set that holds the kid
   * answers at once and starts one background refetch (handed to `waitUntil` when given). Otherwise
   * (no set, kid not in it, set past its stale bound) the request waits for a fetch, bounded in time.
   */
  async keyFor(kid: string, waitUntil?: WaitUntil): Promise<{ entry: KeyEntry; cryptoKey: CryptoKey }> {
    const now = this.#options.now()
    const snapshot = this.#snapshot
    let entry = snapshot && this.#isUsable(snapshot, now) ? snapshot.keys.get(kid) : undefined
    if (entry && !this.isFresh(now)) this.#revalidate(now, kid, waitUntil)
    entry ??= await this.#keyAfterFetch(now, kid)
    return { entry, cryptoKey: entry.cryptoKey ?? (await this.#import(entry)) }
  }

  /** Waits for a fetch (this request's, or one under way), then takes `kid` from whatever set is usable. */
  async #keyAfterFetch(now: number, kid: string): Promise<KeyEntry> {
    await this.#refresh(now, kid)
    const snapshot = this.#snapshot
    if (!snapshot || !this.#isUsable(snapshot, this.#options.now())) {
      throw new CognitoAuthError('ERR_COGNITO_KEYS_UNAVAILABLE', `the key set of ${this.issuer} could not be fetched`)
    }
    const entry = snapshot.keys.get(kid)
    if (!entry) throw new CognitoAuthError('ERR_COGNITO_KID', 'the token kid is not in the issuer key set')
    return entry
  }

  async #import(entry: KeyEntry): Promise<CryptoKey> {
    try {
      // The key passed every rule of jwk.ts (RSA, 2048–8192 bits, a sound exponent): Web Crypto imports it
      // as is. (jose's importJWK did the same after its own checks, at 5.5 KB of bundle and a slower cold start.)
      const jwk = { kty: 'RSA', n: entry.n, e: entry.e, alg: 'RS256', ext: true }
      entry.cryptoKey = await crypto.subtle.importKey('jwk', jwk, RS256, false, ['verify'])
      return entry.cryptoKey
    } catch (cause) {
      throw new CognitoAuthError('ERR_COGNITO_KEYS_UNAVAILABLE', 'a key of the issuer key set could not be imported', { cause })
    }
  }

  /** Fetches the set unless another request is doing so (then waits for its result) or the cooldown holds. */
  async #refresh(now: number, kid: string): Promise<void> {
    if (this.#fetchingUntil > now) return this.#waitForOtherFetch()
    if (now - this.#lastAttemptAt < this.#options.jwksCooldownMs) return
    return this.#fetch(now, kid)
  }

  /** Starts a background fetch unless one is under way or the cooldown holds; never awaited by this request. */
  #revalidate(now: number, kid: string, waitUntil: WaitUntil | undefined): void {
    if (this.#fetchingUntil > now || now - this.#lastAttemptAt < this.#options.jwksCooldownMs) return
    const fetching = this.#fetch(now, kid) // cannot reject: each step catches
    waitUntil?.(fetching) // without waitUntil it simply runs unawaited
  }

  /**
   * One fetch: the shared tier, else the origin. Its state is plain data set before the first
   * await, so the check-and-start in #refresh and #revalidate cannot race within the isolate.
   */
  async #fetch(now: number, kid: string): Promise<void> {
    const until = now + this.#fetchBoundMs()
    this.#lastAttemptAt = now
    this.#fetchingUntil = until
    try {
      const fetched = (await readSharedKeySet(this.#options, this.#jwksUri, kid)) ?? (await this.#fetchOrigin())
      if (fetched)
        this.#snapshot = { keys: toEntries(fetched.keys, this.#snapshot), fetchedAt: fetched.fetchedAt, preloaded: false }
    } finally {
      // A fetch that settles late must not clear the mark of a newer one.
      if (this.#fetchingUntil === until) this.#fetchingUntil = -Infinity
    }
  }

  /** The longest a refresh takes: the shared-tier read and write (when configured) and the origin fetch, each bounded. */
  #fetchBoundMs(): number {
    return this.#options.jwksTimeoutMs * (this.#options.jwksSharedCache ? 3 : 1)
  }

  /** Polls plain data (never awaits another request's promise), bounded like the fetch it waits for. */
  async #waitForOtherFetch(): Promise<void> {
    for (let waited = 0; waited < this.#fetchBoundMs() && this.#fetchingUntil > this.#options.now(); waited += WAIT_STEP_MS) {
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS))
    }
  }

  async #fetchOrigin(): Promise<FetchedKeySet | null> {
    try {
      const text = await withDeadline(this.#options.jwksTimeoutMs, async (signal) => {
        const response = await this.#options.fetch(this.#jwksUri, { signal, headers: { accept: 'application/json' } })
        if (response.status !== 200) {
          response.body?.cancel().catch(() => {}) // not awaited: cancelling a tee'd body can wait on its twin
          return null
        }
        return readBoundedText(response, MAX_JWKS_BYTES)
      })
      const keys = text === null ? null : usableKeys(JSON.parse(text))
      if (!keys || text === null) return null
      const fetchedAt = this.#options.now()
      await writeSharedKeySet(this.#options, this.#jwksUri, text, fetchedAt)
      return { keys, fetchedAt }
    } catch {
      return null // network error, timeout, HTML, malformed JSON: the caller falls back or reports keys unavailable
    }
  }
}
