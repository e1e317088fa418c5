// Failing dependency (a slow Cognito), cross-isolate renewal: the Durable Object's lease is
// `cognito.maxCallMs + jwksTimeoutMs` — one Cognito call and the verification. But with
// `refresh.rotation: 'auto'` (the default) an app client that rotates refresh tokens costs two
// calls per renewal: InitiateAuth REFRESH_TOKEN_AUTH, refused, then GetTokensFromRefreshToken. A
// renewal whose two calls each stay well within the timeout still outlives the lease; the object
// then hands the lease to a request waiting on another isolate, which spends the same rotating
// refresh token again. Cognito refuses the second spend, and that isolate answers
// 401 ERR_COGNITO_REFRESH_REJECTED — a cookie session's cookies are cleared: the user is signed out,
// exactly what the coordinator exists to prevent ("spend a rotating refresh token once").
//
// Correct: no second leader while the first one's renewal can still be running — the lease covers
// the longest renewal the settings allow (both calls of 'auto', their retries, the verification),
// or the leader extends it while it works.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { CognitoRenewals, type DurableObjectNamespaceBinding, durableRenewals } from '../../src/durable'
import { type CognitoAuthVariables, createCognitoEdge } from '../../src/hono'
import { authOptions, signingKey } from '../helpers/auth'
import { cognitoError, fakeCognito } from '../helpers/fake-cognito'
import { errorOf } from '../helpers/errors'
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

/** A namespace of real CognitoRenewals objects, one per name (as test/durable/renewals.test.ts). */
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
    const renewals = namespace()
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
