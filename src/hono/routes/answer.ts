// What the /auth endpoints answer after a sign-in step: the tokens (and, in cookie mode, the
// session cookies) or the challenge to meet next — never a session for an unmet challenge.
import type { Context } from 'hono'
import type { CognitoTokens, SignInResult } from '../../cognito/sign-in-result'
import { sessionCookies } from '../../session/cookies'
import { verifyIssued } from '../issued'
import type { ResolvedEdge } from '../settings'

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
  await verifyIssued(edge, result.tokens.idToken, result.tokens.accessToken)
  return tokensAnswer(c, edge, result.tokens)
}

/** Answers verified tokens: `{AuthenticationResult, ChallengeParameters: {}}`, and the session cookies in cookie mode. */
export function tokensAnswer(c: Context, edge: ResolvedEdge, issued: CognitoTokens): Response {
  c.header('cache-control', 'no-store')
  const { idToken, accessToken, refreshToken, expiresIn, tokenType } = issued
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
