// Admin actions through `cognito-edge` over a signed client and the fake Cognito: request shapes,
// SigV4, credentials, the pool's own region, pagination.
import { describe, expect, it } from 'vitest'
import {
  type AdminUserInput,
  type CognitoClient,
  adminAddUserToGroup,
  adminConfirmSignUp,
  adminCreateUser,
  adminDeleteUser,
  adminDisableUser,
  adminEnableUser,
  adminGetUser,
  adminRemoveUserFromGroup,
  adminUpdateUserAttributes,
  adminUserGlobalSignOut,
  awsSigner,
  listAllUsers,
  listUsers,
} from '../../src/index'
import { CREDENTIALS, type CognitoHandler, cognitoError, fakeCognito } from '../helpers/fake-cognito'
import { OTHER_POOL_ID, POOL_ID } from '../helpers/tokens'

const POOL = POOL_ID
const user = { userPoolId: POOL, username: 'alice' }

function target(handlers: Record<string, CognitoHandler> = {}, signed = true) {
  const cognito = fakeCognito(handlers)
  return { cognito, admin: cognito.client(signed ? { signer: awsSigner(CREDENTIALS) } : {}) }
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
  type Run = (admin: CognitoClient, who: AdminUserInput) => Promise<unknown>
  const simple: [string, Run, Record<string, unknown>][] = [
    ['AdminDisableUser', (admin, who) => adminDisableUser(admin, who), {}],
    ['AdminEnableUser', (admin, who) => adminEnableUser(admin, who), {}],
    ['AdminDeleteUser', (admin, who) => adminDeleteUser(admin, who), {}],
    ['AdminConfirmSignUp', (admin, who) => adminConfirmSignUp(admin, who), {}],
    ['AdminUserGlobalSignOut', (admin, who) => adminUserGlobalSignOut(admin, who), {}],
    ['AdminAddUserToGroup', (admin, who) => adminAddUserToGroup(admin, { ...who, group: 'admins' }), { GroupName: 'admins' }],
    [
      'AdminRemoveUserFromGroup',
      (admin, who) => adminRemoveUserFromGroup(admin, { ...who, group: 'admins' }),
      { GroupName: 'admins' },
    ],
    [
      'AdminUpdateUserAttributes',
      (admin, who) => adminUpdateUserAttributes(admin, { ...who, attributes: { 'custom:plan': 'pro' } }),
      { UserAttributes: [{ Name: 'custom:plan', Value: 'pro' }] },
    ],
  ]
  for (const [operation, run, extra] of simple) {
    it(`${operation}: signed request with the pool and user`, async () => {
      const { cognito, admin } = target({ [operation]: () => ({}) })
      await run(admin, user)
      expect(cognito.calls).toHaveLength(1)
      expect(cognito.calls[0]).toMatchObject({ operation, body: { UserPoolId: POOL, Username: 'alice', ...extra } })
      expect(cognito.calls[0]?.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/cognito-idp\/aws4_request/,
      )
      expect(cognito.calls[0]?.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/)
    })

    it(`${operation} without credentials → ERR_COGNITO_CREDENTIALS_MISSING, nothing sent`, async () => {
      const { cognito, admin } = target({}, false)
      await expect(run(admin, user)).rejects.toMatchObject({
        code: 'ERR_COGNITO_CREDENTIALS_MISSING',
        message: expect.stringContaining('needs AWS credentials'),
      })
      expect(cognito.calls).toHaveLength(0)
    })

    it(`${operation} goes to the region of the pool it names, signed for that region`, async () => {
      const { cognito, admin } = target({ [operation]: () => ({}) })
      await run(admin, user)
      await run(admin, { userPoolId: OTHER_POOL_ID, username: 'alice' })
      expect(cognito.calls.map((call) => call.url)).toEqual([
        'https://cognito-idp.us-east-1.amazonaws.com/',
        'https://cognito-idp.eu-west-1.amazonaws.com/',
      ])
      expect(cognito.calls[1]?.body.UserPoolId).toBe(OTHER_POOL_ID)
      expect(cognito.calls[1]?.headers.authorization).toMatch(/\/eu-west-1\/cognito-idp\/aws4_request/)
    })
  }

  it('adminGetUser returns attributes as a record', async () => {
    const { admin } = target({ AdminGetUser: () => rawUser })
    expect(await adminGetUser(admin, user)).toEqual({
      username: 'alice',
      attributes: { email: 'alice@example.com', sub: 'sub-1' },
      enabled: true,
      status: 'CONFIRMED',
      createdAt: new Date(1_790_000_000_000).toISOString(),
    })
  })

  it('adminGetUser of an unknown user → ERR_COGNITO_NO_SUCH_USER', async () => {
    const { admin } = target({ AdminGetUser: () => cognitoError('UserNotFoundException', 'User does not exist.') })
    await expect(adminGetUser(admin, { userPoolId: POOL, username: 'nobody' })).rejects.toMatchObject({
      code: 'ERR_COGNITO_NO_SUCH_USER',
    })
  })

  it('adminCreateUser sends attributes and SUPPRESS, and never RESEND', async () => {
    const { cognito, admin } = target({ AdminCreateUser: () => ({ User: { ...rawUser, UserStatus: 'FORCE_CHANGE_PASSWORD' } }) })
    const created = await adminCreateUser(admin, {
      ...user,
      attributes: { email: 'alice@example.com' },
      temporaryPassword: 'T3mp!pass',
      messageAction: 'SUPPRESS',
      deliveryMediums: ['EMAIL'],
    })
    expect(created.status).toBe('FORCE_CHANGE_PASSWORD')
    expect(cognito.calls[0]?.body).toEqual({
      UserPoolId: POOL,
      Username: 'alice',
      UserAttributes: [{ Name: 'email', Value: 'alice@example.com' }],
      TemporaryPassword: 'T3mp!pass',
      MessageAction: 'SUPPRESS',
      DesiredDeliveryMediums: ['EMAIL'],
    })
    await expect(
      adminCreateUser(admin, { userPoolId: POOL, username: 'bob', messageAction: 'RESEND' as never }),
    ).rejects.toMatchObject({
      code: 'ERR_COGNITO_INVALID_PARAMETER',
    })
    expect(cognito.calls).toHaveLength(1)
  })

  it('adminCreateUser without messageAction sends none (Cognito invites the user)', async () => {
    const { cognito, admin } = target({ AdminCreateUser: () => ({ User: rawUser }) })
    await adminCreateUser(admin, user)
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
    const first = await listUsers(admin, { userPoolId: POOL, filter: 'email ^= "a"', limit: 1 })
    expect(first.nextToken).toBe('page-2')
    expect(first.users[0]?.attributes.email).toBe('alice@example.com')
    expect(cognito.calls[0]?.body).toEqual({ UserPoolId: POOL, Limit: 1, Filter: 'email ^= "a"' })
    const everyone: string[] = []
    for await (const listed of listAllUsers(admin, { userPoolId: POOL })) everyone.push(listed.username)
    expect(everyone).toEqual(['a', 'b'])
    expect(cognito.calls.slice(1).map((call) => call.body.PaginationToken ?? null)).toEqual([null, 'page-2'])
  })

  it('listUsers asks only for the attributes named', async () => {
    const { cognito, admin } = target({ ListUsers: () => ({ Users: [] }) })
    expect(await listUsers(admin, { userPoolId: POOL, attributes: ['email', 'sub'] })).toEqual({ users: [], nextToken: null })
    expect(cognito.calls[0]?.body).toEqual({ UserPoolId: POOL, Limit: 60, AttributesToGet: ['email', 'sub'] })
  })

  it('listUsers needs credentials too (an IAM-authorized call)', async () => {
    const { cognito, admin } = target({}, false)
    await expect(listUsers(admin, { userPoolId: POOL })).rejects.toMatchObject({ code: 'ERR_COGNITO_CREDENTIALS_MISSING' })
    expect(cognito.calls).toHaveLength(0)
  })

  it('listUsers refuses a limit outside 1–60', async () => {
    const { cognito, admin } = target({ ListUsers: () => ({}) })
    await expect(listUsers(admin, { userPoolId: POOL, limit: 61 })).rejects.toMatchObject({
      code: 'ERR_COGNITO_INVALID_PARAMETER',
    })
    await expect(listUsers(admin, { userPoolId: POOL, limit: 0 })).rejects.toMatchObject({
      code: 'ERR_COGNITO_INVALID_PARAMETER',
    })
    expect(cognito.calls).toHaveLength(0)
  })
})
