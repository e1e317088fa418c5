// Request bodies of the /auth endpoints (src/hono/routes/body.ts): a bounded JSON object whose
// fields are checked by name, so a 400 says which one is wrong — before anything reaches Cognito.
import { describe, expect, it } from 'vitest'
import { json, setup } from './app'

describe('request bodies', () => {
  const required: [string, string[]][] = [
    ['login', ['username', 'password']],
    ['confirm_login', ['username', 'challenge_name', 'session']],
    ['signup', ['username', 'password']],
    ['confirm_signup', ['username', 'code']],
    ['forgot_password', ['username']],
    ['confirm_forgot_password', ['username', 'code', 'new_password']],
  ]
  const complete: Record<string, unknown> = {
    username: 'alice',
    password: 'p',
    challenge_name: 'SMS_MFA',
    session: 's',
    code: '1',
    new_password: 'n',
  }
  for (const [path, fields] of required) {
    for (const field of fields) {
      it(`${path} without ${field} → 400 naming it`, async () => {
        const { cognito, post } = setup({})
        const { [field]: _dropped, ...body } = complete
        // confirm_signup reads a missing code from `password` (the seed's clients send it there).
        if (path === 'confirm_signup' && field === 'code') delete body.password
        const res = await post(path, body)
        expect(res.status).toBe(400)
        expect(await json(res)).toEqual({ error: `${field} is required`, code: 'ERR_COGNITO_BAD_REQUEST' })
        expect(cognito.calls).toHaveLength(0)
      })
    }
    it(`${path} with malformed JSON → 400`, async () => {
      const res = await setup({}).post(path, '{"username": ')
      expect(res.status).toBe(400)
      expect(await json(res)).toEqual({ error: 'the body is not valid JSON', code: 'ERR_COGNITO_BAD_REQUEST' })
    })
  }

  it('a JSON array body → 400', async () => {
    expect(await json(await setup({}).post('login', '[1]'))).toEqual({
      error: 'the body must be a JSON object',
      code: 'ERR_COGNITO_BAD_REQUEST',
    })
  })

  it('a field of the wrong type → 400 naming it', async () => {
    expect(await json(await setup({}).post('login', { username: 7, password: 'p' }))).toEqual({
      error: 'username must be a string',
      code: 'ERR_COGNITO_BAD_REQUEST',
    })
  })

  it('an oversized body → 400', async () => {
    const res = await setup({}).post('login', { username: 'a', password: 'x'.repeat(70_000) })
    expect(res.status).toBe(400)
  })

  it('an endless streamed body is cut off at the limit, not read to the end', async () => {
    let pulled = 0
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++
        controller.enqueue(new Uint8Array(16 * 1024).fill(0x20))
      },
    })
    const { app } = setup({})
    const res = await app.request('/auth/login', { method: 'POST', body: endless, duplex: 'half' } as RequestInit)
    expect(res.status).toBe(400)
    expect(await json(res)).toEqual({ error: 'the body is larger than 65536 bytes', code: 'ERR_COGNITO_BAD_REQUEST' })
    expect(pulled).toBeLessThan(10)
  })

  it('a Cognito answer that is not a JSON object → 503, not a crash', async () => {
    const { post } = setup({ InitiateAuth: () => new Response('null', { status: 200 }) })
    const res = await post('login', { username: 'a', password: 'b' })
    expect(res.status).toBe(503)
    expect(await json(res)).toMatchObject({ code: 'ERR_COGNITO_UNAVAILABLE' })
  })
})
