// Admin actions over the signed client: request shapes, SigV4, credentials, pagination.
import { describe, expect, it } from 'vitest'
import {
  adminAddUserToGroup,
  adminConfirmSignUp,
  adminCreateUser,
  adminDeleteUser,
  adminDisableUser,
  adminEnableUser,
  adminGetUser,
  adminRemoveUserFromGroup,
  adminUpdateUserAttributes,
  createCognitoClient,
  listAllUsers,
  listUsers,
  resendConfirmationCode,
  secretHash,
} from '../../src'
import { rsaKey } from '../helpers/keys'
import { type CognitoHandler, cognitoError, fakeCognito } from '../helpers/fake-cognito'

const key = await rsaKey('main-key')
const POOL = 'us-east-1_TestPool1'
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }

function target(handlers: Record<string, CognitoHandler> = {}, signed = true) {
  const cognito = fakeCognito(key, handlers)
  const client = createCognitoClient({ region: 'us-east-1', fetch: cognito.fetch, ...(signed ? { credentials } : {}) })
  return { cognito, admin: { client, userPoolId: POOL } }
}

const rawUser = {
  Username: 'alice',
  UserAttributes: [
    { Name: 'email', Value: 'alice@example.com' },
    { Name: 'sub', Value: 'sub-1' },
  ],
  Enabled: true,
  UserStatus: 'CONFIRMED',
  UserCreateDate: 1_790_000_000,
}

describe('admin actions', () => {
  const simple: [string, (admin: ReturnType<typeof target>['admin']) => Promise<unknown>, Record<string, unknown>][] = [
    ['AdminDisableUser', (admin) => adminDisableUser(admin, 'alice'), { UserPoolId: POOL, Username: 'alice' }],
    ['AdminEnableUser', (admin) => adminEnableUser(admin, 'alice'), { UserPoolId: POOL, Username: 'alice' }],
    ['AdminDeleteUser', (admin) => adminDeleteUser(admin, 'alice'), { UserPoolId: POOL, Username: 'alice' }],
    ['AdminConfirmSignUp', (admin) => adminConfirmSignUp(admin, 'alice'), { UserPoolId: POOL, Username: 'alice' }],
    [
      'AdminAddUserToGroup',
      (admin) => adminAddUserToGroup(admin, 'alice', 'admins'),
      { UserPoolId: POOL, Username: 'alice', GroupName: 'admins' },
    ],
    [
      'AdminRemoveUserFromGroup',
      (admin) => adminRemoveUserFromGroup(admin, 'alice', 'admins'),
      { UserPoolId: POOL, Username: 'alice', GroupName: 'admins' },
    ],
    [
      'AdminUpdateUserAttributes',
      (admin) => adminUpdateUserAttributes(admin, 'alice', { 'custom:plan': 'pro' }),
      { UserPoolId: POOL, Username: 'alice', UserAttributes: [{ Name: 'custom:plan', Value: 'pro' }] },
    ],
  ]
  for (const [operation, run, body] of simple) {
    it(`${operation}: signed request with the pool and user`, async () => {
      const { cognito, admin } = target({ [operation]: () => ({}) })
      await run(admin)
      expect(cognito.calls).toHaveLength(1)
      expect(cognito.calls[0]).toMatchObject({ operation, body })
      expect(cognito.calls[0]?.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/cognito-idp\/aws4_request/,
      )
      expect(cognito.calls[0]?.headers['x-amz-date']).toBeDefined()
    })

    it(`${operation} without credentials → ERR_COGNITO_CREDENTIALS_MISSING, nothing sent`, async () => {
      const { cognito, admin } = target({}, false)
      await expect(run(admin)).rejects.toMatchObject({
        code: 'ERR_COGNITO_CREDENTIALS_MISSING',
        message: expect.stringContaining('needs AWS credentials'),
      })
      expect(cognito.calls).toHaveLength(0)
    })
  }

  it('adminGetUser returns attributes as a record', async () => {
    const { admin } = target({ AdminGetUser: () => rawUser })
    expect(await adminGetUser(admin, 'alice')).toEqual({
      username: 'alice',
      attributes: { email: 'alice@example.com', sub: 'sub-1' },
      enabled: true,
      status: 'CONFIRMED',
      createdAt: new Date(1_790_000_000_000).toISOString(),
    })
  })

  it('adminGetUser of an unknown user → ERR_COGNITO_NO_SUCH_USER', async () => {
    const { admin } = target({ AdminGetUser: () => cognitoError('UserNotFoundException', 'User does not exist.') })
    await expect(adminGetUser(admin, 'nobody')).rejects.toMatchObject({ code: 'ERR_COGNITO_NO_SUCH_USER' })
  })

  it('adminCreateUser sends attributes and SUPPRESS, and never RESEND', async () => {
    const { cognito, admin } = target({ AdminCreateUser: () => ({ User: { ...rawUser, UserStatus: 'FORCE_CHANGE_PASSWORD' } }) })
    const user = await adminCreateUser(admin, {
      username: 'alice',
      attributes: { email: 'alice@example.com' },
      temporaryPassword: 'T3mp!pass',
      messageAction: 'SUPPRESS',
    })
    expect(user.status).toBe('FORCE_CHANGE_PASSWORD')
    expect(cognito.calls[0]?.body).toEqual({
      UserPoolId: POOL,
      Username: 'alice',
      UserAttributes: [{ Name: 'email', Value: 'alice@example.com' }],
      TemporaryPassword: 'T3mp!pass',
      MessageAction: 'SUPPRESS',
    })
    await expect(adminCreateUser(admin, { username: 'bob', messageAction: 'RESEND' as never })).rejects.toMatchObject({
      code: 'ERR_COGNITO_INVALID_PARAMETER',
    })
    expect(cognito.calls).toHaveLength(1)
  })

  it('adminCreateUser without messageAction sends none (Cognito invites the user)', async () => {
    const { cognito, admin } = target({ AdminCreateUser: () => ({ User: rawUser }) })
    await adminCreateUser(admin, { username: 'alice' })
    expect(cognito.calls[0]?.body).toEqual({ UserPoolId: POOL, Username: 'alice' })
  })

  it('listUsers pages with PaginationToken; listAllUsers walks every page', async () => {
    const pages: Record<string, unknown> = {
      first: {
        Users: [{ ...rawUser, Username: 'a', Attributes: rawUser.UserAttributes, UserAttributes: undefined }],
        PaginationToken: 'page-2',
      },
      'page-2': { Users: [{ Username: 'b' }] },
    }
    const { cognito, admin } = target({
      ListUsers: (body) => pages[(body.PaginationToken as string | undefined) ?? 'first'] as object,
    })
    const first = await listUsers(admin, { filter: 'email ^= "a"', limit: 1 })
    expect(first.nextToken).toBe('page-2')
    expect(first.users[0]?.attributes.email).toBe('alice@example.com')
    expect(cognito.calls[0]?.body).toEqual({ UserPoolId: POOL, Limit: 1, Filter: 'email ^= "a"' })
    const everyone: string[] = []
    for await (const user of listAllUsers(admin)) everyone.push(user.username)
    expect(everyone).toEqual(['a', 'b'])
    expect(cognito.calls.slice(1).map((call) => call.body.PaginationToken ?? null)).toEqual([null, 'page-2'])
  })

  it('listUsers needs credentials too (an IAM-authorized call)', async () => {
    const { admin } = target({}, false)
    await expect(listUsers(admin)).rejects.toMatchObject({ code: 'ERR_COGNITO_CREDENTIALS_MISSING' })
  })

  it('listUsers refuses a limit outside 1–60', async () => {
    const { admin } = target({ ListUsers: () => ({}) })
    await expect(listUsers(admin, { limit: 61 })).rejects.toMatchObject({ code: 'ERR_COGNITO_INVALID_PARAMETER' })
  })

  it('resendConfirmationCode is a public call, with SecretHash for a client with a secret', async () => {
    const { cognito, admin } = target(
      { ResendConfirmationCode: () => ({ CodeDeliveryDetails: { Destination: 'a***@e***', DeliveryMedium: 'EMAIL' } }) },
      false,
    )
    const sent = await resendConfirmationCode(admin.client, { clientId: 'client-1', clientSecret: 's3cr3t' }, 'alice')
    expect(sent).toEqual({ destination: 'a***@e***', medium: 'EMAIL' })
    expect(cognito.calls[0]?.body).toEqual({
      ClientId: 'client-1',
      Username: 'alice',
      SecretHash: await secretHash('s3cr3t', 'alice', 'client-1'),
    })
  })
})
