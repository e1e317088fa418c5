// The /auth endpoints that manage accounts (src/hono/routes/account.ts): signup, confirm_signup,
// resend_confirmation_code, forgot_password and confirm_forgot_password, against the fake Cognito.
// That they hide which accounts exist is test/security/confirmation-routes-hide-accounts.test.ts.
import { describe, expect, it } from 'vitest'
import { secretHash } from '../../../src/index'
import { cognitoError } from '../../helpers/fake-cognito'
import { CLIENT_ID } from '../../helpers/tokens'
import { json, setup } from './app'

/** Where Cognito says it sent a code: it always names the destination, the medium and the attribute. */
const DELIVERY = { Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' }

describe('signup and the password endpoints', () => {
  it('signup sends the attributes and validation data as Cognito lists', async () => {
    const { cognito, post } = setup(
      { SignUp: () => ({ UserConfirmed: false, UserSub: 'sub-1', CodeDeliveryDetails: DELIVERY }) },
      { cognito: { clientSecret: 's3cr3t' } },
    )
    const res = await post('signup', {
      username: 'alice',
      password: 'p',
      user_attributes: { email: 'alice@example.com' },
      validation_data: [{ Name: 'invite', Value: 'x' }],
    })
    expect(await json(res)).toEqual({ UserConfirmed: false, UserSub: 'sub-1', CodeDeliveryDetails: DELIVERY })
    expect(cognito.calls[0]?.body).toEqual({
      ClientId: CLIENT_ID,
      Username: 'alice',
      Password: 'p',
      SecretHash: await secretHash('s3cr3t', 'alice', CLIENT_ID),
      UserAttributes: [{ Name: 'email', Value: 'alice@example.com' }],
      ValidationData: [{ Name: 'invite', Value: 'x' }],
    })
  })

  it('user_attributes that are not strings → 400', async () => {
    expect((await setup({}).post('signup', { username: 'a', password: 'p', user_attributes: { age: 3 } })).status).toBe(400)
  })

  it('confirm_signup takes the code from `code`, not from `password` (a seed bug)', async () => {
    const { cognito, post } = setup({ ConfirmSignUp: () => ({}) })
    const res = await post('confirm_signup', { username: 'alice', password: '999999', code: '123456' })
    expect(await json(res)).toEqual({ confirmed: true })
    expect(cognito.calls[0]?.body).toEqual({ ClientId: CLIENT_ID, Username: 'alice', ConfirmationCode: '123456' })
  })

  it('forgot_password answers CodeDeliveryDetails as Cognito does, and an unknown user alike', async () => {
    const delivered = { CodeDeliveryDetails: { Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' } }
    const known = await setup({ ForgotPassword: () => delivered }).post('forgot_password', { username: 'alice@example.com' })
    const unknown = await setup({
      ForgotPassword: () => cognitoError('UserNotFoundException', 'User does not exist.'),
    }).post('forgot_password', { username: 'nobody@example.com' })
    expect(unknown.status).toBe(200)
    expect(known.status).toBe(200)
    expect(await json(known)).toEqual(delivered)
    expect(await json(unknown)).toEqual({
      CodeDeliveryDetails: { Destination: 'n***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
    })
  })

  it('confirm_signup takes the code from `password` when `code` is absent (deployed seed clients send it there)', async () => {
    const { cognito, post } = setup({ ConfirmSignUp: () => ({}) })
    const res = await post('confirm_signup', { username: 'alice', password: '123456' })
    expect(res.status).toBe(200)
    expect(cognito.calls[0]?.body).toMatchObject({ Username: 'alice', ConfirmationCode: '123456' })
  })

  it('confirm_signup prefers `code` over `password`, and passes force_alias_creation through', async () => {
    const { cognito, post } = setup({ ConfirmSignUp: () => ({}) })
    await post('confirm_signup', { username: 'alice', code: '654321', password: '123456', force_alias_creation: true })
    expect(cognito.calls[0]?.body).toMatchObject({ ConfirmationCode: '654321', ForceAliasCreation: true })
  })

  it('confirm_signup with a force_alias_creation that is not a boolean → 400 naming it', async () => {
    const { cognito, post } = setup({ ConfirmSignUp: () => ({}) })
    const res = await post('confirm_signup', { username: 'alice', code: '1', force_alias_creation: 'yes' })
    expect(res.status).toBe(400)
    expect((await json(res)).error).toBe('force_alias_creation must be true or false')
    expect(cognito.calls).toHaveLength(0)
  })

  for (const [path, operation] of [
    ['confirm_signup', 'ConfirmSignUp'],
    ['confirm_forgot_password', 'ConfirmForgotPassword'],
  ] as const) {
    it(`${path} answers an unknown user like a wrong code`, async () => {
      const body = { username: 'x', code: '1', new_password: 'N3w!' }
      const mismatch = () => cognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.')
      const wrong = await setup({ [operation]: mismatch }).post(path, body)
      const unknown = await setup({
        [operation]: () => cognitoError('UserNotFoundException', 'Username/client id combination not found.'),
      }).post(path, body)
      expect(unknown.status).toBe(400)
      expect(await json(unknown)).toEqual(await json(wrong))
    })

    it(`${path} is rate-limited through the hook (codes are guessable)`, async () => {
      const asked: unknown[] = []
      const { cognito, post } = setup(
        { [operation]: () => ({}) },
        { routes: { rateLimit: (_c, attempt) => (asked.push(attempt.route), false) } },
      )
      expect((await post(path, { username: 'x', code: '1', new_password: 'N3w!' })).status).toBe(429)
      expect(asked).toEqual([path])
      expect(cognito.calls).toHaveLength(0)
    })
  }

  it('forgot_password is rate-limited through the hook', async () => {
    const { post } = setup(
      { ForgotPassword: () => ({}) },
      { routes: { rateLimit: (_c, attempt) => attempt.route !== 'forgot_password' } },
    )
    expect((await post('forgot_password', { username: 'alice' })).status).toBe(429)
  })

  it('confirm_forgot_password sends the code and the new password', async () => {
    const { cognito, post } = setup({ ConfirmForgotPassword: () => ({}) })
    expect(await json(await post('confirm_forgot_password', { username: 'alice', code: '42', new_password: 'N3w!' }))).toEqual({
      password_reset: true,
    })
    expect(cognito.calls[0]?.body).toEqual({ ClientId: CLIENT_ID, Username: 'alice', ConfirmationCode: '42', Password: 'N3w!' })
  })

  it('resend_confirmation_code answers a delivery masked from the username (never where the code went), uncached', async () => {
    const { cognito, post } = setup(
      { ResendConfirmationCode: () => ({ CodeDeliveryDetails: DELIVERY }) },
      { cognito: { clientSecret: 's3cr3t' } },
    )
    const res = await post('resend_confirmation_code', { username: 'alice' })
    expect(await json(res)).toEqual({
      CodeDeliveryDetails: { Destination: 'a***@a***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
    })
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(cognito.calls[0]?.body).toEqual({
      ClientId: CLIENT_ID,
      Username: 'alice',
      SecretHash: await secretHash('s3cr3t', 'alice', CLIENT_ID),
    })
  })

  it('resend_confirmation_code and forgot_password are rate-limited through the hook', async () => {
    const asked: string[] = []
    const { cognito, post } = setup({}, { routes: { rateLimit: (_c, attempt) => (asked.push(attempt.route), false) } })
    expect((await post('resend_confirmation_code', { username: 'alice' })).status).toBe(429)
    expect((await post('forgot_password', { username: 'alice' })).status).toBe(429)
    expect(asked).toEqual(['resend_confirmation_code', 'forgot_password'])
    expect(cognito.calls).toHaveLength(0)
  })
})
