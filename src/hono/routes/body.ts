// JSON request bodies of the /auth endpoints: a JSON object, bounded in size, and fields that
// are checked by name so a 400 can say which one is wrong.
import type { Context } from 'hono'
import { BodyTooLarge, readBoundedText } from '../../bounded-read'
import { CognitoAuthError } from '../../errors'

const MAX_BODY_BYTES = 64 * 1024

export type Body = Record<string, unknown>

function badRequest(message: string): CognitoAuthError {
  return new CognitoAuthError('ERR_COGNITO_BAD_REQUEST', message)
}

/** The request body as a JSON object; an empty body is `{}` (fields are then reported missing one by one). */
export async function readJsonBody(c: Context): Promise<Body> {
  let text: string
  try {
    text = await readBoundedText(c.req.raw, MAX_BODY_BYTES)
  } catch (error) {
    throw badRequest(
      error instanceof BodyTooLarge ? `the body is larger than ${MAX_BODY_BYTES} bytes` : 'the body is not valid UTF-8',
    )
  }
  if (text.trim() === '') return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw badRequest('the body is not valid JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('the body must be a JSON object')
  return value as Body
}

/** A required non-empty string field. */
export function requiredString(body: Body, name: string): string {
  const value = body[name]
  if (value === undefined || value === null || value === '') throw badRequest(`${name} is required`)
  if (typeof value !== 'string') throw badRequest(`${name} must be a string`)
  return value
}

export function optionalString(body: Body, name: string): string | null {
  return body[name] === undefined || body[name] === null ? null : requiredString(body, name)
}

/** An optional boolean field; null when absent. */
export function optionalBoolean(body: Body, name: string): boolean | null {
  const value = body[name]
  if (value === undefined || value === null) return null
  if (typeof value !== 'boolean') throw badRequest(`${name} must be true or false`)
  return value
}

/**
 * A map of strings given as an object (`{"email": "a@b.c"}`) or as Cognito's list
 * (`[{"Name": "email", "Value": "a@b.c"}]`); null when absent.
 */
export function stringMap(body: Body, name: string, required = false): Record<string, string> | null {
  const value = body[name]
  if (value === undefined || value === null) {
    if (required) throw badRequest(`${name} is required`)
    return null
  }
  if (typeof value !== 'object') throw badRequest(`${name} must be an object of strings`)
  const entries: [unknown, unknown][] = Array.isArray(value)
    ? value.map((item: unknown) => [(item as { Name?: unknown } | null)?.Name, (item as { Value?: unknown } | null)?.Value])
    : Object.entries(value)
  const map: Record<string, string> = {}
  for (const [key, item] of entries) {
    if (typeof key !== 'string' || key === '' || typeof item !== 'string') throw badRequest(`${name} must map names to strings`)
    map[key] = item
  }
  return map
}
