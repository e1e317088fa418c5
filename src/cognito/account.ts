// Account operations of the public API: sign-up and its confirmation, resending the code, and the
// forgotten-password flow. None tells a stranger whether an account exists or in what state: every
// "this user or code does not work" becomes one answer, and a code "sent" to nobody is simulated,
// as Cognito does itself for app clients with user-existence-error prevention.
import { CognitoAuthError, type CognitoErrorCode } from '../errors'
import { CognitoServiceError } from './service-error'
import { type CognitoClient, appClientOf } from './transport'

export type UserAttributes = Readonly<Record<string, string>>

/** Where Cognito sent a code (its `CodeDeliveryDetails`). */
export interface CodeDelivery {
  /** Where the code went, masked as Cognito masks it (`a***@e***`, `+*******4567`). */
  readonly Destination: string
  /** `EMAIL` or `SMS`. */
  readonly DeliveryMedium: string
  /** The attribute the code went to: `email` or `phone_number`. */
  readonly AttributeName: string
}

/** A new account. */
export interface SignUpInput {
  /** The username (or the email, for pools that sign in by email). */
  readonly username: string
  /** The password, held to the pool's policy. */
  readonly password: string
  /** User attributes, e.g. `{ email: 'alice@example.com' }`. Default none. */
  readonly attributes?: UserAttributes
  /** Validation data for a pre-sign-up Lambda. Default none. */
  readonly validationData?: UserAttributes
}

/** What SignUp answered. */
export interface SignUpResult {
  /** Whether the account is confirmed already (a pre-sign-up Lambda can do that). */
  readonly userConfirmed: boolean
  /** The new user's `sub`. */
  readonly userSub: string | null
  /** Where the confirmation code went, when one was sent. */
  readonly codeDelivery: CodeDelivery | null
}

/** `{name: value}` → Cognito's `[{Name, Value}]`. */
export function toAttributeList(attributes: UserAttributes): { Name: string; Value: string }[] {
  return Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }))
}

/**
 * Cognito's answers that mean "this user or this code does not work" — no such user, already
 * confirmed, disabled, no verified contact, a wrong or expired code. Told apart, they would list the
 * pool's accounts and their states.
 */
const CODE_REFUSALS: readonly CognitoErrorCode[] = [
  'ERR_COGNITO_NO_SUCH_USER',
  'ERR_COGNITO_NOT_AUTHORIZED',
  'ERR_COGNITO_USER_NOT_CONFIRMED',
  'ERR_COGNITO_CODE_MISMATCH',
  'ERR_COGNITO_CODE_EXPIRED',
  'ERR_COGNITO_INVALID_PARAMETER',
]

/**
 * Cognito's per-user attempt limits ("Attempt limit exceeded"): only an existing user ever reaches
 * them, so told apart from an unknown user's answer they would name the account. The account-wide
 * TooManyRequestsException is not one of them: it stays a 429.
 */
const PER_USER_LIMITS = ['LimitExceededException', 'TooManyFailedAttemptsException']

const isCodeRefusal = (error: unknown) =>
  (error instanceof CognitoAuthError && CODE_REFUSALS.includes(error.code)) ||
  (error instanceof CognitoServiceError && error.type !== null && PER_USER_LIMITS.includes(error.type))

/** The one answer of every refusal above: Cognito's own wrong-code sentence, which a real user can act on. */
function codeRefused(error: unknown): unknown {
  if (!isCodeRefusal(error)) return error
  return new CognitoAuthError('ERR_COGNITO_CODE_MISMATCH', 'Invalid verification code provided, please try again.', {
    cause: error,
  })
}

function codeDelivery(value: unknown): CodeDelivery | null {
  const details = value as Partial<Record<keyof CodeDelivery, unknown>> | null | undefined
  if (typeof details?.Destination !== 'string' || typeof details.DeliveryMedium !== 'string') return null
  const AttributeName = typeof details.AttributeName === 'string' ? details.AttributeName : ''
  return Object.freeze({ Destination: details.Destination, DeliveryMedium: details.DeliveryMedium, AttributeName })
}

/** A delivery like the ones Cognito reports, masked the way it masks them, for a user who gets no code. */
function simulatedDelivery(username: string): CodeDelivery {
  const name = username.trim()
  if (/^\+\d{6,}$/.test(name))
    return Object.freeze({ Destination: `+*******${name.slice(-4)}`, DeliveryMedium: 'SMS', AttributeName: 'phone_number' })
  const [local = '', domain = ''] = name.includes('@') ? name.split('@') : [name, name]
  return Object.freeze({
    Destination: `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`,
    DeliveryMedium: 'EMAIL',
    AttributeName: 'email',
  })
}

async function withSecretHash(cognito: CognitoClient, username: string, body: Record<string, unknown>) {
  const hash = await cognito.secretHash(username)
  if (hash !== null) body.SecretHash = hash
  return body
}

/** SignUp. A taken username is ERR_COGNITO_USER_EXISTS (Cognito says so; rate-limit the route). */
export async function signUp(cognito: CognitoClient, input: SignUpInput): Promise<SignUpResult> {
  const { clientId } = appClientOf(cognito, 'signUp')
  const body: Record<string, unknown> = { ClientId: clientId, Username: input.username, Password: input.password }
  if (input.attributes) body.UserAttributes = toAttributeList(input.attributes)
  if (input.validationData) body.ValidationData = toAttributeList(input.validationData)
  const answer = await cognito.call('SignUp', await withSecretHash(cognito, input.username, body))
  return Object.freeze({
    userConfirmed: answer.UserConfirmed === true,
    userSub: typeof answer.UserSub === 'string' ? answer.UserSub : null,
    codeDelivery: codeDelivery(answer.CodeDeliveryDetails),
  })
}

/** ConfirmSignUp. Any user or code that does not work is one ERR_COGNITO_CODE_MISMATCH. */
export async function confirmSignUp(
  cognito: CognitoClient,
  input: { readonly username: string; readonly code: string; readonly forceAliasCreation?: boolean },
): Promise<void> {
  const { clientId } = appClientOf(cognito, 'confirmSignUp')
  const body: Record<string, unknown> = { ClientId: clientId, Username: input.username, ConfirmationCode: input.code }
  if (input.forceAliasCreation !== undefined) body.ForceAliasCreation = input.forceAliasCreation
  await cognito.call('ConfirmSignUp', await withSecretHash(cognito, input.username, body)).catch((error: unknown) => {
    throw codeRefused(error)
  })
}

/** Sends a code through Cognito (ResendConfirmationCode, ForgotPassword): its delivery, or null for a user who gets none. */
async function sendCode(cognito: CognitoClient, operation: string, username: string): Promise<CodeDelivery | null> {
  const { clientId } = appClientOf(cognito, operation)
  try {
    const answer = await cognito.call(
      operation,
      await withSecretHash(cognito, username, { ClientId: clientId, Username: username }),
    )
    return codeDelivery(answer.CodeDeliveryDetails)
  } catch (error) {
    if (isCodeRefusal(error)) return null
    throw error // Cognito unavailable or throttling the account: said as it is
  }
}

/**
 * ResendConfirmationCode. The answer never shows where a code went: only unconfirmed accounts get
 * one, so a real destination beside a simulated one would list them. Every user — unknown,
 * confirmed, disabled, unconfirmed — gets the delivery masked from the username.
 */
export async function resendConfirmationCode(
  cognito: CognitoClient,
  input: { readonly username: string },
): Promise<CodeDelivery> {
  await sendCode(cognito, 'ResendConfirmationCode', input.username)
  return simulatedDelivery(input.username)
}

/**
 * ForgotPassword: where the code went, as Cognito says it (the seed showed it); for a user who gets
 * none, a delivery of the same shape masked from the username — as Cognito answers for pools with
 * user-existence-error prevention.
 */
export async function forgotPassword(cognito: CognitoClient, input: { readonly username: string }): Promise<CodeDelivery> {
  return (await sendCode(cognito, 'ForgotPassword', input.username)) ?? simulatedDelivery(input.username)
}

/** ConfirmForgotPassword. Any user or code that does not work is one ERR_COGNITO_CODE_MISMATCH. */
export async function confirmForgotPassword(
  cognito: CognitoClient,
  input: { readonly username: string; readonly code: string; readonly newPassword: string },
): Promise<void> {
  const { clientId } = appClientOf(cognito, 'confirmForgotPassword')
  const body = { ClientId: clientId, Username: input.username, ConfirmationCode: input.code, Password: input.newPassword }
  await cognito.call('ConfirmForgotPassword', await withSecretHash(cognito, input.username, body)).catch((error: unknown) => {
    throw codeRefused(error)
  })
}
