// The account operations through `cognito-edge`, over the fake Cognito: each request body, the
// SecretHash of clients with a secret, and answers that tell a stranger nothing about an account —
// every "this user or code does not work" is one CODE_MISMATCH, a code sent to nobody is simulated.
import { describe, expect, it } from 'vitest'
import { confirmForgotPassword, confirmSignUp, forgotPassword, resendConfirmationCode, secretHash, signUp } from '../../src/index'
import { codeOf, rejectionOf } from '../helpers/errors'
import { type CognitoHandler, cognitoError, fakeCognito } from '../helpers/fake-cognito'
import { CLIENT_ID } from '../helpers/tokens'

/** What Cognito answers, for pools without user-existence-error prevention, when a user or code does not work. */
const REFUSALS: [string, () => Response][] = [
  ['an unknown user', () => cognitoError('UserNotFoundException', 'Username/client id combination not found.')],
  ['a confirmed user', () => cognitoError('NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED')],
  ['an unconfirmed user', () => cognitoError('UserNotConfirmedException', 'User is not confirmed.')],
  ['a wrong code', () => cognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.')],
  ['an expired code', () => cognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.')],
  ['no verified contact', () => cognitoError('InvalidParameterException', 'Cannot reset password for the user')],
]

const delivered: CognitoHandler = () => ({
  CodeDeliveryDetails: { Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
})

describe('signUp', () => {
  it('sends SignUp with the attributes and validation data as Cognito lists, and SecretHash', async () => {
    const cognito = fakeCognito({
      SignUp: () => ({
        UserConfirmed: false,
        UserSub: 'sub-1',
        CodeDeliveryDetails: { Destination: 'a***@e***', DeliveryMedium: 'EMAIL' },
      }),
    })
    const result = await signUp(cognito.client({ clientSecret: 's3cr3t' }), {
      username: 'alice',
      password: 'Passw0rd!',
      attributes: { email: 'alice@example.com', name: 'Alice' },
      validationData: { invite: 'x' },
    })
    expect(result).toEqual({
      userConfirmed: false,
      userSub: 'sub-1',
      codeDelivery: { Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: '' },
    })
    expect(cognito.calls[0]?.body).toEqual({
      ClientId: CLIENT_ID,
      Username: 'alice',
      Password: 'Passw0rd!',
      UserAttributes: [
        { Name: 'email', Value: 'alice@example.com' },
        { Name: 'name', Value: 'Alice' },
      ],
      ValidationData: [{ Name: 'invite', Value: 'x' }],
      SecretHash: await secretHash('s3cr3t', 'alice', CLIENT_ID),
    })
  })

  it('a public client sends no SecretHash, and an answer without details reads as nothing sent', async () => {
    const cognito = fakeCognito({ SignUp: () => ({ UserConfirmed: true }) })
    expect(await signUp(cognito.client(), { username: 'alice', password: 'p' })).toEqual({
      userConfirmed: true,
      userSub: null,
      codeDelivery: null,
    })
    expect(cognito.calls[0]?.body).toEqual({ ClientId: CLIENT_ID, Username: 'alice', Password: 'p' })
  })

  it('a taken username → ERR_COGNITO_USER_EXISTS (Cognito says it; the route is rate-limited)', async () => {
    const cognito = fakeCognito({ SignUp: () => cognitoError('UsernameExistsException', 'User already exists') })
    expect(await codeOf(signUp(cognito.client(), { username: 'alice', password: 'p' }))).toBe('ERR_COGNITO_USER_EXISTS')
  })
})

describe('confirmSignUp', () => {
  it('sends ConfirmSignUp with the code and SecretHash', async () => {
    const cognito = fakeCognito({ ConfirmSignUp: () => ({}) })
    await confirmSignUp(cognito.client({ clientSecret: 's3cr3t' }), {
      username: 'alice',
      code: '123456',
      forceAliasCreation: false,
    })
    expect(cognito.calls[0]?.body).toEqual({
      ClientId: CLIENT_ID,
      Username: 'alice',
      ConfirmationCode: '123456',
      ForceAliasCreation: false,
      SecretHash: await secretHash('s3cr3t', 'alice', CLIENT_ID),
    })
  })

  for (const [what, refusal] of REFUSALS) {
    it(`${what} → the one ERR_COGNITO_CODE_MISMATCH, Cognito's answer kept as the cause`, async () => {
      const error = await rejectionOf(
        confirmSignUp(fakeCognito({ ConfirmSignUp: refusal }).client(), { username: 'x', code: '1' }),
      )
      expect({ code: error.code, message: error.message }).toEqual({
        code: 'ERR_COGNITO_CODE_MISMATCH',
        message: 'Invalid verification code provided, please try again.',
      })
      expect(error.cause).toMatchObject({ operation: 'ConfirmSignUp' })
    })
  }

  it("Cognito's per-user attempt limit reads like a wrong code: only an existing user ever reaches it", async () => {
    const limited = fakeCognito({ ConfirmSignUp: () => cognitoError('LimitExceededException', 'Attempt limit exceeded') })
    expect(await codeOf(confirmSignUp(limited.client(), { username: 'x', code: '1' }))).toBe('ERR_COGNITO_CODE_MISMATCH')
  })

  it('account-wide throttling and outages are said as they are', async () => {
    const throttled = fakeCognito({ ConfirmSignUp: () => cognitoError('TooManyRequestsException', 'Rate exceeded') })
    expect(await codeOf(confirmSignUp(throttled.client({ retries: 0 }), { username: 'x', code: '1' }))).toBe(
      'ERR_COGNITO_THROTTLED',
    )
    const down = fakeCognito({ ConfirmSignUp: () => cognitoError('InternalErrorException', 'down', 500) })
    expect(await codeOf(confirmSignUp(down.client({ retries: 0 }), { username: 'x', code: '1' }))).toBe('ERR_COGNITO_UNAVAILABLE')
  })
})

describe('resendConfirmationCode and forgotPassword', () => {
  for (const [operation, send] of [['ForgotPassword', forgotPassword]] as const) {
    it(`${operation}: the client's app client and SecretHash, and where Cognito sent the code`, async () => {
      const cognito = fakeCognito({ [operation]: delivered })
      expect(await send(cognito.client({ clientSecret: 's3cr3t' }), { username: 'alice' })).toEqual({
        Destination: 'a***@e***',
        DeliveryMedium: 'EMAIL',
        AttributeName: 'email',
      })
      expect(cognito.calls.map(({ operation: called, body }) => [called, body])).toEqual([
        [operation, { ClientId: CLIENT_ID, Username: 'alice', SecretHash: await secretHash('s3cr3t', 'alice', CLIENT_ID) }],
      ])
    })

    it(`${operation}: a user who gets no code gets a simulated delivery of the same shape`, async () => {
      for (const [, refusal] of REFUSALS) {
        const cognito = fakeCognito({ [operation]: refusal })
        expect(await send(cognito.client(), { username: 'someone@example.com' })).toEqual({
          Destination: 's***@e***',
          DeliveryMedium: 'EMAIL',
          AttributeName: 'email',
        })
      }
    })

    it(`${operation}: a Cognito outage is reported, not simulated away`, async () => {
      const cognito = fakeCognito({ [operation]: () => cognitoError('InternalErrorException', 'down', 500) })
      expect(await codeOf(send(cognito.client({ retries: 0 }), { username: 'alice' }))).toBe('ERR_COGNITO_UNAVAILABLE')
    })
  }

  it('simulated deliveries are masked the way Cognito masks real ones', async () => {
    const unknown = fakeCognito({ ForgotPassword: () => cognitoError('UserNotFoundException', 'not found') }).client()
    expect(await forgotPassword(unknown, { username: '+15550100123' })).toEqual({
      Destination: '+*******0123',
      DeliveryMedium: 'SMS',
      AttributeName: 'phone_number',
    })
    expect(await forgotPassword(unknown, { username: 'bob' })).toEqual({
      Destination: 'b***@b***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    })
  })

  it('an answer without delivery details is reported as a simulated delivery', async () => {
    const cognito = fakeCognito({ ResendConfirmationCode: () => ({}) })
    expect(await resendConfirmationCode(cognito.client(), { username: 'carol@example.org' })).toEqual({
      Destination: 'c***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    })
  })

  it('resendConfirmationCode is a public call, with SecretHash for a client with a secret', async () => {
    const cognito = fakeCognito({ ResendConfirmationCode: delivered })
    const sent = await resendConfirmationCode(cognito.client({ clientSecret: 's3cr3t' }), { username: 'alice' })
    // Never where Cognito sent it (only unconfirmed accounts get a code): masked from the username, for everyone.
    expect(sent).toEqual({ Destination: 'a***@a***', DeliveryMedium: 'EMAIL', AttributeName: 'email' })
    expect(cognito.calls[0]?.headers.authorization).toBeUndefined()
    expect(cognito.calls[0]?.body).toEqual({
      ClientId: CLIENT_ID,
      Username: 'alice',
      SecretHash: await secretHash('s3cr3t', 'alice', CLIENT_ID),
    })
  })
})

describe('confirmForgotPassword', () => {
  it('sends the code, the new password and SecretHash', async () => {
    const cognito = fakeCognito({ ConfirmForgotPassword: () => ({}) })
    await confirmForgotPassword(cognito.client({ clientSecret: 's3cr3t' }), {
      username: 'alice',
      code: '42',
      newPassword: 'N3w!',
    })
    expect(cognito.calls[0]?.body).toEqual({
      ClientId: CLIENT_ID,
      Username: 'alice',
      ConfirmationCode: '42',
      Password: 'N3w!',
      SecretHash: await secretHash('s3cr3t', 'alice', CLIENT_ID),
    })
  })

  it('every user or code that does not work → the one ERR_COGNITO_CODE_MISMATCH', async () => {
    const errors = []
    for (const [, refusal] of REFUSALS) {
      const cognito = fakeCognito({ ConfirmForgotPassword: refusal })
      const error = await rejectionOf(confirmForgotPassword(cognito.client(), { username: 'x', code: '1', newPassword: 'N3w!' }))
      errors.push({ code: error.code, message: error.message })
    }
    expect(new Set(errors.map((error) => JSON.stringify(error)))).toEqual(
      new Set([
        JSON.stringify({ code: 'ERR_COGNITO_CODE_MISMATCH', message: 'Invalid verification code provided, please try again.' }),
      ]),
    )
  })

  it('a new password the pool refuses is said as such', async () => {
    const cognito = fakeCognito({
      ConfirmForgotPassword: () => cognitoError('InvalidPasswordException', 'Password not long enough'),
    })
    expect(await codeOf(confirmForgotPassword(cognito.client(), { username: 'x', code: '1', newPassword: 'n' }))).toBe(
      'ERR_COGNITO_INVALID_PASSWORD',
    )
  })
})

describe('every account operation needs the app client', () => {
  const operations: [string, (client: ReturnType<ReturnType<typeof fakeCognito>['client']>) => Promise<unknown>][] = [
    ['signUp', (client) => signUp(client, { username: 'a', password: 'p' })],
    ['confirmSignUp', (client) => confirmSignUp(client, { username: 'a', code: '1' })],
    ['ResendConfirmationCode', (client) => resendConfirmationCode(client, { username: 'a' })],
    ['ForgotPassword', (client) => forgotPassword(client, { username: 'a' })],
    ['confirmForgotPassword', (client) => confirmForgotPassword(client, { username: 'a', code: '1', newPassword: 'n' })],
  ]
  for (const [name, run] of operations) {
    it(`${name} with a client made without clientId → ERR_COGNITO_CONFIG, nothing sent`, async () => {
      const cognito = fakeCognito()
      await expect(run(cognito.client({ clientId: null }))).rejects.toMatchObject({
        code: 'ERR_COGNITO_CONFIG',
        message: `${name} needs a Cognito client made with clientId (APP_CLIENT_ID)`,
      })
      expect(cognito.calls).toHaveLength(0)
    })
  }
})
