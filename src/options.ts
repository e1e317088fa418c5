// Verifier options: their types, their documented defaults, and the one place they are checked
// and resolved (once, into a new frozen object; the caller's object is never touched).
import {
  checkKeys,
  clockOption,
  configError,
  duration,
  fetchOption,
  httpUrl,
  regionOfPool,
  stringList,
  wholeNumber,
} from './config'

export type TokenUse = 'id' | 'access'

/**
 * A JSON Web Key as found in a key set (RFC 7517): only RSA signing keys are used, but a set may
 * hold others. Declared here, not taken from the DOM lib, so the types need no DOM or Workers lib.
 */
export interface JsonWebKey {
  /** Key type: only `RSA` keys are used. */
  kty?: string
  /** Key id, matched against the token header's `kid`. */
  kid?: string
  /** Intended use: absent or `sig`. */
  use?: string
  /** Algorithm: absent or `RS256`. */
  alg?: string
  /** RSA modulus, base64url (2048–8192 bits). */
  n?: string
  /** RSA public exponent, base64url. */
  e?: string
}

/** A JSON Web Key Set: what Cognito serves at `<issuer>/.well-known/jwks.json`. */
export interface JsonWebKeySet {
  /** The keys; those that are not RSA signing keys of 2048–8192 bits are ignored. */
  keys: readonly JsonWebKey[]
}

/** What the shared key-set tier needs of a cache: the Workers Cache API (`caches.default`) has it. */
export interface KeySetCache {
  /** The cached response for a key-set URL, if any. */
  match(request: string): Promise<Response | undefined>
  /** Stores a key set fetched from the origin, stamped with its fetch time. */
  put(request: string, response: Response): Promise<void>
}

export interface CognitoVerifierOptions {
  /** The user pool id, e.g. `us-east-1_AbC123`, or several; the region is taken from it. Required. */
  userPoolId: string | readonly string[]
  /**
   * The app client id(s) allowed in `aud` (ID tokens) and `client_id` (access tokens). Required:
   * pass `null` explicitly to skip the audience check.
   */
  clientId: string | readonly string[] | null
  /** Which kind of token `verify` accepts. Default `null`: either, checked per token. */
  tokenUse?: TokenUse | null
  /** Seconds of clock skew allowed on `exp`, `nbf` and `iat`. Default `0`. */
  clockTolerance?: number
  /**
   * Overrides the accepted issuer (emulators such as cognito-local). Only with a single pool.
   * Default: `https://cognito-idp.<region>.amazonaws.com/<pool>` and
   * `https://issuer-cognito-idp.<region>.amazonaws.com/<pool>`, each with its own key set.
   */
  issuer?: string
  /** Overrides where the key set is fetched. Only with a single pool. Default `<issuer>/.well-known/jwks.json`. */
  jwksUri?: string
  /** A preloaded key set: nothing is fetched until a token names a kid that is not in it. Only with a single pool. */
  jwks?: JsonWebKeySet
  /** The fetch used for key sets. Default: the global `fetch`. */
  fetch?: typeof fetch
  /** The clock, in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number
  /** Milliseconds before a key-set fetch is abandoned. Default `5000`. */
  jwksTimeoutMs?: number
  /**
   * Seconds a fetched key set is used without I/O. Past it the set is revalidated in the background:
   * a token whose kid it holds is still answered from it at once (within `jwksStaleIfError`) while
   * one refetch runs (see `VerifyOptions.waitUntil`); only a token with an unknown kid waits for the
   * fetch. Default `3600`.
   */
  jwksMaxAge?: number
  /** Seconds between two fetches of one key set, whatever prompts them (max age, unknown kid, failure). Default `30`. */
  jwksCooldown?: number
  /**
   * Seconds past its fetch that the last good key set is still used while it is being refetched or
   * the origin fails; past that, a token waits for the fetch and fails with
   * `ERR_COGNITO_KEYS_UNAVAILABLE` when the fetch does. A value below `jwksMaxAge` means no stale
   * use at all. Default `86400`.
   */
  jwksStaleIfError?: number
  /**
   * A shared second tier for key sets, e.g. `caches.default` on Workers or `await caches.open('jwks')`:
   * a cold isolate reads the set from it before going to Cognito. An entry is used only while it
   * is younger than `jwksMaxAge` on this isolate's clock; one stamped more than 60 s ahead of that
   * clock is ignored (the origin is asked, and its answer replaces the entry). Default `null` (off).
   */
  jwksSharedCache?: KeySetCache | null
  /** How many verified tokens are remembered so a repeat skips the signature. `0` turns it off. Default `1000`. */
  verifiedCacheSize?: number
}

/** One accepted issuer: where its key set is, and the pool (and region) its sessions belong to. */
export interface ResolvedIssuer {
  readonly issuer: string
  readonly jwksUri: string
  readonly userPoolId: string
  /** The pool's AWS region, or null for emulator pool ids (`local_…`), which carry none. */
  readonly region: string | null
}

export interface ResolvedVerifierOptions {
  readonly issuers: readonly ResolvedIssuer[]
  readonly clientIds: readonly string[] | null
  readonly tokenUse: TokenUse | null
  readonly clockTolerance: number
  readonly jwks: JsonWebKeySet | null
  readonly fetch: typeof fetch
  readonly now: () => number
  readonly jwksTimeoutMs: number
  readonly jwksMaxAgeMs: number
  readonly jwksCooldownMs: number
  readonly jwksStaleIfErrorMs: number
  readonly jwksSharedCache: KeySetCache | null
  readonly verifiedCacheSize: number
}

const VERIFIER_OPTIONS = [
  'userPoolId',
  'clientId',
  'tokenUse',
  'clockTolerance',
  'issuer',
  'jwksUri',
  'jwks',
  'fetch',
  'now',
  'jwksTimeoutMs',
  'jwksMaxAge',
  'jwksCooldown',
  'jwksStaleIfError',
  'jwksSharedCache',
  'verifiedCacheSize',
] as const

/** The verifier options a settings section may carry (all but the I/O ones). */
export const POOL_SETTINGS: readonly string[] = VERIFIER_OPTIONS.filter((name) => name !== 'fetch' && name !== 'now')

/** The two issuers AWS uses for a pool; each serves its own key set. */
export function issuersForPool(poolId: string): readonly string[] {
  const region = regionOfPool(poolId)
  if (region === null) throw configError(`userPoolId "${poolId}" is not a Cognito user pool id like us-east-1_AbC123`)
  return [`https://cognito-idp.${region}.amazonaws.com/${poolId}`, `https://issuer-cognito-idp.${region}.amazonaws.com/${poolId}`]
}

/** Checks every option and resolves the defaults; throws `ERR_COGNITO_CONFIG` naming the option. */
export function resolveVerifierOptions(options: CognitoVerifierOptions, where = 'verifier options'): ResolvedVerifierOptions {
  checkKeys(options, VERIFIER_OPTIONS, where)
  if (options.userPoolId === undefined) throw configError('userPoolId is required')
  const pools = stringList(options.userPoolId, 'userPoolId')
  if (options.clientId === undefined) throw configError('clientId is required (pass null to skip the audience check)')
  const clientIds = options.clientId === null ? null : stringList(options.clientId, 'clientId')
  const single = pools.length === 1
  for (const name of ['issuer', 'jwksUri', 'jwks'] as const) {
    if (options[name] !== undefined && !single) throw configError(`${name} can only be set with a single userPoolId`)
  }
  // With an explicit issuer (emulators) the pool id need not be AWS-shaped: cognito-local makes `local_…` ids.
  const issuerNames =
    options.issuer === undefined
      ? pools.flatMap((userPoolId) => issuersForPool(userPoolId).map((issuer) => ({ issuer, userPoolId })))
      : [{ issuer: httpUrl(options.issuer, 'issuer'), userPoolId: pools[0] as string }]
  const jwksUri = options.jwksUri === undefined ? undefined : httpUrl(options.jwksUri, 'jwksUri')
  const issuers = Object.freeze(
    issuerNames.map(({ issuer, userPoolId }) =>
      Object.freeze({
        issuer,
        jwksUri: jwksUri ?? `${issuer}/.well-known/jwks.json`,
        userPoolId,
        region: regionOfPool(userPoolId),
      }),
    ),
  )
  const tokenUse = options.tokenUse ?? null
  if (tokenUse !== null && tokenUse !== 'id' && tokenUse !== 'access')
    throw configError('tokenUse must be "id", "access" or null')
  if (
    options.jwks !== undefined &&
    (typeof options.jwks !== 'object' || options.jwks === null || !Array.isArray(options.jwks.keys))
  ) {
    throw configError('jwks must be a key set: { keys: [...] }')
  }
  const size = wholeNumber(options.verifiedCacheSize, 1000, 'verifiedCacheSize', 0)
  const timeout = duration(options.jwksTimeoutMs, 5000, 'jwksTimeoutMs')
  if (timeout === 0) throw configError('jwksTimeoutMs must be greater than 0')
  return Object.freeze({
    issuers,
    clientIds,
    tokenUse,
    clockTolerance: duration(options.clockTolerance, 0, 'clockTolerance'),
    jwks: options.jwks ?? null,
    fetch: fetchOption(options.fetch),
    now: clockOption(options.now),
    jwksTimeoutMs: timeout,
    jwksMaxAgeMs: duration(options.jwksMaxAge, 3600, 'jwksMaxAge', 1000),
    jwksCooldownMs: duration(options.jwksCooldown, 30, 'jwksCooldown', 1000),
    jwksStaleIfErrorMs: duration(options.jwksStaleIfError, 86_400, 'jwksStaleIfError', 1000),
    jwksSharedCache: options.jwksSharedCache ?? null,
    verifiedCacheSize: size,
  })
}
