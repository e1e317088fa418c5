export { CognitoAuthError, ERROR_CODES, isCognitoAuthError } from './errors'
export type { CognitoErrorCode } from './errors'
export { issuersForPool } from './options'
export type { CognitoVerifierOptions, JsonWebKey, JsonWebKeySet, KeySetCache, TokenUse } from './options'
export { createCognitoVerifier } from './token/verify'
export type { CognitoVerifier, VerifyOptions } from './token/verify'
export type { CognitoAccessTokenClaims, CognitoClaims, CognitoIdTokenClaims } from './token/claims'
export { optionsFromEnv, userLookupFromEnv } from './env'
export type { EnvOptions, UserLookupSettings } from './env'
export type {
  AuthSettings,
  CognitoApiSettings,
  CognitoSettings,
  ManagedLoginSettings,
  PoolSettings,
  RefreshSettings,
  RequiredTokens,
  RoutesSettings,
} from './settings'
export type { CookieOptions, SessionTokens } from './session/cookies'
export type { UserSession, UserStore } from './user-store'
export type { RevocationList, RevocationSubject } from './revocation-list'
export type { RenewalCoordinator, RenewalTiming, RenewedTokens } from './renewal-coordinator'
export { signOutEverywhere } from './sign-out-everywhere'
export type { SignOutEverywhereInput, SignOutEverywhereTarget } from './sign-out-everywhere'
export { createCognitoClient } from './cognito/transport'
export type { CognitoCallOptions, CognitoClient, CognitoClientOptions, RequestSigner } from './cognito/transport'
export { awsSigner } from './cognito/sigv4'
export type { AwsCredentials } from './cognito/sigv4'
export { CognitoServiceError } from './cognito/service-error'
export { secretHash } from './cognito/secret-hash'
export type { CognitoChallenge, CognitoTokens, SignInResult } from './cognito/sign-in-result'
export { respondToChallenge, signIn } from './cognito/sign-in'
export type { ChallengeAnswerInput, SignInInput } from './cognito/sign-in'
export { confirmForgotPassword, confirmSignUp, forgotPassword, resendConfirmationCode, signUp } from './cognito/account'
export type { CodeDelivery, SignUpInput, SignUpResult, UserAttributes } from './cognito/account'
export { refreshTokens } from './cognito/refresh'
export type { RefreshInput } from './cognito/refresh'
export { globalSignOut, revokeToken } from './cognito/sign-out'
export { authorizeUrl, exchangeAuthorizationCode, logoutUrl, pkceChallenge } from './cognito/oauth2'
export type { AuthorizeInput, CodeExchangeInput } from './cognito/oauth2'
export { safeReturnPath } from './session/return-path'
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
  adminUserGlobalSignOut,
  listAllUsers,
  listUsers,
} from './cognito/admin'
export type { AdminUserInput, CognitoUser, CreateUserInput, ListUsersInput } from './cognito/admin'
