// Settings from the Worker env with the seed's names: parsed once per env object, errors name the setting.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { optionsFromEnv } from '../../src'
import { type CognitoAuthVariables, cognitoAuth } from '../../src/hono'
import { accessToken, authOptions } from '../helpers/auth'
import { CLIENT_ID, OTHER_CLIENT_ID, POOL_ID } from '../helpers/tokens'

const base = { COGNITO_POOL_ID: POOL_ID, APP_CLIENT_ID: CLIENT_ID }

describe('optionsFromEnv', () => {
  it('reads the seed settings with their defaults', () => {
    expect(optionsFromEnv(base)).toEqual({
      userPoolId: POOL_ID,
      clientId: [CLIENT_ID],
      clientSecret: null,
      endpoint: null,
      region: null,
      credentials: null,
      cookies: null,
      csrf: false,
      userLookup: { tokenField: 'sub', userField: 'sub', mapping: {}, autoCreate: false },
    })
  })

  it('reads every setting', () => {
    const settings = optionsFromEnv({
      ...base,
      APP_CLIENT_ID: `${CLIENT_ID}, ${OTHER_CLIENT_ID}`,
      APP_SECRET_KEY: 's3cr3t',
      COGNITO_TOKEN_REF_FIELD: 'email',
      COGNITO_USER_MODEL_FIELD_REF_FIELD: 'email',
      COGNITO_USER_FIELD_MAPPING: '{"username": "cognito:username"}',
      AUTO_CREATE_USER: 'True',
      COGNITO_COOKIE_MODE: true,
      USE_CSRF: 'false',
      HTTP_ONLY_COOKIE: '0',
      SECURE_COOKIE: 'no',
      COGNITO_ENDPOINT: 'http://127.0.0.1:9229',
      COGNITO_ISSUER: 'http://127.0.0.1:9229/local_pool',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      AWS_SESSION_TOKEN: 'session',
      AWS_REGION: 'eu-west-1',
    })
    expect(settings).toMatchObject({
      clientId: [CLIENT_ID, OTHER_CLIENT_ID],
      clientSecret: 's3cr3t',
      endpoint: 'http://127.0.0.1:9229',
      issuer: 'http://127.0.0.1:9229/local_pool',
      jwksUri: `http://127.0.0.1:9229/${POOL_ID}/.well-known/jwks.json`,
      region: 'eu-west-1',
      credentials: {
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
        sessionToken: 'session',
      },
      cookies: { httpOnly: false, secure: false },
      csrf: false,
      userLookup: { tokenField: 'email', userField: 'email', mapping: { username: 'cognito:username' }, autoCreate: true },
    })
  })

  it('reads key sets through COGNITO_ENDPOINT only for an emulator (with COGNITO_ISSUER), never against AWS', () => {
    const settings = optionsFromEnv({ ...base, COGNITO_ENDPOINT: 'https://cognito-proxy.example.com' })
    expect(settings.endpoint).toBe('https://cognito-proxy.example.com')
    expect(settings.jwksUri).toBeUndefined()
    expect(settings.issuer).toBeUndefined()
  })

  it('turns CSRF on by default in cookie mode', () => {
    expect(optionsFromEnv({ ...base, COGNITO_COOKIE_MODE: 'true' })).toMatchObject({
      cookies: { httpOnly: true, secure: true },
      csrf: true,
    })
  })

  const errors: [string, Record<string, unknown>, RegExp][] = [
    ['COGNITO_POOL_ID missing', { COGNITO_POOL_ID: undefined }, /^COGNITO_POOL_ID is required$/],
    ['COGNITO_POOL_ID not a pool id', { COGNITO_POOL_ID: 'my-pool' }, /^COGNITO_POOL_ID "my-pool" is not a Cognito user pool id/],
    ['COGNITO_POOL_ID not a string', { COGNITO_POOL_ID: 42 }, /^COGNITO_POOL_ID must be a string$/],
    ['APP_CLIENT_ID missing', { APP_CLIENT_ID: '' }, /^APP_CLIENT_ID is required$/],
    ['APP_CLIENT_ID with an empty entry', { APP_CLIENT_ID: `${CLIENT_ID},,x` }, /^APP_CLIENT_ID has an empty entry/],
    ['USE_CSRF not a boolean', { USE_CSRF: 'maybe' }, /^USE_CSRF must be true or false, not "maybe"$/],
    ['AUTO_CREATE_USER not a boolean', { AUTO_CREATE_USER: 'sometimes' }, /^AUTO_CREATE_USER must be true or false/],
    ['SECURE_COOKIE not a boolean', { COGNITO_COOKIE_MODE: 'true', SECURE_COOKIE: 'y' }, /^SECURE_COOKIE must be true or false/],
    [
      'HTTP_ONLY_COOKIE not a boolean',
      { COGNITO_COOKIE_MODE: 'true', HTTP_ONLY_COOKIE: '2' },
      /^HTTP_ONLY_COOKIE must be true or false/,
    ],
    [
      'COGNITO_USER_FIELD_MAPPING not JSON',
      { COGNITO_USER_FIELD_MAPPING: '{username: x}' },
      /^COGNITO_USER_FIELD_MAPPING must be a JSON object/,
    ],
    [
      'COGNITO_USER_FIELD_MAPPING a JSON list',
      { COGNITO_USER_FIELD_MAPPING: '["email"]' },
      /^COGNITO_USER_FIELD_MAPPING must be a JSON object/,
    ],
    [
      'COGNITO_USER_FIELD_MAPPING to a non-claim',
      { COGNITO_USER_FIELD_MAPPING: '{"email": 1}' },
      /^COGNITO_USER_FIELD_MAPPING maps "email"/,
    ],
    [
      'COGNITO_ENDPOINT not a URL',
      { COGNITO_ENDPOINT: 'localhost:9229' },
      /^COGNITO_ENDPOINT must be an absolute http\(s\) URL$/,
    ],
    ['COGNITO_ISSUER not a URL', { COGNITO_ISSUER: 'cognito' }, /^COGNITO_ISSUER must be an absolute http\(s\) URL$/],
    [
      'AWS_ACCESS_KEY_ID without its secret',
      { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE' },
      /^AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together$/,
    ],
  ]
  for (const [name, change, message] of errors) {
    it(`fails naming the setting: ${name}`, () => {
      expect(() => optionsFromEnv({ ...base, ...change })).toThrow(
        expect.objectContaining({ code: 'ERR_COGNITO_CONFIG', message: expect.stringMatching(message) }),
      )
    })
  }
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

  it('reads the seed settings from env by default, and a bad setting fails loudly, naming it', async () => {
    const app = new Hono()
    app.use(cognitoAuth())
    app.get('/', (c) => c.text('never'))
    app.onError((error, c) => c.text(error.message, 500))
    const res = await app.request('/', {}, { APP_CLIENT_ID: CLIENT_ID })
    expect(res.status).toBe(500)
    expect(await res.text()).toBe('COGNITO_POOL_ID is required')
  })

  it('an options object is checked when the middleware is built, not on the first request', () => {
    expect(() => cognitoAuth({ userPoolId: POOL_ID, clientId: CLIENT_ID, require: 'all' as never })).toThrow(/require must be/)
  })
})
