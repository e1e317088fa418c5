// Admin actions on a user pool: plain functions over a signed client (`awsSigner`). Without a
// signer they fail with ERR_COGNITO_CREDENTIALS_MISSING before anything is sent. Each call goes to
// the region of the pool it names.
import { regionOfPool } from '../config'
import { CognitoAuthError } from '../errors'
import { type UserAttributes, toAttributeList } from './account'
import type { CognitoClient } from './transport'

/** A user as AdminGetUser, AdminCreateUser and ListUsers describe one. */
export interface CognitoUser {
  /** The Cognito username. */
  readonly username: string
  /** The user's attributes, `{name: value}`. */
  readonly attributes: UserAttributes
  /** Whether the user may sign in; null when Cognito did not say. */
  readonly enabled: boolean | null
  /** Cognito's `UserStatus`, e.g. `CONFIRMED`, `FORCE_CHANGE_PASSWORD`; null when it did not say. */
  readonly status: string | null
  /** ISO 8601, or null when Cognito did not say. */
  readonly createdAt: string | null
}

/** Which user of which pool an admin action is about. */
export interface AdminUserInput {
  /** The pool, e.g. `eu-west-1_AbC123`; the call goes to its region. */
  readonly userPoolId: string
  /** The user's Cognito username (or an alias the pool accepts). */
  readonly username: string
}

interface RawUser {
  Username?: unknown
  UserAttributes?: unknown
  Attributes?: unknown
  Enabled?: unknown
  UserStatus?: unknown
  UserCreateDate?: unknown
}

function fromAttributeList(list: unknown): UserAttributes {
  const attributes: Record<string, string> = {}
  if (Array.isArray(list)) {
    for (const item of list as { Name?: unknown; Value?: unknown }[]) {
      if (typeof item?.Name === 'string') attributes[item.Name] = typeof item.Value === 'string' ? item.Value : ''
    }
  }
  return Object.freeze(attributes)
}

function toUser(raw: RawUser, fallbackName = ''): CognitoUser {
  const created = raw.UserCreateDate
  return Object.freeze({
    username: typeof raw.Username === 'string' ? raw.Username : fallbackName,
    attributes: fromAttributeList(raw.UserAttributes ?? raw.Attributes),
    enabled: typeof raw.Enabled === 'boolean' ? raw.Enabled : null,
    status: typeof raw.UserStatus === 'string' ? raw.UserStatus : null,
    createdAt:
      typeof created === 'number' ? new Date(created * 1000).toISOString() : typeof created === 'string' ? created : null,
  })
}

/** Calls an admin operation on the pool's own region. */
function adminCall(cognito: CognitoClient, operation: string, userPoolId: string, body: Record<string, unknown>) {
  return cognito.call<RawUser & Record<string, unknown>>(
    operation,
    { UserPoolId: userPoolId, ...body },
    { region: regionOfPool(userPoolId) },
  )
}

/** AdminGetUser: the user and attributes, or ERR_COGNITO_NO_SUCH_USER. */
export async function adminGetUser(cognito: CognitoClient, input: AdminUserInput): Promise<CognitoUser> {
  return toUser(await adminCall(cognito, 'AdminGetUser', input.userPoolId, { Username: input.username }), input.username)
}

/** A user to create as an administrator. */
export interface CreateUserInput extends AdminUserInput {
  /** The user's attributes, e.g. `{ email: 'alice@example.com', email_verified: 'true' }`. Default none. */
  readonly attributes?: UserAttributes
  /** The first password, to change at the first sign-in. Default: Cognito generates one. */
  readonly temporaryPassword?: string
  /** `'SUPPRESS'` sends no invitation. `RESEND` is for existing users and is refused here. Default: Cognito sends the invitation. */
  readonly messageAction?: 'SUPPRESS'
  /** Where the invitation goes. Default: Cognito's choice (email). */
  readonly deliveryMediums?: readonly ('EMAIL' | 'SMS')[]
}

/** AdminCreateUser, never with MessageAction RESEND (that re-invites an existing user instead). */
export async function adminCreateUser(cognito: CognitoClient, input: CreateUserInput): Promise<CognitoUser> {
  if (input.messageAction !== undefined && input.messageAction !== 'SUPPRESS') {
    throw new CognitoAuthError(
      'ERR_COGNITO_INVALID_PARAMETER',
      'messageAction must be "SUPPRESS" or omitted when creating a user',
    )
  }
  const body: Record<string, unknown> = { Username: input.username }
  if (input.attributes) body.UserAttributes = toAttributeList(input.attributes)
  if (input.temporaryPassword !== undefined) body.TemporaryPassword = input.temporaryPassword
  if (input.messageAction) body.MessageAction = input.messageAction
  if (input.deliveryMediums) body.DesiredDeliveryMediums = [...input.deliveryMediums]
  const answer = await adminCall(cognito, 'AdminCreateUser', input.userPoolId, body)
  return toUser((answer.User as RawUser | undefined) ?? {}, input.username)
}

/** AdminUpdateUserAttributes: sets the attributes given, leaves the others. */
export async function adminUpdateUserAttributes(
  cognito: CognitoClient,
  input: AdminUserInput & { readonly attributes: UserAttributes },
): Promise<void> {
  await adminCall(cognito, 'AdminUpdateUserAttributes', input.userPoolId, {
    Username: input.username,
    UserAttributes: toAttributeList(input.attributes),
  })
}

function userAction(operation: string) {
  return async function adminUserAction(cognito: CognitoClient, input: AdminUserInput): Promise<void> {
    await adminCall(cognito, operation, input.userPoolId, { Username: input.username })
  }
}

/** AdminDisableUser: the user can no longer sign in; their refresh tokens stop working. */
export const adminDisableUser = userAction('AdminDisableUser')
/** AdminEnableUser: undoes AdminDisableUser. */
export const adminEnableUser = userAction('AdminEnableUser')
/** AdminDeleteUser: the user is gone (a later sign-up with the same username is another `sub`). */
export const adminDeleteUser = userAction('AdminDeleteUser')
/** AdminConfirmSignUp: confirms a user without their code. */
export const adminConfirmSignUp = userAction('AdminConfirmSignUp')
/** AdminUserGlobalSignOut: every refresh token of the user stops working. */
export const adminUserGlobalSignOut = userAction('AdminUserGlobalSignOut')

/** AdminAddUserToGroup. */
export async function adminAddUserToGroup(
  cognito: CognitoClient,
  input: AdminUserInput & { readonly group: string },
): Promise<void> {
  await adminCall(cognito, 'AdminAddUserToGroup', input.userPoolId, { Username: input.username, GroupName: input.group })
}

/** AdminRemoveUserFromGroup. */
export async function adminRemoveUserFromGroup(
  cognito: CognitoClient,
  input: AdminUserInput & { readonly group: string },
): Promise<void> {
  await adminCall(cognito, 'AdminRemoveUserFromGroup', input.userPoolId, { Username: input.username, GroupName: input.group })
}

/** A ListUsers page request. */
export interface ListUsersInput {
  /** The pool, e.g. `eu-west-1_AbC123`; the call goes to its region. */
  readonly userPoolId: string
  /** Cognito's filter syntax, e.g. `email ^= "alice"`. Default none. */
  readonly filter?: string
  /** Users per page, 1–60. Default `60`. */
  readonly limit?: number
  /** The `nextToken` of the previous page. Default none (the first page). */
  readonly paginationToken?: string
  /** Only these attributes in each user (`AttributesToGet`). Default: all. */
  readonly attributes?: readonly string[]
}

/** One page of ListUsers (an IAM-authorized call); `nextToken` is null on the last page. */
export async function listUsers(
  cognito: CognitoClient,
  input: ListUsersInput,
): Promise<{ users: CognitoUser[]; nextToken: string | null }> {
  const limit = input.limit ?? 60
  if (!Number.isInteger(limit) || limit < 1 || limit > 60)
    throw new CognitoAuthError('ERR_COGNITO_INVALID_PARAMETER', 'limit must be 1–60')
  const body: Record<string, unknown> = { Limit: limit }
  if (input.filter) body.Filter = input.filter
  if (input.paginationToken) body.PaginationToken = input.paginationToken
  if (input.attributes) body.AttributesToGet = [...input.attributes]
  const answer = await adminCall(cognito, 'ListUsers', input.userPoolId, body)
  const users = Array.isArray(answer.Users) ? (answer.Users as RawUser[]).map((raw) => toUser(raw)) : []
  return { users, nextToken: typeof answer.PaginationToken === 'string' ? answer.PaginationToken : null }
}

/** Every user, page after page. */
export async function* listAllUsers(
  cognito: CognitoClient,
  input: Omit<ListUsersInput, 'paginationToken'>,
): AsyncGenerator<CognitoUser> {
  let paginationToken: string | undefined
  do {
    const page = await listUsers(cognito, { ...input, ...(paginationToken ? { paginationToken } : {}) })
    yield* page.users
    paginationToken = page.nextToken ?? undefined
  } while (paginationToken)
}
