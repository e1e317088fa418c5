// Ending sessions: RevokeToken (one refresh token, and the tokens issued from it) and
// GlobalSignOut (every session of the user, with their access token).
import { appClientOf, type CognitoClient } from './transport'

/** RevokeToken: the refresh token stops working, and so do the access tokens issued with it. */
export async function revokeToken(
  cognito: CognitoClient,
  input: { readonly refreshToken: string; readonly clientId?: string },
): Promise<void> {
  const clientId = input.clientId ?? appClientOf(cognito, 'revokeToken').clientId
  const body: Record<string, unknown> = { Token: input.refreshToken, ClientId: clientId }
  const secret = cognito.clientSecretFor(clientId)
  if (secret !== null) body.ClientSecret = secret
  await cognito.call('RevokeToken', body)
}

/** GlobalSignOut: every refresh token of the user stops working. */
export async function globalSignOut(cognito: CognitoClient, input: { readonly accessToken: string }): Promise<void> {
  await cognito.call('GlobalSignOut', { AccessToken: input.accessToken })
}
