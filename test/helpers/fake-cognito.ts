// A fake Cognito behind an injected fetch: routes by X-Amz-Target, records every call, and serves
// the key set too (the middleware uses one fetch for both).
import { type TestKey, jwksOf } from './keys'
import { JWKS_URI } from './tokens'

export interface CognitoCall {
  readonly operation: string
  /** The endpoint called: it names the region. */
  readonly url: string
  readonly headers: Record<string, string>
  readonly body: Record<string, unknown>
}

export type CognitoHandler = (body: Record<string, unknown>, call: CognitoCall) => Response | Promise<Response> | object

export interface FakeCognito {
  readonly fetch: typeof fetch
  readonly calls: CognitoCall[]
  on(operation: string, handler: CognitoHandler): void
}

/** A Cognito error answer, as the JSON API sends it. */
export function cognitoError(type: string, message: string, status = 400): Response {
  return new Response(JSON.stringify({ __type: type, message }), {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1' },
  })
}

export function fakeCognito(key: TestKey, handlers: Record<string, CognitoHandler> = {}): FakeCognito {
  const routes = new Map(Object.entries(handlers))
  const calls: CognitoCall[] = []
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init)
    // Every issuer's key set (a multi-pool app fetches one per issuer) is this key.
    if (request.method === 'GET' && (request.url === JWKS_URI || request.url.endsWith('/.well-known/jwks.json'))) {
      return Response.json(jwksOf(key))
    }
    const target = request.headers.get('x-amz-target') ?? ''
    const operation = target.replace('AWSCognitoIdentityProviderService.', '')
    const call: CognitoCall = {
      operation,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: (await request.json().catch(() => ({}))) as Record<string, unknown>,
    }
    calls.push(call)
    const handler = routes.get(operation)
    if (!handler) return cognitoError('InvalidParameterException', `no fake for ${operation}`)
    const answer = await handler(call.body, call)
    return answer instanceof Response ? answer : Response.json(answer)
  }
  return { fetch: fetchImpl as typeof fetch, calls, on: (operation, handler) => routes.set(operation, handler) }
}
