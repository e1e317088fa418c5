// Item 8 of the session-layer review: during a middleware renewal only "this refresh token is
// refused" may answer 401 and clear the cookies. A misconfiguration (wrong app secret), a WAF, a
// broken or empty answer, a missing pool, 5xx or a timeout answer 503 with a stable code, keep
// the cookies and reach the error hook: a misconfiguration must never log every user out.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { CognitoAuthError } from '../../src/index'
import { type CognitoAuthVariables, cognitoAuth } from '../../src/hono'
import { authOptions, signingKey } from '../helpers/auth'
import { errorOf } from '../helpers/errors'
import { type CognitoHandler, cognitoError, fakeCognito } from '../helpers/fake-cognito'
import { CLIENT_ID, NOW_SECONDS, idClaims, mint } from '../helpers/tokens'

const expiredTimes = { iat: NOW_SECONDS - 3700, auth_time: NOW_SECONDS - 3700, exp: NOW_SECONDS - 100 }

function sessionApp(answer: CognitoHandler) {
  const cognito = fakeCognito({ InitiateAuth: answer, GetTokensFromRefreshToken: answer })
  const hooked: CognitoAuthError[] = []
  let handled = 0
  const app = new Hono<{ Variables: CognitoAuthVariables }>()
  app.use(
    '*',
    cognitoAuth(
      authOptions({
        fetch: cognito.fetch,
        cognito: { clientSecret: 'app-secret', timeoutMs: 50 },
        cookies: {},
        onError: (error, _c, response) => {
          hooked.push(error)
          return response
        },
      }),
    ),
  )
  app.get('/', (c) => {
    handled++
    return c.text('ok')
  })
  return { app, hooked, handled: () => handled }
}

async function renewAttempt(answer: CognitoHandler) {
  const { app, hooked, handled } = sessionApp(answer)
  const expiredId = await mint(signingKey, idClaims(expiredTimes))
  const res = await app.request('/', { headers: { cookie: `__Host-cognito-id=${expiredId}; __Host-cognito-refresh=r1` } })
  const cleared = res.headers.getSetCookie().filter((cookie) => /Max-Age=0/.test(cookie))
  return { status: res.status, code: (await errorOf(res)).code, cleared, hooked, handled: handled() }
}

const REFUSED: [string, CognitoHandler][] = [
  ['an invalid refresh token', () => cognitoError('NotAuthorizedException', 'Invalid Refresh Token')],
  ['a revoked refresh token', () => cognitoError('NotAuthorizedException', 'Refresh Token has been revoked')],
  ['an expired refresh token', () => cognitoError('NotAuthorizedException', 'Refresh Token has expired')],
]

describe('a refused refresh token ends the session', () => {
  for (const [what, answer] of REFUSED) {
    it(`${what} → 401 ERR_COGNITO_REFRESH_REJECTED, cookies cleared`, async () => {
      const outcome = await renewAttempt(answer)
      expect([outcome.status, outcome.code]).toEqual([401, 'ERR_COGNITO_REFRESH_REJECTED'])
      expect(outcome.cleared).toHaveLength(3)
      expect(outcome.handled).toBe(0)
    })
  }
})

const NOT_THE_TOKEN: [string, CognitoHandler, string][] = [
  [
    'a wrong or rotated app secret',
    () => cognitoError('NotAuthorizedException', `Unable to verify secret hash for client ${CLIENT_ID}`),
    'ERR_COGNITO_REFRESH_FAILED',
  ],
  [
    'a client secret Cognito did not expect',
    () => cognitoError('NotAuthorizedException', `Client ${CLIENT_ID} is configured for secret but secret was not received`),
    'ERR_COGNITO_REFRESH_FAILED',
  ],
  [
    // A page naming no Cognito exception did not come from Cognito: unreachable (503), like a 5xx.
    'a WAF 403 with an HTML page',
    () => new Response('<html><body>Request blocked</body></html>', { status: 403 }),
    'ERR_COGNITO_UNAVAILABLE',
  ],
  ['a 200 with an HTML body', () => new Response('<html>maintenance</html>', { status: 200 }), 'ERR_COGNITO_UNAVAILABLE'],
  ['a 200 with {}', () => ({}), 'ERR_COGNITO_REFRESH_FAILED'],
  ['UserNotFoundException', () => cognitoError('UserNotFoundException', 'User does not exist.'), 'ERR_COGNITO_REFRESH_FAILED'],
  [
    'ResourceNotFoundException',
    () => cognitoError('ResourceNotFoundException', 'User pool client does not exist.'),
    'ERR_COGNITO_REFRESH_FAILED',
  ],
  [
    'InvalidParameterException',
    () => cognitoError('InvalidParameterException', 'Missing required parameter'),
    'ERR_COGNITO_REFRESH_FAILED',
  ],
  ['a 500', () => cognitoError('InternalErrorException', 'Internal error', 500), 'ERR_COGNITO_UNAVAILABLE'],
  ['a timeout', () => new Promise<Response>(() => {}), 'ERR_COGNITO_UNAVAILABLE'],
]

describe('anything else keeps the session: 503, cookies kept, error hook told', () => {
  for (const [what, answer, code] of NOT_THE_TOKEN) {
    it(`${what} → 503 ${code}`, async () => {
      const outcome = await renewAttempt(answer)
      expect([outcome.status, outcome.code]).toEqual([503, code])
      expect(outcome.cleared).toEqual([])
      expect(outcome.hooked.map((error) => error.code)).toEqual([code])
      expect(outcome.handled).toBe(0)
    })
  }

  it('throttling → 429, cookies kept', async () => {
    const outcome = await renewAttempt(() => cognitoError('TooManyRequestsException', 'Rate exceeded'))
    expect([outcome.status, outcome.code]).toEqual([429, 'ERR_COGNITO_THROTTLED'])
    expect(outcome.cleared).toEqual([])
  })

  it('the 503 never says what Cognito said (it may name the app client or an ARN)', async () => {
    const { app } = sessionApp(() =>
      cognitoError('NotAuthorizedException', `Unable to verify secret hash for client ${CLIENT_ID}`),
    )
    const expiredId = await mint(signingKey, idClaims(expiredTimes))
    const res = await app.request('/', { headers: { cookie: `__Host-cognito-id=${expiredId}; __Host-cognito-refresh=r1` } })
    expect(await res.text()).not.toContain(CLIENT_ID)
  })
})
