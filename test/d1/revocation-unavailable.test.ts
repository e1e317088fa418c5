// When D1 cannot be read or written: 'closed' (the default) decides with the last copy until it is
// failAfter (10 × maxStaleness) old, then refuses every session with 503; 'open' decides with
// whatever copy it has and reports. Failures are reported once per read, never per request.
import { beforeEach, describe, expect, it } from 'vitest'
import { errorOf } from '../helpers/errors'
import { NOW } from '../helpers/tokens'
import { clock, isolate, logout, me, resetRevocations, rows, signIn } from './revocation-rig'

beforeEach(resetRevocations)

const S = 10_000
/** The list's statements: its reads, and its writes (which go as a batch). */
const D1_DOWN = /cognito_revocations|^batch/

describe("onUnavailable: 'closed' (the default)", () => {
  it('the last copy keeps deciding until 10 × maxStaleness, revocations in it included; then 503 with Retry-After', async () => {
    const a = isolate()
    const live = await signIn()
    const ended = await signIn()
    await logout(a, ended)
    expect((await me(a, live)).status).toBe(200) // the copy, as of NOW
    a.d1.failWhen(D1_DOWN)
    for (const at of [S, 5 * S, 10 * S - 1]) {
      clock.now = NOW + at
      expect((await me(a, live)).status, `at ${at} ms`).toBe(200)
      expect((await errorOf(await me(a, ended))).code).toBe('ERR_COGNITO_REVOKED')
    }
    clock.now = NOW + 10 * S
    const res = await me(a, live)
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('5')
    expect(await errorOf(res)).toEqual({
      code: 'ERR_COGNITO_REVOCATIONS_UNAVAILABLE',
      message: 'the revocation list could not be read; sessions are refused until it can (fail-closed)',
    })
    // One report per failed read (about one per maxStaleness), not one per request.
    expect(a.reports.length).toBeGreaterThan(0)
    expect(a.reports.length).toBeLessThanOrEqual(a.d1.reads())
    expect(a.reports.every((report) => report.code === 'ERR_COGNITO_REVOCATIONS_UNAVAILABLE')).toBe(true)
  })

  it('a new isolate that cannot read D1 refuses every session at once', async () => {
    const b = isolate()
    b.d1.failWhen(D1_DOWN)
    expect((await errorOf(await me(b, await signIn()))).code).toBe('ERR_COGNITO_REVOCATIONS_UNAVAILABLE')
    expect(b.reports).toHaveLength(1)
  })

  it('failAfter sets the bound', async () => {
    const a = isolate({ failAfter: 15 })
    const live = await signIn()
    await me(a, live)
    a.d1.failWhen(D1_DOWN)
    clock.now = NOW + 14_999
    expect((await me(a, live)).status).toBe(200)
    clock.now = NOW + 15_000
    expect((await me(a, live)).status).toBe(503)
  })

  it('D1 back: the next read brings the copy up to date, and the 503s stop', async () => {
    const a = isolate()
    const live = await signIn()
    await me(a, live)
    a.d1.failWhen(D1_DOWN)
    clock.now = NOW + 10 * S
    expect((await me(a, live)).status).toBe(503)
    expect((await me(a, live)).status).toBe(503) // the retry is not due yet: refused without a read
    const reads = a.d1.reads()
    a.d1.failWhen(null)
    clock.now = NOW + 11 * S // the retry is due: this request, refused otherwise, waits for it
    expect((await me(a, live)).status).toBe(200)
    expect(a.d1.reads()).toBe(reads + 1)
  })
})

describe("onUnavailable: 'open'", () => {
  it('decides with the copy however old it grows, revocations in it included, and reports each failed read', async () => {
    const a = isolate({ onUnavailable: 'open' })
    const live = await signIn()
    const ended = await signIn()
    await logout(a, ended)
    await me(a, live)
    a.d1.failWhen(D1_DOWN)
    for (let at = S; at <= 100 * S; at += S) {
      clock.now = NOW + at
      expect((await me(a, live)).status).toBe(200)
      expect((await errorOf(await me(a, ended))).code).toBe('ERR_COGNITO_REVOKED')
    }
    expect(a.reports.length).toBeGreaterThanOrEqual(90)
    expect(a.reports.length).toBeLessThanOrEqual(100)
  })

  it('a new isolate that cannot read D1 lets sessions through, and says so', async () => {
    const b = isolate({ onUnavailable: 'open' })
    b.d1.failWhen(D1_DOWN)
    expect((await me(b, await signIn())).status).toBe(200)
    expect(b.reports.map((report) => report.code)).toEqual(['ERR_COGNITO_REVOCATIONS_UNAVAILABLE'])
  })
})

describe('a logout while D1 cannot take the revocation', () => {
  it('503 ERR_COGNITO_REVOCATIONS_UNAVAILABLE; the cookies are cleared and Cognito revokes the refresh token all the same', async () => {
    const a = isolate({}, { cookies: {}, csrf: false })
    const session = await signIn()
    a.d1.failWhen(D1_DOWN)
    const res = await logout(a, {
      cookie: `__Host-cognito-id=${session.IDTOKEN}; __Host-cognito-access=${session.ACCESSTOKEN}; __Host-cognito-refresh=r-1`,
    })
    expect(res.status).toBe(503)
    expect((await errorOf(res)).code).toBe('ERR_COGNITO_REVOCATIONS_UNAVAILABLE')
    expect(res.headers.getSetCookie()).toHaveLength(3)
    expect(a.cognito.calls.map((call) => call.operation)).toEqual(['RevokeToken'])
    a.d1.failWhen(null)
    expect(await rows()).toEqual([])
  })
})
