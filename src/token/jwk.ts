// Which keys of a key set may verify Cognito tokens. A key that fails any rule is never used;
// a set that is not a JSON Web Key Set at all is refused whole.
import { decodeBase64Url } from './base64url'

/** More keys than this in one set is not a Cognito key set (Cognito publishes two). */
export const MAX_KEYS_PER_SET = 20
const MIN_MODULUS_BITS = 2048
/** Past this, one signature check costs enough to be a denial-of-service lever. */
const MAX_MODULUS_BITS = 8192
const MAX_KID_LENGTH = 256

/** The public members of an RSA key that passed every rule. */
export interface RsaVerificationKey {
  readonly kid: string
  readonly n: string
  readonly e: string
}

function modulusBits(n: string): number {
  const bytes = decodeBase64Url(n)
  let first = 0
  while (first < bytes.length && bytes[first] === 0) first++
  if (first === bytes.length) return 0
  return (bytes.length - first - 1) * 8 + (32 - Math.clz32(bytes[first] as number))
}

function exponentIsSound(e: string): boolean {
  const bytes = decodeBase64Url(e)
  if (bytes.length === 0 || bytes.length > 4) return false
  const value = bytes.reduce((total, byte) => total * 256 + byte, 0)
  return value >= 3 && value % 2 === 1 // e = 1 would make every "signature" verify
}

/** The key if RSA, `use` absent or `sig`, `alg` absent or `RS256`, 2048–8192-bit, with a kid; else null. */
export function rsaVerificationKey(jwk: unknown): RsaVerificationKey | null {
  if (typeof jwk !== 'object' || jwk === null) return null
  const { kty, kid, use, alg, key_ops: keyOps, n, e } = jwk as Record<string, unknown>
  if (kty !== 'RSA' || typeof n !== 'string' || typeof e !== 'string') return null
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > MAX_KID_LENGTH) return null
  if ((use !== undefined && use !== 'sig') || (alg !== undefined && alg !== 'RS256')) return null
  if (keyOps !== undefined && !(Array.isArray(keyOps) && keyOps.includes('verify'))) return null
  try {
    const bits = modulusBits(n)
    if (bits < MIN_MODULUS_BITS || bits > MAX_MODULUS_BITS || !exponentIsSound(e)) return null
  } catch {
    return null // n or e is not canonical base64url
  }
  return { kid, n, e }
}

/**
 * The usable keys of a key set by kid, or null when the value is not a key set, has too many
 * keys, or has no usable key. A kid that appears twice is ambiguous and neither copy is used.
 */
export function usableKeys(set: unknown): Map<string, RsaVerificationKey> | null {
  if (typeof set !== 'object' || set === null) return null
  const { keys } = set as { keys?: unknown }
  if (!Array.isArray(keys) || keys.length > MAX_KEYS_PER_SET) return null
  const usable = new Map<string, RsaVerificationKey>()
  const seen = new Set<string>()
  for (const jwk of keys) {
    const kid = (jwk as { kid?: unknown } | null)?.kid
    if (typeof kid === 'string' && seen.has(kid)) {
      usable.delete(kid)
      continue
    }
    if (typeof kid === 'string') seen.add(kid)
    const key = rsaVerificationKey(jwk)
    if (key) usable.set(key.kid, key)
  }
  return usable.size === 0 ? null : usable
}
