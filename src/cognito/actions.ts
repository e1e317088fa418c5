// Admin actions on a user pool, as plain functions over the signed Cognito client. They need IAM
// credentials; without them the client refuses with ERR_COGNITO_CREDENTIALS_MISSING.
import { CognitoAuthError } from '../errors'
import type { CognitoClient } from './client'
import { secretHash } from './secret-hash'

/** The pool an admin action works on, and the signed client to reach it. */
export interface AdminTarget {
  readonly client: CognitoClient
  readonly userPoolId: string
}

export type UserAttributes = Readonly<Record<string, string>>

export interface CognitoUser {
  readonly username: string
  readonly attributes: UserAttributes
  readonly enabled: boolean | null
  readonly status: string | null
  readonly createdAt: string | null
}

interface AttributeList {
  Name: string
  Value?: string
}

/** `{name: value}` → Cognito's `[{Name, Value}]`. */
export function toAttributeList(attributes: UserAttributes): AttributeList[] {
  return Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }))
}

function fromAttributeList(list: unknown): UserAttributes {
  const attributes: Record<string, string> = {}
  if (Array.isArray(list)) for (const { Name, Value } of list as AttributeList[]) attributes[Name] = Value ?? ''
  return Object.freeze(attributes)
}

interface RawUser {
  Username?: string
  UserAttributes?: unknown
  Attributes?: unknown
  Enabled?: boolean
  UserStatus?: string
  UserCreateDate?: number | string
}

function toUser(raw: RawUser): CognitoUser {
  const created = raw.UserCreateDate
  return Object.freeze({
    username: raw.Username ?? '',
    attributes: fromAttributeList(raw.UserAttributes ?? raw.Attributes),
    enabled: typeof raw.Enabled === 'boolean' ? raw.Enabled : null,
    status: raw.UserStatus ?? null,
    createdAt: typeof created === 'number' ? new Date(created * 1000).toISOString() : (created ?? null),
  })
}

/** AdminGetUser: the user and attributes, or ERR_COGNITO_NO_SUCH_USER. */
export async function adminGetUser(target: AdminTarget, username: string): Promise<CognitoUser> {
  return toUser(await target.client.call<RawUser>('AdminGetUser', { UserPoolId: target.userPoolId, Username: username }))
}

export interface CreateUserInput {
  username: string
  attributes?: UserAttributes
  temporaryPassword?: string
  /** `'SUPPRESS'` sends no invitation. `RESEND` is for existing users and is refused here. Default: Cognito sends the invitation. */
  messageAction?: 'SUPPRESS'
  deliveryMediums?: readonly ('EMAIL' | 'SMS')[]
}

/** AdminCreateUser, never with MessageAction RESEND (that re-invites an existing user instead). */
export async function adminCreateUser(target: AdminTarget, input: CreateUserInput): Promise<CognitoUser> {
  if (input.messageAction !== undefined && input.messageAction !== 'SUPPRESS') {
    throw new CognitoAuthError(
      'ERR_COGNITO_INVALID_PARAMETER',
      'messageAction must be "SUPPRESS" or omitted when creating a user',
    )
  }
  const body: Record<string, unknown> = { UserPoolId: target.userPoolId, Username: input.username }
  if (input.attributes) body.UserAttributes = toAttributeList(input.attributes)
  if (input.temporaryPassword !== undefined) body.TemporaryPassword = input.temporaryPassword
  if (input.messageAction) body.MessageAction = input.messageAction
  if (input.deliveryMediums) body.DesiredDeliveryMediums = [...input.deliveryMediums]
  const answer = await target.client.call<{ User?: RawUser }>('AdminCreateUser', body)
  return toUser(answer.User ?? { Username: input.username })
}

export async function adminUpdateUserAttributes(
  target: AdminTarget,
  username: string,
  attributes: UserAttributes,
): Promise<void> {
  await target.client.call('AdminUpdateUserAttributes', {
    UserPoolId: target.userPoolId,
    Username: username,
    UserAttributes: toAttributeList(attributes),
  })
}

function userAction(operation: string) {
  return async (target: AdminTarget, username: string): Promise<void> => {
    await target.client.call(operation, { UserPoolId: target.userPoolId, Username: username })
  }
}

export const adminDisableUser = userAction('AdminDisableUser')
export const adminEnableUser = userAction('AdminEnableUser')
export const adminDeleteUser = userAction('AdminDeleteUser')
export const adminConfirmSignUp = userAction('AdminConfirmSignUp')

export async function adminAddUserToGroup(target: AdminTarget, username: string, group: string): Promise<void> {
  await target.client.call('AdminAddUserToGroup', { UserPoolId: target.userPoolId, Username: username, GroupName: group })
}

export async function adminRemoveUserFromGroup(target: AdminTarget, username: string, group: string): Promise<void> {
  await target.client.call('AdminRemoveUserFromGroup', { UserPoolId: target.userPoolId, Username: username, GroupName: group })
}

export interface ListUsersInput {
  /** Cognito's filter syntax, e.g. `email ^= "alice"`. */
  filter?: string
  /** Users per page, 1–60. Default `60`. */
  limit?: number
  /** The `nextToken` of the previous page. */
  paginationToken?: string
}

/** One page of ListUsers (an IAM-authorized call); `nextToken` is null on the last page. */
export async function listUsers(
  target: AdminTarget,
  input: ListUsersInput = {},
): Promise<{ users: CognitoUser[]; nextToken: string | null }> {
  const limit = input.limit ?? 60
  if (!Number.isInteger(limit) || limit < 1 || limit > 60)
    throw new CognitoAuthError('ERR_COGNITO_INVALID_PARAMETER', 'limit must be 1–60')
  const body: Record<string, unknown> = { UserPoolId: target.userPoolId, Limit: limit }
  if (input.filter) body.Filter = input.filter
  if (input.paginationToken) body.PaginationToken = input.paginationToken
  const answer = await target.client.call<{ Users?: RawUser[]; PaginationToken?: string }>('ListUsers', body)
  return { users: (answer.Users ?? []).map(toUser), nextToken: answer.PaginationToken ?? null }
}

/** Every user, page after page. */
export async function* listAllUsers(
  target: AdminTarget,
  input: Omit<ListUsersInput, 'paginationToken'> = {},
): AsyncGenerator<CognitoUser> {
  let paginationToken: string | undefined
  do {
    const page = await listUsers(target, { ...input, ...(paginationToken ? { paginationToken } : {}) })
    yield* page.users
    paginationToken = page.nextToken ?? undefined
  } while (paginationToken)
}

/** ResendConfirmationCode (a public call: the app client, and its secret when it has one). */
export async function resendConfirmationCode(
  client: CognitoClient,
  app: { clientId: string; clientSecret?: string | null },
  username: string,
): Promise<{ destination: string | null; medium: string | null }> {
  const body: Record<string, unknown> = { ClientId: app.clientId, Username: username }
  if (app.clientSecret) body.SecretHash = await secretHash(app.clientSecret, username, app.clientId)
  const answer = await client.call<{ CodeDeliveryDetails?: { Destination?: string; DeliveryMedium?: string } }>(
    'ResendConfirmationCode',
    body,
  )
  return {
    destination: answer.CodeDeliveryDetails?.Destination ?? null,
    medium: answer.CodeDeliveryDetails?.DeliveryMedium ?? null,
  }
}
