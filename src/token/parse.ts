// Strict parsing of a compact JWS (RFC 7515 §7.1) before any key is looked up or any crypto runs.
import { CognitoAuthError } from '../errors'
import { decodeBase64Url } from './base64url'
import { parseJsonObject } from './json'

/** Tokens longer than this are refused before decoding. Cognito's are 1–4 KiB. */
export const MAX_TOKEN_LENGTH = 16 * 1024

export interface ParsedJws {
  readonly header: Record<string, unknown>
  readonly payload: Record<string, unknown>
  /** ASCII bytes of `header.payload`, what the signature covers. */
  readonly signingInput: Uint8Array<ArrayBuffer>
  readonly signature: Uint8Array<ArrayBuffer>
}

const ascii = new TextEncoder()

/**
 * Decoded headers by their exact segment. A pool's tokens share a handful of headers (alg and kid
 * only), so this spares most tokens a decode and parse. Plain data, bounded, short segments only.
 */
const decodedHeaders = new Map<string, Record<string, unknown>>()
const MAX_DECODED_HEADERS = 64
const MAX_CACHED_HEADER_LENGTH = 256

function malformed(message: string, cause?: unknown): CognitoAuthError {
  return new CognitoAuthError('ERR_COGNITO_TOKEN_MALFORMED', message, cause === undefined ? undefined : { cause })
}

function decodeJsonSegment(segment: string, name: 'header' | 'payload'): Record<string, unknown> {
  let bytes: Uint8Array
  try {
    bytes = decodeBase64Url(segment)
  } catch (cause) {
    throw malformed(`token ${name} is not canonical base64url`, cause)
  }
  try {
    return parseJsonObject(bytes)
  } catch (cause) {
    throw malformed(`token ${name} is not a strict UTF-8 JSON object`, cause)
  }
}

/** Splits and decodes a compact JWS; every defect is `ERR_COGNITO_TOKEN_MALFORMED`. */
export function parseCompactJws(token: string): ParsedJws {
  if (token === undefined || token === null || token === '') {
    throw new CognitoAuthError('ERR_COGNITO_TOKEN_MISSING', 'no token was given')
  }
  if (typeof token !== 'string') throw malformed('the token is not a string')
  if (token.length > MAX_TOKEN_LENGTH) throw malformed(`token is longer than ${MAX_TOKEN_LENGTH} characters`)
  const firstDot = token.indexOf('.')
  const secondDot = token.indexOf('.', firstDot + 1)
  if (firstDot <= 0 || secondDot <= firstDot + 1 || secondDot === token.length - 1 || token.indexOf('.', secondDot + 1) !== -1) {
    throw malformed('token is not three non-empty dot-separated segments')
  }
  const headerSegment = token.slice(0, firstDot)
  let header = decodedHeaders.get(headerSegment)
  if (header === undefined) {
    header = Object.freeze(decodeJsonSegment(headerSegment, 'header'))
    if (headerSegment.length <= MAX_CACHED_HEADER_LENGTH && decodedHeaders.size < MAX_DECODED_HEADERS) {
      decodedHeaders.set(headerSegment, header)
    }
  }
  const payload = decodeJsonSegment(token.slice(firstDot + 1, secondDot), 'payload')
  let signature: Uint8Array<ArrayBuffer>
  try {
    signature = decodeBase64Url(token.slice(secondDot + 1))
  } catch (cause) {
    throw malformed('token signature is not canonical base64url', cause)
  }
  return { header, payload, signingInput: ascii.encode(token.slice(0, secondDot)) as Uint8Array<ArrayBuffer>, signature }
}
