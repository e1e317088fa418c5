// The one return-path sanitizer (src/session/return-path.ts): a same-origin path passes, serialized
// as the URL parser does; every open-redirect shape becomes `/`.
import { describe, expect, it } from 'vitest'
import { safeReturnPath } from '../../src/index'

describe('safeReturnPath', () => {
  const kept: [string, string][] = [
    ['/', '/'],
    ['/account', '/account'],
    ['/account/keys?tab=2&q=a%20b', '/account/keys?tab=2&q=a%20b'],
    ['/search?next=%2Fhome', '/search?next=%2Fhome'],
    ['/docs#install', '/docs#install'],
    ['/café', '/caf%C3%A9'], // non-ASCII is percent-encoded: the result fits a Location header
    ['/a/../b', '/b'],
  ]
  for (const [value, path] of kept) {
    it(`keeps ${value}`, () => expect(safeReturnPath(value)).toBe(path))
  }

  const refused: [string, string][] = [
    ['another host, scheme-relative', '//evil.example'],
    ['another host, three slashes', '///evil.example'],
    ['a backslash, which browsers read as a slash', '/\\evil.example'],
    ['a backslash first', '\\\\evil.example'],
    ['an absolute URL', 'https://evil.example/'],
    ['a scheme without slashes', 'https:evil.example'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['a relative path', 'account'],
    ['a leading space', ' //evil.example'],
    ['an encoded scheme-relative URL', '%2F%2Fevil.example'],
    ['an encoded second slash', '/%2Fevil.example'],
    ['an encoded backslash', '/%5Cevil.example'],
    ['a double-encoded second slash', '/%252Fevil.example'],
    ['an encoding nested past the decoding bound', '/%25252525252Fevil.example'],
    ['a tab inside the slashes', '/\t/evil.example'],
    ['an encoded tab inside the slashes', '/%09/evil.example'],
    ['a newline (header injection)', '/\r\nSet-Cookie: a=b'],
    ['an encoded NUL', '/%00'],
    ['dot segments that become //', '/.//evil.example'],
    ['dot-dot segments that become //', '/..//evil.example'],
    ['an empty string', ''],
    ['a path over 1024 characters', `/${'a'.repeat(1024)}`],
  ]
  for (const [what, value] of refused) {
    it(`refuses ${what}: ${JSON.stringify(value)} → /`, () => expect(safeReturnPath(value)).toBe('/'))
  }

  it('refuses anything but a string', () => {
    for (const value of [undefined, null, 42, ['/a'], { path: '/a' }]) expect(safeReturnPath(value)).toBe('/')
  })
})
