// Reading a user's claims: from the verified tokens, or as attributes from Cognito's AdminGetUser
// (the seed's source), each by the claim's name.
import type { CognitoClient } from '../cognito/client'
import { CognitoAuthError } from '../errors'
import type { UserSession } from './user-store'

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

interface AdminGetUserAnswer {
  Username?: unknown
  UserAttributes?: readonly { Name?: unknown; Value?: unknown }[]
}

/** A Cognito failure as the request should see it: a deleted user is unknown, the rest is Cognito being unavailable. */
function adminGetUserError(error: unknown): CognitoAuthError {
  const failure = error as CognitoAuthError
  if (failure.code === 'ERR_COGNITO_NO_SUCH_USER')
    return new CognitoAuthError('ERR_COGNITO_USER_NOT_FOUND', 'Cognito has no such user any more', { cause: error })
  if (failure.code === 'ERR_COGNITO_UNAVAILABLE' || failure.code === 'ERR_COGNITO_THROTTLED') return failure
  // IAM or pool misconfiguration is not the client's fault; Cognito's own message may name an ARN, so it stays in `cause`.
  return new CognitoAuthError('ERR_COGNITO_UNAVAILABLE', `Cognito AdminGetUser failed (${failure.code})`, { cause: error })
}

/**
 * The user's attributes from `AdminGetUser` (the seed's source), answered as `[{Name, Value}]` plus the
 * Username. Claims Cognito does not keep as attributes, such as `cognito:groups`, still come from the tokens.
 */
export async function adminGetUserReader(client: CognitoClient, session: UserSession): Promise<ClaimReader> {
  const claims = claimReader(session)
  const username = claims('cognito:username')
  if (typeof username !== 'string' || username === '')
    throw new CognitoAuthError(
      'ERR_COGNITO_CLAIM',
      'AdminGetUser needs the Cognito username: cognito:username (ID token) or username (access token)',
    )
  const issuer = String(claims('iss'))
  const input = { UserPoolId: issuer.slice(issuer.lastIndexOf('/') + 1), Username: username }
  const answer = await client.call<AdminGetUserAnswer | null>('AdminGetUser', input).catch((error: unknown) => {
    throw adminGetUserError(error)
  })
  if (typeof answer !== 'object' || answer === null)
    throw new CognitoAuthError('ERR_COGNITO_UNAVAILABLE', 'Cognito AdminGetUser answered with something other than a user')
  const attributes = new Map<string, unknown>()
  if (typeof answer.Username === 'string') attributes.set('cognito:username', answer.Username).set('username', answer.Username)
  for (const attribute of Array.isArray(answer.UserAttributes) ? answer.UserAttributes : []) {
    if (typeof attribute?.Name === 'string' && typeof attribute.Value === 'string')
      attributes.set(attribute.Name, attribute.Value)
  }
  // A username freed by a deleted user can belong to someone else now: their attributes must not land in this sub's row.
  if (attributes.has('sub') && attributes.get('sub') !== claims('sub'))
    throw new CognitoAuthError('ERR_COGNITO_USER_NOT_FOUND', 'the Cognito user of that username is another user now')
  return (claim) => (attributes.has(claim) ? attributes.get(claim) : claims(claim))
}
