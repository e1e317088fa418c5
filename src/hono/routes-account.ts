// The /auth endpoints that manage accounts: signup, confirm_signup, forgot_password and
// confirm_forgot_password (the code comes from `code`, not from `password` as in the seed).
import { toAttributeList } from '../cognito/actions'
import { CognitoAuthError } from '../errors'
import { type Body, readJsonBody, requiredString, stringMap } from './body'
import { type RouteHandler, limit, withSecretHash } from './routes-options'

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
  await config.client.call(
    'ConfirmSignUp',
    await withSecretHash(
      config,
      username,
      { ClientId: config.clientId, Username: username, ConfirmationCode: code },
      'SecretHash',
    ),
  )
  return c.json({ confirmed: true })
}

export const forgotPassword: RouteHandler = async (c, config) => {
  const body = await readJsonBody(c)
  const username = requiredString(body, 'username')
  await limit(c, config, { route: 'forgot_password', username })
  try {
    const answer = await config.client.call<Body>(
      'ForgotPassword',
      await withSecretHash(config, username, { ClientId: config.clientId, Username: username }, 'SecretHash'),
    )
    return c.json({ CodeDeliveryDetails: answer.CodeDeliveryDetails ?? null })
  } catch (error) {
    // An unknown user gets the answer a known one gets: no account enumeration through this endpoint.
    if (error instanceof CognitoAuthError && error.code === 'ERR_COGNITO_NO_SUCH_USER')
      return c.json({ CodeDeliveryDetails: null })
    throw error
  }
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
  await config.client.call('ConfirmForgotPassword', await withSecretHash(config, username, input, 'SecretHash'))
  return c.json({ password_reset: true })
}
