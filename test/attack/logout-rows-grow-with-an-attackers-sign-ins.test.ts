// Attack (one self-registered account; no victim needed): sign in over and over — at Cognito itself
// with the app's public client and USER_PASSWORD_AUTH, so the Worker's login limiter never sees it —
// and POST /auth/logout each fresh sign-in's (even expired) ID token. 257b438 stopped replays from
// writing ("the list grows with sign-ins and users, never with requests"), but every new sign-in is
// a new row, and since 257b438 each row is kept refreshTokenLifetime (30 days by default, up from one).
//
// Today nothing bounds it: /auth/logout asks no rate limiter (routes.rateLimit is never consulted for
// it, even when the app configured one that refuses), so one account adds a row per sign-in for as
// long as it likes. Every row lives 30 days in D1, in every isolate's in-memory copy (a Worker has
// 128 MB), and in every new isolate's first pull, which must read the whole list (1,000 rows per read,
// each request waiting up to 60 s) before that isolate answers anyone.
//
// What should happen: the rows one account can add are bounded — logout asks the app's rate limiter
// (keyed by the verified sub) before writing, or one user's many ended sign-ins fold into one entry.
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
