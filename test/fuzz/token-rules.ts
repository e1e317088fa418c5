// One rule broken, re-signed with the trusted key: for each rule of DESIGN.md's verification list,
// a generator of tokens that break that rule and keep every other, and the code the rule names.
import { fc } from '@fast-check/vitest'
import type { CognitoErrorCode } from '../../src/index'
import { MAX_JSON_DEPTH } from '../../src/token/json'
import { rsaKey } from '../helpers/keys'
import { CLIENT_ID, ISSUER, NEW_ISSUER, NOW_SECONDS, accessClaims, b64url, idClaims, signSegments } from '../helpers/tokens'
import { toggleCase } from './token-damage'
import { REFUSED_HEADER_MEMBERS } from './token-model'

export const YEAR = 365 * 24 * 3600
const DAY = 24 * 3600
/** The pool's one signing key, and a forger's key under the same kid. */
export const poolKey = await rsaKey('main-key')
const forger = await rsaKey(poolKey.kid)
const utf8 = new TextEncoder()

type Json = null | boolean | number | string | Json[] | { [name: string]: Json }
export type Use = 'id' | 'access'

/** What to sign: header and payload as objects (JSON.stringify'd), exact JSON text, or raw bytes. */
export interface Recipe {
  readonly use: Use
  readonly header: Record<string, unknown> | string | Uint8Array
  readonly payload: Record<string, unknown> | string | Uint8Array
  /** Sign with the forger's key (same kid) instead of the pool's. */
  readonly forged?: boolean
  /** Ask verify() for this kind of token. */
  readonly ask?: Use
}

/** The header of the pool's tokens. */
export const HEADER = { kid: poolKey.kid, alg: 'RS256' } as const
export const USE = fc.constantFrom<Use>('id', 'access')
export const claimsFor = (use: Use, overrides: Record<string, unknown> = {}) =>
  (use === 'id' ? idClaims : accessClaims)(overrides)

/** A claim value written as raw JSON text (a number JSON.stringify cannot produce, such as 1e400). */
const raw = (text: string) => `@@raw:${text}@@`
const unraw = (json: string) => json.replace(/"@@raw:([^@"]*)@@"/g, '$1')

export function encodeSegment(part: Recipe['header']): string {
  if (part instanceof Uint8Array) return b64url(part)
  return b64url(typeof part === 'string' ? part : unraw(JSON.stringify(part)))
}

export function signRecipe(recipe: Recipe): Promise<string> {
  return signSegments(encodeSegment(recipe.header), encodeSegment(recipe.payload), recipe.forged ? forger : poolKey)
}

export const json = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>
const notString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(json, { maxLength: 3 }),
  fc.dictionary(fc.string(), json, { maxKeys: 3 }),
)
const notNumber = fc.oneof(
  fc.string(),
  fc.integer({ min: NOW_SECONDS, max: NOW_SECONDS + YEAR }).map(String),
  fc.boolean(),
  fc.constant(null),
  fc.array(json, { maxLength: 3 }),
  fc.dictionary(fc.string(), json, { maxKeys: 3 }),
)
const missing = fc.constant(undefined)
/** Numbers JSON allows that parse to ±Infinity. */
const nonFinite = fc.oneof(
  fc.integer({ min: 309, max: 99_999 }).map((exponent) => raw(`1e${exponent}`)),
  fc.integer({ min: 309, max: 99_999 }).map((exponent) => raw(`-1e${exponent}`)),
  fc.constant(raw('1.7976931348623159e308')),
)
/** `text` with one character deleted, inserted, replaced or case-changed. */
const nearMiss = (text: string) =>
  fc
    .record({
      at: fc.nat(text.length - 1),
      edit: fc.constantFrom('delete', 'insert', 'replace', 'case'),
      char: fc.string({ minLength: 1, maxLength: 1 }),
    })
    .map(({ at, edit, char }) => {
      if (edit === 'delete') return text.slice(0, at) + text.slice(at + 1)
      if (edit === 'insert') return text.slice(0, at) + char + text.slice(at)
      if (edit === 'replace') return text.slice(0, at) + char + text.slice(at + 1)
      return text.slice(0, at) + toggleCase(text[at] as string) + text.slice(at + 1)
    })
export const seconds = (min: number, max: number, minExcluded = false) => fc.double({ min, max, minExcluded, noNaN: true })

/** A recipe whose claims are the valid ones of `use` with `overrides` (undefined removes a claim). */
function withClaims(overrides: (use: Use) => fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Recipe> {
  return USE.chain((use) => overrides(use).map((override) => ({ use, header: HEADER, payload: claimsFor(use, override) })))
}
const claim = (name: string, value: fc.Arbitrary<unknown>) => withClaims(() => value.map((v) => ({ [name]: v })))
const clientClaim = (use: Use) => (use === 'id' ? 'aud' : 'client_id')
function withHeader(header: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Recipe> {
  return fc.tuple(USE, header).map(([use, h]) => ({ use, header: h, payload: claimsFor(use) }))
}

/** A JSON string literal for `name` with the code unit at `at` written as a \u escape. */
function escapedLiteral(name: string, at: number): string {
  const units = name.split('')
  const index = at % Math.max(units.length, 1)
  return `"${units.map((unit, i) => (i === index ? `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}` : JSON.stringify(unit).slice(1, -1))).join('')}"`
}

/** One container per level (an array, or an object of one member), nested, as JSON text. */
export function nested(levels: readonly boolean[]): string {
  return (
    levels.map((array) => (array ? '[' : '{"n":')).join('') +
    'null' +
    [...levels]
      .reverse()
      .map((array) => (array ? ']' : '}'))
      .join('')
  )
}

const invalidUtf8 = fc.constantFrom(
  [0xff],
  [0xfe],
  [0x80],
  [0xc0, 0xaf], // overlong "/"
  [0xe0, 0x80, 0xaf], // overlong "/"
  [0xed, 0xa0, 0x80], // a UTF-16 surrogate
  [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
  [0xe2, 0x82], // cut short
)

type Rule = readonly [name: string, code: CognitoErrorCode, recipe: fc.Arbitrary<Recipe>]

/** Each rule of DESIGN.md's verification list, a generator of tokens that break it (and only it), and the code it names. */
export const rules: Rule[] = [
  // Time
  [
    'exp in the past (iat before it)',
    'ERR_COGNITO_EXPIRED',
    withClaims(() =>
      fc
        .record({
          exp: fc.oneof(
            seconds(NOW_SECONDS - 20 * YEAR, NOW_SECONDS),
            fc.constant(NOW_SECONDS),
            fc.integer({ min: -(2 ** 31), max: 0 }),
          ),
          age: seconds(0, 30 * DAY),
        })
        .map(({ exp, age }) => ({ exp, iat: exp - age })),
    ),
  ],
  ['exp not finite', 'ERR_COGNITO_CLAIM', claim('exp', nonFinite)],
  ['exp not a number, or missing', 'ERR_COGNITO_CLAIM', claim('exp', fc.oneof(notNumber, missing))],
  [
    'iat in the future (exp after it)',
    'ERR_COGNITO_NOT_YET_VALID',
    withClaims(() =>
      fc
        .record({ iat: seconds(NOW_SECONDS, NOW_SECONDS + 10 * YEAR, true), life: seconds(0, 30 * DAY) })
        .map(({ iat, life }) => ({ iat, exp: iat + life })),
    ),
  ],
  [
    'iat after exp',
    'ERR_COGNITO_CLAIM',
    withClaims(() =>
      fc
        .record({ exp: seconds(-YEAR, NOW_SECONDS + 10 * YEAR), later: seconds(0, 10 * YEAR, true) })
        .map(({ exp, later }) => ({ exp, iat: exp + later }))
        .filter(({ exp, iat }) => iat > exp),
    ),
  ],
  ['iat not a finite number, or missing', 'ERR_COGNITO_CLAIM', claim('iat', fc.oneof(notNumber, nonFinite, missing))],
  ['nbf in the future', 'ERR_COGNITO_NOT_YET_VALID', claim('nbf', seconds(NOW_SECONDS, NOW_SECONDS + 10 * YEAR, true))],
  ['nbf not a finite number', 'ERR_COGNITO_CLAIM', claim('nbf', fc.oneof(notNumber, nonFinite))],
  ['auth_time not a finite number', 'ERR_COGNITO_CLAIM', claim('auth_time', fc.oneof(notNumber, nonFinite))],
  // Whose token it is
  [
    'iss another issuer, not a string, or missing',
    'ERR_COGNITO_ISSUER',
    claim(
      'iss',
      fc
        .oneof(fc.string(), nearMiss(ISSUER), nearMiss(NEW_ISSUER), notString, missing)
        .filter((iss) => iss !== ISSUER && iss !== NEW_ISSUER),
    ),
  ],
  [
    'token_use unknown, not a string, or missing',
    'ERR_COGNITO_TOKEN_USE',
    claim(
      'token_use',
      fc
        .oneof(fc.string(), fc.constantFrom('ID', 'Access', 'refresh', ' id'), notString, missing)
        .filter((use) => use !== 'id' && use !== 'access'),
    ),
  ],
  [
    'token_use not the kind asked for',
    'ERR_COGNITO_TOKEN_USE',
    USE.map((use) => ({ use, header: HEADER, payload: claimsFor(use), ask: use === 'id' ? 'access' : 'id' })),
  ],
  [
    'aud (ID) or client_id (access) another client',
    'ERR_COGNITO_AUDIENCE',
    withClaims((use) =>
      fc
        .oneof(fc.string(), nearMiss(CLIENT_ID))
        .filter((client) => client !== CLIENT_ID)
        .map((client) => ({ [clientClaim(use)]: client })),
    ),
  ],
  [
    'aud (ID) or client_id (access) not a string, or missing',
    'ERR_COGNITO_CLAIM',
    withClaims((use) => fc.oneof(notString, missing).map((client) => ({ [clientClaim(use)]: client }))),
  ],
  ['sub empty, not a string, or missing', 'ERR_COGNITO_CLAIM', claim('sub', fc.oneof(fc.constant(''), notString, missing))],
  [
    'cognito:groups not a list of strings',
    'ERR_COGNITO_CLAIM',
    claim(
      'cognito:groups',
      fc.oneof(
        fc.string(),
        fc.integer(),
        fc.constant(null),
        fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
        fc
          .tuple(fc.array(fc.string(), { maxLength: 3 }), notString, fc.array(fc.string(), { maxLength: 3 }))
          .map(([before, bad, after]) => [...before, bad, ...after]),
      ),
    ),
  ],
  ['scope not a string', 'ERR_COGNITO_CLAIM', claim('scope', notString)],
  [
    'username or cognito:username not a string',
    'ERR_COGNITO_CLAIM',
    withClaims(() =>
      fc.tuple(fc.constantFrom('username', 'cognito:username'), notString).map(([name, value]) => ({ [name]: value })),
    ),
  ],
  // How it is written
  [
    'a duplicate member name (payload, nested, or header; maybe \\u-escaped)',
    'ERR_COGNITO_TOKEN_MALFORMED',
    fc
      .record({
        use: USE,
        where: fc.constantFrom('payload', 'nested', 'header'),
        pick: fc.nat(),
        name: fc.string(),
        value: json,
        escape: fc.option(fc.nat()),
      })
      .map(({ use, where, pick, name, value, escape }): Recipe => {
        const literal = (text: string) => (escape === null ? JSON.stringify(text) : escapedLiteral(text, escape))
        if (where === 'header') {
          const names = Object.keys(HEADER)
          return {
            use,
            header: `{${literal(names[pick % names.length] as string)}:${JSON.stringify(value)},${JSON.stringify(HEADER).slice(1)}`,
            payload: claimsFor(use),
          }
        }
        if (where === 'nested') {
          const payload = JSON.stringify(claimsFor(use))
          return {
            use,
            header: HEADER,
            payload: `{"nested":{${JSON.stringify(name)}:1,${literal(name)}:${JSON.stringify(value)}},${payload.slice(1)}`,
          }
        }
        const claims = claimsFor(use)
        const names = Object.keys(claims)
        return {
          use,
          header: HEADER,
          payload: `{${literal(names[pick % names.length] as string)}:${JSON.stringify(value)},${JSON.stringify(claims).slice(1)}`,
        }
      }),
  ],
  [
    'a byte-order mark before the payload or the header',
    'ERR_COGNITO_TOKEN_MALFORMED',
    fc.tuple(USE, fc.boolean()).map(([use, inHeader]): Recipe => {
      const bom = (text: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8.encode(text)])
      return inHeader
        ? { use, header: bom(JSON.stringify(HEADER)), payload: claimsFor(use) }
        : { use, header: HEADER, payload: bom(JSON.stringify(claimsFor(use))) }
    }),
  ],
  [
    'invalid UTF-8 inside a claim',
    'ERR_COGNITO_TOKEN_MALFORMED',
    fc.tuple(USE, invalidUtf8, fc.string()).map(([use, bytes, before]): Recipe => {
      const [head, tail] = JSON.stringify(claimsFor(use, { note: `${before}@@cut@@` })).split('@@cut@@') as [string, string]
      return { use, header: HEADER, payload: new Uint8Array([...utf8.encode(head), ...bytes, ...utf8.encode(tail)]) }
    }),
  ],
  [
    `containers nested ${MAX_JSON_DEPTH} or more deep inside a claim or a header member`,
    'ERR_COGNITO_TOKEN_MALFORMED',
    fc
      .tuple(USE, fc.array(fc.boolean(), { minLength: MAX_JSON_DEPTH, maxLength: MAX_JSON_DEPTH + 40 }), fc.boolean())
      .map(([use, levels, inHeader]): Recipe => {
        const deep = nested(levels)
        return inHeader
          ? { use, header: `{"deep":${deep},${JSON.stringify(HEADER).slice(1)}`, payload: claimsFor(use) }
          : { use, header: HEADER, payload: `{"deep":${deep},${JSON.stringify(claimsFor(use)).slice(1)}` }
      }),
  ],
  [
    'a token over 16 KiB',
    'ERR_COGNITO_TOKEN_MALFORMED',
    withClaims(() =>
      fc
        .tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.integer({ min: 12_500, max: 20_000 }))
        .map(([unit, length]) => ({ padding: unit.repeat(Math.ceil(length / unit.length)) })),
    ),
  ],
  // The header
  [
    'alg other than RS256, or missing',
    'ERR_COGNITO_ALGORITHM',
    withHeader(
      fc
        .oneof(
          fc.constantFrom(
            'none',
            'None',
            'HS256',
            'RS384',
            'RS512',
            'PS256',
            'ES256',
            'EdDSA',
            'rs256',
            'RS256 ',
            ' RS256',
            'RS256\u0000',
          ),
          fc.string(),
          notString,
          missing,
        )
        .filter((alg) => alg !== 'RS256')
        .map((alg) => ({ ...HEADER, alg })),
    ),
  ],
  [
    'a refused header member (crit, jku, x5u, jwk, x5c, b64, zip)',
    'ERR_COGNITO_HEADER_UNSUPPORTED',
    withHeader(
      fc.tuple(fc.constantFrom(...REFUSED_HEADER_MEMBERS), json).map(([member, value]) => ({ ...HEADER, [member]: value })),
    ),
  ],
  [
    'kid empty, not a string, or missing',
    'ERR_COGNITO_KID',
    withHeader(fc.oneof(fc.constant(''), notString, missing).map((kid) => ({ ...HEADER, kid }))),
  ],
  [
    'kid unknown to the pool',
    'ERR_COGNITO_KID',
    withHeader(
      fc
        .string({ minLength: 1 })
        .filter((kid) => kid !== poolKey.kid)
        .map((kid) => ({ ...HEADER, kid })),
    ),
  ],
  [
    'signed by another key under the pool kid',
    'ERR_COGNITO_SIGNATURE',
    USE.map((use) => ({ use, header: HEADER, payload: claimsFor(use), forged: true })),
  ],
]
