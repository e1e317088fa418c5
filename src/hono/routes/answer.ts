// What the /auth endpoints answer after a sign-in step: the tokens (and, in cookie mode, the
// session cookies) or the challenge to meet next — never a session for an unmet challenge.
import type { Context } from 'hono'
import type { SignInResult } from '../../cognito/sign-in-result'
import { CognitoAuthError, isCognitoAuthError } from '../../errors'
import { sessionCookies } from '../../session/cookies'
import type { CognitoAccessTokenClaims, CognitoIdTokenClaims } from '../../token/claims'
import type { ResolvedEdge } from '../settings'

/**
 * Holds tokens Cognito just issued to the verifier's rules before they become cookies or a body:
 * an answer that does not verify (a proxy's garbage, another pool) is Cognito failing, never a session.
 */
export async function checkIssued(
  edge: ResolvedEdge,
  idToken: string,
  accessToken: string,
): Promise<{ idClaims: CognitoIdTokenClaims; accessClaims: CognitoAccessTokenClaims }> {
  try {
    const [idClaims, accessClaims] = await Promise.all([
      edge.core.verify(idToken, { tokenUse: 'id' }) as Promise<CognitoIdTokenClaims>,
      edge.core.verify(accessToken, { tokenUse: 'access' }) as Promise<CognitoAccessTokenClaims>,
    ])
    return { idClaims, accessClaims }
  } catch (error) {
    if (isCognitoAuthError(error, 'ERR_COGNITO_KEYS_UNAVAILABLE')) throw error
    throw new CognitoAuthError('ERR_COGNITO_UNAVAILABLE', 'Cognito answered with tokens that do not verify', { cause: error })
  }
}

/**
 * Answers a sign-in step in Cognito's own shape, as the seed passed it on: the challenge (MFA,
 * NEW_PASSWORD_REQUIRED, …) as `{ChallengeName, Session, ChallengeParameters}`, or the tokens as
 * `{AuthenticationResult, ChallengeParameters: {}}` — without AWS's ResponseMetadata.
 */
export async function signInAnswer(c: Context, edge: ResolvedEdge, result: SignInResult): Promise<Response> {
  c.header('cache-control', 'no-store')
  if (result.kind === 'challenge') {
    const { name, session, parameters } = result.challenge
    return c.json({ ChallengeName: name, Session: session, ChallengeParameters: parameters })
  }
  const { idToken, accessToken, refreshToken, expiresIn, tokenType } = result.tokens
  await checkIssued(edge, idToken, accessToken)
  // Cognito always says how long the tokens live; an emulator may not, and then neither do we.
  const lifetime = { ...(expiresIn !== null ? { ExpiresIn: expiresIn } : {}), TokenType: tokenType }
  if (edge.cookies) {
    for (const cookie of sessionCookies({ id: idToken, access: accessToken, refresh: refreshToken }, edge.cookies, edge.now())) {
      c.header('set-cookie', cookie, { append: true })
    }
    // Tokens kept in HttpOnly cookies stay out of the body too: a script that could read them
    // there (an XSS calling /auth/refresh) would undo HttpOnly. The shape stays.
    if (edge.cookies.httpOnly) return c.json({ AuthenticationResult: lifetime, ChallengeParameters: {} })
  }
  const tokens = {
    AccessToken: accessToken,
    IdToken: idToken,
    ...(refreshToken !== null ? { RefreshToken: refreshToken } : {}),
    ...lifetime,
  }
  return c.json({ AuthenticationResult: tokens, ChallengeParameters: {} })
}
