// Failing dependency (clock skew), cross-isolate renewal: the leading isolate renews, then verifies
// Cognito's tokens with clockTolerance 0 (the default). When Cognito's clock is ahead of the
// Worker's by more than the response's travel time — at the turn of a second, iat = the next second —
// the fresh tokens fail "iat lies in the future" (ERR_COGNITO_NOT_YET_VALID). That failure is not one
// the leader shares: it gives the lease back, and the request held in the object on another isolate
// leads and calls Cognito with the same refresh token, which rotation has already spent. Cognito
// refuses it, that refusal (ERR_COGNITO_REFRESH_REJECTED) is shared with every caller for the burst
// window, and cookie sessions are cleared: the user is signed out by a one-second clock edge, and the
// rotated refresh token Cognito issued is lost.
//
// Correct: a renewal Cognito answered spends the refresh token once, whatever the leader's own
// verification says — the leader settles Cognito's tokens (every isolate verifies what it adopts) or
// shares its failure as a temporary one; and tokens Cognito just issued are not refused for an iat a
// second ahead.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { CognitoRenewals, type DurableObjectNamespaceBinding, durableRenewals } from '../../src/durable'
import { type CognitoAuthVariables, createCognitoEdge } from '../../src/hono'
import { authOptions, signingKey } from '../helpers/auth'
import { cognitoError, fakeCognito } from '../helpers/fake-cognito'
import { errorOf } from '../helpers/errors'
import { NOW, NOW_SECONDS, accessClaims, idClaims, mint } from '../helpers/tokens'

const expiredTimes = { iat: NOW_SECONDS - 3700, auth_time: NOW_SECONDS - 3700, exp: NOW_SECONDS - 100 }
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The Worker at 12:00:00.998; Cognito, 5 ms ahead, already at 12:00:01.003: its tokens say iat = 12:00:01. */
const WORKER_NOW = NOW + 998
const COGNITO_SECONDS = NOW_SECONDS + 1

function rotatingCognito() {
  const spent = new Set<string>()
  return fakeCognito({
    GetTokensFromRefreshToken: async (body) => {
      await sleep(50)
      const token = String(body.RefreshToken)
      if (spent.has(token)) return cognitoError('NotAuthorizedException', 'Invalid Refresh Token')
      spent.add(token)
      const times = { iat: COGNITO_SECONDS, auth_time: NOW_SECONDS - 3700, exp: COGNITO_SECONDS + 3600 }
      return {
        AuthenticationResult: {
          IdToken: await mint(signingKey, idClaims({ ...times, jti: crypto.randomUUID() })),
          AccessToken: await mint(signingKey, accessClaims({ ...times, jti: crypto.randomUUID() })),
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
    authOptions({
      fetch: cognito.fetch,
      now: () => WORKER_NOW,
      refresh: { rotation: true },
      renewals: durableRenewals(renewals),
    }),
  )
  const app = new Hono<{ Variables: CognitoAuthVariables }>().use(edge.auth())
  app.get('/', (c) => c.json({ refreshed: c.var.cognito.refreshed }))
  return app as unknown as Hono
}

describe('the leader cannot verify the tokens Cognito just issued (iat one second ahead)', () => {
  it('the rotating refresh token is spent once, and no isolate signs the user out', async () => {
    const cognito = rotatingCognito()
    const renewals = namespace()
    const [a, b] = [isolateApp(cognito, renewals), isolateApp(cognito, renewals)]
    const headers = {
      IDTOKEN: await mint(signingKey, idClaims(expiredTimes)),
      ACCESSTOKEN: await mint(signingKey, accessClaims(expiredTimes)),
      REFRESHTOKEN: 'refresh-token-1',
    }
    const first = a.request('/', { headers })
    await sleep(10) // a leads; b is held in the object
    const second = b.request('/', { headers })
    const codes = await Promise.all(
      (await Promise.all([first, second])).map(async (res) => (res.status === 200 ? 200 : (await errorOf(res)).code)),
    )
    expect(codes).not.toContain('ERR_COGNITO_REFRESH_REJECTED') // today: [ERR_COGNITO_NOT_YET_VALID, ERR_COGNITO_REFRESH_REJECTED]
    expect(cognito.calls.filter((call) => call.operation === 'GetTokensFromRefreshToken')).toHaveLength(1)
  })
})
