// Rotation race left open: the Durable Object coordinates only the middleware's renewals.
// POST /auth/refresh renews through its own per-isolate memory (edge.routeRefreshes), never through
// `renewals`; so two refreshes of one rotating session on two isolates (two tabs, a retry landing
// elsewhere), or a /auth/refresh on one isolate while the middleware renews on another, spend the
// refresh token twice. Cognito refuses the second spend: 401 ERR_COGNITO_REFRESH_REJECTED, and in
// cookie mode the session cookies are cleared — the user is signed out, which is what `renewals`
// exists to prevent (SECURITY.md: "Renewals of one session across isolates spend a rotating refresh
// token once").
//
// Correct: with a coordinator, every renewal of a refresh token — the route's included — goes
// through it: one Cognito call, the same tokens for every caller.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { CognitoRenewals, type DurableObjectNamespaceBinding, durableRenewals } from '../../src/durable'
import { type CognitoAuthVariables, createCognitoEdge } from '../../src/hono'
import { authOptions, signingKey } from '../helpers/auth'
import { cognitoError, fakeCognito } from '../helpers/fake-cognito'
import { errorOf } from '../helpers/errors'
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
      return {
        AuthenticationResult: {
          IdToken: await mint(signingKey, idClaims({ jti: crypto.randomUUID() })),
          AccessToken: await mint(signingKey, accessClaims({ jti: crypto.randomUUID() })),
          RefreshToken: `rotated-${crypto.randomUUID()}`,
          ExpiresIn: 3600,
          TokenType: 'Bearer',
        },
      }
    },
  })
}

function namespace(): DurableObjectNamespaceBinding {
  const objects = new Map<string, CognitoRenewals>()
  return {
    idFromName: (name) => name,
    get(id: never) {
      const name = id as string
      const object = objects.get(name) ?? new CognitoRenewals({}, {})
      objects.set(name, object)
      return { fetch: (input, init) => object.fetch(new Request(input, init)) }
    },
  }
}

function isolateApp(cognito: ReturnType<typeof fakeCognito>, renewals: DurableObjectNamespaceBinding) {
  const edge = createCognitoEdge(
    authOptions({ fetch: cognito.fetch, refresh: { rotation: true }, renewals: durableRenewals(renewals) }),
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
    const renewals = namespace()
    const [a, b] = [isolateApp(cognito, renewals), isolateApp(cognito, renewals)]
    const headers = await session()
    const responses = await Promise.all([refresh(a, headers), refresh(b, headers)])
    expect(await Promise.all(responses.map(outcome))).toEqual([200, 200])
    expect(cognito.calls.filter((call) => call.operation === 'GetTokensFromRefreshToken')).toHaveLength(1)
  })

  it('/auth/refresh on one isolate while the middleware renews on another: one spend, both 200', async () => {
    const cognito = rotatingCognito()
    const renewals = namespace()
    const [a, b] = [isolateApp(cognito, renewals), isolateApp(cognito, renewals)]
    const headers = await session()
    const responses = await Promise.all([b.request('/api/me', { headers }), refresh(a, headers)])
    expect(await Promise.all(responses.map(outcome))).toEqual([200, 200])
    expect(cognito.calls.filter((call) => call.operation === 'GetTokensFromRefreshToken')).toHaveLength(1)
  })
})
