// Item 13 of the session-layer review: group guards decide from the access token whenever one was
// presented, and which token a guard reads is an option: `from: 'access'` refuses an ID token
// alone (its groups are only as fresh as the ID token's life), `from: 'id'` reads the ID token.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { type CognitoAuthVariables, cognitoAuth, requireGroups } from '../../src/hono'
import { authOptions, signingKey } from '../helpers/auth'
import { errorOf } from '../helpers/errors'
import { accessClaims, idClaims, mint } from '../helpers/tokens'

function guarded(guard: ReturnType<typeof requireGroups>) {
  const app = new Hono<{ Variables: CognitoAuthVariables }>()
  app.use('*', cognitoAuth(authOptions()))
  app.get('/admin', guard, (c) => c.text('admin'))
  return app
}

const inAdmins = { 'cognito:groups': ['admins'] }
const removedFromAdmins = { 'cognito:groups': ['staff'] }

async function status(app: Hono<{ Variables: CognitoAuthVariables }>, headers: Record<string, string>) {
  const res = await app.request('/admin', { headers })
  return res.status === 200 ? 200 : `${res.status} ${(await errorOf(res)).code}`
}

describe('requireGroups reads the access token', () => {
  it('by default, the access token decides when both are presented (ID token says admins, access token does not)', async () => {
    const app = guarded(requireGroups('admins'))
    const headers = {
      IDTOKEN: await mint(signingKey, idClaims(inAdmins)),
      ACCESSTOKEN: await mint(signingKey, accessClaims(removedFromAdmins)),
    }
    expect(await status(app, headers)).toBe('403 ERR_COGNITO_GROUP')
  })

  it("from: 'access' refuses a request that presented only an ID token", async () => {
    const app = guarded(requireGroups('admins', { from: 'access' }))
    expect(await status(app, { IDTOKEN: await mint(signingKey, idClaims(inAdmins)) })).toBe('403 ERR_COGNITO_GROUP')
  })

  it("from: 'access' lets an access token in the group through", async () => {
    const app = guarded(requireGroups('admins', { from: 'access' }))
    expect(await status(app, { ACCESSTOKEN: await mint(signingKey, accessClaims(inAdmins)) })).toBe(200)
  })

  it("from: 'id' reads the ID token's groups", async () => {
    const app = guarded(requireGroups('admins', { from: 'id' }))
    const headers = {
      IDTOKEN: await mint(signingKey, idClaims(inAdmins)),
      ACCESSTOKEN: await mint(signingKey, accessClaims(removedFromAdmins)),
    }
    expect(await status(app, headers)).toBe(200)
  })

  it('an unknown `from` is refused when the guard is built', () => {
    expect(() => requireGroups('admins', { from: 'both' as 'id' })).toThrow(/from/)
  })
})
