// Every way a hosted-UI sign-in can fail after the state matched opens no session: Cognito's error
// redirect (400, or 401 for access_denied, each with its stable code), the token endpoint refusing
// the code (401) or being down (503). Cognito's error_description — anyone can put one in a callback
// URL — is never repeated, in JSON or on the page.
import { describe, expect, it } from 'vitest'
import { errorOf } from '../helpers/errors'
import { type CognitoHandler } from '../helpers/fake-cognito'
import { HTML, TRANSACTION_COOKIE, cookiesSet, hostedUi } from '../hono/routes/hosted-ui'

const INJECTED = '<script>alert(1)</script> call +1-555-0100 for support'

async function redirectedBack(error: string, headers: Record<string, string> = {}) {
  const rig = hostedUi()
  const { authorize, cookie } = await rig.start()
  const state = encodeURIComponent(authorize.searchParams.get('state') ?? '')
  const res = await rig.callback(
    `?error=${error}&error_description=${encodeURIComponent(INJECTED)}&state=${state}`,
    cookie,
    headers,
  )
  expect(rig.cognito.calls).toEqual([])
  return res
}

function noSession(res: Response): void {
  expect(cookiesSet(res)).toEqual([])
  expect(res.headers.getSetCookie().some((cookie) => cookie.startsWith(`${TRANSACTION_COOKIE}=;`))).toBe(true)
}

describe("Cognito's error redirect", () => {
  const cases: [string, number, string][] = [
    ['access_denied', 401, 'ERR_COGNITO_OAUTH2_DENIED'],
    ['invalid_scope', 400, 'ERR_COGNITO_OAUTH2_ERROR'],
    ['unauthorized_client', 400, 'ERR_COGNITO_OAUTH2_ERROR'],
    ['server_error', 400, 'ERR_COGNITO_OAUTH2_ERROR'],
    ['something_new', 400, 'ERR_COGNITO_OAUTH2_ERROR'],
  ]
  for (const [error, status, code] of cases) {
    it(`${error} is ${status} ${code}, without a session or the description`, async () => {
      const res = await redirectedBack(error)
      expect(res.status).toBe(status)
      noSession(res)
      const body = await errorOf(res)
      expect(body.code).toBe(code)
      expect(body.message).not.toContain('555')
    })
  }

  it('the page for a browser does not repeat the description either', async () => {
    const res = await redirectedBack('access_denied', HTML)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const page = await res.text()
    expect(page).toContain('ERR_COGNITO_OAUTH2_DENIED')
    expect(page).not.toContain('555')
    expect(page).not.toContain('<script')
  })

  it('an error redirect without this browser’s state is a state failure, not Cognito’s', async () => {
    const rig = hostedUi()
    const { cookie } = await rig.start()
    expect((await errorOf(await rig.callback('?error=access_denied&state=forged', cookie))).code).toBe('ERR_COGNITO_OAUTH2_STATE')
  })
})

describe('the code exchange', () => {
  const failures: [string, CognitoHandler, number, string][] = [
    [
      '400 invalid_grant',
      () => Response.json({ error: 'invalid_grant' }, { status: 400 }),
      401,
      'ERR_COGNITO_OAUTH2_CODE_REJECTED',
    ],
    [
      '401 invalid_client',
      () => Response.json({ error: 'invalid_client' }, { status: 401 }),
      401,
      'ERR_COGNITO_OAUTH2_CODE_REJECTED',
    ],
    ['500', () => Response.json({ error: 'server_error' }, { status: 500 }), 503, 'ERR_COGNITO_UNAVAILABLE'],
    ['502 from a proxy', () => new Response('<html>Bad Gateway</html>', { status: 502 }), 503, 'ERR_COGNITO_UNAVAILABLE'],
    ['a network failure', () => Promise.reject(new TypeError('fetch failed')), 503, 'ERR_COGNITO_UNAVAILABLE'],
    [
      'tokens that do not verify',
      () => ({ id_token: 'a.b.c', access_token: 'a.b.c', token_type: 'Bearer' }),
      503,
      'ERR_COGNITO_UNAVAILABLE',
    ],
  ]
  for (const [what, tokenEndpoint, status, code] of failures) {
    it(`${what} is ${status} ${code}, without a session`, async () => {
      const res = await hostedUi({ tokenEndpoint }).signIn()
      expect(res.status).toBe(status)
      noSession(res)
      expect((await errorOf(res)).code).toBe(code)
      if (status === 503) expect(res.headers.get('retry-after')).toBe('5')
    })
  }

  it('a missing code is 400 without a call', async () => {
    const rig = hostedUi()
    const { authorize, cookie } = await rig.start()
    const query = rig.signInAtCognito(authorize).replace(/code=[^&]*&/, '')
    const res = await rig.callback(query, cookie)
    expect(res.status).toBe(400)
    expect((await errorOf(res)).code).toBe('ERR_COGNITO_BAD_REQUEST')
    expect(rig.cognito.calls).toEqual([])
  })
})
