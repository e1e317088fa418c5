// createCognitoVerifier: the strict verification of Cognito ID and access tokens, on Web Crypto
// with keys imported by jose. Order: cache hit → parse → header → issuer → key → signature →
// claims → time. Nothing but CognitoAuthError escapes.
import { CognitoAuthError } from '../errors'
import { type CognitoVerifierOptions, type ResolvedVerifierOptions, type TokenUse, resolveVerifierOptions } from '../options'
import { type CognitoClaims, checkClaims, checkTime } from './claims'
import { IssuerKeySet } from './keys'
import { parseCompactJws } from './parse'
import { LruCache } from '../lru'
import type { VerifiedToken } from './verified-cache'

export interface VerifyOptions {
  /** Accept only this kind of token. Default: the verifier's `tokenUse`. */
  tokenUse?: TokenUse
  /**
   * Keeps the runtime alive for background work this call starts: the key-set refetch once the
   * set is past its max age, e.g. `(promise) => ctx.waitUntil(promise)` on Workers (called as a
   * method: a detached `ctx.waitUntil` throws there). Default none: the refetch then runs
   * unawaited, and a runtime that stops work with the response may cut it short (the next request
   * past the cooldown tries again). The `cognito-edge/hono` middleware passes the request's own.
   */
  waitUntil?: (promise: Promise<unknown>) => void
}

export interface CognitoVerifier {
  /** Resolves with the token's claims, or rejects with a `CognitoAuthError`. */
  verify(token: string, options?: VerifyOptions): Promise<CognitoClaims>
}

/**
 * A verification that says why it failed instead of throwing. On `ERR_COGNITO_EXPIRED` it keeps the
 * claims (signature and every other rule passed): whose session a refresh would renew. @internal
 */
export type VerifyOutcome =
  | { readonly claims: CognitoClaims; readonly error: null }
  | { readonly claims: CognitoClaims | null; readonly error: CognitoAuthError }

/** What the middleware uses of a verifier: its resolved options and the detailed verification. @internal */
export interface VerifierCore {
  readonly options: ResolvedVerifierOptions
  verify(token: string, options?: VerifyOptions): Promise<CognitoClaims>
  /** `issuedLeewaySeconds`: how far ahead `iat` may lie beyond the clock tolerance, for tokens Cognito just issued. Default `0`. */
  verifyDetailed(token: string, options?: VerifyOptions, issuedLeewaySeconds?: number): Promise<VerifyOutcome>
}

/** The verifiers createCognitoVerifier makes: only they carry a core, so a look-alike object is never trusted. */
class Verifier implements CognitoVerifier {
  readonly #core: VerifierCore
  /** Bound, so `const { verify } = verifier` works too. */
  readonly verify: CognitoVerifier['verify']

  constructor(core: VerifierCore) {
    this.#core = core
    this.verify = core.verify
    Object.freeze(this)
  }

  static coreOf(value: unknown): VerifierCore | null {
    return value instanceof Verifier ? value.#core : null
  }
}

/** The core of a verifier createCognitoVerifier made; null for anything else. @internal */
export const verifierCore: (verifier: unknown) => VerifierCore | null = Verifier.coreOf

/** Header members that import keys from the token itself or change what is signed; never honoured. */
const REFUSED_HEADER_MEMBERS = ['crit', 'b64', 'jku', 'jwk', 'x5u', 'x5c', 'zip'] as const

function checkHeader(header: Record<string, unknown>): string {
  // The algorithm is fixed by configuration; the header must merely agree (RFC 8725 §3.1).
  if (header.alg !== 'RS256') throw new CognitoAuthError('ERR_COGNITO_ALGORITHM', 'only RS256 tokens are accepted')
  for (const member of REFUSED_HEADER_MEMBERS) {
    // crit: RFC 7515 §4.1.11 — no extension is understood here, so any crit must be refused.
    if (member in header)
      throw new CognitoAuthError('ERR_COGNITO_HEADER_UNSUPPORTED', `the token header member "${member}" is not accepted`)
  }
  const kid = header.kid
  if (typeof kid !== 'string' || kid === '') throw new CognitoAuthError('ERR_COGNITO_KID', 'the token header has no kid')
  return kid
}

/**
 * Builds a verifier for the tokens of one or more Cognito user pools. Create it once per isolate
 * (module scope): it caches key sets and verified tokens.
 *
 * @example
 * ```ts
 * import { createCognitoVerifier } from 'cognito-edge'
 *
 * const verifier = createCognitoVerifier({ userPoolId: 'us-east-1_AbC123', clientId: '1example23456789abcdefghij' })
 * const claims = await verifier.verify(accessToken, { tokenUse: 'access' })
 * console.log(claims.sub, claims['cognito:groups'])
 * ```
 */
export function createCognitoVerifier(options: CognitoVerifierOptions): CognitoVerifier {
  const resolved = resolveVerifierOptions(options)
  const keySets = new Map(
    resolved.issuers.map(({ issuer, jwksUri }) => [issuer, new IssuerKeySet(issuer, jwksUri, resolved, resolved.jwks)]),
  )
  const verified = new LruCache<string, VerifiedToken>(resolved.verifiedCacheSize)

  async function verifyDetailed(token: string, verifyOptions?: VerifyOptions, issuedLeewaySeconds = 0): Promise<VerifyOutcome> {
    const asked = verifyOptions?.tokenUse
    // A verifier set to one kind of token never accepts the other, whatever a call asks for.
    const wanted = resolved.tokenUse ?? asked ?? null
    const now = resolved.now()
    let claims: CognitoClaims | null = null
    try {
      if (asked !== undefined && resolved.tokenUse !== null && asked !== resolved.tokenUse) {
        throw new CognitoAuthError('ERR_COGNITO_TOKEN_USE', `this verifier accepts only ${resolved.tokenUse} tokens`)
      }
      const hit = verified.get(token)
      // A hit counts only while its set is fresh. Once the set is stale (still usable), the token is
      // verified again with the cached key: that costs one signature check, never a wait, and it is
      // the pass that starts the background refetch a hit alone would never start.
      if (hit && hit.keySet.isFresh(now) && hit.keySet.entry(hit.key.kid) === hit.key) {
        if (wanted !== null && hit.claims.token_use !== wanted) {
          throw new CognitoAuthError('ERR_COGNITO_TOKEN_USE', `expected an ${wanted} token, got an ${hit.claims.token_use} token`)
        }
        claims = hit.claims
        checkTime(claims, now, resolved.clockTolerance, Math.max(issuedLeewaySeconds, hit.issuedLeeway))
        return { claims, error: null }
      }
      if (hit) verified.delete(token)
      const { header, payload, signingInput, signature } = parseCompactJws(token)
      const kid = checkHeader(header)
      const keySet = typeof payload.iss === 'string' ? keySets.get(payload.iss) : undefined
      if (!keySet) throw new CognitoAuthError('ERR_COGNITO_ISSUER', 'iss is not an allowed Cognito user pool issuer')
      const { entry, cryptoKey } = keySet.readyKey(kid, now) ?? (await keySet.keyFor(kid, verifyOptions?.waitUntil))
      if (!(await crypto.subtle.verify('RSASSA-PKCS1-v1_5', cryptoKey, signature, signingInput))) {
        throw new CognitoAuthError('ERR_COGNITO_SIGNATURE', 'the token signature does not verify')
      }
      // Time is checked last, so that "expired" means "valid but for the time": the only failure a refresh may fix.
      claims = checkClaims(payload, resolved, wanted)
      checkTime(claims, now, resolved.clockTolerance, issuedLeewaySeconds)
      verified.set(token, { claims, keySet, key: entry, issuedLeeway: issuedLeewaySeconds })
      return { claims, error: null }
    } catch (error) {
      // Defensive (Web Crypto refusing a key, say): fail closed, and nothing else escapes verify.
      const failure =
        error instanceof CognitoAuthError
          ? error
          : new CognitoAuthError('ERR_COGNITO_SIGNATURE', 'the token could not be verified', { cause: error })
      if (failure.code !== 'ERR_COGNITO_EXPIRED') return { claims: null, error: failure }
      verified.delete(token)
      return { claims, error: failure }
    }
  }

  async function verify(token: string, verifyOptions?: VerifyOptions): Promise<CognitoClaims> {
    const outcome = await verifyDetailed(token, verifyOptions)
    if (outcome.error) throw outcome.error
    return outcome.claims
  }

  return new Verifier(Object.freeze({ options: resolved, verify, verifyDetailed }))
}
