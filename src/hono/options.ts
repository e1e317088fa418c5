// The middleware's options, resolved and validated once (per options object, or per Worker env
// object when they come from env), never per request.
import type { Context } from 'hono'
import { CognitoAuthError } from '../errors'
import { type ResolvedCookieOptions, resolveCookieOptions } from '../session/cookies'
import { type CognitoSettings, optionsFromEnv } from '../settings'
import { type ResolvedVerifierOptions, resolveVerifierOptions } from '../options'
import { type CognitoVerifier, type InternalCognitoVerifier, createCognitoVerifier, madeVerifier } from '../token/verify'
import type { UserStore } from '../users/user-store'
import { type CognitoClient, clientFromSettings } from '../cognito/client'
import { RefreshMemory } from '../session/refresh-memory'
import type { SessionRenewal } from './refresh'
import { RETRY_AFTER_SECONDS } from './challenge'
import type { ErrorHook } from './respond'

/** Which tokens a request must carry. */
export type RequiredTokens = 'any' | 'access' | 'id' | 'both'

export interface CognitoAuthOptions<User = null> extends CognitoSettings {
  /**
   * Which tokens must be present: `'any'` (at least one of ID and access), `'access'`, `'id'`,
   * or `'both'` (as the seed required). Every token present is verified whatever this says. Default `'any'`.
   */
  require?: RequiredTokens
  /** Let requests without any token through with `c.var.cognito === null`. Invalid tokens are still refused. Default `false`. */
  optional?: boolean
  /** The `realm` of `WWW-Authenticate` challenges. Default `'cognito-edge'`. */
  realm?: string
  /** Turns an error into the response; gets the default response to adapt or return. Default: that response. */
  onError?: (error: CognitoAuthError, c: Context, response: Response) => Response | Promise<Response>
  /** A verifier to share (its caches) with other code. Default: one built from these options. */
  verifier?: CognitoVerifier
  /** Where users are kept (`d1UserStore(…)`); its row becomes `c.var.cognito.user`. Default none: `user` is `null`. */
  users?: UserStore<User> | null
  /** Renewing expired sessions through Cognito; `false` turns it off. Default `{}` (on, with the defaults below). */
  refresh?: RefreshOptions | false
  /** The Cognito API client. Default: one built from `region`, `endpoint`, `credentials` and `fetch`. */
  cognito?: CognitoClient
}

export interface RefreshOptions {
  /** `'auto'` tries REFRESH_TOKEN_AUTH and falls back to GetTokensFromRefreshToken for rotating clients. Default `'auto'`. */
  rotation?: 'auto' | boolean
  /** Refresh with AdminInitiateAuth (needs IAM credentials). Default `false`. */
  admin?: boolean
  /** Also refresh a still-valid session whose tokens expire within this many seconds. Default `0` (off). */
  refreshBefore?: number
  /** Seconds a refresh is remembered, so a burst with one expired session calls Cognito once. Default `30`. */
  burstWindow?: number
}

export interface ResolvedRefresh {
  readonly client: CognitoClient
  readonly clientSecret: string | null
  readonly userPoolId: string
  readonly defaultClientId: string | null
  readonly rotation: 'auto' | boolean
  readonly admin: boolean
  readonly refreshBeforeSeconds: number
  readonly memory: RefreshMemory<SessionRenewal>
}

/** Options, or how to make them from the Worker's `env` (bindings exist only per request). */
export type CognitoAuthOptionsInput<O extends object = CognitoAuthOptions> = O | ((env: never) => O)

export interface ResolvedAuthOptions {
  readonly verifier: InternalCognitoVerifier
  readonly require: RequiredTokens
  readonly optional: boolean
  readonly realm: string
  readonly onError: ErrorHook | null
  readonly cookies: ResolvedCookieOptions | null
  readonly csrf: boolean
  readonly now: () => number
  readonly users: UserStore<unknown> | null
  readonly refresh: ResolvedRefresh | null
}

/** The one slot for callers without an env object (app.request() in tests, other runtimes). */
const NO_ENV = {}

const REQUIRE: readonly RequiredTokens[] = ['any', 'access', 'id', 'both']

function configError(message: string): CognitoAuthError {
  return new CognitoAuthError('ERR_COGNITO_CONFIG', message)
}

export function resolveAuthOptions(options: CognitoAuthOptions<unknown>): ResolvedAuthOptions {
  if (typeof options !== 'object' || options === null) throw configError('cognitoAuth options must be an object')
  const require = options.require ?? 'any'
  if (!REQUIRE.includes(require)) throw configError('require must be "any", "access", "id" or "both"')
  const realm = options.realm ?? 'cognito-edge'
  if (typeof realm !== 'string' || realm === '') throw configError('realm must be a non-empty string')
  if (options.onError !== undefined && typeof options.onError !== 'function') throw configError('onError must be a function')
  const users = options.users ?? null
  if (users !== null && typeof users.resolveUser !== 'function')
    throw configError('users must be a user store such as d1UserStore(…)')
  const cookies = options.cookies ? resolveCookieOptions(options.cookies) : null
  const csrf = options.csrf ?? cookies !== null
  if (typeof csrf !== 'boolean') throw configError('csrf must be true or false')
  const verifier = options.verifier
    ? sharedVerifier(options.verifier, options)
    : (createCognitoVerifier(options) as InternalCognitoVerifier)
  return Object.freeze({
    verifier,
    require,
    optional: options.optional ?? false,
    realm,
    onError: options.onError ?? null,
    cookies,
    csrf,
    now: verifier.options.now,
    users,
    refresh: options.refresh === false ? null : resolveRefresh(options, options.refresh ?? {}, verifier),
  })
}

const sameSet = (a: readonly string[] | null, b: readonly string[] | null) =>
  a === null || b === null ? a === b : a.length === b.length && a.every((item) => b.includes(item))

/**
 * A verifier given to share its caches must be one createCognitoVerifier made, and must accept
 * exactly what these options describe: otherwise it would silently replace their pool or client.
 */
function sharedVerifier(given: CognitoVerifier, options: CognitoAuthOptions<unknown>): InternalCognitoVerifier {
  const shared = madeVerifier(given)
  if (!shared) throw configError('verifier must be made by createCognitoVerifier (a look-alike object is never trusted)')
  const wanted = resolveVerifierOptions(options)
  const issuers = (resolved: ResolvedVerifierOptions) => resolved.issuers.map(({ issuer, jwksUri }) => `${issuer} ${jwksUri}`)
  if (!sameSet(issuers(shared.options), issuers(wanted)))
    throw configError('verifier accepts other pools or issuers than userPoolId / issuer describe')
  if (!sameSet(shared.options.clientIds, wanted.clientIds))
    throw configError('verifier accepts other app clients than clientId describes')
  if (shared.options.tokenUse !== wanted.tokenUse) throw configError('verifier has another tokenUse than the options')
  return shared
}

function seconds(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw configError(`refresh.${name} must be a number of seconds ≥ 0`)
  return value
}

function resolveRefresh(
  options: CognitoAuthOptions<unknown>,
  refresh: RefreshOptions,
  verifier: InternalCognitoVerifier,
): ResolvedRefresh {
  if (typeof refresh !== 'object' || refresh === null) throw configError('refresh must be an options object or false')
  const rotation = refresh.rotation ?? 'auto'
  if (rotation !== 'auto' && typeof rotation !== 'boolean') throw configError('refresh.rotation must be "auto", true or false')
  const firstPool = (typeof options.userPoolId === 'string' ? options.userPoolId : options.userPoolId[0]) as string
  const client = clientFromSettings(options)
  const admin = refresh.admin ?? false
  if (admin && !client.signed)
    throw configError('refresh.admin needs AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)')
  const clientIds = verifier.options.clientIds
  return Object.freeze({
    client,
    clientSecret: options.clientSecret ?? null,
    userPoolId: firstPool,
    defaultClientId: clientIds?.[0] ?? null,
    rotation,
    admin,
    refreshBeforeSeconds: seconds(refresh.refreshBefore, 0, 'refreshBefore'),
    // Others wait for an in-flight refresh as long as it can take: the Cognito call, then verifying the new tokens.
    memory: new RefreshMemory<SessionRenewal>(
      seconds(refresh.burstWindow, 30, 'burstWindow') * 1000,
      // A failure is shared as long as clients are told to wait before retrying.
      RETRY_AFTER_SECONDS * 1000,
      client.maxCallMs + verifier.options.jwksTimeoutMs,
      verifier.options.now,
    ),
  })
}

/**
 * Resolves options once: now for an object (so mistakes surface at startup), or on the first
 * request of each env object for a function of env (default: `optionsFromEnv`).
 */
export function optionsResolver<O extends object, R>(
  input: CognitoAuthOptionsInput<O> | undefined,
  resolve: (options: O) => R,
): (env: unknown) => R {
  if (input !== undefined && typeof input !== 'function') {
    const resolved = resolve(input)
    return () => resolved
  }
  const fromEnv = (input ?? optionsFromEnv) as (env: unknown) => O
  const perEnv = new WeakMap<object, R>()
  return (env) => {
    const key = typeof env === 'object' && env !== null ? env : NO_ENV
    let resolved = perEnv.get(key)
    if (resolved === undefined) {
      resolved = resolve(fromEnv(env ?? {}))
      perEnv.set(key, resolved)
    }
    return resolved
  }
}
