// What the /auth endpoints answer after a Cognito sign-in step: the tokens (and, in cookie mode,
// the session cookies) or the challenge to meet next — never a session for an unmet challenge.
import type { Context } from 'hono'
import { CognitoAuthError } from '../errors'
import { sessionCookies } from '../session/cookies'
import { peekClaims } from '../token/peek'
import type { ResolvedRoutesOptions } from './routes-options'

interface SignInAnswer {
  AuthenticationResult?: {
    AccessToken?: unknown
    IdToken?: unknown
    RefreshToken?: unknown
    ExpiresIn?: unknown
    TokenType?: unknown
  }
  ChallengeName?: unknown
  Session?: unknown
  ChallengeParameters?: unknown
}

/** Answers a sign-in step: the challenge (MFA, NEW_PASSWORD_REQUIRED, …) as is, or the tokens. */
export function authResult(c: Context, config: ResolvedRoutesOptions, answer: SignInAnswer): Response {
  c.header('cache-control', 'no-store')
  if (typeof answer.ChallengeName === 'string') {
    return c.json({
      ChallengeName: answer.ChallengeName,
      Session: answer.Session ?? null,
      ChallengeParameters: answer.ChallengeParameters ?? {},
    })
  }
  const result = answer.AuthenticationResult
  if (!result || typeof result.AccessToken !== 'string' || typeof result.IdToken !== 'string') {
    throw new CognitoAuthError('ERR_COGNITO_REQUEST_FAILED', 'Cognito answered with neither tokens nor a challenge')
  }
  const tokens = {
    AccessToken: result.AccessToken,
    IdToken: result.IdToken,
    ...(typeof result.RefreshToken === 'string' ? { RefreshToken: result.RefreshToken } : {}),
    ExpiresIn: typeof result.ExpiresIn === 'number' ? result.ExpiresIn : null,
    TokenType: typeof result.TokenType === 'string' ? result.TokenType : 'Bearer',
  }
  if (config.cookies) {
    const cookies = sessionCookies(
      { id: tokens.IdToken, access: tokens.AccessToken, refresh: tokens.RefreshToken ?? null },
      config.cookies,
      config.now(),
    )
    for (const cookie of cookies) c.header('set-cookie', cookie, { append: true })
    // Tokens kept in HttpOnly cookies stay out of the body too: a script that could read them
    // there (an XSS calling /auth/refresh) would undo HttpOnly.
    if (config.cookies.httpOnly) return c.json({ ExpiresIn: tokens.ExpiresIn, TokenType: tokens.TokenType })
  }
  return c.json(tokens)
}

/** A string claim read without verification: see peekClaims for when that is sound. */
export function unverifiedClaim(token: string | null, name: string): string | null {
  const value = peekClaims(token)?.[name]
  return typeof value === 'string' ? value : null
}
