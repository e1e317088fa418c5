// The fault matrix: every fault of Cognito, the key-set origin and D1, at every place it can hit,
// and what the client gets. This one structure drives test/reliability/fault-matrix.test.ts and
// is what README's "Reliability" tables render (matrix-table.ts), so the two cannot drift. Plain
// data without imports: Node runs it as it is (scripts/reliability-table.ts).

export const COGNITO_FAULTS = [
  '500',
  '502',
  '503',
  'timeout',
  'connection reset',
  'HTML',
  '{}',
  'truncated JSON',
  'throttling',
  'WAF 403',
] as const
export const KEY_SET_FAULTS = ['hang', '500', 'HTML', 'oversize', 'slow drip'] as const
export const D1_FAULTS = ['throws', 'busy', 'busy on writes'] as const

export type CognitoFault = (typeof COGNITO_FAULTS)[number]
export type KeySetFault = (typeof KEY_SET_FAULTS)[number]
export type D1Fault = (typeof D1_FAULTS)[number]

/** What Set-Cookie does to the session cookies. */
export type CookieOutcome =
  /** The request carried session cookies and the response leaves them alone. */
  | 'kept'
  /** The request carried none and the response sets none (header sessions, a failed login). */
  | 'none'
  /** Every session cookie is cleared (`Max-Age=0`). */
  | 'cleared'
  /** Renewed tokens are delivered as new cookies. */
  | 'renewed'

/** How many calls reached each upstream during the request. */
export interface UpstreamCalls {
  readonly cognito: number
  readonly keySet: number
  readonly d1: number
}

/** What the client gets, and what the request cost upstream. */
export interface Outcome {
  readonly status: number
  /** The `code` of the error body, without its `ERR_COGNITO_` prefix. */
  readonly code: string
  readonly cookies: CookieOutcome
  readonly calls: UpstreamCalls
}

export interface Place<Fault extends string> {
  readonly name: string
  /** How the request is made, for the README. */
  readonly request: string
  readonly outcomes: Readonly<Record<Fault, Outcome>>
  /** Cells whose outcome is a bug: what it should be, and why (the test of it is `it.fails`). */
  readonly bugs?: Partial<Record<Fault, { readonly wanted: Outcome; readonly why: string }>>
}

export interface Family<Fault extends string> {
  readonly title: string
  /** What fails, as the first column names it: Cognito, key set, D1. */
  readonly upstream: string
  readonly faults: readonly Fault[]
  /** What each fault is, for the README's legend. */
  readonly faultDescriptions: Readonly<Record<Fault, string>>
  readonly places: readonly Place<Fault>[]
}

const calls = (cognito: number, keySet = 0, d1 = 0): UpstreamCalls => ({ cognito, keySet, d1 })
const out = (status: number, code: string, cookies: CookieOutcome, upstream: UpstreamCalls): Outcome => ({
  status,
  code,
  cookies,
  calls: upstream,
})

const unavailable = (cookies: CookieOutcome, cognito: number) => out(503, 'UNAVAILABLE', cookies, calls(cognito))
const refreshFailed = (cookies: CookieOutcome) => out(503, 'REFRESH_FAILED', cookies, calls(1))
const throttled = (cookies: CookieOutcome) => out(429, 'THROTTLED', cookies, calls(2))

/** A refresh in the middleware or on /auth/refresh: only a refused refresh token ends the session (none is refused here). */
function refreshOutcomes(cookies: CookieOutcome): Record<CognitoFault, Outcome> {
  return {
    '500': unavailable(cookies, 2),
    '502': unavailable(cookies, 2),
    '503': unavailable(cookies, 2),
    timeout: unavailable(cookies, 1),
    'connection reset': unavailable(cookies, 1),
    HTML: unavailable(cookies, 1),
    '{}': refreshFailed(cookies),
    'truncated JSON': unavailable(cookies, 1),
    throttling: throttled(cookies),
    // A page that names no Cognito exception did not come from Cognito: it could not be reached.
    'WAF 403': unavailable(cookies, 1),
  }
}

export const COGNITO_MATRIX: Family<CognitoFault> = {
  title: 'Cognito fails',
  upstream: 'Cognito',
  faults: COGNITO_FAULTS,
  faultDescriptions: {
    '500': '`InternalErrorException`, HTTP 500',
    '502': 'an HTML 502 page from a proxy',
    '503': '`Service Unavailable` as plain text',
    timeout: 'no answer at all (the client gives up after `cognito.timeoutMs`)',
    'connection reset': '`fetch` rejects (`Network connection lost.`)',
    HTML: 'HTTP 200 with an HTML page',
    '{}': 'HTTP 200 with `{}`',
    'truncated JSON': 'HTTP 200 with a JSON body cut off mid-token',
    throttling: '`TooManyRequestsException`, HTTP 400',
    'WAF 403': 'an HTML 403 page from AWS WAF',
  },
  places: [
    {
      name: 'renewal, cookie session',
      request: '`GET /api/me` with an expired ID cookie and the refresh cookie (the browser dropped the access cookie)',
      outcomes: refreshOutcomes('kept'),
    },
    {
      name: 'renewal, header session',
      request: '`GET /api/me` with expired `IDTOKEN` / `ACCESSTOKEN` and `REFRESHTOKEN`',
      outcomes: refreshOutcomes('none'),
    },
    {
      name: 'POST /auth/login',
      request: 'username and password, CSRF cookie and header',
      outcomes: {
        '500': unavailable('none', 2),
        '502': unavailable('none', 2),
        '503': unavailable('none', 2),
        timeout: unavailable('none', 1),
        'connection reset': unavailable('none', 1),
        HTML: unavailable('none', 1),
        // Was 400 REQUEST_FAILED (found by this matrix): an HTTP 200 `{}` is Cognito failing, not the request.
        '{}': unavailable('none', 1),
        'truncated JSON': unavailable('none', 1),
        throttling: throttled('none'),
        'WAF 403': unavailable('none', 1),
      },
    },
    {
      name: 'POST /auth/refresh',
      request: 'the ID and refresh cookies, CSRF cookie and header',
      outcomes: refreshOutcomes('kept'),
    },
    {
      name: 'POST /auth/logout',
      request: 'all three session cookies, CSRF cookie and header (`RevokeToken`)',
      outcomes: {
        '500': unavailable('cleared', 2),
        '502': unavailable('cleared', 2),
        '503': unavailable('cleared', 2),
        timeout: unavailable('cleared', 1),
        'connection reset': unavailable('cleared', 1),
        HTML: unavailable('cleared', 1),
        '{}': out(200, '', 'cleared', calls(1)), // RevokeToken's own answer
        'truncated JSON': unavailable('cleared', 1),
        throttling: throttled('cleared'),
        'WAF 403': unavailable('cleared', 1),
      },
    },
  ],
}

const keysUnavailable = (cookies: CookieOutcome, cognito: number): Record<KeySetFault, Outcome> => {
  const outcome = out(503, 'KEYS_UNAVAILABLE', cookies, calls(cognito, 1))
  return { hang: outcome, '500': outcome, HTML: outcome, oversize: outcome, 'slow drip': outcome }
}

export const KEY_SET_MATRIX: Family<KeySetFault> = {
  title: 'The key-set origin fails (first sight: no key set cached yet)',
  upstream: 'key set',
  faults: KEY_SET_FAULTS,
  faultDescriptions: {
    hang: 'no answer (abandoned after `pool.jwksTimeoutMs`)',
    '500': 'HTTP 500',
    HTML: 'HTTP 200 with an HTML page',
    oversize: 'the key set followed by 1 MiB, streamed without a length',
    'slow drip': 'the key set, one byte every 20 ms',
  },
  places: [
    {
      name: 'first sight, header session',
      request: '`GET /api/me` with valid `IDTOKEN` / `ACCESSTOKEN`',
      outcomes: keysUnavailable('none', 0),
    },
    {
      name: 'first sight, cookie session',
      request: '`GET /api/me` with valid session cookies',
      outcomes: keysUnavailable('kept', 0),
    },
    {
      name: 'POST /auth/login',
      request: 'Cognito issues tokens; they are verified before any cookie is set',
      outcomes: keysUnavailable('none', 1),
    },
    {
      name: 'POST /auth/refresh',
      request: 'the expired ID cookie is verified (whose session, and is it ended?) before Cognito is asked',
      outcomes: keysUnavailable('kept', 0),
    },
  ],
}

const storeUnavailable = (cookies: CookieOutcome, upstream: UpstreamCalls) => out(503, 'STORE_UNAVAILABLE', cookies, upstream)

export const D1_MATRIX: Family<D1Fault> = {
  title: 'D1 fails (users kept with `d1UserStore`, `autoCreate` on)',
  upstream: 'D1',
  faults: D1_FAULTS,
  faultDescriptions: {
    throws: '`prepare()` throws (`D1_ERROR: Network connection lost.`)',
    busy: 'every statement rejects with `SQLITE_BUSY`',
    'busy on writes': 'reads work, `INSERT` and `UPDATE` reject with `SQLITE_BUSY`',
  },
  places: [
    {
      name: 'first sight (auto-create)',
      request: '`GET /api/me` of a user without a row: one `INSERT … ON CONFLICT … RETURNING`',
      outcomes: {
        throws: storeUnavailable('none', calls(0, 0, 1)),
        busy: storeUnavailable('none', calls(0, 0, 1)),
        'busy on writes': storeUnavailable('none', calls(0, 0, 1)),
      },
    },
    {
      name: 'cached user past its TTL, email changed',
      request: 'the user cache is 61 s old and the token carries a new email: a read, then a write',
      outcomes: {
        throws: storeUnavailable('none', calls(0, 0, 1)),
        busy: storeUnavailable('none', calls(0, 0, 1)),
        'busy on writes': storeUnavailable('none', calls(0, 0, 2)),
      },
    },
    {
      name: 'renewal, cookie session',
      request: 'an expired cookie session of a user without a row: Cognito renews, then the user is written',
      outcomes: {
        throws: storeUnavailable('renewed', calls(1, 0, 1)),
        busy: storeUnavailable('renewed', calls(1, 0, 1)),
        'busy on writes': storeUnavailable('renewed', calls(1, 0, 1)),
      },
    },
  ],
}

export const FAMILIES = [COGNITO_MATRIX, KEY_SET_MATRIX, D1_MATRIX] as const
