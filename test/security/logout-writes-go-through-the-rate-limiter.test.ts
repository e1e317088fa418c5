// Found by an adversarial review of the revocation fixes (one self-registered account, no victim):
// sign in over and over — at Cognito itself with the app's public client, so the Worker's login
// limiter never sees it — and POST /auth/logout each fresh sign-in's (even expired) ID token. Replays
// write nothing, but every new sign-in is a new row, kept refreshTokenLifetime (30 days), in D1, in
// every isolate's in-memory copy and in every new isolate's first pull. Before the fix /auth/logout
// asked no rate limiter, even when the app configured one: one account added a row per sign-in for
// as long as it liked.
//
// The defence: a logout that would write to the revocation list asks routes.rateLimit first (route
// `logout`, username from the verified tokens); a refusal writes nothing and is answered 429 (once
// Cognito has been asked: logout-throttled-still-revokes-at-cognito.test.ts).
import { beforeEach, describe, expect, it } from 'vitest'
import { expiredTimes, isolate, logout, resetRevocations, rows, signIn } from '../d1/revocation-rig'

beforeEach(resetRevocations)

const ALLOWED_PER_KEY = 10
const SIGN_INS = 50

describe("logouts of one account's fresh sign-ins", () => {
  it(`with a limiter allowing ${ALLOWED_PER_KEY} per key, ${SIGN_INS} sign-ins add at most ${ALLOWED_PER_KEY} rows`, async () => {
    const seen = new Map<string, number>()
    const rateLimit = (_c: unknown, { key, ip }: { key: string; ip: string | null }) => {
      const count = (seen.get(`${key} ${ip}`) ?? 0) + 1
      seen.set(`${key} ${ip}`, count)
      return count <= ALLOWED_PER_KEY
    }
    const a = isolate({}, { routes: { rateLimit } })
    for (let i = 0; i < SIGN_INS; i++) await logout(a, { ...(await signIn(expiredTimes)), 'cf-connecting-ip': '198.51.100.7' })
    expect((await rows()).length).toBeLessThanOrEqual(ALLOWED_PER_KEY)
  })
})
