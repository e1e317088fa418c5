// Found beside review item 1: with attributes 'admin-get-user', the store asks Cognito about the token's
// username. A username freed by a deleted user can belong to someone else by then, while the deleted user's
// tokens still verify until they expire; that other user's attributes must not land in this sub's row.
import { env } from 'cloudflare:test'
import { drizzle } from 'drizzle-orm/d1'
import { beforeEach, expect, it } from 'vitest'
import { awsSigner } from '../../src/index'
import { cognitoUsers, d1UserStore } from '../../src/d1'
import { idToken } from '../helpers/auth'
import { CREDENTIALS, fakeCognito } from '../helpers/fake-cognito'
import { NOW } from '../helpers/tokens'
import { errorOf, userApp } from '../d1/d1'

const db = drizzle(env.DB)

beforeEach(async () => {
  await db.delete(cognitoUsers)
})

it('AdminGetUser answering with another sub → 403 ERR_COGNITO_USER_NOT_FOUND, nothing written', async () => {
  // Cognito's answer for "alice" now: a new user with another sub.
  const cognito = fakeCognito({
    AdminGetUser: () => ({
      Username: 'alice',
      UserAttributes: [
        { Name: 'sub', Value: '33333333-3333-4333-8333-333333333333' },
        { Name: 'email', Value: 'new-alice@example.com' },
      ],
    }),
  })
  const users = d1UserStore({
    database: env.DB,
    autoCreate: true,
    attributes: 'admin-get-user',
    cognito: cognito.client({ signer: awsSigner(CREDENTIALS), retries: 0 }),
    now: () => NOW,
  })
  const { hono, handled } = userApp(users)
  const response = await hono.request('/api/me', { headers: { IDTOKEN: await idToken() } })
  expect(response.status).toBe(403)
  expect(await errorOf(response)).toBe('ERR_COGNITO_USER_NOT_FOUND')
  expect(handled).toEqual([])
  expect(await db.select().from(cognitoUsers)).toEqual([])
  expect(cognito.calls.map((call) => call.operation)).toEqual(['AdminGetUser'])
})
