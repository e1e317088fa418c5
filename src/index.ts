export { CognitoAuthError, ERROR_CODES, isCognitoAuthError } from './errors'
export type { CognitoErrorCode } from './errors'
export { issuersForPool } from './options'
export type { CognitoVerifierOptions, JsonWebKeySet, TokenUse } from './options'
export { createCognitoVerifier } from './token/verify'
export type { CognitoVerifier, VerifyOptions } from './token/verify'
export type { CognitoAccessTokenClaims, CognitoClaims, CognitoIdTokenClaims } from './token/claims'
export { optionsFromEnv } from './settings'
export type { AwsCredentials, CognitoSettings, UserLookupSettings } from './settings'
export type { CookieOptions, SessionTokens } from './session/cookies'
export { clientFromSettings, createCognitoClient } from './cognito/client'
export type { CognitoClient, CognitoClientOptions } from './cognito/client'
export { secretHash } from './cognito/secret-hash'
export { refreshTokens } from './cognito/refresh'
export type { RefreshSettings, RefreshedTokens } from './cognito/refresh'
export {
  adminAddUserToGroup,
  adminConfirmSignUp,
  adminCreateUser,
  adminDeleteUser,
  adminDisableUser,
  adminEnableUser,
  adminGetUser,
  adminRemoveUserFromGroup,
  adminUpdateUserAttributes,
  listAllUsers,
  listUsers,
  resendConfirmationCode,
} from './cognito/actions'
export type { AdminTarget, CognitoUser, CreateUserInput, ListUsersInput, UserAttributes } from './cognito/actions'
