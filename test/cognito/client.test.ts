// The Cognito client over an injected fetch: request shape, SigV4, error mapping, retries, time bound.
import { describe, expect, it } from 'vitest'
import { type CognitoClientOptions, createCognitoClient } from '../../src/cognito/client'
import { refreshTokens } from '../../src/cognito/refresh'
import { secretHash } from '../../src/cognito/secret-hash'
import { rsaKey } from '../helpers/keys'
import { cognitoError, fakeCognito } from '../helpers/fake-cognito'

const key = await rsaKey('main-key')
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { code?: string }) => error.code,
  )

function client(handlers: Parameters<typeof fakeCognito>[1], extra: Partial<CognitoClientOptions> = {}) {
  const cognito = fakeCognito(key, handlers)
  return { cognito, client: createCognitoClient({ region: 'us-east-1', fetch: cognito.fetch, ...extra }) }
}

describe('request shape', () => {
  it('POSTs JSON to the regional endpoint with the target and content type', async () => {
    const seen: Request[] = []
    const api = createCognitoClient({
      region: 'eu-west-1',
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        seen.push(new Request(input, init))
        return Response.json({ ok: true })
      }) as typeof fetch,
    })
    expect(await api.call('GetUser', { AccessToken: 'abc' })).toEqual({ ok: true })
    const [request] = seen
    expect(request?.method).toBe('POST')
    expect(request?.url).toBe('https://cognito-idp.eu-west-1.amazonaws.com/')
    expect(request?.headers.get('x-amz-target')).toBe('AWSCognitoIdentityProviderService.GetUser')
    expect(request?.headers.get('content-type')).toBe('application/x-amz-json-1.1')
    expect(await request?.json()).toEqual({ AccessToken: 'abc' })
  })

  it('uses the endpoint override (cognito-local)', async () => {
    const urls: string[] = []
    const api = createCognitoClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9229/',
      fetch: (async (input: RequestInfo | URL) => {
        urls.push(new Request(input).url)
        return Response.json({})
      }) as typeof fetch,
    })
    await api.call('SignUp', { ClientId: 'c' })
    expect(urls).toEqual(['http://127.0.0.1:9229/'])
  })

  it('signs with SigV4 (service cognito-idp) when credentials are configured', async () => {
    const { cognito, client: api } = client(
      { InitiateAuth: () => ({}) },
      { credentials: { ...credentials, sessionToken: 'session-token' } },
    )
    await api.call('InitiateAuth', { AuthFlow: 'REFRESH_TOKEN_AUTH' })
    const headers = cognito.calls[0]?.headers ?? {}
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/cognito-idp\/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-target[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    )
    expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/)
    expect(headers['x-amz-security-token']).toBe('session-token')
  })

  it('does not sign without credentials', async () => {
    const { cognito, client: api } = client({ InitiateAuth: () => ({}) })
    await api.call('InitiateAuth', {})
    expect(cognito.calls[0]?.headers.authorization).toBeUndefined()
    expect(cognito.calls[0]?.headers['x-amz-date']).toBeUndefined()
  })

  it('refuses Admin* operations without credentials, clearly and without a call', async () => {
    const { cognito, client: api } = client({})
    await expect(api.call('AdminGetUser', {})).rejects.toMatchObject({
      code: 'ERR_COGNITO_CREDENTIALS_MISSING',
      message: 'AdminGetUser needs AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)',
    })
    expect(cognito.calls).toHaveLength(0)
  })

  it('refuses bad options when built', () => {
    expect(() => createCognitoClient({ region: 'mars-1' })).toThrow(/region "mars-1"/)
    expect(() => createCognitoClient({ region: 'us-east-1', retries: 3 })).toThrow(/retries/)
    expect(() => createCognitoClient({ region: 'us-east-1', endpoint: 'not a url' })).toThrow(/endpoint/)
  })
})

describe('error mapping', () => {
  const cases: [string, number, string][] = [
    ['NotAuthorizedException', 400, 'ERR_COGNITO_NOT_AUTHORIZED'],
    ['UserNotFoundException', 400, 'ERR_COGNITO_NO_SUCH_USER'],
    ['UsernameExistsException', 400, 'ERR_COGNITO_USER_EXISTS'],
    ['AliasExistsException', 400, 'ERR_COGNITO_USER_EXISTS'],
    ['UserNotConfirmedException', 400, 'ERR_COGNITO_USER_NOT_CONFIRMED'],
    ['PasswordResetRequiredException', 400, 'ERR_COGNITO_PASSWORD_RESET_REQUIRED'],
    ['CodeMismatchException', 400, 'ERR_COGNITO_CODE_MISMATCH'],
    ['ExpiredCodeException', 400, 'ERR_COGNITO_CODE_EXPIRED'],
    ['InvalidPasswordException', 400, 'ERR_COGNITO_INVALID_PASSWORD'],
    ['InvalidParameterException', 400, 'ERR_COGNITO_INVALID_PARAMETER'],
    ['ResourceNotFoundException', 400, 'ERR_COGNITO_RESOURCE_NOT_FOUND'],
    ['TooManyRequestsException', 400, 'ERR_COGNITO_THROTTLED'],
    ['LimitExceededException', 400, 'ERR_COGNITO_THROTTLED'],
    ['TooManyFailedAttemptsException', 400, 'ERR_COGNITO_THROTTLED'],
    ['InternalErrorException', 500, 'ERR_COGNITO_UNAVAILABLE'],
    ['com.amazonaws.cognito#NotAuthorizedException', 400, 'ERR_COGNITO_NOT_AUTHORIZED'],
    ['UnexpectedLambdaException', 400, 'ERR_COGNITO_REQUEST_FAILED'],
    ['SomethingNewException', 503, 'ERR_COGNITO_UNAVAILABLE'],
  ]
  for (const [type, status, code] of cases) {
    it(`${type} (${status}) → ${code}, keeping Cognito's message`, async () => {
      const { client: api } = client({ InitiateAuth: () => cognitoError(type, 'said by Cognito', status) }, { retries: 0 })
      await expect(api.call('InitiateAuth', {})).rejects.toMatchObject({
        name: 'CognitoAuthError',
        code,
        message: 'said by Cognito',
      })
    })
  }

  it('a non-JSON 4xx → ERR_COGNITO_REQUEST_FAILED', async () => {
    const { client: api } = client({ InitiateAuth: () => new Response('<html>', { status: 403 }) })
    expect(await codeOf(api.call('InitiateAuth', {}))).toBe('ERR_COGNITO_REQUEST_FAILED')
  })

  it('a network failure → ERR_COGNITO_UNAVAILABLE', async () => {
    const api = createCognitoClient({
      region: 'us-east-1',
      fetch: (async () => Promise.reject(new TypeError('fetch failed'))) as typeof fetch,
    })
    expect(await codeOf(api.call('InitiateAuth', {}))).toBe('ERR_COGNITO_UNAVAILABLE')
  })

  it('a Cognito that never answers → ERR_COGNITO_UNAVAILABLE after the timeout, not a hang', async () => {
    const api = createCognitoClient({
      region: 'us-east-1',
      timeoutMs: 50,
      fetch: (() => new Promise<Response>(() => {})) as typeof fetch,
    })
    const started = Date.now()
    await expect(api.call('InitiateAuth', {})).rejects.toMatchObject({
      code: 'ERR_COGNITO_UNAVAILABLE',
      message: 'Cognito InitiateAuth timed out after 50 ms',
    })
    expect(Date.now() - started).toBeLessThan(1000)
  })
})

describe('retries', () => {
  function flaky(first: () => Response, retries: number) {
    let calls = 0
    const { cognito, client: api } = client({ InitiateAuth: () => (calls++ === 0 ? first() : { done: true }) }, { retries })
    return { cognito, api }
  }

  it('retries a 5xx once by default', async () => {
    const { cognito, api } = flaky(() => cognitoError('InternalErrorException', 'boom', 500), 1)
    expect(await api.call('InitiateAuth', {})).toEqual({ done: true })
    expect(cognito.calls).toHaveLength(2)
  })

  it('retries throttling', async () => {
    const { cognito, api } = flaky(() => cognitoError('TooManyRequestsException', 'slow down'), 2)
    expect(await api.call('InitiateAuth', {})).toEqual({ done: true })
    expect(cognito.calls).toHaveLength(2)
  })

  it('does not retry a client error or a limit', async () => {
    for (const type of ['NotAuthorizedException', 'LimitExceededException']) {
      const { cognito, api } = flaky(() => cognitoError(type, 'no'), 2)
      await expect(api.call('InitiateAuth', {})).rejects.toBeDefined()
      expect(cognito.calls).toHaveLength(1)
    }
  })

  it('gives up after the configured number of retries', async () => {
    const { cognito, client: api } = client(
      { InitiateAuth: () => cognitoError('InternalErrorException', 'down', 500) },
      { retries: 2 },
    )
    expect(await codeOf(api.call('InitiateAuth', {}))).toBe('ERR_COGNITO_UNAVAILABLE')
    expect(cognito.calls).toHaveLength(3)
  })

  it('does not retry with retries: 0', async () => {
    const { cognito, client: api } = client(
      { InitiateAuth: () => cognitoError('InternalErrorException', 'down', 500) },
      { retries: 0 },
    )
    await expect(api.call('InitiateAuth', {})).rejects.toBeDefined()
    expect(cognito.calls).toHaveLength(1)
  })
})

describe('refreshTokens', () => {
  const settings = (api: ReturnType<typeof createCognitoClient>, extra: Partial<Parameters<typeof refreshTokens>[0]> = {}) => ({
    client: api,
    clientId: '1example23456789abcdefghij',
    clientSecret: null,
    userPoolId: 'us-east-1_TestPool1',
    rotation: 'auto' as const,
    admin: false,
    ...extra,
  })
  const result = { AuthenticationResult: { IdToken: 'new-id', AccessToken: 'new-access', ExpiresIn: 3600, TokenType: 'Bearer' } }

  it('REFRESH_TOKEN_AUTH without SECRET_HASH for a public client', async () => {
    const { cognito, client: api } = client({ InitiateAuth: () => result })
    expect(await refreshTokens(settings(api), 'refresh-1', 'alice')).toEqual({
      id: 'new-id',
      access: 'new-access',
      refresh: null,
      expiresIn: 3600,
    })
    expect(cognito.calls[0]?.body).toEqual({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: '1example23456789abcdefghij',
      AuthParameters: { REFRESH_TOKEN: 'refresh-1' },
    })
  })

  it('REFRESH_TOKEN_AUTH with the SECRET_HASH of the Cognito username when the client has a secret', async () => {
    const { cognito, client: api } = client({ InitiateAuth: () => result })
    await refreshTokens(settings(api, { clientSecret: 's3cr3t' }), 'refresh-1', 'ff7c5b45-e9f9-4a2c-84ee-f9db51e48a82')
    expect(cognito.calls[0]?.body.AuthParameters).toEqual({
      REFRESH_TOKEN: 'refresh-1',
      SECRET_HASH: await secretHash('s3cr3t', 'ff7c5b45-e9f9-4a2c-84ee-f9db51e48a82', '1example23456789abcdefghij'),
    })
  })

  it('NotAuthorizedException → ERR_COGNITO_REFRESH_REJECTED', async () => {
    const { client: api } = client({ InitiateAuth: () => cognitoError('NotAuthorizedException', 'Invalid Refresh Token.') })
    expect(await codeOf(refreshTokens(settings(api), 'refresh-1', 'alice'))).toBe('ERR_COGNITO_REFRESH_REJECTED')
  })

  it("'auto' falls back to GetTokensFromRefreshToken when the client rotates refresh tokens", async () => {
    const { cognito, client: api } = client({
      InitiateAuth: () => cognitoError('InvalidParameterException', 'REFRESH_TOKEN_AUTH flow not enabled for this client'),
      GetTokensFromRefreshToken: () => ({ AuthenticationResult: { ...result.AuthenticationResult, RefreshToken: 'rotated' } }),
    })
    expect(await refreshTokens(settings(api, { clientSecret: 's3cr3t' }), 'refresh-1', 'alice')).toMatchObject({
      refresh: 'rotated',
    })
    expect(cognito.calls.map((call) => call.operation)).toEqual(['InitiateAuth', 'GetTokensFromRefreshToken'])
    expect(cognito.calls[1]?.body).toEqual({
      ClientId: '1example23456789abcdefghij',
      RefreshToken: 'refresh-1',
      ClientSecret: 's3cr3t',
    })
  })

  it("'auto' does not fall back on other errors, which are not the token's fault", async () => {
    const { cognito, client: api } = client({
      InitiateAuth: () => cognitoError('InvalidParameterException', 'Missing required parameter REFRESH_TOKEN'),
    })
    expect(await codeOf(refreshTokens(settings(api), 'refresh-1', 'alice'))).toBe('ERR_COGNITO_REFRESH_FAILED')
    expect(cognito.calls).toHaveLength(1)
  })

  it('rotation: true goes straight to GetTokensFromRefreshToken', async () => {
    const { cognito, client: api } = client({ GetTokensFromRefreshToken: () => result })
    await refreshTokens(settings(api, { rotation: true }), 'refresh-1', 'alice')
    expect(cognito.calls.map((call) => call.operation)).toEqual(['GetTokensFromRefreshToken'])
  })

  it('a client secret without a known username refreshes with GetTokensFromRefreshToken', async () => {
    const { cognito, client: api } = client({ GetTokensFromRefreshToken: () => result })
    await refreshTokens(settings(api, { clientSecret: 's3cr3t' }), 'refresh-1', null)
    expect(cognito.calls.map((call) => call.operation)).toEqual(['GetTokensFromRefreshToken'])
  })

  it('admin mode: AdminInitiateAuth with the pool id, signed', async () => {
    const { cognito, client: api } = client({ AdminInitiateAuth: () => result }, { credentials })
    await refreshTokens(settings(api, { admin: true }), 'refresh-1', 'alice')
    expect(cognito.calls[0]?.operation).toBe('AdminInitiateAuth')
    expect(cognito.calls[0]?.body).toMatchObject({ AuthFlow: 'REFRESH_TOKEN_AUTH', UserPoolId: 'us-east-1_TestPool1' })
    expect(cognito.calls[0]?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /)
  })

  it('an answer without tokens is an error, not undefined tokens', async () => {
    const { client: api } = client({ InitiateAuth: () => ({ ChallengeName: 'SMS_MFA' }) })
    expect(await codeOf(refreshTokens(settings(api), 'refresh-1', 'alice'))).toBe('ERR_COGNITO_REFRESH_FAILED')
  })
})
