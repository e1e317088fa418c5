// Valid tokens over the space the rules allow: either kind, either issuer, random times within the
// bounds, random groups, scope and username, random extra claims and header members, nesting up to
// the depth bound, members in either order. The verifier must accept every one.
import { fc } from '@fast-check/vitest'
import { MAX_JSON_DEPTH } from '../../src/token/json'
import { ISSUER, NEW_ISSUER, NOW_SECONDS, b64url } from '../helpers/tokens'
import { REFUSED_HEADER_MEMBERS } from './token-model'
import { HEADER, USE, type Use, YEAR, claimsFor, encodeSegment, json, nested, seconds } from './token-rules'

/** Claims whose type or value a rule constrains: the extra claims leave them to the rules. */
const RULED_CLAIMS = new Set([
  'sub',
  'iss',
  'exp',
  'iat',
  'nbf',
  'auth_time',
  'token_use',
  'aud',
  'client_id',
  'cognito:groups',
  'scope',
  'username',
  'cognito:username',
])
const claimName = fc.string().filter((name) => !RULED_CLAIMS.has(name))
const headerName = fc.string().filter((name) => name !== 'alg' && name !== 'kid' && !REFUSED_HEADER_MEMBERS.includes(name))
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined })

export interface ValidToken {
  readonly use: Use
  readonly iss: string
  /** The header and payload segments to sign, as JSON text. */
  readonly header: string
  readonly payload: string
}

/** Valid tokens: exp in the future, iat, nbf and auth_time in the past, every other rule kept. */
export const validToken: fc.Arbitrary<ValidToken> = fc
  .record({
    use: USE,
    iss: fc.constantFrom(ISSUER, NEW_ISSUER),
    sub: fc.string({ minLength: 1, unit: 'binary' }),
    exp: seconds(NOW_SECONDS, NOW_SECONDS + 10 * YEAR, true),
    iatAge: seconds(0, 10 * YEAR),
    nbfAge: optional(seconds(0, 10 * YEAR)),
    authTimeAge: optional(seconds(0, 10 * YEAR)),
    groups: optional(fc.array(fc.string({ unit: 'binary' }), { maxLength: 5 })),
    scope: optional(fc.string()),
    username: optional(fc.string({ unit: 'binary' })),
    extra: fc.dictionary(claimName, json, { maxKeys: 6 }),
    deep: optional(fc.array(fc.boolean(), { minLength: 1, maxLength: MAX_JSON_DEPTH - 1 })),
    headerExtra: fc.dictionary(headerName, json, { maxKeys: 3 }),
    reverse: fc.boolean(),
  })
  .map((valid) => {
    const claims: Record<string, unknown> = {
      ...valid.extra,
      ...(valid.deep ? { deep: JSON.parse(nested(valid.deep)) as unknown } : {}),
      ...claimsFor(valid.use, {
        iss: valid.iss,
        sub: valid.sub,
        exp: valid.exp,
        iat: NOW_SECONDS - valid.iatAge,
        auth_time: valid.authTimeAge === undefined ? undefined : NOW_SECONDS - valid.authTimeAge,
        'cognito:groups': valid.groups,
        ...(valid.nbfAge === undefined ? {} : { nbf: NOW_SECONDS - valid.nbfAge }),
        ...(valid.scope === undefined ? {} : { scope: valid.scope }),
        ...(valid.username === undefined ? {} : { [valid.use === 'id' ? 'cognito:username' : 'username']: valid.username }),
      }),
    }
    const ordered = valid.reverse ? Object.fromEntries(Object.entries(claims).reverse()) : claims
    return {
      use: valid.use,
      iss: valid.iss,
      header: JSON.stringify({ ...valid.headerExtra, ...HEADER }),
      payload: JSON.stringify(ordered),
    }
  })

/** The padding that makes the RS256 token of `claimsWith(padding)` as close to `length` characters as base64url allows. */
export function paddingForLength(
  header: Record<string, unknown>,
  claimsWith: (padding: number) => Record<string, unknown>,
  length: number,
): number {
  const signature = b64url(new Uint8Array(256)).length // a 2048-bit RSA signature
  const tokenLength = (padding: number) =>
    encodeSegment(header).length + encodeSegment(claimsWith(padding)).length + signature + 2
  let padding = Math.max(0, Math.round(((length - tokenLength(0)) * 3) / 4))
  while (padding > 0 && tokenLength(padding) > length) padding--
  while (tokenLength(padding + 1) <= length) padding++
  return padding
}
