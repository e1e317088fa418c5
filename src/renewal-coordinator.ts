// The contract between the middleware's renewal and a coordinator that single-flights the renewals
// of one session across isolates (durableRenewals, a Durable Object). Without one, each isolate
// renews on its own (its RefreshMemory still makes one call per burst per isolate).
import type { SessionRenewal } from './session/refresh-memory'

/** The tokens one renewal produced, as they are handed to the other callers. */
export interface RenewedTokens {
  /** The new ID token. */
  readonly id: string
  /** The new access token. */
  readonly access: string
  /** The refresh token to keep: the rotated one, or the one that renewed. */
  readonly refresh: string
}

/** How long a renewal may take, and how long its outcome is shared (milliseconds). */
export interface RenewalTiming {
  /** The longest the leading isolate's renewal (Cognito call, then verification) can take; others wait this long at most. */
  readonly leaseMs: number
  /** How long new tokens (and a refusal of the refresh token) are handed to later callers. */
  readonly windowMs: number
  /** How long another failure (Cognito down, throttled) is. */
  readonly failureWindowMs: number
}

export interface RenewalCoordinator {
  /** The most the coordinator adds to a renewal beyond the lease (its own round trips), in milliseconds. */
  readonly overheadMs: number
  /**
   * The renewal of the session whose refresh token this is, made once across isolates: `run` (call
   * Cognito, verify) in the one that leads; the others get its tokens (`adopt` verifies them here) or
   * its refusal (the same CognitoAuthError code). ERR_COGNITO_RENEWALS_UNAVAILABLE when the
   * coordinator cannot be reached.
   */
  renew(
    refreshToken: string,
    timing: RenewalTiming,
    run: () => Promise<SessionRenewal>,
    adopt: (tokens: RenewedTokens) => Promise<SessionRenewal>,
  ): Promise<SessionRenewal>
}
