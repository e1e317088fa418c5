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

function decodeOnce(path: string): string | null {
  try {
    return decodeURIComponent(path)
  } catch {
    return null // not valid percent-encoding: nothing downstream decodes it either
  }
}

/**
 * `value` when it is a path on this origin, else `/`. The result is the path as the URL parser
 * serializes it (ASCII, percent-encoded), so it can go into a `Location` header as it is.
 *
 * @example
 * ```ts
 * safeReturnPath('/account?tab=keys') // '/account?tab=keys'
 * safeReturnPath('//evil.example')    // '/'
 * ```
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_LENGTH) return FALLBACK
  let layer = value
  for (let decodings = 0; ; decodings++) {
    if (unsafe(layer)) return FALLBACK
    const decoded = decodeOnce(layer)
    if (decoded === null || decoded === layer) break
    if (decodings === MAX_DECODINGS) return FALLBACK
    layer = decoded
  }
  let url: URL
  try {
    url = new URL(value, BASE)
  } catch {
    return FALLBACK
  }
  // Dot segments are resolved here (`/.//evil` becomes `//evil`): the serialized form is checked again.
  const path = `${url.pathname}${url.search}${url.hash}`
  return url.origin === BASE && !unsafe(path) ? path : FALLBACK
}
