// Which claims may pick a user row. Cognito lets a user change their own email and phone_number
// (UpdateUserAttributes with their access token, before verifying the new value), so those pick a
// row only once verified; other claims only behind an opt-in that names the risk.
import { CognitoAuthError } from '../errors'
import { claimReader } from './claims'
import type { UserSession } from '../user-store'

/** Claims Cognito never lets a user change: `sub`, and the username under its two names. */
const IMMUTABLE_CLAIMS = new Set(['sub', 'cognito:username', 'username'])

/** Claims a user can change, and the claim that is `true` once Cognito has verified the current value. */
const VERIFIED_BY: ReadonlyMap<string, string> = new Map([
  ['email', 'email_verified'],
  ['phone_number', 'phone_number_verified'],
])

/** Refuses, at construction, a tokenField whose value the user could set to someone else's. */
export function checkLookupClaim(tokenField: string, unsafeLookupClaim: boolean): void {
  if (IMMUTABLE_CLAIMS.has(tokenField) || VERIFIED_BY.has(tokenField) || unsafeLookupClaim) return
  throw new CognitoAuthError(
    'ERR_COGNITO_CONFIG',
    `tokenField "${tokenField}" is a claim the store cannot trust to identify a user (only sub, cognito:username, ` +
      'username, and a verified email or phone_number are): if users cannot change it and no two users share it, ' +
      'opt in with unsafeLookupClaim: true',
  )
}

/** What a request says about who it is: the value of tokenField, and the token's sub, which owns the row. */
export interface LookupIdentity {
  readonly key: string
  readonly sub: string
}

/**
 * The lookup value and sub of a verified session. A missing lookup claim is ERR_COGNITO_CLAIM (401); an email or
 * phone_number whose `*_verified` claim is not the JSON `true` Cognito puts in its tokens is
 * ERR_COGNITO_UNVERIFIED_CLAIM (403): the user may have typed in someone else's address.
 */
export function lookupIdentity(session: UserSession, tokenField: string): LookupIdentity {
  const readClaim = claimReader(session)
  const key = readClaim(tokenField)
  if (typeof key !== 'string' || key === '')
    throw new CognitoAuthError('ERR_COGNITO_CLAIM', `the token has no ${tokenField} claim to find the user by`)
  const verifiedBy = VERIFIED_BY.get(tokenField)
  if (verifiedBy !== undefined && readClaim(verifiedBy) !== true)
    throw new CognitoAuthError('ERR_COGNITO_UNVERIFIED_CLAIM', `the token's ${tokenField} is not verified (${verifiedBy})`)
  // The verifier refuses tokens without a non-empty string sub, so this holds for every session a store sees.
  return { key, sub: readClaim('sub') as string }
}
