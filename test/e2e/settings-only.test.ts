// A Worker configured by env alone, as the seed was by its Django settings: its code passes no
// option, and wrangler-style vars give it the pool, the user table (COGNITO_USERS_D1), auto-create
// and a field mapping. Run in workerd (miniflare) with its own D1, against cognito-local.
import type { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envOnlyWorker, settings } from './env-worker'
import { login, stack } from './helpers'

let mf: Miniflare

describe('a Worker configured only through env', () => {
  beforeAll(async () => {
    mf = await envOnlyWorker(settings())
  })
  afterAll(async () => {
    await mf?.dispose()
  })

  it('auto-creates the user on first sight, with the mapped column, in the D1 binding COGNITO_USERS_D1 names', async () => {
    const tokens = await login(stack.demoUser.username, stack.demoUser.password)
    const res = await mf.dispatchFetch('http://worker/api/me', {
      headers: { IDTOKEN: tokens.IdToken, ACCESSTOKEN: tokens.AccessToken },
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ sub: stack.demoUser.sub, username: stack.demoUser.email })
    const db = await mf.getD1Database('USERS')
    const rows = await db.prepare('SELECT sub, username, email FROM cognito_users').all()
    expect(rows.results).toEqual([{ sub: stack.demoUser.sub, username: stack.demoUser.email, email: stack.demoUser.email }])
  })

  it('signs in through its /auth routes, answering the seed shape', async () => {
    const res = await mf.dispatchFetch('http://worker/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: stack.demoUser.username, password: stack.demoUser.password }),
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ AuthenticationResult: { TokenType: 'Bearer' }, ChallengeParameters: {} })
  })

  it('a user setting without COGNITO_USERS_D1 fails every request (500) instead of running without users', async () => {
    const { COGNITO_USERS_D1: _unused, ...rest } = settings()
    const broken = await envOnlyWorker(rest)
    try {
      const tokens = await login(stack.demoUser.username, stack.demoUser.password)
      const res = await broken.dispatchFetch('http://worker/api/me', { headers: { IDTOKEN: tokens.IdToken } })
      expect(res.status).toBe(500)
    } finally {
      await broken.dispose()
    }
  })
})
