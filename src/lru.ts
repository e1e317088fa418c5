// A bounded map that forgets the least recently used entry first: the shape of every per-isolate
// cache here (verified tokens, users, refresh outcomes). Plain data only, never promises.

export class LruCache<K, V> {
  readonly #entries = new Map<K, V>()
  readonly #capacity: number

  /** `capacity` 0 keeps nothing. */
  constructor(capacity: number) {
    this.#capacity = capacity
  }

  get(key: K): V | undefined {
    if (this.#capacity === 0) return undefined
    const hit = this.#entries.get(key)
    if (hit !== undefined) {
      // Re-insert so Map order is recency order and the least recently used entry is first.
      this.#entries.delete(key)
      this.#entries.set(key, hit)
    }
    return hit
  }

  set(key: K, value: V): void {
    if (this.#capacity === 0) return
    this.#entries.delete(key)
    if (this.#entries.size >= this.#capacity) this.#entries.delete(this.#entries.keys().next().value as K)
    this.#entries.set(key, value)
  }

  delete(key: K): void {
    this.#entries.delete(key)
  }
}
