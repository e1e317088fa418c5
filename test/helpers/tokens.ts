// Mints Cognito-shaped tokens with local keys, including deliberately broken ones.
import { encodeBase64Url } from '../../src/token/base64url'
import type { TestKey } from './keys'

export const REGION = 'us-east-1'
export const POOL_ID = 'us-east-1_TestPool1'
export const OTHER_POOL_ID = 'eu-west-1_OtherPool'
export const CLIENT_ID = '1example23456789abcdefghij'
export const OTHER_CLIENT_ID = '2other456789abcdefghijklmn'
export const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`
export const NEW_ISSUER = `https://issuer-cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`
export const OTHER_ISSUER = `https://cognito-idp.eu-west-1.amazonaws.com/${OTHER_POOL_ID}`
export const JWKS_URI = `${ISSUER}/.well-known/jwks.json`
export const SUB = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'
/** The frozen clock of the tests: 2026-11-28T12:00:00Z, in milliseconds. */
export const NOW = Date.UTC(2026, 10, 28, 12)
export const NOW_SECONDS = NOW / 1000

const text = new TextEncoder()

export function b64url(value: string | Uint8Array): string {
  return encodeBase64Url(typeof value === 'string' ? text.encode(value) : value)
}

export function idClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sub: SUB,
    'cognito:groups': ['admins'],
    email_verified: true,
    iss: ISSUER,
    'cognito:username': 'alice',
    origin_jti: 'c2d4e6f8-0000-4000-8000-000000000001',
    aud: CLIENT_ID,
    event_id: 'e1f2a3b4-0000-4000-8000-000000000002',
    token_use: 'id',
    auth_time: NOW_SECONDS - 60,
    exp: NOW_SECONDS + 3600,
    iat: NOW_SECONDS - 60,
    jti: 'a1b2c3d4-0000-4000-8000-000000000003',
    email: 'alice@example.com',
    ...overrides,
  }
}

export function accessClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sub: SUB,
    'cognito:groups': ['admins'],
    iss: ISSUER,
    client_id: CLIENT_ID,
    origin_jti: 'c2d4e6f8-0000-4000-8000-000000000001',
    event_id: 'e1f2a3b4-0000-4000-8000-000000000002',
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin openid email',
    auth_time: NOW_SECONDS - 60,
    exp: NOW_SECONDS + 3600,
    iat: NOW_SECONDS - 60,
    jti: 'a1b2c3d4-0000-4000-8000-000000000004',
    username: 'alice',
    ...overrides,
  }
}

/** Signs `<header segment>.<payload segment>` as given (no re-encoding) with RS256. */
export async function signSegments(headerSegment: string, payloadSegment: string, key: TestKey): Promise<string> {
  const input = `${headerSegment}.${payloadSegment}`
  const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key.privateKey, text.encode(input))
  return `${input}.${b64url(new Uint8Array(signature))}`
}

/** Signs raw header and payload JSON text, byte for byte, with RS256. */
export function signJsonText(headerJson: string, payloadJson: string, key: TestKey): Promise<string> {
  return signSegments(b64url(headerJson), b64url(payloadJson), key)
}

/** A token as Cognito would issue it; `header` entries replace the defaults (undefined removes). */
export function mint(key: TestKey, claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  const fullHeader = JSON.stringify({ kid: key.kid, alg: 'RS256', ...header })
  return signJsonText(fullHeader, JSON.stringify(claims), key)
}
