// The one parser of what Cognito answers to a sign-in step (InitiateAuth, RespondToAuthChallenge,
// refresh): new tokens, or the challenge to meet next — never a session for an unmet challenge.
import { CognitoAuthError } from '../errors'

/** Tokens Cognito issued (its `AuthenticationResult`). */
export interface CognitoTokens {
  /** The ID token (Cognito's `IdToken`). */
  readonly idToken: string
  /** The access token (Cognito's `AccessToken`). */
  readonly accessToken: string
  /** A refresh token when Cognito issued one (sign-in, or a rotation on refresh), else null. */
  readonly refreshToken: string | null
  /** Seconds the access token lives, as Cognito said; null when it said nothing (cognito-local). */
  readonly expiresIn: number | null
  /** Cognito's `TokenType`, `Bearer`. */
  readonly tokenType: string
}

/** A challenge to answer with `respondToChallenge`: MFA, NEW_PASSWORD_REQUIRED, … */
export interface CognitoChallenge {
  /** Cognito's `ChallengeName`, e.g. `SOFTWARE_TOKEN_MFA`. */
  readonly name: string
  /** The session to send back with the answer. */
  readonly session: string | null
  /** Cognito's `ChallengeParameters`. */
  readonly parameters: Readonly<Record<string, string>>
}

/** What a sign-in step gave: the tokens, or the next challenge. */
export type SignInResult =
  | { readonly kind: 'tokens'; readonly tokens: CognitoTokens }
  | { readonly kind: 'challenge'; readonly challenge: CognitoChallenge }

function stringMap(value: unknown): Readonly<Record<string, string>> {
  const map: Record<string, string> = {}
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) if (typeof item === 'string') map[key] = item
  }
  return Object.freeze(map)
}

/** Reads a sign-in answer; an answer with neither tokens nor a challenge is ERR_COGNITO_UNAVAILABLE. */
export function signInResult(answer: Record<string, unknown>, operation: string): SignInResult {
  if (typeof answer.ChallengeName === 'string' && answer.ChallengeName !== '') {
    const challenge: CognitoChallenge = {
      name: answer.ChallengeName,
      session: typeof answer.Session === 'string' ? answer.Session : null,
      parameters: stringMap(answer.ChallengeParameters),
    }
    return Object.freeze({ kind: 'challenge', challenge: Object.freeze(challenge) })
  }
  const result = answer.AuthenticationResult as Record<string, unknown> | null | undefined
  if (
    typeof result?.IdToken !== 'string' ||
    typeof result.AccessToken !== 'string' ||
    result.IdToken === '' ||
    result.AccessToken === ''
  ) {
    throw new CognitoAuthError('ERR_COGNITO_UNAVAILABLE', `Cognito ${operation} answered with neither tokens nor a challenge`)
  }
  const tokens: CognitoTokens = {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    refreshToken: typeof result.RefreshToken === 'string' && result.RefreshToken !== '' ? result.RefreshToken : null,
    expiresIn: typeof result.ExpiresIn === 'number' && Number.isFinite(result.ExpiresIn) ? result.ExpiresIn : null,
    tokenType: typeof result.TokenType === 'string' ? result.TokenType : 'Bearer',
  }
  return Object.freeze({ kind: 'tokens', tokens: Object.freeze(tokens) })
}
