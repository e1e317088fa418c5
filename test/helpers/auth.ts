// Shared setup for edge tests: a local signing key, and sectioned settings over an injected
// key-set origin and a frozen clock, so each test names only what it changes.
import type { PoolSettings } from '../../src/index'
import type { CognitoEdgeSettings } from '../../src/hono'
import { type TestKey, jwksOf, rsaKey } from './keys'
import { fakeOrigin } from './origin'
import { CLIENT_ID, NOW, POOL_ID, accessClaims, idClaims, mint } from './tokens'

export const signingKey: TestKey = await rsaKey('main-key')

/** What a test changes: any section, and the pool section merged over the test pool and app client. */
export type EdgeOverrides<User = null> = Omit<CognitoEdgeSettings<User>, 'pool'> & { pool?: Partial<PoolSettings> }

/** Settings for the test pool and app client, key sets served for `signingKey`, the clock frozen at NOW. */
export function authOptions<User = null>(overrides: EdgeOverrides<User> = {}): CognitoEdgeSettings<User> {
  const { pool, ...rest } = overrides
  return {
    pool: { userPoolId: POOL_ID, clientId: CLIENT_ID, ...pool },
    fetch: fakeOrigin(jwksOf(signingKey)).fetch,
    now: () => NOW,
    ...rest,
  }
}

export const idToken = (overrides: Record<string, unknown> = {}) => mint(signingKey, idClaims(overrides))
export const accessToken = (overrides: Record<string, unknown> = {}) => mint(signingKey, accessClaims(overrides))
