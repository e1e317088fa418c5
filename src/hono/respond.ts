// Turning a CognitoAuthError into the response, through the app's onError hook when it has one.
// The middleware remembers its resolved options per request so that guards and cookie helpers
// running later in the same request answer the same way (a WeakMap: nothing in the context's
// variable map, nothing kept after the request).
import type { Context } from 'hono'
import { CognitoAuthError } from '../errors'
import { errorResponse } from './challenge'
import type { ResolvedAuthOptions } from './options'

const configs = new WeakMap<Request, ResolvedAuthOptions>()
const DEFAULT_REALM = 'cognito-edge'

export function rememberRequest(c: Context, config: ResolvedAuthOptions): void {
  configs.set(c.req.raw, config)
}

/** The options of the `cognitoAuth` that handled this request, if any. */
export function requestConfig(c: Context): ResolvedAuthOptions | undefined {
  return configs.get(c.req.raw)
}

/** The error response; anything but a CognitoAuthError is a bug and is rethrown for the app's error handler. */
export async function respondWithError(c: Context, error: unknown, scope?: readonly string[]): Promise<Response> {
  if (!(error instanceof CognitoAuthError)) throw error
  const config = requestConfig(c)
  const response = errorResponse(error, { realm: config?.realm ?? DEFAULT_REALM, ...(scope ? { scope } : {}) })
  return config?.onError ? config.onError(error, c, response) : response
}
