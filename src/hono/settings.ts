// The settings of createCognitoEdge: the data sections `optionsFromEnv` produces, and what only
// code can give (hooks, stores, a shared verifier or client); and the one frozen configuration
// they resolve into (src/hono/resolve.ts), shared by the middleware, the guards and the routes.
import type { Context } from 'hono'
import type { CognitoClient } from '../cognito/transport'
import type { CognitoAuthError } from '../errors'
import type { LruCache } from '../lru'
import type { RenewalCoordinator, RenewalTiming } from '../renewal-coordinator'
import type { RevocationList } from '../revocation-list'
import type { ResolvedCookieOptions } from '../session/cookies'
import type { RefreshMemory, SessionRenewal } from '../session/refresh-memory'
import type { CognitoApiSettings, CognitoSettings, RequiredTokens, RoutesSettings as RoutesDataSettings } from '../settings'
import type { CognitoVerifier, VerifierCore } from '../token/verify'
import type { UserStore } from '../user-store'

/** What a rate limiter is asked before a guessable request reaches Cognito. */
export interface RateLimitAttempt {
  /** The route asked about, e.g. `login`. */
  readonly route: RateLimitedRoute
  /** The username exactly as given in the body. */
  readonly username: string
  /**
   * The username trimmed and lower-cased: key budgets on this, so `Alice@Example.com` and
   * `alice@example.com ` share one. (An email and the username of one account are still two keys:
   * key on `ip` too.)
   */
  readonly key: string
  /** The client's address from `CF-Connecting-IP`, or null when the request did not come through Cloudflare. */
  readonly ip: string | null
}

/** The routes whose attempts go through the rate limiter: each one lets a stranger guess something. */
export type RateLimitedRoute =
  | 'login'
  | 'confirm_login'
  | 'signup'
  | 'forgot_password'
  | 'confirm_signup'
  | 'confirm_forgot_password'
  | 'resend_confirmation_code'
  | 'refresh'
  | 'logout'

/** The `/auth/*` endpoints. */
export interface RoutesSettings extends RoutesDataSettings {
  /**
   * Asked before login, confirm_login, signup, forgot_password, the two code confirmations,
   * resend_confirmation_code and refresh call Cognito (the steps a stranger can repeat), and before a
   * logout writes sign-in rows to the revocation list (`username` from its verified tokens: each is a
   * row every isolate holds; a refused logout writes none of them, still records a sign-out everywhere
   * and still asks Cognito); false refuses with 429 ERR_COGNITO_THROTTLED. Default none. With Cloudflare's rate-limiting bindings, on the account
   * and on the client: `rateLimit: async (c, { key, ip }) => (await c.env.ACCOUNT_LIMIT.limit({ key })).success &&
   * (await c.env.IP_LIMIT.limit({ key: ip ?? 'unknown' })).success`.
   */
  rateLimit?: ((c: Context, attempt: RateLimitAttempt) => boolean | Promise<boolean>) | null
}

/** Turns an error into the response; gets the default response to adapt or return. */
export type ErrorHook = (error: CognitoAuthError, c: Context, response: Response) => Response | Promise<Response>

/** Everything createCognitoEdge takes: the data sections `optionsFromEnv` produces, and what only code can give. */
export interface CognitoEdgeSettings<User = null> extends Omit<CognitoSettings, 'cognito' | 'routes'> {
  /** A verifier made by createCognitoVerifier, to share its caches; it must accept exactly what `pool` describes. Default: one built from `pool`. */
  verifier?: CognitoVerifier | null
  /** How Cognito's API is reached, or `{ client }` to share a client made by createCognitoClient (then nothing else in the section). Default `{}`. */
  cognito?: CognitoApiSettings | { client: CognitoClient }
  /** Where users are kept (`d1UserStore(…)`); its row becomes `c.var.cognito.user`. Default none: `user` is `null`. */
  users?: UserStore<User> | null
  /**
   * The revocation list every isolate honours (`d1Revocations(…)` from cognito-edge/d1): the middleware
   * refuses ended sessions (401 ERR_COGNITO_REVOKED), `/auth/logout` records the session it ends.
   * Default none: a logout ends the refresh token, and its ID and access tokens live on until they expire.
   */
  revocations?: RevocationList | null
  /**
   * Single-flights renewals of one session across isolates (`durableRenewals(env.RENEWALS)` from
   * cognito-edge/durable), for app clients that rotate refresh tokens. Needs `refresh`. Default none:
   * each isolate renews on its own (one Cognito call per burst per isolate).
   */
  renewals?: RenewalCoordinator | null
  /** The `/auth/*` endpoints. Default `{}`. */
  routes?: RoutesSettings
  /** Turns an error of the middleware, the guards or the routes into the response. Default: the default response. */
  onError?: ErrorHook | null
}

/** Settings, or how to make them from the Worker's `env` (bindings exist only per request). */
export type CognitoEdgeInput<User = null> = CognitoEdgeSettings<User> | ((env: never) => CognitoEdgeSettings<User>)

/** How sessions are renewed through Cognito: one path for the middleware and POST /auth/refresh. */
export interface ResolvedRenewal {
  readonly rotation: 'auto' | boolean
  readonly admin: boolean
  /** Outcomes per refresh token in this isolate, whichever of the two asked. */
  readonly memory: RefreshMemory<SessionRenewal>
  /** Renewals across isolates, and the timing it is given; null: this isolate's memory alone. */
  readonly coordinator: RenewalCoordinator | null
  readonly timing: RenewalTiming
}

/** The middleware's renewal of expired sessions (null with `refresh: false`). */
export interface ResolvedRefresh {
  readonly refreshBeforeSeconds: number
}

export interface ResolvedAuth {
  readonly require: RequiredTokens
  readonly optional: boolean
  /** The sign-in path unauthenticated browser navigations are sent to, or null (they get the 401). */
  readonly loginRedirect: string | null
}

/** Managed login, checked: the app client, its secret, the URLs and the transaction cookie. */
export interface ResolvedManagedLogin {
  /** The domain without a trailing slash. */
  readonly domain: string
  readonly clientId: string
  /** The app client's secret (`APP_SECRET_KEY`): the token endpoint is then called with HTTP Basic authentication. */
  readonly clientSecret: string | null
  readonly redirectUri: string
  readonly logoutUri: string
  readonly scopes: readonly string[]
  readonly identityProvider: string | null
  readonly cookieSecret: string
  readonly transactionMaxAgeSeconds: number
  readonly unsafeEmulator: boolean
  /** The transaction cookie's name and attributes: HttpOnly, SameSite=Lax, host-only, Secure as the session cookies. */
  readonly cookieName: string
  readonly cookie: ResolvedCookieOptions
  readonly fetch: typeof fetch
  readonly timeoutMs: number
  /** States of callbacks already served by this isolate, until their transaction would have expired (ms): replays fail. */
  readonly consumedStates: LruCache<string, number>
}

export interface ResolvedRoutes {
  readonly globalSignOut: boolean
  readonly rateLimit: NonNullable<RoutesSettings['rateLimit']> | null
}

export interface ResolvedCsrf {
  readonly check: boolean
  /** Attributes of the `csrftoken` cookie: the session cookies' (or the defaults), with the section's `secure`. */
  readonly cookie: ResolvedCookieOptions
  readonly httpOnly: boolean
}

/** One resolved configuration, shared by the middleware, the guards and the routes of an edge. */
export interface ResolvedEdge {
  /** The verifier (shared or made here), as callers see it. */
  readonly verifier: CognitoVerifier
  /** Its core: resolved options and the detailed verification the middleware needs. */
  readonly core: VerifierCore
  readonly cognito: CognitoClient
  readonly cookies: ResolvedCookieOptions | null
  readonly csrf: ResolvedCsrf
  readonly refresh: ResolvedRefresh | null
  readonly renewal: ResolvedRenewal
  readonly users: UserStore<unknown> | null
  readonly revocations: RevocationList | null
  readonly auth: ResolvedAuth
  readonly routes: ResolvedRoutes
  /** Managed login; null when not configured, or in an edge that serves no routes (cognitoAuth alone). */
  readonly managedLogin: ResolvedManagedLogin | null
  readonly realm: string
  readonly onError: ErrorHook | null
  readonly now: () => number
}
