// Reads errors the way callers do: a response's error body as clients see it, and the
// CognitoAuthError a promise rejects with. Every test goes through here, so a change of the error
// body's shape edits one line.
import { CognitoAuthError } from '../../src/index'

export interface ErrorBody {
  readonly code: string
  readonly message: string
}

export async function errorOf(res: Response): Promise<ErrorBody> {
  const body = (await res.json()) as { error: string; code: string }
  return { code: body.code, message: body.error }
}

/** The CognitoAuthError `promise` rejects with; anything else (a result, another error) fails the test. */
export async function rejectionOf(promise: Promise<unknown>): Promise<CognitoAuthError> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => ({ error }),
  )
  if (outcome === null) throw new Error('expected a CognitoAuthError, the promise resolved')
  if (!(outcome.error instanceof CognitoAuthError)) throw outcome.error
  return outcome.error
}

/** The code `promise` rejects with, or 'ok' when it resolves. */
export function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'ok',
    (error: { code?: string }) => error.code ?? String(error),
  )
}
