// Bad options fail when the verifier is built, with ERR_COGNITO_CONFIG and a message naming the option.
import { describe, expect, it } from 'vitest'
import { type CognitoVerifierOptions, createCognitoVerifier } from '../../src'
import { CLIENT_ID, POOL_ID } from '../helpers/tokens'

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

  it('never mutates the caller’s options', () => {
    const options = Object.freeze({ ...base, userPoolId: Object.freeze([POOL_ID]) })
    expect(() => createCognitoVerifier(options)).not.toThrow()
  })
})
