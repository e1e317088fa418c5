// The sign-in transaction of managed login — state, PKCE verifier, nonce and return path — kept
// between /auth/oauth2/login and the callback in one cookie that the browser can neither read nor
// forge: AES-256-GCM under a key derived by HKDF-SHA-256 from the app's secret (Web Crypto only,
// so it runs wherever the rest does). Framework-free: a cookie value in, a transaction out.
import { decodeBase64Url, encodeBase64Url } from '../token/base64url'

export interface Transaction {
  /** The OAuth `state`, compared with the callback's (RFC 6749 §10.12). */
  readonly state: string
  /** The PKCE code verifier (RFC 7636); only its S256 challenge leaves the Worker before the exchange. */
  readonly codeVerifier: string
  /** Sent to Cognito, expected back in the ID token. */
  readonly nonce: string
  /** A same-origin path, already made safe. */
  readonly returnTo: string
  /** Milliseconds since the epoch after which the transaction is refused. */
  readonly expiresAt: number
}

export type OpenedTransaction =
  | { readonly transaction: Transaction; readonly problem?: never }
  | { readonly problem: 'invalid' | 'expired'; readonly transaction?: never }

const VERSION = 'v1'
const IV_BYTES = 12
/** Ties a sealed value to this use and format: anything sealed for another purpose never opens here. */
const ADDITIONAL_DATA = 'cognito-edge oauth2 transaction v1'
const HKDF_SALT = 'cognito-edge'
const HKDF_INFO = 'oauth2 transaction cookie v1'
// Encoded where used, not at import: a call at module scope stays in every bundle that imports the file.
const bytes = (value: string) => new TextEncoder().encode(value)

/** 256 random bits in base64url (43 characters): state, nonce and PKCE verifier (RFC 7636 §4.1 asks 43–128). */
export function randomToken(): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)))
}

/** A fresh transaction: random state, verifier and nonce, expiring `maxAgeSeconds` from `now` (ms). */
export function newTransaction(returnTo: string, now: number, maxAgeSeconds: number): Transaction {
  return {
    state: randomToken(),
    codeVerifier: randomToken(),
    nonce: randomToken(),
    returnTo,
    expiresAt: now + maxAgeSeconds * 1000,
  }
}

/** The AES-256-GCM key for transaction cookies, derived from the secret (HKDF-SHA-256, RFC 5869). */
export async function transactionKey(secret: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', bytes(secret), 'HKDF', false, ['deriveKey'])
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: bytes(HKDF_SALT), info: bytes(HKDF_INFO) },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  )
}

/** The cookie value: `v1.<iv>.<ciphertext and tag>`, both base64url (cookie-safe as they are). */
export async function sealTransaction(key: CryptoKey, transaction: Transaction): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES))
  const { state, codeVerifier, nonce, returnTo, expiresAt } = transaction
  const plaintext = bytes(JSON.stringify({ s: state, v: codeVerifier, n: nonce, r: returnTo, x: expiresAt }))
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: bytes(ADDITIONAL_DATA) }, key, plaintext)
  return `${VERSION}.${encodeBase64Url(iv)}.${encodeBase64Url(new Uint8Array(sealed))}`
}

function fields(payload: unknown): Transaction | null {
  const { s, v, n, r, x } = (payload ?? {}) as Record<string, unknown>
  if (typeof s !== 'string' || typeof v !== 'string' || typeof n !== 'string' || typeof r !== 'string') return null
  if (typeof x !== 'number' || !Number.isFinite(x)) return null
  return { state: s, codeVerifier: v, nonce: n, returnTo: r, expiresAt: x }
}

/**
 * The transaction a cookie value holds; `invalid` when it is malformed, tampered with or sealed
 * under another key (the GCM tag decides, so no byte of it can be chosen), `expired` past its time.
 */
export async function openTransaction(key: CryptoKey, value: string, now: number): Promise<OpenedTransaction> {
  const [version, iv, sealed, extra] = value.split('.')
  if (version !== VERSION || iv === undefined || sealed === undefined || extra !== undefined) return { problem: 'invalid' }
  let transaction: Transaction | null
  try {
    const ivBytes = decodeBase64Url(iv)
    if (ivBytes.length !== IV_BYTES) return { problem: 'invalid' }
    const params = { name: 'AES-GCM', iv: ivBytes, additionalData: bytes(ADDITIONAL_DATA) }
    const plaintext = await crypto.subtle.decrypt(params, key, decodeBase64Url(sealed))
    transaction = fields(JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(plaintext)))
  } catch {
    return { problem: 'invalid' }
  }
  if (transaction === null) return { problem: 'invalid' }
  if (now >= transaction.expiresAt) return { problem: 'expired' }
  return { transaction }
}
