// requireGroups and requireScopes after cognitoAuth, through a real Hono app: 403 insufficient_scope
// with the exact challenge, and configuration errors when a guard is built. Which token a group
// guard reads is test/security/group-guards-read-the-access-token.test.ts.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { type CognitoAuthVariables, cognitoAuth, requireGroups, requireScopes } from '../../src/hono'
import { accessToken, authOptions, idToken } from '../helpers/auth'

function app() {
  const hono = new Hono<{ Variables: CognitoAuthVariables }>()
  hono.use('/api/*', cognitoAuth(authOptions()))
  hono.get('/api/admin', requireGroups('admins', 'owners'), (c) => c.text('admin'))
  hono.get('/api/billing', requireGroups('billing'), (c) => c.text('billing'))
  hono.get('/api/write', requireScopes('openid', 'orders/write'), (c) => c.text('write'))
  hono.get('/api/read', requireScopes('openid', 'email'), (c) => c.text('read'))
  return { hono }
}

async function body(res: Response) {
  return (await res.json()) as { error?: string; code?: string }
}

describe('guards', () => {
  it('requireGroups passes a member of any listed group', async () => {
    const res = await app().hono.request('/api/admin', {
      headers: { ACCESSTOKEN: await accessToken({ 'cognito:groups': ['owners'] }) },
    })
    expect(res.status).toBe(200)
  })

  it('requireGroups refuses a non-member with 403 insufficient_scope', async () => {
    const res = await app().hono.request('/api/billing', { headers: { ACCESSTOKEN: await accessToken() } })
    expect(res.status).toBe(403)
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="cognito-edge", error="insufficient_scope", error_description="one of these groups is required: billing"',
    )
    expect((await body(res)).code).toBe('ERR_COGNITO_GROUP')
  })

  it('requireGroups refuses a user with no groups claim', async () => {
    const res = await app().hono.request('/api/admin', {
      headers: { ACCESSTOKEN: await accessToken({ 'cognito:groups': undefined }) },
    })
    expect(res.status).toBe(403)
  })

  it('requireScopes passes when every scope is granted', async () => {
    const res = await app().hono.request('/api/read', { headers: { ACCESSTOKEN: await accessToken() } })
    expect(res.status).toBe(200)
  })

  it('requireScopes refuses a missing scope, naming the scopes in the challenge', async () => {
    const res = await app().hono.request('/api/write', { headers: { ACCESSTOKEN: await accessToken() } })
    expect(res.status).toBe(403)
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="cognito-edge", error="insufficient_scope", error_description="the access token lacks the scope orders/write", scope="openid orders/write"',
    )
    expect((await body(res)).code).toBe('ERR_COGNITO_SCOPE')
  })

  it('requireScopes refuses a session without an access token', async () => {
    const res = await app().hono.request('/api/read', { headers: { IDTOKEN: await idToken() } })
    expect(res.status).toBe(403)
    expect((await body(res)).error).toBe('scopes need an access token')
  })

  it('a guard without names is a configuration error', () => {
    expect(() => requireGroups()).toThrow(expect.objectContaining({ code: 'ERR_COGNITO_CONFIG' }))
    expect(() => requireScopes('')).toThrow(expect.objectContaining({ code: 'ERR_COGNITO_CONFIG' }))
  })
})
