// Canonical base64url (RFC 4648 §5, as JWS uses it per RFC 7515 §2): no padding, no characters
// outside the URL-safe alphabet, and zero "stray" bits in the last character, so each byte string
// has exactly one encoding and a token cannot be altered without changing its signed bytes.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const VALUES = new Int8Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index)
  const value = code < 128 ? (VALUES[code] as number) : -1
  if (value < 0) throw new TypeError('not base64url')
  return value
}

/** Decodes canonical unpadded base64url; throws `TypeError` for anything else. */
export function decodeBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const tail = text.length % 4
  if (tail === 1) throw new TypeError('not base64url')
  const bytes = new Uint8Array((text.length >> 2) * 3 + (tail === 0 ? 0 : tail - 1))
  const whole = text.length - tail
  let out = 0
  for (let i = 0; i < whole; i += 4) {
    const n = (sextet(text, i) << 18) | (sextet(text, i + 1) << 12) | (sextet(text, i + 2) << 6) | sextet(text, i + 3)
    bytes[out++] = n >> 16
    bytes[out++] = (n >> 8) & 0xff
    bytes[out++] = n & 0xff
  }
  if (tail === 2) {
    const last = sextet(text, whole + 1)
    if ((last & 0x0f) !== 0) throw new TypeError('non-canonical base64url')
    bytes[out] = (sextet(text, whole) << 2) | (last >> 4)
  } else if (tail === 3) {
    const last = sextet(text, whole + 2)
    if ((last & 0x03) !== 0) throw new TypeError('non-canonical base64url')
    const middle = sextet(text, whole + 1)
    bytes[out++] = (sextet(text, whole) << 2) | (middle >> 4)
    bytes[out] = ((middle & 0x0f) << 4) | (last >> 2)
  }
  return bytes
}

/** Encodes bytes as unpadded base64url. */
export function encodeBase64Url(bytes: Uint8Array): string {
  let text = ''
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number)
    text += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!
  }
  const rest = bytes.length - i
  if (rest === 1) {
    const n = (bytes[i] as number) << 16
    text += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8)
    text += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!
  }
  return text
}
