// Reading a JWT's claims WITHOUT verifying it, for the two places where that is sound: a cookie's
// Max-Age from a token just issued by Cognito, and a username handed back to Cognito, which
// checks it itself (inside SECRET_HASH). Never for a decision about access.
import { decodeBase64Url } from './base64url'

export function unverifiedClaims(token: string | null | undefined): Record<string, unknown> | null {
  if (!token) return null
  try {
    const payload: unknown = JSON.parse(new TextDecoder().decode(decodeBase64Url(token.split('.')[1] ?? '')))
    return typeof payload === 'object' && payload !== null && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : null
  } catch {
    return null
  }
}
