// The optional shared tier for key sets (the Cache API, shared by isolates). An entry's keys are
// validated like an origin answer, and its age is judged on the local clock only: a fetched-at
// stamp in the future would otherwise keep the entry fresh forever, with no origin fetch.
import { withDeadline } from '../deadline'
import type { ResolvedVerifierOptions } from '../options'
import { type RsaVerificationKey, usableKeys } from './jwk'

/** A validated key set and when it was fetched, never later than the local clock. */
export interface FetchedKeySet {
  readonly keys: Map<string, RsaVerificationKey>
  readonly fetchedAt: number
}

const FETCHED_AT = 'x-cognito-edge-fetched-at'

/**
 * How far ahead of the local clock an entry's stamp may be and still be used (as "now"): isolates'
 * clocks differ a little. Any further ahead and the entry is ignored.
 */
export const SHARED_CLOCK_SKEW_MS = 60_000

/** When the entry stamped `stamp` counts as fetched, or null when it is to be ignored (too far ahead, or aged out). */
function trustedFetchedAt(stamp: number, now: number, maxAgeMs: number): number | null {
  if (!Number.isFinite(stamp) || stamp - now > SHARED_CLOCK_SKEW_MS) return null
  const fetchedAt = Math.min(stamp, now) // a stamp within the allowance ages from now, never from later
  return now - fetchedAt < maxAgeMs ? fetchedAt : null
}

/** The shared copy, if it holds `kid` and its stamp is trusted; otherwise null and the origin is asked. */
export async function readSharedKeySet(
  options: ResolvedVerifierOptions,
  jwksUri: string,
  kid: string,
): Promise<FetchedKeySet | null> {
  const cache = options.jwksSharedCache
  if (!cache) return null
  try {
    const cached = await withDeadline(options.jwksTimeoutMs, () => cache.match(jwksUri))
    if (!cached) return null
    const stamp = Number(cached.headers.get(FETCHED_AT) ?? Number.NaN)
    const keys = usableKeys(JSON.parse(await withDeadline(options.jwksTimeoutMs, () => cached.text())))
    const fetchedAt = trustedFetchedAt(stamp, options.now(), options.jwksMaxAgeMs)
    return fetchedAt !== null && keys?.has(kid) ? { keys, fetchedAt } : null
  } catch {
    return null
  }
}

/** Stores an origin answer for other isolates; an ignored entry is replaced here. Failures are only lost sharing. */
export async function writeSharedKeySet(
  options: ResolvedVerifierOptions,
  jwksUri: string,
  text: string,
  fetchedAt: number,
): Promise<void> {
  const cache = options.jwksSharedCache
  if (!cache) return
  const maxAge = Math.floor(options.jwksMaxAgeMs / 1000)
  const headers = { 'content-type': 'application/json', 'cache-control': `max-age=${maxAge}`, [FETCHED_AT]: String(fetchedAt) }
  await withDeadline(options.jwksTimeoutMs, () => cache.put(jwksUri, new Response(text, { headers }))).catch(() => {})
}
