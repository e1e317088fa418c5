// The /auth endpoints that manage accounts — signup, confirm_signup, resend_confirmation_code,
// forgot_password and confirm_forgot_password — as adapters over the Cognito operations, which
// tell no stranger whether an account exists. The code comes from `code`, not from `password` as
// in the seed.
import {
  confirmForgotPassword as confirmForgotPasswordOperation,
  confirmSignUp,
  forgotPassword as forgotPasswordOperation,
  resendConfirmationCode as resendOperation,
  signUp,
} from '../../cognito/account'
import { optionalBoolean, readJsonBody, requiredString, stringMap } from './body'
import { type RouteHandler, limit } from './context'

export const signup: RouteHandler = async (c, context) => {
  const body = await readJsonBody(c)
  const username = requiredString(body, 'username')
  const password = requiredString(body, 'password')
  const attributes = stringMap(body, 'user_attributes')
  const validationData = stringMap(body, 'validation_data')
  // Cognito says when a username is taken (signing up must); the limiter keeps that from becoming a list.
  await limit(c, context, 'signup', username)
  const result = await signUp(context.edge.cognito, {
    username,
    password,
    ...(attributes ? { attributes } : {}),
    ...(validationData ? { validationData } : {}),
  })
  return c.json({ UserConfirmed: result.userConfirmed, UserSub: result.userSub, CodeDeliveryDetails: result.codeDelivery })
}

export const confirmSignup: RouteHandler = async (c, context) => {
  const body = await readJsonBody(c)
  const username = requiredString(body, 'username')
  // The seed read the code from `password` (its bug, but deployed clients send it there): a legacy alias.
  const legacy = (body.code === undefined || body.code === null) && body.password !== undefined && body.password !== null
  const code = requiredString(legacy ? { code: body.password } : body, 'code')
  const forceAliasCreation = optionalBoolean(body, 'force_alias_creation')
  await limit(c, context, 'confirm_signup', username)
  await confirmSignUp(context.edge.cognito, { username, code, ...(forceAliasCreation === null ? {} : { forceAliasCreation }) })
  return c.json({ confirmed: true })
}

export const resendConfirmationCode: RouteHandler = async (c, context) => {
  const body = await readJsonBody(c)
  const username = requiredString(body, 'username')
  await limit(c, context, 'resend_confirmation_code', username)
  const delivery = await resendOperation(context.edge.cognito, { username })
  c.header('cache-control', 'no-store')
  return c.json({ CodeDeliveryDetails: delivery })
}

export const forgotPassword: RouteHandler = async (c, context) => {
  const body = await readJsonBody(c)
  const username = requiredString(body, 'username')
  await limit(c, context, 'forgot_password', username)
  // Where the code went, as Cognito says it — simulated for a user who gets none, so the answer has
  // one shape and status whether or not the account exists.
  const delivery = await forgotPasswordOperation(context.edge.cognito, { username })
  c.header('cache-control', 'no-store')
  return c.json({ CodeDeliveryDetails: delivery })
}

export const confirmForgotPassword: RouteHandler = async (c, context) => {
  const body = await readJsonBody(c)
  const username = requiredString(body, 'username')
  const code = requiredString(body, 'code')
  const newPassword = requiredString(body, 'new_password')
  await limit(c, context, 'confirm_forgot_password', username)
  await confirmForgotPasswordOperation(context.edge.cognito, { username, code, newPassword })
  return c.json({ password_reset: true })
}
