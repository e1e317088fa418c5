// Found by an adversarial review, as test/security/refresh-route-goes-through-the-coordinator.test.ts,
// here in real workerd isolates sharing one D1 and a real CognitoRenewals Durable Object (rig.ts, the
// Worker configured by env alone). Cognito's refresh tokens rotate and are spent once. Before the
// fix the middleware's renewals were single-flighted by the object and POST /auth/refresh was not:
// two refreshes of one session landing on isolates A and B spent the token twice, and one of them
// signed the user out. The defence: the route renews through the same memory and coordinator.
import type { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeCognito, request, startFakeCognito, startIsolates } from './rig'

let cognito: FakeCognito
let mf: Miniflare

beforeAll(async () => {
  cognito = await startFakeCognito()
  const vars = { COGNITO_REVOCATIONS_D1: 'DB', COGNITO_RENEWAL_DO: 'RENEWALS' }
  mf = await startIsolates(cognito, [
    { name: 'a', definesRenewals: true, vars },
    { name: 'b', vars },
  ])
}, 60_000)

afterAll(async () => {
  await mf?.dispose()
  await cognito?.close()
})

const refresh = (worker: string, headers: Record<string, string>) =>
  request(mf, worker, '/auth/refresh', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: '{}',
  })

describe('POST /auth/refresh across isolates with COGNITO_RENEWAL_DO', () => {
  it('two refreshes of one rotating session on A and B: one Cognito call, both 200', async () => {
    const session = await cognito.signIn({ expired: true })
    const before = cognito.calls.length
    const responses = await Promise.all([refresh('a', session), refresh('b', session)])
    const outcomes = await Promise.all(
      responses.map(async (res) => (res.status === 200 ? 200 : ((await res.json()) as { code: string }).code)),
    )
    expect(outcomes).toEqual([200, 200])
    expect(cognito.calls.slice(before)).toEqual(['InitiateAuth'])
  })

  it('the middleware renews on A while /auth/refresh runs on B: one Cognito call, both 200', async () => {
    const session = await cognito.signIn({ expired: true })
    const before = cognito.calls.length
    const responses = await Promise.all([request(mf, 'a', '/api/me', { headers: session }), refresh('b', session)])
    const outcomes = await Promise.all(
      responses.map(async (res) => (res.status === 200 ? 200 : ((await res.json()) as { code: string }).code)),
    )
    expect(outcomes).toEqual([200, 200])
    expect(cognito.calls.slice(before)).toEqual(['InitiateAuth'])
  })
})
