// refreshTokens through `cognito-edge`, over the fake Cognito: which flow it uses (REFRESH_TOKEN_AUTH,
// GetTokensFromRefreshToken, AdminInitiateAuth), where the secret goes, and which failures end a
// session (REFRESH_REJECTED) and which do not (REFRESH_FAILED, UNAVAILABLE, THROTTLED).
import { describe, expect, it } from 'vitest'
import { awsSigner, refreshTokens, secretHash } from '../../src/index'
import { codeOf, rejectionOf } from '../helpers/errors'
import { CREDENTIALS, cognitoError, fakeCognito } from '../helpers/fake-cognito'
import { CLIENT_ID, OTHER_CLIENT_ID, POOL_ID } from '../helpers/tokens'

const result = { AuthenticationResult: { IdToken: 'new-id', AccessToken: 'new-access', ExpiresIn: 3600, TokenType: 'Bearer' } }

describe('refreshTokens', () => {
  it('REFRESH_TOKEN_AUTH without SECRET_HASH for a public client', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => result })
    expect(await refreshTokens(cognito.client(), { refreshToken: 'refresh-1', username: 'alice' })).toEqual({
      idToken: 'new-id',
      accessToken: 'new-access',
      refreshToken: null,
      expiresIn: 3600,
      tokenType: 'Bearer',
    })
    expect(cognito.calls[0]?.body).toEqual({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: CLIENT_ID,
      AuthParameters: { REFRESH_TOKEN: 'refresh-1' },
    })
  })

  it('REFRESH_TOKEN_AUTH with the SECRET_HASH of the Cognito username when the client has a secret', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => result })
    await refreshTokens(cognito.client({ clientSecret: 's3cr3t' }), {
      refreshToken: 'refresh-1',
      username: 'ff7c5b45-e9f9-4a2c-84ee-f9db51e48a82',
    })
    expect(cognito.calls[0]?.body.AuthParameters).toEqual({
      REFRESH_TOKEN: 'refresh-1',
      SECRET_HASH: await secretHash('s3cr3t', 'ff7c5b45-e9f9-4a2c-84ee-f9db51e48a82', CLIENT_ID),
    })
  })

  it('NotAuthorizedException → ERR_COGNITO_REFRESH_REJECTED', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => cognitoError('NotAuthorizedException', 'Invalid Refresh Token.') })
    expect(await codeOf(refreshTokens(cognito.client(), { refreshToken: 'refresh-1', username: 'alice' }))).toBe(
      'ERR_COGNITO_REFRESH_REJECTED',
    )
  })

  it('NotAuthorizedException about the app client is a misconfiguration: ERR_COGNITO_REFRESH_FAILED, Cognito’s words in the cause only', async () => {
    const cognito = fakeCognito({
      InitiateAuth: () => cognitoError('NotAuthorizedException', `Unable to verify secret hash for client ${CLIENT_ID}`),
    })
    const error = await rejectionOf(
      refreshTokens(cognito.client({ clientSecret: 'wrong' }), { refreshToken: 'r', username: 'alice' }),
    )
    expect(error.code).toBe('ERR_COGNITO_REFRESH_FAILED')
    expect(error.message).not.toContain(CLIENT_ID)
    expect(error.cause).toMatchObject({ type: 'NotAuthorizedException', operation: 'InitiateAuth' })
  })

  it("'auto' falls back to GetTokensFromRefreshToken when the client rotates refresh tokens", async () => {
    const cognito = fakeCognito({
      InitiateAuth: () => cognitoError('InvalidParameterException', 'REFRESH_TOKEN_AUTH flow not enabled for this client'),
      GetTokensFromRefreshToken: () => ({ AuthenticationResult: { ...result.AuthenticationResult, RefreshToken: 'rotated' } }),
    })
    expect(
      await refreshTokens(cognito.client({ clientSecret: 's3cr3t' }), { refreshToken: 'refresh-1', username: 'alice' }),
    ).toMatchObject({ refreshToken: 'rotated' })
    expect(cognito.calls.map((call) => call.operation)).toEqual(['InitiateAuth', 'GetTokensFromRefreshToken'])
    expect(cognito.calls[1]?.body).toEqual({ ClientId: CLIENT_ID, RefreshToken: 'refresh-1', ClientSecret: 's3cr3t' })
  })

  it("'auto' does not fall back on other errors, which are not the token's fault", async () => {
    const cognito = fakeCognito({
      InitiateAuth: () => cognitoError('InvalidParameterException', 'Missing required parameter REFRESH_TOKEN'),
    })
    expect(await codeOf(refreshTokens(cognito.client(), { refreshToken: 'refresh-1', username: 'alice' }))).toBe(
      'ERR_COGNITO_REFRESH_FAILED',
    )
    expect(cognito.calls).toHaveLength(1)
  })

  it('rotation: true goes straight to GetTokensFromRefreshToken', async () => {
    const cognito = fakeCognito({ GetTokensFromRefreshToken: () => result })
    await refreshTokens(cognito.client(), { refreshToken: 'refresh-1', username: 'alice', rotation: true })
    expect(cognito.calls.map(({ operation, body }) => [operation, body])).toEqual([
      ['GetTokensFromRefreshToken', { ClientId: CLIENT_ID, RefreshToken: 'refresh-1' }],
    ])
  })

  it('a client secret without a known username refreshes with GetTokensFromRefreshToken', async () => {
    const cognito = fakeCognito({ GetTokensFromRefreshToken: () => result })
    await refreshTokens(cognito.client({ clientSecret: 's3cr3t' }), { refreshToken: 'refresh-1', username: null })
    expect(cognito.calls.map((call) => call.operation)).toEqual(['GetTokensFromRefreshToken'])
  })

  it('a client secret, no username and rotation: false → ERR_COGNITO_TOKEN_MISSING, nothing sent', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => result })
    const refresh = refreshTokens(cognito.client({ clientSecret: 's3cr3t' }), { refreshToken: 'r', rotation: false })
    expect(await codeOf(refresh)).toBe('ERR_COGNITO_TOKEN_MISSING')
    expect(cognito.calls).toHaveLength(0)
  })

  it('admin mode: AdminInitiateAuth with the pool id, signed', async () => {
    const cognito = fakeCognito({ AdminInitiateAuth: () => result })
    await refreshTokens(cognito.client({ signer: awsSigner(CREDENTIALS) }), {
      refreshToken: 'refresh-1',
      username: 'alice',
      admin: true,
      userPoolId: POOL_ID,
    })
    expect(cognito.calls[0]?.operation).toBe('AdminInitiateAuth')
    expect(cognito.calls[0]?.body).toMatchObject({ AuthFlow: 'REFRESH_TOKEN_AUTH', UserPoolId: POOL_ID })
    expect(cognito.calls[0]?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /)
  })

  it('admin mode needs the pool: ERR_COGNITO_CONFIG, nothing sent', async () => {
    const cognito = fakeCognito({ AdminInitiateAuth: () => result })
    const refresh = refreshTokens(cognito.client({ signer: awsSigner(CREDENTIALS) }), {
      refreshToken: 'r',
      username: 'a',
      admin: true,
    })
    expect(await codeOf(refresh)).toBe('ERR_COGNITO_CONFIG')
    expect(cognito.calls).toHaveLength(0)
  })

  it('an answer without tokens is an error, not undefined tokens', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => ({ ChallengeName: 'SMS_MFA' }) })
    expect(await codeOf(refreshTokens(cognito.client(), { refreshToken: 'refresh-1', username: 'alice' }))).toBe(
      'ERR_COGNITO_REFRESH_FAILED',
    )
  })

  it('goes to the region of the session, not the client’s', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => result })
    await refreshTokens(cognito.client(), { refreshToken: 'r', username: 'alice', region: 'eu-west-1' })
    expect(cognito.calls.map((call) => call.url)).toEqual(['https://cognito-idp.eu-west-1.amazonaws.com/'])
  })

  it('a refresh token of another app client goes out for that client, without this client’s secret', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => result })
    await refreshTokens(cognito.client({ clientSecret: 's3cr3t' }), {
      refreshToken: 'r',
      username: 'alice',
      clientId: OTHER_CLIENT_ID,
    })
    expect(cognito.calls[0]?.body).toEqual({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: OTHER_CLIENT_ID,
      AuthParameters: { REFRESH_TOKEN: 'r' },
    })
  })

  it('Cognito unavailable or throttling is passed through: neither ends a session', async () => {
    const down = fakeCognito({ InitiateAuth: () => cognitoError('InternalErrorException', 'down', 500) })
    expect(await codeOf(refreshTokens(down.client({ retries: 0 }), { refreshToken: 'r', username: 'a' }))).toBe(
      'ERR_COGNITO_UNAVAILABLE',
    )
    const slow = fakeCognito({ InitiateAuth: () => cognitoError('TooManyRequestsException', 'Rate exceeded') })
    expect(await codeOf(refreshTokens(slow.client({ retries: 0 }), { refreshToken: 'r', username: 'a' }))).toBe(
      'ERR_COGNITO_THROTTLED',
    )
  })
})
