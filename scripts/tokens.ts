// A fresh RSA key and Cognito-shaped RS256 tokens signed with it, made with Web Crypto: the
// fixtures of the tarball's runtime matrix (runtimes.ts) and of the cold-start timing (size.ts).
import { webcrypto } from 'node:crypto'

const { subtle } = webcrypto
const text = new TextEncoder()
const base64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url')

export interface SigningKey {
  readonly kid: string
  readonly privateKey: CryptoKey
  /** The public half as it appears in a key set. */
  readonly publicJwk: JsonWebKey
}

export async function createSigningKey(kid: string): Promise<SigningKey> {
  const pair = await subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )
  const { kty, n, e } = await subtle.exportKey('jwk', pair.publicKey)
  return { kid, privateKey: pair.privateKey, publicJwk: { kty, n, e, kid, alg: 'RS256', use: 'sig' } as JsonWebKey }
}

/** The claims of a Cognito access token, valid from a minute ago for an hour (unless overridden). */
export function accessClaims(fields: {
  issuer: string
  clientId: string
  sub: string
  now?: number
  overrides?: Record<string, unknown>
}): Record<string, unknown> {
  const now = Math.floor((fields.now ?? Date.now()) / 1000)
  return {
    sub: fields.sub,
    iss: fields.issuer,
    client_id: fields.clientId,
    origin_jti: crypto.randomUUID(),
    event_id: crypto.randomUUID(),
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: now - 60,
    iat: now - 60,
    exp: now + 3600,
    jti: crypto.randomUUID(),
    username: 'matrix-user',
    ...fields.overrides,
  }
}

export async function signToken(key: SigningKey, claims: Record<string, unknown>): Promise<string> {
  const input = `${base64url(JSON.stringify({ kid: key.kid, alg: 'RS256' }))}.${base64url(JSON.stringify(claims))}`
  const signature = await subtle.sign('RSASSA-PKCS1-v1_5', key.privateKey, text.encode(input))
  return `${input}.${base64url(new Uint8Array(signature))}`
}

/** The token with `changes` written into its payload (canonically re-encoded) and the old signature kept. */
export function tamper(token: string, changes: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.') as [string, string, string]
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
  return `${header}.${base64url(JSON.stringify({ ...claims, ...changes }))}.${signature}`
}
