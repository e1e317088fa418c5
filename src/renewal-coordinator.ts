// The contract between renewal (the middleware's and POST /auth/refresh's) and a coordinator that
// single-flights the renewals of one session across isolates (durableRenewals, a Durable Object).
// Without one, each isolate renews on its own (its RefreshMemory still makes one call per burst per
// isolate).

/** The tokens one renewal produced, as Cognito answered them: every isolate verifies what it adopts. */
export interface RenewedTokens {
  /** The new ID token. */
  readonly id: string
  /** The new access token. */
  readonly access: string
  /** The refresh token to keep: the rotated one, or the one that renewed. */
  readonly refresh: string
  /**
   * Milliseconds the ID and access tokens still live, by the leader's clock (from their `exp`): a
   * coordinator shares them no longer than that, whatever its window. Absent: the window alone.
   */
  readonly validForMs?: number
}

/** How long a renewal may take, and how long its outcome is shared (milliseconds). */
export interface RenewalTiming {
  /** The longest the leading isolate's Cognito calls can take (both of rotation 'auto', their retries); others wait this long at most. */
  readonly leaseMs: number
  /** How long new tokens (and a refusal of the refresh token) are handed to later callers. */
  readonly windowMs: number
  /** How long another failure (Cognito down, throttled) is. */
  readonly failureWindowMs: number
}

/** The longest lease a coordinator grants: settings whose renewal can take longer are refused when built. */
export const MAX_RENEWAL_LEASE_MS = 60_000

export interface RenewalCoordinator {
  /** The most the coordinator adds to a renewal beyond the lease (its own round trips), in milliseconds. */
  readonly overheadMs: number
  /**
   * The renewal of the session whose refresh token this is, made once across isolates: `run` (the
   * Cognito calls) in the one that leads, which shares Cognito's tokens before verifying them; the
   * others get those tokens or the leader's refusal (the same CognitoAuthError code).
   * ERR_COGNITO_RENEWALS_UNAVAILABLE when the coordinator cannot be reached.
   */
  renew(refreshToken: string, timing: RenewalTiming, run: () => Promise<RenewedTokens>): Promise<RenewedTokens>
  /**
   * Drops what the coordinator shares for this refresh token (a logout revoked it): the next renewal
   * asks Cognito, which refuses it. Best effort: never rejects.
   */
  forget(refreshToken: string): Promise<void>
}
