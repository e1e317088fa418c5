// A django-cognito-redux client replayed against a cognito-edge Worker configured by env alone:
// the same requests, reading the same fields of the same answers. Run against cognito-local.
import type { Miniflare } from 'miniflare'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envOnlyWorker, settings } from './env-worker'
import { emulator, stack } from './helpers'

let mf: Miniflare
const run = Date.now().toString(36)

/** The fields seed clients read. */
interface SeedAnswer {
  AuthenticationResult: { IdToken: string; AccessToken: string; RefreshToken: string; TokenType: string }
  ChallengeName?: string
  Session?: string
  CodeDeliveryDetails: Record<string, string>
  UserConfirmed?: boolean
  [field: string]: unknown
}

/** What a seed client does: POST JSON to /auth/<path>, read JSON back. */
async function seed(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await mf.dispatchFetch(`http://worker/auth/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as SeedAnswer }
}

/** The confirmation code cognito-local keeps for a pending sign-up (it "sends" none). */
function pendingCode(email: string): string {
  const pool = JSON.parse(readFileSync(join(stack.cognitoDataDir, 'db', `${stack.poolId}.json`), 'utf8')) as {
    Users: Record<string, { Attributes?: { Name: string; Value: string }[]; ConfirmationCode?: string }>
  }
  const user = Object.values(pool.Users).find((u) => u.Attributes?.some((a) => a.Name === 'email' && a.Value === email))
  if (!user?.ConfirmationCode) throw new Error(`no pending code for ${email}`)
  return user.ConfirmationCode
}

describe('a seed client, unchanged', () => {
  beforeAll(async () => {
    mf = await envOnlyWorker(settings())
  })
  afterAll(async () => {
    await mf?.dispose()
  })

  it('logs in and reads AuthenticationResult.IdToken, then calls the API with the seed headers', async () => {
    const { status, body } = await seed('login', { username: stack.demoUser.username, password: stack.demoUser.password })
    expect(status).toBe(200)
    expect(Object.keys(body).sort()).toEqual(['AuthenticationResult', 'ChallengeParameters'])
    const { IdToken, AccessToken, RefreshToken, TokenType } = body.AuthenticationResult
    expect([typeof IdToken, typeof AccessToken, typeof RefreshToken, TokenType]).toEqual(['string', 'string', 'string', 'Bearer'])
    const me = await mf.dispatchFetch('http://worker/api/me', { headers: { IDTOKEN: IdToken, ACCESSTOKEN: AccessToken } })
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({ sub: stack.demoUser.sub })
  })

  it('meets a NEW_PASSWORD_REQUIRED challenge at login and answers it through confirm_login', async () => {
    const email = `invited-${run}@example.com`
    await emulator('AdminCreateUser', {
      UserPoolId: stack.poolId,
      Username: email,
      TemporaryPassword: 'Temp-Passw0rd!',
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: email }],
    })
    const first = await seed('login', { username: email, password: 'Temp-Passw0rd!' })
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: expect.any(String) })
    expect(first.body).not.toHaveProperty('AuthenticationResult')
    const answered = await seed('confirm_login', {
      username: email,
      challenge_name: first.body.ChallengeName,
      session: first.body.Session,
      new_password: 'Chosen-Passw0rd!',
    })
    expect(answered.status).toBe(200)
    expect(typeof answered.body.AuthenticationResult.IdToken).toBe('string')
  })

  it('signs up and confirms with the code in `password`, as the seed read it', async () => {
    const email = `signup-${run}@example.com`
    const signup = await seed('signup', {
      username: email,
      password: 'Signup-Passw0rd!',
      user_attributes: { email },
    })
    expect(signup.status).toBe(200)
    expect(signup.body.UserConfirmed).toBe(false)
    const confirmed = await seed('confirm_signup', { username: email, password: pendingCode(email) })
    expect(confirmed).toEqual({ status: 200, body: { confirmed: true } })
    const login = await seed('login', { username: email, password: 'Signup-Passw0rd!' })
    expect(login.status).toBe(200)
  })

  it('asks for a password reset and reads CodeDeliveryDetails; an unknown user gets the same shape', async () => {
    const known = await seed('forgot_password', { username: stack.demoUser.username })
    const unknown = await seed('forgot_password', { username: `nobody-${run}@example.com` })
    for (const answer of [known, unknown]) {
      expect(answer.status).toBe(200)
      expect(Object.keys(answer.body.CodeDeliveryDetails).sort()).toEqual(['AttributeName', 'DeliveryMedium', 'Destination'])
      expect(answer.body.CodeDeliveryDetails.DeliveryMedium).toBe('EMAIL')
    }
  })

  it('shows `error` as a sentence, and branches on `code`', async () => {
    const { status, body } = await seed('login', { username: stack.demoUser.username, password: 'wrong-Passw0rd!' })
    expect(status).toBe(401)
    expect(body).toEqual({ error: 'Incorrect username or password.', code: 'ERR_COGNITO_NOT_AUTHORIZED' })
  })
})
