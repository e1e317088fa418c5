export { cognitoAuth } from './auth'
export { cognitoRoutes, createCognitoEdge } from './edge'
export type { CognitoEdge, CognitoEdgeWithClients, EdgeParts } from './edge'
export type {
  CognitoEdgeInput,
  CognitoEdgeSettings,
  ErrorHook,
  RateLimitAttempt,
  RateLimitedRoute,
  RoutesSettings,
} from './settings'
export type { CognitoAuthContext, CognitoAuthOptionalVariables, CognitoAuthVariables } from './middleware'
export { requireGroups, requireScopes } from './guards'
export type { GroupGuardOptions } from './guards'
export { clearSessionCookies, setCsrfCookie, setSessionCookies } from './cookie-helpers'
export { errorResponse, statusFor } from './challenge'
export type { UserSession, UserStore } from '../user-store'
