// What the /auth endpoints answer after a sign-in step: the tokens (and, in cookie mode, the
// session cookies) or the challenge to meet next — never a session for an unmet challenge.
import type { Context } from 'hono'
import type { SignInResult } from '../../cognito/sign-in-result'
import { sessionCookies } from '../../session/cookies'
import type { ResolvedEdge } from '../settings'

/** Answers a sign-in step: the challenge (MFA, NEW_PASSWORD_REQUIRED, …) as is, or the tokens. */
export function signInAnswer(c: Context, edge: ResolvedEdge, result: SignInResult): Response {
  c.header('cache-control', 'no-store')
  if (result.kind === 'challenge') {
    const { name, session, parameters } = result.challenge
    return c.json({ ChallengeName: name, Session: session, ChallengeParameters: parameters })
  }
  const { idToken, accessToken, refreshToken, expiresIn, tokenType } = result.tokens
  const tokens = {
    AccessToken: accessToken,
    IdToken: idToken,
    ...(refreshToken !== null ? { RefreshToken: refreshToken } : {}),
    ExpiresIn: expiresIn,
    TokenType: tokenType,
  }
  if (edge.cookies) {
    for (const cookie of sessionCookies({ id: idToken, access: accessToken, refresh: refreshToken }, edge.cookies, edge.now())) {
      c.header('set-cookie', cookie, { append: true })
    }
    // Tokens kept in HttpOnly cookies stay out of the body too: a script that could read them
    // there (an XSS calling /auth/refresh) would undo HttpOnly.
    if (edge.cookies.httpOnly) return c.json({ ExpiresIn: expiresIn, TokenType: tokenType })
  }
  return c.json(tokens)
}
