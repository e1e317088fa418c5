// Resolving the managedLogin section once, when the edge is built: the hosted UI's domain, the
// app's callback and logout URLs, the scopes, the transaction cookie and its secret. A wrong
// setting fails at startup naming it, never on a user's way back from Cognito.
import { isIdentityProviderName } from '../cognito/oauth2'
import type { CognitoClient } from '../cognito/transport'
import { booleanOption, checkKeys, configError, duration, httpUrl } from '../config'
import { LruCache } from '../lru'
import type { ResolvedCookieOptions } from '../session/cookies'
import type { ManagedLoginSettings } from '../settings'
import type { CognitoEdgeSettings, ResolvedManagedLogin } from './settings'

const KEYS = [
  'domain',
  'redirectUri',
  'logoutUri',
  'scopes',
  'identityProvider',
  'cookieSecret',
  'transactionMaxAge',
  'unsafeEmulator',
]
const DEFAULT_SCOPES = ['openid', 'email', 'profile']
/** The bound on a sign-in: long enough for a password manager and MFA, short enough to be useless when stolen. */
const MAX_TRANSACTION_SECONDS = 600
/** AES-256 needs 32 bytes of key material; HKDF cannot add entropy a shorter secret lacks. */
const MIN_SECRET_BYTES = 32
/** Replays caught per isolate; past this many the oldest are forgotten (the cookie is single-use anyway). */
const REMEMBERED_STATES = 10_000
/** A scope-token (RFC 6749 §3.3): printable ASCII except space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** An absolute URL: https, or http on a loopback host (a dev machine); no credentials, no fragment (RFC 6749 §3.1.2). */
function url(value: unknown, name: string): URL {
  const parsed = new URL(httpUrl(value, name))
  if (parsed.protocol !== 'https:' && !LOOPBACK_HOSTS.has(parsed.hostname))
    throw configError(`${name} must be an https URL (plain http only on 127.0.0.1 or localhost)`)
  if (parsed.username !== '' || parsed.password !== '' || (value as string).includes('#'))
    throw configError(`${name} must have neither credentials nor a fragment`)
  return parsed
}

function scopesOf(value: unknown): readonly string[] {
  if (value === undefined) return DEFAULT_SCOPES
  const list = typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : value
  if (!Array.isArray(list) || !list.every((scope) => typeof scope === 'string' && SCOPE_TOKEN.test(scope)))
    throw configError('managedLogin.scopes must be scope names (a list, or one space-separated string)')
  // Without openid Cognito issues no ID token, and the nonce that ties the callback to this sign-in lives there.
  if (!list.includes('openid')) throw configError('managedLogin.scopes must include openid')
  return Object.freeze([...new Set(list as string[])])
}

/** The managedLogin section checked against the edge it belongs to, or null when it is absent. */
export function resolveManagedLogin(
  settings: CognitoEdgeSettings<unknown>,
  edge: { cookies: ResolvedCookieOptions | null; cognito: CognitoClient; fetch: typeof fetch },
): ResolvedManagedLogin | null {
  const section = settings.managedLogin
  if (section == null) return null
  // The token endpoint is Cognito too: the cognito section's timeout applies to it.
  const timeoutMs = (settings.cognito && 'timeoutMs' in settings.cognito ? settings.cognito.timeoutMs : undefined) ?? 5000
  const managed = checkKeys(section, KEYS, 'managedLogin') as unknown as ManagedLoginSettings
  const { cookies, cognito } = edge
  if (cookies === null)
    throw configError(
      'managedLogin needs cookie mode (cookies, COGNITO_COOKIE_MODE): the callback hands the session over as cookies',
    )
  const clientId = cognito.clientId
  if (clientId === null) throw configError('managedLogin needs pool.clientId (APP_CLIENT_ID): the app client of the hosted UI')
  const domain = url(managed.domain, 'managedLogin.domain')
  if (domain.pathname !== '/' || domain.search !== '')
    throw configError('managedLogin.domain must be the domain alone, e.g. https://example.auth.us-east-1.amazoncognito.com')
  // Both are kept as written, not normalized: Cognito compares them byte for byte with the app client's URLs.
  url(managed.redirectUri, 'managedLogin.redirectUri')
  const redirectUri = managed.redirectUri
  if (managed.logoutUri !== undefined) url(managed.logoutUri, 'managedLogin.logoutUri')
  const logoutUri = managed.logoutUri ?? `${new URL(redirectUri).origin}/`
  const identityProvider = managed.identityProvider ?? null
  if (identityProvider !== null && !isIdentityProviderName(identityProvider))
    throw configError('managedLogin.identityProvider must be a provider name such as Google or COGNITO')
  const secret = managed.cookieSecret
  if (typeof secret !== 'string' || new TextEncoder().encode(secret).length < MIN_SECRET_BYTES)
    throw configError(`managedLogin.cookieSecret is required: a secret of at least ${MIN_SECRET_BYTES} bytes`)
  const maxAge = duration(managed.transactionMaxAge, MAX_TRANSACTION_SECONDS, 'managedLogin.transactionMaxAge')
  if (maxAge <= 0 || maxAge > MAX_TRANSACTION_SECONDS)
    throw configError(`managedLogin.transactionMaxAge must be more than 0 and at most ${MAX_TRANSACTION_SECONDS} seconds`)
  const unsafeEmulator = booleanOption(managed.unsafeEmulator, false, 'managedLogin.unsafeEmulator')
  if (unsafeEmulator && !LOOPBACK_HOSTS.has(domain.hostname))
    throw configError(
      'managedLogin.unsafeEmulator is only for an emulator on this machine: the domain must be 127.0.0.1 or localhost',
    )
  // Without Secure (and so without the __Host- prefix), a sibling subdomain or any plain-http answer of
  // the host can plant its own transaction cookie and finish its own sign-in in a victim's browser.
  if (!cookies.secure && !LOOPBACK_HOSTS.has(new URL(redirectUri).hostname))
    throw configError(
      'managedLogin needs Secure cookies (SECURE_COOKIE) unless the app runs on this machine (127.0.0.1, localhost): ' +
        'an insecure sign-in cookie can be planted by another site',
    )
  return Object.freeze({
    domain: domain.origin,
    clientId,
    clientSecret: cognito.clientSecretFor(clientId),
    redirectUri,
    logoutUri,
    scopes: scopesOf(managed.scopes),
    identityProvider,
    cookieSecret: secret,
    transactionMaxAgeSeconds: maxAge,
    unsafeEmulator,
    // Host-only and Lax whatever the session cookies say: Cognito's redirect back is a cross-site top-level GET.
    cookieName: cookies.secure ? '__Host-cognito-oauth2' : 'cognito-oauth2',
    cookie: Object.freeze({ ...cookies, sameSite: 'Lax' as const, domain: null }),
    fetch: edge.fetch,
    timeoutMs,
    consumedStates: new LruCache<string, number>(REMEMBERED_STATES),
  })
}
