// A bounded LRU of tokens whose signature and claims already passed, keyed by the exact token
// string. A hit skips parsing and crypto; the caller still re-checks time, kind and key.
import type { CognitoClaims } from './claims'
import type { IssuerKeySet, KeyEntry } from './keys'

export interface VerifiedToken {
  readonly claims: CognitoClaims
  readonly keySet: IssuerKeySet
  /** The key entry that verified it: a hit counts only while the set still serves this entry. */
  readonly key: KeyEntry
}

export class VerifiedTokenCache {
  readonly #entries = new Map<string, VerifiedToken>()
  readonly #capacity: number

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  get size(): number {
    return this.#entries.size
  }

  get(token: string): VerifiedToken | undefined {
    if (this.#capacity === 0) return undefined
    const hit = this.#entries.get(token)
    if (hit) {
      // Re-insert so Map order is recency order and the oldest entry is first.
      this.#entries.delete(token)
      this.#entries.set(token, hit)
    }
    return hit
  }

  set(token: string, verified: VerifiedToken): void {
    if (this.#capacity === 0) return
    this.#entries.delete(token)
    if (this.#entries.size >= this.#capacity) this.#entries.delete(this.#entries.keys().next().value as string)
    this.#entries.set(token, verified)
  }

  delete(token: string): void {
    this.#entries.delete(token)
  }
}
