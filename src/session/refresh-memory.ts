// Remembers refresh outcomes per isolate for a short window, keyed by a SHA-256 of the refresh
// token (never the token), so a burst of requests carrying one expired session makes one Cognito
// call, whatever Cognito answers: new tokens and refusals are remembered for the window, other
// failures (Cognito down, throttling) briefly. Requests share plain data here — results and "in
// flight until" times — never a promise.
import { CognitoAuthError } from '../errors'
import { LruCache } from '../lru'
import { encodeBase64Url } from '../token/base64url'
import type { CognitoAccessTokenClaims, CognitoIdTokenClaims } from '../token/claims'
import type { SessionTokens } from './cookies'

/** What renewing a session produced: verified new tokens, shared with the requests of a burst. */
export interface SessionRenewal {
  readonly tokens: SessionTokens
  readonly idClaims: CognitoIdTokenClaims
  readonly accessClaims: CognitoAccessTokenClaims
  /** Cognito issued a new refresh token (rotation). */
  readonly rotated: boolean
}

const MAX_REMEMBERED = 1000
const WAIT_STEP_MS = 10

interface Remembered<T> {
  readonly at: number
  readonly value: T | null
  readonly error: CognitoAuthError | null
}

/** The key of a refresh token wherever renewals are remembered or coordinated: its SHA-256, never the token. */
export async function keyOf(refreshToken: string): Promise<string> {
  return encodeBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(refreshToken))))
}

export class RefreshMemory<T> {
  readonly #done = new LruCache<string, Remembered<T>>(MAX_REMEMBERED)
  /** Failures by the identity that asked (who, which sign-in, from where): a new refresh token per request must not buy a new call. */
  readonly #failedIdentities = new LruCache<string, Remembered<T>>(MAX_REMEMBERED)
  readonly #inFlightUntil = new Map<string, number>()
  readonly #windowMs: number
  readonly #failureWindowMs: number
  readonly #timeoutMs: number
  readonly #now: () => number
  readonly #validUntil: (value: T) => number

  /**
   * `windowMs`: how long new tokens and refusals are remembered; `failureWindowMs`: how long other
   * failures are (shorter: Cognito may be back soon); `timeoutMs`: the longest a call can take;
   * `validUntil`: when a value stops being worth handing out (its tokens' expiry), in ms.
   */
  constructor(
    windowMs: number,
    failureWindowMs: number,
    timeoutMs: number,
    now: () => number,
    validUntil: (value: T) => number = () => Infinity,
  ) {
    this.#windowMs = windowMs
    this.#failureWindowMs = Math.min(failureWindowMs, windowMs)
    this.#timeoutMs = timeoutMs
    this.#now = now
    this.#validUntil = validUntil
  }

  /**
   * The outcome of `run` for this refresh token: remembered, awaited from another request's call, or
   * made now. `identity` names the verified session asking (issuer, sub, sign-in, client); after a
   * failure, another refresh token of that identity is refused for the window with ERR_COGNITO_THROTTLED
   * (429: a new refresh token per request must not buy a new Cognito call, nor end anybody's session).
   */
  async refresh(refreshToken: string, run: () => Promise<T>, identity?: string): Promise<T> {
    const key = await keyOf(refreshToken)
    let known = this.#recall(key, this.#done)
    // The identity failed a moment ago with another refresh token: no new call, and no verdict on this
    // token either (429, not its refusal) — so nothing ends a session on a stranger's failure.
    if (!known && identity !== undefined && this.#recall(identity, this.#failedIdentities))
      throw new CognitoAuthError('ERR_COGNITO_THROTTLED', "this session's renewal failed a moment ago; try again later")
    if (!known && this.#inFlight(key)) known = await this.#waitForOtherCall(key)
    if (known) {
      if (known.error) throw known.error
      return known.value as T
    }
    // No await between the check above and this mark: a concurrent request sees the call in flight.
    this.#inFlightUntil.set(key, this.#now() + this.#timeoutMs)
    try {
      const value = await run()
      this.#done.set(key, { at: this.#now(), value, error: null })
      return value
    } catch (error) {
      if (error instanceof CognitoAuthError) {
        const remembered = { at: this.#now(), value: null, error }
        this.#done.set(key, remembered)
        if (identity !== undefined) this.#failedIdentities.set(identity, remembered)
      }
      throw error
    } finally {
      this.#inFlightUntil.delete(key)
    }
  }

  /** Forgets what this refresh token renewed into (it was revoked): the next request asks Cognito. */
  async forget(refreshToken: string): Promise<void> {
    this.#done.delete(await keyOf(refreshToken))
  }

  #inFlight(key: string): boolean {
    return (this.#inFlightUntil.get(key) ?? -Infinity) > this.#now()
  }

  #recall(key: string, memory: LruCache<string, Remembered<T>>): Remembered<T> | null {
    const known = memory.get(key)
    if (!known) return null
    const now = this.#now()
    const lasting = known.error === null || known.error.code === 'ERR_COGNITO_REFRESH_REJECTED'
    // New tokens are handed out only while they still live (a pool may issue 5-minute tokens, a test 3-second ones).
    const alive = known.value === null || this.#validUntil(known.value) > now
    if (alive && now - known.at < (lasting ? this.#windowMs : this.#failureWindowMs)) return known
    memory.delete(key)
    return null
  }

  async #waitForOtherCall(key: string): Promise<Remembered<T> | null> {
    for (let waited = 0; waited < this.#timeoutMs && this.#inFlight(key); waited += WAIT_STEP_MS) {
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS))
    }
    return this.#recall(key, this.#done)
  }
}
