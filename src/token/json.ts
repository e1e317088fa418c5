// Strict JSON for JOSE headers and claim sets: valid UTF-8 without a byte-order mark, a JSON
// object at the top, no duplicate member names at any depth (RFC 7515 §5.2 lets a parser reject
// them, and two parsers disagreeing on which one wins is how claims get smuggled), bounded depth.

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Deeper than any Cognito token needs; keeps hostile nesting cheap to refuse. */
export const MAX_JSON_DEPTH = 16

const BACKSLASH = 0x5c
const COLON = 0x3a

/** Decodes UTF-8 bytes into a JSON object with unique member names; throws `TypeError` otherwise. */
export function parseJsonObject(bytes: Uint8Array): Record<string, unknown> {
  const text = utf8.decode(bytes) // fatal: invalid UTF-8 throws
  if (text.charCodeAt(0) === 0xfeff) throw new TypeError('byte-order mark')
  const value: unknown = JSON.parse(text)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('not a JSON object')
  assertUniqueMembers(text, value)
  return value as Record<string, unknown>
}

/** Where the string literal opening at `start` ends (the index of its closing quote). */
function closingQuote(text: string, start: number): number {
  let end = text.indexOf('"', start + 1)
  for (;;) {
    let backslashes = 0
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++
    if (backslashes % 2 === 0) return end
    end = text.indexOf('"', end + 1)
  }
}

/** Member names written in text that JSON.parse accepted: string literals followed by a colon. */
function writtenMemberNames(text: string): number {
  let names = 0
  for (let quote = text.indexOf('"'); quote !== -1;) {
    let next = closingQuote(text, quote) + 1
    let code = text.charCodeAt(next)
    while (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) code = text.charCodeAt(++next)
    if (code === COLON) names++
    quote = text.indexOf('"', next)
  }
  return names
}

/** Members the parsed value kept; throws past the depth limit. */
function keptMembers(value: unknown, depth: number): number {
  if (typeof value !== 'object' || value === null) return 0
  if (depth > MAX_JSON_DEPTH) throw new TypeError('nested too deeply')
  let members = 0
  if (Array.isArray(value)) {
    for (const item of value) members += keptMembers(item, depth + 1)
    return members
  }
  for (const key of Object.keys(value)) members += 1 + keptMembers((value as Record<string, unknown>)[key], depth + 1)
  return members
}

/**
 * Throws on a member name repeated within an object, at any depth: JSON.parse keeps one member
 * per distinct (unescaped) name, so a repeat shows as more names written than members kept.
 * `"a"` and `"\u0061"` collide, as they should. Also bounds the nesting depth.
 */
function assertUniqueMembers(text: string, value: unknown): void {
  if (writtenMemberNames(text) !== keptMembers(value, 1)) throw new TypeError('duplicate member name')
}
