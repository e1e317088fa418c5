// Options of the /auth endpoints, resolved once (per options object or per Worker env object).
import type { Context } from 'hono'
import { type CognitoClient, clientFromSettings } from '../cognito/client'
import { CognitoAuthError } from '../errors'
import { secretHash } from '../cognito/secret-hash'
import { type ResolvedCookieOptions, resolveCookieOptions } from '../session/cookies'
import type { CognitoSettings } from '../settings'
import type { ErrorHook } from './respond'

/** The routes whose attempts go through the rate limiter: each one lets a stranger guess something. */
export type RateLimitedRoute =
  | 'login'
  | 'confirm_login'
  | 'signup'
  | 'forgot_password'
  | 'confirm_signup'
  | 'confirm_forgot_password'
  | 'resend_confirmation_code'

/** What a rate limiter is asked before a guessable request reaches Cognito. */
export interface RateLimitAttempt {
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

export interface CognitoRoutesOptions extends CognitoSettings {
  /**
   * Asked before login, confirm_login, signup, forgot_password, the two code confirmations and
   * resend_confirmation_code call Cognito (the guessable steps); return false to refuse with 429
   * ERR_COGNITO_THROTTLED. Default none. With Cloudflare's rate-limiting bindings, keyed on the
   * account and on the client:
   * `rateLimit: async (c, { key, ip }) => (await c.env.ACCOUNT_LIMIT.limit({ key })).success && (await c.env.IP_LIMIT.limit({ key: ip ?? 'unknown' })).success`.
   */
  rateLimit?: (c: Context, attempt: RateLimitAttempt) => boolean | Promise<boolean>
  /** Logout also signs the user out everywhere (GlobalSignOut with the access token). Default `false`. */
  globalSignOut?: boolean
  /** Turns an error into the response; gets the default response. Default: that response. */
  onError?: (error: CognitoAuthError, c: Context, response: Response) => Response | Promise<Response>
  /** The `realm` of `WWW-Authenticate` challenges. Default `'cognito-edge'`. */
  realm?: string
  /** The Cognito API client. Default: one built from `region`, `endpoint`, `credentials` and `fetch`. */
  cognito?: CognitoClient
}

export interface ResolvedRoutesOptions {
  readonly client: CognitoClient
  /** The app client the endpoints sign users in with: the first of `clientId`. */
  readonly clientId: string
  readonly clientSecret: string | null
  readonly userPoolId: string
  /** Session cookies in cookie mode, else null. */
  readonly cookies: ResolvedCookieOptions | null
  /** Attributes for the CSRF cookie (cookie options even outside cookie mode, so `Secure` follows the setting). */
  readonly csrfCookie: ResolvedCookieOptions
  readonly csrf: boolean
  readonly rateLimit: CognitoRoutesOptions['rateLimit'] | null
  readonly globalSignOut: boolean
  readonly onError: ErrorHook | null
  readonly realm: string
  readonly now: () => number
}

function configError(message: string): CognitoAuthError {
  return new CognitoAuthError('ERR_COGNITO_CONFIG', message)
}

export function resolveRoutesOptions(options: CognitoRoutesOptions): ResolvedRoutesOptions {
  if (typeof options !== 'object' || options === null) throw configError('cognitoRoutes options must be an object')
  const clientIds = typeof options.clientId === 'string' ? [options.clientId] : options.clientId
  const clientId = clientIds?.[0]
  if (typeof clientId !== 'string' || clientId === '')
    throw configError('cognitoRoutes needs clientId (APP_CLIENT_ID): the app client users sign in with')
  const pools = typeof options.userPoolId === 'string' ? [options.userPoolId] : [...(options.userPoolId ?? [])]
  const userPoolId = pools[0]
  if (typeof userPoolId !== 'string' || userPoolId === '') throw configError('userPoolId is required')
  for (const name of ['rateLimit', 'onError'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') throw configError(`${name} must be a function`)
  }
  const client = clientFromSettings(options)
  const cookies = options.cookies ? resolveCookieOptions(options.cookies) : null
  return Object.freeze({
    client,
    clientId,
    clientSecret: options.clientSecret ?? null,
    userPoolId,
    cookies,
    csrfCookie: cookies ?? resolveCookieOptions({}),
    csrf: options.csrf ?? cookies !== null,
    rateLimit: options.rateLimit ?? null,
    globalSignOut: options.globalSignOut ?? false,
    onError: options.onError ?? null,
    realm: options.realm ?? 'cognito-edge',
    now: options.now ?? Date.now,
  })
}

/** An /auth endpoint: the request, and the options resolved for its env. */
export type RouteHandler = (c: Context, config: ResolvedRoutesOptions) => Promise<Response>

/** Adds the client's SECRET_HASH (or SecretHash) for `username`, when the app client has a secret. */
export async function withSecretHash(
  config: ResolvedRoutesOptions,
  username: string,
  parameters: Record<string, unknown>,
  key: string,
) {
  if (config.clientSecret !== null) parameters[key] = await secretHash(config.clientSecret, username, config.clientId)
  return parameters
}

/** Asks the app's rate limiter about an attempt on `route` for `username`; a refusal is 429 ERR_COGNITO_THROTTLED. */
export async function limit(c: Context, config: ResolvedRoutesOptions, route: RateLimitedRoute, username: string): Promise<void> {
  if (!config.rateLimit) return
  const attempt: RateLimitAttempt = {
    route,
    username,
    key: username.trim().toLowerCase(),
    ip: c.req.header('cf-connecting-ip') || null,
  }
  if (!(await config.rateLimit(c, attempt))) {
    throw new CognitoAuthError('ERR_COGNITO_THROTTLED', 'too many attempts; try again later')
  }
}
