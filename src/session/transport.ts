// Reading tokens off a request — the only place that knows where tokens travel: the seed's
// headers (IDTOKEN, ACCESSTOKEN, REFRESHTOKEN; header names are case-insensitive), an
// `Authorization: Bearer` access token (RFC 6750 §2.1), or session cookies in cookie mode.
import { CognitoAuthError } from '../errors'
import { MAX_TOKEN_LENGTH } from '../token/parse'
import { type ResolvedCookieOptions, type SessionTokens, parseCookieHeader } from './cookies'

export const ID_TOKEN_HEADER = 'IDTOKEN'
export const ACCESS_TOKEN_HEADER = 'ACCESSTOKEN'
export const REFRESH_TOKEN_HEADER = 'REFRESHTOKEN'

export interface RequestTokens extends SessionTokens {
  /** Where the tokens came from; cookies are an ambient credential and call for CSRF checks. */
  source: 'header' | 'cookie' | null
  /** The request's cookies, parsed once (empty outside cookie mode). */
  cookies: ReadonlyMap<string, string>
}

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i

function badRequest(message: string): CognitoAuthError {
  return new CognitoAuthError('ERR_COGNITO_BAD_REQUEST', message)
}

/** Header values arrive trimmed (Fetch normalizes them), and so do parsed cookies. */
function bounded(value: string | null | undefined, name: string): string | null {
  if (value === null || value === undefined || value === '') return null
  if (value.length > MAX_TOKEN_LENGTH) {
    throw new CognitoAuthError('ERR_COGNITO_TOKEN_MALFORMED', `the ${name} is longer than ${MAX_TOKEN_LENGTH} characters`)
  }
  return value
}

function bearerToken(authorization: string | null): string | null {
  if (authorization === null || !/^bearer(\s|$)/i.test(authorization)) return null // another scheme is not ours to judge
  const match = BEARER.exec(authorization)
  if (!match) throw badRequest('the Authorization header must be "Bearer <one access token>"')
  return match[1] as string
}

const NO_COOKIES: ReadonlyMap<string, string> = new Map()

/** The tokens a request carries. Headers win over cookies; cookies are read only in cookie mode. */
export function readTokens(headers: Headers, cookieOptions: ResolvedCookieOptions | null): RequestTokens {
  const bearer = bounded(bearerToken(headers.get('authorization')), 'bearer token')
  const headerAccess = bounded(headers.get(ACCESS_TOKEN_HEADER), `${ACCESS_TOKEN_HEADER} header`)
  if (bearer !== null && headerAccess !== null && bearer !== headerAccess) {
    throw badRequest(`the Authorization header and the ${ACCESS_TOKEN_HEADER} header carry different tokens`)
  }
  const id = bounded(headers.get(ID_TOKEN_HEADER), `${ID_TOKEN_HEADER} header`)
  const access = bearer ?? headerAccess
  const refresh = bounded(headers.get(REFRESH_TOKEN_HEADER), `${REFRESH_TOKEN_HEADER} header`)
  const cookies = cookieOptions ? parseCookieHeader(headers.get('cookie')) : NO_COOKIES
  if (id !== null || access !== null || refresh !== null) return { id, access, refresh, source: 'header', cookies }
  if (cookieOptions === null) return { id, access, refresh, source: null, cookies }
  const { names } = cookieOptions
  const fromCookies: SessionTokens = {
    id: bounded(cookies.get(names.id), `${names.id} cookie`),
    access: bounded(cookies.get(names.access), `${names.access} cookie`),
    refresh: bounded(cookies.get(names.refresh), `${names.refresh} cookie`),
  }
  const any = fromCookies.id !== null || fromCookies.access !== null || fromCookies.refresh !== null
  return { ...fromCookies, source: any ? 'cookie' : null, cookies }
}
