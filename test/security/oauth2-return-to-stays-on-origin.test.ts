// After sign-in the browser goes back to `return_to` — a same-origin path, or `/`. An open redirect
// here would let a link through the app's own sign-in land a freshly signed-in user on a look-alike
// site. The shapes below travel the whole round trip (login → hosted UI → callback) as raw query
// strings, so the encoded variants arrive as a browser would send them.
import { describe, expect, it } from 'vitest'
import { hostedUi } from '../hono/routes/hosted-ui'

const landing = async (rawReturnTo: string) => (await hostedUi().signIn(`?return_to=${rawReturnTo}`)).headers.get('location')

describe('return_to stays on this origin', () => {
  const shapes: [string, string][] = [
    ['scheme-relative', '//evil.example'],
    ['scheme-relative, encoded', '%2F%2Fevil.example'],
    ['scheme-relative, double-encoded', '%252F%252Fevil.example'],
    ['a backslash', '/%5Cevil.example'],
    ['a backslash, double-encoded', '/%255Cevil.example'],
    ['a raw backslash', '/\\evil.example'],
    ['an absolute URL', 'https://evil.example/'],
    ['an absolute URL, encoded', 'https%3A%2F%2Fevil.example%2F'],
    ['a scheme without slashes', 'https:evil.example'],
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['a tab between the slashes', '/%09/evil.example'],
    ['a CR LF (header injection)', '/%0d%0aSet-Cookie:%20a=b'],
    ['a NUL', '/%00evil'],
    ['dot segments that resolve to //', '/.//evil.example'],
    ['an encoded second slash', '/%2Fevil.example'],
  ]
  for (const [what, raw] of shapes) {
    it(`${what} (${raw}) lands on /`, async () => expect(await landing(raw)).toBe('/'))
  }

  it('a path on this origin is kept, with its query', async () => {
    expect(await landing(encodeURIComponent('/orders/42?view=full'))).toBe('/orders/42?view=full')
  })

  it('no return_to lands on /', async () => {
    expect((await hostedUi().signIn()).headers.get('location')).toBe('/')
  })
})
