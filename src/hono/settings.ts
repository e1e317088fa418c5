// The settings of createCognitoEdge, and their resolution: checked once (per settings object, or
// per Worker env object when they come from env) into one frozen configuration that the middleware
// and the routes share — one verifier, one Cognito client, one cookie and CSRF configuration, one
// user store. Nothing can be passed and ignored: unknown keys, at the top or in a section, fail.
import type { Context } from 'hono'
import {
  booleanOption,
  checkKeys,
  clockOption,
  configError,
  duration,
  fetchOption,
  functionOption,
  nonEmpty,
  regionOfPool,
} from '../config'
import { type CognitoClient, createCognitoClient } from '../cognito/transport'
import type { CognitoAuthError } from '../errors'
import { POOL_SETTINGS, type ResolvedVerifierOptions, resolveVerifierOptions } from '../options'
import { type ResolvedCookieOptions, resolveCookieOptions } from '../session/cookies'
import { RefreshMemory } from '../session/refresh-memory'
import type {
  AuthSettings,
  CognitoApiSettings,
  CognitoSettings,
  RefreshSettings,
  RequiredTokens,
  RoutesSettings as RoutesDataSettings,
} from '../settings'
import { type CognitoVerifier, type VerifierCore, createCognitoVerifier, verifierCore } from '../token/verify'
import type { UserStore } from '../user-store'
import { RETRY_AFTER_SECONDS } from './challenge'
import type { SessionRenewal } from './renewal'

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

/** The routes whose attempts go through the rate limiter: each one lets a stranger guess something. */
export type RateLimitedRoute =
  | 'login'
  | 'confirm_login'
  | 'signup'
  | 'forgot_password'
  | 'confirm_signup'
  | 'confirm_forgot_password'
  | 'resend_confirmation_code'

/** The `/auth/*` endpoints. */
export interface RoutesSettings extends RoutesDataSettings {
  /**
   * Asked before login, confirm_login, signup, forgot_password, the two code confirmations and
   * resend_confirmation_code call Cognito (the guessable steps); false refuses with 429
   * ERR_COGNITO_THROTTLED. Default none. With Cloudflare's rate-limiting bindings, on the account
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
  /** The `/auth/*` endpoints. Default `{}`. */
  routes?: RoutesSettings
  /** Turns an error of the middleware, the guards or the routes into the response. Default: the default response. */
  onError?: ErrorHook | null
}

/** Settings, or how to make them from the Worker's `env` (bindings exist only per request). */
export type CognitoEdgeInput<User = null> = CognitoEdgeSettings<User> | ((env: never) => CognitoEdgeSettings<User>)

export interface ResolvedRefresh {
  readonly rotation: 'auto' | boolean
  readonly admin: boolean
  readonly refreshBeforeSeconds: number
  readonly memory: RefreshMemory<SessionRenewal>
}

export interface ResolvedAuth {
  readonly require: RequiredTokens
  readonly optional: boolean
}

export interface ResolvedRoutes {
  readonly globalSignOut: boolean
  readonly rateLimit: NonNullable<RoutesSettings['rateLimit']> | null
}

/** One resolved configuration, shared by the middleware, the guards and the routes of an edge. */
export interface ResolvedEdge {
  /** The verifier (shared or made here), as callers see it. */
  readonly verifier: CognitoVerifier
  /** Its core: resolved options and the detailed verification the middleware needs. */
  readonly core: VerifierCore
  readonly cognito: CognitoClient
  readonly cookies: ResolvedCookieOptions | null
  /** Attributes of the `csrftoken` cookie: the session cookies' in cookie mode, else `secure` alone. */
  readonly csrfCookie: ResolvedCookieOptions
  readonly csrf: boolean
  readonly refresh: ResolvedRefresh | null
  readonly users: UserStore<unknown> | null
  readonly auth: ResolvedAuth
  readonly routes: ResolvedRoutes
  readonly realm: string
  readonly onError: ErrorHook | null
  readonly now: () => number
}

const TOP = [
  'pool',
  'verifier',
  'cognito',
  'cookies',
  'csrf',
  'refresh',
  'users',
  'auth',
  'routes',
  'realm',
  'onError',
  'fetch',
  'now',
]
const COGNITO = ['region', 'endpoint', 'signer', 'clientSecret', 'timeoutMs', 'retries']
const REFRESH = ['rotation', 'admin', 'refreshBefore', 'burstWindow']
const AUTH = ['require', 'optional']
const ROUTES = ['globalSignOut', 'rateLimit']
const REQUIRE: readonly RequiredTokens[] = ['any', 'access', 'id', 'both']

const sameSet = (a: readonly string[] | null, b: readonly string[] | null) =>
  a === null || b === null ? a === b : a.length === b.length && a.every((item) => b.includes(item))

/**
 * The verifier: a shared one must be one createCognitoVerifier made, and accept exactly what
 * `pool` describes — otherwise it would silently replace the pool or the client.
 */
function resolveVerifier(
  settings: CognitoEdgeSettings<unknown>,
  fetcher: typeof fetch,
  now: () => number,
): { verifier: CognitoVerifier; core: VerifierCore } {
  const pool = { ...(checkKeys(settings.pool, POOL_SETTINGS, 'pool') as CognitoSettings['pool']), fetch: fetcher, now }
  if (settings.verifier == null) {
    const verifier = createCognitoVerifier(pool)
    return { verifier, core: verifierCore(verifier) as VerifierCore }
  }
  const shared = verifierCore(settings.verifier)
  if (!shared) throw configError('verifier must be made by createCognitoVerifier (a look-alike object is never trusted)')
  const wanted = resolveVerifierOptions(pool, 'pool')
  const issuers = (resolved: ResolvedVerifierOptions) => resolved.issuers.map(({ issuer, jwksUri }) => `${issuer} ${jwksUri}`)
  if (!sameSet(issuers(shared.options), issuers(wanted)))
    throw configError('verifier accepts other pools or issuers than pool describes')
  if (!sameSet(shared.options.clientIds, wanted.clientIds))
    throw configError('verifier accepts other app clients than pool.clientId')
  if (shared.options.tokenUse !== wanted.tokenUse) throw configError('verifier has another tokenUse than pool.tokenUse')
  return { verifier: settings.verifier, core: shared }
}

function resolveCognito(settings: CognitoEdgeSettings<unknown>, verifier: VerifierCore, fetcher: typeof fetch): CognitoClient {
  const section = settings.cognito ?? {}
  if ('client' in section) {
    checkKeys(section, ['client'], 'cognito')
    const { client } = section
    if (typeof client?.call !== 'function') throw configError('cognito.client must be made by createCognitoClient')
    const clientIds = verifier.options.clientIds
    if (client.clientId !== null && clientIds !== null && !clientIds.includes(client.clientId))
      throw configError('cognito.client has a clientId that pool.clientId does not allow')
    return client
  }
  const api = checkKeys(section, COGNITO, 'cognito') as CognitoApiSettings
  const firstPool = verifier.options.issuers[0]?.userPoolId ?? ''
  return createCognitoClient({
    // Emulator pool ids (local_…) carry no region: us-east-1 then, as cognito-local answers for any.
    region: api.region ?? regionOfPool(firstPool) ?? 'us-east-1',
    clientId: verifier.options.clientIds?.[0] ?? null,
    clientSecret: api.clientSecret ?? null,
    signer: api.signer ?? null,
    endpoint: api.endpoint ?? null,
    fetch: fetcher,
    ...(api.timeoutMs === undefined ? {} : { timeoutMs: api.timeoutMs }),
    ...(api.retries === undefined ? {} : { retries: api.retries }),
  })
}

function resolveRefresh(
  section: RefreshSettings | false | undefined,
  cognito: CognitoClient,
  verifier: VerifierCore,
): ResolvedRefresh | null {
  if (section === false) return null
  const refresh = checkKeys(section ?? {}, REFRESH, 'refresh') as RefreshSettings
  const rotation = refresh.rotation ?? 'auto'
  if (rotation !== 'auto' && typeof rotation !== 'boolean') throw configError('refresh.rotation must be "auto", true or false')
  const admin = booleanOption(refresh.admin, false, 'refresh.admin')
  if (admin && !cognito.signed)
    throw configError('refresh.admin needs cognito.signer (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)')
  const now = verifier.options.now
  return Object.freeze({
    rotation,
    admin,
    refreshBeforeSeconds: duration(refresh.refreshBefore, 0, 'refresh.refreshBefore'),
    memory: new RefreshMemory<SessionRenewal>(
      duration(refresh.burstWindow, 30, 'refresh.burstWindow', 1000),
      // A failure is shared as long as clients are told to wait before retrying.
      RETRY_AFTER_SECONDS * 1000,
      // Others wait for an in-flight renewal as long as it can take: the Cognito call, then verifying the new tokens.
      cognito.maxCallMs + verifier.options.jwksTimeoutMs,
      now,
    ),
  })
}

/** The auth section, or an override of it laid over the resolved one. */
export function resolveAuth(section: AuthSettings | undefined, base?: ResolvedAuth): ResolvedAuth {
  const auth = checkKeys(section ?? {}, AUTH, 'auth') as AuthSettings
  const require = auth.require ?? base?.require ?? 'any'
  if (!REQUIRE.includes(require)) throw configError('auth.require must be "any", "access", "id" or "both"')
  return Object.freeze({ require, optional: booleanOption(auth.optional, base?.optional ?? false, 'auth.optional') })
}

/** The routes section, or an override of it laid over the resolved one. */
export function resolveRoutes(section: RoutesSettings | undefined, base?: ResolvedRoutes): ResolvedRoutes {
  const routes = checkKeys(section ?? {}, ROUTES, 'routes') as RoutesSettings
  return Object.freeze({
    globalSignOut: booleanOption(routes.globalSignOut, base?.globalSignOut ?? false, 'routes.globalSignOut'),
    rateLimit: routes.rateLimit === undefined ? (base?.rateLimit ?? null) : functionOption(routes.rateLimit, 'routes.rateLimit'),
  })
}

/** Checks every setting and resolves the defaults into one frozen configuration; throws ERR_COGNITO_CONFIG naming the setting. */
export function resolveEdge(settings: CognitoEdgeSettings<unknown>): ResolvedEdge {
  checkKeys(settings, TOP, 'createCognitoEdge settings')
  if (settings.pool === undefined) throw configError('pool is required: { userPoolId, clientId }')
  const fetcher = fetchOption(settings.fetch)
  const now = clockOption(settings.now)
  const { verifier, core } = resolveVerifier(settings, fetcher, now)
  const cognito = resolveCognito(settings, core, fetcher)
  const cookies = settings.cookies ? resolveCookieOptions(settings.cookies) : null
  const users = settings.users ?? null
  if (users !== null && typeof users.resolveUser !== 'function')
    throw configError('users must be a user store such as d1UserStore(…)')
  return Object.freeze({
    verifier,
    core,
    cognito,
    cookies,
    csrfCookie: cookies ?? resolveCookieOptions({}),
    csrf: booleanOption(settings.csrf, cookies !== null, 'csrf'),
    refresh: resolveRefresh(settings.refresh, cognito, core),
    users,
    auth: resolveAuth(settings.auth),
    routes: resolveRoutes(settings.routes),
    realm: settings.realm === undefined ? 'cognito-edge' : nonEmpty(settings.realm, 'realm'),
    onError: functionOption(settings.onError, 'onError'),
    now,
  })
}
