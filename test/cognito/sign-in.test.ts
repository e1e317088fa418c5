// signIn and respondToChallenge through `cognito-edge`, over the fake Cognito: the request each
// sends, where SECRET_HASH goes, what an answer becomes, and that a stranger cannot tell an unknown
// user from a wrong password.
import { describe, expect, it } from 'vitest'
import { CognitoServiceError, respondToChallenge, secretHash, signIn } from '../../src/index'
import { codeOf, rejectionOf } from '../helpers/errors'
import { cognitoError, fakeCognito } from '../helpers/fake-cognito'
import { CLIENT_ID } from '../helpers/tokens'

const issued = {
  AuthenticationResult: {
    IdToken: 'id-1',
    AccessToken: 'access-1',
    RefreshToken: 'refresh-1',
    ExpiresIn: 3600,
    TokenType: 'Bearer',
  },
  ChallengeParameters: {},
}

describe('signIn', () => {
  it('sends InitiateAuth USER_PASSWORD_AUTH for the app client and answers with the tokens', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => issued })
    expect(await signIn(cognito.client(), { username: 'alice', password: 'Passw0rd!' })).toEqual({
      kind: 'tokens',
      tokens: { idToken: 'id-1', accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600, tokenType: 'Bearer' },
    })
    expect(cognito.calls.map(({ operation, body }) => [operation, body])).toEqual([
      [
        'InitiateAuth',
        { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: CLIENT_ID, AuthParameters: { USERNAME: 'alice', PASSWORD: 'Passw0rd!' } },
      ],
    ])
  })

  it('puts SECRET_HASH of the username given in AuthParameters when the client has a secret', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => issued })
    await signIn(cognito.client({ clientSecret: 's3cr3t' }), { username: 'alice@example.com', password: 'p' })
    expect(cognito.calls[0]?.body.AuthParameters).toEqual({
      USERNAME: 'alice@example.com',
      PASSWORD: 'p',
      SECRET_HASH: '2ha83cJKOY6MbkJ5wKngc0J3uENmijnCI7Qy/NAkAC8=',
    })
  })

  it('answers a challenge as a challenge, never as a session', async () => {
    const cognito = fakeCognito({
      InitiateAuth: () => ({
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: 'session-1',
        ChallengeParameters: { FRIENDLY_DEVICE_NAME: 'phone', n: 7 },
      }),
    })
    expect(await signIn(cognito.client(), { username: 'alice', password: 'p' })).toEqual({
      kind: 'challenge',
      challenge: { name: 'SOFTWARE_TOKEN_MFA', session: 'session-1', parameters: { FRIENDLY_DEVICE_NAME: 'phone' } },
    })
  })

  it('reads what Cognito leaves out: no refresh token, no lifetime (cognito-local), no token type', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => ({ AuthenticationResult: { IdToken: 'id-1', AccessToken: 'access-1' } }) })
    expect(await signIn(cognito.client(), { username: 'alice', password: 'p' })).toEqual({
      kind: 'tokens',
      tokens: { idToken: 'id-1', accessToken: 'access-1', refreshToken: null, expiresIn: null, tokenType: 'Bearer' },
    })
  })

  it('an answer with neither tokens nor a challenge is Cognito failing → ERR_COGNITO_UNAVAILABLE', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => ({ AuthenticationResult: { IdToken: '', AccessToken: 'a' } }) })
    await expect(signIn(cognito.client(), { username: 'alice', password: 'p' })).rejects.toMatchObject({
      code: 'ERR_COGNITO_UNAVAILABLE',
      message: 'Cognito InitiateAuth answered with neither tokens nor a challenge',
    })
  })

  it('an unknown user, a wrong password and a refused password read exactly alike, Cognito’s answer kept as the cause', async () => {
    const refusals = [
      cognitoError('NotAuthorizedException', 'Incorrect username or password.'),
      cognitoError('UserNotFoundException', 'User does not exist.'),
      cognitoError('InvalidPasswordException', 'Password does not conform to policy'),
    ]
    const seen = []
    for (const refusal of refusals) {
      const error = await rejectionOf(
        signIn(fakeCognito({ InitiateAuth: () => refusal }).client(), { username: 'x', password: 'y' }),
      )
      expect(error.cause).toBeInstanceOf(CognitoServiceError)
      seen.push({ name: error.name, code: error.code, message: error.message })
    }
    expect(seen).toEqual(
      Array(3).fill({ name: 'CognitoAuthError', code: 'ERR_COGNITO_NOT_AUTHORIZED', message: 'Incorrect username or password.' }),
    )
  })

  it('other refusals are said as they are', async () => {
    const unconfirmed = fakeCognito({ InitiateAuth: () => cognitoError('UserNotConfirmedException', 'User is not confirmed.') })
    expect(await codeOf(signIn(unconfirmed.client(), { username: 'x', password: 'y' }))).toBe('ERR_COGNITO_USER_NOT_CONFIRMED')
    const reset = fakeCognito({ InitiateAuth: () => cognitoError('PasswordResetRequiredException', 'Password reset required') })
    expect(await codeOf(signIn(reset.client(), { username: 'x', password: 'y' }))).toBe('ERR_COGNITO_PASSWORD_RESET_REQUIRED')
  })

  it('a client made without clientId cannot sign in: ERR_COGNITO_CONFIG, nothing sent', async () => {
    const cognito = fakeCognito({ InitiateAuth: () => issued })
    await expect(signIn(cognito.client({ clientId: null }), { username: 'x', password: 'y' })).rejects.toMatchObject({
      code: 'ERR_COGNITO_CONFIG',
      message: 'signIn needs a Cognito client made with clientId (APP_CLIENT_ID)',
    })
    expect(cognito.calls).toHaveLength(0)
  })
})

describe('respondToChallenge', () => {
  const answer = { username: 'alice', challengeName: 'SMS_MFA', session: 'session-1', responses: { SMS_MFA_CODE: '123456' } }

  it('sends RespondToAuthChallenge with the responses, USERNAME and SECRET_HASH in ChallengeResponses', async () => {
    const cognito = fakeCognito({ RespondToAuthChallenge: () => issued })
    const result = await respondToChallenge(cognito.client({ clientSecret: 's3cr3t' }), answer)
    expect(result).toMatchObject({ kind: 'tokens', tokens: { accessToken: 'access-1' } })
    expect(cognito.calls[0]?.body).toEqual({
      ClientId: CLIENT_ID,
      ChallengeName: 'SMS_MFA',
      Session: 'session-1',
      ChallengeResponses: {
        SMS_MFA_CODE: '123456',
        USERNAME: 'alice',
        SECRET_HASH: await secretHash('s3cr3t', 'alice', CLIENT_ID),
      },
    })
  })

  it('the username given wins over a USERNAME among the responses', async () => {
    const cognito = fakeCognito({ RespondToAuthChallenge: () => issued })
    await respondToChallenge(cognito.client(), { ...answer, responses: { SMS_MFA_CODE: '1', USERNAME: 'mallory' } })
    expect(cognito.calls[0]?.body.ChallengeResponses).toEqual({ SMS_MFA_CODE: '1', USERNAME: 'alice' })
  })

  it('answers the next challenge as a challenge', async () => {
    const cognito = fakeCognito({ RespondToAuthChallenge: () => ({ ChallengeName: 'MFA_SETUP', Session: 's2' }) })
    expect(await respondToChallenge(cognito.client(), answer)).toEqual({
      kind: 'challenge',
      challenge: { name: 'MFA_SETUP', session: 's2', parameters: {} },
    })
  })

  it('hides account existence, but a new password the pool refuses is said as such', async () => {
    const unknown = fakeCognito({ RespondToAuthChallenge: () => cognitoError('UserNotFoundException', 'User does not exist.') })
    expect(await codeOf(respondToChallenge(unknown.client(), answer))).toBe('ERR_COGNITO_NOT_AUTHORIZED')
    const weak = fakeCognito({
      RespondToAuthChallenge: () => cognitoError('InvalidPasswordException', 'Password not long enough'),
    })
    const newPassword = { ...answer, challengeName: 'NEW_PASSWORD_REQUIRED', responses: { NEW_PASSWORD: 'short' } }
    expect(await codeOf(respondToChallenge(weak.client(), newPassword))).toBe('ERR_COGNITO_INVALID_PASSWORD')
  })
})
