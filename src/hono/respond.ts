// Turning a CognitoAuthError into the response, through the app's onError hook when it has one.
// The middleware remembers its edge per request so that guards and cookie helpers running later in
// the same request answer the same way.
import type { Context } from 'hono'
import { CognitoAuthError } from '../errors'
import { errorResponse } from './challenge'
import type { ErrorHook, ResolvedEdge } from './settings'

/** A context variable no app declares or reads: where the middleware leaves its edge for later steps. */
const EDGE = 'cognito-edge:edge'
const DEFAULT_REALM = 'cognito-edge'

export function rememberRequest(c: Context, edge: ResolvedEdge): void {
  ;(c as Context<{ Variables: { [EDGE]: ResolvedEdge } }>).set(EDGE, edge)
}

/** The edge of the `cognitoAuth` that handled this request, if any. */
export function requestEdge(c: Context): ResolvedEdge | undefined {
  return (c as Context<{ Variables: { [EDGE]?: ResolvedEdge } }>).get(EDGE)
}

/** The response for a CognitoAuthError: the default one (plus any cookies to set), through the app's hook if any. */
export async function answerError(
  c: Context,
  error: CognitoAuthError,
  how: { realm: string; onError: ErrorHook | null; scope?: readonly string[]; cookies?: readonly string[]; challenge?: boolean },
): Promise<Response> {
  const response = errorResponse(error, {
    realm: how.realm,
    ...(how.scope ? { scope: how.scope } : {}),
    ...(how.challenge === false ? { challenge: false } : {}),
  })
  for (const cookie of how.cookies ?? []) response.headers.append('set-cookie', cookie)
  return how.onError ? how.onError(error, c, response) : response
}

/** The error response of the middleware and guards; anything but a CognitoAuthError is a bug, rethrown for the app's handler. */
export async function respondWithError(
  c: Context,
  error: unknown,
  scope?: readonly string[],
  cookies?: readonly string[],
): Promise<Response> {
  if (!(error instanceof CognitoAuthError)) throw error
  const edge = requestEdge(c)
  return answerError(c, error, {
    realm: edge?.realm ?? DEFAULT_REALM,
    onError: edge?.onError ?? null,
    ...(scope ? { scope } : {}),
    ...(cookies ? { cookies } : {}),
  })
}

/** Edits a response's headers, on a copy when they are immutable (a response from fetch(), say). */
export function withEditedHeaders(response: Response, edit: (headers: Headers) => void): Response {
  try {
    edit(response.headers)
    return response
  } catch {
    const copy = new Response(response.body, response)
    edit(copy.headers)
    return copy
  }
}

/**
 * Edits the headers of the response a handler produced. Responses from fetch() have immutable
 * headers; those are copied first. Assigning `c.res` directly would merge the old headers back
 * over the edit (Hono's setter re-applies them), so the old response is detached first.
 */
export function editResponseHeaders(c: Context, edit: (headers: Headers) => void): void {
  try {
    edit(c.res.headers)
  } catch {
    const copy = new Response(c.res.body, c.res)
    edit(copy.headers)
    c.res = undefined as unknown as Response
    c.res = copy
  }
}
