// The messages between durableRenewals (in each isolate) and the CognitoRenewals object, and their
// checks: the object trusts nothing it is sent, the isolates nothing they are answered.
import type { CognitoErrorCode } from '../errors'
import type { RenewedTokens } from '../renewal-coordinator'

/** The object is reached through its binding only; the host names no real server. */
export const RENEWALS_ORIGIN = 'https://cognito-renewals.invalid'

/** `POST /acquire`: the caller's timing (milliseconds). */
export interface AcquireRequest {
  readonly leaseMs: number
  readonly windowMs: number
  readonly failureWindowMs: number
}

export type AcquireAnswer =
  /** Nobody renews this session now: the caller does, under this lease, and settles it. */
  | { readonly outcome: 'lead'; readonly lease: string }
  /** The session was renewed a moment ago: these are its tokens. */
  | { readonly outcome: 'tokens'; readonly tokens: RenewedTokens }
  /** The renewal failed a moment ago: the same failure. */
  | { readonly outcome: 'refused'; readonly code: CognitoErrorCode; readonly message: string }

/**
 * `POST /settle`: the leader's outcome, or only the lease given back (a failure worth no sharing).
 * (`POST /forget`, any JSON object: a logout revoked the refresh token; the object drops its outcome.)
 */
export type SettleRequest =
  | { readonly lease: string; readonly tokens: RenewedTokens }
  | { readonly lease: string; readonly code: CognitoErrorCode; readonly message: string }
  | { readonly lease: string }

/**
 * The failures a leader shares: Cognito's answer about the refresh token or about itself, which
 * another caller would only get again. Anything else (a setting missing in the leader's isolate,
 * say) gives the lease back, and the next caller tries. Tokens are shared before the leader
 * verifies them, so no verification failure of its own can hand the lease on.
 */
export const SHARED_FAILURES: readonly CognitoErrorCode[] = [
  'ERR_COGNITO_REFRESH_REJECTED',
  'ERR_COGNITO_REFRESH_FAILED',
  'ERR_COGNITO_UNAVAILABLE',
  'ERR_COGNITO_THROTTLED',
]

/** Cognito's tokens are a few KiB; anything larger is not one. */
const MAX_TOKEN_LENGTH = 16 * 1024
const MAX_MESSAGE_LENGTH = 500

const text = (value: unknown, max: number): value is string => typeof value === 'string' && value !== '' && value.length <= max

export function isTokens(value: unknown): value is RenewedTokens {
  const tokens = value as Partial<Record<keyof RenewedTokens, unknown>> | null
  return (
    typeof tokens === 'object' &&
    tokens !== null &&
    text(tokens.id, MAX_TOKEN_LENGTH) &&
    text(tokens.access, MAX_TOKEN_LENGTH) &&
    text(tokens.refresh, MAX_TOKEN_LENGTH) &&
    (tokens.validForMs === undefined || (typeof tokens.validForMs === 'number' && Number.isFinite(tokens.validForMs)))
  )
}

export function isFailure(value: { code?: unknown; message?: unknown }): value is { code: CognitoErrorCode; message: string } {
  return SHARED_FAILURES.includes(value.code as CognitoErrorCode) && text(value.message, MAX_MESSAGE_LENGTH)
}

/** A whole number of milliseconds in [0, max], or null. */
export function millis(value: unknown, max: number): number | null {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max ? (value as number) : null
}
