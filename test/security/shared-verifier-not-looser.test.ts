// Attack (through an operator mistake, which SECURITY.md lists as a threat): the shared-verifier check
// compares only issuers, clients and token use. A verifier made with a clock tolerance the pool
// settings do not have, or with a preloaded key set (`jwks`, e.g. the cognito-local key whose private
// half ships in an npm package, left over from development), is accepted silently and replaces the
// pool settings: tokens expired up to the tolerance pass, and tokens signed by the preloaded key pass
// whatever the pool's real key set holds. The defence exists precisely so that "a shared verifier
// [cannot] silently replace the route's pool"; these two settings still can.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createCognitoVerifier, isCognitoAuthError } from '../../src/index'
import { type CognitoAuthVariables, cognitoAuth } from '../../src/hono'
import { signingKey } from '../helpers/auth'
import { jwksOf, rsaKey } from '../helpers/keys'
import { fakeOrigin } from '../helpers/origin'
import { CLIENT_ID, NOW, NOW_SECONDS, POOL_ID, accessClaims, mint } from '../helpers/tokens'

const pool = { userPoolId: POOL_ID, clientId: CLIENT_ID } // clockTolerance 0, keys from the pool's own key set

/** Builds the app; the config error's message when it is refused at startup, else the status of `token`. */
async function outcome(verifier: ReturnType<typeof createCognitoVerifier>, token: string): Promise<string> {
  let middleware
  try {
    middleware = cognitoAuth({ pool, verifier, fetch: fakeOrigin(jwksOf(signingKey)).fetch, now: () => NOW })
  } catch (error) {
    if (isCognitoAuthError(error, 'ERR_COGNITO_CONFIG')) return 'refused at startup'
    throw error
  }
  const app = new Hono<{ Variables: CognitoAuthVariables }>().use('*', middleware).get('/', (c) => c.text('in'))
  return String((await app.request('/', { headers: { authorization: `Bearer ${token}` } })).status)
}

describe('a shared verifier looser than the pool settings', () => {
  it('a verifier with a 1-hour clock tolerance is refused (before the fix: a token expired 50 minutes ago gets in)', async () => {
    const verifier = createCognitoVerifier({
      ...pool,
      clockTolerance: 3600,
      fetch: fakeOrigin(jwksOf(signingKey)).fetch,
      now: () => NOW,
    })
    const stale = await mint(signingKey, accessClaims({ iat: NOW_SECONDS - 6000, exp: NOW_SECONDS - 3000 }))
    expect(await outcome(verifier, stale)).not.toBe('200')
  })

  it('a verifier preloaded with a key the pool does not publish is refused (before the fix: tokens it signs get in)', async () => {
    const devKey = await rsaKey('dev-key') // a key whose private half is not secret
    const verifier = createCognitoVerifier({ ...pool, jwks: jwksOf(signingKey, devKey), now: () => NOW })
    const forged = await mint(devKey, accessClaims({ sub: 'anyone-at-all', 'cognito:groups': ['admins'] }))
    expect(await outcome(verifier, forged)).not.toBe('200')
  })
})
