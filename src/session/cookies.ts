// Session cookies: their names, attributes and size limit, and the Cookie header parser.
// Framework-free: it produces and reads header values only.
import { configError } from '../config'
import { CognitoAuthError } from '../errors'
import { unverifiedClaims } from '../token/unverified-claims'

export interface CookieOptions {
  /** `Secure` attribute (`SECURE_COOKIE`). Default `true`; with it the names get the `__Host-` prefix. */
  secure?: boolean
  /** `HttpOnly` attribute (`HTTP_ONLY_COOKIE`). Default `true`. */
  httpOnly?: boolean
  /** `SameSite` attribute. Default `'Lax'`. */
  sameSite?: 'Strict' | 'Lax' | 'None'
  /** `Domain` attribute. Default none (host-only), which `__Host-` requires. */
  domain?: string | null
  /** Seconds the refresh-token cookie lives. Default `2592000` (30 days, Cognito's default refresh validity). */
  refreshMaxAge?: number
  /** Cookie names. Default `cognito-id`, `cognito-access`, `cognito-refresh`, prefixed as the attributes allow. */
  names?: {
    /** The ID token's cookie. Default `cognito-id` (`__Host-cognito-id` when Secure without Domain). */
    id?: string
    /** The access token's cookie. Default `cognito-access`, prefixed likewise. */
    access?: string
    /** The refresh token's cookie. Default `cognito-refresh`, prefixed likewise. */
    refresh?: string
  }
}

export interface ResolvedCookieOptions {
  readonly secure: boolean
  readonly httpOnly: boolean
  readonly sameSite: 'Strict' | 'Lax' | 'None'
  readonly domain: string | null
  readonly refreshMaxAge: number
  readonly names: { readonly id: string; readonly access: string; readonly refresh: string }
}

/** The tokens of a session; null where absent. */
export interface SessionTokens {
  /** The ID token. */
  id: string | null
  /** The access token. */
  access: string | null
  /** The refresh token. */
  refresh: string | null
}

/** Browsers drop a cookie whose name and value together exceed this many bytes (RFC 6265 §6.1). */
export const MAX_COOKIE_BYTES = 4096
const TOKEN_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const COOKIE_VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/

/** The `__Host-` prefix needs Secure, Path=/ and no Domain; `__Secure-` needs only Secure. */
function prefix(secure: boolean, domain: string | null): string {
  if (!secure) return ''
  return domain === null ? '__Host-' : '__Secure-'
}

export function resolveCookieOptions(options: CookieOptions): ResolvedCookieOptions {
  const secure = options.secure ?? true
  const sameSite = options.sameSite ?? 'Lax'
  const domain = options.domain ?? null
  if (!['Strict', 'Lax', 'None'].includes(sameSite)) throw configError('cookies.sameSite must be "Strict", "Lax" or "None"')
  if (sameSite === 'None' && !secure)
    throw configError('cookies.sameSite "None" needs cookies.secure (browsers refuse it otherwise)')
  const refreshMaxAge = options.refreshMaxAge ?? 2_592_000
  if (!Number.isInteger(refreshMaxAge) || refreshMaxAge <= 0)
    throw configError('cookies.refreshMaxAge must be a whole number of seconds > 0')
  const base = prefix(secure, domain)
  const names = {
    id: options.names?.id ?? `${base}cognito-id`,
    access: options.names?.access ?? `${base}cognito-access`,
    refresh: options.names?.refresh ?? `${base}cognito-refresh`,
  }
  for (const name of Object.values(names)) {
    if (!TOKEN_NAME.test(name)) throw configError(`cookie name "${name}" is not a valid cookie name`)
    if (name.startsWith('__Host-') && (!secure || domain !== null))
      throw configError(`cookie "${name}" needs Secure and no Domain`)
  }
  return Object.freeze({
    secure,
    httpOnly: options.httpOnly ?? true,
    sameSite,
    domain,
    refreshMaxAge,
    names: Object.freeze(names),
  })
}

export interface CookieAttributes {
  maxAge: number
  httpOnly: boolean
}

/** A Set-Cookie value; throws ERR_COGNITO_COOKIE_TOO_LARGE rather than let a browser drop or cut it. */
export function serializeCookie(
  name: string,
  value: string,
  options: ResolvedCookieOptions,
  attributes: CookieAttributes,
): string {
  if (!COOKIE_VALUE.test(value))
    throw new CognitoAuthError('ERR_COGNITO_CONFIG', `the value for cookie ${name} has characters a cookie cannot carry`)
  if (new TextEncoder().encode(name + value).length + 1 > MAX_COOKIE_BYTES) {
    throw new CognitoAuthError('ERR_COGNITO_COOKIE_TOO_LARGE', `cookie ${name} would exceed ${MAX_COOKIE_BYTES} bytes`)
  }
  const parts = [`${name}=${value}`, `Max-Age=${Math.max(0, Math.floor(attributes.maxAge))}`, 'Path=/']
  if (options.domain !== null) parts.push(`Domain=${options.domain}`)
  if (options.secure) parts.push('Secure')
  if (attributes.httpOnly) parts.push('HttpOnly')
  parts.push(`SameSite=${options.sameSite}`)
  return parts.join('; ')
}

/** Seconds until the JWT's `exp`, read without verification (the token was just verified or issued). */
function secondsUntilExpiry(token: string, now: number): number {
  const exp = unverifiedClaims(token)?.exp
  return typeof exp === 'number' && Number.isFinite(exp) ? exp - now / 1000 : 0
}

/**
 * Set-Cookie values for the tokens given. The access cookie lives until its token's `exp`; the ID
 * cookie lives as long as the refresh cookie (or its token, if longer): once expired it is still
 * the signature-verified proof of whose session the refresh cookie renews. Without it a request
 * carrying only a refresh cookie would have to be renewed unverified — a Cognito call anyone could
 * trigger with a random cookie.
 */
export function sessionCookies(tokens: Partial<SessionTokens>, options: ResolvedCookieOptions, now: number): string[] {
  const cookies: string[] = []
  const { names, httpOnly } = options
  if (tokens.id) {
    const maxAge = Math.max(secondsUntilExpiry(tokens.id, now), options.refreshMaxAge)
    cookies.push(serializeCookie(names.id, tokens.id, options, { maxAge, httpOnly }))
  }
  if (tokens.access) {
    cookies.push(
      serializeCookie(names.access, tokens.access, options, { maxAge: secondsUntilExpiry(tokens.access, now), httpOnly }),
    )
  }
  if (tokens.refresh)
    cookies.push(serializeCookie(names.refresh, tokens.refresh, options, { maxAge: options.refreshMaxAge, httpOnly }))
  return cookies
}

/** Set-Cookie values that remove every session cookie. */
export function clearedSessionCookies(options: ResolvedCookieOptions): string[] {
  return Object.values(options.names).map((name) => serializeCookie(name, '', options, { maxAge: 0, httpOnly: options.httpOnly }))
}

/** Parses a Cookie header; the first occurrence of a name wins (RFC 6265 §5.4 orders the more specific first). */
export function parseCookieHeader(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>()
  if (!header) return cookies
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=')
    if (eq < 0) continue
    const name = pair.slice(0, eq).trim()
    let value = pair.slice(eq + 1).trim()
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1)
    if (name && !cookies.has(name)) cookies.set(name, value)
  }
  return cookies
}
