// Found by an adversarial review (a slow Cognito, cross-isolate renewal): before the fix the Durable
// Object's lease was `cognito.maxCallMs + jwksTimeoutMs` — one Cognito call and the verification.
// But with `refresh.rotation: 'auto'` (the default) an app client that rotates refresh tokens costs
// two calls per renewal: InitiateAuth REFRESH_TOKEN_AUTH, refused, then GetTokensFromRefreshToken. A
// renewal whose two calls each stayed well within the timeout outlived the lease; the object handed
// the lease to a request waiting on another isolate, which spent the same rotating refresh token
// again, was refused (401 ERR_COGNITO_REFRESH_REJECTED), and a cookie session was signed out.
//
// The defence: the lease covers the longest the leader's Cognito calls can take under the settings
// (both calls of 'auto', with their retries); settings under which that exceeds the object's 60 s
// are refused when the edge is built.
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
const CALL_MS = 170 // each Cognito answer: well within the 200 ms timeout

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A Cognito whose app client rotates refresh tokens and spends each once (no grace period). */
function rotatingCognito() {
  const spent = new Set<string>()
  return fakeCognito({
    InitiateAuth: async () => {
      await sleep(CALL_MS)
      return cognitoError('InvalidParameterException', 'REFRESH_TOKEN_AUTH flow not enabled for this client')
    },
    GetTokensFromRefreshToken: async (body) => {
      await sleep(CALL_MS)
      const token = String(body.RefreshToken)
      if (spent.has(token)) return cognitoError('NotAuthorizedException', 'Invalid Refresh Token')
      spent.add(token)
      return rotatedResult()
    },
  })
}

function isolateApp(cognito: ReturnType<typeof fakeCognito>, renewals: DurableObjectNamespaceBinding) {
  const edge = createCognitoEdge(
    authOptions({
      fetch: cognito.fetch,
      pool: { jwksTimeoutMs: 10 },
      cognito: { timeoutMs: 200, retries: 0 },
      renewals: durableRenewals(renewals),
    }),
  )
  const app = new Hono<{ Variables: CognitoAuthVariables }>().use(edge.auth())
  app.get('/', (c) => c.json({ refreshed: c.var.cognito.refreshed }))
  return app as unknown as Hono
}

describe("renewal across isolates with rotation 'auto' and a slow Cognito", () => {
  it('a request on another isolate waits for the first renewal: one spend of the refresh token, both answered 200', async () => {
    const cognito = rotatingCognito()
    const renewals = renewalsNamespace().binding
    const a = isolateApp(cognito, renewals)
    const b = isolateApp(cognito, renewals)
    const headers = {
      IDTOKEN: await mint(signingKey, idClaims(expiredTimes)),
      ACCESSTOKEN: await mint(signingKey, accessClaims(expiredTimes)),
      REFRESHTOKEN: 'refresh-token-1',
    }
    const first = a.request('/', { headers })
    await sleep(30) // the first isolate holds the lease
    const second = b.request('/', { headers })
    const responses = await Promise.all([first, second])
    const outcomes = await Promise.all(responses.map(async (res) => (res.status === 200 ? 200 : (await errorOf(res)).code)))
    expect(outcomes).toEqual([200, 200])
    expect(cognito.calls.filter((call) => call.operation === 'GetTokensFromRefreshToken')).toHaveLength(1)
  })
})

describe('settings under which a renewal could outlive the coordinator’s lease', () => {
  const slow = { timeoutMs: 10_000, retries: 2 } // (10 s + 100 ms) × 3 tries per call

  it("are refused when the edge is built: 'auto' may take two such calls, over 60 s", () => {
    expect(() =>
      createCognitoEdge(
        authOptions({ fetch: rotatingCognito().fetch, cognito: slow, renewals: durableRenewals(renewalsNamespace().binding) }),
      ),
    ).toThrow(/a renewal may take 60600 ms \(cognito.timeoutMs and retries\), more than the coordinator's 60000 ms lease/)
  })

  it('are accepted when a renewal is one call (rotation true)', () => {
    const settings = {
      fetch: rotatingCognito().fetch,
      cognito: slow,
      refresh: { rotation: true },
      renewals: durableRenewals(renewalsNamespace().binding),
    }
    expect(() => createCognitoEdge(authOptions(settings))).not.toThrow()
  })
})
