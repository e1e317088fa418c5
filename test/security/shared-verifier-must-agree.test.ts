// Item 3 of the session-layer review: a `verifier` passed next to pool and client options must
// agree with them, and only a verifier made by createCognitoVerifier is taken at all. Otherwise
// a shared verifier silently replaces the route's pool and client.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { type CognitoClaims, type CognitoVerifier, createCognitoVerifier, isCognitoAuthError } from '../../src/index'
import { type CognitoAuthVariables, cognitoAuth } from '../../src/hono'
import { signingKey } from '../helpers/auth'
import { jwksOf } from '../helpers/keys'
import { CLIENT_ID, NOW, OTHER_CLIENT_ID, OTHER_ISSUER, OTHER_POOL_ID, POOL_ID, accessClaims, mint } from '../helpers/tokens'

const jwks = jwksOf(signingKey)

function configErrorOf(build: () => unknown): string {
  try {
    build()
  } catch (error) {
    if (isCognitoAuthError(error, 'ERR_COGNITO_CONFIG')) return error.message
    throw error
  }
  throw new Error('construction did not fail')
}

describe('cognitoAuth with options and a shared verifier', () => {
  it('refuses a verifier of another pool', () => {
    const verifier = createCognitoVerifier({ userPoolId: OTHER_POOL_ID, clientId: CLIENT_ID })
    expect(configErrorOf(() => cognitoAuth({ pool: { userPoolId: POOL_ID, clientId: CLIENT_ID }, verifier }))).toMatch(
      /pool|issuer/i,
    )
  })

  it('refuses a verifier of another client', () => {
    const verifier = createCognitoVerifier({ userPoolId: POOL_ID, clientId: OTHER_CLIENT_ID })
    expect(configErrorOf(() => cognitoAuth({ pool: { userPoolId: POOL_ID, clientId: CLIENT_ID }, verifier }))).toMatch(/client/i)
  })

  it('refuses a verifier that skips the client check the options ask for', () => {
    const verifier = createCognitoVerifier({ userPoolId: POOL_ID, clientId: null })
    expect(configErrorOf(() => cognitoAuth({ pool: { userPoolId: POOL_ID, clientId: CLIENT_ID }, verifier }))).toMatch(/client/i)
  })

  it('refuses a verifier for another token use', () => {
    const verifier = createCognitoVerifier({ userPoolId: POOL_ID, clientId: CLIENT_ID, tokenUse: 'id' })
    expect(
      configErrorOf(() => cognitoAuth({ pool: { userPoolId: POOL_ID, clientId: CLIENT_ID, tokenUse: 'access' }, verifier })),
    ).toMatch(/tokenUse/)
  })

  it('refuses an object that merely looks like a verifier, never casting it', () => {
    const lookalike: CognitoVerifier = { verify: async () => ({}) as CognitoClaims }
    expect(configErrorOf(() => cognitoAuth({ pool: { userPoolId: POOL_ID, clientId: CLIENT_ID }, verifier: lookalike }))).toMatch(
      /createCognitoVerifier/,
    )
  })

  it('the attack: the app that let the other pool and client in is refused when it is built', async () => {
    // Before the fix this app answered 200 to a token of the other pool and client: the verifier
    // replaced the options. Now it cannot be built; the same app without the verifier refuses the token.
    const verifier = createCognitoVerifier({ userPoolId: OTHER_POOL_ID, clientId: OTHER_CLIENT_ID, jwks, now: () => NOW })
    expect(
      configErrorOf(() => cognitoAuth({ pool: { userPoolId: POOL_ID, clientId: CLIENT_ID }, verifier, now: () => NOW })),
    ).toMatch(/pool|issuer/i)
    const app = new Hono<{ Variables: CognitoAuthVariables }>()
    app.use('*', cognitoAuth({ pool: { userPoolId: POOL_ID, clientId: CLIENT_ID, jwks }, now: () => NOW }))
    app.get('/', (c) => c.text(c.var.cognito.claims.sub))
    const token = await mint(signingKey, accessClaims({ iss: OTHER_ISSUER, client_id: OTHER_CLIENT_ID }))
    expect((await app.request('/', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401)
  })

  it('an agreeing verifier is shared: its caches serve the middleware', async () => {
    let fetches = 0
    const verifier = createCognitoVerifier({
      userPoolId: POOL_ID,
      clientId: [CLIENT_ID],
      now: () => NOW,
      fetch: async () => {
        fetches++
        return Response.json(jwks)
      },
    })
    const token = await mint(signingKey, accessClaims())
    await verifier.verify(token)
    const app = new Hono<{ Variables: CognitoAuthVariables }>()
    app.use('*', cognitoAuth({ pool: { userPoolId: POOL_ID, clientId: CLIENT_ID }, verifier, now: () => NOW }))
    app.get('/', (c) => c.text(c.var.cognito.claims.sub))
    expect((await app.request('/', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
    expect(fetches).toBe(1)
  })
})
