// The Cognito client over the fake Cognito: request shape, signing, per-call region, the app client,
// time bound and retries. What Cognito's refusals become is in service-error.test.ts.
import { describe, expect, it } from 'vitest'
import { awsSigner, createCognitoClient, secretHash } from '../../src/index'
import { codeOf } from '../helpers/errors'
import { CREDENTIALS, cognitoError, fakeCognito } from '../helpers/fake-cognito'
import { CLIENT_ID, OTHER_CLIENT_ID } from '../helpers/tokens'

const signer = awsSigner(CREDENTIALS)

describe('request shape', () => {
  it('POSTs JSON to the regional endpoint with the target and content type', async () => {
    const cognito = fakeCognito({ GetUser: () => ({ ok: true }) })
    const api = cognito.client({ region: 'eu-west-1' })
    expect(await api.call('GetUser', { AccessToken: 'abc' })).toEqual({ ok: true })
    expect(cognito.calls).toEqual([
      {
        operation: 'GetUser',
        method: 'POST',
        url: 'https://cognito-idp.eu-west-1.amazonaws.com/',
        headers: expect.objectContaining({
          'x-amz-target': 'AWSCognitoIdentityProviderService.GetUser',
          'content-type': 'application/x-amz-json-1.1',
        }),
        body: { AccessToken: 'abc' },
      },
    ])
  })

  it('uses the endpoint override (cognito-local)', async () => {
    const cognito = fakeCognito({ SignUp: () => ({}) })
    await cognito.client({ endpoint: 'http://127.0.0.1:9229/' }).call('SignUp', { ClientId: 'c' })
    expect(cognito.calls.map((call) => call.url)).toEqual(['http://127.0.0.1:9229/'])
  })

  it('signs with SigV4 (service cognito-idp) when a signer is configured', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => ({}) })
    const api = cognito.client({ signer: awsSigner({ ...CREDENTIALS, sessionToken: 'session-token' }) })
    await api.call('InitiateAuth', { AuthFlow: 'REFRESH_TOKEN_AUTH' })
    const headers = cognito.calls[0]?.headers ?? {}
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/cognito-idp\/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-target[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    )
    expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/)
    expect(headers['x-amz-security-token']).toBe('session-token')
    expect(api.signed).toBe(true)
  })

  it('does not sign without a signer', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => ({}) })
    const api = cognito.client()
    await api.call('InitiateAuth', {})
    expect(cognito.calls[0]?.headers.authorization).toBeUndefined()
    expect(cognito.calls[0]?.headers['x-amz-date']).toBeUndefined()
    expect(api.signed).toBe(false)
  })

  it('refuses Admin* operations without credentials, clearly and without a call', async () => {
    const cognito = fakeCognito()
    await expect(cognito.client().call('AdminGetUser', {})).rejects.toMatchObject({
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

  it('refuses options it does not have, naming them (credentials are a signer now)', () => {
    const options = { region: 'us-east-1', credentials: CREDENTIALS } as never
    expect(() => createCognitoClient(options)).toThrow(
      expect.objectContaining({ code: 'ERR_COGNITO_CONFIG', message: expect.stringMatching(/no "credentials"/) }),
    )
    expect(() => createCognitoClient({ region: 'us-east-1', signer: { sign: 'no' } as never })).toThrow(
      /signer must be made by awsSigner/,
    )
    expect(() => createCognitoClient({ region: 'us-east-1', timeoutMs: 0 })).toThrow(/timeoutMs/)
  })
})

describe('per-call region', () => {
  it('a call for a pool of another region goes to that region, signed for it', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => ({}) })
    const api = cognito.client({ signer })
    await api.call('InitiateAuth', {}, { region: 'eu-west-1' })
    await api.call('InitiateAuth', {})
    expect(cognito.calls.map((call) => call.url)).toEqual([
      'https://cognito-idp.eu-west-1.amazonaws.com/',
      'https://cognito-idp.us-east-1.amazonaws.com/',
    ])
    expect(cognito.calls[0]?.headers.authorization).toMatch(/Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/cognito-idp\//)
    expect(cognito.calls[1]?.headers.authorization).toMatch(/Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/cognito-idp\//)
  })

  it('an explicit endpoint serves every region, still signed for the region asked', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => ({}) })
    await cognito.client({ endpoint: 'http://127.0.0.1:9229/', signer }).call('InitiateAuth', {}, { region: 'ap-southeast-2' })
    expect(cognito.calls[0]?.url).toBe('http://127.0.0.1:9229/')
    expect(cognito.calls[0]?.headers.authorization).toMatch(/\/ap-southeast-2\/cognito-idp\//)
  })

  it('a region that is not an AWS region → ERR_COGNITO_INVALID_PARAMETER, nothing sent', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => ({}) })
    expect(await codeOf(cognito.client().call('InitiateAuth', {}, { region: 'mars-1' }))).toBe('ERR_COGNITO_INVALID_PARAMETER')
    expect(cognito.calls).toHaveLength(0)
  })
})

describe('the app client and its secret', () => {
  it('computes SECRET_HASH for its own app client only', async () => {
    const api = fakeCognito().client({ clientSecret: 's3cr3t' })
    expect(await api.secretHash('alice')).toBe(await secretHash('s3cr3t', 'alice', CLIENT_ID))
    expect(await api.secretHash('alice', OTHER_CLIENT_ID)).toBeNull()
    expect(api.clientSecretFor(CLIENT_ID)).toBe('s3cr3t')
    expect(api.clientSecretFor(OTHER_CLIENT_ID)).toBeNull()
  })

  it('a public client has no SECRET_HASH and no secret to give', async () => {
    const api = fakeCognito().client()
    expect(await api.secretHash('alice')).toBeNull()
    expect(api.clientSecretFor(CLIENT_ID)).toBeNull()
    expect(api.clientId).toBe(CLIENT_ID)
  })

  it('a secret needs the app client it belongs to', () => {
    expect(() => createCognitoClient({ region: 'us-east-1', clientSecret: 's3cr3t' })).toThrow(
      expect.objectContaining({ code: 'ERR_COGNITO_CONFIG', message: 'clientSecret needs the clientId it belongs to' }),
    )
  })
})

describe('failures on the way', () => {
  it('a network failure → ERR_COGNITO_UNAVAILABLE', async () => {
    const cognito = fakeCognito({
      InitiateAuth: () => {
        throw new TypeError('fetch failed')
      },
    })
    await expect(cognito.client().call('InitiateAuth', {})).rejects.toMatchObject({
      code: 'ERR_COGNITO_UNAVAILABLE',
      message: 'Cognito InitiateAuth could not be reached',
    })
  })

  it('a Cognito that never answers → ERR_COGNITO_UNAVAILABLE after the timeout, not a hang', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => new Promise<Response>(() => {}) })
    const started = Date.now()
    await expect(cognito.client({ timeoutMs: 50 }).call('InitiateAuth', {})).rejects.toMatchObject({
      code: 'ERR_COGNITO_UNAVAILABLE',
      message: 'Cognito InitiateAuth timed out after 50 ms',
    })
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('an answer that is not a JSON object → ERR_COGNITO_UNAVAILABLE', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => new Response('[1, 2]', { status: 200 }) })
    await expect(cognito.client().call('InitiateAuth', {})).rejects.toMatchObject({
      code: 'ERR_COGNITO_UNAVAILABLE',
      message: 'Cognito InitiateAuth answered with something other than a JSON object',
    })
  })
})

describe('retries', () => {
  function flaky(first: () => Response, retries?: number) {
    let calls = 0
    const cognito = fakeCognito({ InitiateAuth: () => (calls++ === 0 ? first() : { done: true }) })
    return { cognito, api: cognito.client(retries === undefined ? {} : { retries }) }
  }

  it('retries a 5xx once by default', async () => {
    const { cognito, api } = flaky(() => cognitoError('InternalErrorException', 'boom', 500))
    expect(await api.call('InitiateAuth', {})).toEqual({ done: true })
    expect(cognito.calls).toHaveLength(2)
  })

  it('retries no more than once by default', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => cognitoError('InternalErrorException', 'down', 500) })
    expect(await codeOf(cognito.client().call('InitiateAuth', {}))).toBe('ERR_COGNITO_UNAVAILABLE')
    expect(cognito.calls).toHaveLength(2)
  })

  it('retries throttling', async () => {
    const { cognito, api } = flaky(() => cognitoError('TooManyRequestsException', 'slow down'), 2)
    expect(await api.call('InitiateAuth', {})).toEqual({ done: true })
    expect(cognito.calls).toHaveLength(2)
  })

  it('does not retry a client error or a limit', async () => {
    const cases = [
      ['NotAuthorizedException', 'ERR_COGNITO_NOT_AUTHORIZED'],
      ['LimitExceededException', 'ERR_COGNITO_THROTTLED'],
    ] as const
    for (const [type, code] of cases) {
      const { cognito, api } = flaky(() => cognitoError(type, 'no'), 2)
      await expect(api.call('InitiateAuth', {})).rejects.toMatchObject({ code })
      expect(cognito.calls).toHaveLength(1)
    }
  })

  it('does not retry a network failure or a timeout', async () => {
    const broken = fakeCognito({
      InitiateAuth: () => {
        throw new TypeError('fetch failed')
      },
    })
    expect(await codeOf(broken.client({ retries: 2 }).call('InitiateAuth', {}))).toBe('ERR_COGNITO_UNAVAILABLE')
    expect(broken.calls).toHaveLength(1)
    const silent = fakeCognito({ InitiateAuth: () => new Promise<Response>(() => {}) })
    expect(await codeOf(silent.client({ retries: 2, timeoutMs: 20 }).call('InitiateAuth', {}))).toBe('ERR_COGNITO_UNAVAILABLE')
    expect(silent.calls).toHaveLength(1)
  })

  it('gives up after the configured number of retries', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => cognitoError('InternalErrorException', 'down', 500) })
    expect(await codeOf(cognito.client({ retries: 2 }).call('InitiateAuth', {}))).toBe('ERR_COGNITO_UNAVAILABLE')
    expect(cognito.calls).toHaveLength(3)
  })

  it('does not retry with retries: 0', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => cognitoError('InternalErrorException', 'down', 500) })
    await expect(cognito.client({ retries: 0 }).call('InitiateAuth', {})).rejects.toMatchObject({
      code: 'ERR_COGNITO_UNAVAILABLE',
    })
    expect(cognito.calls).toHaveLength(1)
  })

  it('bounds a whole call, retries included, in maxCallMs', () => {
    expect(fakeCognito().client().maxCallMs).toBe((5000 + 100) * 2)
    expect(fakeCognito().client({ timeoutMs: 50, retries: 2 }).maxCallMs).toBe((50 + 100) * 3)
  })
})
