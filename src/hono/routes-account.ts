// The /auth endpoints that manage accounts: signup, confirm_signup, resend_confirmation_code,
// forgot_password and confirm_forgot_password (the code comes from `code`, not from `password` as
// in the seed). None of them tells a stranger whether an account exists or what state it is in.
import { toAttributeList } from '../cognito/actions'
import { CognitoAuthError, type CognitoErrorCode } from '../errors'
import { type Body, readJsonBody, requiredString, stringMap } from './body'
import { type RouteHandler, limit, withSecretHash } from './routes-options'

/**
 * Cognito's answers that mean "this user or this code does not work" — no such user, already
 * confirmed, disabled, no verified contact, a wrong or expired code. Told apart, they would list
 * the pool's accounts and their states; they all become one answer.
 */
const CODE_REFUSALS = new Set<CognitoErrorCode>([
  'ERR_COGNITO_NO_SUCH_USER',
  'ERR_COGNITO_NOT_AUTHORIZED',
  'ERR_COGNITO_USER_NOT_CONFIRMED',
  'ERR_COGNITO_CODE_MISMATCH',
  'ERR_COGNITO_CODE_EXPIRED',
  'ERR_COGNITO_INVALID_PARAMETER',
])

/** The one answer of every refusal above (Cognito's own wrong-code sentence, which a real user can act on). */
function codeRefused(error: unknown): unknown {
  if (error instanceof CognitoAuthError && CODE_REFUSALS.has(error.code)) {
    return new CognitoAuthError('ERR_COGNITO_CODE_MISMATCH', 'Invalid verification code provided, please try again.')
  }
  return error
}

/**
 * A delivery like the one Cognito reports, for a user who gets no code: what Cognito itself answers
 * for pools with user-existence-error prevention, done here for pools without it.
 */
function simulatedDelivery(username: string) {
  const name = username.trim()
  if (/^\+\d{6,}$/.test(name)) {
    return { Destination: `+*******${name.slice(-4)}`, DeliveryMedium: 'SMS', AttributeName: 'phone_number' }
  }
  const [local = '', domain = ''] = name.includes('@') ? name.split('@') : ['', '']
  return { Destination: `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`, DeliveryMedium: 'EMAIL', AttributeName: 'email' }
}

export const signup: RouteHandler = async (c, config) => {
  const body = await readJsonBody(c)
  const username = requiredString(body, 'username')
  const input = await withSecretHash(
    config,
    username,
    { ClientId: config.clientId, Username: username, Password: requiredString(body, 'password') },
    'SecretHash',
  )
  const attributes = stringMap(body, 'user_attributes')
  const validation = stringMap(body, 'validation_data')
  if (attributes) input.UserAttributes = toAttributeList(attributes)
  if (validation) input.ValidationData = toAttributeList(validation)
  // Cognito says when a username is taken (signing up must); the limiter keeps that from becoming a list.
  await limit(c, config, 'signup', username)
  const answer = await config.client.call<Body>('SignUp', input)
  return c.json({
    UserConfirmed: answer.UserConfirmed ?? false,
    UserSub: answer.UserSub ?? null,
    CodeDeliveryDetails: answer.CodeDeliveryDetails ?? null,
  })
}

export const confirmSignup: RouteHandler = async (c, config) => {
  const body = await readJsonBody(c)
  const username = requiredString(body, 'username')
  const code = requiredString(body, 'code') // the seed read it from `password`
  await limit(c, config, 'confirm_signup', username)
  await config.client
    .call(
      'ConfirmSignUp',
      await withSecretHash(
        config,
        username,
        { ClientId: config.clientId, Username: username, ConfirmationCode: code },
        'SecretHash',
      ),
    )
    .catch((error: unknown) => Promise.reject(codeRefused(error)))
  return c.json({ confirmed: true })
}

export const resendConfirmationCode: RouteHandler = async (c, config) => {
  const body = await readJsonBody(c)
  const username = requiredString(body, 'username')
  await limit(c, config, 'resend_confirmation_code', username)
  let delivery: unknown
  try {
    const input = await withSecretHash(config, username, { ClientId: config.clientId, Username: username }, 'SecretHash')
    delivery = (await config.client.call<Body>('ResendConfirmationCode', input)).CodeDeliveryDetails
  } catch (error) {
    if (codeRefused(error) === error) throw error // Cognito unavailable, throttled: said as it is
  }
  const shown = typeof delivery === 'object' && delivery !== null ? delivery : simulatedDelivery(username)
  c.header('cache-control', 'no-store')
  return c.json({ CodeDeliveryDetails: shown })
}

export const forgotPassword: RouteHandler = async (c, config) => {
  const body = await readJsonBody(c)
  const username = requiredString(body, 'username')
  await limit(c, config, 'forgot_password', username)
  try {
    await config.client.call(
      'ForgotPassword',
      await withSecretHash(config, username, { ClientId: config.clientId, Username: username }, 'SecretHash'),
    )
  } catch (error) {
    if (!(error instanceof CognitoAuthError && error.code === 'ERR_COGNITO_NO_SUCH_USER')) throw error
  }
  // The same answer whether or not the account exists (Cognito's delivery details would tell).
  return c.json({ requested: true })
}

export const confirmForgotPassword: RouteHandler = async (c, config) => {
  const body = await readJsonBody(c)
  const username = requiredString(body, 'username')
  const input = {
    ClientId: config.clientId,
    Username: username,
    ConfirmationCode: requiredString(body, 'code'),
    Password: requiredString(body, 'new_password'),
  }
  await limit(c, config, 'confirm_forgot_password', username)
  await config.client
    .call('ConfirmForgotPassword', await withSecretHash(config, username, input, 'SecretHash'))
    .catch((error: unknown) => Promise.reject(codeRefused(error)))
  return c.json({ password_reset: true })
}
