// The settings of a cognito-edge deployment, in sections — what the seed's Django settings
// describe, as plain data. `optionsFromEnv` produces them; `createCognitoEdge` (cognito-edge/hono)
// takes them, plus the parts only code can give (hooks, stores). Each section's defaults are
// documented where its fields are declared; unknown keys are refused.
import type { RequestSigner } from './cognito/transport'
import type { CognitoVerifierOptions } from './options'
import type { CookieOptions } from './session/cookies'

/** Which tokens are accepted: the verifier's options (pools, app clients, issuer, key-set cache), without I/O. */
export type PoolSettings = Omit<CognitoVerifierOptions, 'fetch' | 'now'>

/** How Cognito's API is reached, and the app client's secret. */
export interface CognitoApiSettings {
  /** AWS region for the API and SigV4 (`AWS_REGION`). Default: the region of the first pool id (`us-east-1` for emulator ids). */
  region?: string | null
  /** The Cognito API endpoint for every region (`COGNITO_ENDPOINT`). Default `https://cognito-idp.<region>.amazonaws.com/`. */
  endpoint?: string | null
  /** Signs calls; Admin* calls (admin refresh, AdminGetUser) need it: `awsSigner({ accessKeyId, secretAccessKey })`. Default none. */
  signer?: RequestSigner | null
  /** The secret of the first app client of `pool.clientId` (`APP_SECRET_KEY`), for SECRET_HASH. Default none (a public client). */
  clientSecret?: string | null
  /** Milliseconds before one Cognito call is abandoned. Default `5000`. */
  timeoutMs?: number
  /** Extra attempts after throttling or a 5xx answer, 0–2. Default `1`. */
  retries?: number
}

/** Renewing expired sessions through Cognito, in the middleware. */
export interface RefreshSettings {
  /** `'auto'` tries REFRESH_TOKEN_AUTH and falls back to GetTokensFromRefreshToken for rotating clients. Default `'auto'`. */
  rotation?: 'auto' | boolean
  /** Refresh with AdminInitiateAuth (needs `cognito.signer`). Default `false`. */
  admin?: boolean
  /** Also renew a still-valid session whose tokens expire within this many seconds. Default `0` (off). */
  refreshBefore?: number
  /** Seconds new tokens (and a refusal) are remembered, so a burst with one expired session calls Cognito once. Default `30`. */
  burstWindow?: number
}

/** CSRF protection (double submit: the `csrftoken` cookie equals the `CsrfToken` header). */
export interface CsrfSettings {
  /** Check unsafe cookie-authenticated requests and the cookie endpoints (`USE_CSRF`). Default: on in cookie mode. */
  check?: boolean
  /** `Secure` on the `csrftoken` cookie (`SECURE_COOKIE`). Default: the session cookies' `secure`, else `true`. */
  secure?: boolean
  /**
   * `HttpOnly` on the `csrftoken` cookie (`HTTP_ONLY_COOKIE`): scripts then take the token from
   * `GET /auth/generate_csrf`'s body instead of the cookie. Default `false`.
   */
  httpOnly?: boolean
}

/** Which tokens a request must carry. */
export type RequiredTokens = 'any' | 'access' | 'id' | 'both'

/** What the middleware asks of a request. */
export interface AuthSettings {
  /**
   * Which tokens must be present: `'any'` (at least one of ID and access), `'access'`, `'id'`, or
   * `'both'` (as the seed required). Every token present is verified whatever this says. Default `'any'`.
   */
  require?: RequiredTokens
  /** Let requests without an ID or access token through with `c.var.cognito === null`. Invalid tokens are still refused. Default `false`. */
  optional?: boolean
  /**
   * Send a browser navigation (GET or HEAD with `Accept: text/html`) that fails with 401 to the
   * sign-in page as a 302, with its path as `return_to`; API requests keep the 401. `true` is
   * `/auth/oauth2/login` (needs `managedLogin`); a path names another one (the routes mounted
   * elsewhere, or the app's own page). Default `false`.
   */
  loginRedirect?: boolean | string
}

/**
 * Managed login: Cognito's hosted UI through OAuth 2.0 authorization code + PKCE (the
 * `/auth/oauth2/*` routes). Needs cookie mode: the callback hands the session to the browser as cookies.
 */
export interface ManagedLoginSettings {
  /** The pool's domain (`COGNITO_DOMAIN`): `https://<prefix>.auth.<region>.amazoncognito.com` or a custom domain. Required. */
  domain: string
  /** The callback (`COGNITO_REDIRECT_URI`), e.g. `https://app.example.com/auth/oauth2/callback`; one of the app client's callback URLs. Required. */
  redirectUri: string
  /** Where Cognito's logout sends the browser (`COGNITO_LOGOUT_URI`); one of the app client's sign-out URLs. Default: the redirect URI's origin + `/`. */
  logoutUri?: string
  /** OAuth scopes (`COGNITO_SCOPES`), a list or a space-separated string; must include `openid`. Default `openid email profile`. */
  scopes?: string | readonly string[]
  /** Skip Cognito's choice of provider and go straight to this one (`COGNITO_IDENTITY_PROVIDER`), e.g. `Google`. Default none. */
  identityProvider?: string | null
  /** The secret the transaction cookie's key is derived from (`COGNITO_COOKIE_SECRET`), at least 32 bytes. Required. */
  cookieSecret: string
  /** Seconds a sign-in may take, from `/auth/oauth2/login` to the callback; at most 600. Default `600`. */
  transactionMaxAge?: number
  /**
   * Only for cognito-local on this machine (`COGNITO_UNSAFE_EMULATOR`): ID tokens without a `nonce`
   * are accepted (the emulator drops it; a token replayed into a callback would then not be caught
   * by its nonce), and logout goes straight to `logoutUri` (the emulator has no `/logout`). Refused
   * unless `domain` is a loopback address. Default `false`.
   */
  unsafeEmulator?: boolean
}

/** The `/auth/*` endpoints. */
export interface RoutesSettings {
  /** Logout also signs the user out everywhere (GlobalSignOut with the access token). Default `false`. */
  globalSignOut?: boolean
}

/** Every section that plain data (a Worker's env) can describe. */
export interface CognitoSettings {
  /** Which tokens are accepted. Required. */
  pool: PoolSettings
  /** How Cognito's API is reached. Default `{}`. */
  cognito?: CognitoApiSettings
  /** Cookie mode and its attributes; `null` keeps tokens out of cookies (header sessions only). Default `null`. */
  cookies?: CookieOptions | null
  /**
   * Double-submit CSRF protection: `true`/`false` switches the check, or the section sets the
   * `csrftoken` cookie too. Default: checked in cookie mode, off otherwise.
   */
  csrf?: boolean | CsrfSettings
  /** Renewal of expired sessions; `false` turns it off. Default `{}` (on, with its defaults). */
  refresh?: RefreshSettings | false
  /** What the middleware asks of a request. Default `{}`. */
  auth?: AuthSettings
  /** The `/auth/*` endpoints. Default `{}`. */
  routes?: RoutesSettings
  /** Sign-in through Cognito's hosted UI (the `/auth/oauth2/*` routes); `null` leaves them out (404). Default `null`. */
  managedLogin?: ManagedLoginSettings | null
  /** The `realm` of `WWW-Authenticate` challenges. Default `'cognito-edge'`. */
  realm?: string
  /** The fetch used for key sets and Cognito. Default: the global `fetch`. */
  fetch?: typeof fetch
  /** The clock, in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number
}
