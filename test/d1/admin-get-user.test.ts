// attributes: 'admin-get-user': mapped values read from Cognito's AdminGetUser (the seed's source)
// through the signed client, with the fake Cognito standing in for Cognito.
import { env } from 'cloudflare:test'
import { drizzle } from 'drizzle-orm/d1'
import { Hono } from 'hono'
import { beforeEach, describe, expect, it } from 'vitest'
import { awsSigner } from '../../src/index'
import { cognitoAuth } from '../../src/hono'
import { type D1UserStoreOptions, cognitoUsers, d1UserStore } from '../../src/d1'
import { accessToken, authOptions, idToken } from '../helpers/auth'
import { CREDENTIALS, type FakeCognito, cognitoError, fakeCognito } from '../helpers/fake-cognito'
import { NOW, OTHER_ISSUER, OTHER_POOL_ID, POOL_ID, SUB } from '../helpers/tokens'
import { type CountingD1, countingD1, errorOf, userApp } from './d1'

const db = drizzle(env.DB)
let d1: CountingD1
let cognito: FakeCognito

/** AdminGetUser's answer for a user with these attributes. */
function cognitoAnswer(attributes: Record<string, string>, username = 'alice') {
  const UserAttributes = Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }))
  return { Username: username, UserAttributes, Enabled: true, UserStatus: 'CONFIRMED' }
}

function store(options: Partial<D1UserStoreOptions> = {}) {
  return d1UserStore({
    database: d1.database,
    autoCreate: true,
    attributes: 'admin-get-user',
    cognito: { region: 'us-east-1', signer: awsSigner(CREDENTIALS), fetch: cognito.fetch, retries: 0 },
    now: () => NOW,
    ...options,
  })
}

beforeEach(async () => {
  await db.delete(cognitoUsers)
  d1 = countingD1()
  cognito = fakeCognito({
    AdminGetUser: () => cognitoAnswer({ sub: SUB, email: 'alice@cognito.example', email_verified: 'true' }),
  })
})

describe('attributes from AdminGetUser', () => {
  it('creates the row from Cognito attributes; groups still come from the token', async () => {
    const { hono, handled } = userApp(store())
    const response = await hono.request('/api/me', { headers: { IDTOKEN: await idToken() } })
    expect(response.status).toBe(200)
    expect(handled[0]).toMatchObject({ sub: SUB, username: 'alice', email: 'alice@cognito.example', groups: ['admins'] })
    expect(await db.select().from(cognitoUsers)).toEqual(handled)
    expect(d1.writes()).toBe(1)
  })

  it('sends a SigV4-signed AdminGetUser for the username of the token, in the pool of its issuer', async () => {
    await userApp(store()).hono.request('/api/me', { headers: { IDTOKEN: await idToken() } })
    expect(cognito.calls).toHaveLength(1)
    const [request] = cognito.calls
    expect(request?.url).toBe('https://cognito-idp.us-east-1.amazonaws.com/')
    expect(request?.headers['x-amz-target']).toBe('AWSCognitoIdentityProviderService.AdminGetUser')
    expect(request?.headers['content-type']).toBe('application/x-amz-json-1.1')
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/cognito-idp\/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-target[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    )
    expect(request?.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/)
    expect(request?.body).toEqual({ UserPoolId: POOL_ID, Username: 'alice' })
  })

  it('asks the pool of the token’s issuer in that pool’s own region', async () => {
    const hono = new Hono().use(
      '/api/*',
      cognitoAuth(authOptions({ pool: { userPoolId: [POOL_ID, OTHER_POOL_ID] }, users: store() })),
    )
    hono.get('/api/me', (c) => c.json({ user: c.var.cognito.user }))
    const response = await hono.request('/api/me', { headers: { IDTOKEN: await idToken({ iss: OTHER_ISSUER }) } })
    expect(response.status).toBe(200)
    expect(cognito.calls.map(({ url, body }) => [url, body])).toEqual([
      ['https://cognito-idp.eu-west-1.amazonaws.com/', { UserPoolId: OTHER_POOL_ID, Username: 'alice' }],
    ])
    expect(cognito.calls[0]?.headers.authorization).toMatch(/\/eu-west-1\/cognito-idp\/aws4_request/)
  })

  it('with an access token alone, the username comes from its username claim', async () => {
    cognito.on('AdminGetUser', () => cognitoAnswer({ sub: SUB, email: 'bob@cognito.example' }, 'bob'))
    const response = await userApp(store()).hono.request('/api/me', {
      headers: { ACCESSTOKEN: await accessToken({ username: 'bob' }) },
    })
    expect(response.status).toBe(200)
    expect(cognito.calls[0]?.body).toEqual({ UserPoolId: POOL_ID, Username: 'bob' })
    expect(await db.select().from(cognitoUsers)).toMatchObject([{ username: 'bob', email: 'bob@cognito.example' }])
  })

  it('a warm request asks neither Cognito nor D1', async () => {
    const { hono } = userApp(store())
    const headers = { IDTOKEN: await idToken() }
    await hono.request('/api/me', { headers })
    d1.reset()
    cognito.calls.splice(0)
    expect((await hono.request('/api/me', { headers })).status).toBe(200)
    expect(cognito.calls).toEqual([])
    expect(d1.statements).toEqual([])
  })

  it('past the TTL: one read and one AdminGetUser; a changed attribute is written to the same row', async () => {
    let clock = NOW
    const { hono, handled } = userApp(store({ now: () => clock }))
    const headers = { IDTOKEN: await idToken() }
    await hono.request('/api/me', { headers })
    cognito.on('AdminGetUser', () => cognitoAnswer({ sub: SUB, email: 'alice@moved.example' }))
    d1.reset()
    cognito.calls.splice(0)
    clock += 60_000
    await hono.request('/api/me', { headers })
    expect(cognito.calls).toHaveLength(1)
    expect([d1.reads(), d1.writes()]).toEqual([1, 1])
    expect(handled[1]).toMatchObject({ id: handled[0]?.id, email: 'alice@moved.example', updatedAt: clock })
    expect(await db.select().from(cognitoUsers)).toHaveLength(1)
  })

  it('accepts a Cognito client built elsewhere', async () => {
    const client = cognito.client({ signer: awsSigner(CREDENTIALS) })
    const { hono } = userApp(store({ cognito: client }))
    expect((await hono.request('/api/me', { headers: { IDTOKEN: await idToken() } })).status).toBe(200)
    expect(cognito.calls).toHaveLength(1)
  })

  it('a user Cognito no longer has → 403 ERR_COGNITO_USER_NOT_FOUND, nothing written', async () => {
    cognito.on('AdminGetUser', () => cognitoError('UserNotFoundException', 'User does not exist.'))
    const response = await userApp(store()).hono.request('/api/me', { headers: { IDTOKEN: await idToken() } })
    expect(response.status).toBe(403)
    expect(await errorOf(response)).toBe('ERR_COGNITO_USER_NOT_FOUND')
    expect(d1.statements).toEqual([])
  })

  it('Cognito failing → 503 ERR_COGNITO_UNAVAILABLE, nothing written', async () => {
    cognito.on('AdminGetUser', () => cognitoError('InternalErrorException', 'boom', 500))
    const response = await userApp(store()).hono.request('/api/me', { headers: { IDTOKEN: await idToken() } })
    expect(response.status).toBe(503)
    expect(await errorOf(response)).toBe('ERR_COGNITO_UNAVAILABLE')
    expect(await db.select().from(cognitoUsers)).toEqual([])
  })

  it("an IAM refusal is a 503 too, without Cognito's message (it can name an ARN)", async () => {
    cognito.on('AdminGetUser', () =>
      cognitoError('AccessDeniedException', 'User: arn:aws:iam::123456789012:user/app is not authorized'),
    )
    const response = await userApp(store()).hono.request('/api/me', { headers: { IDTOKEN: await idToken() } })
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({
      error: 'Cognito AdminGetUser failed (ERR_COGNITO_REQUEST_FAILED)',
      code: 'ERR_COGNITO_UNAVAILABLE',
    })
  })
})
