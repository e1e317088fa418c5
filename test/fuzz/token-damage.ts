// Damage done to a valid token's text (bit flips, truncation, segments moved, dots and padding,
// the standard base64 alphabet, whitespace, case, look-alike characters, re-encoded JSON), and
// arbitrary strings shaped more or less like tokens.
import { fc } from '@fast-check/vitest'
import { ISSUER, NEW_ISSUER, b64url } from '../helpers/tokens'
import { MAX_TOKEN_LENGTH, decodeCanonical, jsonObject } from './token-model'

const utf8 = new TextEncoder()

export const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const WHITESPACE = [' ', '\t', '\n', '\r', '\u00a0', '\u2028', '\ufeff', '\u200b']
/** Characters that look like base64url ones: fullwidth, Cyrillic, Greek, a ligature. */
const LOOKALIKES = ['Ａ', 'А', 'Β', 'е', 'о', 'ｚ', '０', '‐', '＿', 'ﬁ']

type Segment = 0 | 1 | 2
export type Mutation =
  | { readonly kind: 'flip a bit'; readonly at: number; readonly bit: number }
  | { readonly kind: 'replace a character'; readonly at: number; readonly by: string }
  | { readonly kind: 'insert a character'; readonly at: number; readonly char: string }
  | { readonly kind: 'delete a span'; readonly at: number; readonly length: number }
  | { readonly kind: 'truncate'; readonly keep: number }
  | { readonly kind: 'rearrange segments'; readonly order: readonly Segment[] }
  | { readonly kind: 'remove a dot'; readonly which: 0 | 1 }
  | { readonly kind: 'add padding'; readonly segment: Segment; readonly padding: string }
  | { readonly kind: 'standard base64 alphabet'; readonly segment: Segment | 'all' }
  | { readonly kind: 'insert whitespace'; readonly at: number; readonly space: string }
  | { readonly kind: 'toggle the case of a letter'; readonly at: number }
  | { readonly kind: 'change the case of a segment'; readonly segment: Segment; readonly upper: boolean }
  | { readonly kind: 'insert a lookalike'; readonly at: number; readonly char: string }
  | { readonly kind: 're-encode the JSON'; readonly segment: 0 | 1; readonly how: ReEncoding }

type ReEncoding =
  'indented' | 'members reversed' | 'a name \\u-escaped' | 'trailing newline' | 'padded base64url' | 'standard base64'

const segmentIndex = fc.constantFrom<Segment>(0, 1, 2)
/** One change to a token's text: each kind is a way tokens get damaged or tampered with in transit. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip a bit' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ kind: fc.constant('replace a character' as const), at: fc.nat(), by: fc.constantFrom(...BASE64URL, '.', '=') }),
  fc.record({
    kind: fc.constant('insert a character' as const),
    at: fc.nat(),
    char: fc.constantFrom(...BASE64URL, '.', '=', '+', '/'),
  }),
  fc.record({ kind: fc.constant('delete a span' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat() }),
  fc.record({
    kind: fc.constant('rearrange segments' as const),
    order: fc.array(segmentIndex, { minLength: 1, maxLength: 5 }).filter((order) => order.join() !== '0,1,2'),
  }),
  fc.record({ kind: fc.constant('remove a dot' as const), which: fc.constantFrom<0 | 1>(0, 1) }),
  fc.record({ kind: fc.constant('add padding' as const), segment: segmentIndex, padding: fc.constantFrom('=', '==', '===') }),
  fc.record({
    kind: fc.constant('standard base64 alphabet' as const),
    segment: fc.constantFrom<Segment | 'all'>(0, 1, 2, 'all'),
  }),
  fc.record({ kind: fc.constant('insert whitespace' as const), at: fc.nat(), space: fc.constantFrom(...WHITESPACE) }),
  fc.record({ kind: fc.constant('toggle the case of a letter' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('change the case of a segment' as const), segment: segmentIndex, upper: fc.boolean() }),
  fc.record({ kind: fc.constant('insert a lookalike' as const), at: fc.nat(), char: fc.constantFrom(...LOOKALIKES) }),
  fc.record({
    kind: fc.constant('re-encode the JSON' as const),
    segment: fc.constantFrom<0 | 1>(0, 1),
    how: fc.constantFrom<ReEncoding>(
      'indented',
      'members reversed',
      'a name \\u-escaped',
      'trailing newline',
      'padded base64url',
      'standard base64',
    ),
  }),
)

function editSegment(token: string, segment: Segment, edit: (text: string) => string): string {
  const parts = token.split('.')
  if (parts[segment] === undefined) return token
  parts[segment] = edit(parts[segment] as string)
  return parts.join('.')
}

function reEncode(segment: string, how: ReEncoding): string {
  const bytes = decodeCanonical(segment)
  const value = bytes && jsonObject(bytes)
  if (!value) return segment // an earlier mutation broke it already
  const text = JSON.stringify(value)
  const binary = String.fromCharCode(...utf8.encode(text))
  switch (how) {
    case 'indented':
      return b64url(JSON.stringify(value, null, 2))
    case 'members reversed':
      return b64url(JSON.stringify(Object.fromEntries(Object.entries(value).reverse())))
    case 'a name \\u-escaped':
      return b64url(text.replace(/^\{"(.)/, (_, char: string) => `{"\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`))
    case 'trailing newline':
      return b64url(`${text}\n`)
    case 'padded base64url':
      return `${b64url(text)}${'='.repeat((4 - (b64url(text).length % 4)) % 4)}`
    case 'standard base64':
      return btoa(binary)
  }
}

export function toggleCase(char: string): string {
  return char === char.toUpperCase() ? char.toLowerCase() : char.toUpperCase()
}

/** `token` with `change` applied (it may come out unchanged: callers filter those). */
export function mutate(token: string, change: Mutation): string {
  const at = 'at' in change ? change.at % (token.length + 1) : 0
  switch (change.kind) {
    case 'flip a bit': {
      if (token.length === 0) return token
      const index = change.at % token.length
      return token.slice(0, index) + String.fromCharCode(token.charCodeAt(index) ^ (1 << change.bit)) + token.slice(index + 1)
    }
    case 'replace a character':
      return token.slice(0, at) + change.by + token.slice(at + 1)
    case 'insert a character':
      return token.slice(0, at) + change.char + token.slice(at)
    case 'delete a span':
      return token.slice(0, at) + token.slice(at + change.length)
    case 'truncate':
      return token.slice(0, change.keep % Math.max(token.length, 1))
    case 'rearrange segments': {
      const parts = token.split('.')
      return change.order.map((index) => parts[index] ?? '').join('.')
    }
    case 'remove a dot': {
      const dots = [...token.matchAll(/\./g)].map((match) => match.index)
      const dot = dots[change.which]
      return dot === undefined ? token : token.slice(0, dot) + token.slice(dot + 1)
    }
    case 'add padding':
      return editSegment(token, change.segment, (text) => text + change.padding)
    case 'standard base64 alphabet': {
      const toStandard = (text: string) => text.replace(/-/g, '+').replace(/_/g, '/')
      return change.segment === 'all' ? toStandard(token) : editSegment(token, change.segment, toStandard)
    }
    case 'insert whitespace':
      return token.slice(0, at) + change.space + token.slice(at)
    case 'toggle the case of a letter': {
      const letters = [...token.matchAll(/[A-Za-z]/g)].map((match) => match.index)
      const index = letters[change.at % Math.max(letters.length, 1)]
      return index === undefined ? token : token.slice(0, index) + toggleCase(token[index] as string) + token.slice(index + 1)
    }
    case 'change the case of a segment':
      return editSegment(token, change.segment, (text) => (change.upper ? text.toUpperCase() : text.toLowerCase()))
    case 'insert a lookalike':
      return token.slice(0, at) + change.char + token.slice(at)
    case 're-encode the JSON':
      return editSegment(token, change.segment, (text) => reEncode(text, change.how))
  }
}

const json = fc.jsonValue({ maxDepth: 2 })
const segmentish = fc.oneof(
  fc.uint8Array({ maxLength: 400 }).map(b64url),
  json.map((value) => b64url(JSON.stringify(value))),
  fc.string({ unit: fc.constantFrom(...BASE64URL, '=', '+', '/') }),
  fc.string(),
)
/** Header and payload objects that get past parsing and often past the header and issuer checks. */
const structured = (poolKid: string) =>
  fc
    .record({
      alg: fc.oneof(fc.constant('RS256'), json),
      kid: fc.oneof(fc.constant(poolKid), fc.string(), json),
      headerExtra: fc.dictionary(fc.string(), json, { maxKeys: 2 }),
      iss: fc.oneof(fc.constantFrom(ISSUER, NEW_ISSUER), fc.string()),
      claims: fc.dictionary(fc.string(), json, { maxKeys: 5 }),
      signature: fc.uint8Array({ maxLength: 600 }),
    })
    .map(({ alg, kid, headerExtra, iss, claims, signature }) =>
      [b64url(JSON.stringify({ ...headerExtra, alg, kid })), b64url(JSON.stringify({ ...claims, iss })), b64url(signature)].join(
        '.',
      ),
    )

/**
 * Arbitrary strings, from any Unicode to three structured segments with a random signature. `clean`:
 * the JSON in the segments came from JSON.stringify (no duplicate member, no deep nesting).
 */
export function arbitraryToken(poolKid: string): fc.Arbitrary<{ readonly text: string; readonly clean: boolean }> {
  const dirty = (token: fc.Arbitrary<string>) => token.map((text) => ({ text, clean: false }))
  const clean = (token: fc.Arbitrary<string>) => token.map((text) => ({ text, clean: true }))
  return fc.oneof(
    dirty(fc.string()),
    dirty(fc.string({ unit: 'binary' })),
    dirty(fc.string({ unit: fc.constantFrom(...BASE64URL, '.', '=', '+', '/', ' ') })),
    dirty(
      fc
        .tuple(fc.string({ minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 64 }))
        .map(([unit, extra]) => unit.repeat(Math.ceil((MAX_TOKEN_LENGTH + extra) / unit.length))),
    ),
    clean(fc.uint8Array({ maxLength: 800 }).map(b64url)),
    clean(fc.tuple(segmentish, segmentish, segmentish).map((parts) => parts.join('.'))),
    clean(structured(poolKid)),
  )
}
