// Shared setup for middleware tests: a local signing key, an injected key-set origin, a frozen clock.
import type { CognitoAuthOptions } from '../../src/hono'
import { type TestKey, jwksOf, rsaKey } from './keys'
import { fakeOrigin } from './origin'
import { CLIENT_ID, NOW, POOL_ID, accessClaims, idClaims, mint } from './tokens'

export const signingKey: TestKey = await rsaKey('main-key')

export function authOptions(extra: Partial<CognitoAuthOptions> = {}): CognitoAuthOptions {
  const origin = fakeOrigin(jwksOf(signingKey))
  return { userPoolId: POOL_ID, clientId: CLIENT_ID, fetch: origin.fetch, now: () => NOW, ...extra }
}

export const idToken = (overrides: Record<string, unknown> = {}) => mint(signingKey, idClaims(overrides))
export const accessToken = (overrides: Record<string, unknown> = {}) => mint(signingKey, accessClaims(overrides))
