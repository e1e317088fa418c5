// Generators of what a client can send to the /auth endpoints and the middleware: bodies, token
// headers, cookies, methods and paths. Header values keep to what the Headers API accepts without
// complaint (tab and printable ASCII; it throws on others, and workerd warns on non-ASCII bytes),
// which is not a limit of ours. Every secret a request carries is listed, for the reflection check.
import { fc } from '@fast-check/vitest'
import { signingKey } from '../helpers/auth'
import { rsaKey } from '../helpers/keys'
import { NOW_SECONDS, OTHER_CLIENT_ID, accessClaims, idClaims, mint } from '../helpers/tokens'

export interface Sent {
  readonly method: string
  readonly path: string
  readonly headers: readonly (readonly [string, string])[]
  readonly body: string | Uint8Array | null
  /** Tokens, refresh tokens, CSRF tokens and passwords the request carries: none may come back. */
  readonly secrets: readonly string[]
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const HEADER_CHARACTERS = ['\t', ...Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i))]
export const headerText = fc.string({ unit: fc.constantFrom(...HEADER_CHARACTERS), maxLength: 60 })
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined })
/** Present in about a third of the requests, so that a request carries a few of them, not all. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary })

const expired = { iat: NOW_SECONDS - 3700, auth_time: NOW_SECONDS - 3700, exp: NOW_SECONDS - 100 }
const forger = await rsaKey(signingKey.kid)
/** Tokens a client may send: valid, expired (renewable), of another user or client, forged. */
const SENT_TOKENS = [
  await mint(signingKey, idClaims()),
  await mint(signingKey, accessClaims()),
  await mint(signingKey, idClaims(expired)),
  await mint(signingKey, accessClaims(expired)),
  await mint(signingKey, accessClaims({ sub: 'someone-else' })),
  await mint(signingKey, idClaims({ aud: OTHER_CLIENT_ID })),
  await mint(forger, idClaims({ jti: 'forged' })),
]

const tooLong = fc.integer({ min: 16_385, max: 16_400 }).map((length) => 'a'.repeat(length))
const token = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SENT_TOKENS) },
  fc
    .tuple(fc.constantFrom(...SENT_TOKENS), fc.nat(), fc.constantFrom(...BASE64URL, '.'))
    .map(([text, at, char]) => text.slice(0, at % text.length) + char + text.slice((at % text.length) + 1)),
  headerText,
  tooLong,
)
const refreshToken = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 20, maxLength: 40 }).map((text) => `sent-${text}`),
  },
  headerText,
  tooLong,
)
export const csrfToken = fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 16, maxLength: 43 })

const COOKIE_NAMES = ['cognito-id', 'cognito-access', 'cognito-refresh'].flatMap((name) => [`__Host-${name}`, name])
const cookieName = fc.oneof(
  fc.constantFrom(...COOKIE_NAMES, 'csrftoken'),
  fc.string({ unit: fc.constantFrom(...BASE64URL), maxLength: 12 }),
)

interface Plan {
  readonly id: string | undefined
  readonly access: string | undefined
  readonly refresh: string | undefined
  readonly authorization: string | undefined
  readonly cookies: readonly (readonly [name: string, value: string, quoted: boolean])[] | undefined
  /** The same value as the csrftoken cookie and the CsrfToken header, so the CSRF check can pass. */
  readonly csrfPair: string | undefined
  readonly csrfHeader: string | undefined
  readonly upperCaseNames: boolean
}

/** Token headers, Authorization, CsrfToken and Cookie in any combination. */
const anyCredentials: fc.Arbitrary<Plan> = fc.record({
  id: sometimes(token),
  access: sometimes(token),
  refresh: sometimes(refreshToken),
  authorization: sometimes(
    fc.oneof(
      token.map((value) => `Bearer ${value}`),
      token.map((value) => `bearer   ${value}`),
      headerText.map((value) => `Basic ${value}`),
      headerText,
    ),
  ),
  cookies: sometimes(
    fc.oneof(
      fc.array(fc.tuple(cookieName, fc.oneof(token, refreshToken, csrfToken), fc.boolean()), { maxLength: 6 }),
      headerText.map((raw) => [['', raw, false] as const]),
    ),
  ),
  csrfPair: sometimes(csrfToken),
  csrfHeader: sometimes(fc.oneof(csrfToken, headerText)),
  upperCaseNames: fc.boolean(),
})

/** One user's ID and access tokens (each valid or expired) and a refresh token, in headers or in cookies (both name styles). */
const sessionCredentials: fc.Arbitrary<Plan> = fc
  .record({
    id: optional(fc.constantFrom(SENT_TOKENS[0] as string, SENT_TOKENS[2] as string)),
    access: optional(fc.constantFrom(SENT_TOKENS[1] as string, SENT_TOKENS[3] as string)),
    refresh: optional(refreshToken),
    inCookies: fc.boolean(),
    csrfPair: optional(csrfToken),
    upperCaseNames: fc.boolean(),
  })
  .map(({ id, access, refresh, inCookies, csrfPair, upperCaseNames }) => {
    const cookie = (name: string, value: string | undefined) =>
      value === undefined ? [] : [[`__Host-${name}`, value, false] as const, [name, value, false] as const]
    return {
      id: inCookies ? undefined : id,
      access: inCookies ? undefined : access,
      refresh: inCookies ? undefined : refresh,
      authorization: undefined,
      cookies: inCookies
        ? [...cookie('cognito-id', id), ...cookie('cognito-access', access), ...cookie('cognito-refresh', refresh)]
        : undefined,
      csrfPair,
      csrfHeader: undefined,
      upperCaseNames,
    }
  })

/** What a request carries to authenticate, as headers, with the secrets among them. */
export const credentials = fc.oneof(anyCredentials, sessionCredentials).map((sent) => {
  const headers: [string, string][] = []
  const secrets: string[] = []
  const name = (text: string) => (sent.upperCaseNames ? text.toUpperCase() : text.toLowerCase())
  const add = (header: string, value: string | undefined, secret = value) => {
    if (value === undefined) return
    headers.push([name(header), value])
    if (secret !== undefined) secrets.push(secret.trim())
  }
  add('IdToken', sent.id)
  add('AccessToken', sent.access)
  add('RefreshToken', sent.refresh)
  add('Authorization', sent.authorization, sent.authorization?.replace(/^\w+\s+/, ''))
  const cookies = (sent.cookies ?? []).map(([cookie, value, quoted]) => {
    secrets.push(value)
    return cookie === '' ? value : `${cookie}=${quoted ? `"${value}"` : value}`
  })
  if (sent.csrfPair !== undefined) {
    cookies.push(`csrftoken=${sent.csrfPair}`)
    add('CsrfToken', sent.csrfPair)
  } else add('CsrfToken', sent.csrfHeader)
  if (cookies.length > 0) headers.push(['cookie', cookies.join('; ')])
  return { headers, secrets }
})

/** The fields the endpoints read, each absent or of any JSON type (strings most often). */
const fieldValue = fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: 1 }) }, fc.jsonValue({ maxDepth: 2 }))
const FIELDS = ['username', 'password', 'code', 'new_password', 'challenge_name', 'session', 'refresh_token', 'access_token']
const SECRET_FIELDS = new Set(['password', 'new_password', 'refresh_token', 'access_token'])
const fields = fc.record(
  {
    ...Object.fromEntries(FIELDS.map((field) => [field, fieldValue])),
    responses: fc.dictionary(fc.string(), fieldValue, { maxKeys: 3 }),
    user_attributes: fc.oneof(fc.dictionary(fc.string(), fieldValue, { maxKeys: 3 }), fc.jsonValue({ maxDepth: 2 })),
    validation_data: fc.array(fc.record({ Name: fieldValue, Value: fieldValue }, { requiredKeys: [] }), { maxLength: 2 }),
  },
  { requiredKeys: [] },
)

type Body = { readonly body: string | Uint8Array; readonly secrets: readonly string[] }

/** Every field an endpoint reads, as a non-empty string: a body that gets past validation to Cognito. */
export const completeBody: fc.Arbitrary<Body> = fc
  .record(Object.fromEntries(FIELDS.map((field) => [field, fc.string({ minLength: 1 })])) as Record<string, fc.Arbitrary<string>>)
  .map((value) => ({ body: JSON.stringify(value), secrets: secretFields(value) }))

/** A request body with the secrets it carries: JSON of any shape, bytes, huge, deeply nested, or fields the endpoints read. */
export const body: fc.Arbitrary<Body> = fc.oneof(
  { weight: 3, arbitrary: completeBody },
  { weight: 3, arbitrary: fields.map((value) => ({ body: JSON.stringify(value), secrets: secretFields(value) })) },
  fc.json().map((text) => ({ body: text, secrets: [] })),
  fc.anything().map((value) => ({ body: JSON.stringify(value) ?? '', secrets: [] })),
  fc.string({ unit: 'binary' }).map((text) => ({ body: text, secrets: [] })),
  fc.uint8Array({ maxLength: 2000 }).map((bytes) => ({ body: bytes, secrets: [] })),
  fc.tuple(fc.integer({ min: 60_000, max: 70_000 }), fc.constantFrom('x', 'é', '\u{1F600}')).map(([length, char]) => ({
    body: JSON.stringify({ username: 'alice', password: char.repeat(length / char.length) }),
    secrets: [],
  })),
  fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[', '{"username":')).map(([depth, open]) => ({
    body: open.repeat(depth) + '1' + (open === '[' ? ']' : '}').repeat(depth),
    secrets: [],
  })),
)

function secretFields(value: Record<string, unknown>): string[] {
  return Object.entries(value).flatMap(([field, item]) => (SECRET_FIELDS.has(field) && typeof item === 'string' ? [item] : []))
}

export const contentType = optional(
  fc.oneof(
    fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=utf-16',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ),
    headerText,
  ),
)

/** The endpoints and how they are meant to be called; `/api/me` sits behind the middleware. */
export const ROUTES = [
  ['POST', '/auth/login'],
  ['POST', '/auth/confirm_login'],
  ['POST', '/auth/signup'],
  ['POST', '/auth/confirm_signup'],
  ['POST', '/auth/resend_confirmation_code'],
  ['POST', '/auth/forgot_password'],
  ['POST', '/auth/confirm_forgot_password'],
  ['POST', '/auth/refresh'],
  ['POST', '/auth/logout'],
  ['GET', '/auth/generate_csrf'],
  ['GET', '/api/me'],
  ['POST', '/api/me'],
] as const

/** Methods workerd's Request accepts (it refuses CONNECT, TRACK and unknown ones, which is not ours to test). */
export const method = fc.constantFrom(
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'OPTIONS',
  'PATCH',
  'get',
  'post',
  'Post',
  'delete',
  'patch',
)

const PATH_CHARACTERS = [...BASE64URL, '.', '~', '!', '$', '&', "'", '(', ')', '*', '+', ',', ';', '=', ':', '@', '%']
/** Paths under /auth: the endpoints, the endpoints spelled other ways, and random segments. */
export const authPath = fc.oneof(
  fc.constantFrom(...ROUTES.map(([, path]) => path).filter((path) => path.startsWith('/auth/'))),
  fc.constantFrom(
    '/auth',
    '/auth/',
    '/auth/login/',
    '/auth/LOGIN',
    '/auth//login',
    '/auth/./login',
    '/auth/x/../login',
    '/auth/%6Cogin',
    '/auth/login%2F',
    '/auth/login?next=/',
    '/auth/login#top',
    '/auth/refresh;a=b',
    '/auth/generate_csrf',
    '/auth/oauth2/login',
    '/auth/oauth2/callback?code=x&state=y',
  ),
  fc
    .array(fc.string({ unit: fc.constantFrom(...PATH_CHARACTERS), maxLength: 16 }), { maxLength: 4 })
    .map((segments) => `/auth/${segments.join('/')}`),
)
