// Property-based fuzzing of createCognitoVerifier through the public entry: damaged copies of valid
// tokens, tokens re-signed by the trusted key after breaking exactly one rule, valid tokens over
// the space the rules allow (so the rejections are not vacuous), the edges of time and size, and
// arbitrary input. Every rejection must be a CognitoAuthError with a listed code, and the code the
// broken rule names.
import { fc, it } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import {
  CognitoAuthError,
  type CognitoErrorCode,
  ERROR_CODES,
  type TokenUse,
  createCognitoVerifier,
  isCognitoAuthError,
} from '../../src/index'
import { jwksOf } from '../helpers/keys'
import { fakeOrigin } from '../helpers/origin'
import { CLIENT_ID, NEW_ISSUER, NOW, NOW_SECONDS, POOL_ID, accessClaims, b64url, idClaims, signSegments } from '../helpers/tokens'
import { Tally, runs, timeoutFor } from './fuzz'
import { arbitraryToken, mutate, mutation } from './token-damage'
import { MAX_TOKEN_LENGTH, codesForUnsigned } from './token-model'
import { HEADER, poolKey, rules, signRecipe } from './token-rules'
import { paddingForLength, validToken } from './token-valid'

// The key set is preloaded; a kid that misses it makes the verifier ask this origin (the same set).
const origin = fakeOrigin(jwksOf(poolKey))
const verifier = createCognitoVerifier({
  userPoolId: POOL_ID,
  clientId: CLIENT_ID,
  jwks: jwksOf(poolKey),
  fetch: origin.fetch,
  now: () => NOW,
})
const tally = new Tally('verifier')

/** One verifier per clock tolerance, so that each imports the key once. */
const tolerant = new Map<number, typeof verifier>()
function verifierWithTolerance(clockTolerance: number): typeof verifier {
  let made = tolerant.get(clockTolerance)
  if (!made) {
    made = createCognitoVerifier({
      userPoolId: POOL_ID,
      clientId: CLIENT_ID,
      jwks: jwksOf(poolKey),
      clockTolerance,
      now: () => NOW,
    })
    tolerant.set(clockTolerance, made)
  }
  return made
}

type Outcome = { readonly claims: Record<string, unknown> } | { readonly error: unknown }

async function outcomeOf(token: unknown, verifyWith = verifier, tokenUse?: TokenUse): Promise<Outcome> {
  return verifyWith.verify(token as string, tokenUse ? { tokenUse } : undefined).then(
    (claims) => ({ claims: claims as Record<string, unknown> }),
    (error: unknown) => ({ error }),
  )
}

/** The rejection of `outcome`: it must be one, a CognitoAuthError with a listed code, not leaking the token. */
function rejection(outcome: Outcome, token: unknown): CognitoAuthError {
  if ('claims' in outcome) expect.fail(`accepted ${JSON.stringify(token)} with claims ${JSON.stringify(outcome.claims)}`)
  const { error } = outcome
  expect(isCognitoAuthError(error), `not a CognitoAuthError: ${String(error)}`).toBe(true)
  expect(error).toBeInstanceOf(CognitoAuthError)
  const { code, message } = error as CognitoAuthError
  expect(Object.keys(ERROR_CODES)).toContain(code)
  if (typeof token === 'string') {
    for (const segment of token.split('.').filter((part) => part.length >= 16))
      expect(message).not.toContain(segment.slice(0, 16))
  }
  return error as CognitoAuthError
}

/** Valid tokens whose segments end on every base64url tail (0, 2 or 3 characters past a group of 4). */
const originals = await Promise.all(
  [0, 1, 2].flatMap((pad) => [
    signRecipe({
      use: 'id',
      header: { ...HEADER, ...(pad ? { typ: 'JWT'.slice(0, pad) } : {}) },
      payload: idClaims({ pad: 'x'.repeat(pad) }),
    }),
    signRecipe({ use: 'access', header: { alg: 'RS256', kid: poolKey.kid }, payload: accessClaims({ pad: 'y'.repeat(pad) }) }),
  ]),
)
const originalOutcomes = await Promise.all(originals.map((token) => outcomeOf(token)))

describe('verifier fuzzing', () => {
  it('the originals are accepted (so each mutation below starts from a valid token)', () => {
    expect(originalOutcomes.every((outcome) => 'claims' in outcome)).toBe(true)
  })

  const damageRuns = runs()
  it.prop([fc.nat(originals.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 })], { numRuns: damageRuns })(
    'damaged copies of a valid token are refused before any claim rule, with the code the damage calls for',
    async (which, mutations) => {
      const original = originals[which] as string
      const damaged = mutations.reduce(mutate, original)
      fc.pre(damaged !== original)
      const error = rejection(await outcomeOf(damaged), damaged)
      const [header, payload] = original.split('.')
      const parts = damaged.split('.')
      const clean = parts.length === 3 && parts[0] === header && parts[1] === payload
      expect(codesForUnsigned(damaged, { clean, kid: poolKey.kid })).toContain(error.code)
      tally.count('1. damaged tokens', error.code)
      tally.count('1. damaged tokens, by first mutation', mutations[0]?.kind ?? '')
    },
    timeoutFor(damageRuns, 5),
  )

  const ruleRuns = runs()
  it.prop([fc.oneof(...rules.map(([name, code, recipe]) => recipe.map((made) => ({ name, code, made }))))], {
    numRuns: ruleRuns,
  })(
    'a token re-signed by the trusted key after breaking one rule is refused with the code that rule names',
    async ({ name, code, made }) => {
      const token = await signRecipe(made)
      if (name === 'a token over 16 KiB') expect(token.length).toBeGreaterThan(MAX_TOKEN_LENGTH)
      const error = rejection(await outcomeOf(token, verifier, made.ask), token)
      expect(error.code, name).toBe(code)
      tally.count('2. one rule broken, re-signed', `${code}  ← ${name}`)
    },
    timeoutFor(ruleRuns, 20),
  )

  const validRuns = runs()
  it.prop([validToken], { numRuns: validRuns })(
    'a token that keeps every rule is accepted, with exactly the claims that were signed',
    async (valid) => {
      const token = await signSegments(b64url(valid.header), b64url(valid.payload), poolKey)
      fc.pre(token.length <= MAX_TOKEN_LENGTH)
      const signed = JSON.parse(valid.payload) as Record<string, unknown>
      const outcome = await outcomeOf(token)
      if ('error' in outcome) expect.fail(`refused a valid token: ${String(outcome.error)}`)
      expect(outcome.claims).toEqual(signed)
      // Again, from the verified-token cache: the same claims.
      const again = await outcomeOf(token)
      expect('claims' in again && again.claims).toEqual(signed)
      tally.count('3. valid tokens', `accepted (${valid.use}${valid.iss === NEW_ISSUER ? ', new issuer' : ''})`)
    },
    timeoutFor(validRuns, 20),
  )

  const edgeRuns = runs()
  it.prop(
    [
      fc.record({
        tolerance: fc.integer({ min: 0, max: 300 }),
        exp: fc.integer({ min: -600, max: 600 }),
        iatBeforeExp: fc.integer({ min: 0, max: 1200 }),
        nbf: fc.option(fc.integer({ min: -600, max: 600 }), { nil: undefined }),
        // A header member of 0–3 characters, so that token lengths reach every residue modulo 4.
        headerPadding: fc.integer({ min: 0, max: 3 }),
        // Either any padding, or the padding that brings the token within a few characters of the bound.
        size: fc.oneof(
          fc.integer({ min: 0, max: 14_000 }).map((padding) => ({ padding })),
          fc.integer({ min: -6, max: 6 }).map((offBy) => ({ offBy })),
        ),
      }),
    ],
    { numRuns: edgeRuns },
  )(
    'time claims (with clock tolerance) and the 16 KiB bound are enforced exactly at their edges',
    async ({ tolerance, exp, iatBeforeExp, nbf, headerPadding, size }) => {
      const iat = exp - iatBeforeExp
      const header = { ...HEADER, pad: 'h'.repeat(headerPadding) }
      const claimsWith = (padding: number) =>
        idClaims({
          exp: NOW_SECONDS + exp,
          iat: NOW_SECONDS + iat,
          ...(nbf === undefined ? {} : { nbf: NOW_SECONDS + nbf }),
          padding: 'p'.repeat(padding),
        })
      const padding = 'padding' in size ? size.padding : paddingForLength(header, claimsWith, MAX_TOKEN_LENGTH + size.offBy)
      const token = await signRecipe({ use: 'id', header, payload: claimsWith(padding) })
      const expected: CognitoErrorCode[] = []
      if (token.length > MAX_TOKEN_LENGTH) expected.push('ERR_COGNITO_TOKEN_MALFORMED')
      else {
        // DESIGN.md: exp in the future, iat and nbf not in the future, each within the tolerance.
        if (exp + tolerance <= 0) expected.push('ERR_COGNITO_EXPIRED')
        if ((nbf !== undefined && nbf > tolerance) || iat > tolerance) expected.push('ERR_COGNITO_NOT_YET_VALID')
      }
      const outcome = await outcomeOf(token, verifierWithTolerance(tolerance))
      const edge = Math.abs(token.length - MAX_TOKEN_LENGTH) <= 6 ? ` (${token.length - MAX_TOKEN_LENGTH} from the bound)` : ''
      if (expected.length === 0) {
        if ('error' in outcome) expect.fail(`refused: ${String(outcome.error)}`)
        tally.count('4. edges of time and size', `accepted${edge}`)
      } else {
        const { code } = rejection(outcome, token)
        expect(expected).toContain(code)
        tally.count('4. edges of time and size', `${code}${edge}`)
      }
    },
    timeoutFor(edgeRuns, 20),
  )

  const arbitraryRuns = runs()
  it.prop([arbitraryToken(poolKey.kid)], { numRuns: arbitraryRuns })(
    'an arbitrary string is refused with a CognitoAuthError, never beyond the signature check',
    async ({ text, clean }) => {
      const error = rejection(await outcomeOf(text), text)
      expect(codesForUnsigned(text, { clean, kid: poolKey.kid })).toContain(error.code)
      tally.count('5. arbitrary strings', error.code)
    },
    timeoutFor(arbitraryRuns, 5),
  )

  const nonStringRuns = runs()
  it.prop([fc.anything().filter((value) => typeof value !== 'string')], { numRuns: nonStringRuns })(
    'a value that is not a string is refused as missing (undefined, null) or malformed',
    async (value) => {
      const { code } = rejection(await outcomeOf(value), value)
      expect(code).toBe(value === undefined || value === null ? 'ERR_COGNITO_TOKEN_MISSING' : 'ERR_COGNITO_TOKEN_MALFORMED')
      tally.count('6. arbitrary non-strings', code)
    },
    timeoutFor(nonStringRuns, 5),
  )

  it('unknown kids asked the key-set origin at most once per issuer (the cooldown holds under a kid flood)', () => {
    expect(origin.calls.length).toBeLessThanOrEqual(2)
  })
})
