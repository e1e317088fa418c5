// The one sanitizer of return paths (`return_to`): where a sign-in may send the browser back to.
// Only a same-origin path passes. Another host (`//evil`, `/\evil` — browsers read `\` as `/`), a
// scheme (`https:…`, `javascript:…`), control characters, and any of these behind percent-encoding
// (a later hop may decode again) all become `/`: an open redirect after sign-in is a phishing tool.

const FALLBACK = '/'
const MAX_LENGTH = 1024
/** Encoded more deeply than this, a path is refused rather than decoded further. */
const MAX_DECODINGS = 3
const BASE = 'https://return-path.invalid'
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

function unsafe(path: string): boolean {
  return !path.startsWith('/') || path.startsWith('//') || path.includes('\\') || CONTROL.test(path)
}

/** The path as the URL parser resolves and serializes it (dot segments gone, ASCII), or null when it leaves this origin. */
function resolved(path: string): string | null {
  if (unsafe(path)) return null
  let url: URL
  try {
    url = new URL(path, BASE)
  } catch {
    return null
  }
  const serialized = `${url.pathname}${url.search}${url.hash}`
  return url.origin === BASE && !unsafe(serialized) ? serialized : null
}

/**
 * `value` when it is a path on this origin, else `/`. The result is the path as the URL parser
 * serializes it (ASCII, percent-encoded), so it can go into a `Location` header as it is; and every
 * decoding of it — a later hop may decode again — is such a path too (so `safeReturnPath` of the
 * result is the result). Invalid percent-encoding is refused: it would hide what follows it.
 *
 * @example
 * ```ts
 * safeReturnPath('/account?tab=keys') // '/account?tab=keys'
 * safeReturnPath('//evil.example')    // '/'
 * ```
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_LENGTH) return FALLBACK
  const path = resolved(value)
  // The limit holds for what is stored and sent (the encoded form), not only for what was typed.
  if (path === null || path.length > MAX_LENGTH) return FALLBACK
  let layer = path
  for (let decodings = 0; ; decodings++) {
    let decoded: string
    try {
      decoded = decodeURIComponent(layer)
    } catch {
      return FALLBACK
    }
    if (decoded === layer) return path
    if (decodings === MAX_DECODINGS || resolved(decoded) === null) return FALLBACK
    layer = decoded
  }
}
