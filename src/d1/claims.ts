// Reading a user's claims: from the verified tokens, or as attributes from Cognito's AdminGetUser
// (the seed's source), each by the claim's name.
import type { CognitoClient } from '../cognito/transport'
import { adminGetUser } from '../cognito/admin'
import { CognitoAuthError, isCognitoAuthError } from '../errors'
import type { UserSession } from '../user-store'

/** Reads a claim (or attribute) by name; `undefined` when absent. */
export type ClaimReader = (claim: string) => unknown

/** Claims of the ID token, then of the access token. */
export function claimReader(session: UserSession): ClaimReader {
  const direct = (claim: string) => session.idClaims?.[claim] ?? session.accessClaims?.[claim]
  return function readClaim(claim) {
    const value = direct(claim)
    if (value !== undefined) return value
    // One Cognito username, two names: cognito:username in ID tokens, username in access tokens.
    if (claim === 'cognito:username') return direct('username')
    if (claim === 'username') return direct('cognito:username')
    // Cognito leaves cognito:groups out for a user in no group; the stored groups must empty too.
    if (claim === 'cognito:groups') return []
    return undefined
  }
}

/** A Cognito failure as the request should see it: a deleted user is unknown, the rest is Cognito being unavailable. */
function adminGetUserError(error: unknown): CognitoAuthError {
  if (isCognitoAuthError(error, 'ERR_COGNITO_NO_SUCH_USER'))
    return new CognitoAuthError('ERR_COGNITO_USER_NOT_FOUND', 'Cognito has no such user any more', { cause: error })
  if (isCognitoAuthError(error, 'ERR_COGNITO_UNAVAILABLE', 'ERR_COGNITO_THROTTLED')) return error
  // IAM or pool misconfiguration is not the client's fault; Cognito's own message may name an ARN, so it stays in `cause`.
  const code = error instanceof CognitoAuthError ? error.code : 'an unexpected error'
  return new CognitoAuthError('ERR_COGNITO_UNAVAILABLE', `Cognito AdminGetUser failed (${code})`, { cause: error })
}

/**
 * The user's attributes from `AdminGetUser` (the seed's source), in the pool (and region) of the
 * token's issuer. Claims Cognito does not keep as attributes, such as `cognito:groups`, still come
 * from the tokens.
 */
export async function adminGetUserReader(cognito: CognitoClient, session: UserSession): Promise<ClaimReader> {
  const claims = claimReader(session)
  const username = claims('cognito:username')
  if (typeof username !== 'string' || username === '')
    throw new CognitoAuthError(
      'ERR_COGNITO_CLAIM',
      'AdminGetUser needs the Cognito username: cognito:username (ID token) or username (access token)',
    )
  const issuer = String(claims('iss'))
  const user = await adminGetUser(cognito, { userPoolId: issuer.slice(issuer.lastIndexOf('/') + 1), username }).catch(
    (error: unknown) => {
      throw adminGetUserError(error)
    },
  )
  const attributes = new Map<string, unknown>(Object.entries(user.attributes))
  attributes.set('cognito:username', user.username).set('username', user.username)
  // A username freed by a deleted user can belong to someone else now: their attributes must not land in this sub's row.
  if (attributes.has('sub') && attributes.get('sub') !== claims('sub'))
    throw new CognitoAuthError('ERR_COGNITO_USER_NOT_FOUND', 'the Cognito user of that username is another user now')
  return (claim) => (attributes.has(claim) ? attributes.get(claim) : claims(claim))
}
