// Found by an adversarial review: before the fix the Durable Object coordinated only the
// middleware's renewals. POST /auth/refresh renewed through its own per-isolate memory, never through
// `renewals`; so two refreshes of one rotating session on two isolates (two tabs, a retry landing
// elsewhere), or a /auth/refresh on one isolate while the middleware renewed on another, spent the
// refresh token twice. Cognito refused the second spend: 401 ERR_COGNITO_REFRESH_REJECTED, and in
// cookie mode the session cookies were cleared — the user was signed out.
//
// The defence: every renewal of a refresh token — the route's included — goes through the same
// per-isolate memory and the same coordinator: one Cognito call, the same tokens for every caller.
// (test/isolates/refresh-route-across-isolates.test.ts shows the same across real workerd isolates.)
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { type DurableObjectNamespaceBinding, durableRenewals } from '../../src/durable'
import { type CognitoAuthVariables, createCognitoEdge } from '../../src/hono'
import { authOptions, signingKey } from '../helpers/auth'
import { cognitoError, fakeCognito } from '../helpers/fake-cognito'
import { errorOf } from '../helpers/errors'
import { renewalsNamespace, rotatedResult } from '../helpers/renewals'
import { NOW_SECONDS, accessClaims, idClaims, mint } from '../helpers/tokens'

const expiredTimes = { iat: NOW_SECONDS - 3700, auth_time: NOW_SECONDS - 3700, exp: NOW_SECONDS - 100 }
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** An app client that rotates: REFRESH_TOKEN_AUTH refused, each refresh token spent once by GetTokensFromRefreshToken. */
function rotatingCognito() {
  const spent = new Set<string>()
  return fakeCognito({
    InitiateAuth: () => cognitoError('InvalidParameterException', 'REFRESH_TOKEN_AUTH flow not enabled for this client'),
    GetTokensFromRefreshToken: async (body) => {
      await sleep(50)
      const token = String(body.RefreshToken)
      if (spent.has(token)) return cognitoError('NotAuthorizedException', 'Invalid Refresh Token')
      spent.add(token)
      return rotatedResult()
    },
  })
}

function isolateApp(
  cognito: ReturnType<typeof fakeCognito>,
  renewals: DurableObjectNamespaceBinding,
  rotation: 'auto' | true = true,
) {
  const edge = createCognitoEdge(
    authOptions({ fetch: cognito.fetch, refresh: { rotation }, renewals: durableRenewals(renewals) }),
  )
  const app = new Hono<{ Variables: CognitoAuthVariables }>()
  app.route('/auth', edge.routes())
  app.use('/api/*', edge.auth())
  app.get('/api/me', (c) => c.json({ refreshed: c.var.cognito.refreshed }))
  return app as unknown as Hono
}

async function session() {
  return {
    IDTOKEN: await mint(signingKey, idClaims(expiredTimes)),
    ACCESSTOKEN: await mint(signingKey, accessClaims(expiredTimes)),
    REFRESHTOKEN: 'refresh-token-1',
  }
}

const refresh = (app: Hono, headers: Record<string, string>) =>
  app.request('/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' })

const outcome = async (res: Response) => (res.status === 200 ? 200 : (await errorOf(res)).code)

describe('POST /auth/refresh with a renewal coordinator', () => {
  it('two refreshes of one rotating session on two isolates: one spend, both 200', async () => {
    const cognito = rotatingCognito()
    const renewals = renewalsNamespace().binding
    const [a, b] = [isolateApp(cognito, renewals), isolateApp(cognito, renewals)]
    const headers = await session()
    const responses = await Promise.all([refresh(a, headers), refresh(b, headers)])
    expect(await Promise.all(responses.map(outcome))).toEqual([200, 200])
    expect(cognito.calls.filter((call) => call.operation === 'GetTokensFromRefreshToken')).toHaveLength(1)
  })

  it('/auth/refresh on one isolate while the middleware renews on another: one spend, both 200', async () => {
    const cognito = rotatingCognito()
    const renewals = renewalsNamespace().binding
    const [a, b] = [isolateApp(cognito, renewals), isolateApp(cognito, renewals)]
    const headers = await session()
    const responses = await Promise.all([b.request('/api/me', { headers }), refresh(a, headers)])
    expect(await Promise.all(responses.map(outcome))).toEqual([200, 200])
    expect(cognito.calls.filter((call) => call.operation === 'GetTokensFromRefreshToken')).toHaveLength(1)
  })
})

describe('a logout and the renewal coordinator', () => {
  it('the coordinator forgets the revoked refresh token: an isolate with nothing in memory hears Cognito refuse it', async () => {
    // An app client that does not rotate: a refresh token renews until it is revoked.
    const revoked = new Set<string>()
    const cognito = fakeCognito({
      InitiateAuth: async (body) => {
        if (revoked.has(String((body.AuthParameters as Record<string, unknown>).REFRESH_TOKEN)))
          return cognitoError('NotAuthorizedException', 'Refresh Token has been revoked')
        const tokens = { IdToken: await mint(signingKey, idClaims()), AccessToken: await mint(signingKey, accessClaims()) }
        return { AuthenticationResult: { ...tokens, ExpiresIn: 3600, TokenType: 'Bearer' } }
      },
      RevokeToken: (body) => {
        revoked.add(String(body.Token))
        return {}
      },
    })
    const renewals = renewalsNamespace().binding
    const [a, b, c] = [1, 2, 3].map(() => isolateApp(cognito, renewals, 'auto')) as [Hono, Hono, Hono]
    const headers = await session()
    expect(await outcome(await refresh(a, headers))).toBe(200) // the object now shares these tokens for the burst window
    const out = await b.request('/auth/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{}',
    })
    expect(out.status).toBe(200)
    // Before the fix the object handed the tokens renewed before the logout to any isolate for 30 s.
    expect(await outcome(await refresh(c, { REFRESHTOKEN: headers.REFRESHTOKEN }))).toBe('ERR_COGNITO_REFRESH_REJECTED')
    expect(cognito.calls.filter((call) => call.operation === 'InitiateAuth')).toHaveLength(2)
  })
})
