// The one fake Cognito of the tests: an injected fetch that routes the JSON API by X-Amz-Target
// (the hosted UI's endpoints by path, `/oauth2/token`, with form bodies read as objects), records
// every call, and serves the key set of a test key too (the middleware uses one fetch for both). A handler answers with a Response or a JSON object; one that throws is a network failure,
// one that never settles is a Cognito that does not answer. `client()` builds a Cognito client over
// it for the framework-free operations.
import { type CognitoClient, type CognitoClientOptions, createCognitoClient } from '../../src/index'
import { signingKey } from './auth'
import { type TestKey, jwksOf } from './keys'
import { CLIENT_ID, JWKS_URI, REGION } from './tokens'

export interface CognitoCall {
  readonly operation: string
  readonly method: string
  /** The endpoint called: it names the region. */
  readonly url: string
  readonly headers: Record<string, string>
  readonly body: Record<string, unknown>
}

export type CognitoHandler = (body: Record<string, unknown>, call: CognitoCall) => Response | Promise<Response> | object

export interface FakeCognito {
  readonly fetch: typeof fetch
  /** Every Cognito API call, in order (key-set fetches are not counted). */
  readonly calls: CognitoCall[]
  /** Sets (or replaces) what `operation` answers from now on. */
  on(operation: string, handler: CognitoHandler): void
  /** A client over this fake: the tests' region and app client, the library's defaults otherwise. */
  client(options?: Partial<CognitoClientOptions>): CognitoClient
}

/** A Cognito error answer, as the JSON API sends it. */
export function cognitoError(type: string, message: string, status = 400): Response {
  return new Response(JSON.stringify({ __type: type, message }), {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1' },
  })
}

/** IAM credentials in the shape of AWS's documentation examples. */
export const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }

export function fakeCognito(handlers: Record<string, CognitoHandler> = {}, key: TestKey = signingKey): FakeCognito {
  const routes = new Map(Object.entries(handlers))
  const calls: CognitoCall[] = []
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init)
    // Every issuer's key set (a multi-pool app fetches one per issuer) is this key.
    if (request.method === 'GET' && (request.url === JWKS_URI || request.url.endsWith('/.well-known/jwks.json'))) {
      return Response.json(jwksOf(key))
    }
    const target = request.headers.get('x-amz-target')
    const form = request.headers.get('content-type')?.startsWith('application/x-www-form-urlencoded')
    const call: CognitoCall = {
      operation: target?.replace('AWSCognitoIdentityProviderService.', '') ?? new URL(request.url).pathname,
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: form
        ? Object.fromEntries(new URLSearchParams(await request.text()))
        : ((await request.json().catch(() => ({}))) as Record<string, unknown>),
    }
    calls.push(call)
    const handler = routes.get(call.operation)
    if (!handler) return cognitoError('InvalidParameterException', `no fake for ${call.operation}`)
    const answer = await handler(call.body, call)
    return answer instanceof Response ? answer : Response.json(answer)
  }
  const fake: FakeCognito = {
    fetch: fetchImpl as typeof fetch,
    calls,
    on: (operation, handler) => void routes.set(operation, handler),
    client: (options = {}) => createCognitoClient({ region: REGION, clientId: CLIENT_ID, fetch: fake.fetch, ...options }),
  }
  return fake
}
