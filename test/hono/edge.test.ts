// createCognitoEdge: one resolved configuration behind the middleware, the guards and the /auth
// routes of an app — one verifier, one Cognito client — built from settings or from the Worker env.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { optionsFromEnv, signIn } from '../../src/index'
import {
  type CognitoAuthOptionalVariables,
  type CognitoAuthVariables,
  cognitoAuth,
  createCognitoEdge,
  requireGroups,
} from '../../src/hono'
import { accessToken, authOptions, idToken, signingKey } from '../helpers/auth'
import { errorOf } from '../helpers/errors'
import { type CognitoHandler, fakeCognito } from '../helpers/fake-cognito'
import { jwksOf } from '../helpers/keys'
import { fakeOrigin } from '../helpers/origin'
import { CLIENT_ID, JWKS_URI, NOW_SECONDS, POOL_ID, SUB, accessClaims, idClaims, mint } from '../helpers/tokens'

const base = { COGNITO_POOL_ID: POOL_ID, APP_CLIENT_ID: CLIENT_ID }
const expiredTimes = { iat: NOW_SECONDS - 3700, auth_time: NOW_SECONDS - 3700, exp: NOW_SECONDS - 100 }

/** A Cognito that answers every InitiateAuth (sign-in or refresh) with fresh tokens of the test user. */
const issuing: CognitoHandler = async () => ({
  AuthenticationResult: {
    IdToken: await mint(signingKey, idClaims({ jti: crypto.randomUUID() })),
    AccessToken: await mint(signingKey, accessClaims({ jti: crypto.randomUUID() })),
    RefreshToken: 'refresh-1',
    ExpiresIn: 3600,
    TokenType: 'Bearer',
  },
})

describe('createCognitoEdge shares one verifier and one Cognito client', () => {
  it('edge.verifier is the middleware’s: one key-set fetch serves both, and every auth() of the edge', async () => {
    const origin = fakeOrigin(jwksOf(signingKey))
    const edge = createCognitoEdge(authOptions({ fetch: origin.fetch }))
    expect(await edge.verifier.verify(await accessToken())).toMatchObject({ sub: SUB })
    const app = new Hono<{ Variables: CognitoAuthOptionalVariables }>()
    app.use('/api/*', edge.auth())
    app.use('/public/*', edge.auth({ optional: true }))
    app.get('/api/me', (c) => c.text(c.var.cognito?.claims.sub ?? ''))
    app.get('/public/me', (c) => c.text(c.var.cognito?.claims.sub ?? ''))
    // Other tokens than the one verified above: only the key set, not the verified-token cache, can serve them.
    for (const path of ['/api/me', '/public/me']) {
      const res = await app.request(path, { headers: { ACCESSTOKEN: await accessToken({ jti: crypto.randomUUID() }) } })
      expect(await res.text()).toBe(SUB)
    }
    expect(origin.calls).toEqual([JWKS_URI])
  })

  it('the /auth routes and the renewals of auth() go through the one client, edge.cognito', async () => {
    const cognito = fakeCognito({ InitiateAuth: issuing })
    const keys = fakeOrigin(jwksOf(signingKey))
    const client = cognito.client({ clientSecret: 's3cr3t' })
    const edge = createCognitoEdge(authOptions({ fetch: keys.fetch, cognito: { client } }))
    expect(edge.cognito).toBe(client)
    const app = new Hono<{ Variables: CognitoAuthVariables }>()
    app.route('/auth', edge.routes())
    app.use('/api/*', edge.auth())
    app.get('/api/me', (c) => c.json({ refreshed: c.var.cognito.refreshed }))

    const login = await app.request('/auth/login', { method: 'POST', body: JSON.stringify({ username: 'alice', password: 'p' }) })
    expect(login.status).toBe(200)
    const expired = {
      IDTOKEN: await mint(signingKey, idClaims(expiredTimes)),
      ACCESSTOKEN: await mint(signingKey, accessClaims(expiredTimes)),
      REFRESHTOKEN: 'refresh-1',
    }
    expect(await (await app.request('/api/me', { headers: expired })).json()).toEqual({ refreshed: true })

    const hash = await client.secretHash('alice')
    expect(cognito.calls.map((call) => call.body.AuthParameters)).toEqual([
      { USERNAME: 'alice', PASSWORD: 'p', SECRET_HASH: hash },
      { REFRESH_TOKEN: 'refresh-1', SECRET_HASH: hash },
    ])
    // The settings' own fetch carried key sets only: no Cognito call went around the client.
    expect(new Set(keys.calls)).toEqual(new Set([JWKS_URI]))
  })

  it('edge.cognito is built from the cognito section, for the framework-free operations', async () => {
    const cognito = fakeCognito({ InitiateAuth: issuing })
    const edge = createCognitoEdge(authOptions({ fetch: cognito.fetch, cognito: { clientSecret: 's3cr3t', timeoutMs: 1000 } }))
    expect(edge.cognito).toMatchObject({ clientId: CLIENT_ID, region: 'us-east-1', signed: false, maxCallMs: (1000 + 100) * 2 })
    expect(await signIn(edge.cognito, { username: 'alice', password: 'p' })).toMatchObject({ kind: 'tokens' })
    expect(cognito.calls[0]?.body.AuthParameters).toMatchObject({ SECRET_HASH: await edge.cognito.secretHash('alice') })
  })

  it("the client's region is the first pool's, or cognito.region; an emulator pool gets us-east-1", () => {
    const regionOf = (overrides: Parameters<typeof authOptions>[0]) => createCognitoEdge(authOptions(overrides)).cognito.region
    expect(regionOf({ pool: { userPoolId: ['eu-west-1_OtherPool', POOL_ID] } })).toBe('eu-west-1')
    expect(regionOf({ cognito: { region: 'ap-southeast-2' } })).toBe('ap-southeast-2')
    expect(regionOf({ pool: { userPoolId: 'local_pool', issuer: 'http://127.0.0.1:9229/local_pool' } })).toBe('us-east-1')
  })
})

describe('createCognitoEdge with a function of env', () => {
  it('resolves once per env object; for(env) gives the verifier, client and revocation list its requests use', async () => {
    let resolutions = 0
    const origin = fakeOrigin(jwksOf(signingKey))
    const edge = createCognitoEdge((env: Record<string, unknown>) => {
      resolutions++
      return { ...authOptions({ fetch: origin.fetch }), ...optionsFromEnv(env) }
    })
    expect(resolutions).toBe(0) // nothing is resolved before there is an env
    expect('verifier' in edge).toBe(false)
    const app = new Hono<{ Variables: CognitoAuthVariables }>().use(edge.auth())
    app.get('/', (c) => c.text(c.var.cognito.claims.sub))

    const env = { ...base }
    const { verifier, cognito } = edge.for(env)
    expect(edge.for(env)).toEqual({ verifier, cognito, revocations: null })
    expect(edge.for(env).verifier).toBe(verifier)
    await verifier.verify(await accessToken())
    const res = await app.request('/', { headers: { ACCESSTOKEN: await accessToken({ jti: crypto.randomUUID() }) } }, env)
    expect(await res.text()).toBe(SUB)
    expect(origin.calls).toEqual([JWKS_URI]) // the request used the key set for(env)'s verifier fetched
    expect(resolutions).toBe(1)

    const other = edge.for({ ...base })
    expect(other.verifier).not.toBe(verifier)
    expect(other.cognito).not.toBe(cognito)
    expect(resolutions).toBe(2)
  })

  it('an unknown setting from env fails on the first request, loudly, naming it', async () => {
    const edge = createCognitoEdge((env: Record<string, unknown>) => ({ ...optionsFromEnv(env), cokies: {} }) as never)
    const app = new Hono()
    app.use(edge.auth())
    app.get('/', (c) => c.text('never'))
    app.onError((error, c) => c.text(error.message, 500))
    const res = await app.request('/', {}, base)
    expect(res.status).toBe(500)
    expect(await res.text()).toMatch(/^createCognitoEdge settings has no option "cokies"/)
  })
})

describe('overrides of auth() and routes()', () => {
  it('auth({ optional: true }) lets anonymous requests through where it is used, and only there', async () => {
    const edge = createCognitoEdge(authOptions())
    const app = new Hono<{ Variables: CognitoAuthOptionalVariables }>()
    app.use('/public/*', edge.auth({ optional: true }))
    app.use('/api/*', edge.auth())
    app.get('/public/home', (c) => c.json({ user: c.var.cognito }))
    app.get('/api/me', (c) => c.text('me'))
    app.get('/public/admin', requireGroups('admins'), (c) => c.text('admin'))

    const anonymous = await app.request('/public/home')
    expect([anonymous.status, await anonymous.json()]).toEqual([200, { user: null }])
    expect((await errorOf(await app.request('/api/me'))).code).toBe('ERR_COGNITO_TOKEN_MISSING')
    expect((await app.request('/public/admin')).status).toBe(401)
    const expired = await app.request('/public/home', { headers: { IDTOKEN: await idToken({ exp: NOW_SECONDS - 1 }) } })
    expect((await errorOf(expired)).code).toBe('ERR_COGNITO_EXPIRED') // optional, but an invalid token is still refused
  })

  it('auth({ require }) lays over the auth section, keeping the rest of it', async () => {
    const edge = createCognitoEdge(authOptions({ auth: { optional: true } }))
    const app = new Hono()
    app.use('/both/*', edge.auth({ require: 'both' }))
    app.get('/both/me', (c) => c.text('both'))
    expect((await app.request('/both/me')).status).toBe(200) // still optional: anonymous passes
    const idOnly = await app.request('/both/me', { headers: { IDTOKEN: await idToken() } })
    expect((await errorOf(idOnly)).code).toBe('ERR_COGNITO_TOKEN_MISSING')
  })

  it('routes({ globalSignOut: true }) changes that mount only', async () => {
    const cognito = fakeCognito({ RevokeToken: () => ({}), GlobalSignOut: () => ({}) })
    const edge = createCognitoEdge(authOptions({ fetch: cognito.fetch }))
    const app = new Hono().route('/auth', edge.routes()).route('/everywhere', edge.routes({ globalSignOut: true }))
    const logout = (mount: string) =>
      app.request(`/${mount}/logout`, { method: 'POST', headers: { REFRESHTOKEN: 'r1', ACCESSTOKEN: 'access-1' } })
    expect(await (await logout('auth')).json()).toMatchObject({ global: false })
    expect(await (await logout('everywhere')).json()).toMatchObject({ global: true })
    expect(cognito.calls.map((call) => call.operation)).toEqual(['RevokeToken', 'RevokeToken', 'GlobalSignOut'])
  })

  it('an override is checked when the middleware or the routes are built', () => {
    const edge = createCognitoEdge(authOptions())
    const configError = (message: RegExp) =>
      expect.objectContaining({ code: 'ERR_COGNITO_CONFIG', message: expect.stringMatching(message) })
    expect(() => edge.auth({ require: 'all' as never })).toThrow(configError(/^auth.require must be/))
    expect(() => edge.auth({ optinal: true } as never)).toThrow(configError(/^auth has no option "optinal"/))
    expect(() => edge.routes({ globalSignOut: 'yes' as never })).toThrow(
      configError(/^routes.globalSignOut must be true or false$/),
    )
  })
})

describe('cognitoAuth with options from env', () => {
  it('resolves the options once per env object, not per request', async () => {
    let resolutions = 0
    const app = new Hono<{ Bindings: Record<string, unknown>; Variables: CognitoAuthVariables }>()
    app.use(
      cognitoAuth((env: Record<string, unknown>) => {
        resolutions++
        return { ...authOptions(), ...optionsFromEnv(env) }
      }),
    )
    app.get('/', (c) => c.text(c.var.cognito.claims.sub))
    const env = { ...base }
    const token = await accessToken()
    for (let i = 0; i < 5; i++) expect((await app.request('/', { headers: { ACCESSTOKEN: token } }, env)).status).toBe(200)
    expect(resolutions).toBe(1)
    await app.request('/', { headers: { ACCESSTOKEN: token } }, { ...base })
    expect(resolutions).toBe(2)
  })

  it('reads the seed settings from env with cognitoAuth(optionsFromEnv), and a bad setting fails loudly, naming it', async () => {
    const app = new Hono()
    app.use(cognitoAuth(optionsFromEnv))
    app.get('/', (c) => c.text('never'))
    app.onError((error, c) => c.text(error.message, 500))
    const res = await app.request('/', {}, { APP_CLIENT_ID: CLIENT_ID })
    expect(res.status).toBe(500)
    expect(await res.text()).toBe('COGNITO_POOL_ID is required')
  })

  it('an options object is checked when the middleware is built, not on the first request', () => {
    expect(() => cognitoAuth(authOptions({ auth: { require: 'all' as never } }))).toThrow(
      expect.objectContaining({ code: 'ERR_COGNITO_CONFIG', message: expect.stringMatching(/^auth.require must be/) }),
    )
  })
})
