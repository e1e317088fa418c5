// Item 2 of the session-layer review: the confirmation routes must not tell a stranger whether an
// account exists or what state it is in. Every "this user or code does not work" outcome of one
// route answers one identical status, code and message.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { cognitoRoutes } from '../../src/hono'
import { authOptions } from '../helpers/auth'
import { errorOf } from '../helpers/errors'
import { type CognitoHandler, cognitoError, fakeCognito } from '../helpers/fake-cognito'

function routes(handlers: Record<string, CognitoHandler>, rateLimit?: () => boolean) {
  const cognito = fakeCognito(handlers)
  const app = new Hono().route(
    '/auth',
    cognitoRoutes(authOptions({ fetch: cognito.fetch, ...(rateLimit ? { routes: { rateLimit } } : {}) })),
  )
  const post = (path: string, body: unknown) =>
    app.request(`/auth/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { cognito, post }
}

/** What a client can observe of an answer: status, and the body as text. */
async function observed(res: Response) {
  return { status: res.status, body: await res.text() }
}

// What Cognito answers (pools without user-existence-error prevention) for each way a
// confirmation can fail, reproduced from the review.
const CONFIRM_SIGNUP_FAILURES: [string, () => Response][] = [
  ['unknown user', () => cognitoError('UserNotFoundException', 'Username/client id combination not found.')],
  ['unknown user (NotAuthorized form)', () => cognitoError('NotAuthorizedException', 'User cannot be confirmed.')],
  ['already confirmed', () => cognitoError('NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED')],
  [
    'already confirmed (expired-code form)',
    () => cognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.'),
  ],
  ['wrong code', () => cognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.')],
]

const CONFIRM_FORGOT_FAILURES: [string, () => Response][] = [
  ['unknown user', () => cognitoError('UserNotFoundException', 'Username/client id combination not found.')],
  ['wrong code', () => cognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.')],
  ['expired code', () => cognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.')],
  ['disabled or unconfirmed user', () => cognitoError('NotAuthorizedException', 'User is disabled.')],
  [
    'no verified contact',
    () =>
      cognitoError(
        'InvalidParameterException',
        'Cannot reset password for the user as there is no registered/verified email or phone_number',
      ),
  ],
]

const RESEND_FAILURES: [string, () => Response][] = [
  ['unknown user', () => cognitoError('UserNotFoundException', 'Username/client id combination not found.')],
  ['already confirmed', () => cognitoError('InvalidParameterException', 'User is already confirmed.')],
  ['disabled user', () => cognitoError('NotAuthorizedException', 'User is disabled.')],
]

describe('confirm_signup answers every failing user or code alike', () => {
  it('one status, code and message for an unknown, a confirmed and an unconfirmed user with a wrong code', async () => {
    const answers = []
    for (const [, failure] of CONFIRM_SIGNUP_FAILURES) {
      const { post } = routes({ ConfirmSignUp: failure })
      answers.push(await observed(await post('confirm_signup', { username: 'someone', code: '123456' })))
    }
    expect(answers[0]?.status).toBe(400)
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1)
  })

  it('the shared answer is a code mismatch (the one a real user can act on)', async () => {
    const { post } = routes({ ConfirmSignUp: CONFIRM_SIGNUP_FAILURES[0]![1] })
    const res = await post('confirm_signup', { username: 'nobody', code: '123456' })
    expect((await errorOf(res)).code).toBe('ERR_COGNITO_CODE_MISMATCH')
  })
})

describe('confirm_forgot_password answers every failing user or code alike', () => {
  it('one status, code and message for an unknown user, a wrong or expired code, a disabled user', async () => {
    const answers = []
    for (const [, failure] of CONFIRM_FORGOT_FAILURES) {
      const { post } = routes({ ConfirmForgotPassword: failure })
      answers.push(
        await observed(
          await post('confirm_forgot_password', { username: 'someone', code: '123456', new_password: 'N3w-Passw0rd!' }),
        ),
      )
    }
    expect(answers[0]?.status).toBe(400)
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1)
  })

  it('and the same answer as confirm_signup gives', async () => {
    const signup = await observed(
      await routes({ ConfirmSignUp: CONFIRM_SIGNUP_FAILURES[0]![1] }).post('confirm_signup', { username: 'a', code: '1' }),
    )
    const forgot = await observed(
      await routes({ ConfirmForgotPassword: CONFIRM_FORGOT_FAILURES[0]![1] }).post('confirm_forgot_password', {
        username: 'a',
        code: '1',
        new_password: 'N3w-Passw0rd!',
      }),
    )
    expect(forgot).toEqual(signup)
  })
})

describe('resend_confirmation_code answers every failing user alike', () => {
  it('an unknown, a confirmed and a disabled user get one identical answer', async () => {
    const answers = []
    for (const [, failure] of RESEND_FAILURES) {
      const { post } = routes({ ResendConfirmationCode: failure })
      answers.push(await observed(await post('resend_confirmation_code', { username: 'someone@example.com' })))
    }
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1)
  })

  it('and that answer has the shape and status of a code really sent', async () => {
    const sent = routes({
      ResendConfirmationCode: () => ({
        CodeDeliveryDetails: { Destination: 's***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
      }),
    })
    const real = await sent.post('resend_confirmation_code', { username: 'someone@example.com' })
    const { post } = routes({ ResendConfirmationCode: RESEND_FAILURES[0]![1] })
    const simulated = await post('resend_confirmation_code', { username: 'someone@example.com' })
    expect(simulated.status).toBe(real.status)
    const keys = (body: unknown) => Object.keys((body as { CodeDeliveryDetails: object }).CodeDeliveryDetails).sort()
    expect(keys(await simulated.json())).toEqual(keys(await real.json()))
  })

  it('a Cognito outage is still reported as one (503), not hidden', async () => {
    const { post } = routes({ ResendConfirmationCode: () => cognitoError('InternalErrorException', 'down', 500) })
    expect((await post('resend_confirmation_code', { username: 'someone' })).status).toBe(503)
  })
})

describe('signup', () => {
  it('may say the username exists (Cognito does), but only after the rate limiter agreed', async () => {
    let asked = 0
    const { cognito, post } = routes({ SignUp: () => cognitoError('UsernameExistsException', 'User already exists') }, () => {
      asked++
      return false
    })
    const res = await post('signup', { username: 'alice', password: 'Passw0rd!' })
    expect(res.status).toBe(429)
    expect(asked).toBe(1)
    expect(cognito.calls).toHaveLength(0)
  })
})
