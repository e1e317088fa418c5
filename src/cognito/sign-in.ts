// Signing in with a password (InitiateAuth USER_PASSWORD_AUTH) and answering the challenges Cognito
// may return (RespondToAuthChallenge). A wrong password and an unknown user read exactly alike.
import { CognitoAuthError, isCognitoAuthError } from '../errors'
import { type SignInResult, signInResult } from './sign-in-result'
import { type CognitoClient, appClientOf } from './transport'

/** A password sign-in. */
export interface SignInInput {
  /** The username, or an alias the pool signs in by (email, phone number). */
  readonly username: string
  /** The password. */
  readonly password: string
}

/** An answer to a sign-in challenge. */
export interface ChallengeAnswerInput {
  /** The username that signed in. */
  readonly username: string
  /** The `name` of the challenge being answered, e.g. `SOFTWARE_TOKEN_MFA`. */
  readonly challengeName: string
  /** The challenge's `session`. */
  readonly session: string
  /** Cognito's ChallengeResponses, e.g. `{ SOFTWARE_TOKEN_MFA_CODE: '123456' }` or `{ NEW_PASSWORD: '…' }`. */
  readonly responses: Readonly<Record<string, string>>
}

const WRONG_CREDENTIALS = 'Incorrect username or password.'

/**
 * Refusals that would tell a stranger whether an account exists all read the same. On the password
 * step an "invalid password" can only mean a wrong one (cognito-local says it that way).
 */
function hideAccountExistence(error: unknown, passwordStep: boolean): unknown {
  const hidden =
    isCognitoAuthError(error, 'ERR_COGNITO_NOT_AUTHORIZED', 'ERR_COGNITO_NO_SUCH_USER') ||
    (passwordStep && isCognitoAuthError(error, 'ERR_COGNITO_INVALID_PASSWORD'))
  return hidden ? new CognitoAuthError('ERR_COGNITO_NOT_AUTHORIZED', WRONG_CREDENTIALS, { cause: error }) : error
}

/**
 * InitiateAuth with USER_PASSWORD_AUTH: the tokens, or a challenge (MFA, NEW_PASSWORD_REQUIRED, …)
 * to answer with `respondToChallenge` — never skipped.
 *
 * @example
 * ```ts
 * const result = await signIn(cognito, { username: 'alice', password: 'correct horse' })
 * if (result.kind === 'challenge') console.log(result.challenge.name) // e.g. SOFTWARE_TOKEN_MFA
 * ```
 */
export async function signIn(cognito: CognitoClient, input: SignInInput): Promise<SignInResult> {
  const { clientId } = appClientOf(cognito, 'signIn')
  const parameters: Record<string, string> = { USERNAME: input.username, PASSWORD: input.password }
  const hash = await cognito.secretHash(input.username)
  if (hash !== null) parameters.SECRET_HASH = hash
  const body = { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: parameters }
  const answer = await cognito.call('InitiateAuth', body).catch((error: unknown) => {
    throw hideAccountExistence(error, true)
  })
  return signInResult(answer, 'InitiateAuth')
}

/** RespondToAuthChallenge: the tokens, or the next challenge. */
export async function respondToChallenge(cognito: CognitoClient, input: ChallengeAnswerInput): Promise<SignInResult> {
  const { clientId } = appClientOf(cognito, 'respondToChallenge')
  const responses: Record<string, string> = { ...input.responses, USERNAME: input.username }
  const hash = await cognito.secretHash(input.username)
  if (hash !== null) responses.SECRET_HASH = hash
  const body = { ClientId: clientId, ChallengeName: input.challengeName, Session: input.session, ChallengeResponses: responses }
  const answer = await cognito.call('RespondToAuthChallenge', body).catch((error: unknown) => {
    throw hideAccountExistence(error, false)
  })
  return signInResult(answer, 'RespondToAuthChallenge')
}
