// revokeToken and globalSignOut through `cognito-edge`, over the fake Cognito.
import { describe, expect, it } from 'vitest'
import { globalSignOut, revokeToken } from '../../src/index'
import { cognitoError, fakeCognito } from '../helpers/fake-cognito'
import { CLIENT_ID, OTHER_CLIENT_ID } from '../helpers/tokens'

describe('revokeToken', () => {
  it('sends RevokeToken for the app client, with its secret whole when it has one', async () => {
    const cognito = fakeCognito({ RevokeToken: () => ({}) })
    await revokeToken(cognito.client({ clientSecret: 's3cr3t' }), { refreshToken: 'r1' })
    await revokeToken(cognito.client(), { refreshToken: 'r2' })
    expect(cognito.calls.map(({ operation, body }) => [operation, body])).toEqual([
      ['RevokeToken', { Token: 'r1', ClientId: CLIENT_ID, ClientSecret: 's3cr3t' }],
      ['RevokeToken', { Token: 'r2', ClientId: CLIENT_ID }],
    ])
  })

  it('a token of another app client is revoked for that client, without this client’s secret', async () => {
    const cognito = fakeCognito({ RevokeToken: () => ({}) })
    await revokeToken(cognito.client({ clientSecret: 's3cr3t' }), { refreshToken: 'r1', clientId: OTHER_CLIENT_ID })
    expect(cognito.calls[0]?.body).toEqual({ Token: 'r1', ClientId: OTHER_CLIENT_ID })
  })

  it('needs an app client: ERR_COGNITO_CONFIG from a client without one, nothing sent', async () => {
    const cognito = fakeCognito({ RevokeToken: () => ({}) })
    await expect(revokeToken(cognito.client({ clientId: null }), { refreshToken: 'r1' })).rejects.toMatchObject({
      code: 'ERR_COGNITO_CONFIG',
    })
    expect(cognito.calls).toHaveLength(0)
  })

  it("says Cognito's refusal as it is", async () => {
    const cognito = fakeCognito({ RevokeToken: () => cognitoError('UnsupportedTokenTypeException', 'not a refresh token') })
    await expect(revokeToken(cognito.client(), { refreshToken: 'r1' })).rejects.toMatchObject({
      code: 'ERR_COGNITO_REQUEST_FAILED',
      type: 'UnsupportedTokenTypeException',
    })
  })
})

describe('globalSignOut', () => {
  it('sends GlobalSignOut with the access token, unsigned', async () => {
    const cognito = fakeCognito({ GlobalSignOut: () => ({}) })
    await globalSignOut(cognito.client(), { accessToken: 'access-1' })
    expect(cognito.calls.map(({ operation, body }) => [operation, body])).toEqual([
      ['GlobalSignOut', { AccessToken: 'access-1' }],
    ])
    expect(cognito.calls[0]?.headers.authorization).toBeUndefined()
  })

  it('a revoked access token → ERR_COGNITO_NOT_AUTHORIZED', async () => {
    const cognito = fakeCognito({ GlobalSignOut: () => cognitoError('NotAuthorizedException', 'Access Token has been revoked') })
    await expect(globalSignOut(cognito.client(), { accessToken: 'access-1' })).rejects.toMatchObject({
      code: 'ERR_COGNITO_NOT_AUTHORIZED',
    })
  })
})
