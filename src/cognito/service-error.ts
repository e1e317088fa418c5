// What Cognito's JSON API says when it refuses a call, as a typed error: its exception name, the
// HTTP status, the operation, and whether another attempt may help.
import { CognitoAuthError, type CognitoErrorCode } from '../errors'

/** Cognito's exception names and the codes they become. Unlisted ones are ERR_COGNITO_REQUEST_FAILED (4xx) or ERR_COGNITO_UNAVAILABLE (5xx). */
const EXCEPTIONS: Readonly<Record<string, CognitoErrorCode>> = {
  NotAuthorizedException: 'ERR_COGNITO_NOT_AUTHORIZED',
  UserNotFoundException: 'ERR_COGNITO_NO_SUCH_USER',
  UsernameExistsException: 'ERR_COGNITO_USER_EXISTS',
  AliasExistsException: 'ERR_COGNITO_USER_EXISTS',
  UserNotConfirmedException: 'ERR_COGNITO_USER_NOT_CONFIRMED',
  PasswordResetRequiredException: 'ERR_COGNITO_PASSWORD_RESET_REQUIRED',
  CodeMismatchException: 'ERR_COGNITO_CODE_MISMATCH',
  ExpiredCodeException: 'ERR_COGNITO_CODE_EXPIRED',
  InvalidPasswordException: 'ERR_COGNITO_INVALID_PASSWORD',
  InvalidParameterException: 'ERR_COGNITO_INVALID_PARAMETER',
  ResourceNotFoundException: 'ERR_COGNITO_RESOURCE_NOT_FOUND',
  TooManyRequestsException: 'ERR_COGNITO_THROTTLED',
  LimitExceededException: 'ERR_COGNITO_THROTTLED',
  TooManyFailedAttemptsException: 'ERR_COGNITO_THROTTLED',
  InternalErrorException: 'ERR_COGNITO_UNAVAILABLE',
}

/** A Cognito API call that Cognito (or something in front of it) refused. Its `message` is Cognito's own. */
export class CognitoServiceError extends CognitoAuthError {
  override readonly name: string = 'CognitoServiceError'
  /** Cognito's exception name, e.g. `NotAuthorizedException`; null when the answer named none (an HTML page, say). */
  readonly type: string | null
  /** The HTTP status of the answer. */
  readonly status: number
  /** The operation called, e.g. `InitiateAuth`. */
  readonly operation: string
  /** Whether another attempt may succeed: throttling and 5xx answers. */
  readonly retryable: boolean

  constructor(details: { type: string | null; status: number; operation: string; message: string }) {
    const { type, status, operation } = details
    // An answer that names no Cognito exception (a WAF's 403 page, a proxy's 404) did not come from
    // Cognito: Cognito could not be reached, whatever the status.
    const code =
      type === null
        ? 'ERR_COGNITO_UNAVAILABLE'
        : (EXCEPTIONS[type] ?? (status >= 500 ? 'ERR_COGNITO_UNAVAILABLE' : 'ERR_COGNITO_REQUEST_FAILED'))
    super(code, details.message || `Cognito ${operation} failed with ${status}`)
    this.type = type
    this.status = status
    this.operation = operation
    this.retryable = status >= 500 || type === 'TooManyRequestsException'
  }
}

/** The error for a failed answer, from its `__type` (which may carry a namespace, `…#Name`) or its error-type header. */
export function serviceError(operation: string, status: number, headers: Headers, text: string): CognitoServiceError {
  let type = headers.get('x-amzn-errortype')?.split(':')[0] ?? ''
  let message = ''
  try {
    const body = JSON.parse(text) as { __type?: unknown; message?: unknown; Message?: unknown }
    if (typeof body.__type === 'string') type = body.__type
    const said = body.message ?? body.Message
    if (typeof said === 'string') message = said
  } catch {
    // not JSON (a proxy's HTML page): the status decides
  }
  type = type.slice(type.lastIndexOf('#') + 1)
  return new CognitoServiceError({ type: type || null, status, operation, message })
}
