// Found by an adversarial review (clock skew, cross-isolate renewal): the leading isolate renewed,
// then verified Cognito's tokens with clockTolerance 0 (the default). When Cognito's clock is ahead of
// the Worker's by more than the response's travel time — at the turn of a second, iat = the next
// second — the fresh tokens failed "iat lies in the future" (ERR_COGNITO_NOT_YET_VALID). Before the
// fix the leader did not share that failure: it gave the lease back, and the request held in the
// object on another isolate led and called Cognito with the refresh token rotation had already
// spent. Cognito refused it, that refusal (ERR_COGNITO_REFRESH_REJECTED) was shared for the burst
// window, cookie sessions were cleared, and the rotated refresh token Cognito issued was lost.
//
// The defence: the leader shares Cognito's tokens before verifying them (every isolate verifies what
// it adopts), so a renewal Cognito answered spends the refresh token once; and tokens Cognito just
// issued may carry an iat a few seconds ahead of the Worker's clock.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { type DurableObjectNamespaceBinding, durableRenewals } from '../../src/durable'
import { type CognitoAuthVariables, createCognitoEdge } from '../../src/hono'
import { authOptions, signingKey } from '../helpers/auth'
import { cognitoError, fakeCognito } from '../helpers/fake-cognito'
import { errorOf } from '../helpers/errors'
import { renewalsNamespace, rotatedResult } from '../helpers/renewals'
import { NOW, NOW_SECONDS, accessClaims, idClaims, mint } from '../helpers/tokens'

const expiredTimes = { iat: NOW_SECONDS - 3700, auth_time: NOW_SECONDS - 3700, exp: NOW_SECONDS - 100 }
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The Worker at 12:00:00.998; Cognito, 5 ms ahead, already at 12:00:01.003: its tokens say iat = 12:00:01. */
const WORKER_NOW = NOW + 998

/** A rotating app client (each refresh token spent once) whose tokens carry `iat = cognitoSeconds`. */
function rotatingCognito(cognitoSeconds: number) {
  const spent = new Set<string>()
  return fakeCognito({
    GetTokensFromRefreshToken: async (body) => {
      await sleep(50)
      const token = String(body.RefreshToken)
      if (spent.has(token)) return cognitoError('NotAuthorizedException', 'Invalid Refresh Token')
      spent.add(token)
      const times = { iat: cognitoSeconds, auth_time: NOW_SECONDS - 3700, exp: cognitoSeconds + 3600 }
      return rotatedResult(times)
    },
  })
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

async function renewOnTwoIsolates(cognitoSeconds: number) {
  const cognito = rotatingCognito(cognitoSeconds)
  const renewals = renewalsNamespace().binding
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
  return { codes, spends: cognito.calls.filter((call) => call.operation === 'GetTokensFromRefreshToken').length }
}

describe("Cognito's clock a moment ahead of the Worker's", () => {
  it('iat the next second: both isolates answer 200 with one spend of the rotating refresh token', async () => {
    const { codes, spends } = await renewOnTwoIsolates(NOW_SECONDS + 1)
    expect(codes).toEqual([200, 200]) // before the fix: [ERR_COGNITO_NOT_YET_VALID, ERR_COGNITO_REFRESH_REJECTED]
    expect(spends).toBe(1)
  })

  it('iat a minute ahead (beyond the leeway): the leader cannot verify, yet the token is spent once and nobody is signed out', async () => {
    const { codes, spends } = await renewOnTwoIsolates(NOW_SECONDS + 60)
    // Each isolate refuses tokens it cannot verify as Cognito failing (503, session kept), never as a refused refresh token.
    expect(codes).toEqual(['ERR_COGNITO_UNAVAILABLE', 'ERR_COGNITO_UNAVAILABLE'])
    expect(spends).toBe(1)
  })
})
