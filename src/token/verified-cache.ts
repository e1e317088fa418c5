// What the verified-token cache remembers: tokens whose signature and claims already passed,
// keyed by the exact token string. A hit skips parsing and crypto; the caller still re-checks
// time, kind and key.
import type { CognitoClaims } from './claims'
import type { IssuerKeySet, KeyEntry } from './keys'

export interface VerifiedToken {
  readonly claims: CognitoClaims
  readonly keySet: IssuerKeySet
  /** The key entry that verified it: a hit counts only while the set still serves this entry. */
  readonly key: KeyEntry
  /**
   * Seconds `iat` may lie ahead of the clock: a token Cognito just issued to this isolate was
   * accepted with some (its clock may run a moment ahead), and the requests that present it next
   * keep it until the clock catches up; 0 for every other token.
   */
  readonly issuedLeeway: number
}
