// Bad options fail when the verifier is built, with ERR_COGNITO_CONFIG and a message naming the option.
import { describe, expect, it } from 'vitest'
import { type CognitoVerifierOptions, createCognitoVerifier } from '../../src/index'
import { rsaKey, jwksOf } from '../helpers/keys'
import { CLIENT_ID, NOW, POOL_ID, SUB, idClaims, mint } from '../helpers/tokens'

const main = await rsaKey('main-key')

const base: CognitoVerifierOptions = { userPoolId: POOL_ID, clientId: CLIENT_ID }

const cases: [string, Record<string, unknown>, RegExp][] = [
  ['no userPoolId', { userPoolId: undefined }, /userPoolId is required/],
  ['an empty userPoolId list', { userPoolId: [] }, /userPoolId/],
  ['a userPoolId that is not a pool id', { userPoolId: 'not-a-pool' }, /userPoolId "not-a-pool"/],
  ['a padded userPoolId', { userPoolId: ` ${POOL_ID}` }, /userPoolId/],
  ['no clientId (null must be explicit)', { clientId: undefined }, /clientId is required \(pass null/],
  ['an empty clientId', { clientId: '' }, /clientId/],
  ['an unknown tokenUse', { tokenUse: 'refresh' }, /tokenUse/],
  ['a negative clockTolerance', { clockTolerance: -1 }, /clockTolerance/],
  ['an infinite clockTolerance', { clockTolerance: Infinity }, /clockTolerance/],
  ['a relative issuer', { issuer: '/pool' }, /issuer/],
  ['an ftp jwksUri', { jwksUri: 'ftp://example.com/jwks.json' }, /jwksUri/],
  [
    'issuer with two pools',
    { userPoolId: [POOL_ID, 'eu-west-1_Other'], issuer: 'https://example.com' },
    /issuer can only be set with a single userPoolId/,
  ],
  ['jwks that is not a key set', { jwks: { keys: 'x' } }, /jwks/],
  ['a fetch that is not a function', { fetch: 'fetch' }, /fetch/],
  ['a zero jwksTimeoutMs', { jwksTimeoutMs: 0 }, /jwksTimeoutMs/],
  ['a fractional verifiedCacheSize', { verifiedCacheSize: 1.5 }, /verifiedCacheSize/],
  ['an unknown option (a typo)', { userPoolID: POOL_ID }, /^verifier options has no option "userPoolID" \(known: userPoolId, /],
  ['a setting of another section', { clientSecret: 's3cr3t' }, /^verifier options has no option "clientSecret"/],
]

describe('verifier options', () => {
  for (const [name, change, message] of cases) {
    it(`refuses ${name}`, () => {
      const options = { ...base, ...change } as CognitoVerifierOptions
      expect(() => createCognitoVerifier(options)).toThrow(
        expect.objectContaining({ code: 'ERR_COGNITO_CONFIG', message: expect.stringMatching(message) }),
      )
    })
  }

  it('makes a frozen verifier whose verify works detached too', async () => {
    const verifier = createCognitoVerifier({ ...base, jwks: jwksOf(main), now: () => NOW })
    expect(Object.isFrozen(verifier)).toBe(true)
    const { verify } = verifier
    await expect(verify(await mint(main, idClaims()))).resolves.toMatchObject({ sub: SUB, token_use: 'id' })
  })

  it('never mutates the caller’s options', () => {
    const options = Object.freeze({ ...base, userPoolId: Object.freeze([POOL_ID]) })
    expect(() => createCognitoVerifier(options)).not.toThrow()
  })
})
