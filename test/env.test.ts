// Settings from the Worker env with the seed's names: the sectioned shape optionsFromEnv produces,
// the user-table settings of userLookupFromEnv, and errors that name the setting.
import { describe, expect, it } from 'vitest'
import { optionsFromEnv, userLookupFromEnv } from '../src/index'
import { CLIENT_ID, OTHER_CLIENT_ID, OTHER_POOL_ID, POOL_ID } from './helpers/tokens'

const base = { COGNITO_POOL_ID: POOL_ID, APP_CLIENT_ID: CLIENT_ID }

/** The Authorization header a signer puts on a Cognito call in `region`. */
async function signedBy(signer: { sign: (request: never) => Promise<Headers> } | null | undefined, region = 'eu-west-1') {
  const request = { url: `https://cognito-idp.${region}.amazonaws.com/`, region, headers: { 'x-amz-target': 'T' }, body: '{}' }
  const headers = await signer?.sign(request as never)
  return { authorization: headers?.get('authorization'), sessionToken: headers?.get('x-amz-security-token') }
}

describe('optionsFromEnv', () => {
  it('reads the seed settings with their defaults', () => {
    expect(optionsFromEnv(base)).toEqual({
      pool: { userPoolId: POOL_ID, clientId: [CLIENT_ID] },
      cognito: { region: null, endpoint: null, clientSecret: null, signer: null },
      cookies: null,
      // SECURE_COOKIE and HTTP_ONLY_COOKIE reach the csrftoken cookie outside cookie mode too.
      csrf: { check: false, secure: true, httpOnly: true },
      auth: { require: 'any' },
    })
    expect(userLookupFromEnv(base)).toEqual({ tokenField: 'sub', userField: 'sub', mapping: {}, autoCreate: false })
  })

  it('reads every setting', async () => {
    const env = {
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
      COGNITO_REQUIRED_TOKENS: 'both',
    }
    const settings = optionsFromEnv(env, { users: 'in code' })
    expect(settings).toEqual({
      pool: {
        userPoolId: POOL_ID,
        clientId: [CLIENT_ID, OTHER_CLIENT_ID],
        issuer: 'http://127.0.0.1:9229/local_pool',
        jwksUri: `http://127.0.0.1:9229/${POOL_ID}/.well-known/jwks.json`,
      },
      cognito: { region: 'eu-west-1', endpoint: 'http://127.0.0.1:9229', clientSecret: 's3cr3t', signer: expect.anything() },
      cookies: { httpOnly: false, secure: false },
      csrf: { check: false, secure: false, httpOnly: false },
      auth: { require: 'both' },
    })
    // The credentials became a signer: calls are signed with the key id, and carry the session token.
    expect(await signedBy(settings.cognito?.signer)).toEqual({
      authorization: expect.stringMatching(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/cognito-idp\/aws4_request, /,
      ),
      sessionToken: 'session',
    })
    expect(userLookupFromEnv(env)).toEqual({
      tokenField: 'email',
      userField: 'email',
      mapping: { username: 'cognito:username' },
      autoCreate: true,
    })
  })

  it('reads key sets through COGNITO_ENDPOINT only for an emulator (with COGNITO_ISSUER), never against AWS', () => {
    const settings = optionsFromEnv({ ...base, COGNITO_ENDPOINT: 'https://cognito-proxy.example.com' })
    expect(settings.cognito?.endpoint).toBe('https://cognito-proxy.example.com')
    expect(settings.pool).toEqual({ userPoolId: POOL_ID, clientId: [CLIENT_ID] })
  })

  it('turns CSRF on by default in cookie mode', () => {
    expect(optionsFromEnv({ ...base, COGNITO_COOKIE_MODE: 'true' })).toMatchObject({
      cookies: { httpOnly: true, secure: true },
      csrf: { check: true, secure: true, httpOnly: true },
    })
  })

  it('a user-table setting is never ignored: it needs settingsFromEnv, or { users: "in code" }', () => {
    for (const name of [
      'AUTO_CREATE_USER',
      'COGNITO_TOKEN_REF_FIELD',
      'COGNITO_USER_MODEL_FIELD_REF_FIELD',
      'COGNITO_USER_FIELD_MAPPING',
    ]) {
      expect(() => optionsFromEnv({ ...base, [name]: 'true' })).toThrow(
        new RegExp(`^${name} is set: read env with settingsFromEnv`),
      )
      expect(() => optionsFromEnv({ ...base, [name]: 'true' }, { users: 'in code' })).not.toThrow()
    }
    expect(() => optionsFromEnv({ ...base, COGNITO_USERS_D1: 'DB' }, { users: 'in code' })).toThrow(/COGNITO_USERS_D1 is set/)
  })

  it('COGNITO_REQUIRED_TOKENS: any case of any, access, id or both; anything else names the setting', () => {
    expect(optionsFromEnv({ ...base, COGNITO_REQUIRED_TOKENS: 'Both' }).auth).toEqual({ require: 'both' })
    expect(() => optionsFromEnv({ ...base, COGNITO_REQUIRED_TOKENS: 'all' })).toThrow(/COGNITO_REQUIRED_TOKENS must be one of/)
  })

  it('reads AWS_DEFAULT_REGION when AWS_REGION is absent; AWS_REGION wins when both are set', () => {
    expect(optionsFromEnv({ ...base, AWS_DEFAULT_REGION: 'ap-southeast-2' }).cognito?.region).toBe('ap-southeast-2')
    expect(optionsFromEnv({ ...base, AWS_DEFAULT_REGION: 'ap-southeast-2', AWS_REGION: 'eu-west-1' }).cognito?.region).toBe(
      'eu-west-1',
    )
  })

  it('signs without a session token for long-lived credentials', async () => {
    const { signer } =
      optionsFromEnv({ ...base, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' }).cognito ?? {}
    expect(await signedBy(signer, 'us-east-1')).toEqual({
      authorization: expect.stringMatching(/Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/cognito-idp\//),
      sessionToken: null,
    })
  })

  it('reads several pools, each checked', () => {
    expect(optionsFromEnv({ ...base, COGNITO_POOL_ID: `${POOL_ID},${OTHER_POOL_ID}` }).pool.userPoolId).toEqual([
      POOL_ID,
      OTHER_POOL_ID,
    ])
  })

  type Reader = (env: Record<string, unknown>) => unknown
  const errors: [string, Record<string, unknown>, RegExp, Reader?][] = [
    ['COGNITO_POOL_ID missing', { COGNITO_POOL_ID: undefined }, /^COGNITO_POOL_ID is required$/],
    ['COGNITO_POOL_ID not a pool id', { COGNITO_POOL_ID: 'my-pool' }, /^COGNITO_POOL_ID "my-pool" is not a Cognito user pool id/],
    ['COGNITO_POOL_ID not a string', { COGNITO_POOL_ID: 42 }, /^COGNITO_POOL_ID must be a string$/],
    ['APP_CLIENT_ID missing', { APP_CLIENT_ID: '' }, /^APP_CLIENT_ID is required$/],
    ['APP_CLIENT_ID with an empty entry', { APP_CLIENT_ID: `${CLIENT_ID},,x` }, /^APP_CLIENT_ID has an empty entry/],
    ['USE_CSRF not a boolean', { USE_CSRF: 'maybe' }, /^USE_CSRF must be true or false, not "maybe"$/],
    [
      'AUTO_CREATE_USER not a boolean',
      { AUTO_CREATE_USER: 'sometimes' },
      /^AUTO_CREATE_USER must be true or false/,
      userLookupFromEnv,
    ],
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
      userLookupFromEnv,
    ],
    [
      'COGNITO_USER_FIELD_MAPPING a JSON list',
      { COGNITO_USER_FIELD_MAPPING: '["email"]' },
      /^COGNITO_USER_FIELD_MAPPING must be a JSON object/,
      userLookupFromEnv,
    ],
    [
      'COGNITO_USER_FIELD_MAPPING to a non-claim',
      { COGNITO_USER_FIELD_MAPPING: '{"email": 1}' },
      /^COGNITO_USER_FIELD_MAPPING maps "email"/,
      userLookupFromEnv,
    ],
    [
      'COGNITO_ENDPOINT not a URL',
      { COGNITO_ENDPOINT: 'localhost:9229' },
      /^COGNITO_ENDPOINT must be an absolute http\(s\) URL$/,
    ],
    ['COGNITO_ISSUER not a URL', { COGNITO_ISSUER: 'cognito' }, /^COGNITO_ISSUER must be an absolute http\(s\) URL$/],
    [
      'COGNITO_ISSUER with several pools',
      { COGNITO_POOL_ID: `${POOL_ID},${OTHER_POOL_ID}`, COGNITO_ISSUER: 'http://127.0.0.1:9229/local_pool' },
      /^COGNITO_ISSUER can only be set with a single COGNITO_POOL_ID$/,
    ],
    [
      'AWS_ACCESS_KEY_ID without its secret',
      { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE' },
      /^AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together$/,
    ],
    [
      'AWS_SECRET_ACCESS_KEY without its key id',
      { AWS_SECRET_ACCESS_KEY: 'secret' },
      /^AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together$/,
    ],
  ]
  for (const [name, change, message, read = optionsFromEnv] of errors) {
    it(`fails naming the setting: ${name}`, () => {
      expect(() => read({ ...base, ...change })).toThrow(
        expect.objectContaining({ code: 'ERR_COGNITO_CONFIG', message: expect.stringMatching(message) }),
      )
    })
  }

  it('refuses something other than an env object, in both readers', () => {
    for (const read of [optionsFromEnv, userLookupFromEnv] as Reader[]) {
      expect(() => read(null as never)).toThrow(
        expect.objectContaining({ code: 'ERR_COGNITO_CONFIG', message: 'env must be the Worker environment object' }),
      )
    }
  })
})

describe('optionsFromEnv: managed login', () => {
  const hosted = {
    ...base,
    COGNITO_COOKIE_MODE: 'true',
    COGNITO_DOMAIN: 'https://example.auth.us-east-1.amazoncognito.com',
    COGNITO_REDIRECT_URI: 'https://app.example.com/auth/oauth2/callback',
    COGNITO_COOKIE_SECRET: 'a test secret of at least 32 bytes, never used in production',
  }

  it('is on when COGNITO_DOMAIN is set, with the default scopes and no emulator', () => {
    expect(optionsFromEnv(hosted).managedLogin).toEqual({
      domain: hosted.COGNITO_DOMAIN,
      redirectUri: hosted.COGNITO_REDIRECT_URI,
      identityProvider: null,
      cookieSecret: hosted.COGNITO_COOKIE_SECRET,
      unsafeEmulator: false,
    })
    expect(optionsFromEnv(base)).not.toHaveProperty('managedLogin')
  })

  it('reads every managed-login setting; scopes separated by spaces or commas', () => {
    const env = {
      ...hosted,
      COGNITO_DOMAIN: 'http://127.0.0.1:9229',
      COGNITO_LOGOUT_URI: 'https://app.example.com/goodbye',
      COGNITO_SCOPES: 'openid, email aws.cognito.signin.user.admin',
      COGNITO_IDENTITY_PROVIDER: 'Google',
      COGNITO_UNSAFE_EMULATOR: 'true',
    }
    expect(optionsFromEnv(env).managedLogin).toMatchObject({
      logoutUri: 'https://app.example.com/goodbye',
      scopes: ['openid', 'email', 'aws.cognito.signin.user.admin'],
      identityProvider: 'Google',
      unsafeEmulator: true,
    })
  })

  const errors: [string, Record<string, unknown>, RegExp][] = [
    ['COGNITO_COOKIE_SECRET missing', { ...hosted, COGNITO_COOKIE_SECRET: undefined }, /^COGNITO_COOKIE_SECRET is required with/],
    [
      'COGNITO_COOKIE_SECRET short',
      { ...hosted, COGNITO_COOKIE_SECRET: 'x'.repeat(31) },
      /^COGNITO_COOKIE_SECRET is required with/,
    ],
    ['COGNITO_REDIRECT_URI missing', { ...hosted, COGNITO_REDIRECT_URI: undefined }, /^COGNITO_REDIRECT_URI is required$/],
    [
      'COGNITO_DOMAIN not a URL',
      { ...hosted, COGNITO_DOMAIN: 'example.auth.amazoncognito.com' },
      /^COGNITO_DOMAIN must be an absolute/,
    ],
    [
      'COGNITO_UNSAFE_EMULATOR not a boolean',
      { ...hosted, COGNITO_UNSAFE_EMULATOR: 'sure' },
      /^COGNITO_UNSAFE_EMULATOR must be true/,
    ],
    [
      'COGNITO_REDIRECT_URI without COGNITO_DOMAIN',
      { ...hosted, COGNITO_DOMAIN: undefined },
      /^COGNITO_REDIRECT_URI needs COGNITO_DOMAIN/,
    ],
    [
      'COGNITO_UNSAFE_EMULATOR without COGNITO_DOMAIN',
      { ...base, COGNITO_UNSAFE_EMULATOR: 'true' },
      /^COGNITO_UNSAFE_EMULATOR needs/,
    ],
  ]
  for (const [name, env, message] of errors) {
    it(`fails naming the setting: ${name}`, () => {
      expect(() => optionsFromEnv(env)).toThrow(
        expect.objectContaining({ code: 'ERR_COGNITO_CONFIG', message: expect.stringMatching(message) }),
      )
    })
  }
})

describe('the env type', () => {
  it('takes an interface-typed env, as `wrangler types` generates it', () => {
    interface WranglerEnv {
      COGNITO_POOL_ID: string
      APP_CLIENT_ID: string
    }
    const env: WranglerEnv = { COGNITO_POOL_ID: POOL_ID, APP_CLIENT_ID: CLIENT_ID }
    expect(optionsFromEnv(env).pool).toEqual({ userPoolId: POOL_ID, clientId: [CLIENT_ID] })
  })
})
