// Resolving createCognitoEdge's settings: checked once (per settings object, or per Worker env
// object when they come from env) into one frozen configuration that the middleware and the routes
// share — one verifier, one Cognito client, one cookie and CSRF configuration, one user store.
// Nothing can be passed and ignored: unknown keys, at the top or in a section, fail.
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
import { POOL_SETTINGS, type ResolvedVerifierOptions, resolveVerifierOptions } from '../options'
import { type ResolvedCookieOptions, resolveCookieOptions } from '../session/cookies'
import { MAX_RENEWAL_LEASE_MS, type RenewalCoordinator } from '../renewal-coordinator'
import { RefreshMemory, type SessionRenewal } from '../session/refresh-memory'
import type {
  AuthSettings,
  CognitoApiSettings,
  CognitoSettings,
  CsrfSettings,
  RefreshSettings,
  RequiredTokens,
} from '../settings'
import { type CognitoVerifier, type VerifierCore, createCognitoVerifier, verifierCore } from '../token/verify'
import { RETRY_AFTER_SECONDS } from './challenge'
import type { resolveManagedLogin as resolveManagedLoginSection } from './resolve-managed-login'
import type {
  CognitoEdgeSettings,
  ResolvedAuth,
  ResolvedCsrf,
  ResolvedEdge,
  ResolvedRefresh,
  ResolvedRenewal,
  ResolvedRoutes,
  RoutesSettings,
} from './settings'

const TOP = [
  'pool',
  'verifier',
  'cognito',
  'cookies',
  'csrf',
  'refresh',
  'users',
  'revocations',
  'renewals',
  'auth',
  'routes',
  'managedLogin',
  'realm',
  'onError',
  'fetch',
  'now',
]
const COGNITO = ['region', 'endpoint', 'signer', 'clientSecret', 'timeoutMs', 'retries']
const REFRESH = ['rotation', 'admin', 'refreshBefore', 'burstWindow']
const AUTH = ['require', 'optional', 'loginRedirect']
const CSRF = ['check', 'secure', 'httpOnly']
const ROUTES = ['globalSignOut', 'rateLimit']
const REQUIRE: readonly RequiredTokens[] = ['any', 'access', 'id', 'both']
/** A path on this origin: one leading slash, no backslash, no whitespace or control characters. */
const LOGIN_PATH = /^\/(?![/\\])[^\s\\]*$/

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
  // Looser in any other rule is looser still: a longer clock tolerance, or keys the pool does not publish.
  if (shared.options.clockTolerance !== wanted.clockTolerance)
    throw configError('verifier has another clockTolerance than pool.clockTolerance')
  if (shared.options.jwks !== wanted.jwks) throw configError('verifier has other preloaded keys (jwks) than pool.jwks')
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

/**
 * How sessions are renewed — by the middleware (unless `refresh: false`) and by POST /auth/refresh,
 * through one memory and one coordinator — and whether the middleware renews at all.
 */
function resolveRenewal(
  section: RefreshSettings | false | undefined,
  renewals: RenewalCoordinator | null | undefined,
  cognito: CognitoClient,
  verifier: VerifierCore,
): { renewal: ResolvedRenewal; refresh: ResolvedRefresh | null } {
  const coordinator = renewals ?? null
  if (
    coordinator !== null &&
    (typeof coordinator.renew !== 'function' ||
      typeof coordinator.forget !== 'function' ||
      typeof coordinator.overheadMs !== 'number')
  )
    throw configError('renewals must be a renewal coordinator such as durableRenewals(env.RENEWALS)')
  if (section === false && coordinator !== null)
    throw configError('renewals needs refresh: it coordinates renewals, and refresh is false')
  const refresh = checkKeys(section || {}, REFRESH, 'refresh') as RefreshSettings
  const rotation = refresh.rotation ?? 'auto'
  if (rotation !== 'auto' && typeof rotation !== 'boolean') throw configError('refresh.rotation must be "auto", true or false')
  const admin = booleanOption(refresh.admin, false, 'refresh.admin')
  if (admin && !cognito.signed)
    throw configError('refresh.admin needs cognito.signer (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)')
  // 'auto' may take two calls: REFRESH_TOKEN_AUTH, refused by a rotating client, then GetTokensFromRefreshToken.
  const calls = rotation === 'auto' && !admin ? 2 : 1
  const timing = Object.freeze({
    windowMs: duration(refresh.burstWindow, 30, 'refresh.burstWindow', 1000),
    // A failure is shared as long as clients are told to wait before retrying.
    failureWindowMs: RETRY_AFTER_SECONDS * 1000,
    // The leader holds the lease for its Cognito calls, retries included; it shares the answer before verifying it.
    leaseMs: calls * cognito.maxCallMs,
  })
  if (coordinator !== null && timing.leaseMs > MAX_RENEWAL_LEASE_MS)
    throw configError(
      `a renewal may take ${timing.leaseMs} ms (cognito.timeoutMs and retries), more than the coordinator's ${MAX_RENEWAL_LEASE_MS} ms lease`,
    )
  const memory = new RefreshMemory<SessionRenewal>(
    timing.windowMs,
    timing.failureWindowMs,
    // Others in this isolate wait for an in-flight renewal as long as it can take: the calls, the coordinator, the verification.
    timing.leaseMs + (coordinator?.overheadMs ?? 0) + verifier.options.jwksTimeoutMs,
    verifier.options.now,
    (renewal) => Math.min(renewal.idClaims.exp, renewal.accessClaims.exp) * 1000,
  )
  return {
    renewal: Object.freeze({ rotation, admin, memory, coordinator, timing }),
    refresh:
      section === false
        ? null
        : Object.freeze({ refreshBeforeSeconds: duration(refresh.refreshBefore, 0, 'refresh.refreshBefore') }),
  }
}

function resolveCsrf(section: boolean | CsrfSettings | undefined, cookies: ResolvedCookieOptions | null): ResolvedCsrf {
  if (section !== undefined && typeof section !== 'boolean' && (typeof section !== 'object' || section === null))
    throw configError('csrf must be true, false or { check, secure, httpOnly }')
  const csrf = typeof section === 'boolean' ? { check: section } : (checkKeys(section ?? {}, CSRF, 'csrf') as CsrfSettings)
  const secure = booleanOption(csrf.secure, cookies?.secure ?? true, 'csrf.secure')
  const base = cookies ?? resolveCookieOptions({ secure })
  if (!secure && base.sameSite === 'None')
    throw configError('csrf.secure false needs a SameSite other than "None" (browsers refuse it otherwise)')
  return Object.freeze({
    check: booleanOption(csrf.check, cookies !== null, 'csrf.check'),
    // The session cookies' SameSite and Domain; only Secure may differ (a plain-http dev host).
    cookie: base.secure === secure ? base : Object.freeze({ ...base, secure }),
    httpOnly: booleanOption(csrf.httpOnly, false, 'csrf.httpOnly'),
  })
}

/** auth.loginRedirect: `true` is the managed-login route; a path is taken as given, if it stays on this origin. */
function resolveLoginRedirect(value: unknown, base: string | null, managedLogin: boolean): string | null {
  if (value === undefined) return base
  if (value === false) return null
  if (value === true && managedLogin) return '/auth/oauth2/login'
  if (typeof value === 'string' && LOGIN_PATH.test(value)) return value
  throw configError('auth.loginRedirect must be false, a path on this origin, or true with managedLogin (COGNITO_DOMAIN)')
}

/** The auth section, or an override of it laid over the resolved one; `managedLogin` says whether the edge has it. */
export function resolveAuth(section: AuthSettings | undefined, managedLogin: boolean, base?: ResolvedAuth): ResolvedAuth {
  const auth = checkKeys(section ?? {}, AUTH, 'auth') as AuthSettings
  const require = auth.require ?? base?.require ?? 'any'
  if (!REQUIRE.includes(require)) throw configError('auth.require must be "any", "access", "id" or "both"')
  return Object.freeze({
    require,
    optional: booleanOption(auth.optional, base?.optional ?? false, 'auth.optional'),
    loginRedirect: resolveLoginRedirect(auth.loginRedirect, base?.loginRedirect ?? null, managedLogin),
  })
}

/** The routes section, or an override of it laid over the resolved one. */
export function resolveRoutes(section: RoutesSettings | undefined, base?: ResolvedRoutes): ResolvedRoutes {
  const routes = checkKeys(section ?? {}, ROUTES, 'routes') as RoutesSettings
  return Object.freeze({
    globalSignOut: booleanOption(routes.globalSignOut, base?.globalSignOut ?? false, 'routes.globalSignOut'),
    rateLimit: routes.rateLimit === undefined ? (base?.rateLimit ?? null) : functionOption(routes.rateLimit, 'routes.rateLimit'),
  })
}

/**
 * Resolves the managedLogin section. Given by createCognitoEdge, whose routes serve managed login;
 * cognitoAuth serves no routes and gives none, so its bundle carries none of managed login's code.
 */
export type ManagedLoginResolver = typeof resolveManagedLoginSection

/**
 * Checks every setting and resolves the defaults into one frozen configuration; throws
 * ERR_COGNITO_CONFIG naming the setting. Without `resolveManagedLogin`, `managedLogin` stays null
 * (only whether it is configured counts, for auth.loginRedirect).
 */
export function resolveEdge(settings: CognitoEdgeSettings<unknown>, resolveManagedLogin?: ManagedLoginResolver): ResolvedEdge {
  checkKeys(settings, TOP, 'createCognitoEdge settings')
  if (settings.pool === undefined) throw configError('pool is required: { userPoolId, clientId }')
  const fetcher = fetchOption(settings.fetch)
  const now = clockOption(settings.now)
  const { verifier, core } = resolveVerifier(settings, fetcher, now)
  const cognito = resolveCognito(settings, core, fetcher)
  const cookies = settings.cookies ? resolveCookieOptions(settings.cookies) : null
  const managedLogin = resolveManagedLogin?.(settings, { cookies, cognito, fetch: fetcher }) ?? null
  const users = settings.users ?? null
  if (users !== null && typeof users.resolveUser !== 'function')
    throw configError('users must be a user store such as d1UserStore(…)')
  const revocations = settings.revocations ?? null
  if (revocations !== null && (typeof revocations.check !== 'function' || typeof revocations.revokeSessions !== 'function'))
    throw configError('revocations must be a revocation list such as d1Revocations(…)')
  return Object.freeze({
    verifier,
    core,
    cognito,
    cookies,
    csrf: resolveCsrf(settings.csrf, cookies),
    ...resolveRenewal(settings.refresh, settings.renewals, cognito, core),
    users,
    revocations,
    auth: resolveAuth(settings.auth, settings.managedLogin != null),
    routes: resolveRoutes(settings.routes),
    managedLogin,
    realm: settings.realm === undefined ? 'cognito-edge' : nonEmpty(settings.realm, 'realm'),
    onError: functionOption(settings.onError, 'onError'),
    now,
  })
}
