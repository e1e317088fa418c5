// Sessions across isolates, in workerd: the same Worker (settingsFromEnv alone) as separate
// isolates A and B sharing one D1 and one Durable Object namespace (C and D for the failure modes),
// against a fake Cognito whose refresh tokens rotate and can be spent once.
import type { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeCognito, request, startFakeCognito, startIsolates } from './rig'

/** maxStaleness of A and B, and of C and D (whose failAfter is then 2 s). */
const STALENESS_MS = 500
const SHORT_STALENESS_MS = 200

let cognito: FakeCognito
let mf: Miniflare

beforeAll(async () => {
  cognito = await startFakeCognito()
  const list = { COGNITO_REVOCATIONS_D1: 'DB' }
  mf = await startIsolates(cognito, [
    {
      name: 'a',
      definesRenewals: true,
      vars: { ...list, COGNITO_REVOCATION_MAX_STALENESS: String(STALENESS_MS / 1000), COGNITO_RENEWAL_DO: 'RENEWALS' },
    },
    {
      name: 'b',
      vars: { ...list, COGNITO_REVOCATION_MAX_STALENESS: String(STALENESS_MS / 1000), COGNITO_RENEWAL_DO: 'RENEWALS' },
    },
    { name: 'c', vars: { ...list, COGNITO_REVOCATION_MAX_STALENESS: String(SHORT_STALENESS_MS / 1000) } },
    {
      name: 'd',
      vars: {
        ...list,
        COGNITO_REVOCATION_MAX_STALENESS: String(SHORT_STALENESS_MS / 1000),
        COGNITO_REVOCATION_ON_UNAVAILABLE: 'open',
      },
    },
  ])
}, 60_000)

afterAll(async () => {
  await mf?.dispose()
  await cognito?.close()
})

const me = (worker: string, headers: Record<string, string>) => request(mf, worker, '/api/me', { headers })
const post = (worker: string, path: string, headers: Record<string, string>, body: object = {}) =>
  request(mf, worker, path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
const code = async (res: Response) => ((await res.json()) as { code?: string }).code
const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms))
const tokensOnly = ({ IDTOKEN, ACCESSTOKEN }: Record<string, string>) => ({
  IDTOKEN: IDTOKEN as string,
  ACCESSTOKEN: ACCESSTOKEN as string,
})

/** Polls `worker` with `headers` until it refuses them; resolves with the milliseconds that took. */
async function refusedWithin(worker: string, headers: Record<string, string>, limitMs: number): Promise<number> {
  const started = Date.now()
  for (;;) {
    const res = await me(worker, headers)
    if (res.status === 401) {
      expect(await code(res)).toBe('ERR_COGNITO_REVOKED')
      return Date.now() - started
    }
    expect(res.status).toBe(200)
    if (Date.now() - started > limitMs) throw new Error(`${worker} still accepted the session after ${limitMs} ms`)
    await sleep(20)
  }
}

describe('the revocation list, across isolates', () => {
  it("logout on A: A's still-unexpired access token is refused on B within maxStaleness", async () => {
    const session = await cognito.signIn()
    const access = { ACCESSTOKEN: session.ACCESSTOKEN as string }
    expect((await me('a', access)).status).toBe(200)
    expect((await me('b', access)).status).toBe(200) // B holds a copy from before the logout
    const out = await post('a', '/auth/logout', session)
    expect(out.status).toBe(200)
    const loggedOutAt = Date.now()
    expect(await code(await me('a', access))).toBe('ERR_COGNITO_REVOKED') // at once where it happened
    await refusedWithin('b', access, STALENESS_MS + 1000)
    // The bound itself: any request that reaches B maxStaleness after the logout is refused.
    await sleep(loggedOutAt + STALENESS_MS - Date.now())
    expect(await code(await me('b', access))).toBe('ERR_COGNITO_REVOKED')
  })

  it('sign-out everywhere on A: older sessions refused on B, a sign-in after it accepted on both', async () => {
    const sub = crypto.randomUUID()
    const older = tokensOnly(await cognito.signIn({ sub }))
    const other = tokensOnly(await cognito.signIn({ sub }))
    expect((await me('b', other)).status).toBe(200)
    const res = await post('a', '/api/sign-out-everywhere', older)
    expect(res.status).toBe(200)
    const { notBefore } = (await res.json()) as { notBefore: number }
    expect(cognito.calls.at(-1)).toBe('GlobalSignOut')
    await refusedWithin('b', other, STALENESS_MS + 1000)
    expect(await code(await me('a', older))).toBe('ERR_COGNITO_REVOKED')

    await sleep(Math.max(0, notBefore * 1000 - Date.now()) + 10) // token times are whole seconds
    const newer = tokensOnly(await cognito.signIn({ sub, authTime: notBefore }))
    expect((await me('a', newer)).status).toBe(200)
    expect((await me('b', newer)).status).toBe(200)
  })

  it("D1 unreachable, 'closed' (C): the last copy decides until 10 × maxStaleness, then 503", async () => {
    const session = tokensOnly(await cognito.signIn())
    expect((await me('c', session)).status).toBe(200)
    await post('c', '/test/d1', {}, { down: true })
    try {
      await sleep(2 * SHORT_STALENESS_MS)
      expect((await me('c', session)).status).toBe(200)
      await sleep(10 * SHORT_STALENESS_MS)
      const res = await me('c', session)
      expect(res.status).toBe(503)
      expect(await code(res)).toBe('ERR_COGNITO_REVOCATIONS_UNAVAILABLE')
    } finally {
      await post('c', '/test/d1', {}, { down: false })
    }
    await sleep(SHORT_STALENESS_MS)
    expect((await me('c', session)).status).toBe(200) // D1 back: the next read restores the copy
  })

  it("D1 unreachable, 'open' (D): sessions are still decided from the copy, however old", async () => {
    const session = tokensOnly(await cognito.signIn())
    const ended = await cognito.signIn()
    expect((await me('d', session)).status).toBe(200)
    await post('d', '/auth/logout', ended)
    await post('d', '/test/d1', {}, { down: true })
    try {
      await sleep(12 * SHORT_STALENESS_MS)
      expect((await me('d', session)).status).toBe(200)
      expect(await code(await me('d', tokensOnly(ended)))).toBe('ERR_COGNITO_REVOKED')
    } finally {
      await post('d', '/test/d1', {}, { down: false })
    }
  })

  it('each isolate reads D1 about once per maxStaleness, whatever its traffic', async () => {
    const session = tokensOnly(await cognito.signIn())
    const before = ((await (await request(mf, 'b', '/test/reads')).json()) as { reads: number }).reads
    const started = Date.now()
    let requests = 0
    while (Date.now() - started < 4 * STALENESS_MS) {
      await Promise.all(Array.from({ length: 5 }, () => me('b', session)))
      requests += 5
    }
    const reads = ((await (await request(mf, 'b', '/test/reads')).json()) as { reads: number }).reads - before
    expect(requests).toBeGreaterThan(50)
    expect(reads).toBeGreaterThanOrEqual(2)
    expect(reads).toBeLessThanOrEqual(6) // 4 windows of maxStaleness (less the lead), whatever the request count
  })
})

describe('rotation-safe renewal on the Durable Object', () => {
  it('10 concurrent renewals of one rotating session, split across A and B: one Cognito call, the same tokens for all', async () => {
    const expired = await cognito.signIn({ expired: true })
    const before = cognito.calls.length
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => me(i % 2 === 0 ? 'a' : 'b', expired)))
    expect(responses.map((res) => res.status)).toEqual(Array(10).fill(200))
    expect(cognito.calls.slice(before)).toEqual(['InitiateAuth'])
    const tokens = new Set(
      responses.map((res) => ['IDTOKEN', 'ACCESSTOKEN', 'REFRESHTOKEN'].map((name) => res.headers.get(name)).join(' ')),
    )
    expect(tokens.size).toBe(1)
    expect(responses[0]?.headers.get('REFRESHTOKEN')).toMatch(/^refresh-/)
    // The new tokens work on both isolates without another renewal.
    const renewed = {
      IDTOKEN: responses[0]?.headers.get('IDTOKEN') ?? '',
      ACCESSTOKEN: responses[0]?.headers.get('ACCESSTOKEN') ?? '',
    }
    expect((await me('b', renewed)).status).toBe(200)
    expect(cognito.calls.slice(before)).toEqual(['InitiateAuth'])
  })

  it('without the binding (C and D), each isolate renews on its own: the rotating token is spent twice and one isolate fails', async () => {
    const expired = await cognito.signIn({ expired: true })
    const before = cognito.calls.length
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => me(i % 2 === 0 ? 'c' : 'd', expired)))
    expect(cognito.calls.slice(before)).toEqual(['InitiateAuth', 'InitiateAuth'])
    expect(new Set(responses.map((res) => res.status))).toEqual(new Set([200, 401]))
  })
})
