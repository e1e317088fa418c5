// CognitoRenewals: the Durable Object that single-flights the renewals of one session across
// isolates — one object per refresh token, named by its SHA-256, never by the token. It is a
// coordinator only: it never calls Cognito and holds no settings or secrets. The first caller gets
// a lease and renews in its own isolate; later callers are held here (bounded by the lease) until
// the leader settles, then all get its tokens or its refusal for a short window (a logout makes it
// forget them: `/forget`). Tokens live in this object's memory only, never in its storage: an
// evicted object forgets them, which costs at most one more Cognito call.
import { MAX_RENEWAL_LEASE_MS } from '../renewal-coordinator'
import {
  type AcquireAnswer,
  type AcquireRequest,
  RENEWALS_ORIGIN,
  type SettleRequest,
  isFailure,
  isTokens,
  millis,
} from './protocol'

/** Bounds on what callers ask for, whatever they send. */
const MAX_WINDOW_MS = 300_000
const WAIT_STEP_MS = 10

interface Lease {
  readonly id: string
  readonly until: number
}

interface Settled {
  readonly answer: AcquireAnswer
  readonly until: number
}

function timingOf(body: Partial<Record<keyof AcquireRequest, unknown>>): AcquireRequest | null {
  const leaseMs = millis(body.leaseMs, MAX_RENEWAL_LEASE_MS)
  const windowMs = millis(body.windowMs, MAX_WINDOW_MS)
  const failureWindowMs = millis(body.failureWindowMs, MAX_WINDOW_MS)
  return leaseMs === null || windowMs === null || failureWindowMs === null ? null : { leaseMs, windowMs, failureWindowMs }
}

/**
 * The Durable Object class behind `durableRenewals`. Re-export it from your Worker and bind it:
 *
 * @example
 * ```ts
 * // worker.ts
 * export { CognitoRenewals } from 'cognito-edge/durable'
 * // wrangler.toml
 * // [[durable_objects.bindings]]
 * // name = "RENEWALS"
 * // class_name = "CognitoRenewals"
 * // [[migrations]]
 * // tag = "cognito-renewals-v1"
 * // new_sqlite_classes = ["CognitoRenewals"]
 * ```
 */
export class CognitoRenewals {
  #lease: Lease | null = null
  #settled: Settled | null = null
  /** The windows of the last acquire: a settle is remembered for as long as callers asked. */
  #timing: AcquireRequest = { leaseMs: 0, windowMs: 0, failureWindowMs: 0 }

  /** Made by the runtime with the object's state and the Worker's env; neither is kept (nothing is ever stored). */
  constructor(_state?: unknown, _env?: unknown) {}

  async fetch(request: Request): Promise<Response> {
    const { origin, pathname } = new URL(request.url)
    if (origin !== RENEWALS_ORIGIN || request.method !== 'POST') return new Response(null, { status: 404 })
    const body: unknown = await request.json().catch(() => null)
    if (typeof body !== 'object' || body === null) return new Response(null, { status: 400 })
    if (pathname === '/acquire') {
      const timing = timingOf(body)
      return timing ? Response.json(await this.#acquire(timing)) : new Response(null, { status: 400 })
    }
    if (pathname === '/settle') return new Response(null, { status: this.#settle(body as Partial<SettleRequest>) ? 204 : 400 })
    if (pathname === '/forget') {
      // The refresh token was revoked: the next caller leads and hears Cognito's refusal, not the tokens shared before.
      this.#settled = null
      return new Response(null, { status: 204 })
    }
    return new Response(null, { status: 404 })
  }

  /**
   * The outcome a moment old, else the lease, else a wait for the leader. Waiters poll plain state,
   * as everywhere in cognito-edge; the wait ends when the leader settles or its lease runs out (then
   * this caller leads), so it is bounded by the lease.
   */
  async #acquire(timing: AcquireRequest): Promise<AcquireAnswer> {
    this.#timing = timing
    for (;;) {
      const now = Date.now()
      const settled = this.#settled !== null && this.#settled.until > now ? this.#settled.answer : null
      if (settled) return settled
      if (this.#lease === null || this.#lease.until <= now) {
        this.#lease = { id: crypto.randomUUID(), until: now + timing.leaseMs }
        return { outcome: 'lead', lease: this.#lease.id }
      }
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS))
    }
  }

  /**
   * Tokens are taken from any leader while none are held (a leader whose lease ran out still brings
   * valid tokens); a failure only from the current leader, and the lease goes with the settle.
   */
  #settle(body: Partial<SettleRequest> & { tokens?: unknown; code?: unknown; message?: unknown }): boolean {
    if (typeof body.lease !== 'string') return false
    const now = Date.now()
    const current = this.#lease?.id === body.lease
    const held = this.#settled !== null && this.#settled.until > now ? this.#settled.answer : null
    if (body.tokens !== undefined) {
      if (!isTokens(body.tokens)) return false
      if (held?.outcome !== 'tokens') {
        const tokens = { id: body.tokens.id, access: body.tokens.access, refresh: body.tokens.refresh }
        // Shared for the window, never past the tokens' own expiry: a later caller renews instead.
        const sharedMs = Math.min(this.#timing.windowMs, body.tokens.validForMs ?? Infinity)
        this.#settled = { answer: { outcome: 'tokens', tokens }, until: now + sharedMs }
      }
    } else if (body.code !== undefined) {
      const failure = { code: body.code, message: body.message }
      if (!isFailure(failure)) return false
      if (current && held === null) {
        // A refused refresh token stays refused; Cognito being down may pass.
        const lasting = failure.code === 'ERR_COGNITO_REFRESH_REJECTED'
        const until = now + (lasting ? this.#timing.windowMs : this.#timing.failureWindowMs)
        this.#settled = { answer: { outcome: 'refused', code: failure.code, message: failure.message }, until }
      }
    }
    if (current) this.#lease = null
    return true
  }
}
