// Strict JSON for JOSE headers and claim sets: valid UTF-8 without a byte-order mark, a JSON
// object at the top, no duplicate member names at any depth (RFC 7515 §5.2 lets a parser reject
// them, and two parsers disagreeing on which one wins is how claims get smuggled), bounded depth.

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Deeper than any Cognito token needs; keeps hostile nesting cheap to refuse. */
export const MAX_JSON_DEPTH = 16

const QUOTE = 0x22
const BACKSLASH = 0x5c

/** Decodes UTF-8 bytes into a JSON object with unique member names; throws `TypeError` otherwise. */
export function parseJsonObject(bytes: Uint8Array): Record<string, unknown> {
  const text = utf8.decode(bytes) // fatal: invalid UTF-8 throws
  if (text.charCodeAt(0) === 0xfeff) throw new TypeError('byte-order mark')
  const value: unknown = JSON.parse(text)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('not a JSON object')
  assertUniqueMembers(text)
  return value as Record<string, unknown>
}

/** The end index of the string literal opening at `start` (the index of its closing quote). */
function closingQuote(text: string, start: number): number {
  let end = text.indexOf('"', start + 1)
  for (;;) {
    let backslashes = 0
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++
    if (backslashes % 2 === 0) return end
    end = text.indexOf('"', end + 1)
  }
}

/**
 * Walks text that `JSON.parse` already accepted and throws on a repeated member name within one
 * object (compared after unescaping, so `"a"` and `"\u0061"` collide) or on nesting past the limit.
 */
function assertUniqueMembers(text: string): void {
  const objects: (Set<string> | null)[] = [] // one entry per open container; null for arrays
  let expectName = false
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === QUOTE) {
      const end = closingQuote(text, i)
      if (expectName) {
        const raw = text.slice(i + 1, end)
        const name = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw
        const names = objects[objects.length - 1] as Set<string>
        if (names.has(name)) throw new TypeError('duplicate member name')
        names.add(name)
        expectName = false
      }
      i = end
    } else if (code === 0x7b /* { */ || code === 0x5b /* [ */) {
      if (objects.length === MAX_JSON_DEPTH) throw new TypeError('nested too deeply')
      objects.push(code === 0x7b ? new Set() : null)
      expectName = code === 0x7b
    } else if (code === 0x7d /* } */ || code === 0x5d /* ] */) {
      objects.pop()
    } else if (code === 0x2c /* , */) {
      expectName = objects[objects.length - 1] !== null
    }
  }
}
