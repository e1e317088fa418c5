// awsSigner: SigV4 for Cognito's IAM-authorized calls. The signature is recomputed here from the
// algorithm's definition (AWS "Create a signed AWS API request"), so a header of the right shape
// with the wrong signature fails.
import { describe, expect, it } from 'vitest'
import { awsSigner } from '../../src/index'
import { CREDENTIALS } from '../helpers/fake-cognito'

const utf8 = new TextEncoder()
const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((byte) => byte.toString(16).padStart(2, '0')).join('')
const sha256 = async (text: string) => hex(await crypto.subtle.digest('SHA-256', utf8.encode(text)))

async function hmac(key: ArrayBuffer | Uint8Array, text: string): Promise<ArrayBuffer> {
  const imported = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return crypto.subtle.sign('HMAC', imported, utf8.encode(text))
}

/** The SigV4 signature of a POST with these signed headers, as AWS defines it. */
async function expectedSignature(url: string, region: string, signed: Record<string, string>, body: string, secret: string) {
  const names = Object.keys(signed).sort()
  const canonical = [
    'POST',
    new URL(url).pathname,
    '',
    ...names.map((name) => `${name}:${signed[name]}`),
    '',
    names.join(';'),
    await sha256(body),
  ].join('\n')
  const amzDate = signed['x-amz-date'] as string
  const scope = `${amzDate.slice(0, 8)}/${region}/cognito-idp/aws4_request`
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, await sha256(canonical)].join('\n')
  let key: ArrayBuffer | Uint8Array = utf8.encode(`AWS4${secret}`)
  for (const part of [amzDate.slice(0, 8), region, 'cognito-idp', 'aws4_request']) key = await hmac(key, part)
  return hex(await hmac(key, stringToSign))
}

const request = {
  url: 'https://cognito-idp.eu-west-1.amazonaws.com/',
  region: 'eu-west-1',
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.ListUsers' },
  body: '{"UserPoolId":"eu-west-1_Pool","Limit":60}',
}

describe('awsSigner', () => {
  it('adds a SigV4 Authorization header for cognito-idp in the region asked, with a correct signature', async () => {
    const headers = await awsSigner(CREDENTIALS).sign(request)
    const authorization = headers.get('authorization') ?? ''
    const match =
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/(\d{8})\/eu-west-1\/cognito-idp\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
        authorization,
      )
    expect(match).not.toBeNull()
    const [, date, signedNames, signature] = match as RegExpExecArray
    expect(headers.get('x-amz-date')).toMatch(new RegExp(`^${date}T\\d{6}Z$`))
    expect(signedNames?.split(';')).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'x-amz-target']))
    const signed = Object.fromEntries(
      (signedNames ?? '')
        .split(';')
        .map((name) => [name, name === 'host' ? new URL(request.url).host : (headers.get(name) ?? '')]),
    )
    expect(signature).toBe(
      await expectedSignature(request.url, request.region, signed, request.body, CREDENTIALS.secretAccessKey),
    )
    // The request's own headers go out too.
    expect(headers.get('x-amz-target')).toBe('AWSCognitoIdentityProviderService.ListUsers')
    expect(headers.get('content-type')).toBe('application/x-amz-json-1.1')
  })

  it('signs the body and the target: the signature is of this body, for this operation', async () => {
    const body = '{"UserPoolId":"eu-west-1_Pool","Limit":1}'
    const headers = await awsSigner(CREDENTIALS).sign({ ...request, body })
    const signed = {
      host: 'cognito-idp.eu-west-1.amazonaws.com',
      'x-amz-date': headers.get('x-amz-date') as string,
      'x-amz-target': request.headers['x-amz-target'],
    }
    const signature = /Signature=(\w+)/.exec(headers.get('authorization') ?? '')?.[1]
    expect(signature).toBe(await expectedSignature(request.url, request.region, signed, body, CREDENTIALS.secretAccessKey))
    expect(signature).not.toBe(
      await expectedSignature(request.url, request.region, signed, request.body, CREDENTIALS.secretAccessKey),
    )
  })

  it('sends and signs the session token of temporary credentials', async () => {
    const headers = await awsSigner({ ...CREDENTIALS, sessionToken: 'session-token' }).sign(request)
    expect(headers.get('x-amz-security-token')).toBe('session-token')
    expect(headers.get('authorization')).toMatch(/SignedHeaders=[a-z0-9;-]*x-amz-security-token/)
  })

  it('refuses credentials it cannot use, naming what is wrong', () => {
    const refused = (credentials: unknown, message: RegExp) =>
      expect(() => awsSigner(credentials as never)).toThrow(
        expect.objectContaining({ code: 'ERR_COGNITO_CONFIG', message: expect.stringMatching(message) }),
      )
    refused({ ...CREDENTIALS, secretAccessKey: '' }, /credentials.secretAccessKey/)
    refused({ accessKeyId: ' AKIDEXAMPLE', secretAccessKey: 'x' }, /credentials.accessKeyId/)
    refused({ ...CREDENTIALS, region: 'us-east-1' }, /no option "region"/)
    refused({ ...CREDENTIALS, sessionToken: '' }, /credentials.sessionToken/)
  })
})
