// The /auth endpoints that manage accounts: signup, confirm_signup, forgot_password and
// confirm_forgot_password (the code comes from `code`, not from `password` as in the seed).
import { toAttributeList } from '../cognito/actions'
import { CognitoAuthError } from '../errors'
import { type Body, readJsonBody, requiredString, stringMap } from './body'
import { type RouteHandler, limit, withSecretHash } from './routes-options'

/** A code sent to nobody reads like a wrong code: the confirm endpoints do not tell who has an account. */
function asWrongCode(error: unknown): unknown {
  if (error instanceof CognitoAuthError && error.code === 'ERR_COGNITO_NO_SUCH_USER') {
    return new CognitoAuthError('ERR_COGNITO_CODE_MISMATCH', 'Invalid verification code provided, please try again.')
  }
  return error
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
  await limit(c, config, { route: 'confirm_signup', username })
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
    .catch((error: unknown) => Promise.reject(asWrongCode(error)))
  return c.json({ confirmed: true })
}

export const forgotPassword: RouteHandler = async (c, config) => {
  const body = await readJsonBody(c)
  const username = requiredString(body, 'username')
  await limit(c, config, { route: 'forgot_password', username })
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
  await limit(c, config, { route: 'confirm_forgot_password', username })
  await config.client
    .call('ConfirmForgotPassword', await withSecretHash(config, username, input, 'SecretHash'))
    .catch((error: unknown) => Promise.reject(asWrongCode(error)))
  return c.json({ password_reset: true })
}
