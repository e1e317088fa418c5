// The contract between the middleware and a user store (d1UserStore, or an app's own). It names
// no database, so the middleware stays free of drizzle.
import type { CognitoAccessTokenClaims, CognitoIdTokenClaims } from './token/claims'

/** What a store gets for each authenticated request. */
export interface UserSession {
  /** The verified ID token's claims, or null when none was presented. */
  readonly idClaims: CognitoIdTokenClaims | null
  /** The verified access token's claims, or null when none was presented. */
  readonly accessClaims: CognitoAccessTokenClaims | null
  /** The access token, for stores that ask Cognito about the user (`AdminGetUser`). */
  readonly accessToken: string | null
}

/** Where the middleware finds (or creates) the user of a session: `d1UserStore(…)`, or an app's own. */
export interface UserStore<User> {
  /**
   * The stored user for a verified session: found, created (auto-create) or updated. Rejects with a
   * CognitoAuthError: ERR_COGNITO_USER_NOT_FOUND (no row, auto-create off), ERR_COGNITO_CLAIM (the
   * lookup claim is missing from the tokens), ERR_COGNITO_UNVERIFIED_CLAIM (the lookup claim is an email or
   * phone number Cognito has not verified), ERR_COGNITO_USER_CONFLICT (the matching row holds another sub),
   * ERR_COGNITO_STORE_UNAVAILABLE (the database failed), or —
   * for stores that ask Cognito — ERR_COGNITO_UNAVAILABLE or ERR_COGNITO_THROTTLED.
   */
  resolveUser(session: UserSession): Promise<User>
}
