// d1Revocations' options, checked once when the list is built and resolved into a frozen copy: a
// bad setting fails at startup with ERR_COGNITO_CONFIG naming it, never per request.
import { checkKeys, clockOption, configError, duration, functionOption } from '../config'
import type { CognitoAuthError } from '../errors'
import type { D1Binding } from './options'

export interface D1RevocationsOptions {
  /** The D1 binding, e.g. `env.DB`, holding `cognito_revocations` (its migration ships in `migrations/`). Required. */
  database: D1Binding
  /**
   * Seconds: the oldest copy of the list an isolate decides with while D1 answers, so a revocation
   * reaches every isolate within this bound. Each isolate reads D1 about once per this period,
   * whatever its traffic (`COGNITO_REVOCATION_MAX_STALENESS`). Default `10`.
   */
  maxStaleness?: number
  /**
   * When D1 cannot be read: `'closed'` keeps deciding with the last copy until it is `failAfter` old,
   * then refuses every session with 503 ERR_COGNITO_REVOCATIONS_UNAVAILABLE; `'open'` keeps deciding
   * with whatever copy it has (none, on a new isolate), and reports each failed read
   * (`COGNITO_REVOCATION_ON_UNAVAILABLE`). Default `'closed'`.
   */
  onUnavailable?: 'closed' | 'open'
  /** Seconds: with `'closed'`, how old the copy may grow while D1 fails. Default `10 × maxStaleness`. */
  failAfter?: number
  /**
   * Seconds: the longest a refresh token of your pool lives (the app client's refresh token
   * expiration), so how long an entry must be kept before it is pruned. A session is not bounded by
   * its ID and access tokens: renewals mint new ones, of the same sign-in (`origin_jti`, `auth_time`),
   * for as long as its refresh token lives — an entry pruned sooner lets a session the list alone
   * ended (Cognito could not revoke it) come back. Shorter keeps the list smaller; never set it below
   * the app client's refresh token expiration (`COGNITO_REVOCATION_REFRESH_TOKEN_LIFETIME`). Default
   * `2592000` (30 days, Cognito's default).
   */
  refreshTokenLifetime?: number
  /**
   * Told of each failed read or write of D1 (once per pull, never per request), in both modes.
   * Default: `console.error`.
   */
  report?: ((error: CognitoAuthError) => void) | null
  /** The clock, in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number
}

export interface ResolvedRevocationsOptions {
  readonly database: D1Binding
  readonly maxStalenessMs: number
  readonly failAfterMs: number
  readonly onUnavailable: 'closed' | 'open'
  readonly refreshTokenLifetimeSeconds: number
  readonly timeoutMs: number
  readonly report: (error: CognitoAuthError) => void
  readonly now: () => number
}

const KEYS = ['database', 'maxStaleness', 'onUnavailable', 'failAfter', 'refreshTokenLifetime', 'report', 'now']
/** One read or write of D1, bounded: D1 calls take no AbortSignal, so a hung one is raced. */
const TIMEOUT_MS = 5000

function positive(value: unknown, fallback: number, name: string): number {
  const seconds = duration(value, fallback, name)
  if (seconds === 0) throw configError(`${name} must be more than 0 seconds`)
  return seconds
}

/** Failures must leave a trace even when the app passes no reporter: fail-open would be silent otherwise. */
function defaultReport(error: CognitoAuthError): void {
  // eslint-disable-next-line no-console -- the one default sink; apps pass `report` to route it elsewhere
  console.error(`cognito-edge: ${error.message} (${error.code})`, error.cause)
}

export function resolveRevocationsOptions(options: D1RevocationsOptions): ResolvedRevocationsOptions {
  checkKeys(options, KEYS, 'd1Revocations options')
  if (typeof options.database?.prepare !== 'function') throw configError('database must be a D1 binding, e.g. env.DB')
  const maxStaleness = positive(options.maxStaleness, 10, 'maxStaleness')
  const failAfter = positive(options.failAfter, 10 * maxStaleness, 'failAfter')
  if (failAfter < maxStaleness) throw configError('failAfter must be at least maxStaleness')
  const onUnavailable = options.onUnavailable ?? 'closed'
  if (onUnavailable !== 'closed' && onUnavailable !== 'open') throw configError('onUnavailable must be "closed" or "open"')
  const refreshTokenLifetime = positive(options.refreshTokenLifetime, 2_592_000, 'refreshTokenLifetime')
  if (!Number.isInteger(refreshTokenLifetime)) throw configError('refreshTokenLifetime must be whole seconds')
  return Object.freeze({
    database: options.database,
    maxStalenessMs: maxStaleness * 1000,
    failAfterMs: failAfter * 1000,
    onUnavailable,
    refreshTokenLifetimeSeconds: refreshTokenLifetime,
    timeoutMs: TIMEOUT_MS,
    report: functionOption(options.report, 'report') ?? defaultReport,
    now: clockOption(options.now),
  })
}
