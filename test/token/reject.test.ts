// One test per rejection reason: each token below is refused with exactly the stated code.
import { describe, expect, it } from 'vitest'
import { type CognitoErrorCode, type TokenUse, createCognitoVerifier } from '../../src/index'
import { encodeBase64Url } from '../../src/token/base64url'
import { jwksOf, rsaKey } from '../helpers/keys'
import { fakeOrigin } from '../helpers/origin'
import {
  CLIENT_ID,
  ISSUER,
  NEW_ISSUER,
  NOW,
  NOW_SECONDS,
  OTHER_CLIENT_ID,
  OTHER_ISSUER,
  POOL_ID,
  accessClaims,
  b64url,
  idClaims,
  mint,
  signJsonText,
  signSegments,
} from '../helpers/tokens'

const main = await rsaKey('main-key')
const stranger = await rsaKey('main-key') // same kid, different key: a forger's
const otherPoolKey = await rsaKey('other-pool-key')
const weak = await rsaKey('weak-key', 1024)
const ecPair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
  'sign',
  'verify',
])) as CryptoKeyPair

const header = (extra: Record<string, unknown> = {}) => ({ kid: main.kid, alg: 'RS256', ...extra })
const json = (value: unknown) => JSON.stringify(value)
const idPayload = (overrides: Record<string, unknown> = {}) => json(idClaims(overrides))
const utf8 = new TextEncoder()

function verifier(tokenUse: TokenUse | null = null) {
  const origin = fakeOrigin(jwksOf(main, weak), `${ISSUER}/.well-known/jwks.json`)
  origin.serve(jwksOf(main), `${NEW_ISSUER}/.well-known/jwks.json`)
  return createCognitoVerifier({ userPoolId: POOL_ID, clientId: CLIENT_ID, tokenUse, fetch: origin.fetch, now: () => NOW })
}

async function hmacToken(secret: Uint8Array, alg = 'HS256'): Promise<string> {
  const hash = { HS256: 'SHA-256', HS384: 'SHA-384', HS512: 'SHA-512' }[alg] as string
  const key = await crypto.subtle.importKey('raw', secret as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash }, false, ['sign'])
  const input = `${b64url(json(header({ alg })))}.${b64url(idPayload())}`
  const mac = await crypto.subtle.sign('HMAC', key, utf8.encode(input))
  return `${input}.${b64url(new Uint8Array(mac))}`
}

async function publicKeyEncodings(): Promise<Record<string, Uint8Array>> {
  const publicKey = await crypto.subtle.importKey('jwk', main.jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, [
    'verify',
  ])
  const der = new Uint8Array((await crypto.subtle.exportKey('spki', publicKey)) as ArrayBuffer)
  const base64 = btoa(String.fromCharCode(...der))
  const pem = `-----BEGIN PUBLIC KEY-----\n${base64.match(/.{1,64}/g)?.join('\n')}\n-----END PUBLIC KEY-----\n`
  return { pem: utf8.encode(pem), der, jwkJson: utf8.encode(json(main.jwk)), modulus: utf8.encode(main.jwk.n as string) }
}

async function pssToken(alg: 'PS256' | 'PS512'): Promise<string> {
  const { alg: _rs256, ...jwk } = (await crypto.subtle.exportKey('jwk', main.privateKey)) as JsonWebKey
  const hash = alg === 'PS256' ? 'SHA-256' : 'SHA-512'
  const key = await crypto.subtle.importKey('jwk', jwk, { name: 'RSA-PSS', hash }, false, ['sign'])
  const input = `${b64url(json(header({ alg })))}.${b64url(idPayload())}`
  const signature = await crypto.subtle.sign({ name: 'RSA-PSS', saltLength: 32 }, key, utf8.encode(input))
  return `${input}.${b64url(new Uint8Array(signature))}`
}

async function rsaHashToken(alg: 'RS384' | 'RS512'): Promise<string> {
  const { alg: _rs256, ...jwk } = (await crypto.subtle.exportKey('jwk', main.privateKey)) as JsonWebKey
  const hash = alg === 'RS384' ? 'SHA-384' : 'SHA-512'
  const key = await crypto.subtle.importKey('jwk', jwk, { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['sign'])
  const input = `${b64url(json(header({ alg })))}.${b64url(idPayload())}`
  return `${input}.${b64url(new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, utf8.encode(input))))}`
}

async function esToken(): Promise<string> {
  const input = `${b64url(json(header({ alg: 'ES256' })))}.${b64url(idPayload())}`
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, ecPair.privateKey, utf8.encode(input))
  return `${input}.${b64url(new Uint8Array(signature))}`
}

/** Replaces the last base64url character of a segment with one whose unused low bits are set. */
function strayBits(segment: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  const last = alphabet.indexOf(segment.at(-1) as string)
  const unused = segment.length % 4 === 2 ? 0x0f : 0x03
  return segment.slice(0, -1) + alphabet[last | unused]
}

async function withSegments(edit: (segments: string[]) => string[]): Promise<string> {
  return edit((await mint(main, idClaims())).split('.')).join('.')
}

/** Signs the header and a payload given as raw bytes (for invalid UTF-8 and BOM cases). */
function signBytes(payload: Uint8Array): Promise<string> {
  return signSegments(b64url(json(header())), encodeBase64Url(payload), main)
}

type Case = readonly [name: string, code: CognitoErrorCode, make: () => Promise<string>, tokenUse?: TokenUse]

const algorithmTricks: Case[] = [
  [
    'alg none with a junk signature',
    'ERR_COGNITO_ALGORITHM',
    () => signJsonText(json(header({ alg: 'none' })), idPayload(), main),
  ],
  ['alg None', 'ERR_COGNITO_ALGORITHM', () => signJsonText(json(header({ alg: 'None' })), idPayload(), main)],
  ['alg NONE', 'ERR_COGNITO_ALGORITHM', () => signJsonText(json(header({ alg: 'NONE' })), idPayload(), main)],
  ['alg nOnE', 'ERR_COGNITO_ALGORITHM', () => signJsonText(json(header({ alg: 'nOnE' })), idPayload(), main)],
  [
    'alg none with no signature at all',
    'ERR_COGNITO_TOKEN_MALFORMED',
    async () => `${b64url(json(header({ alg: 'none' })))}.${b64url(idPayload())}.`,
  ],
  [
    'HS256 keyed with the PEM public key',
    'ERR_COGNITO_ALGORITHM',
    async () => hmacToken((await publicKeyEncodings()).pem as Uint8Array),
  ],
  [
    'HS256 keyed with the DER public key',
    'ERR_COGNITO_ALGORITHM',
    async () => hmacToken((await publicKeyEncodings()).der as Uint8Array),
  ],
  [
    'HS256 keyed with the JWK JSON',
    'ERR_COGNITO_ALGORITHM',
    async () => hmacToken((await publicKeyEncodings()).jwkJson as Uint8Array),
  ],
  [
    'HS256 keyed with the modulus',
    'ERR_COGNITO_ALGORITHM',
    async () => hmacToken((await publicKeyEncodings()).modulus as Uint8Array),
  ],
  [
    'HS512 keyed with the PEM public key',
    'ERR_COGNITO_ALGORITHM',
    async () => hmacToken((await publicKeyEncodings()).pem as Uint8Array, 'HS512'),
  ],
  ['RS384', 'ERR_COGNITO_ALGORITHM', () => rsaHashToken('RS384')],
  ['RS512', 'ERR_COGNITO_ALGORITHM', () => rsaHashToken('RS512')],
  ['PS256', 'ERR_COGNITO_ALGORITHM', () => pssToken('PS256')],
  ['PS512', 'ERR_COGNITO_ALGORITHM', () => pssToken('PS512')],
  ['ES256', 'ERR_COGNITO_ALGORITHM', esToken],
  [
    'RS256 signature relabelled EdDSA',
    'ERR_COGNITO_ALGORITHM',
    () => signJsonText(json(header({ alg: 'EdDSA' })), idPayload(), main),
  ],
  ['alg missing', 'ERR_COGNITO_ALGORITHM', () => signJsonText(json({ kid: main.kid }), idPayload(), main)],
  ['alg a number', 'ERR_COGNITO_ALGORITHM', () => signJsonText(json(header({ alg: 256 })), idPayload(), main)],
  ['alg null', 'ERR_COGNITO_ALGORITHM', () => signJsonText(json(header({ alg: null })), idPayload(), main)],
  ['alg a list', 'ERR_COGNITO_ALGORITHM', () => signJsonText(json(header({ alg: ['RS256'] })), idPayload(), main)],
  ['alg rs256 in lower case', 'ERR_COGNITO_ALGORITHM', () => signJsonText(json(header({ alg: 'rs256' })), idPayload(), main)],
  ['alg with a trailing space', 'ERR_COGNITO_ALGORITHM', () => signJsonText(json(header({ alg: 'RS256 ' })), idPayload(), main)],
]

const signatureDamage: Case[] = [
  [
    'one flipped signature bit',
    'ERR_COGNITO_SIGNATURE',
    () => withSegments(([h, p, s]) => [h!, p!, (s![0] === 'A' ? 'B' : 'A') + s!.slice(1)]),
  ],
  ['truncated signature', 'ERR_COGNITO_SIGNATURE', () => withSegments(([h, p, s]) => [h!, p!, s!.slice(0, 340)])],
  ['signature by another key under the same kid', 'ERR_COGNITO_SIGNATURE', () => mint(stranger, idClaims())],
  [
    'payload swapped after signing',
    'ERR_COGNITO_SIGNATURE',
    async () => {
      const [h, , s] = (await mint(main, idClaims())).split('.')
      return `${h}.${b64url(idPayload({ 'cognito:groups': ['admins', 'root'] }))}.${s}`
    },
  ],
  [
    'header changed after signing',
    'ERR_COGNITO_SIGNATURE',
    async () => {
      const [, p, s] = (await mint(main, idClaims())).split('.')
      return `${b64url(json(header({ typ: 'JWT' })))}.${p}.${s}`
    },
  ],
  ['signature with bytes appended', 'ERR_COGNITO_SIGNATURE', () => withSegments(([h, p, s]) => [h!, p!, `${s}AAAA`])],
  ['signature of all zero bytes', 'ERR_COGNITO_SIGNATURE', () => withSegments(([h, p]) => [h!, p!, b64url(new Uint8Array(256))])],
]

const kidTricks: Case[] = [
  ['kid missing', 'ERR_COGNITO_KID', () => signJsonText(json({ alg: 'RS256' }), idPayload(), main)],
  ['kid a number', 'ERR_COGNITO_KID', () => signJsonText(json(header({ kid: 1 })), idPayload(), main)],
  ['kid empty', 'ERR_COGNITO_KID', () => signJsonText(json(header({ kid: '' })), idPayload(), main)],
  ['kid null', 'ERR_COGNITO_KID', () => signJsonText(json(header({ kid: null })), idPayload(), main)],
  ['kid a list', 'ERR_COGNITO_KID', () => signJsonText(json(header({ kid: [main.kid] })), idPayload(), main)],
  ['kid unknown to the pool', 'ERR_COGNITO_KID', () => mint(otherPoolKey, idClaims())],
  ['kid of a key under 2048 bits', 'ERR_COGNITO_KID', () => mint(weak, idClaims())],
  [
    'jku header pointing elsewhere',
    'ERR_COGNITO_HEADER_UNSUPPORTED',
    () => mint(main, idClaims(), { jku: 'https://evil.example/jwks.json' }),
  ],
  ['x5u header', 'ERR_COGNITO_HEADER_UNSUPPORTED', () => mint(main, idClaims(), { x5u: 'https://evil.example/cert.pem' })],
  ['embedded jwk header', 'ERR_COGNITO_HEADER_UNSUPPORTED', () => mint(main, idClaims(), { jwk: main.jwk })],
  ['x5c header', 'ERR_COGNITO_HEADER_UNSUPPORTED', () => mint(main, idClaims(), { x5c: ['MIIB'] })],
  ['crit naming exp', 'ERR_COGNITO_HEADER_UNSUPPORTED', () => mint(main, idClaims(), { crit: ['exp'], exp: 1 })],
  ['crit empty list (malformed)', 'ERR_COGNITO_HEADER_UNSUPPORTED', () => mint(main, idClaims(), { crit: [] })],
  ['crit a string (malformed)', 'ERR_COGNITO_HEADER_UNSUPPORTED', () => mint(main, idClaims(), { crit: 'b64' })],
  [
    'b64 false (unencoded payload)',
    'ERR_COGNITO_HEADER_UNSUPPORTED',
    () => mint(main, idClaims(), { b64: false, crit: ['b64'] }),
  ],
]

const encodingTricks: Case[] = [
  ['padding on the header', 'ERR_COGNITO_TOKEN_MALFORMED', () => withSegments(([h, p, s]) => [`${h}=`, p!, s!])],
  ['padding on the payload', 'ERR_COGNITO_TOKEN_MALFORMED', () => withSegments(([h, p, s]) => [h!, `${p}==`, s!])],
  ['padding on the signature', 'ERR_COGNITO_TOKEN_MALFORMED', () => withSegments(([h, p, s]) => [h!, p!, `${s}==`])],
  [
    'stray bits at the end of the header',
    'ERR_COGNITO_TOKEN_MALFORMED',
    async () => {
      let filler = ''
      while (b64url(json(header({ x: filler }))).length % 4 === 0) filler += 'a' // need a partial last group
      const headerSegment = b64url(json(header({ x: filler })))
      const token = await signSegments(headerSegment, b64url(idPayload()), main)
      return token.replace(headerSegment, strayBits(headerSegment))
    },
  ],
  [
    'stray bits at the end of the signature',
    'ERR_COGNITO_TOKEN_MALFORMED',
    () => withSegments(([h, p, s]) => [h!, p!, strayBits(s!)]),
  ],
  [
    'standard base64 alphabet (+ and /)',
    'ERR_COGNITO_TOKEN_MALFORMED',
    () => withSegments(([h, p, s]) => [h!, p!, `+/${s!.slice(2)}`]),
  ],
  [
    'a space inside the token',
    'ERR_COGNITO_TOKEN_MALFORMED',
    () => withSegments(([h, p, s]) => [h!, `${p!.slice(0, 8)} ${p!.slice(8)}`, s!]),
  ],
  [
    'invalid UTF-8 in the payload',
    'ERR_COGNITO_TOKEN_MALFORMED',
    () => signBytes(new Uint8Array([...utf8.encode('{"sub":"'), 0xff, 0xfe, ...utf8.encode('"}')])),
  ],
  [
    'overlong UTF-8 encoding of a quote',
    'ERR_COGNITO_TOKEN_MALFORMED',
    () => signBytes(new Uint8Array([...utf8.encode('{"sub":"a'), 0xc0, 0xa2, ...utf8.encode('"}')])),
  ],
  [
    'UTF-8-encoded lone surrogate',
    'ERR_COGNITO_TOKEN_MALFORMED',
    () => signBytes(new Uint8Array([...utf8.encode('{"sub":"'), 0xed, 0xa0, 0x80, ...utf8.encode('"}')])),
  ],
  [
    'byte-order mark before the payload',
    'ERR_COGNITO_TOKEN_MALFORMED',
    () => signBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8.encode(idPayload())])),
  ],
  [
    'byte-order mark before the header',
    'ERR_COGNITO_TOKEN_MALFORMED',
    () =>
      signSegments(
        encodeBase64Url(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8.encode(json(header()))])),
        b64url(idPayload()),
        main,
      ),
  ],
  [
    'duplicate claim in the payload',
    'ERR_COGNITO_TOKEN_MALFORMED',
    () => signJsonText(json(header()), idPayload().replace('{', '{"sub":"mallory",'), main),
  ],
  [
    'duplicate claim spelled with an escape',
    'ERR_COGNITO_TOKEN_MALFORMED',
    () => signJsonText(json(header()), idPayload().replace('{', '{"\\u0073ub":"mallory",'), main),
  ],
  [
    'duplicate alg in the header',
    'ERR_COGNITO_TOKEN_MALFORMED',
    () => signJsonText(`{"alg":"HS256","kid":"${main.kid}","alg":"RS256"}`, idPayload(), main),
  ],
  [
    'duplicate member inside a nested claim',
    'ERR_COGNITO_TOKEN_MALFORMED',
    () => signJsonText(json(header()), idPayload({ address: { a: 1 } }).replace('{"a":1}', '{"a":1,"a":2}'), main),
  ],
  ['a token over 16 KiB', 'ERR_COGNITO_TOKEN_MALFORMED', () => mint(main, idClaims({ padding: 'x'.repeat(13_000) }))],
  [
    'nesting 20 levels deep',
    'ERR_COGNITO_TOKEN_MALFORMED',
    () => mint(main, idClaims({ deep: JSON.parse('['.repeat(20) + ']'.repeat(20)) })),
  ],
  ['four segments', 'ERR_COGNITO_TOKEN_MALFORMED', () => withSegments((segments) => [...segments, 'AAAA'])],
  ['five segments (a JWE shape)', 'ERR_COGNITO_TOKEN_MALFORMED', () => withSegments(([h, p, s]) => [h!, '', p!, 'AAAA', s!])],
  ['two segments', 'ERR_COGNITO_TOKEN_MALFORMED', () => withSegments(([h, p]) => [h!, p!])],
  ['empty header segment', 'ERR_COGNITO_TOKEN_MALFORMED', () => withSegments(([, p, s]) => ['', p!, s!])],
  ['payload is a JSON array', 'ERR_COGNITO_TOKEN_MALFORMED', () => signJsonText(json(header()), json([idClaims()]), main)],
  ['payload is the JSON null', 'ERR_COGNITO_TOKEN_MALFORMED', () => signJsonText(json(header()), 'null', main)],
  ['payload with trailing garbage', 'ERR_COGNITO_TOKEN_MALFORMED', () => signJsonText(json(header()), `${idPayload()}x`, main)],
  [
    'NaN as a bare JSON literal',
    'ERR_COGNITO_TOKEN_MALFORMED',
    () => signJsonText(json(header()), idPayload().replace(/"exp":\d+/, '"exp":NaN'), main),
  ],
]

const issuerVariants: Case[] = [
  ['issuer with a trailing slash', 'ERR_COGNITO_ISSUER', () => mint(main, idClaims({ iss: `${ISSUER}/` }))],
  [
    'issuer host in upper case',
    'ERR_COGNITO_ISSUER',
    () => mint(main, idClaims({ iss: ISSUER.replace('cognito-idp', 'COGNITO-IDP') })),
  ],
  ['issuer pool id in lower case', 'ERR_COGNITO_ISSUER', () => mint(main, idClaims({ iss: ISSUER.toLowerCase() }))],
  [
    'issuer in another region',
    'ERR_COGNITO_ISSUER',
    () => mint(main, idClaims({ iss: ISSUER.replace('.us-east-1.', '.us-west-2.') })),
  ],
  ['issuer of another pool', 'ERR_COGNITO_ISSUER', () => mint(otherPoolKey, idClaims({ iss: OTHER_ISSUER }))],
  ['issuer over http', 'ERR_COGNITO_ISSUER', () => mint(main, idClaims({ iss: ISSUER.replace('https:', 'http:') }))],
  ['issuer with a path suffix', 'ERR_COGNITO_ISSUER', () => mint(main, idClaims({ iss: `${ISSUER}/extra` }))],
  ['issuer missing', 'ERR_COGNITO_ISSUER', () => mint(main, idClaims({ iss: undefined }))],
  ['issuer a number', 'ERR_COGNITO_ISSUER', () => mint(main, idClaims({ iss: 42 }))],
  ['issuer a list', 'ERR_COGNITO_ISSUER', () => mint(main, idClaims({ iss: [ISSUER] }))],
]

const tokenUseSwaps: Case[] = [
  ['token_use missing', 'ERR_COGNITO_TOKEN_USE', () => mint(main, idClaims({ token_use: undefined }))],
  ['token_use refresh', 'ERR_COGNITO_TOKEN_USE', () => mint(main, idClaims({ token_use: 'refresh' }))],
  ['token_use ID in upper case', 'ERR_COGNITO_TOKEN_USE', () => mint(main, idClaims({ token_use: 'ID' }))],
  ['token_use a number', 'ERR_COGNITO_TOKEN_USE', () => mint(main, idClaims({ token_use: 1 }))],
  ['an ID token where an access token was asked for', 'ERR_COGNITO_TOKEN_USE', () => mint(main, idClaims()), 'access'],
  ['an access token where an ID token was asked for', 'ERR_COGNITO_TOKEN_USE', () => mint(main, accessClaims()), 'id'],
]

const audienceMismatches: Case[] = [
  ['ID token for another client', 'ERR_COGNITO_AUDIENCE', () => mint(main, idClaims({ aud: OTHER_CLIENT_ID }))],
  ['access token for another client', 'ERR_COGNITO_AUDIENCE', () => mint(main, accessClaims({ client_id: OTHER_CLIENT_ID }))],
  ['ID token audience differing in case', 'ERR_COGNITO_AUDIENCE', () => mint(main, idClaims({ aud: CLIENT_ID.toUpperCase() }))],
  ['ID token aud as a list holding the client', 'ERR_COGNITO_CLAIM', () => mint(main, idClaims({ aud: [CLIENT_ID] }))],
  ['ID token without aud', 'ERR_COGNITO_CLAIM', () => mint(main, idClaims({ aud: undefined }))],
  [
    'access token with aud but no client_id',
    'ERR_COGNITO_CLAIM',
    () => mint(main, accessClaims({ client_id: undefined, aud: CLIENT_ID })),
  ],
]

const timeClaims: Case[] = [
  ['exp missing', 'ERR_COGNITO_CLAIM', () => mint(main, idClaims({ exp: undefined }))],
  ['exp a numeric string', 'ERR_COGNITO_CLAIM', () => mint(main, idClaims({ exp: String(NOW_SECONDS + 3600) }))],
  [
    'exp 1e400 (parses to Infinity)',
    'ERR_COGNITO_CLAIM',
    () => signJsonText(json(header()), idPayload().replace(/"exp":\d+/, '"exp":1e400'), main),
  ],
  ['exp null', 'ERR_COGNITO_CLAIM', () => mint(main, idClaims({ exp: null }))],
  ['exp true', 'ERR_COGNITO_CLAIM', () => mint(main, idClaims({ exp: true }))],
  ['exp negative', 'ERR_COGNITO_EXPIRED', () => mint(main, idClaims({ exp: -1, iat: -100 }))],
  ['exp a second ago', 'ERR_COGNITO_EXPIRED', () => mint(main, idClaims({ exp: NOW_SECONDS - 1 }))],
  ['exp exactly now', 'ERR_COGNITO_EXPIRED', () => mint(main, idClaims({ exp: NOW_SECONDS }))],
  [
    'access token expired',
    'ERR_COGNITO_EXPIRED',
    () => mint(main, accessClaims({ exp: NOW_SECONDS - 600, iat: NOW_SECONDS - 4200 })),
  ],
  ['iat missing', 'ERR_COGNITO_CLAIM', () => mint(main, idClaims({ iat: undefined }))],
  ['iat a string', 'ERR_COGNITO_CLAIM', () => mint(main, idClaims({ iat: 'yesterday' }))],
  [
    'iat -1e400 (parses to -Infinity)',
    'ERR_COGNITO_CLAIM',
    () => signJsonText(json(header()), idPayload().replace(/"iat":\d+/, '"iat":-1e400'), main),
  ],
  ['iat in the future', 'ERR_COGNITO_NOT_YET_VALID', () => mint(main, idClaims({ iat: NOW_SECONDS + 120 }))],
  ['exp before iat', 'ERR_COGNITO_CLAIM', () => mint(main, idClaims({ iat: NOW_SECONDS - 10, exp: NOW_SECONDS - 20 }))],
  ['nbf ahead', 'ERR_COGNITO_NOT_YET_VALID', () => mint(main, idClaims({ nbf: NOW_SECONDS + 60 }))],
  ['nbf a string', 'ERR_COGNITO_CLAIM', () => mint(main, idClaims({ nbf: '0' }))],
  ['auth_time a string', 'ERR_COGNITO_CLAIM', () => mint(main, idClaims({ auth_time: 'now' }))],
]

const claimTypes: Case[] = [
  ['sub missing', 'ERR_COGNITO_CLAIM', () => mint(main, idClaims({ sub: undefined }))],
  ['sub empty', 'ERR_COGNITO_CLAIM', () => mint(main, idClaims({ sub: '' }))],
  ['sub a number', 'ERR_COGNITO_CLAIM', () => mint(main, idClaims({ sub: 7 }))],
  ['cognito:groups a string', 'ERR_COGNITO_CLAIM', () => mint(main, idClaims({ 'cognito:groups': 'admins' }))],
  ['cognito:groups holding a number', 'ERR_COGNITO_CLAIM', () => mint(main, idClaims({ 'cognito:groups': ['admins', 1] }))],
  ['cognito:groups an object', 'ERR_COGNITO_CLAIM', () => mint(main, idClaims({ 'cognito:groups': { 0: 'admins' } }))],
  ['scope a list', 'ERR_COGNITO_CLAIM', () => mint(main, accessClaims({ scope: ['openid'] }))],
  ['username a number', 'ERR_COGNITO_CLAIM', () => mint(main, accessClaims({ username: 12 }))],
  ['cognito:username null', 'ERR_COGNITO_CLAIM', () => mint(main, idClaims({ 'cognito:username': null }))],
]

const groups = {
  algorithmTricks,
  signatureDamage,
  kidTricks,
  encodingTricks,
  issuerVariants,
  tokenUseSwaps,
  audienceMismatches,
  timeClaims,
  claimTypes,
}

describe('createCognitoVerifier rejects', () => {
  it('has at least 60 distinct negative cases', () => {
    const names = Object.values(groups).flatMap((cases) => cases.map(([name]) => name))
    expect(new Set(names).size).toBe(names.length)
    expect(names.length).toBeGreaterThanOrEqual(60)
  })

  for (const [group, cases] of Object.entries(groups)) {
    describe(group, () => {
      for (const [name, code, make, tokenUse] of cases) {
        it(`${name} → ${code}`, async () => {
          const token = await make()
          const error = await verifier()
            .verify(token, tokenUse ? { tokenUse } : undefined)
            .then(
              () => null,
              (failure: unknown) => failure,
            )
          expect(error).toMatchObject({ name: 'CognitoAuthError', code })
          for (const segment of token.split('.').filter((part) => part.length >= 16)) {
            expect((error as Error).message).not.toContain(segment.slice(0, 16))
          }
        })
      }
    })
  }

  it('rejects an ID token when the verifier itself is set to access tokens', async () => {
    await expect(verifier('access').verify(await mint(main, idClaims()))).rejects.toMatchObject({ code: 'ERR_COGNITO_TOKEN_USE' })
  })

  it('a verifier set to access tokens refuses a call asking for an ID token (the setting cannot be overridden)', async () => {
    const error = await verifier('access')
      .verify(await mint(main, idClaims()), { tokenUse: 'id' })
      .catch((failure: unknown) => failure)
    expect(error).toMatchObject({ code: 'ERR_COGNITO_TOKEN_USE', message: 'this verifier accepts only access tokens' })
  })

  it('refuses an empty or absent token as missing and a non-string as malformed', async () => {
    await expect(verifier().verify('')).rejects.toMatchObject({ code: 'ERR_COGNITO_TOKEN_MISSING' })
    await expect(verifier().verify(undefined as unknown as string)).rejects.toMatchObject({ code: 'ERR_COGNITO_TOKEN_MISSING' })
    await expect(verifier().verify({ token: 'x' } as unknown as string)).rejects.toMatchObject({
      code: 'ERR_COGNITO_TOKEN_MALFORMED',
    })
  })

  it('keeps the tokens of one pool from verifying with the keys of another', async () => {
    const origin = fakeOrigin(jwksOf(main))
    origin.serve(jwksOf(otherPoolKey), `${OTHER_ISSUER}/.well-known/jwks.json`)
    const both = createCognitoVerifier({
      userPoolId: [POOL_ID, 'eu-west-1_OtherPool'],
      clientId: CLIENT_ID,
      fetch: origin.fetch,
      now: () => NOW,
    })
    // Signed by pool B's key but claiming pool A: pool A's set does not have that kid.
    const forged = await mint(otherPoolKey, idClaims({ iss: ISSUER }))
    await expect(both.verify(forged)).rejects.toMatchObject({ code: 'ERR_COGNITO_KID' })
    await expect(both.verify(await mint(otherPoolKey, idClaims({ iss: OTHER_ISSUER })))).resolves.toMatchObject({
      iss: OTHER_ISSUER,
    })
  })
})
