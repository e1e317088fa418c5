// Reads the error of a response the way clients do. Every test goes through here, so a change of
// the error body's shape edits one line.

export interface ErrorBody {
  readonly code: string
  readonly message: string
}

export async function errorOf(res: Response): Promise<ErrorBody> {
  const body = (await res.json()) as { error: string; message: string }
  return { code: body.error, message: body.message }
}
