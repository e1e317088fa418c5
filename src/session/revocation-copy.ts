// The per-isolate copy of a revocation list: plain Maps that answer on the request's path without
// I/O, refreshed from the list's source (D1) about once per maxStaleness whatever the traffic —
// in the background while requests keep coming, so that none finds the copy stale. Requests share
// plain data here (the copy, "pulling until" times), never a promise: on Workers a promise born in
// one request can hang another (DESIGN.md, Caches; the pattern of src/token/keys.ts).
import { withDeadline } from '../deadline'
import { CognitoAuthError } from '../errors'
import type { RevocationSubject } from '../revocation-list'
import type { CognitoClaims } from '../token/claims'
import type { WaitUntil } from '../token/keys'

/** One entry as the source keeps it; times in Unix seconds, as in the tokens. */
export interface RevocationEntry {
  readonly kind: 'session' | 'user'
  /** The sign-in (`origin_jti`, else `jti`) of a `session` entry; the `sub` of a `user` entry. */
  readonly key: string
  /** `user` entries: sign-ins that began before this are refused. `0` for `session` entries. */
  readonly notBefore: number
  /** After this no token the entry refuses can be valid: the entry is dropped. */
  readonly expiresAt: number
}

/** Entries whose id (the source's append order) is above `after`, in that order, at most `limit`. */
export type PullEntries = (after: number, limit: number) => Promise<readonly (RevocationEntry & { readonly id: number })[]>

export interface RevocationCopyOptions {
  readonly pull: PullEntries
  /** The oldest copy a decision is made with while the source answers. */
  readonly maxStalenessMs: number
  /** While the source fails, how old the copy may grow before `'closed'` refuses every session. */
  readonly failAfterMs: number
  readonly onUnavailable: 'closed' | 'open'
  /** The longest one read of the source may take. */
  readonly timeoutMs: number
  /** Told of each failed pull (once per pull, never per request). */
  readonly report: (error: CognitoAuthError) => void
  readonly now: () => number
}

const PAGE = 1000
const WAIT_STEP_MS = 10
/**
 * The longest a request waits for a pull that keeps making progress (each page within its own
 * bound): a new isolate's first pull of a large list takes one read per page. Well under the 100 s
 * after which Cloudflare gives up on a Worker's answer (HTTP 524).
 */
const MAX_WAIT_MS = 60_000
const SWEEP_EVERY_MS = 60_000
/**
 * The background pull starts this long before the copy goes stale: twice the last pull's duration,
 * at least MIN_LEAD_MS, at most MAX_LEAD of maxStaleness — so that under traffic the new copy lands
 * first and no request waits, while pulls stay about one per maxStaleness.
 */
const MIN_LEAD_MS = 50
const MAX_LEAD = 0.1

/** The sign-in a token belongs to: `origin_jti` (shared by the ID and access tokens of one sign-in and their renewals), else `jti`. */
export function signInOf(claims: CognitoClaims): string | null {
  const signIn = claims.origin_jti ?? claims.jti
  return typeof signIn === 'string' && signIn !== '' ? signIn : null
}

function revoked(message: string): CognitoAuthError {
  return new CognitoAuthError('ERR_COGNITO_REVOKED', message)
}

export class RevocationCopy {
  readonly #sessions = new Map<string, number>()
  readonly #users = new Map<string, { notBefore: number; expiresAt: number }>()
  readonly #options: RevocationCopyOptions
  #cursor = 0
  /** When the query of the last successful pull was sent (the copy holds all recorded before); null until then. */
  #asOf: number | null = null
  #leadMs: number
  #lastAttemptAt = -Infinity
  /** While a pull by some request is under way: when it will have timed out. */
  #pullingUntil = -Infinity
  /** The last pull failed: requests stop waiting for pulls until one succeeds (retried in the background). */
  #failing = false
  /** Bumped by each pull: a pull that outlived its timeout and a newer one must not apply its answer. */
  #generation = 0
  #sweptAt = -Infinity

  constructor(options: RevocationCopyOptions) {
    this.#options = options
    this.#leadMs = Math.min(options.maxStalenessMs * MAX_LEAD, MIN_LEAD_MS)
  }

  /** Throws ERR_COGNITO_REVOKED for an ended session; returns nothing when answered from a fresh copy (no I/O). */
  check(subject: RevocationSubject, waitUntil?: WaitUntil): void | Promise<void> {
    const now = this.#options.now()
    const age = this.#asOf === null ? Infinity : now - this.#asOf
    if (age >= this.#options.maxStalenessMs) return this.#checkStale(subject, waitUntil)
    if (age >= this.#options.maxStalenessMs - this.#leadMs) this.#pullInBackground(now, waitUntil)
    this.#decide(subject)
  }

  /** Entries this isolate just recorded: refused here at once, before the next pull brings them back. */
  add(entries: readonly RevocationEntry[]): void {
    for (const entry of entries) this.#apply(entry)
  }

  /**
   * A copy older than maxStaleness. While the source answers — or when the copy could not decide
   * anyway — this request waits for a pull (one under way, or its own); while the source fails and
   * the copy is within its bound, the retry runs in the background. Then the copy decides, or the
   * failure mode refuses.
   */
  async #checkStale(subject: RevocationSubject, waitUntil: WaitUntil | undefined): Promise<void> {
    const now = this.#options.now()
    if (this.#failing && this.#canDecide(now)) this.#pullInBackground(now, waitUntil)
    else if (this.#pullingUntil > now) await this.#waitForPull()
    else if (!this.#failing || this.#retryDue(now)) await this.#pull(now)
    if (this.#canDecide(this.#options.now())) return this.#decide(subject)
    throw new CognitoAuthError(
      'ERR_COGNITO_REVOCATIONS_UNAVAILABLE',
      'the revocation list could not be read; sessions are refused until it can (fail-closed)',
    )
  }

  /** Whether the copy may decide at `now`: fresh, or within the failure mode's bound. */
  #canDecide(now: number): boolean {
    const age = this.#asOf === null ? Infinity : now - this.#asOf
    const { maxStalenessMs, failAfterMs, onUnavailable } = this.#options
    return age < maxStalenessMs || onUnavailable === 'open' || age < failAfterMs
  }

  /** Pulls — retries included — start at most once per (maxStaleness − lead), whatever the traffic. */
  #retryDue(now: number): boolean {
    return now - this.#lastAttemptAt >= this.#options.maxStalenessMs - this.#leadMs
  }

  #decide({ idClaims, accessClaims }: RevocationSubject): void {
    if (idClaims !== null) this.#decideToken(idClaims)
    if (accessClaims !== null) this.#decideToken(accessClaims)
  }

  #decideToken(claims: CognitoClaims): void {
    const signIn = signInOf(claims)
    if (signIn !== null && this.#sessions.has(signIn)) throw revoked('this session was ended by a logout')
    const user = this.#users.get(claims.sub)
    // auth_time is when the sign-in happened and stays through renewals; iat only for tokens without it.
    if (user !== undefined && (claims.auth_time ?? claims.iat) < user.notBefore)
      throw revoked('this session began before its user signed out everywhere')
  }

  #apply(entry: RevocationEntry): void {
    if (entry.kind === 'session') {
      this.#sessions.set(entry.key, Math.max(entry.expiresAt, this.#sessions.get(entry.key) ?? 0))
      return
    }
    const known = this.#users.get(entry.key)
    this.#users.set(entry.key, {
      notBefore: Math.max(entry.notBefore, known?.notBefore ?? 0),
      expiresAt: Math.max(entry.expiresAt, known?.expiresAt ?? 0),
    })
  }

  /** Starts a pull nobody waits for, unless one is under way or not due yet. */
  #pullInBackground(now: number, waitUntil: WaitUntil | undefined): void {
    if (this.#pullingUntil > now || !this.#retryDue(now)) return
    const pulling = this.#pull(now) // cannot reject: failures are reported and remembered
    waitUntil?.(pulling) // without waitUntil it simply runs unawaited
  }

  /**
   * One pull: what was appended since the cursor, page by page, each page bounded in time. Its state
   * is plain data set before the first await, so concurrent requests see it under way.
   */
  async #pull(now: number): Promise<void> {
    const generation = ++this.#generation
    this.#lastAttemptAt = now
    this.#pullingUntil = now + this.#options.timeoutMs
    try {
      for (let full = true; full;) {
        const page = await withDeadline(this.#options.timeoutMs, () => this.#options.pull(this.#cursor, PAGE))
        if (generation !== this.#generation) return
        const nowSeconds = this.#options.now() / 1000
        for (const entry of page) {
          this.#cursor = Math.max(this.#cursor, entry.id)
          if (entry.expiresAt > nowSeconds) this.#apply(entry)
        }
        full = page.length === PAGE
        this.#pullingUntil = this.#options.now() + this.#options.timeoutMs
      }
      this.#asOf = now
      this.#failing = false
      // Start the next pull early enough that it lands before this copy goes stale.
      this.#leadMs = Math.min(this.#options.maxStalenessMs * MAX_LEAD, Math.max(MIN_LEAD_MS, 2 * (this.#options.now() - now)))
      this.#sweep()
    } catch (cause) {
      if (generation !== this.#generation) return
      this.#failing = true
      this.#options.report(
        new CognitoAuthError('ERR_COGNITO_REVOCATIONS_UNAVAILABLE', 'the revocation list could not be read', { cause }),
      )
    } finally {
      if (generation === this.#generation) this.#pullingUntil = -Infinity
    }
  }

  /**
   * Polls plain data (never awaits another request's promise) for as long as the pull progresses:
   * each page it reads moves `#pullingUntil` on, a stalled one lets it lapse. Bounded overall.
   */
  async #waitForPull(): Promise<void> {
    // Counted in steps, not read off the clock: the bound holds even under a clock that stands still.
    for (let waited = 0; waited < MAX_WAIT_MS && this.#pullingUntil > this.#options.now(); waited += WAIT_STEP_MS) {
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS))
    }
  }

  /** Drops expired entries, at most once a minute: their tokens have expired too. */
  #sweep(): void {
    const now = this.#options.now()
    if (now - this.#sweptAt < SWEEP_EVERY_MS) return
    this.#sweptAt = now
    const seconds = now / 1000
    for (const [key, expiresAt] of this.#sessions) if (expiresAt <= seconds) this.#sessions.delete(key)
    for (const [key, user] of this.#users) if (user.expiresAt <= seconds) this.#users.delete(key)
  }
}
