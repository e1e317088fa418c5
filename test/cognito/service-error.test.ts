// What Cognito's refusals become: a CognitoServiceError with the code callers branch on, Cognito's
// own message, and typed fields (type, status, operation, retryable) instead of an untyped cause.
import { describe, expect, it } from 'vitest'
import { CognitoAuthError, CognitoServiceError } from '../../src/index'
import { rejectionOf } from '../helpers/errors'
import { cognitoError, fakeCognito } from '../helpers/fake-cognito'

/** The error a call answered with `answer` rejects with. */
async function refusal(answer: () => Response): Promise<CognitoServiceError> {
  const cognito = fakeCognito({ InitiateAuth: answer })
  const error = await rejectionOf(cognito.client({ retries: 0 }).call('InitiateAuth', {}))
  if (!(error instanceof CognitoServiceError)) throw new Error(`expected a CognitoServiceError, got ${error.name}`)
  return error
}

describe('error mapping', () => {
  const cases: [string, number, string][] = [
    ['NotAuthorizedException', 400, 'ERR_COGNITO_NOT_AUTHORIZED'],
    ['UserNotFoundException', 400, 'ERR_COGNITO_NO_SUCH_USER'],
    ['UsernameExistsException', 400, 'ERR_COGNITO_USER_EXISTS'],
    ['AliasExistsException', 400, 'ERR_COGNITO_USER_EXISTS'],
    ['UserNotConfirmedException', 400, 'ERR_COGNITO_USER_NOT_CONFIRMED'],
    ['PasswordResetRequiredException', 400, 'ERR_COGNITO_PASSWORD_RESET_REQUIRED'],
    ['CodeMismatchException', 400, 'ERR_COGNITO_CODE_MISMATCH'],
    ['ExpiredCodeException', 400, 'ERR_COGNITO_CODE_EXPIRED'],
    ['InvalidPasswordException', 400, 'ERR_COGNITO_INVALID_PASSWORD'],
    ['InvalidParameterException', 400, 'ERR_COGNITO_INVALID_PARAMETER'],
    ['ResourceNotFoundException', 400, 'ERR_COGNITO_RESOURCE_NOT_FOUND'],
    ['TooManyRequestsException', 400, 'ERR_COGNITO_THROTTLED'],
    ['LimitExceededException', 400, 'ERR_COGNITO_THROTTLED'],
    ['TooManyFailedAttemptsException', 400, 'ERR_COGNITO_THROTTLED'],
    ['InternalErrorException', 500, 'ERR_COGNITO_UNAVAILABLE'],
    ['com.amazonaws.cognito#NotAuthorizedException', 400, 'ERR_COGNITO_NOT_AUTHORIZED'],
    ['UnexpectedLambdaException', 400, 'ERR_COGNITO_REQUEST_FAILED'],
    ['SomethingNewException', 503, 'ERR_COGNITO_UNAVAILABLE'],
  ]
  for (const [type, status, code] of cases) {
    it(`${type} (${status}) → ${code}, keeping Cognito's message`, async () => {
      const error = await refusal(() => cognitoError(type, 'said by Cognito', status))
      expect(error).toBeInstanceOf(CognitoAuthError)
      expect(error).toMatchObject({ name: 'CognitoServiceError', code, message: 'said by Cognito' })
    })
  }

  it('a non-JSON 4xx (a WAF page: no Cognito exception named) → ERR_COGNITO_UNAVAILABLE, not retried', async () => {
    const error = await refusal(() => new Response('<html>', { status: 403 }))
    expect([error.code, error.type, error.retryable]).toEqual(['ERR_COGNITO_UNAVAILABLE', null, false])
  })
})

describe('CognitoServiceError fields', () => {
  it('says what Cognito refused: its exception name, the status and the operation', async () => {
    const error = await refusal(() => cognitoError('NotAuthorizedException', 'Incorrect username or password.'))
    expect(error).toMatchObject({
      type: 'NotAuthorizedException',
      status: 400,
      operation: 'InitiateAuth',
      retryable: false,
      message: 'Incorrect username or password.',
    })
  })

  it('drops the namespace of the exception name', async () => {
    const error = await refusal(() => cognitoError('com.amazonaws.cognito#UserNotFoundException', 'gone'))
    expect(error.type).toBe('UserNotFoundException')
  })

  it('reads the exception name from x-amzn-errortype when the body names none', async () => {
    const error = await refusal(
      () =>
        new Response('{"message": "slow down"}', {
          status: 400,
          headers: { 'x-amzn-errortype': 'TooManyRequestsException:http://internal' },
        }),
    )
    expect(error).toMatchObject({ type: 'TooManyRequestsException', code: 'ERR_COGNITO_THROTTLED', retryable: true })
  })

  it('an answer that names no exception has type null and a message of its own', async () => {
    const error = await refusal(() => new Response('<html>bad gateway</html>', { status: 502 }))
    expect(error).toMatchObject({
      type: null,
      status: 502,
      code: 'ERR_COGNITO_UNAVAILABLE',
      message: 'Cognito InitiateAuth failed with 502',
      retryable: true,
    })
  })

  it('only throttling and 5xx answers are retryable', async () => {
    const retryable = async (type: string, status = 400) => (await refusal(() => cognitoError(type, 'x', status))).retryable
    expect(await retryable('TooManyRequestsException')).toBe(true)
    expect(await retryable('InternalErrorException', 500)).toBe(true)
    expect(await retryable('LimitExceededException')).toBe(false)
    expect(await retryable('TooManyFailedAttemptsException')).toBe(false)
    expect(await retryable('CodeMismatchException')).toBe(false)
  })
})
