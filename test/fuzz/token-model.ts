// What the verifier may answer for a token that nobody signed over its bytes: a model of the
// documented order of checks (DESIGN.md; parse → header → issuer → key → signature), written
// without src/ (atob and JSON.parse), so that it can disagree with the parser.
import type { CognitoErrorCode } from '../../src/index'
import { ISSUER, NEW_ISSUER } from '../helpers/tokens'

/** DESIGN.md: "tokens over 16 KiB are rejected before decoding". */
export const MAX_TOKEN_LENGTH = 16 * 1024
/** Header members the verifier refuses (ERROR_CODES names crit, jku, x5u, jwk, x5c; RFC 7797 b64 and RFC 7516 zip change what is signed). */
export const REFUSED_HEADER_MEMBERS = ['crit', 'jku', 'x5u', 'jwk', 'x5c', 'b64', 'zip']

/** Decodes canonical unpadded base64url independently of src/ (atob, then re-encoding must give the text back). */
export function decodeCanonical(segment: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(segment) || segment.length % 4 === 1) return null
  const binary = atob(segment.replace(/-/g, '+').replace(/_/g, '/'))
  const again = btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  return again === segment ? Uint8Array.from(binary, (char) => char.charCodeAt(0)) : null
}

export function jsonObject(bytes: Uint8Array): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes))
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}

/**
 * The codes allowed for a token whose signature was not made by the pool's key over its bytes: a
 * model of the documented order (parse → header → issuer → key → signature). Nothing such a token
 * carries can reach the claim rules. `kid`: the pool's one key. `clean`: the JSON texts are known
 * to hold no duplicate member and no deep nesting (otherwise ERR_COGNITO_TOKEN_MALFORMED is
 * allowed as well).
 */
export function codesForUnsigned(token: string, { clean, kid }: { clean: boolean; kid: string }): CognitoErrorCode[] {
  if (token === '') return ['ERR_COGNITO_TOKEN_MISSING']
  const parts = token.split('.')
  if (token.length > MAX_TOKEN_LENGTH || parts.length !== 3 || parts.includes('')) return ['ERR_COGNITO_TOKEN_MALFORMED']
  const decoded = parts.map(decodeCanonical)
  if (decoded.includes(null)) return ['ERR_COGNITO_TOKEN_MALFORMED']
  const header = jsonObject(decoded[0] as Uint8Array)
  const payload = jsonObject(decoded[1] as Uint8Array)
  if (!header || !payload) return ['ERR_COGNITO_TOKEN_MALFORMED']
  const codes: CognitoErrorCode[] = clean ? [] : ['ERR_COGNITO_TOKEN_MALFORMED']
  const headerFaults: CognitoErrorCode[] = []
  if (header.alg !== 'RS256') headerFaults.push('ERR_COGNITO_ALGORITHM')
  if (REFUSED_HEADER_MEMBERS.some((member) => Object.hasOwn(header, member))) headerFaults.push('ERR_COGNITO_HEADER_UNSUPPORTED')
  if (typeof header.kid !== 'string' || header.kid === '') headerFaults.push('ERR_COGNITO_KID')
  if (headerFaults.length > 0) return [...codes, ...headerFaults]
  if (payload.iss !== ISSUER && payload.iss !== NEW_ISSUER) return [...codes, 'ERR_COGNITO_ISSUER']
  if (header.kid !== kid) return [...codes, 'ERR_COGNITO_KID']
  return [...codes, 'ERR_COGNITO_SIGNATURE']
}
